"""One exception class per Salesforce errorCode, each carrying its HTTP status.

Storage, SOQL and handlers raise these; one handler in `rest/` renders them as
`[{"message", "errorCode", "fields"}]`. Nothing here knows about HTTP frameworks.
"""

from __future__ import annotations


class SalesforceError(Exception):
    """Base of every error the org reports with an errorCode."""

    error_code = "UNKNOWN_EXCEPTION"
    status = 500
    default_message = "An unexpected error occurred."

    def __init__(self, message: str | None = None, fields: list[str] | None = None) -> None:
        self.message = message if message is not None else self.default_message
        self.fields = list(fields or [])
        super().__init__(self.message)

    def as_error(self) -> dict:
        """The REST error entry (`errorCode` key)."""
        return {"message": self.message, "errorCode": self.error_code, "fields": self.fields}

    def as_status(self) -> dict:
        """The sObject Collections error entry (`statusCode` key)."""
        return {"statusCode": self.error_code, "message": self.message, "fields": self.fields}


class InvalidSessionId(SalesforceError):
    error_code, status, default_message = "INVALID_SESSION_ID", 401, "Session expired or invalid"


class RequestLimitExceeded(SalesforceError):
    error_code, status, default_message = (
        "REQUEST_LIMIT_EXCEEDED",
        403,
        "TotalRequests Limit exceeded.",
    )


class NotFound(SalesforceError):
    error_code, status, default_message = (
        "NOT_FOUND",
        404,
        "The requested resource does not exist",
    )


class EntityIsDeleted(SalesforceError):
    error_code, status, default_message = "ENTITY_IS_DELETED", 404, "entity is deleted"


class InsufficientAccess(SalesforceError):
    error_code, status = "INSUFFICIENT_ACCESS", 403


class MethodNotAllowed(SalesforceError):
    error_code, status = "METHOD_NOT_ALLOWED", 405


class MalformedQuery(SalesforceError):
    error_code, status = "MALFORMED_QUERY", 400


class InvalidField(SalesforceError):
    error_code, status = "INVALID_FIELD", 400


class InvalidType(SalesforceError):
    error_code, status = "INVALID_TYPE", 400


class InvalidQueryFilterOperator(SalesforceError):
    error_code, status = "INVALID_QUERY_FILTER_OPERATOR", 400


class InvalidQueryLocator(SalesforceError):
    error_code, status, default_message = "INVALID_QUERY_LOCATOR", 400, "invalid query locator"


class MalformedId(SalesforceError):
    error_code, status = "MALFORMED_ID", 400


class RequiredFieldMissing(SalesforceError):
    error_code, status = "REQUIRED_FIELD_MISSING", 400


class InvalidFieldForInsertUpdate(SalesforceError):
    error_code, status = "INVALID_FIELD_FOR_INSERT_UPDATE", 400


class InvalidOrNullForRestrictedPicklist(SalesforceError):
    error_code, status = "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST", 400


class StringTooLong(SalesforceError):
    error_code, status = "STRING_TOO_LONG", 400


class InvalidTypeOnFieldInRecord(SalesforceError):
    error_code, status = "INVALID_TYPE_ON_FIELD_IN_RECORD", 400


class InvalidCrossReferenceKey(SalesforceError):
    error_code, status, default_message = (
        "INVALID_CROSS_REFERENCE_KEY",
        400,
        "invalid cross reference id",
    )


class FieldIntegrityException(SalesforceError):
    error_code, status = "FIELD_INTEGRITY_EXCEPTION", 400


class JsonParserError(SalesforceError):
    error_code, status = "JSON_PARSER_ERROR", 400


class InvalidEmailAddress(SalesforceError):
    error_code, status = "INVALID_EMAIL_ADDRESS", 400


class AllOrNoneOperationRolledBack(SalesforceError):
    error_code, status, default_message = (
        "ALL_OR_NONE_OPERATION_ROLLED_BACK",
        400,
        "Record rolled back because not all records were valid and the request was using AllOrNone header",
    )


class ProcessingHalted(SalesforceError):
    error_code, status, default_message = (
        "PROCESSING_HALTED",
        400,
        "The transaction was rolled back since another operation in the same transaction failed.",
    )


class ExceededIdLimit(SalesforceError):
    error_code, status = "EXCEEDED_ID_LIMIT", 400


class InvalidReplicationDate(SalesforceError):
    error_code, status = "INVALID_REPLICATION_DATE", 400


class NumberOutsideValidRange(SalesforceError):
    error_code, status = "NUMBER_OUTSIDE_VALID_RANGE", 400


class UnableToLockRow(SalesforceError):
    error_code, status = "UNABLE_TO_LOCK_ROW", 400


class ServerUnavailable(SalesforceError):
    error_code, status, default_message = (
        "SERVER_UNAVAILABLE",
        503,
        "Server is temporarily unavailable. Please try again later.",
    )


class UnknownException(SalesforceError):
    error_code, status = "UNKNOWN_EXCEPTION", 500


class InvalidEntity(SalesforceError):
    error_code, status = "INVALIDENTITY", 400


class FeatureNotEnabled(SalesforceError):
    error_code, status = "FEATURE_NOT_ENABLED", 400


class ApiError(SalesforceError):
    """Bulk API request errors (Salesforce reports them as API_ERROR)."""

    error_code, status = "API_ERROR", 400


class JobNotComplete(SalesforceError):
    error_code, status = "JOB_NOT_COMPLETE", 412


class InvalidJobState(SalesforceError):
    error_code, status = "INVALIDJOBSTATE", 400
