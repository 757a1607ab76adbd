"""The bounded export queue: one export renders, a few wait, the rest are refused at once.

Pure tests of ExportQueue with real threads, and a burst of 30 export requests against a real
server (waitress, 8 worker threads), during which a plain page request is still answered.
"""

from __future__ import annotations

import json
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
from dash_client import call

from dashboard.render.export_queue import DEFAULT_WAITING, ExportBusy, ExportQueue
from dashboard.testing import needs_export_browser
from dashboard.text import text_for
from dashboard.web.ids import Ids

BURST = 30
_dumps = json.dumps  # the client's post() takes a `json` argument, as Flask's does


def test_queue_admits_one_plus_waiting_and_refuses_the_rest_at_once():
    queue = ExportQueue(waiting=2)
    inside, release = threading.Barrier(4), threading.Event()

    def hold():
        with queue.admit():
            inside.wait(10)
            release.wait(10)

    threads = [threading.Thread(target=hold) for _ in range(3)]
    for thread in threads:
        thread.start()
    inside.wait(10)  # all three admitted and holding their places
    assert queue.admitted == 3
    started = time.monotonic()
    with pytest.raises(ExportBusy) as refused, queue.admit():
        pytest.fail("a fourth export was admitted")
    assert time.monotonic() - started < 5  # refused, not queued behind the holders
    assert refused.value.ahead == 3
    assert str(refused.value) == "busy: 3 exports ahead; try again in a moment"
    release.set()
    for thread in threads:
        thread.join(10)
    assert queue.admitted == 0
    with queue.admit():  # places are given back, also after an error in the body
        assert queue.admitted == 1
    with pytest.raises(ValueError), queue.admit():
        raise ValueError("render failed")
    assert queue.admitted == 0


@pytest.mark.parametrize("bad", [-1, 1.5, True, "4", None])
def test_queue_size_is_checked(bad):
    with pytest.raises(ValueError):
        ExportQueue(waiting=bad)


class _HttpClient:
    """What dash_client.call needs from a client, over HTTP to a real server."""

    class _Response:
        def __init__(self, status: int, body: bytes) -> None:
            self.status_code = status
            self.body = body

        @property
        def json(self) -> object:
            return json.loads(self.body) if self.body else None

    class _Application:
        def __init__(self) -> None:
            self.config: dict = {}

    def __init__(self, url: str) -> None:
        self.url = url
        self.application = self._Application()

    def _send(self, request: urllib.request.Request) -> _HttpClient._Response:
        try:
            with urllib.request.urlopen(request, timeout=180) as response:
                return self._Response(response.status, response.read())
        except urllib.error.HTTPError as error:
            return self._Response(error.code, b"")

    def get(self, path: str) -> _HttpClient._Response:
        return self._send(urllib.request.Request(self.url + path))

    def post(self, path: str, json: object) -> _HttpClient._Response:
        body = _dumps(json).encode()
        return self._send(
            urllib.request.Request(
                self.url + path, data=body, method="POST", headers={"Content-Type": "application/json"}
            )
        )


def _export(client: _HttpClient, lang: str) -> tuple[int, dict | None]:
    response = call(
        client,
        [(Ids.DOWNLOAD, "data"), (Ids.EXPORT_NOTICE, "children")],
        [(Ids.EXPORT_BUTTON, "n_clicks", 1)],
        state=[
            (Ids.DATES, "value", [0, 4000]),
            (Ids.REGIONS, "value", ["UA-43"]),
            (Ids.EXPORT_FORMAT, "value", "png"),
            (Ids.EXPORT_SIZE, "value", "1200x800"),
            (Ids.EXPORT_SCALE, "value", "1"),
            (Ids.EXPORT_TITLE, "value", None),
            (Ids.CONTROL_TOGGLE, "value", ["on"]),
            (Ids.ARTICLE_ONLY, "value", []),
            (Ids.EXPORT_STEP, "value", "week"),
            (Ids.EXPORT_FIT, "value", "regions"),
            (Ids.LANG, "data", lang),
        ],
    )
    return response.status_code, response.json and response.json["response"]


@pytest.mark.export
@pytest.mark.slow
def test_a_burst_of_exports_leaves_the_page_answering(own_server):
    needs_export_browser()
    client = _HttpClient(own_server.url)
    assert client.get("/").status_code == 200
    client.get("/_dash-dependencies")  # cached by call() on the client

    answered = threading.Event()

    def export(index: int) -> tuple[int, dict | None]:
        try:
            return _export(client, "uk" if index % 2 else "en")
        finally:
            answered.set()

    with ThreadPoolExecutor(max_workers=BURST) as pool:
        futures = [pool.submit(export, index) for index in range(BURST)]
        assert answered.wait(120), "no export was answered"
        # The server is busy with the burst now: admitted exports render or wait in their places.
        in_flight = sum(not future.done() for future in futures)
        started = time.monotonic()
        page = client.get("/")
        page_seconds = time.monotonic() - started
        still_rendering = sum(not future.done() for future in futures)
        outcomes = [future.result() for future in futures]

    assert page.status_code == 200
    assert in_flight >= 1 and still_rendering >= 1, "the page request did not overlap the exports"
    print(f"GET / took {page_seconds:.3f} s while {still_rendering} exports were still in flight")
    assert page_seconds < 1.0
    assert [status for status, _ in outcomes] == [200] * BURST  # never a 500
    notices = [out[str(Ids.EXPORT_NOTICE)]["children"] for _, out in outcomes]
    downloads = [out for _, out in outcomes if "data" in out.get(str(Ids.DOWNLOAD), {})]
    busy = {lang: text_for(lang)("export.busy", ahead="5").split("5")[0] for lang in ("en", "uk")}
    refused = [notice for notice in notices if notice.startswith(tuple(busy.values()))]
    assert len(downloads) >= 1, notices
    assert downloads[0][str(Ids.DOWNLOAD)]["data"]["filename"].endswith(".png")
    assert len(refused) >= BURST - (DEFAULT_WAITING + 1) - 3, notices  # a few may arrive after others finish
    assert len(downloads) + len(refused) == BURST, notices
    assert {text_for("en")("export.busy", ahead="5"), text_for("uk")("export.busy", ahead="5")} & set(notices), notices
