"""Placeholder replaced by the emulator's CLI."""


def main() -> None:
    raise SystemExit("salesforce-emulator is not built yet")
