"""Hostile claims files: clear errors, bounded memory and time, no traceback.

Every bad file must end in a DataError whose message names the file (and,
where there is one, the record, line and field) on one line; loading must
not read a huge file into memory or expand a YAML bomb; and the CLI prints
one line and exits non-zero. Text that looks like HTML is data: it loads as
it is (test_browser_hostile.py checks that the page shows it as text).
"""

from __future__ import annotations

import codecs
import json
import os
import subprocess
import sys
import tempfile
import tracemalloc
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboard.cli import cli
from dashboard.core.claims import EXPORT_KEYS
from dashboard.core.errors import DataError
from dashboard.sources.claims_load import MAX_FILE_BYTES, MAX_NESTING, MAX_YAML_BYTES, claims_from_records, load_claims
from dashboard.sources.claims_schema import MAX_ERRORS_REPORTED, ClaimsValidationError
from dashboard.sources.claims_write import records_to_json_rows

REPO = Path(__file__).resolve().parents[1]
#: Examples per property; FUZZ_EXAMPLES=5000 for a long hunt.
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "150"))
SOURCE = {"publisher": "Example News", "title": "A report", "published": "2023-02-28", "url": None}
SCRIPT = "<script>window.__pwned=1</script>"
IMG = '<img src=x onerror="window.__pwned=1">'


def record(**fields: Any) -> dict:
    base = {
        "id": "peskov-x",
        "kind": "statement",
        "date": "2023-02-28",
        "speaker": "Dmitry Peskov",
        "parties": ["russia"],
        "regions": ["UA-14"],
        "quote": None,
        "summary": "Peskov says Russia will keep its claims.",
        "source": dict(SOURCE),
    }
    base.update(fields)
    return base


def write(directory: Path, name: str, content: str | bytes) -> Path:
    path = directory / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def load_error(path: Path) -> str:
    """The first line of the message loading `path` fails with; it must name the file.

    A file with several invalid records lists up to 20 of them:
    the first line stands alone, the others follow one per line, indented.
    """
    with pytest.raises(DataError) as excinfo:
        load_claims([path])
    lines = str(excinfo.value).split("\n")
    assert lines[0].startswith(f"{path}: "), lines[0]
    assert len(lines) == 1 or isinstance(excinfo.value, ClaimsValidationError)
    assert len(lines) <= 21 and all(line.startswith("  ") for line in lines[1:]), lines
    assert not any("\r" in line or len(line) >= 1000 for line in lines), lines[0][:300]
    return lines[0]


def peak_memory(function) -> int:
    """Peak bytes Python allocated while `function` ran."""
    tracemalloc.start()
    try:
        function()
    except DataError:
        pass
    finally:
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return peak


# ---------------------------------------------------------------------------
# Formats and encodings


def test_csv_is_refused_with_the_accepted_formats(tmp_path):
    path = write(tmp_path, "claims.csv", "id,kind,date\npeskov-x,statement,2023-02-28\n")
    message = load_error(path)
    assert "expected a .yaml, .yml or .json claims file" in message
    assert "CSV" in message and "--format json" in message


@pytest.mark.parametrize("name", ["claims", "claims.txt", "claims.yaml.exe", "claims.xml"])
def test_other_suffixes_are_refused(tmp_path, name):
    assert "expected a .yaml, .yml or .json claims file" in load_error(write(tmp_path, name, "[]"))


@pytest.mark.parametrize("suffix", [".yaml", ".json"])
def test_latin1_bytes_are_named_with_line_and_column(tmp_path, suffix):
    text = json.dumps([record(summary="Peskov says caf\u00e9.")], indent=1, ensure_ascii=False)
    message = load_error(write(tmp_path, "claims" + suffix, text.encode("latin-1")))
    line = text.splitlines().index(next(row for row in text.splitlines() if "caf" in row)) + 1
    assert "not UTF-8 text: byte 0xe9" in message and f"line {line}," in message
    assert "save the file as UTF-8" in message


@pytest.mark.parametrize(
    "encoding, named",
    [
        ("utf-16", "UTF-16"),
        ("utf-32", "UTF-32"),
        ("utf-16-le", "NUL bytes"),
        ("utf-16-be", "NUL bytes"),
    ],
)
@pytest.mark.parametrize("suffix", [".yaml", ".json"])
def test_utf16_and_utf32_files_say_what_they_are(tmp_path, encoding, named, suffix):
    content = json.dumps([record()]).encode(encoding)
    message = load_error(write(tmp_path, "claims" + suffix, content))
    assert "not UTF-8 text" in message and named in message and "UTF-8" in message


@pytest.mark.parametrize("suffix", [".yaml", ".json"])
def test_a_utf8_byte_order_mark_is_fine(tmp_path, suffix):
    content = codecs.BOM_UTF8 + json.dumps([record(summary="Крим: «цитата» — ok.")], ensure_ascii=False).encode("utf-8")
    claims = load_claims([write(tmp_path, "claims" + suffix, content)])
    assert claims.frame["summary"].tolist() == ["Крим: «цитата» — ok."]


def test_windows_1252_smart_quotes(tmp_path):
    content = json.dumps([record(quote="\u201cWe will never give up\u201d")], ensure_ascii=False)
    assert "not UTF-8 text" in load_error(write(tmp_path, "claims.json", content.encode("cp1252")))


# ---------------------------------------------------------------------------
# Size: refused before reading, so memory stays flat


def _fill(path: Path, size: int, unit: str) -> Path:
    with path.open("w", encoding="utf-8") as handle:
        handle.write("records:\n" if path.suffix == ".yaml" else "[\n")
        written = 0
        while written < size:
            written += handle.write(unit)
    return path


RECORD_YAML = (
    "  - {id: r, kind: statement, date: '2023-02-28', speaker: S, parties: [russia], "
    "regions: [UA-14], summary: Something was said., source: {publisher: P, title: T, "
    "published: '2023-02-28'}}\n"
)


@pytest.mark.parametrize("suffix", [".yaml", ".json"])
def test_a_50_mb_file_is_refused_without_reading_it(tmp_path, suffix):
    unit = RECORD_YAML if suffix == ".yaml" else json.dumps(record()) + ",\n"
    path = _fill(tmp_path / ("huge" + suffix), 50 * 1024 * 1024, unit)
    assert path.stat().st_size > 50 * 1024 * 1024
    message = load_error(path)
    assert f"claims file is {path.stat().st_size / 1e6:.1f} MB; the limit is {MAX_FILE_BYTES / 1e6:.0f} MB" in message
    assert peak_memory(lambda: load_claims([path])) < 1024 * 1024  # the 50 MB never enter memory


def test_a_large_yaml_file_is_refused_and_json_suggested(tmp_path):
    path = _fill(tmp_path / "big.yaml", MAX_YAML_BYTES + 1024, RECORD_YAML)
    message = load_error(path)
    assert "the limit for YAML is" in message and "convert it to JSON" in message
    assert peak_memory(lambda: load_claims([path])) < 1024 * 1024


@pytest.mark.slow
def test_memory_for_a_2_mb_json_file_stays_proportionate(tmp_path):
    rows = [record(id=f"r-{i}", quote=f"Quote number {i}.") for i in range(6000)]
    path = write(tmp_path, "many.json", json.dumps(rows))
    size = path.stat().st_size
    peak = peak_memory(lambda: load_claims([path]))
    assert peak < 60 * size, f"{peak / 1e6:.0f} MB peak for a {size / 1e6:.1f} MB file"


# ---------------------------------------------------------------------------
# Nesting and bombs


@pytest.mark.parametrize(
    "name, content",
    [
        ("flow.yaml", "[" * 100_000 + "]" * 100_000),
        ("flow-maps.yaml", "{a: " * 100_000 + "1" + "}" * 100_000),
        ("block.yaml", "- " * 100_000 + "x\n"),
        ("block-maps.yaml", "".join(" " * i + "a:\n" for i in range(MAX_NESTING + 5)) + " " * 60 + "b\n"),
        ("inside-a-record.yaml", "records:\n  - id: x\n    quote: " + "[" * 5000 + "]" * 5000 + "\n"),
        ("lists.json", "[" * 100_000 + "]" * 100_000),
        ("objects.json", '{"a":' * 100_000 + "1" + "}" * 100_000),
    ],
)
def test_deep_nesting_is_a_clean_error(tmp_path, name, content):
    assert "nested too deeply to be a claims file" in load_error(write(tmp_path, name, content))


def _laughs(levels: int = 9) -> str:
    """Billion laughs: 9 aliases of 9 aliases ... of 'lol'."""
    lines = ["  - &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for level in range(1, levels + 1):
        lines.append(f"  - &l{level} [" + ", ".join([f"*l{level - 1}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def test_billion_laughs_as_records(tmp_path):
    path = write(tmp_path, "laughs.yaml", "records:\n" + _laughs())
    message = load_error(path)
    assert "record #1 (line 2): expected a mapping of fields" in message
    assert peak_memory(lambda: load_claims([path])) < 5 * 1024 * 1024


def test_billion_laughs_as_field_values(tmp_path):
    anchors = "\n".join(f"x{level}: &l{level} [" + ", ".join([f"*l{level - 1}"] * 9) + "]" for level in range(1, 10))
    content = (
        "sources: {}\n_: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + anchors + "\n"
        "records:\n  - {id: x, kind: statement, date: '2023', speaker: *l9, parties: *l9, "
        "regions: *l9, summary: *l9, quote: *l9, about: *l9, source: *l9}\n"
    )
    path = write(tmp_path, "laughs.yaml", content)
    message = load_error(path)  # the unknown top-level keys are reported first; it is still quick
    assert "unknown top-level key(s)" in message
    inline = write(tmp_path, "inline.yaml", "records:\n" + _laughs(8).replace("  - &l8", "  - summary: &l8"))
    assert "expected a mapping of fields" in load_error(inline)
    fields = write(
        tmp_path,
        "fields.yaml",
        "records:\n" + _laughs(8) + "  - {id: x, kind: statement, "
        "date: '2023', speaker: *l8, parties: *l8, regions: *l8, summary: *l8, quote: *l8, "
        "about: *l8, source: *l8}\n",
    )
    with pytest.raises(ClaimsValidationError) as excinfo:
        load_claims([fields])
    assert any("record 'x'" in e and "field 'summary'" in e for e in excinfo.value.errors)
    assert all(len(e) < 1000 for e in excinfo.value.errors)
    assert peak_memory(lambda: load_claims([fields])) < 5 * 1024 * 1024
    # Mappings around the bomb, in every field that prints what it got.
    mappings = write(
        tmp_path,
        "mappings.yaml",
        "records:\n" + _laughs(8) + "  - {id: x, kind: statement, "
        "date: {a: *l8, b: [*l8]}, date_end: {a: *l8}, speaker: {a: *l8}, parties: [{a: *l8}], "
        "regions: [russia, {a: *l8}], summary: {k: {j: *l8}}, about: [{a: *l8}], "
        "source: {publisher: {a: *l8}, title: T, published: {a: *l8}}}\n",
    )
    with pytest.raises(ClaimsValidationError) as excinfo:
        load_claims([mappings])
    assert len([e for e in excinfo.value.errors if "record 'x'" in e]) >= 8
    assert all(len(e) < 1000 for e in excinfo.value.errors)


def test_merge_key_bomb(tmp_path):
    lines = ["records:", "  - &m0 {a1: 1, a2: 2, a3: 3, a4: 4, a5: 5, a6: 6, a7: 7, a8: 8, a9: 9}"]
    for level in range(1, 10):
        lines.append(f"  - &m{level} {{<<: [" + ", ".join([f"*m{level - 1}"] * 9) + f"], k{level}: 1}}")
    message = load_error(write(tmp_path, "merge.yaml", "\n".join(lines) + "\n"))
    # The loader expands merge keys itself (whatever PyYAML's version does) and charges every
    # copied key to the document's budget: stopped while the file is read.
    assert "more than 200,000 keys through YAML aliases and merge keys (<<)" in message and "line " in message


def test_recursive_alias(tmp_path):
    message = load_error(write(tmp_path, "loop.yaml", "records: &a [*a]\n"))
    assert "record #1 (line 1): expected a mapping of fields, got [[" in message


# ---------------------------------------------------------------------------
# Duplicates: ids, keys in a record, sources, top-level keys


def test_duplicate_ids(tmp_path):
    path = write(tmp_path, "dup.json", json.dumps([record(), record(summary="Again.")]))
    with pytest.raises(ClaimsValidationError) as excinfo:
        load_claims([path])
    assert str(excinfo.value).startswith(f"{path}: record 'peskov-x' (#2): field 'id': duplicate id 'peskov-x'")


def test_a_key_given_twice_in_a_yaml_record_is_named(tmp_path):
    content = (
        "records:\n  - id: peskov-x\n    kind: statement\n    date: '2023-02-28'\n    speaker: S\n"
        "    parties: [russia]\n    regions: [UA-14]\n    summary: First.\n    summary: Second.\n"
        "    source: {publisher: P, title: T, published: '2023-02-28'}\n"
    )
    path = write(tmp_path, "dup-key.yaml", content)
    with pytest.raises(ClaimsValidationError) as excinfo:
        load_claims([path])
    assert str(excinfo.value) == (
        f"{path}: record 'peskov-x' (line 9): field 'summary': given more than "
        "once (only the last would count); keep one"
    )


def test_a_key_given_twice_in_a_json_record_is_named(tmp_path):
    body = json.dumps(record())[:-1] + ', "summary": "Second."}'
    path = write(tmp_path, "dup-key.json", "[" + body + "]")
    with pytest.raises(ClaimsValidationError) as excinfo:
        load_claims([path])
    assert str(excinfo.value).startswith(f"{path}: record 'peskov-x' (line 1): field 'summary': given more than once")


def test_a_source_defined_twice(tmp_path):
    content = (
        "sources:\n  src: {publisher: P, title: T, published: '2023-02-28'}\n"
        "  src: {publisher: Q, title: T, published: '2023-02-28'}\nrecords: []\n"
    )
    path = write(tmp_path, "dup-source.yaml", content)
    assert load_error(path) == f"{path}: source 'src' (line 3): defined more than once; keep one"


def test_top_level_key_twice(tmp_path):
    path = write(tmp_path, "dup-top.yaml", "records: []\nrecords: []\n")
    assert load_error(path) == f"{path}: top-level key(s) given more than once: 'records'"


# ---------------------------------------------------------------------------
# Values YAML or JSON cannot turn into Python cleanly


@pytest.mark.parametrize(
    "value, expected",
    [
        ("2022-02-30", "field 'date': expected a real calendar date, got '2022-02-30'"),
        ("0000-01-01", "field 'date': expected a real calendar date, got '0000-01-01'"),
        ("2022-01-01 25:00:00", "field 'date': expected YYYY, YYYY-MM or YYYY-MM-DD, got '2022-01-01 25:00:00'"),
        ("'0001'", "field 'date': expected a year from 1000 to 2999, got '0001'"),
        ("'9999-12-31'", "field 'date': expected a year from 1000 to 2999, got '9999-12-31'"),
    ],
)
def test_unquoted_yaml_dates_that_are_not_dates(tmp_path, value, expected):
    content = (
        f"records:\n  - id: x\n    kind: statement\n    date: {value}\n    speaker: S\n"
        "    parties: [russia]\n    regions: [UA-14]\n    summary: S.\n"
        "    source: {publisher: P, title: T, published: '2023-02-28'}\n"
    )
    message = load_error(write(tmp_path, "dates.yaml", content))
    assert f"record 'x' (line 4): {expected}" in message


@pytest.mark.parametrize(
    "name, content, expected",
    [
        ("long.yaml", "records: [" + "9" * 5000 + "]", "at line 1, column 11: a number with 5000 characters"),
        ("long.json", "[" + "9" * 5000 + "]", "invalid JSON: a number with 5000 characters"),
        ("nan.json", '[{"id": NaN}]', "invalid JSON: NaN is not valid JSON"),
        ("inf.json", '[{"id": -Infinity}]', "invalid JSON: -Infinity is not valid JSON"),
        ("float.yaml", "records: [!!float abc]", "at line 1, column 11: cannot read 'abc' as float"),
        ("int.yaml", "records: [!!int abc]", "at line 1, column 11: cannot read 'abc' as int"),
        ("stamp.yaml", "records: [!!timestamp abc]", "record #1 (line 1): expected a mapping of fields, got 'abc'"),
        ("python.yaml", "records: !!python/object/apply:os.system ['echo pwned']", "could not determine a constructor"),
        ("nul.yaml", "records: []\n\x00", "not UTF-8 text: it contains NUL bytes"),
        ("control.yaml", "records: []\n\x07", "invalid YAML at line 2: character '\\x07' is not allowed"),
        ("two-docs.yaml", "records: []\n---\nrecords: []\n", "but found another document"),
        ("empty.json", "", "invalid JSON at line 1, column 1"),
    ],
)
def test_values_the_parsers_reject(tmp_path, name, content, expected):
    assert expected in load_error(write(tmp_path, name, content))


# ---------------------------------------------------------------------------
# Hostile text: HTML loads as data; control characters and strange keys do not reach the terminal


def test_html_in_quotes_and_summaries_loads_verbatim(tmp_path):
    rows = [
        record(
            quote=f"We say {SCRIPT} and {IMG}.",
            summary=f"Peskov says {SCRIPT}.",
            speaker='Dmitry "<b>" Peskov',
            source={**SOURCE, "publisher": IMG, "url": "https://example.org/?q=<script>"},
        )
    ]
    claims = load_claims([write(tmp_path, "html.json", json.dumps(rows))])
    row = records_to_json_rows(claims)[0]
    assert row["quote"] == f"We say {SCRIPT} and {IMG}." and row["summary"] == f"Peskov says {SCRIPT}."
    assert row["source"]["publisher"] == IMG


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JAVASCRIPT:alert(1)",
        "data:text/html,<script>x</script>",
        "file:///etc/passwd",
        "//evil.example/x",
        " https://ok.example",
    ],
)
def test_only_web_links(url):
    with pytest.raises(ClaimsValidationError, match="field 'url': expected an http:// or https:// address"):
        claims_from_records([record(source={**SOURCE, "url": url})])


@pytest.mark.parametrize("text", ["Peskov\x1b[2J says", "nul\x00byte", "bell\x07", "lone \ud800 surrogate", "del\x7f"])
def test_control_characters_and_lone_surrogates_in_text(text):
    with pytest.raises(ClaimsValidationError) as excinfo:
        claims_from_records([record(summary=text)])
    message = str(excinfo.value)
    assert "field 'summary': expected text without control characters" in message
    assert not any(ch in message for ch in "\x00\x07\x1b\x7f")
    message.encode("utf-8")  # printable on any terminal


@pytest.mark.parametrize("key", ["\x1b[31mred", "a\nb", "x" * 10_000, "\u202eevil", "<script>"])
def test_strange_field_names_are_shown_escaped_and_short(key):
    with pytest.raises(ClaimsValidationError) as excinfo:
        claims_from_records([{**record(), key: 1}])
    message = str(excinfo.value)
    assert "unknown field" in message and "\n" not in message and "\x1b" not in message
    assert "\u202e" not in message and len(message) < 1000


def test_errors_are_capped(tmp_path):
    path = write(tmp_path, "many.json", json.dumps([{"id": f"r-{i}", "junk": 1} for i in range(20_000)]))
    with pytest.raises(ClaimsValidationError) as excinfo:
        load_claims([path])
    assert len(excinfo.value.errors) <= MAX_ERRORS_REPORTED + 20
    wide = write(tmp_path, "wide.json", json.dumps([{**record(), **{f"k{i}": i for i in range(50_000)}}]))
    with pytest.raises(ClaimsValidationError) as excinfo:
        load_claims([wide])
    assert len(excinfo.value.errors) <= MAX_ERRORS_REPORTED + 20


def test_huge_lists_of_valid_values(tmp_path):
    path = write(tmp_path, "regions.json", json.dumps([record(regions=["UA-14"] * 200_000)]))
    message = load_error(path)
    assert "field 'regions': duplicate item(s): UA-14" in message


# ---------------------------------------------------------------------------
# Property: any record, any file: loaded, or a DataError naming the file; nothing else


def _shared_bomb(levels: int = 8) -> list:
    """A billion laughs in memory: 9**levels items reachable, a few hundred objects stored."""
    bomb: list = ["lol"] * 9
    for _ in range(levels):
        bomb = [bomb] * 9
    return bomb


BOMB = _shared_bomb()
BOMBS = st.sampled_from([BOMB, {"a": BOMB}, [{"a": BOMB}], ["UA-14", BOMB]])  # YAML writes them as aliases
HOSTILE = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.text(max_size=30),
    st.sampled_from(
        [
            SCRIPT,
            IMG,
            "",
            " ",
            "2023-02-30",
            "0000-00-00",
            "99999",
            "UA-99",
            "russia",
            "src",
            "x" * 400,
            "\x1b[2J",
            "last September",
            "yesterday",
            "https://example.org",
            "javascript:alert(1)",
            "2023",
            "2022-09",
            "annexation_declared",
            "event",
        ]
    ),
    st.dates(),
    st.lists(st.sampled_from(["UA-14", "UA-43", "russia", "ukraine", "2022", 1, None]), max_size=4),
    st.dictionaries(
        st.sampled_from(["publisher", "title", "published", "url", "junk"]),
        st.one_of(st.text(max_size=10), st.sampled_from(["2023-02-28", "P"]), st.none()),
        max_size=5,
    ),
)


@st.composite
def mutated_records(draw, bombs: bool = True) -> list[Any]:
    """A valid record with a few fields dropped or replaced, and maybe more items.

    `bombs`: shared structures that are small in memory and in YAML (aliases)
    but enormous when expanded, as JSON would.
    """
    values = st.one_of(HOSTILE, BOMBS) if bombs else HOSTILE
    base = record()
    for key in draw(st.lists(st.sampled_from([*list(EXPORT_KEYS), "junk"]), max_size=4, unique=True)):
        if draw(st.booleans()) and key in base:
            del base[key]
        else:
            base[key] = draw(values)
    others = draw(st.lists(st.one_of(values, st.just(record(id="other-record"))), max_size=2))
    return [base, *others]


def _check_outcome(load, origin: str) -> None:
    try:
        claims = load()
    except DataError as exc:
        errors = getattr(exc, "errors", (str(exc),))
        for message in errors:
            assert message.startswith(f"{origin}: "), message
            assert "\n" not in message and len(message) < 1000, message[:300]
    else:
        assert list(claims.frame.columns[: len(EXPORT_KEYS)]) == list(EXPORT_KEYS)


@pytest.mark.slow
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(records=mutated_records())
def test_any_record_validates_or_fails_cleanly(records):
    _check_outcome(lambda: claims_from_records(records, origin="<fuzz>"), "<fuzz>")


@pytest.mark.slow
@settings(max_examples=EXAMPLES // 2, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), as_yaml=st.booleans())
def test_any_file_loads_or_fails_cleanly(data, as_yaml):
    records = data.draw(mutated_records(bombs=as_yaml))
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / ("claims.yaml" if as_yaml else "claims.json")
        if as_yaml:
            path.write_text(yaml.safe_dump({"records": records}, allow_unicode=True), encoding="utf-8")
        else:
            path.write_text(json.dumps(records, default=str), encoding="utf-8")
        _check_outcome(lambda: load_claims([path]), str(path))


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    content=st.one_of(st.text(max_size=300), st.binary(max_size=300).map(lambda b: b.decode("latin-1"))),
    suffix=st.sampled_from([".yaml", ".json"]),
)
def test_any_text_loads_or_fails_cleanly(content, suffix):
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / ("claims" + suffix)
        path.write_text(content, encoding="utf-8", errors="surrogatepass")
        _check_outcome(lambda: load_claims([path]), str(path))


# ---------------------------------------------------------------------------
# Through the command line: one line, non-zero exit, no traceback


HOSTILE_FILES = {
    "claims.csv": "id,kind\nx,statement\n",
    "latin.yaml": "records: ['caf\u00e9']".encode("latin-1"),
    "utf16.json": "[]".encode("utf-16"),
    "deep.yaml": "[" * 100_000 + "]" * 100_000,
    "deep.json": "[" * 100_000 + "]" * 100_000,
    "laughs.yaml": "records:\n" + _laughs(),
    "dup.json": json.dumps([record(), record()]),
    "date.yaml": "records: [{id: x, date: 2022-02-30}]",
    "long-number.json": "[" + "1" * 5000 + "]",
    "control.json": json.dumps([record(summary="\x1b[2J\x1b[31mred")]),
}


def _one_line_error(returncode: int, stdout: str, stderr: str, path: Path) -> None:
    assert returncode == 1, stderr
    assert stdout == ""
    assert "Traceback" not in stderr
    lines = stderr.strip().splitlines()
    assert 1 <= len(lines) <= 21, stderr  # one error line, then up to 20 more problems indented
    assert lines[0].startswith(f"contested-map: error: {path}: ")
    assert all(line.startswith((f"  {path}: ", "  … and ")) for line in lines[1:]), stderr
    assert "\x1b" not in stderr


@pytest.mark.parametrize("name", sorted(HOSTILE_FILES))
@pytest.mark.parametrize("command", [["statements"], ["status", "--date", "2023"]])
def test_cli_gives_one_line(tmp_path, name, command):
    path = write(tmp_path, name, HOSTILE_FILES[name])
    result = CliRunner().invoke(cli, [*command, "--no-bundled", "--claims", str(path)], prog_name="contested-map")
    _one_line_error(result.exit_code, result.stdout, result.stderr, path)


@pytest.mark.slow
@pytest.mark.parametrize("name", ["deep.yaml", "huge.json"])
def test_python_m_dashboard_gives_one_line(tmp_path, name):
    path = tmp_path / name
    if name == "huge.json":
        _fill(path, 50 * 1024 * 1024, json.dumps(record()) + ",\n")
    else:
        write(tmp_path, name, HOSTILE_FILES[name])
    done = subprocess.run(
        [sys.executable, "-m", "dashboard", "statements", "--no-bundled", "--claims", str(path)],
        cwd=REPO,
        check=False,
        capture_output=True,
        text=True,
        timeout=120,
    )
    _one_line_error(done.returncode, done.stdout, done.stderr, path)


@pytest.mark.slow
def test_serve_with_a_hostile_file_fails_in_one_line_before_listening(tmp_path):
    from conftest import free_port

    path = write(tmp_path, "laughs.yaml", "records:\n" + _laughs())
    done = subprocess.run(
        [sys.executable, "-m", "dashboard", "serve", "--port", str(free_port()), "--no-bundled", "--claims", str(path)],
        cwd=REPO,
        check=False,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1 and "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert any(line.startswith(f"contested-map: error: {path}: record #1") for line in lines), done.stderr


# ---------------------------------------------------------------------------
# Whatever the loader accepts, the dashboard must show


@pytest.mark.slow
@pytest.mark.parametrize("date, published", [("1654-01-18", "2023-02-28"), ("2300", "2300-12-31")])
def test_the_statements_panel_shows_records_from_any_accepted_year(tmp_path, date, published):
    from dash_client import STATEMENTS_INPUTS, STATEMENTS_STATE, call, find_props

    from dashboard.web.app import Settings, create_app
    from dashboard.web.ids import Ids

    path = write(
        tmp_path,
        "years.json",
        json.dumps([record(id="far-away", date=date, source={**SOURCE, "published": published})]),
    )
    client = create_app(Settings(claims_paths=[path])).server.test_client()
    response = call(
        client,
        [(Ids.STATEMENTS, "children"), (Ids.STATEMENT_COUNT, "children")],
        [
            (Ids.DATES, "value", [0, 10**6]),
            (Ids.REGIONS, "value", []),
            (Ids.PARTIES, "value", []),
            (Ids.ARTICLE_ONLY, "value", []),
            *STATEMENTS_INPUTS,
        ],
        state=[(Ids.SELECTED, "data", None), *STATEMENTS_STATE],
    )
    assert response.status_code == 200
    assert find_props(response.json["response"][str(Ids.STATEMENTS)]["children"], "data-statement-id") == ["far-away"]
