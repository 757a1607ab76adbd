"""PartialDate: strict parsing, windows, labels, overlap and relative phrases."""

from __future__ import annotations

import datetime as dt

import pytest

from dashboard.core.dates import PartialDate, PartialDateError, resolve_relative
from dashboard.core.errors import DashboardError

DATELINE = dt.date(2023, 2, 28)  # the Reuters article: a Tuesday


@pytest.mark.parametrize(
    ("value", "iso", "precision", "start", "end", "label"),
    [
        ("2014", "2014", "year", dt.date(2014, 1, 1), dt.date(2014, 12, 31), "2014"),
        ("2022-09", "2022-09", "month", dt.date(2022, 9, 1), dt.date(2022, 9, 30), "Sep 2022"),
        ("2024-02", "2024-02", "month", dt.date(2024, 2, 1), dt.date(2024, 2, 29), "Feb 2024"),
        ("2023-02-28", "2023-02-28", "day", DATELINE, DATELINE, "28 Feb 2023"),
        ("2022-09-05", "2022-09-05", "day", dt.date(2022, 9, 5), dt.date(2022, 9, 5), "5 Sep 2022"),
        (2014, "2014", "year", dt.date(2014, 1, 1), dt.date(2014, 12, 31), "2014"),  # YAML int
        (dt.date(2023, 2, 28), "2023-02-28", "day", DATELINE, DATELINE, "28 Feb 2023"),  # YAML date
    ],
)
def test_parse_valid(value, iso, precision, start, end, label):
    parsed = PartialDate.parse(value)
    assert parsed.isoformat() == iso == str(parsed)
    assert parsed.precision == precision
    assert (parsed.start, parsed.end) == (start, end)
    assert parsed.label() == label
    assert PartialDate.parse(parsed) is parsed
    assert PartialDate.parse(iso) == parsed


@pytest.mark.parametrize(
    "value",
    [
        "28/02/2023",
        "2023-2-28",
        "2023-02-28T10:00",
        " 2023",
        "2023 ",
        "23",
        "20230228",
        "2023-13",
        "2023-02-30",
        "2023-00",
        "",
        "last year",
        "0000",
        "٢٠٢٣",
        None,
        True,
        2.5,
        0,
        10000,
        ["2023"],
        dt.datetime(2023, 2, 28, 10, 0),
    ],
)
def test_parse_rejects(value):
    with pytest.raises(PartialDateError) as excinfo:
        PartialDate.parse(value)
    assert isinstance(excinfo.value, (ValueError, DashboardError))


def test_error_names_the_value_and_the_expected_forms():
    with pytest.raises(PartialDateError, match=r"expected YYYY, YYYY-MM or YYYY-MM-DD, got '28/02/2023'"):
        PartialDate.parse("28/02/2023")
    with pytest.raises(PartialDateError, match=r"real calendar date, got '2023-02-30'"):
        PartialDate.parse("2023-02-30")


def test_frozen_and_hashable():
    date = PartialDate(2022, 9)
    with pytest.raises(AttributeError):
        date.year = 2021  # type: ignore[misc]
    assert {date, PartialDate.parse("2022-09")} == {date}


def test_day_needs_month():
    with pytest.raises(PartialDateError):
        PartialDate(2022, None, 5)


@pytest.mark.parametrize(
    ("value", "start", "end", "expected"),
    [
        # A partial date overlaps a range when any day of its window is in it.
        ("2022", dt.date(2022, 9, 15), dt.date(2023, 1, 1), True),
        ("2022", dt.date(2022, 12, 31), None, True),
        ("2022", dt.date(2023, 1, 1), None, False),
        ("2022", None, dt.date(2022, 1, 1), True),
        ("2022", None, dt.date(2021, 12, 31), False),
        ("2022-09", dt.date(2022, 9, 30), dt.date(2022, 10, 5), True),
        ("2022-09", dt.date(2022, 10, 1), dt.date(2022, 10, 5), False),
        ("2022-09", dt.date(2022, 8, 1), dt.date(2022, 8, 31), False),
        ("2023-02-28", DATELINE, DATELINE, True),
        ("2023-02-28", dt.date(2023, 3, 1), None, False),
        ("2014", None, None, True),
    ],
)
def test_overlaps(value, start, end, expected):
    assert PartialDate.parse(value).overlaps(start, end) is expected


def test_contains_and_sort_key():
    year = PartialDate.parse("2014")
    assert year.contains(dt.date(2014, 3, 18)) and not year.contains(dt.date(2015, 1, 1))
    ordered = sorted(map(PartialDate.parse, ["2014-03-18", "2014", "2014-03"]), key=PartialDate.sort_key)
    assert [d.isoformat() for d in ordered] == ["2014", "2014-03", "2014-03-18"]


@pytest.mark.parametrize(
    ("phrase", "dateline", "expected"),
    [
        # The article's own phrases, against its dateline (Tuesday 28 Feb 2023).
        ("on Tuesday", DATELINE, "2023-02-28"),
        ("last September", DATELINE, "2022-09"),
        ("last year", DATELINE, "2022"),
        ("in 2014", DATELINE, "2014"),
        # Case and spacing do not matter.
        ("  On   TUESDAY ", DATELINE, "2023-02-28"),
        # A weekday is the most recent one on or before the dateline.
        ("on Monday", DATELINE, "2023-02-27"),
        ("Wednesday", DATELINE, "2023-02-22"),
        # "last <month>" is the most recent such month strictly before the dateline's month.
        ("last February", DATELINE, "2022-02"),
        ("last January", DATELINE, "2023-01"),
        ("last September", dt.date(2023, 11, 2), "2023-09"),
        ("last Sep", DATELINE, "2022-09"),
        ("last month", DATELINE, "2023-01"),
        ("last month", dt.date(2023, 1, 15), "2022-12"),
        ("this year", DATELINE, "2023"),
        ("today", DATELINE, "2023-02-28"),
        ("yesterday", dt.date(2023, 3, 1), "2023-02-28"),
        ("in September 2022", DATELINE, "2022-09"),
        ("2022-09", DATELINE, "2022-09"),
        ("on Tuesday", PartialDate(2023, 2, 28), "2023-02-28"),
    ],
)
def test_resolve_relative(phrase, dateline, expected):
    resolved = resolve_relative(phrase, dateline)
    assert resolved == PartialDate.parse(expected)
    assert resolved.precision == PartialDate.parse(expected).precision


@pytest.mark.parametrize("phrase", ["recently", "last week", "next year", "on Funday", "in 20144", ""])
def test_resolve_relative_refuses_to_guess(phrase):
    with pytest.raises(PartialDateError, match="cannot resolve"):
        resolve_relative(phrase, DATELINE)


def test_resolve_relative_needs_a_full_dateline():
    with pytest.raises(PartialDateError, match="dateline must be a full date"):
        resolve_relative("last year", PartialDate(2023))
