"""The API's one error handler: every failure becomes Order Desk's error envelope.

Domain errors and bad input get a 4xx whose message names the field; nothing a client
sends can produce a 500. An unexpected exception (a bug) is logged and answered with a
500 in the same envelope, so clients always get JSON.
"""

from __future__ import annotations

import logging

import pydantic
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from orderhub.api import envelope
from orderhub.orders.errors import (
    ItemNotFound,
    OrderError,
    OrderNotFound,
    ShipmentNotFound,
)
from orderhub.orders.orderdesk_json import describe_validation_error, format_location

logger = logging.getLogger(__name__)

# Where a parameter came from is noise to a client: "limit", not "query.limit".
PARAM_SOURCES = {"body", "query", "path", "header", "cookie", "form", "file"}
# Name of every endpoint's body parameter; dropped from locations for the same reason.
BODY_PARAM = "payload"
NOT_FOUND_ERRORS = (OrderNotFound, ItemNotFound, ShipmentNotFound)


class ApiError(Exception):
    """An error the API raises itself, carrying its HTTP status."""

    status_code = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class BadRequest(ApiError):
    status_code = 400


class NotAuthenticated(ApiError):
    status_code = 401


class RateLimited(ApiError):
    status_code = 429

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"Rate limit exceeded: retry in {retry_after} seconds")
        self.retry_after = retry_after


# ninja looks handlers up along the exception's MRO and has its own for HttpError,
# ValidationError and Http404, so each class is routed here explicitly, not just Exception.
HANDLED = (
    ApiError,
    OrderError,
    NinjaValidationError,
    HttpError,
    DjangoValidationError,
    pydantic.ValidationError,
    DataError,
    Http404,
    Exception,
)


def install(api: NinjaAPI) -> None:
    """Route every exception class the API can meet to one handler."""

    def handler(request: HttpRequest, exc: Exception) -> HttpResponse:
        status, message = describe(exc)
        response = api.create_response(request, envelope.error(request, message), status=status)
        if isinstance(exc, RateLimited):
            response["X-Retry-After"] = str(exc.retry_after)
        return response

    for exc_class in HANDLED:
        api.add_exception_handler(exc_class, handler)


def describe(exc: Exception) -> tuple[int, str]:
    """The HTTP status and the message a client sees for an exception."""
    if isinstance(exc, ApiError):
        return exc.status_code, exc.message
    if isinstance(exc, NOT_FOUND_ERRORS):
        return 404, str(exc)
    if isinstance(exc, OrderError):
        return 400, str(exc)
    if isinstance(exc, NinjaValidationError):
        return 400, _describe_ninja_errors(exc.errors)
    if isinstance(exc, pydantic.ValidationError):
        return 400, describe_validation_error(exc)
    if isinstance(exc, DjangoValidationError):
        return 400, _describe_django_error(exc)
    if isinstance(exc, DataError):
        # A safety net: services check values against their columns first, so this is a
        # database's own refusal (PostgreSQL and a NUL character in JSON, say).
        logger.warning("Database refused a value: %s", exc)
        return 400, "A value does not fit its field (too long, too large or a NUL character)"
    if isinstance(exc, AuthenticationError):
        return 401, "Missing or invalid ORDERDESK-STORE-ID / ORDERDESK-API-KEY headers"
    if isinstance(exc, HttpError):
        if str(exc.message).startswith("Cannot parse request body"):
            return 400, "body: not valid JSON"
        return exc.status_code, str(exc.message)
    if isinstance(exc, Http404):
        return 404, "Not found"
    logger.exception("API request failed", exc_info=exc)
    return 500, "Internal error: the request was not carried out"


def _describe_ninja_errors(errors: list[dict]) -> str:
    parts = []
    for problem in errors[:5]:
        loc = list(problem.get("loc", ()))
        if loc and loc[0] in PARAM_SOURCES:
            loc = loc[1:]
        if loc and loc[0] == BODY_PARAM:
            loc = loc[1:] or ["body"]
        location = format_location(loc)
        message = str(problem.get("msg", "is invalid")).removeprefix("Value error, ")
        parts.append(f"{location}: {message}" if location else message)
    return "; ".join(parts) or "Invalid request"


def _describe_django_error(exc: DjangoValidationError) -> str:
    if hasattr(exc, "message_dict"):
        return "; ".join(
            f"{field}: {' '.join(messages)}" for field, messages in exc.message_dict.items()
        )
    return " ".join(exc.messages)
