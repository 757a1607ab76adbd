"""Write a synthetic claims file (`dashboard.testing.synthetic_claims`) to measure how costs grow
with data size.

    python -m benchmarks.generate_claims --records 10000 -o /tmp/claims-10k.json

The records are valid claims (they pass the same validation as real files)
spread over ten years and all 27 of Ukraine's units. They are clearly marked
as synthetic benchmark data: never load them for analysis.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from dashboard.testing import synthetic_claims


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("-o", "--output", type=Path, required=True)
    args = parser.parse_args()
    args.output.write_text(json.dumps(synthetic_claims(args.records, args.seed)))
    print(args.output)


if __name__ == "__main__":
    main()
