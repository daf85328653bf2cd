"""The base of the API's own parameter and body schemas."""

from __future__ import annotations

from typing import Any

from ninja import Schema
from pydantic import field_validator


class ApiSchema(Schema):
    """Refuses NUL characters in any text, naming the field (PostgreSQL cannot hold them)."""

    @field_validator("*", mode="before")
    @classmethod
    def no_nul(cls, value: Any) -> Any:
        texts = value if isinstance(value, list) else [value]
        if any(isinstance(text, str) and "\x00" in text for text in texts):
            raise ValueError("must not contain a NUL character")
        return value
