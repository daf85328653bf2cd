"""The data dir's `emulator.json`: org identity, connected apps, users and tunables.

Created with defaults on first start; edited by hand or through the control plane.
"""

from __future__ import annotations

import json
import threading
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .ids import ORG_ID_PREFIX, checksum_suffix

CONFIG_FILE = "emulator.json"
_LOCK = threading.Lock()
DEFAULT_DATA_DIR = Path("var/salesforce-emulator")
API_VERSIONS = tuple(f"{v}.0" for v in range(52, 63))
_RELEASES = {
    52: "Summer '21", 53: "Winter '22", 54: "Spring '22", 55: "Summer '22", 56: "Winter '23",
    57: "Spring '23", 58: "Summer '23", 59: "Winter '24", 60: "Spring '24", 61: "Summer '24",
    62: "Winter '25",
}  # fmt: skip


def release_label(version: str) -> str:
    return _RELEASES.get(int(float(version)), f"v{version}")


def _org_id() -> str:
    id15 = ORG_ID_PREFIX + "8d0000000001"
    return id15 + checksum_suffix(id15)


DEFAULT_CLIENT_ID = "3MVG9OrderHubEmulatorLocalConnectedApp"
DEFAULT_CLIENT_SECRET = "emulator-client-secret"
DEFAULT_CALLBACKS = [
    "http://127.0.0.1:8000/integrations/salesforce/callback/",
    "http://localhost:8000/integrations/salesforce/callback/",
]


@dataclass
class ConnectedApp:
    client_id: str
    client_secret: str
    callback_urls: list[str]
    name: str = "Connected App"
    rotate_refresh_tokens: bool = False
    jwt_public_key: str | None = None  # PEM public key or certificate for the JWT bearer flow


@dataclass
class UserAccount:
    username: str
    password: str
    security_token: str
    first_name: str = "Ada"
    last_name: str = "Admin"
    email: str = "admin@orderhub.example"


@dataclass
class EmulatorConfig:
    org_id: str = field(default_factory=_org_id)
    org_name: str = "OrderHub Emulator Org"
    session_ttl_seconds: int = 7200
    daily_api_limit: int = 100_000
    child_inline_cap: int = 200
    bulk_job_delay_seconds: float = 0.2
    bulk_datetime_format: str = (
        "+0000"  # or "Z": Bulk CSV datetime suffix (unverified on real orgs)
    )
    connected_apps: list[ConnectedApp] = field(
        default_factory=lambda: [
            ConnectedApp(
                DEFAULT_CLIENT_ID,
                DEFAULT_CLIENT_SECRET,
                list(DEFAULT_CALLBACKS),
                "OrderHub (local)",
            )
        ]
    )
    users: list[UserAccount] = field(
        default_factory=lambda: [
            UserAccount("admin@orderhub.emulator", "emulator-password", "EMULATORTOKEN"),
            UserAccount(
                "integration@orderhub.emulator",
                "integration-password",
                "INTEGRATIONTOKEN",
                "Ivy",
                "Integration",
                "integration@orderhub.example",
            ),
        ]
    )

    def app(self, client_id: str) -> ConnectedApp | None:
        return next((a for a in self.connected_apps if a.client_id == client_id), None)

    def user(self, username: str) -> UserAccount | None:
        lowered = username.lower()
        return next((u for u in self.users if u.username.lower() == lowered), None)

    def put_app(self, app: ConnectedApp) -> None:
        with _LOCK:
            self.connected_apps = [
                a for a in self.connected_apps if a.client_id != app.client_id
            ] + [app]

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> EmulatorConfig:
        known = {
            k: v for k, v in data.items() if k in cls.__dataclass_fields__ and not k.startswith("_")
        }
        known["connected_apps"] = [ConnectedApp(**a) for a in data.get("connected_apps", [])]
        known["users"] = [UserAccount(**u) for u in data.get("users", [])]
        return cls(**known)


def load_config(data_dir: Path) -> EmulatorConfig:
    """Read the data dir's config, creating it with defaults when missing."""
    path = Path(data_dir) / CONFIG_FILE
    if path.exists():
        return EmulatorConfig.from_json(json.loads(path.read_text("utf-8")))
    config = EmulatorConfig()
    save_config(data_dir, config)
    return config


def save_config(data_dir: Path, config: EmulatorConfig) -> None:
    path = Path(data_dir) / CONFIG_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(config.to_json(), indent=2) + "\n", "utf-8")
    tmp.replace(path)
