"""Fault injection for reliability tests: errors, dropped connections and latency per path."""

from .rules import Fault, FaultPlan

__all__ = ["Fault", "FaultPlan"]
