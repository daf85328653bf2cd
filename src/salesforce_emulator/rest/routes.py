"""The URL table: every path the emulator serves, the methods, and the handler (named after the
Salesforce operation). Nothing else lives here; COVERAGE.md is generated from `ROUTES`."""

from __future__ import annotations

from starlette.routing import Route

from .. import control
from ..auth import oauth, soap
from . import bulk, composite, meta, query, sobjects

D = "/services/data/v{version}"

# (path, methods, handler, what it is)
ROUTES = [
    ("/services/data", ["GET"], meta.versions, "API versions (no auth)"),
    (D, ["GET"], meta.resources, "Resources by version"),
    (f"{D}/limits", ["GET"], meta.limits, "Org limits (DailyApiRequests in sync with api-usage)"),
    (f"{D}/sobjects", ["GET"], sobjects.describe_global_sobjects, "Describe Global"),
    (f"{D}/sobjects/{{sobject}}", ["GET"], sobjects.sobject_basic_info, "sObject basic information"),
    (f"{D}/sobjects/{{sobject}}", ["POST"], sobjects.create_record, "Create a record"),
    (f"{D}/sobjects/{{sobject}}/describe", ["GET"], sobjects.describe_sobject, "sObject Describe"),
    (f"{D}/sobjects/{{sobject}}/updated", ["GET"], sobjects.get_updated, "Get updated record ids"),
    (f"{D}/sobjects/{{sobject}}/deleted", ["GET"], sobjects.get_deleted, "Get deleted records"),
    (f"{D}/sobjects/{{sobject}}/{{record_id}}", ["GET"], sobjects.get_record, "Retrieve a record"),
    (f"{D}/sobjects/{{sobject}}/{{record_id}}", ["PATCH"], sobjects.update_record, "Update a record"),
    (f"{D}/sobjects/{{sobject}}/{{record_id}}", ["DELETE"], sobjects.delete_record, "Delete a record"),
    (f"{D}/sobjects/{{sobject}}/{{field}}/{{value}}", ["GET"], sobjects.get_record_by_external_id,
     "Retrieve a record by external id"),
    (f"{D}/sobjects/{{sobject}}/{{field}}/{{value}}", ["PATCH"], sobjects.upsert_record,
     "Upsert a record by external id (201 created / 200 updated / 300 several)"),
    (f"{D}/sobjects/{{sobject}}/{{field}}/{{value}}", ["DELETE"], sobjects.delete_record_by_external_id,
     "Delete a record by external id"),
    (f"{D}/query", ["GET"], query.query, "SOQL query"),
    (f"{D}/query/{{locator}}", ["GET"], query.query_more, "Next page of a query (and child locators)"),
    (f"{D}/queryAll", ["GET"], query.query_all, "SOQL query including the recycle bin"),
    (f"{D}/queryAll/{{locator}}", ["GET"], query.query_more, "Next page of a queryAll"),
    (f"{D}/composite", ["GET"], meta.composite_resources, "Composite resources"),
    (f"{D}/composite", ["POST"], composite.composite, "Composite (25 subrequests, references)"),
    (f"{D}/composite/sobjects", ["POST"], composite.composite_sobjects_create, "Collections create (200)"),
    (f"{D}/composite/sobjects", ["PATCH"], composite.composite_sobjects_update, "Collections update (200)"),
    (f"{D}/composite/sobjects", ["DELETE"], composite.composite_sobjects_delete, "Collections delete (200)"),
    (f"{D}/composite/sobjects/{{sobject}}", ["GET", "POST"], composite.composite_sobjects_retrieve,
     "Collections retrieve"),
    (f"{D}/composite/batch", ["POST"], composite.composite_batch, "Composite Batch (25, haltOnError)"),
    (f"{D}/composite/tree/{{sobject}}", ["POST"], composite.composite_tree,
     "sObject Tree: records with nested children (200, all or nothing)"),
    (f"{D}/jobs/query", ["POST"], bulk.bulk2_create_query_job, "Bulk 2.0: create query job"),
    (f"{D}/jobs/query", ["GET"], bulk.bulk2_list_query_jobs, "Bulk 2.0: list query jobs"),
    (f"{D}/jobs/query/{{job_id}}", ["GET"], bulk.bulk2_get_query_job, "Bulk 2.0: job info"),
    (f"{D}/jobs/query/{{job_id}}", ["PATCH"], bulk.bulk2_abort_query_job, "Bulk 2.0: abort job"),
    (f"{D}/jobs/query/{{job_id}}", ["DELETE"], bulk.bulk2_delete_query_job, "Bulk 2.0: delete job"),
    (f"{D}/jobs/query/{{job_id}}/results", ["GET"], bulk.bulk2_get_query_results, "Bulk 2.0: CSV results"),
    ("/services/oauth2/authorize", ["GET"], oauth.oauth_authorize, "OAuth consent page"),
    ("/services/oauth2/authorize", ["POST"], oauth.oauth_authorize_decision, "OAuth Allow/Deny"),
    ("/services/oauth2/token", ["POST"], oauth.oauth_token,
     "OAuth token: authorization_code (+PKCE), refresh_token, password, client_credentials, JWT bearer"),
    ("/services/oauth2/revoke", ["GET", "POST"], oauth.oauth_revoke, "OAuth revoke"),
    ("/id/{org_id}/{user_id}", ["GET"], oauth.identity, "Identity URL"),
    ("/services/Soap/u/{version}", ["POST"], soap.soap_login, "SOAP partner login"),
    ("/services/Soap/u/{version}/{org_id}", ["POST"], soap.soap_login, "SOAP partner login"),
    ("/__emulator__/info", ["GET"], control.control_info, "Control: instance URL, CA, apps, users"),
    ("/__emulator__/reset", ["POST"], control.control_reset, "Control: delete all records"),
    ("/__emulator__/seed", ["POST"], control.control_seed, "Control: seed deterministic data"),
    ("/__emulator__/faults", ["GET", "PUT", "POST", "DELETE"], control.control_faults, "Control: faults"),
    ("/__emulator__/clock", ["GET", "POST"], control.control_clock, "Control: read/set/advance the clock"),
    ("/__emulator__/expire-sessions", ["POST"], control.control_expire_sessions, "Control: expire sessions"),
    ("/__emulator__/usage", ["GET", "PUT"], control.control_usage, "Control: API usage counter"),
    ("/__emulator__/api-calls", ["GET", "DELETE"], control.control_api_calls, "Control: API calls received"),
    ("/__emulator__/apps", ["GET", "POST"], control.control_apps, "Control: connected apps"),
    ("/__emulator__/settings", ["GET", "PATCH"], control.control_settings, "Control: tunables"),
    ("/__emulator__/records/{sobject}", ["GET"], control.control_records, "Control: every record of an object"),
    ("/__emulator__/query", ["GET"], control.control_query, "Control: all pages of a SOQL query, uncounted"),
    ("/__emulator__/schema/{sobject}/fields/{field}", ["DELETE"], control.control_remove_field,
     "Control: delete a field from the schema"),
]  # fmt: skip


def starlette_routes() -> list[Route]:
    return [Route(path, handler, methods=methods) for path, methods, handler, _ in ROUTES]


def coverage_markdown() -> str:
    """COVERAGE.md: the implemented endpoints, generated from ROUTES."""
    lines = [
        "# Salesforce emulator: implemented endpoints",
        "",
        "Generated from `rest/routes.py` by `salesforce_emulator.rest.routes.coverage_markdown()`;",
        "`tests/emulator/test_coverage_doc.py` fails when this file is stale.",
        "",
        "| Method | Path | Handler | What |",
        "|---|---|---|---|",
    ]
    for path, methods, handler, what in ROUTES:
        lines.append(f"| {', '.join(methods)} | `{path}` | `{handler.__name__}` | {what} |")
    return "\n".join(lines) + "\n"
