"""What a careful reader finds in each development article: the direct quotations, who said them and
when. Written by reading the articles in ../shared; only the first words of each quotation
are kept, enough to find it (the articles are copyrighted and never copied into the project).

`python tests/draft_expected.py` prints, per article, quotes found / present, speakers right / found and
dates right / found (the figures of the issue's closing note); tests/test_draft_articles.py checks them.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SEED = SHARED / "seed" / "article-2023-02-28.txt"


@dataclass(frozen=True)
class Expected:
    starts: str  # the quotation's first words
    speaker: str | None  # canonical name in dashboard/data/speakers.yaml; None: nobody in the gazetteer
    date: str


ARTICLES: dict[str, tuple[str, list[Expected]]] = {
    "seed/article-2023-02-28.txt": (
        "2023-02-28",
        [
            Expected("territorial realities", "Kremlin", "2023-02-28"),
            Expected("There are certain realities", "Dmitry Peskov", "2023-02-28"),
            Expected("With a favourable state", "Dmitry Peskov", "2023-02-28"),
            Expected("liberate", "Moscow", "2023-02-28"),
        ],
    ),
    "articles/02-npr-2022-09-30-putin-annexes.txt": (
        "2022-09-30",
        [
            Expected("accession treaties", "Vladimir Putin", "2022-09-30"),  # "what he calls"
            Expected("The people made their choice", "Vladimir Putin", "2022-09-30"),
            Expected("And that choice", "Vladimir Putin", "2022-09-30"),
            Expected("I want the authorities", "Vladimir Putin", "2022-09-30"),
            Expected("Forever.", "Vladimir Putin", "2022-09-30"),
            Expected("together forever.", None, "2022-09-30"),  # banners at a rally
        ],
    ),
    "articles/04-kyivindependent-2022-11-11-peskov-kherson.txt": (
        "2022-11-11",
        [
            Expected("Kherson remains Russian", "Dmitry Peskov", "2022-11-11"),
            Expected("Kherson returns to Ukraine", "Defence Intelligence of Ukraine", "2022-11-11"),
            Expected("The retreat routes", "Defence Intelligence of Ukraine", "2022-11-11"),
            Expected("defend", "Vladimir Putin", "2022-09-30"),  # "Back then" = Sept. 30
            Expected("with all means available", "Vladimir Putin", "2022-09-30"),
        ],
    ),
    "articles/05-kyivindependent-2024-06-14-putin-ceasefire-demands.txt": (
        "2024-06-14",
        [
            Expected("very simple", "Vladimir Putin", "2024-06-14"),
            Expected("subjects of the Russian Federation", "Vladimir Putin", "2024-06-14"),  # his demands
            Expected("As soon as they declare in Kyiv", "Vladimir Putin", "2024-06-14"),
            Expected("I repeat, we will do this", "Vladimir Putin", "2024-06-14"),
        ],
    ),
    "articles/06-espreso-2025-04-22-zelenskyy-crimea.txt": (
        "2025-04-22",
        [
            Expected("No discussion needed", "Volodymyr Zelensky", "2025-04-22"),
            Expected("As for the proposals", "Volodymyr Zelensky", "2025-04-22"),
            Expected("deadlock", "Volodymyr Zelensky", "2025-04-22"),
            Expected("Ukraine confirms that it wants", "Volodymyr Zelensky", "2025-04-22"),
            Expected("We supported President Trump", "Volodymyr Zelensky", "2025-04-22"),
        ],
    ),
}


@dataclass(frozen=True)
class Score:
    present: int
    found: int
    speakers_right: int
    dates_right: int
    extra: int  # drafted quotations that are not in the table
    misses: tuple[str, ...]
    wrong: tuple[str, ...]

    def line(self, name: str) -> str:
        return (
            f"{name}: quotes found {self.found}/{self.present}, speakers right {self.speakers_right}/"
            f"{self.found}, dates right {self.dates_right}/{self.found}, other quotations drafted "
            f"{self.extra}"
        )


def draft_article(relative: str):
    from dashboard.sources.draft import load_speakers, parse_article, region_gazetteer
    from dashboard.sources.draft.drafter import draft_statements

    dateline, _ = ARTICLES[relative]
    text = (SHARED / relative).read_text(encoding="utf-8")
    article = parse_article(text)
    return article, draft_statements(article, dt.date.fromisoformat(dateline), load_speakers(), region_gazetteer())


def score(relative: str) -> Score:
    _, drafts = draft_article(relative)
    expected = ARTICLES[relative][1]
    quoted = [d for d in drafts if d.quote is not None]
    used: set[int] = set()
    found = speakers = dates = 0
    misses, wrong = [], []
    for item in expected:
        match = next((i for i, d in enumerate(quoted) if d.quote.startswith(item.starts)), None)
        if match is None:
            misses.append(item.starts)
            continue
        # a long quotation drafted in parts: its later parts belong to the same item
        used.update(
            i
            for i, d in enumerate(quoted)
            if d.evidence[0] >= quoted[match].evidence[0]
            and d.speaker == quoted[match].speaker
            and d.paragraph == quoted[match].paragraph
        )
        draft = quoted[match]
        found += 1
        speakers += draft.speaker == item.speaker
        dates += draft.date.isoformat() == item.date
        if draft.speaker != item.speaker or draft.date.isoformat() != item.date:
            wrong.append(f"{item.starts}: {draft.speaker} {draft.date} (expected {item.speaker} {item.date})")
    return Score(len(expected), found, speakers, dates, len(quoted) - len(used), tuple(misses), tuple(wrong))


def main() -> int:
    if not SHARED.is_dir():
        print(f"development articles not present: {SHARED}", file=sys.stderr)
        return 1
    os.chdir(REPO)
    for relative in ARTICLES:
        result = score(relative)
        print(result.line(relative))
        for text in result.misses:
            print(f"  missed: {text}")
        for text in result.wrong:
            print(f"  wrong: {text}")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(REPO))
    sys.exit(main())
