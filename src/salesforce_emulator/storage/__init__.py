"""All org state and logic (records, queries, bulk jobs); knows nothing of HTTP."""

from .org import Org, open_org

__all__ = ["Org", "open_org"]
