"""config.generated_secret: made once, whole, however many processes start at once."""

from __future__ import annotations

import stat
import threading
from pathlib import Path

from orderhub.config import generated_secret


def test_a_secret_is_made_on_first_use_private_and_then_kept(tmp_path):
    path = tmp_path / "secret_key"
    first = generated_secret(path)
    assert first and generated_secret(path) == first
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["secret_key"]  # no drafts left behind


def race(path: Path, callers: int) -> tuple[list[str], list[BaseException]]:
    """Every caller asks for the secret at the same moment."""
    start = threading.Barrier(callers)
    results: list[str] = []
    errors: list[BaseException] = []

    def read() -> None:
        start.wait()
        try:
            results.append(generated_secret(path))
        except Exception as exc:
            errors.append(exc)

    threads = [threading.Thread(target=read) for _ in range(callers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors


def test_callers_racing_on_a_fresh_directory_all_get_the_same_whole_secret(tmp_path):
    for attempt in range(30):
        path = tmp_path / f"fernet-{attempt}.key"
        results, errors = race(path, callers=8)
        assert errors == []
        assert len(set(results)) == 1 and results[0] and results[0] == path.read_text()
