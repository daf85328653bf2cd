"""A deterministic generator of a realistic order org."""

from .generator import seed_org

__all__ = ["seed_org"]
