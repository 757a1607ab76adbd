"""A bounded load test on loopback: concurrent clients against the server as deployed.

    python -m benchmarks.load                      # gunicorn, 2 workers, 20 clients, 2,000 requests
    python -m benchmarks.load --server dev         # the built-in server of `contested-map serve`

Only 127.0.0.1 is ever contacted. It stops by itself: after the request count,
or after --max-seconds, whichever comes first. It prints failures and latency.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import threading
import time
import urllib.error
import urllib.request

from benchmarks.harness import median, p95, server, statements_outputs

GUNICORN = [
    sys.executable,
    "-m",
    "gunicorn",
    "--workers",
    "2",
    "--threads",
    "4",
    "--bind",
    "127.0.0.1:{port}",
    "--log-level",
    "info",
    "dashboard.web:create_server()",
]
QUERIES = [
    "/",
    "/?from=2014-01-01&to=2014-12-31&regions=UA-43",
    "/?regions=Atlantis&from=2099-99-99",
    "/?to=2022-10-01&parties=russia",
]


def _request(url: str, rng: random.Random, statements: tuple[str, list[dict]]) -> urllib.request.Request:
    if rng.random() < 0.3:
        return urllib.request.Request(url + rng.choice(QUERIES))
    low = rng.randrange(0, 3000)
    payload = {
        "output": "map.figure",
        "outputs": {"id": "map", "property": "figure"},
        "inputs": [
            {"id": "date-range", "property": "value", "value": [low, low + rng.randrange(0, 800)]},
            {"id": "region-filter", "property": "value", "value": rng.sample(["UA-43", "UA-14"], 1)},
            {"id": "party-filter", "property": "value", "value": []},
            {"id": "article-only", "property": "value", "value": []},
            {"id": "selected-statement", "property": "data", "value": None},
            {"id": "statement-search", "property": "value", "value": ""},
        ],
        "state": [
            {"id": "lang", "property": "data", "value": "en"},
            {"id": "control-source", "property": "value", "value": None},
        ],
        "changedPropIds": ["date-range.value"],
    }
    if rng.random() < 0.5:
        payload.update(
            {
                "output": statements[0],
                "outputs": statements[1],
                "inputs": [
                    *payload["inputs"][:4],
                    {"id": "statement-search", "property": "value", "value": ""},
                    {"id": "show-more", "property": "n_clicks", "value": 0},
                ],
                "state": [
                    {"id": "selected-statement", "property": "data", "value": None},
                    {"id": "statements-limit", "property": "data", "value": 50},
                    {"id": "lang", "property": "data", "value": "en"},
                ],
            }
        )
    return urllib.request.Request(
        url + "/_dash-update-component", data=json.dumps(payload).encode(), headers={"Content-Type": "application/json"}
    )


def run_load(url: str, clients: int, requests: int, max_seconds: float, seed: int = 3) -> dict:
    latencies: list[float] = []
    failures: list[str] = []
    lock = threading.Lock()
    counter = iter(range(requests))
    deadline = time.monotonic() + max_seconds
    statements = statements_outputs(url)

    def client(index: int) -> None:
        rng = random.Random(seed + index)
        while time.monotonic() < deadline:
            with lock:
                if next(counter, None) is None:
                    return
            request = _request(url, rng, statements)
            started = time.perf_counter()
            try:
                with urllib.request.urlopen(request, timeout=30) as response:
                    response.read()
                    ok = response.status < 400
                    status = response.status
            except urllib.error.HTTPError as error:
                ok, status = False, error.code
            except OSError as error:
                ok, status = False, str(error)
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                latencies.append(elapsed)
                if not ok:
                    failures.append(f"{request.full_url}: {status}")

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - started
    return {
        "requests": len(latencies),
        "failed": len(failures),
        "seconds": seconds,
        "latency_ms_median": median(latencies),
        "latency_ms_p95": p95(latencies),
        "requests_per_s": len(latencies) / seconds if seconds else 0.0,
        "failures": failures[:5],
    }


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.load", description=__doc__.splitlines()[0])
    parser.add_argument("--server", choices=("gunicorn", "dev"), default="gunicorn")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--max-seconds", type=float, default=120.0)
    args = parser.parse_args(argv)
    with server(command=GUNICORN if args.server == "gunicorn" else None) as (url, _pid):
        result = run_load(url, args.clients, args.requests, args.max_seconds)
    print(
        f"{args.server}: {result['requests']} requests from {args.clients} clients in "
        f"{result['seconds']:.1f} s ({result['requests_per_s']:.0f}/s), {result['failed']} failed, "
        f"latency median {result['latency_ms_median']:.1f} ms, p95 {result['latency_ms_p95']:.1f} ms"
    )
    for failure in result["failures"]:
        print("  failed:", failure)
    return result


if __name__ == "__main__":
    main()
