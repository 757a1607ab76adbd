"""A YAML document's work is bounded while it is built.

The per-mapping key cap did not bound the document: 20,000 lines of
`- <<: *a` merging one 999-key mapping (190 KB) took 26 s and 1.9 GB. Now the
loader counts the nodes it composes and the keys it merges per document, and
refuses past the budget with one line naming the file and the limit.

Each hostile file is loaded in a child process with an address-space limit,
so a regression fails the test instead of exhausting the shared machine; the
child reports the time and tracemalloc's peak. The time bound is a safety
net, not a benchmark.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from dashboard.core.errors import DataError
from dashboard.sources import claims_yaml
from dashboard.sources.claims_load import BUNDLED_CLAIMS, load_claims
from dashboard.sources.claims_read import MAX_DOCUMENT_NODES, MAX_MERGED_KEYS

REPO = Path(__file__).resolve().parents[1]
MAX_SECONDS = 5.0
MAX_PEAK = 200 * 1024 * 1024

_CHILD = textwrap.dedent("""
    import json, resource, sys, time, tracemalloc
    resource.setrlimit(resource.RLIMIT_AS, (3 << 30, 3 << 30))
    from pathlib import Path
    from dashboard.sources.claims_load import load_claims
    from dashboard.core.errors import DataError
    tracemalloc.start()
    started = time.perf_counter()
    try:
        load_claims([Path(sys.argv[1])])
        message = None
    except DataError as exc:
        message = str(exc)
    except MemoryError:
        message = "MemoryError"
    seconds = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1]
    print(json.dumps({"message": message, "seconds": seconds, "peak": peak}))
""")


def load_in_child(path: Path) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, str(path)], cwd=REPO, check=False, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout)


def _anchor(keys: int = 999) -> str:
    return "- &a {" + ", ".join(f"k{i}: {i}" for i in range(keys)) + "}\n"


def merge_lines(lines: int) -> str:
    """The issue's shape: one 999-key mapping, then `lines` items merging it."""
    return _anchor() + "- <<: *a\n" * lines


def assert_refused_fast(path: Path, *fragments: str) -> str:
    outcome = load_in_child(path)
    message = outcome["message"]
    assert message is not None and message.startswith(f"{path}: "), message
    assert "\n" not in message, message
    for fragment in fragments:
        assert fragment in message, message
    assert outcome["seconds"] < MAX_SECONDS, outcome
    assert outcome["peak"] < MAX_PEAK, outcome
    return message


def test_the_issues_190_kb_merge_file_is_refused_fast(tmp_path):
    path = tmp_path / "claims.yaml"
    path.write_text(merge_lines(20_000), encoding="utf-8")
    assert 150_000 < path.stat().st_size < 250_000
    message = assert_refused_fast(path, f"{MAX_MERGED_KEYS:,} keys", "merge keys (<<)", "line ")
    assert "write the records out" in message


@pytest.mark.slow
def test_the_issues_1_4_mb_merge_file_is_refused_fast(tmp_path):
    path = tmp_path / "claims.yaml"
    path.write_text(merge_lines(155_000), encoding="utf-8")
    assert 1_300_000 < path.stat().st_size < 1_500_000
    assert_refused_fast(path, f"{MAX_MERGED_KEYS:,} keys")


@pytest.mark.slow
def test_merging_a_long_list_of_aliases_is_refused_fast(tmp_path):
    """`<<: [*a, *a, ...]`: PyYAML 6.0.4 de-duplicates the keys, but still walks every pair."""
    path = tmp_path / "claims.yaml"
    path.write_text(_anchor() + "- <<: [" + ", ".join(["*a"] * 2_000) + "]\n", encoding="utf-8")
    assert_refused_fast(path, f"{MAX_MERGED_KEYS:,} keys")


def test_a_document_of_too_many_nodes_is_refused_while_it_is_read(tmp_path, monkeypatch):
    """The node budget, lowered so the test does not wait for PyYAML to parse 200,000 nodes."""
    assert MAX_DOCUMENT_NODES >= 100_000  # a 2 MB file of real records (about 28 bytes a node) fits
    monkeypatch.setattr(claims_yaml, "MAX_DOCUMENT_NODES", 5_000)
    path = tmp_path / "claims.yaml"
    path.write_text("records:\n" + "- 1\n" * 20_000, encoding="utf-8")
    with pytest.raises(DataError) as excinfo:
        load_claims([path])
    message = str(excinfo.value)
    assert message.startswith(f"{path}: the document has more than 5,000 values"), message
    assert "convert it to JSON" in message and "(at line 4999)" in message


def test_the_bundled_claims_and_ordinary_anchors_still_load(tmp_path):
    assert len(load_claims([BUNDLED_CLAIMS])) >= 17
    records = "".join(f"  - <<: *base\n    id: claim-{i}\n    summary: Claim {i}.\n" for i in range(300))
    path = tmp_path / "anchors.yaml"
    path.write_text(
        "sources:\n  src: {publisher: P, title: T, published: '2023-02-28', url: null}\n"
        "records:\n  - &base {id: base, kind: statement, date: '2023-02-28', speaker: &who Someone, "
        "parties: [russia], regions: &where [UA-14], summary: Base., source: src}\n"
        + records
        + "  - {id: last, kind: statement, date: '2023', speaker: *who, parties: [ukraine], "
        "regions: *where, summary: Last., source: src}\n",
        encoding="utf-8",
    )
    claims = load_claims([path])
    assert len(claims) == 302 and set(claims.frame["speaker"]) == {"Someone"}


@pytest.mark.parametrize("shape", ["nested", "list"])
def test_merges_still_mean_what_they_meant(tmp_path, shape):
    """Precedence is PyYAML's: own keys win, then the first mapping merged."""
    if shape == "nested":
        text = "- &a {x: 1, y: 1}\n- &b {<<: *a, y: 2, z: 2}\n- {<<: *b, z: 3}\n"
        expected = {"x": 1, "y": 2, "z": 3}
    else:
        text = "- &a {x: 1, y: 1}\n- &b {y: 2, z: 2}\n- {<<: [*b, *a], w: 0}\n"
        expected = {"x": 1, "y": 2, "z": 2, "w": 0}
    from dashboard.sources.claims_yaml import _yaml_document

    assert dict(_yaml_document(text).data[-1]) == expected
