"""Bulk API 2.0 query jobs."""
