"""Salesforce record ids: 15-character case-sensitive ids plus the 3-character checksum suffix."""

from __future__ import annotations

import itertools
import re
import threading

_SUFFIX_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"
_BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_ID_RE = re.compile(r"^[a-zA-Z0-9]{15}([a-zA-Z0-5]{3})?$")

ORG_ID_PREFIX = "00D"
QUERY_LOCATOR_PREFIX = "01g"
BULK_JOB_PREFIX = "750"


# Maps every character to "1" if it is an upper-case letter, else "0" (used to read the bits).
_UPPER_BITS = str.maketrans({chr(c): ("1" if 65 <= c <= 90 else "0") for c in range(128)})


def checksum_suffix(id15: str) -> str:
    """Return the 3-character suffix that makes a 15-character id case-insensitively unique.

    For each 5-character chunk, bit i is set when character i is upper case; the 5-bit number
    picks a letter from A-Z0-5. (str.translate + int(..., 2) keeps this fast for seeding.)"""
    bits = id15.translate(_UPPER_BITS)
    return (
        _SUFFIX_ALPHABET[int(bits[4::-1], 2)]
        + _SUFFIX_ALPHABET[int(bits[9:4:-1], 2)]
        + _SUFFIX_ALPHABET[int(bits[14:9:-1], 2)]
    )


def to_18(record_id: str) -> str:
    """Normalise a 15- or 18-character id to its 18-character form; raise ValueError if malformed."""
    if not isinstance(record_id, str) or not _ID_RE.match(record_id):
        raise ValueError(record_id)
    id15 = record_id[:15]
    full = id15 + checksum_suffix(id15)
    if len(record_id) == 18 and record_id[15:].upper() != full[15:]:
        raise ValueError(record_id)
    return full


def is_valid_id(value: object) -> bool:
    try:
        to_18(value)  # type: ignore[arg-type]
    except ValueError:
        return False
    return True


class IdFactory:
    """Makes unique 18-character ids for a key prefix from a monotonically growing counter."""

    def __init__(self, pod: str = "8d", start: int = 1) -> None:
        self._pod = pod
        self._counter = itertools.count(start)
        self._lock = threading.Lock()

    def advance_past(self, value: int) -> None:
        with self._lock:
            current = next(self._counter)
            self._counter = itertools.count(max(current, value + 1))

    def new(self, key_prefix: str) -> str:
        with self._lock:
            n = next(self._counter)
        id15 = f"{key_prefix}{self._pod}{n:010x}"
        return id15 + checksum_suffix(id15)

    def many(self, key_prefix: str, count: int) -> list[str]:
        with self._lock:
            numbers = [next(self._counter) for _ in range(count)]
        head = key_prefix + self._pod
        # The counter part is lower-case hex, so only the head chunk has upper-case letters.
        head_letter = checksum_suffix(f"{head}{0:010x}")[0]
        return [f"{head}{n:010x}{head_letter}AA" for n in numbers]

    @staticmethod
    def sequence_of(record_id: str) -> int:
        """The counter value encoded in an id made by this factory (used to resume after restart)."""
        try:
            return int(record_id[5:15], 16)
        except ValueError:
            n = 0
            for ch in record_id[5:15]:
                n = n * 62 + _BASE62.index(ch)
            return n
