"""SOQL in named phases: `parser` (text -> ast), `validate` (names/types), `compiler` (-> SQL)."""

from .compiler import CompiledChild, CompiledQuery, OutputField, compile_query
from .parser import parse
from .validate import ValidQuery, validate

__all__ = [
    "CompiledChild",
    "CompiledQuery",
    "OutputField",
    "ValidQuery",
    "compile_query",
    "parse",
    "validate",
]
