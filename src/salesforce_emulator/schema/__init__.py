"""Describe-driven schema: sObjects, fields and relationships loaded from JSON."""

from .model import ChildRelationship, FieldDef, ObjectDef, Schema, load_schema

__all__ = ["ChildRelationship", "FieldDef", "ObjectDef", "Schema", "load_schema"]
