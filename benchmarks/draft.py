"""Drafting speed: `contested-map draft` on a 5,000-word article.

    python -m benchmarks.draft [--runs 5] [--words 5000]

Target: drafting a 5,000-word article <= 1 s on 2 cores. The article is built at run time from
the development articles in ../shared (their bodies, repeated in turn until the text has the
number of words asked for); no article text is stored in the project. Two figures: the drafting
itself (the gazetteers built once, as in one process), median of the runs, and the whole command
in a fresh process (start-up, reading the region layers and the gazetteer, drafting, writing YAML).
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


def build_article(words: int, shared: Path = SHARED) -> str | None:
    """A plain-text article of at least `words` words made of the development articles' bodies."""
    from dashboard.sources.draft import parse_article

    sources = sorted((shared / "articles").glob("*.txt")) + sorted((shared / "seed").glob("*.txt"))
    bodies = [parse_article(p.read_text(encoding="utf-8")).body for p in sources]
    if not bodies:
        return None
    parts: list[str] = []
    count = 0
    while count < words:
        body = bodies[len(parts) % len(bodies)]
        parts.append(body)
        count += len(body.split())
    return "\n\n".join(parts)


def run(runs: int = 5, words: int = 5000) -> dict[str, float]:
    """Seconds: drafting alone (median, and the first run), the whole command (median); {} without
    ../shared."""
    from dashboard.sources.draft import draft_statements, load_speakers, parse_article, region_gazetteer

    text = build_article(words)
    if text is None:
        print(f"  draft: no articles under {SHARED}, skipped", flush=True)
        return {}
    speakers, regions = load_speakers(), region_gazetteer()
    timings, drafted = [], 0
    for _ in range(runs):
        start = time.perf_counter()
        drafted = len(draft_statements(parse_article(text), dt.date(2025, 4, 22), speakers, regions))
        timings.append(time.perf_counter() - start)
    command = []
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "article.txt"
        path.write_text(text, encoding="utf-8")
        for _ in range(max(1, runs // 2)):
            start = time.perf_counter()
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "dashboard",
                    "draft",
                    str(path),
                    "--publisher",
                    "Bench",
                    "--title",
                    "Benchmark",
                    "--published",
                    "2025-04-22",
                    "-o",
                    str(Path(tmp) / "d.yaml"),
                ],
                cwd=REPO,
                check=True,
                capture_output=True,
            )
            command.append(time.perf_counter() - start)
    print(f"  draft: {len(text.split())} words, {drafted} drafts", flush=True)
    # The first run pays for dateparser's first look-ups (later runs reuse its cached phrases).
    return {
        "draft_5000_words_s": statistics.median(timings),
        "draft_5000_words_first_s": timings[0],
        "draft_command_s": statistics.median(command),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.draft", description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--words", type=int, default=5000)
    args = parser.parse_args(argv)
    for name, value in run(args.runs, args.words).items():
        print(f"{name}: {value:.3f} s")


if __name__ == "__main__":
    main()
