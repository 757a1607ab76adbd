"""Generate a synthetic claims file to measure how costs grow with data size.

    python -m benchmarks.generate_claims --records 10000 -o /tmp/claims-10k.json

The records are valid claims (they pass the same validation as real files)
spread over ten years and all 27 of Ukraine's units. They are clearly marked
as synthetic benchmark data: never load them for analysis.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
from pathlib import Path

from dashboard.core.claims import KINDS, PARTIES
from dashboard.core.regions import UA_CODES

FIRST_DAY = dt.date(2013, 1, 1)
DAYS = 3652  # ten years


def generate(records: int, seed: int = 1) -> list[dict]:
    rng = random.Random(seed)
    codes = sorted(UA_CODES)
    parties = sorted(PARTIES)
    out = []
    for i in range(records):
        day = FIRST_DAY + dt.timedelta(days=rng.randrange(DAYS))
        precision = rng.choices(("day", "month", "year"), weights=(8, 1, 1))[0]
        date = {"day": day.isoformat(), "month": day.isoformat()[:7], "year": str(day.year)}[precision]
        kind = rng.choices(KINDS, weights=(8, 1, 1))[0]
        out.append(
            {
                "id": f"synthetic-{i:06d}",
                "kind": kind,
                "date": date,
                "speaker": None if kind == "event" else f"Synthetic speaker {rng.randrange(50)}",
                "parties": rng.sample(parties, rng.randint(1, 2)),
                "regions": rng.sample(codes, rng.randint(1, 4)),
                "quote": None,
                "summary": f"Synthetic benchmark record {i}; not a real claim.",
                "source": {
                    "publisher": "Synthetic benchmark data",
                    "title": f"Generated record {i}",
                    "published": "2023-12-31",
                    "url": None,
                },
            }
        )
    # Annexation events as in the real timeline, so the map's colours change with the dates.
    for i, (date, regions) in enumerate(
        (("2014-03", ["UA-43", "UA-40"]), ("2022-09", ["UA-14", "UA-09", "UA-65", "UA-23"]))
    ):
        out[i].update(
            {
                "kind": "event",
                "date": date,
                "speaker": None,
                "regions": regions,
                "parties": ["russia"],
                "effect": "annexation_declared",
            }
        )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("-o", "--output", type=Path, required=True)
    args = parser.parse_args()
    args.output.write_text(json.dumps(generate(args.records, args.seed)))
    print(args.output)


if __name__ == "__main__":
    main()
