"""The days `contested-map export` is asked for: --from/--to inside the timeline, a --dates list, or
one per dated event; notes on days past the loaded records."""

from __future__ import annotations

import click

from dashboard.core.dates import PartialDate, PartialDateError
from dashboard.core.events import event_days
from dashboard.text import Text, text_for

__all__ = ["batch_dates", "in_timeline", "listed_dates", "note_past_the_data"]


def in_timeline(day, axis, option: str):
    """Days before the timeline are refused; days after the records show the last known state."""
    if day < axis.first_day:
        raise click.BadParameter(
            f"{day.isoformat()} is before the timeline of the loaded claims, which starts on "
            f"{text_for().day(axis.first_day)}",
            param_hint=option,
        )
    return day


def note_past_the_data(days, axis, text: Text) -> None:
    if any(day > axis.records_end for day in days):
        click.echo(text("cli.note.export_past", end=text.day(axis.records_end)), err=True)


def listed_dates(dates: str, axis, words: Text) -> list:
    """The days of `--dates`, each once, in the order given (a month stands for its last day)."""
    texts = [t.strip() for t in dates.split(",")]
    if not any(texts):
        raise click.BadParameter(
            "no dates given; expected D1,D2,... (YYYY, YYYY-MM or YYYY-MM-DD)", param_hint="--dates"
        )
    first_text: dict = {}
    for text in texts:
        try:
            day = in_timeline(PartialDate.parse(text).end, axis, "--dates")
        except PartialDateError as exc:
            raise click.BadParameter(str(exc), param_hint="--dates") from None
        if day in first_text:
            earlier = first_text[day]
            said = (
                words("cli.export.listed_twice", date=text)
                if earlier == text
                else words("cli.export.same_day", earlier=earlier, date=text)
            )
            click.echo(said, err=True)
            continue
        first_text[day] = text
    return [(day, None) for day in first_text]


def batch_dates(dates: str | None, data, text: Text, enrichment: bool = True) -> list:
    """(day, label) pairs: --dates as listed, or one per event named by its id (with
    --no-enrichment, the article records' events on the days the articles give)."""
    if dates is not None:
        return listed_dates(dates, data.axis, text)
    return event_days(data.claims.filter(enrichment=enrichment))
