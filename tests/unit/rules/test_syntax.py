"""Order Desk's Set Checkout Data / Set Metadata syntax, parsed and applied (no database)."""

from __future__ import annotations

from datetime import datetime

import pytest

from orderhub.rules import syntax
from orderhub.rules.syntax import CreateKey, Remove, RemoveAll, SetValue, Step

NOW = datetime(2024, 1, 31, 14, 5, 9)


def run(data: dict, text: str) -> dict:
    return syntax.apply_text(data, text, NOW)


def test_parse_every_form():
    text = "Gift|Yes\nOld|[REMOVE]\n[REMOVEALL]\nCount|++\nCount|--\nEmpty|\nBare\n\n"
    assert syntax.parse(text) == [
        SetValue("Gift", "Yes"),
        Remove("Old"),
        RemoveAll(),
        Step("Count", 1),
        Step("Count", -1),
        CreateKey("Empty"),
        CreateKey("Bare"),
    ]


def test_set_value_keeps_other_keys_and_does_not_change_input():
    data = {"A": "1"}
    assert run(data, "Gift Message|Happy birthday") == {"A": "1", "Gift Message": "Happy birthday"}
    assert data == {"A": "1"}


def test_value_may_contain_a_bar_after_the_first():
    assert run({}, "Note|a|b") == {"Note": "a|b"}


def test_remove_and_remove_all():
    assert run({"A": "1", "B": "2"}, "A|[REMOVE]") == {"B": "2"}
    assert run({"A": "1"}, "Missing|[REMOVE]") == {"A": "1"}
    assert run({"A": "1", "B": "2"}, "[REMOVEALL]\nC|3") == {"C": "3"}


def test_empty_value_creates_the_key_but_keeps_an_existing_value():
    assert run({}, "Flag|") == {"Flag": ""}
    assert run({"Flag": "x"}, "Flag|") == {"Flag": "x"}


@pytest.mark.parametrize(
    ("before", "text", "after"),
    [
        ({}, "N|++", "1"),
        ({"N": "4"}, "N|++", "5"),
        ({"N": "4"}, "N|--", "3"),
        ({"N": "0"}, "N|--", "-1"),
        ({"N": "2.5"}, "N|++", "3.5"),
        ({"N": "abc"}, "N|++", "1"),
        ({"N": 7}, "N|++\nN|++", "9"),
    ],
)
def test_increment_and_decrement(before, text, after):
    assert run(before, text)["N"] == after


@pytest.mark.parametrize(
    ("token", "expected"),
    [
        ("[DATE]", "2024-01-31 14:05:09"),
        ("[SHORTDATE]", "2024-01-31"),
        ("[DATE+5days]", "2024-02-05 14:05:09"),
        ("[DATE-1week]", "2024-01-24 14:05:09"),
        ("[SHORTDATE+1month]", "2024-02-29"),  # clamped to the end of a leap February
        ("[SHORTDATE-2months]", "2023-11-30"),
        ("[SHORTDATE+1year]", "2025-01-31"),
        ("[DATE+3hours]", "2024-01-31 17:05:09"),
        ("[DATE+30minutes]", "2024-01-31 14:35:09"),
        ("[SHORTDATE+1day]", "2024-02-01"),
    ],
)
def test_date_tokens(token, expected):
    assert run({}, f"When|{token}") == {"When": expected}


def test_tokens_inside_text():
    assert run({}, "Ship|by [SHORTDATE+2days] please") == {"Ship": "by 2024-02-02 please"}


def test_lowercase_text_is_not_a_token():
    assert run({}, "X|[date+1day]") == {"X": "[date+1day]"}


@pytest.mark.parametrize("text", ["|Value", "  |x"])
def test_missing_name_is_an_error_naming_the_line(text):
    with pytest.raises(syntax.SyntaxProblem, match="line 1"):
        syntax.parse(text)


def test_unknown_unit_is_an_error():
    with pytest.raises(syntax.SyntaxProblem, match=r"line 2.*fortnight"):
        syntax.parse("A|1\nB|[DATE+2fortnights]")


def test_instructions_apply_in_order():
    assert run({"A": "1"}, "A|[REMOVE]\nA|2") == {"A": "2"}
    assert run({}, "A|x\n[REMOVEALL]") == {}
