"""Bulk API 2.0 query jobs: create, progress by time, CSV result pages behind locators. No HTTP."""

from __future__ import annotations

import base64
import csv
import io
import threading
import time
from array import array
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .. import errors
from ..clock import format_datetime
from ..ids import BULK_JOB_PREFIX
from ..soql import ast, parse, validate

if TYPE_CHECKING:
    from ..soql import CompiledQuery
    from ..state import EmulatorState

DELIMITERS = {
    "COMMA": ",",
    "TAB": "\t",
    "SEMICOLON": ";",
    "PIPE": "|",
    "CARET": "^",
    "BACKQUOTE": "`",
}
LINE_ENDINGS = {"LF": "\n", "CRLF": "\r\n"}


@dataclass
class QueryJob:
    id: str
    operation: str
    object: str
    query: str
    api_version: str
    created_by: str | None
    created_ms: int
    column_delimiter: str
    line_ending: str
    compiled: CompiledQuery
    started: float = field(default_factory=time.monotonic)
    state: str = "UploadComplete"
    modstamp_ms: int = 0
    rowids: array | None = None
    processing_ms: int = 0

    def info(self) -> dict:
        data = {
            "id": self.id,
            "operation": self.operation,
            "object": self.object,
            "createdById": self.created_by,
            "createdDate": format_datetime(self.created_ms),
            "systemModstamp": format_datetime(self.modstamp_ms or self.created_ms),
            "state": self.state,
            "concurrencyMode": "Parallel",
            "contentType": "CSV",
            "apiVersion": float(self.api_version),
            "jobType": "V2Query",
            "lineEnding": self.line_ending,
            "columnDelimiter": self.column_delimiter,
        }
        return data

    def full_info(self) -> dict:
        data = self.info()
        data.update(
            numberRecordsProcessed=len(self.rowids) if self.rowids is not None else 0,
            retries=0,
            totalProcessingTime=self.processing_ms,
            isPkChunkingSupported=True,
        )
        return data


class BulkJobs:
    """The org's Bulk 2.0 query jobs."""

    def __init__(self, state: EmulatorState) -> None:
        self.state = state
        self._jobs: dict[str, QueryJob] = {}
        self._lock = threading.Lock()

    def clear(self) -> None:
        with self._lock:
            self._jobs.clear()

    def create(self, body: dict, version: str, user_id: str | None) -> QueryJob:
        operation = body.get("operation")
        if operation not in ("query", "queryAll"):
            raise errors.ApiError(
                f"Invalid operation: {operation}. Valid values are query and queryAll."
            )
        text = body.get("query")
        if not isinstance(text, str) or not text.strip():
            raise errors.ApiError("The query field is required.")
        delimiter = body.get("columnDelimiter", "COMMA")
        line_ending = body.get("lineEnding", "LF")
        if delimiter not in DELIMITERS or line_ending not in LINE_ENDINGS:
            raise errors.ApiError("Invalid columnDelimiter or lineEnding.")
        if body.get("contentType", "CSV") != "CSV":
            raise errors.ApiError("Only CSV is supported as contentType.")
        valid = validate(parse(text), self.state.schema, text)
        _refuse_unsupported(valid)
        compiled = self.state.org.queries.prepare(text, include_deleted=operation == "queryAll")
        org = self.state.org
        job = QueryJob(
            id=org.ids.new(BULK_JOB_PREFIX),
            operation=operation,
            object=valid.obj.name,
            query=text,
            api_version=version,
            created_by=user_id,
            created_ms=self.state.clock.now_ms(),
            column_delimiter=delimiter,
            line_ending=line_ending,
            compiled=compiled,
        )
        with self._lock:
            self._jobs[job.id] = job
        return job

    def get(self, job_id: str) -> QueryJob:
        with self._lock:
            job = self._jobs.get(job_id)
        if job is None:
            raise errors.NotFound("Could not find the job with the given ID", [])
        self._progress(job)
        return job

    def _progress(self, job: QueryJob) -> None:
        if job.state not in ("UploadComplete", "InProgress"):
            return
        elapsed = time.monotonic() - job.started
        delay = self.state.config.bulk_job_delay_seconds
        if elapsed < delay:
            job.state = "InProgress"
            return
        began = time.monotonic()
        job.rowids = self.state.org.queries.snapshot(job.compiled)
        job.processing_ms = int((time.monotonic() - began) * 1000)
        job.state = "JobComplete"
        job.modstamp_ms = self.state.clock.now_ms()

    def list(self) -> list[QueryJob]:
        with self._lock:
            return list(self._jobs.values())

    def abort(self, job_id: str) -> QueryJob:
        job = self.get(job_id)
        if job.state in ("JobComplete", "Failed", "Aborted"):
            raise errors.InvalidJobState(f"Cannot abort a job in state {job.state}")
        job.state = "Aborted"
        job.modstamp_ms = self.state.clock.now_ms()
        return job

    def delete(self, job_id: str) -> None:
        job = self.get(job_id)
        if job.state in ("UploadComplete", "InProgress"):
            raise errors.InvalidJobState("Cannot delete a job that is in progress; abort it first")
        with self._lock:
            self._jobs.pop(job_id, None)

    def results(
        self, job_id: str, locator: str | None, max_records: int | None
    ) -> tuple[str, int, str]:
        """(CSV text with a header row, number of records, next locator or "null")."""
        job = self.get(job_id)
        if job.state != "JobComplete":
            raise errors.JobNotComplete(
                "can only download query results of successfully completed bulk job with status: "
                f"JOB_COMPLETE. Current status: {_status_name(job.state)}"
            )
        assert job.rowids is not None
        start = 0
        if locator and locator != "null":
            try:
                start = int(base64.b64decode(locator.encode() + b"==").decode())
            except ValueError:
                raise errors.InvalidQueryLocator("Invalid locator") from None
        page_size = max(1, int(max_records)) if max_records else 50_000
        end = min(len(job.rowids), start + page_size)
        records = []
        for chunk in range(start, end, 2000):
            ids = job.rowids[chunk : min(end, chunk + 2000)]
            records += self.state.org.queries.records(job.compiled, ids, job.api_version)
        text = self._csv(job, records)
        next_locator = (
            "null"
            if end >= len(job.rowids)
            else base64.b64encode(str(end).encode()).decode().rstrip("=")
        )
        return text, len(records), next_locator

    def _csv(self, job: QueryJob, records: list[dict]) -> str:
        columns = []
        for kind, out in job.compiled.layout:
            if kind == "field":
                columns.append((*(level[0] for level in out.levels), out.key))
        buffer = io.StringIO()
        writer = csv.writer(
            buffer,
            delimiter=DELIMITERS[job.column_delimiter],
            lineterminator=LINE_ENDINGS[job.line_ending],
            quoting=csv.QUOTE_ALL,
        )
        writer.writerow([".".join(c) for c in columns])
        zulu = self.state.config.bulk_datetime_format == "Z"
        for record in records:
            row = []
            for path in columns:
                value = record
                for key in path:
                    value = value.get(key) if isinstance(value, dict) else None
                row.append(_csv_value(value, zulu))
            writer.writerow(row)
        return buffer.getvalue()


def _csv_value(value: object, zulu: bool) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if zulu and isinstance(value, str) and value.endswith("+0000") and len(value) == 28:
        return value[:-5] + "Z"
    return str(value)


def _status_name(state: str) -> str:
    return {"UploadComplete": "UPLOAD_COMPLETE", "InProgress": "IN_PROGRESS"}.get(
        state, state.upper()
    )


def _refuse_unsupported(valid) -> None:
    """Bulk 2.0 refuses subqueries, aggregates, OFFSET and compound fields."""
    q = valid.query
    if valid.children:
        raise errors.ApiError(
            "Parent-to-child relationship queries (subqueries) are not supported in Bulk API 2.0"
        )
    if valid.aggregate or q.group_by:
        raise errors.ApiError(
            "Aggregate queries (COUNT(), GROUP BY) are not supported in Bulk API 2.0"
        )
    if q.offset is not None:
        raise errors.ApiError("OFFSET is not supported in Bulk API 2.0")
    for kind, item in valid.select:
        if kind == "field" and item.field.is_compound:
            raise errors.ApiError("Selecting compound data not supported in Bulk Query")
    if any(isinstance(i, ast.SelectCall) for i in q.select):
        raise errors.ApiError("FIELDS() is not supported in Bulk API 2.0")
