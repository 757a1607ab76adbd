"""Helpers shared by the tests and the benchmarks: a server in a subprocess on a free
loopback port, the browser settings both drive Chromium with, and synthetic claims records
to measure how costs grow with data size.

Readiness is the server's own line saying it listens (waitress's "Serving on"
for `serve`, Werkzeug's "Running on" for `serve --debug`, gunicorn's
"Listening at"), read from its stderr: nothing polls or sleeps. A
thread keeps reading stderr for the server's whole life, because an unread
pipe fills up after a few hundred logged requests and then blocks the server.
"""

from __future__ import annotations

import datetime as dt
import functools
import http.client
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
#: Debian's Chromium (apt-get install chromium); Playwright drives it, never a downloaded build.
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
#: Flags that keep Chromium from reaching out (background networking, updates, sync).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
#: Lines servers print once their socket listens.
READY_MARKERS = ("Serving on http://", " * Running on http://", "Listening at: http://")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ServerProcess:
    """Run `command` (with "{port}" replaced by a free port) until `stop()`."""

    def __init__(
        self,
        command: Sequence[str],
        *,
        env: Mapping[str, str] | None = None,
        own_group: bool = False,
        timeout: float = 60.0,
        cwd: Path | None = None,
    ) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._own_group = own_group  # servers with child processes (reloader) stop as a group
        self._lines: list[str] = []
        self._ready = threading.Event()
        self.process = subprocess.Popen(
            [part.replace("{port}", str(self.port)) for part in command],
            cwd=cwd or REPO,  # another checkout's `python -m dashboard` runs from that checkout
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            env={**(env if env is not None else os.environ), "PYTHONUNBUFFERED": "1"},
            start_new_session=own_group,
        )
        self._reader = threading.Thread(target=self._read_stderr, daemon=True)
        self._reader.start()
        if not self._ready.wait(timeout) or self.process.poll() is not None:
            self.stop()
            raise RuntimeError(f"server did not start ({' '.join(command)}):\n{self.output()[-2000:]}")

    @property
    def pid(self) -> int:
        return self.process.pid

    def _read_stderr(self) -> None:
        for line in self.process.stderr:
            self._lines.append(line)
            if any(marker in line for marker in READY_MARKERS):
                self._ready.set()
        self._ready.set()  # the server exited: wake the waiter, which then sees it

    def output(self) -> str:
        """What the server wrote to stderr so far."""
        return "".join(self._lines)

    def stop(self) -> None:
        if self.process.poll() is None:
            if self._own_group:
                os.killpg(self.process.pid, signal.SIGTERM)
            else:
                self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self._reader.join(timeout=10)


def run_module(*args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """`python -m <args>` from the repository with this interpreter, its output captured (not checked:
    the caller asserts on the exit status and says why with the output)."""
    return subprocess.run(
        [sys.executable, "-m", *args], cwd=REPO, check=False, capture_output=True, text=True, timeout=timeout
    )


@functools.cache
def map_trace_index(uid: str) -> int:
    """Where the map's trace `uid` sits in the page's figure (patches address traces by position)."""
    from dashboard.render.map_figure import build_map, trace_index
    from dashboard.sources.geodata import load_layers

    return trace_index(build_map(load_layers()), uid)


def fills_on_day(steps: dict, offset: int, codes: list[str]) -> dict[str, str]:
    """The fill of each contested region the browser paints from `colour_steps` on a day offset."""
    step = steps["steps"][0]
    for candidate in steps["steps"]:
        if candidate["from"] > offset:
            break
        step = candidate
    palette = [colour for _, colour in step["colorscale"]]
    return {code: palette[z] for code, z in zip(codes, step["z"], strict=True)}


def new_exporter(timeout: float | None = None):
    """An Exporter reading the bundled topojson, as the app and the CLI build it."""
    from dashboard.render.exporter import DEFAULT_TIMEOUT, Exporter
    from dashboard.sources.paths import assets_dir, plotlyjs_bundle

    return Exporter(
        assets_dir() / "topojson", timeout=DEFAULT_TIMEOUT if timeout is None else timeout, plotlyjs=plotlyjs_bundle()
    )


def needs_export_browser() -> None:
    """Skip an image-export test on a machine without Chrome/Chromium; fail under CI=true."""
    import pytest

    from dashboard.render.exporter import find_browser

    if find_browser() is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("image export tests need Chromium under CI")
        pytest.skip("no Chrome/Chromium for kaleido (apt-get install chromium)")


#: The sources of the seed article's records and of their two enrichment records (the bundled
#: file also holds records from other articles and the public record).
SEED_SOURCE_TITLES = (
    "Kremlin: Russia open to Ukraine talks, but won't give up annexed regions",
    "Putin rebuffs West, signs treaty to annex Crimea",
    "Putin introduces accession treaties to State Duma for ratification",
)


def seed_claims():
    """The bundled records of the seed article (Reuters, 28 Feb 2023) and its two enrichment
    records, as the bundled file first held them: for tests of rules whose
    expected values were worked out on that article."""
    from dashboard.sources.claims_load import load_claims

    claims = load_claims()
    frame = claims.frame
    return claims.subset(
        frame.loc[frame["source"].map(lambda s: s["title"] in SEED_SOURCE_TITLES).to_numpy()].reset_index(drop=True)
    )


def wait_until(condition: Callable[[], object], limit_s: float, what: str, every_s: float = 0.05) -> None:
    """Return once `condition()` is true; AssertionError naming `what` after `limit_s` seconds.
    The one wait-on-a-condition loop of the server tests (browser tests use Playwright's waits)."""
    end = time.monotonic() + limit_s
    while not condition():
        assert time.monotonic() < end, f"gave up waiting for {what} after {limit_s:g} s"
        threading.Event().wait(every_s)


def probe(port: int, limit_s: float) -> float:
    """A plain GET of the layout on 127.0.0.1:`port`, answered completely within `limit_s`; seconds taken."""
    started = time.monotonic()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=limit_s)
    try:
        connection.request("GET", "/_dash-layout", headers={"Accept-Encoding": "br"})
        response = connection.getresponse()
        body = response.read()
        assert response.status == 200 and body, response.status
    finally:
        connection.close()
    return time.monotonic() - started


def probes_during(
    port: int, attack_s: float, limit_s: float, pace_s: float = 0.5, each_round: Callable[[], None] | None = None
) -> list[float]:
    """Probe the server every `pace_s` seconds for `attack_s` seconds while an attack runs (calling
    `each_round` first, e.g. to send the attackers' next bytes); the probes' times. The pace is the
    attack's rhythm, not a wait for something to happen. A probe not answered within `limit_s` fails."""
    took: list[float] = []
    end = time.monotonic() + attack_s
    while time.monotonic() < end:
        if each_round is not None:
            each_round()
        try:
            took.append(probe(port, limit_s))
        except (TimeoutError, OSError) as exc:
            raise AssertionError(f"probe {len(took) + 1} not answered within {limit_s} s: {exc!r}") from None
        threading.Event().wait(pace_s)
    return took


#: Synthetic claims span ten years from this day.
SYNTHETIC_FIRST_DAY = dt.date(2013, 1, 1)
SYNTHETIC_DAYS = 3652


def synthetic_claims(records: int, seed: int = 1) -> list[dict[str, Any]]:
    """`records` valid claims records (they pass the same validation as real files) spread over ten
    years and all 27 units, marked as synthetic benchmark data (never load them for analysis); the
    first ones are the annexation events of the real timeline, so the map's colours change."""
    from dashboard.core.claims import KINDS, PARTIES
    from dashboard.core.regions import UA_CODES

    rng = random.Random(seed)
    codes = sorted(UA_CODES)
    parties = sorted(PARTIES)
    out: list[dict[str, Any]] = []
    for i in range(records):
        day = SYNTHETIC_FIRST_DAY + dt.timedelta(days=rng.randrange(SYNTHETIC_DAYS))
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
