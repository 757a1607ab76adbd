"""Property-based fuzzing of everything a client can send.

Random and hostile values go to every callback through POST
/_dash-update-component (the list of callbacks comes from the app's own
/_dash-dependencies, so a new callback is fuzzed without touching this file),
to the URL query (`parse_query` and GET /?...), and to random paths. Raw
malformed bodies and mangled payloads must get a 4xx.

The rule: a well-formed callback request is answered 200 (or 204, "no
update") whatever its values; anything malformed gets a clean 4xx; never a
500, never a traceback, and the server stays up.

Image export is fuzzed too, with the browser render replaced by a stub
(kaleido and Chromium are tested in test_export.py); everything before the
render (option checks, the export figure, the file name) runs for real.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import pytest
from dash_client import call
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboard.core.claims import PARTIES
from dashboard.core.dates import PartialDate, PartialDateError, resolve_relative
from dashboard.core.filters import MAX_ITEMS, MAX_NOTICES, QUERY_KEYS, parse_query
from dashboard.core.regions import UA_CODES
from dashboard.render.export_options import FORMATS, PRESETS
from dashboard.render.exporter import Exporter
from dashboard.sources.dataset import load_dataset
from dashboard.text import text_for
from dashboard.web.app import Settings, create_app
from dashboard.web.ids import Ids

UPDATE = "/_dash-update-component"
#: Examples per property; FUZZ_EXAMPLES=5000 for a long hunt (the default keeps the file near 20 s).
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "150"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# ---------------------------------------------------------------------------
# The app under test, and its callbacks as the app itself lists them.

# One day for both, so the app's date axis and the one the assertions use agree.
SETTINGS = Settings(today=dt.date(2026, 11, 26))
APP = create_app(SETTINGS)
DATA = load_dataset(today=SETTINGS.today)
RECORD_IDS = sorted(DATA.claims.by_id)
FAKE_IMAGE = b"\x89PNG fake image: the browser render is stubbed in fuzz tests"


@pytest.fixture(scope="module", autouse=True)
def stub_image_render():
    """Exports render through a stub: hundreds of Chromium renders would take minutes."""
    calls: list[Any] = []

    def render(self, figure, options):
        calls.append(options)
        return FAKE_IMAGE

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Exporter, "render", render)
        yield calls


@pytest.fixture(scope="module")
def client():
    return APP.server.test_client()


def _parse_id(text: str) -> Any:
    return json.loads(text) if text.startswith("{") else text


def _spec(text: str) -> tuple[Any, str]:
    component, prop = text.rsplit(".", 1)
    return _parse_id(component), prop


@dataclass(frozen=True)
class Callback:
    output: str  # Dash's key for the callback
    outputs: tuple[tuple[Any, str], ...]  # (id or wildcard id, property)
    inputs: tuple[tuple[Any, str], ...]
    state: tuple[tuple[Any, str], ...]

    @property
    def name(self) -> str:
        return "+".join(f"{i['type'] if isinstance(i, dict) else i}.{p}" for i, p in self.outputs)

    @property
    def has_wildcards(self) -> bool:
        return any(isinstance(i, dict) for i, _ in self.outputs + self.inputs + self.state)


def app_callbacks(app, clientside: bool = False) -> list[Callback]:
    """The server callbacks (or, with `clientside`, the browser-only ones) the page knows about."""
    dependencies = app.server.test_client().get("/_dash-dependencies").json
    found = []
    for dep in dependencies:
        if (dep.get("clientside_function") is not None) != clientside:
            continue
        output = dep["output"]
        outputs = output[2:-2].split("...") if output.startswith("..") else [output]
        found.append(
            Callback(
                output=output,
                outputs=tuple(_spec(o) for o in outputs),
                inputs=tuple((_parse_id(d["id"]), d["property"]) for d in dep["inputs"]),
                state=tuple((_parse_id(d["id"]), d["property"]) for d in dep["state"]),
            )
        )
    return found


CALLBACKS = app_callbacks(APP)
CLIENTSIDE = app_callbacks(APP, clientside=True)
EXPORT = next(c for c in CALLBACKS if c.outputs[0] == (Ids.DOWNLOAD.value, "data"))
URL_CALLBACK = next(c for c in CALLBACKS if (Ids.URL.value, "search") in c.inputs)


def test_every_callback_is_fuzzed():
    served = {key for key, spec in APP.callback_map.items() if "callback" in spec}
    assert {c.output for c in CALLBACKS} == served and len(served) >= 6
    assert {c.output for c in CALLBACKS + CLIENTSIDE} == set(APP.callback_map)
    assert any(c.has_wildcards for c in CALLBACKS)  # the pattern-matching (ALL) one is included
    assert EXPORT in CALLBACKS


@pytest.mark.parametrize("callback", CLIENTSIDE, ids=lambda c: c.name)
def test_clientside_callbacks_are_not_run_on_the_server(client, callback):
    payload = {
        "output": callback.output,
        "outputs": {"id": callback.outputs[0][0], "property": callback.outputs[0][1]},
        "inputs": [{"id": i, "property": p, "value": None} for i, p in callback.inputs],
        "state": [{"id": i, "property": p, "value": None} for i, p in callback.state],
        "changedPropIds": [],
    }
    response = post(client, payload)
    assert_clean(response)
    assert 400 <= response.status_code < 500


# ---------------------------------------------------------------------------
# Hostile values

HOSTILE_STRINGS = [
    "",
    " ",
    "0000-00-00",
    "99999-01-01",
    "2023-02-30",
    "2023-13-01",
    "-0001-01-01",
    "1e309",
    "NaN",
    "<script>window.__pwned=1</script>",
    "<img src=x onerror=alert(1)>",
    "'\"><svg onload=alert(1)>",
    "javascript:alert(1)",
    "../../../../etc/passwd",
    "..\\..\\windows\\win.ini",
    "%00",
    "\x00",
    "\x1b[2J",
    "UA-14",
    "UA-99",
    "Donetsk",
    "Крим",
    "russia",
    "RUSSIA",
    "martians",
    "png",
    "svg",
    "gif",
    "1200x800",
    "99999x99999",
    "__proto__",
    "constructor",
    "{{7*7}}",
    "${7*7}",
    "%s%s%s%n",
    "\u202egnp.exe",
    "😀" * 50,
    "x" * 100_000,
    ",".join(["UA-14"] * 1000),
    "?from=2014&to=2023",
]
HOSTILE_NUMBERS = [0, -1, 1, 2**31, -(2**63), 10**30, 1.5, -0.0, 1e308, float("inf"), float("-inf"), float("nan")]

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**80), max_value=2**80),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=40),
    st.sampled_from(HOSTILE_STRINGS),
    st.sampled_from(HOSTILE_NUMBERS),
)
json_values = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=5), st.dictionaries(st.text(max_size=12), children, max_size=5)
    ),
    max_leaves=15,
)
# Values shaped like what the page sends, so the checks deeper inside are reached too.
codes = st.sampled_from([*sorted(UA_CODES), "UA-99", "RUS", "<b>x</b>", ""])
plausible = st.one_of(
    st.lists(st.one_of(st.integers(-100, 10_000), scalars), min_size=2, max_size=2),  # slider
    st.lists(codes, max_size=8),  # regions
    st.lists(st.sampled_from([*sorted(PARTIES), "martians", "RUSSIA"]), max_size=7),  # parties
    st.fixed_dictionaries(
        {
            "points": st.lists(
                st.fixed_dictionaries({"location": st.one_of(codes, scalars), "curveNumber": st.integers(-1, 5)}),
                max_size=2,
            )
        }
    ),
    st.sampled_from(sorted(PRESETS) + list(FORMATS) + RECORD_IDS),
    st.integers(0, 5),  # n_clicks
)
values = st.one_of(json_values, plausible)


def _key(component: Any) -> str:
    return (
        json.dumps(component, sort_keys=True, separators=(",", ":")) if isinstance(component, dict) else str(component)
    )


@st.composite
def callback_requests(draw, callback: Callback) -> tuple[dict, dict[str, Any]]:
    """A well-formed request for `callback` (ids and shape as the page sends them) with hostile values."""
    button_ids = draw(
        st.lists(
            st.one_of(st.sampled_from(RECORD_IDS), st.text(max_size=20), st.sampled_from(HOSTILE_STRINGS[:20])),
            max_size=4,
            unique=True,
        )
    )

    def concrete(pattern: dict) -> list[dict]:
        return [{**pattern, "id": button} for button in button_ids]

    def props(specs, with_values: bool) -> list:
        out = []
        for component, prop in specs:
            if isinstance(component, dict):
                out.append(
                    [
                        {"id": c, "property": prop, **({"value": draw(values)} if with_values else {})}
                        for c in concrete(component)
                    ]
                )
            else:
                out.append({"id": component, "property": prop, **({"value": draw(values)} if with_values else {})})
        return out

    outputs = props(callback.outputs, with_values=False)
    inputs = props(callback.inputs, with_values=True)
    state = props(callback.state, with_values=True)
    changeable = [
        f"{_key(item['id'])}.{item['property']}"
        for group in inputs
        for item in (group if isinstance(group, list) else [group])
    ]
    changed = (
        draw(st.one_of(st.just([]), st.lists(st.sampled_from(changeable), min_size=1, max_size=2, unique=True)))
        if changeable
        else []
    )
    payload = {
        "output": callback.output,
        "outputs": outputs if len(outputs) > 1 else outputs[0],
        "inputs": inputs,
        "state": state,
        "changedPropIds": changed,
    }
    named = {
        f"{i}.{p}": item.get("value")
        for (i, p), item in zip(callback.state, state, strict=True)
        if isinstance(item, dict)
    }
    return payload, named


def post(client, payload: Any):
    body = json.dumps(payload, allow_nan=True)  # a hostile client may send NaN; browsers never do
    return client.post(UPDATE, data=body, content_type="application/json")


def assert_clean(response) -> None:
    """Never a 500, never a traceback or a file path in what the client sees."""
    assert response.status_code < 500, response.data[:500]
    assert b"Traceback" not in response.data
    assert b'File "' not in response.data


def strict_json(data: bytes) -> Any:
    """Parse as a browser would: NaN and Infinity are not JSON."""

    def refuse(name: str) -> None:
        raise AssertionError(f"response contains {name}, which browsers cannot parse")

    return json.loads(data, parse_constant=refuse)


# ---------------------------------------------------------------------------
# Well-formed callback requests with hostile values


@pytest.mark.slow
@pytest.mark.parametrize("callback", CALLBACKS, ids=lambda c: c.name)
@FUZZ
@given(data=st.data())
def test_callbacks_answer_hostile_values_without_error(client, callback, data):
    payload, _named = data.draw(callback_requests(callback))
    response = post(client, payload)
    assert_clean(response)
    assert response.status_code in (200, 204), response.data[:500]
    if response.status_code == 200:
        outputs = payload["outputs"] if isinstance(payload["outputs"], list) else [payload["outputs"]]
        expected = {_key(item["id"]) for group in outputs for item in (group if isinstance(group, list) else [group])}
        assert set(strict_json(response.data)["response"]) <= expected


@pytest.mark.slow
@FUZZ
@given(
    dates=plausible,
    regions=plausible,
    fmt=st.one_of(st.sampled_from(FORMATS), scalars),
    size=st.one_of(st.sampled_from(sorted(PRESETS)), scalars),
    scale=st.one_of(st.floats(0, 10), scalars),
    title=st.one_of(st.none(), st.text(max_size=400), st.sampled_from(HOSTILE_STRINGS)),
)
def test_export_callback_with_near_valid_options(client, stub_image_render, dates, regions, fmt, size, scale, title):
    """Options close to valid reach the (stubbed) render and the file name; the rest become a notice."""
    response = call(
        client,
        [(Ids.DOWNLOAD, "data"), (Ids.EXPORT_NOTICE, "children")],
        [(Ids.EXPORT_BUTTON, "n_clicks", 1)],
        state=[
            (Ids.DATES, "value", dates),
            (Ids.REGIONS, "value", regions),
            (Ids.EXPORT_FORMAT, "value", fmt),
            (Ids.EXPORT_SIZE, "value", size),
            (Ids.EXPORT_SCALE, "value", scale),
            (Ids.EXPORT_TITLE, "value", title),
            (Ids.CONTROL_TOGGLE, "value", ["on"]),
            (Ids.ARTICLE_ONLY, "value", []),
        ],
    )
    assert_clean(response)
    assert response.status_code == 200, response.data[:500]
    out = strict_json(response.data)["response"]
    if str(Ids.DOWNLOAD) in out:
        download = out[str(Ids.DOWNLOAD)]["data"]
        assert "/" not in download["filename"] and "\\" not in download["filename"]
        assert not download["filename"].startswith(".")
    else:
        assert out[str(Ids.EXPORT_NOTICE)]["children"].startswith("Export failed: ")


def test_export_with_a_list_as_size_is_a_clean_notice(client):
    response = call(
        client,
        [(Ids.DOWNLOAD, "data"), (Ids.EXPORT_NOTICE, "children")],
        [(Ids.EXPORT_BUTTON, "n_clicks", 1)],
        state=[
            (Ids.DATES, "value", [0, 10]),
            (Ids.REGIONS, "value", []),
            (Ids.EXPORT_FORMAT, "value", "png"),
            (Ids.EXPORT_SIZE, "value", ["1200x800"]),
            (Ids.EXPORT_SCALE, "value", 1),
            (Ids.EXPORT_TITLE, "value", None),
            (Ids.CONTROL_TOGGLE, "value", None),
            (Ids.ARTICLE_ONLY, "value", None),
        ],
    )
    assert response.status_code == 200
    assert "Export failed" in response.json["response"][str(Ids.EXPORT_NOTICE)]["children"]


# ---------------------------------------------------------------------------
# Malformed requests: a 4xx, never a 500

VALID = {
    "output": "..date-readout.children...print-range.children..",
    "outputs": [{"id": "date-readout", "property": "children"}, {"id": "print-range", "property": "children"}],
    "inputs": [{"id": "date-range", "property": "value", "value": [0, 100]}],
    "state": [{"id": "lang", "property": "data", "value": "en"}],
    "changedPropIds": ["date-range.value"],
}


@pytest.mark.parametrize(
    "body, content_type",
    [
        (b"", "application/json"),
        (b"not json at all", "application/json"),
        (b'{"output": ', "application/json"),
        (b"\xff\xfe\x00{", "application/json"),
        (json.dumps(VALID).encode(), "text/plain"),
        (json.dumps(VALID).encode(), "application/x-www-form-urlencoded"),
        (b"[]", "application/json"),
        (b'"x"', "application/json"),
        (b"42", "application/json"),
        (b"null", "application/json"),
        (b"{}", "application/json"),
        (json.dumps({**VALID, "output": "no-such-component.children"}).encode(), "application/json"),
        (json.dumps({**VALID, "output": "map.figure"}).encode(), "application/json"),
        (json.dumps({**VALID, "outputs": {"id": "no-such", "property": "children"}}).encode(), "application/json"),
        (json.dumps({**VALID, "inputs": "x"}).encode(), "application/json"),
        (json.dumps({**VALID, "inputs": [{"id": "date-range"}]}).encode(), "application/json"),
        (json.dumps(dict.fromkeys(VALID, 5)).encode(), "application/json"),
        (b"[" * 100_000 + b"]" * 100_000, "application/json"),
        (
            json.dumps(
                {**VALID, "inputs": [{"id": "date-range", "property": "value", "value": "x" * (9 * 1024 * 1024)}]}
            ).encode(),
            "application/json",
        ),
    ],
    ids=lambda v: repr(v[:30]) if isinstance(v, bytes) else v,
)
def test_malformed_bodies_get_a_4xx(client, body, content_type):
    response = client.post(UPDATE, data=body, content_type=content_type)
    assert_clean(response)
    assert 400 <= response.status_code < 500


def test_the_update_endpoint_refuses_other_methods(client):
    assert_clean(client.put(UPDATE, json=VALID))
    assert client.put(UPDATE, json=VALID).status_code == 405
    assert client.delete(UPDATE).status_code == 405


@pytest.mark.slow
@FUZZ
@given(body=json_values)
def test_random_json_bodies(client, body):
    response = post(client, body)
    assert_clean(response)
    assert response.status_code in (200, 204) or 400 <= response.status_code < 500


@FUZZ
@given(body=st.binary(max_size=2000))
def test_random_bytes_bodies(client, body):
    response = client.post(UPDATE, data=body, content_type="application/json")
    assert_clean(response)


@st.composite
def mangled_requests(draw) -> dict:
    """A well-formed request with one part broken: a key dropped or replaced, ids or output corrupted."""
    callback = draw(st.sampled_from(CALLBACKS))
    payload, _ = draw(callback_requests(callback))
    key = draw(st.sampled_from(sorted(payload)))
    how = draw(st.sampled_from(["drop", "replace", "output", "ids", "extra"]))
    if how == "drop":
        del payload[key]
    elif how == "replace":
        payload[key] = draw(json_values)
    elif how == "output":
        payload["output"] = draw(
            st.one_of(
                st.text(max_size=80),
                st.sampled_from([c.output for c in CALLBACKS] + ["..", "....", "...x.y...", "map.", ".figure"]),
            )
        )
    elif how == "ids":
        for item in payload.get("inputs", []):
            if isinstance(item, dict):
                item["id"] = draw(json_values)
    else:
        payload["inputs"] = [
            *list(payload.get("inputs", [])),
            {"id": draw(st.text(max_size=10)), "property": "value", "value": draw(values)},
        ]
    return payload


@pytest.mark.slow
@FUZZ
@given(payload=mangled_requests())
def test_mangled_callback_requests(client, payload):
    response = post(client, payload)
    assert_clean(response)


# ---------------------------------------------------------------------------
# The URL query


DATE_LIKE = st.one_of(
    st.sampled_from(
        [
            "2014",
            "2022-09",
            "2023-02-28",
            "0000-00-00",
            "99999-01-01",
            "2023-02-30",
            "1999",
            "3000-01-01",
            "0001-01-01",
            "9999-12-31",
            "2023-2-28",
            "28/02/2023",
            "",
        ]
    ),
    st.from_regex(r"[0-9]{1,5}(-[0-9]{1,2}(-[0-9]{1,2})?)?", fullmatch=True),
)
NAME_LIKE = st.one_of(
    codes,
    st.sampled_from(
        ["Donetsk", "donetsk", "Krym", "Lugansk", "Zaporozhye", "Донецька область", "Atlantis", "russia", "UN", "west"]
    ),
    st.text(max_size=20),
)
VALUE_LIKE = st.one_of(
    DATE_LIKE,
    NAME_LIKE,
    st.lists(NAME_LIKE, max_size=60).map(",".join),
    st.sampled_from(HOSTILE_STRINGS),
    st.text(max_size=60),
)


@st.composite
def queries(draw) -> str:
    if draw(st.booleans()):
        return draw(st.one_of(st.text(max_size=300), st.sampled_from(HOSTILE_STRINGS)))
    pairs = draw(
        st.lists(st.tuples(st.one_of(st.sampled_from(QUERY_KEYS), st.text(max_size=10)), VALUE_LIKE), max_size=6)
    )
    encode = draw(st.booleans())
    text = "&".join(f"{quote(k) if encode else k}={quote(v) if encode else v}" for k, v in pairs)
    return draw(st.sampled_from(["?", ""])) + text


@FUZZ
@given(search=st.one_of(queries(), scalars))
def test_parse_query_never_raises_and_stays_in_bounds(search):
    context = DATA.query_context
    state, notices = parse_query(search, context)
    assert context.first_day <= state.date_from <= state.date_to <= context.last_day
    assert set(state.regions) <= set(UA_CODES)
    assert set(state.parties) <= set(PARTIES)
    assert len(state.regions) == len(set(state.regions)) <= MAX_ITEMS
    assert len(notices) <= MAX_NOTICES
    for notice in map(text_for().notice, notices):
        assert isinstance(notice, str) and len(notice) < 2000
        assert not any(ch in notice for ch in "\x00\x1b\r\n")  # user text is shown escaped and short
    # What the page writes back to the address bar reads back as the same state, silently.
    again, again_notices = parse_query(state.to_query(), context)
    assert again == state and again_notices == []


def test_a_flood_of_parameters_gives_a_few_notices():
    state, notices = parse_query("?" + "&".join(["x=1"] * 1000), DATA.query_context)
    assert state == DATA.query_context.default_state()
    assert len(notices) == MAX_NOTICES and text_for().notice(notices[-1]).startswith("… and 993 more values")


@pytest.mark.slow
@FUZZ
@given(search=queries())
def test_url_query_through_its_callback(client, search):
    """The callback that reads the URL (found by its input), with the other inputs as on page load."""
    callback = URL_CALLBACK
    response = call(
        client,
        list(callback.outputs),
        [(i, p, search if (i, p) == (Ids.URL.value, "search") else None) for i, p in callback.inputs],
        state=[(i, p, None) for i, p in callback.state],
        changed=["url.search"],
    )
    assert_clean(response)
    assert response.status_code == 200
    out = strict_json(response.data)["response"]
    if str(Ids.DATES) in out:
        low, high = out[str(Ids.DATES)]["value"]
        assert 0 <= low <= high <= DATA.axis.days
    if str(Ids.REGIONS) in out:
        assert set(out[str(Ids.REGIONS)]["value"]) <= set(UA_CODES)


@pytest.mark.slow
@FUZZ
@given(
    query=st.one_of(st.binary(max_size=300), queries().map(lambda q: q.lstrip("?").encode("utf-8", "surrogatepass")))
)
def test_get_page_with_any_query(client, query):
    # WSGI carries the raw query bytes as a latin-1 str: send them exactly as a client would.
    response = client.get("/", environ_overrides={"QUERY_STRING": query.decode("latin-1")})
    assert_clean(response)
    assert response.status_code == 200


PATH_PREFIXES = [
    "",
    "assets/",
    "assets/topojson/",
    "_dash-component-suites/",
    "_dash-component-suites/dash/",
    "_dash-component-suites/plotly/",
    "_dash-",
    "../",
    "%2e%2e/",
    "..%2f",
    "_reload-hash/",
    "_dash-layout/",
    "_favicon.ico/",
    "_basemap/",
    "_basemap/0123456789abcdef/",
]
PATH_TAILS = [
    "",
    "../pyproject.toml",
    "../../../../etc/passwd",
    "%2e%2e%2fpyproject.toml",
    "..\\..\\setup.py",
    "__init__.py",
    "claims.py",
    "data/claims.yaml",
    "x" * 5000,
    "%00",
    "%ff%fe",
    "?a=b",
    "#x",
]


@FUZZ
@given(
    prefix=st.sampled_from(PATH_PREFIXES),
    tail=st.one_of(st.sampled_from(PATH_TAILS), st.text(st.characters(blacklist_categories=("Cs",)), max_size=60)),
)
def test_random_paths(client, prefix, tail):
    response = client.get("/" + prefix + tail)
    assert_clean(response)
    assert b"[project]" not in response.data and b"root:x:" not in response.data
    assert b"def " not in response.data[:2000] or response.mimetype == "application/javascript"


# ---------------------------------------------------------------------------
# Dates: the parser behind the URL, the CLI options and the claims loader


@FUZZ
@given(value=st.one_of(DATE_LIKE, json_values, st.dates(), st.datetimes()))
def test_partial_date_parse_accepts_or_names_the_problem(value):
    try:
        parsed = PartialDate.parse(value)
    except PartialDateError as exc:
        assert "\n" not in str(exc) and len(str(exc)) < 300
    else:
        assert parsed.start <= parsed.end
        assert PartialDate.parse(parsed.isoformat()) == parsed


@FUZZ
@given(
    phrase=st.one_of(
        st.text(max_size=40),
        st.sampled_from(
            [
                "today",
                "yesterday",
                "last month",
                "last year",
                "on Sunday",
                "last January",
                "in 2014",
                "September 2022",
                "2022-09",
                "0000",
                "last  december",
                "ON MONDAY",
            ]
        ),
    ),
    dateline=st.one_of(st.dates(), st.sampled_from([dt.date.min, dt.date.max])),
)
def test_relative_phrases_resolve_or_name_the_problem(phrase, dateline):
    try:
        resolved = resolve_relative(phrase, dateline)
    except PartialDateError as exc:
        assert "\n" not in str(exc)
    else:
        assert isinstance(resolved, PartialDate)


# ---------------------------------------------------------------------------
# The real server stays up after hostile traffic


def test_live_server_survives_hostile_traffic(own_server):
    live_server = own_server

    def request(path: str, body: bytes | None = None, content_type: str = "application/json") -> int:
        req = urllib.request.Request(
            live_server.url + path,
            data=body,
            method="POST" if body is not None else "GET",
            headers={"Content-Type": content_type},
        )
        try:
            with urllib.request.urlopen(req, timeout=30) as response:
                assert b"Traceback" not in response.read()
                return response.status
        except urllib.error.HTTPError as exc:
            assert b"Traceback" not in exc.read()
            return exc.code

    hostile = [
        (UPDATE, b"not json"),
        (UPDATE, b"[" * 50_000),
        (UPDATE, json.dumps({**VALID, "output": "x.y"}).encode()),
        (
            UPDATE,
            json.dumps(
                {**VALID, "inputs": [{"id": "date-range", "property": "value", "value": "<script>" * 10_000}]}
            ).encode(),
        ),
        ("/_dash-component-suites/dash/..%2f..%2f..%2fetc/passwd", None),
        ("/?from=0000-00-00&to=99999-01-01&regions=" + "%3Cscript%3E," * 200, None),
    ]
    for path, body in hostile:
        assert request(path, body) < 500
    assert live_server.process.poll() is None  # still running
    assert request("/") == 200
    assert request(UPDATE, json.dumps(VALID).encode()) == 200
