"""Salesforce-shaped SOQL error messages: the query excerpt, a caret, then the row and column."""

from __future__ import annotations

from .. import errors


def located(query: str, line: int, column: int, message: str) -> str:
    lines = query.split("\n")
    text = lines[line - 1] if 0 < line <= len(lines) else query
    start = max(0, column - 1 - 60)
    excerpt = text[start : start + 160]
    caret = " " * max(0, column - 1 - start) + "^"
    return f"\n{excerpt}\n{caret}\nERROR at Row:{line}:Column:{column}\n{message}"


def malformed(query: str, line: int, column: int, message: str) -> errors.MalformedQuery:
    return errors.MalformedQuery(located(query, line, column, message))


def invalid_field(query: str, line: int, column: int, message: str) -> errors.InvalidField:
    return errors.InvalidField(located(query, line, column, message))


def invalid_type(query: str, line: int, column: int, message: str) -> errors.InvalidType:
    return errors.InvalidType(located(query, line, column, message))


def bad_filter(
    query: str, line: int, column: int, message: str
) -> errors.InvalidQueryFilterOperator:
    return errors.InvalidQueryFilterOperator(located(query, line, column, message))


def no_such_column(name: str, entity: str) -> str:
    return (
        f"No such column '{name}' on entity '{entity}'. If you are attempting to use a custom field, "
        "be sure to append the '__c' after the custom field name. Please reference your WSDL or the "
        "describe call for the appropriate names."
    )


def unsupported_type(name: str) -> str:
    return (
        f"sObject type '{name}' is not supported. If you are attempting to use a custom object, be sure "
        "to append the '__c' after the entity name. Please reference your WSDL or the describe call "
        "for the appropriate names."
    )


def unknown_relationship(name: str) -> str:
    return (
        f"Didn't understand relationship '{name}' in field path. If you are attempting to use a custom "
        "relationship, be sure to append the '__r' after the custom relationship name. Please reference "
        "your WSDL or the describe call for the appropriate names."
    )


def unknown_child_relationship(name: str) -> str:
    return (
        f"Didn't understand relationship '{name}' in FROM part of query call. If you are attempting to "
        "use a custom relationship, be sure to append the '__r' after the custom relationship name. "
        "Please reference your WSDL or the describe call for the appropriate names."
    )
