"""Region status over time: the rule at the edges of precision windows."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from dashboard.core.dates import PartialDate
from dashboard.core.regions import CONTESTED_CODES, CRIMEA_CODES, FOUR_REGIONS
from dashboard.core.status import Status, status_at, status_during
from dashboard.sources.claims_load import claims_from_records, load_claims
from dashboard.testing import seed_claims
from dashboard.text import CATALOGUES, text_for

U, Q, A = Status.NO_ANNEXATION_DECLARED, Status.UNCERTAIN, Status.ANNEXATION_DECLARED
SOURCES = {"src": {"publisher": "Example News", "title": "A report", "published": "2023-02-28", "url": None}}


def event(id_: str, date: str, regions, **fields) -> dict:
    return {
        "id": id_,
        "kind": "event",
        "date": date,
        "parties": ["russia"],
        "regions": list(regions),
        "summary": "Russia declared the region annexed.",
        "effect": "annexation_declared",
        "source": "src",
        **fields,
    }


@pytest.fixture(scope="module")
def article_only() -> pd.DataFrame:
    """The article's two annexation events, without any enrichment."""
    return claims_from_records(
        [event("crimea-2014", "2014", CRIMEA_CODES), event("four-2022-09", "2022-09", FOUR_REGIONS)], sources=SOURCES
    )


@pytest.fixture(scope="module")
def bundled() -> pd.DataFrame:
    """The seed article's records and their enrichment: the expected values below are worked out on them."""
    return seed_claims()


def statuses(result) -> dict[str, Status]:
    return {code: r.status for code, r in result.items()}


def test_statuses_are_six_and_in_order(bundled):
    assert tuple(status_at(bundled, dt.date(2023, 2, 28))) == CONTESTED_CODES


@pytest.mark.parametrize("enrichment", [True, False])
@pytest.mark.parametrize(
    ("day", "crimea", "four"),
    [
        ("2013-06-01", U, U),
        ("2020-06-01", A, U),
        ("2023-02-28", A, A),
    ],
)
def test_required_dates_on_the_bundled_data(bundled, enrichment, day, crimea, four):
    result = statuses(status_at(bundled, dt.date.fromisoformat(day), enrichment=enrichment))
    assert {result[c] for c in CRIMEA_CODES} == {crimea}
    assert {result[c] for c in FOUR_REGIONS} == {four}


@pytest.mark.parametrize(
    ("day", "crimea", "four"),
    [
        # "2014": uncertain from its first day; certain once the whole year has passed.
        ("2013-12-31", U, U),
        ("2014-01-01", Q, U),
        ("2014-06-15", Q, U),
        ("2014-12-30", Q, U),
        ("2014-12-31", A, U),  # status at the end of the day: the year is over
        ("2015-01-01", A, U),
        # "2022-09" likewise.
        ("2022-08-31", A, U),
        ("2022-09-01", A, Q),
        ("2022-09-15", A, Q),
        ("2022-09-29", A, Q),
        ("2022-09-30", A, A),
        ("2022-10-01", A, A),
    ],
)
def test_precision_window_edges_article_only(article_only, day, crimea, four):
    result = status_at(article_only, dt.date.fromisoformat(day))
    assert {result[c].status for c in CRIMEA_CODES} == {crimea}
    assert {result[c].status for c in FOUR_REGIONS} == {four}


@pytest.mark.parametrize(
    ("day", "crimea", "four"),
    [
        # With the treaty dates (enrichment) the most precise date wins.
        ("2014-01-01", U, U),
        ("2014-03-17", U, U),
        ("2014-03-18", A, U),
        ("2014-06-15", A, U),
        ("2022-09-01", A, U),
        ("2022-09-15", A, U),
        ("2022-09-29", A, U),
        ("2022-09-30", A, A),
        ("2022-10-01", A, A),
    ],
)
def test_enrichment_dates_win(bundled, day, crimea, four):
    result = status_at(bundled, dt.date.fromisoformat(day))
    assert {result[c].status for c in CRIMEA_CODES} == {crimea}
    assert {result[c].status for c in FOUR_REGIONS} == {four}


@pytest.mark.parametrize(("day", "four"), [("2022-09-15", Q), ("2022-09-30", A), ("2022-08-31", U)])
def test_enrichment_can_be_left_out(bundled, day, four):
    result = status_at(bundled, dt.date.fromisoformat(day), enrichment=False)
    assert {result[c].status for c in FOUR_REGIONS} == {four}


def test_decided_by_names_the_records(bundled, article_only):
    result = status_at(bundled, dt.date(2023, 2, 28))
    assert result["UA-43"].decided_by == ("russia-annexes-crimea-2014", "crimea-accession-treaty-2014-03-18")
    assert result["UA-14"].decided_by == (
        "russia-proclaims-annexation-four-regions",
        "four-regions-accession-treaties-2022-09-30",
    )
    assert status_at(article_only, dt.date(2014, 5, 1))["UA-40"].decided_by == ("crimea-2014",)
    assert status_at(article_only, dt.date(2013, 5, 1))["UA-40"].decided_by == ()


def test_only_annexation_events_count(bundled):
    """The decree, referendums and statements never decide a status."""
    result = status_at(bundled, dt.date(2023, 2, 28))
    used = {i for r in result.values() for i in r.decided_by}
    assert used == {
        "russia-annexes-crimea-2014",
        "crimea-accession-treaty-2014-03-18",
        "russia-proclaims-annexation-four-regions",
        "four-regions-accession-treaties-2022-09-30",
    }
    statement = {
        "id": "s",
        "kind": "statement",
        "date": "2014",
        "speaker": "X",
        "parties": ["russia"],
        "regions": ["UA-14"],
        "summary": "X says so.",
        "source": "src",
    }
    frame = claims_from_records([statement], sources=SOURCES)
    assert set(statuses(status_at(frame, dt.date(2020, 1, 1))).values()) == {U}


def test_an_already_effective_event_wins_over_an_uncertain_one():
    frame = claims_from_records(
        [event("first", "2014-03-18", ["UA-43"]), event("again", "2022", ["UA-43"])], sources=SOURCES
    )
    result = status_at(frame, dt.date(2022, 6, 1))["UA-43"]
    assert (result.status, result.decided_by) == (A, ("first",))


def test_date_end_window_counts_to_its_end():
    frame = claims_from_records([event("window", "2022-09", ["UA-14"], date_end="2023-02-28")], sources=SOURCES)
    assert status_at(frame, dt.date(2023, 2, 27))["UA-14"].status == Q
    assert status_at(frame, dt.date(2023, 2, 28))["UA-14"].status == A


def test_a_refinement_for_some_regions_only():
    frame = claims_from_records(
        [
            event("crimea", "2014", CRIMEA_CODES),
            event("ar-crimea", "2014-03-18", ["UA-43"], refines="crimea", enrichment=True),
        ],
        sources=SOURCES,
    )
    result = status_at(frame, dt.date(2014, 6, 1))
    assert (result["UA-43"].status, result["UA-40"].status) == (A, Q)


@pytest.mark.parametrize(
    ("period", "crimea", "four"),
    [
        ("2013", U, U),
        ("2014", Q, U),  # declared during the year
        ("2014-03", Q, U),
        ("2014-04", A, U),
        ("2022", A, Q),
        ("2022-09", A, Q),
        ("2022-10", A, A),
        ("2022-09-30", A, A),
        ("2022-09-29", A, U),
    ],
)
def test_status_during_a_period(bundled, period, crimea, four):
    result = status_during(bundled, PartialDate.parse(period))
    assert {result[c].status for c in CRIMEA_CODES} == {crimea}
    assert {result[c].status for c in FOUR_REGIONS} == {four}


def test_empty_claims_and_bad_input(article_only):
    empty = article_only.subset(article_only.frame.iloc[0:0])
    assert set(statuses(status_at(empty, dt.date(2023, 1, 1))).values()) == {U}
    with pytest.raises(TypeError):
        status_at(article_only, "2023-01-01")  # type: ignore[arg-type]
    assert status_at(article_only, dt.datetime(2015, 1, 1, 12))["UA-43"].status == A


#: Per language: words the "annexation declared" label must hold (who declared it, that it is rejected)
#: and phrases no status may use (a claim stated as fact).
WORDING = {
    "en": (("declared by Russia", "rejected"), ("is part of russia", "russian territory")),
    "uk": (("оголошено Росією", "не визнають"), ("є частиною росії", "російська територія", "територія росії")),
}


@pytest.mark.parametrize("lang", sorted(CATALOGUES))
def test_labels_never_state_a_claim_as_fact(lang):
    words = text_for(lang)
    labels = {s: words.status(s) for s in Status}
    descriptions = {s: words.status_description(s) for s in Status}
    declared = labels[A]
    required, forbidden = WORDING[lang]  # a new language says here how it words a declaration
    assert all(word in declared for word in required), declared
    for text in list(labels.values()) + list(descriptions.values()):
        lowered = text.lower()
        assert not any(phrase in lowered for phrase in forbidden), text
    assert str(A) == "annexation_declared"


@pytest.mark.parametrize(
    ("day", "enrichment", "crimea", "four"),
    [
        # The whole bundled timeline: the seed article, three more articles, public-record events.
        ("2013-06-01", True, U, U),
        ("2014-03-16", True, U, U),  # the referendum in Crimea decides nothing
        ("2014-03-18", True, A, U),
        ("2014-03-18", False, Q, U),  # article records only: "in 2014"
        ("2014-05-12", True, A, U),  # the "people's republics" declarations decide nothing
        ("2020-06-01", False, A, U),
        ("2022-09-27", True, A, U),  # the 2022 referendums decide nothing
        ("2022-09-15", False, A, U),  # NPR's article gives the day, 30 Sep, so "last September" is settled
        ("2022-09-30", False, A, A),
        ("2022-11-11", True, A, A),  # Kherson city retaken: what was declared, not who holds it
        ("2024-06-14", True, A, A),
        ("2025-04-22", False, A, A),
    ],
)
def test_status_on_the_whole_bundled_timeline(day, enrichment, crimea, four):
    result = status_at(load_claims(), dt.date.fromisoformat(day), enrichment=enrichment)
    assert {result[c].status for c in CRIMEA_CODES} == {crimea}
    assert {result[c].status for c in FOUR_REGIONS} == {four}


def test_annexation_events_of_the_whole_bundled_timeline():
    """Only Russia's declarations of annexation carry the effect; NPR's signing refines the seed's."""
    claims = load_claims()
    effect = {c.id for c in claims if c.effect == "annexation_declared"}
    assert effect == {
        "russia-annexes-crimea-2014",
        "crimea-accession-treaty-2014-03-18",
        "russia-proclaims-annexation-four-regions",
        "four-regions-accession-treaties-2022-09-30",
        "npr-putin-signs-accession-treaties-2022-09-30",
    }
    assert status_at(claims, dt.date(2023, 1, 1))["UA-65"].decided_by == (
        "russia-proclaims-annexation-four-regions",
        "four-regions-accession-treaties-2022-09-30",
        "npr-putin-signs-accession-treaties-2022-09-30",
    )
