"""Everything one running emulator holds: the org's data, config, sessions, faults and counters.

This is the object the control plane, the REST handlers and `salesforce_emulator.testing` share.
It knows nothing of HTTP.
"""

from __future__ import annotations

import threading
from collections import Counter
from datetime import UTC, datetime
from fnmatch import fnmatchcase
from pathlib import Path

from . import errors
from .auth.sessions import SessionStore
from .bulk.jobs import BulkJobs
from .clock import Clock
from .config import API_VERSIONS, EmulatorConfig, load_config, save_config
from .faults import FaultPlan
from .schema import Schema, load_schema
from .storage import Org, open_org


class EmulatorState:
    """One emulated org with its data dir."""

    def __init__(self, data_dir: str | Path, *, schema_path: str | Path | None = None) -> None:
        self.data_dir = Path(data_dir)
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.config: EmulatorConfig = load_config(self.data_dir)
        custom_schema = self.data_dir / "schema.json"
        if schema_path is None and custom_schema.exists():
            schema_path = custom_schema
        self.schema: Schema = load_schema(schema_path)
        self.schema_loaded_at = datetime.now(UTC)
        self.clock = Clock()
        self.org: Org = open_org(self.data_dir, self.schema, self.clock)
        self.org.queries.child_inline_cap = self.config.child_inline_cap
        self.sessions = SessionStore(
            self.clock,
            self.config.org_id,
            self.config.session_ttl_seconds,
            self.data_dir / "refresh_tokens.json",
        )
        self.faults = FaultPlan()
        self.bulk = BulkJobs(self)
        self._calls: Counter[tuple[str, str]] = Counter()
        self._usage = 0
        self._lock = threading.Lock()
        self._removed_fields: list = []  # (object, field, position) taken by remove_field
        self.user_ids: dict[str, str] = {}
        self.ensure_users()

    # -- users and apps -------------------------------------------------------------------------

    def ensure_users(self) -> None:
        """Make sure the Organization record, the standard price book and every configured
        user's User record exist."""
        with self.org.lock:
            if self.schema.get("Organization") and not self.org.rows(
                "Organization", include_deleted=True
            ):
                self.org.insert_rows(
                    "Organization",
                    [
                        {
                            "Id": self.config.org_id,
                            "Name": self.config.org_name,
                            "OrganizationType": "Developer Edition",
                            "IsSandbox": 0,
                            "InstanceName": "EMU1",
                            "DefaultLocaleSidKey": "en_US",
                            "TimeZoneSidKey": "America/Los_Angeles",
                            "LanguageLocaleKey": "en_US",
                        }
                    ],
                )
            # Every real org has exactly one standard price book, even an empty one.
            if self.schema.get("Pricebook2") and not self.org.rows("Pricebook2", "IsStandard = 1"):
                self.org.insert_rows(
                    "Pricebook2", [{"Name": "Standard Price Book", "IsStandard": 1, "IsActive": 1}]
                )
            for account in self.config.users:
                rows = self.org.rows("User", "Username = ?", (account.username,))
                if rows:
                    self.user_ids[account.username.lower()] = rows[0]["Id"]
                    continue
                known = self.user_ids.get(account.username.lower())
                [user_id] = self.org.insert_rows(
                    "User",
                    [
                        {
                            "Id": known,
                            "Username": account.username,
                            "FirstName": account.first_name,
                            "LastName": account.last_name,
                            "Name": f"{account.first_name} {account.last_name}",
                            "Email": account.email,
                            "Alias": account.username[:8],
                            "IsActive": 1,
                            "TimeZoneSidKey": "America/Los_Angeles",
                        }
                    ],
                )
                self.user_ids[account.username.lower()] = user_id
            first = self.config.users[0].username.lower() if self.config.users else None
            self.org.default_user_id = self.user_ids.get(first) if first else None

    def save_config(self) -> None:
        save_config(self.data_dir, self.config)

    def apply_settings(self, **settings) -> dict:
        """Change tunables (session TTL, limits, child cap, bulk delay) and persist them."""
        allowed = {
            "session_ttl_seconds", "daily_api_limit", "child_inline_cap", "bulk_job_delay_seconds",
            "bulk_datetime_format", "org_name",
        }  # fmt: skip
        for key, value in settings.items():
            if key not in allowed:
                raise ValueError(f"unknown setting {key!r}")
            setattr(self.config, key, value)
        self.sessions.ttl_seconds = self.config.session_ttl_seconds
        self.org.queries.child_inline_cap = self.config.child_inline_cap
        self.save_config()
        return {k: getattr(self.config, k) for k in sorted(allowed)}

    # -- lifecycle ------------------------------------------------------------------------------

    def remove_field(self, sobject: str, field_name: str) -> None:
        """Delete a field from the org's schema, as an admin deleting it in Setup would: it
        disappears from describe and SOQL (INVALID_FIELD); stored values are simply unseen."""
        obj = self.schema.get(sobject)
        if obj is None:
            raise errors.NotFound(f"sObject type '{sobject}' is not supported.")
        found = obj.field(field_name)
        if found is None:
            raise errors.NotFound(f"No such column '{field_name}' on sobject of type {obj.name}")
        with self.org.lock:
            position = [n.lower() for n in obj.field_order].index(found.name.lower())
            self._removed_fields.append((obj, found, position))
            obj.fields.pop(found.name.lower())
            obj.field_order.pop(position)
            self.schema_loaded_at = datetime.now(UTC)

    def restore_fields(self) -> None:
        """Bring back every field `remove_field` took away (reset does this)."""
        with self.org.lock:
            for obj, found, position in reversed(self._removed_fields):
                obj.fields[found.name.lower()] = found
                obj.field_order.insert(position, found.name)
            if self._removed_fields:
                self.schema_loaded_at = datetime.now(UTC)
            self._removed_fields.clear()

    def reset(self) -> None:
        """Delete all records, cursors, jobs and counters; keep config, sessions and the clock."""
        self.org.reset()
        self.restore_fields()
        self.org.queries.forget_all()
        self.bulk.clear()
        self.faults.clear()
        self.reset_api_calls()
        self.set_api_usage(0)
        self.ensure_users()  # same user ids as before, so existing sessions stay meaningful

    def seed(self, **options) -> dict:
        from .seed import seed_org

        return seed_org(self.org, **options)

    def close(self) -> None:
        self.org.close()

    def query_everything(
        self, soql: str, *, include_deleted: bool = False, version: str = "62.0"
    ) -> list[dict]:
        """Every record a query matches (all pages), shaped as REST returns them; not an API call."""
        engine = self.org.queries
        result = engine.query(soql, version, include_deleted=include_deleted)
        records = list(result["records"])
        while not result["done"]:
            result = engine.query_more(result["nextRecordsUrl"].rsplit("/", 1)[1], version)
            records += result["records"]
        return records

    def select_all(self, sobject: str, where: str | None = None, equals: dict | None = None) -> str:
        """SOQL selecting every non-compound field of `sobject`, filtered by a SOQL condition
        and/or `Field = value` pairs (values typed by the field's describe type)."""
        obj = self.org.object(sobject)
        fields = ", ".join(f.name for f in obj.ordered_fields() if f.stored)
        conditions = [f"({where})"] if where else []
        for name, value in (equals or {}).items():
            f = obj.field(name)
            if f is None:
                raise errors.InvalidField(f"No such column '{name}' on sobject of type {obj.name}")
            conditions.append(f"{f.name} = {soql_literal(f.type, value)}")
        soql = f"SELECT {fields} FROM {obj.name}"  # noqa: S608 (SOQL for our parser, not SQL)
        return soql + (" WHERE " + " AND ".join(conditions) if conditions else "")

    # -- counters -------------------------------------------------------------------------------

    def count_call(self, method: str, path: str) -> None:
        """Count one API request and enforce the daily limit (REQUEST_LIMIT_EXCEEDED)."""
        with self._lock:
            self._calls[(method, path)] += 1
            if self._usage >= self.config.daily_api_limit:
                raise errors.RequestLimitExceeded()
            self._usage += 1

    def api_usage(self) -> tuple[int, int]:
        with self._lock:
            return self._usage, self.config.daily_api_limit

    def set_api_usage(self, used: int) -> None:
        with self._lock:
            self._usage = max(0, int(used))

    def api_calls(self, path: str | None = None, method: str | None = None) -> int:
        """Requests counted since the last reset, optionally only those matching a path glob/method."""
        with self._lock:
            return sum(
                n
                for (m, p), n in self._calls.items()
                if (path is None or fnmatchcase(p, path) or p == path)
                and (method is None or m == method.upper())
            )

    def api_calls_by_path(self) -> dict[str, int]:
        with self._lock:
            out: Counter[str] = Counter()
            for (m, p), n in self._calls.items():
                out[f"{m} {p}"] += n
            return dict(out)

    def reset_api_calls(self) -> None:
        with self._lock:
            self._calls.clear()

    def instance_info(self, instance_url: str, ca_cert: str | None) -> dict:
        return {
            "instance_url": instance_url,
            "ca_cert": ca_cert,
            "org_id": self.config.org_id,
            "api_versions": list(API_VERSIONS),
            "connected_apps": [
                {"client_id": a.client_id, "client_secret": a.client_secret, "callback_urls": a.callback_urls,
                 "name": a.name}
                for a in self.config.connected_apps
            ],
            "users": [
                {"username": u.username, "password": u.password, "security_token": u.security_token,
                 "user_id": self.user_ids.get(u.username.lower())}
                for u in self.config.users
            ],
            "data_dir": str(self.data_dir.resolve()),
        }  # fmt: skip


def soql_literal(field_type: str, value: object) -> str:
    """A Python (or query-string) value as a SOQL literal for a field of `field_type`."""
    if value is None:
        return "null"
    if field_type == "boolean":
        truthy = value if isinstance(value, bool) else str(value).lower() in ("true", "1")
        return "true" if truthy else "false"
    if field_type in ("currency", "double", "percent", "int"):
        return repr(float(value)) if not isinstance(value, int) else str(value)
    if field_type in ("date", "datetime"):
        return value.isoformat() if hasattr(value, "isoformat") else str(value)
    text = str(value).replace("\\", "\\\\").replace("'", "\\'")
    return f"'{text}'"
