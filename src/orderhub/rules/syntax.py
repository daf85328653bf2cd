"""Order Desk's syntax for the Set Checkout Data and Set Metadata actions — pure, no database.

One instruction per line:

    Name|Value            set Name to Value (tokens such as [DATE+5days] are expanded)
    Name| or Name         create Name with an empty value (an existing value is kept)
    Name|[REMOVE]         delete Name
    [REMOVEALL]           delete every key
    Name|++  Name|--      add or subtract one (a missing or non-numeric value counts as 0)

Date tokens, anywhere in a value: [DATE], [SHORTDATE], with an optional offset such as
[DATE+5days], [DATE-1week], [SHORTDATE+1month] (units: minute, hour, day, week, month, year,
singular or plural). [DATE] is "YYYY-MM-DD HH:MM:SS", [SHORTDATE] is "YYYY-MM-DD", both in
the time the caller passes (the store's local time).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation

REMOVE = "[REMOVE]"
REMOVE_ALL = "[REMOVEALL]"
TOKEN = re.compile(
    r"\[(?P<kind>SHORTDATE|DATE)(?:(?P<sign>[+-])(?P<amount>\d+)\s*(?P<unit>[a-zA-Z]+))?\]"
)
UNITS = {
    "minute": "minutes",
    "min": "minutes",
    "hour": "hours",
    "day": "days",
    "week": "weeks",
    "month": "months",
    "year": "years",
}


class SyntaxProblem(ValueError):
    """A line that is not valid syntax; the message names the line."""


@dataclass(frozen=True)
class SetValue:
    name: str
    value: str


@dataclass(frozen=True)
class CreateKey:
    name: str


@dataclass(frozen=True)
class Remove:
    name: str


@dataclass(frozen=True)
class RemoveAll:
    pass


@dataclass(frozen=True)
class Step:
    name: str
    by: int  # +1 for ++, -1 for --


Instruction = SetValue | CreateKey | Remove | RemoveAll | Step


def _unit(word: str) -> str | None:
    word = word.lower()
    singular = word[:-1] if word.endswith("s") else word
    return UNITS.get(singular) or UNITS.get(word)


def check_tokens(value: str) -> None:
    """Raise SyntaxProblem for a date token with an unknown unit, e.g. [DATE+5fortnights]."""
    for match in TOKEN.finditer(value):
        if match["unit"] and _unit(match["unit"]) is None:
            raise SyntaxProblem(f"{match[0]}: unknown unit {match['unit']!r}")


def parse(text: str) -> list[Instruction]:
    """Parse every non-blank line; raise SyntaxProblem naming the first bad line."""
    instructions: list[Instruction] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        if line == REMOVE_ALL:
            instructions.append(RemoveAll())
            continue
        name, bar, value = line.partition("|")
        name, value = name.strip(), value.strip()
        if not name:
            raise SyntaxProblem(f"line {number}: a name is needed before '|' ({raw.strip()!r})")
        try:
            check_tokens(value)
        except SyntaxProblem as exc:
            raise SyntaxProblem(f"line {number}: {exc}") from None
        if not bar or value == "":
            instructions.append(CreateKey(name))
        elif value == REMOVE:
            instructions.append(Remove(name))
        elif value in ("++", "--"):
            instructions.append(Step(name, 1 if value == "++" else -1))
        else:
            instructions.append(SetValue(name, value))
    return instructions


def add_months(moment: datetime, months: int) -> datetime:
    """`moment` moved by whole months; the day is clamped (Jan 31 + 1 month = Feb 28/29)."""
    index = moment.month - 1 + months
    year, month = moment.year + index // 12, index % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def shift(moment: datetime, amount: int, unit: str) -> datetime:
    unit = _unit(unit) or ""
    if unit == "months":
        return add_months(moment, amount)
    if unit == "years":
        return add_months(moment, 12 * amount)
    if unit in ("minutes", "hours", "days", "weeks"):
        return moment + timedelta(**{unit: amount})
    raise SyntaxProblem(f"unknown unit {unit!r}")


def expand_tokens(value: str, now: datetime) -> str:
    """Replace every [DATE...] / [SHORTDATE...] token with the date it names."""

    def replace(match: re.Match) -> str:
        moment = now
        if match["sign"]:
            amount = int(match["amount"]) * (1 if match["sign"] == "+" else -1)
            moment = shift(now, amount, match["unit"])
        if match["kind"] == "SHORTDATE":
            return moment.strftime("%Y-%m-%d")
        return moment.strftime("%Y-%m-%d %H:%M:%S")

    return TOKEN.sub(replace, value)


def _number(value: object) -> Decimal:
    try:
        return Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return Decimal(0)


def _format_number(value: Decimal) -> str:
    if value == value.to_integral_value():
        return str(value.quantize(Decimal(1)))
    return format(value.normalize(), "f")


def apply(data: dict, instructions: list[Instruction], now: datetime) -> dict:
    """A new dict: `data` with the instructions applied in order (the input is not changed)."""
    result = dict(data)
    for instruction in instructions:
        match instruction:
            case RemoveAll():
                result.clear()
            case Remove(name):
                result.pop(name, None)
            case CreateKey(name):
                result.setdefault(name, "")
            case Step(name, by):
                result[name] = _format_number(_number(result.get(name, 0)) + by)
            case SetValue(name, value):
                result[name] = expand_tokens(value, now)
    return result


def apply_text(data: dict, text: str, now: datetime) -> dict:
    """Parse and apply in one go."""
    return apply(data, parse(text), now)
