"""Is this HTML map whole and offline? Checked before it is written or sent.

Static checks first (size, every step's data parses, no URL a browser would
fetch), then the file is opened in headless Chromium (Playwright) with every
request blocked and recorded: the map must draw its regions, the slider must
change the map, and nothing may be fetched. Playwright runs in a thread of its
own, so the check works where another Playwright session already runs.
"""

from __future__ import annotations

import concurrent.futures
import html
import json
import time

from dashboard.core.errors import DashboardError
from dashboard.render.embed import MAX_HTML_BYTES
from dashboard.render.export_job import ExportJob

#: Seconds the browser check may take (Chromium start, drawing the map, one slider step).
CHECK_SECONDS = 30.0
DATA_START = '<script type="application/json" id="contested-data">'


def _fail(problem: str) -> DashboardError:
    return DashboardError(f"HTML export failed: {problem}; nothing was saved")


def check_html(content: bytes, job: ExportJob) -> None:
    if len(content) > MAX_HTML_BYTES:
        raise _fail(
            f"the file is {len(content) / 1e6:.1f} MB, more than the limit of "
            f"{MAX_HTML_BYTES / 1e6:.1f} MB; choose a longer step or a shorter range"
        )
    page = content.decode("utf-8")
    start = page.find(DATA_START)
    end = page.find("</script>", start)
    if start < 0 or end < 0:
        raise _fail("the map's data element is missing")
    try:
        source = json.loads(page[start + len(DATA_START) : end])
    except ValueError as exc:
        raise _fail(f"the map's data does not parse ({exc})") from None
    if len(source.get("steps", [])) != len(job.days):
        raise _fail(f"{len(source.get('steps', []))} slider steps instead of {len(job.days)}")
    with concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="embed-check") as pool:
        problem = pool.submit(_browser_problem, page, job.text.day(job.days[0])).result(timeout=CHECK_SECONDS + 10)
    if problem:
        raise _fail(problem)


def _browser_problem(page_html: str, first_day: str) -> str | None:
    """What is wrong with the page in Chromium, or None: it drew, its slider works, it fetched nothing."""
    from dashboard.render.exporter import require_browser

    try:
        from playwright.sync_api import Error, sync_playwright
    except ImportError:
        raise DashboardError(
            "HTML export checks the file in Chromium through Playwright: "
            "pip install 'playwright>=1.45' (it uses the machine's Chromium; "
            "never run playwright install)"
        ) from None
    browser_path = require_browser()
    requests: list[str] = []
    errors: list[str] = []
    timeout = CHECK_SECONDS * 1000
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=browser_path, args=["--no-sandbox"])
            try:
                context = browser.new_context(viewport={"width": 1000, "height": 900})
                page = context.new_page()
                page.route("**/*", lambda route: (requests.append(route.request.url), route.abort()))
                page.on("pageerror", lambda exc: errors.append(str(exc)))
                page.set_content(page_html, wait_until="load", timeout=timeout)
                # Drawn, or a script error says it never will be (then there is no need to wait out the timeout).
                deadline = time.monotonic() + CHECK_SECONDS
                while not errors and page.query_selector("#map path.choroplethlocation") is None:
                    if time.monotonic() > deadline:
                        return "the page drew no regions in Chromium within the time allowed"
                    page.wait_for_timeout(100)
                if errors:
                    return f"the page raised a script error in Chromium ({errors[0].splitlines()[0]})"
                drawn = page.eval_on_selector_all("#map path.choroplethlocation", "els => els.length")
                page.eval_on_selector("#step", "el => { el.value = '0'; el.dispatchEvent(new Event('input')); }")
                page.wait_for_function(
                    "day => Array.from(document.querySelectorAll('#map .annotation-text'))"
                    ".some(el => el.textContent === day)",
                    arg=first_day,
                    timeout=timeout,
                )
            finally:
                browser.close()
    except Error as exc:
        line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return f"the page did not draw its map and slider in Chromium ({line})"
    if errors:
        return f"the page raised a script error in Chromium ({errors[0].splitlines()[0]})"
    if not drawn:
        return "the page drew no regions in Chromium"
    if requests:
        return f"the page fetched {len(requests)} outside resource(s), such as {html.escape(requests[0][:120])}"
    return None
