"""The dashboard in a real browser: Debian's Chromium (``/usr/bin/chromium``, never a browser
Playwright downloads), driven by Playwright, against the app served by uvicorn on loopback.

The main journeys: open the overview (the chart is drawn), filter the events, open an event
(its source sentences, highlighted), follow a sentence to its article (the sentence is the
``:target``). Every page also passes at 375 px wide without scrolling sideways, and Tab
reaches the skip link first. A full-page screenshot of each page is kept in
``var/screenshots/`` (CI keeps that folder as an artefact).
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from watchfloor.pack import Pack
from watchfloor.serve.api import create_app
from watchfloor.settings import load_settings

# The builder of the small store the TestClient tests use (tests/ is on sys.path).
from test_dashboard import build_dashboard_store  # isort: skip

playwright_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed "
                                     "(pip install -r requirements/lock.txt)")

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SCREENSHOTS = Path(__file__).resolve().parents[1] / "var" / "screenshots"
NARROW = {"width": 375, "height": 740}
WIDE = {"width": 1280, "height": 900}

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason=f"{CHROMIUM} is missing: the browser tests use Debian's Chromium "
           "(apt-get install chromium); Playwright's own browsers are never downloaded")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory, pack: Pack) -> Iterator[dict[str, Any]]:
    """The app over the small store, served by uvicorn in a thread; its base URL and ids."""
    url = f"sqlite:///{tmp_path_factory.mktemp('browser') / 'ui.sqlite'}"
    ids = build_dashboard_store(url, pack)
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(load_settings(db_url=url), pack=pack),
                                           host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and thread.is_alive() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "uvicorn did not start"
    try:
        yield {"base": f"http://127.0.0.1:{port}", "ids": ids}
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with playwright_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport=WIDE)
    try:
        yield context.new_page()
    finally:
        context.close()


def _shot(page: Any, name: str) -> None:
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def test_overview_draws_the_timeline(served: dict[str, Any], page: Any) -> None:
    page.goto(f"{served['base']}/ui/")
    chart = page.locator("svg.chart-svg")
    assert chart.is_visible()
    assert chart.bounding_box()["height"] > 100
    assert page.locator("svg.chart-svg rect").count() == 2
    legend = [" ".join(t.split()) for t in page.locator(".legend li").all_text_contents()]
    assert legend == ["Sanction 1", "Weapon test 1"]
    _shot(page, "overview")


def test_filter_the_events(served: dict[str, Any], page: Any) -> None:
    page.goto(f"{served['base']}/ui/events")
    rows = page.locator("table.events tbody tr")
    assert rows.count() == 2
    page.get_by_label("Type").select_option("sanction")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url("**/ui/events?*type=sanction*")
    assert rows.count() == 1 and "Sanction" in rows.first.inner_text()
    page.get_by_label("Type").select_option("")
    page.get_by_label("Actor", exact=True).fill("North Korea")
    page.get_by_label("Actor", exact=True).press("Enter")
    page.wait_for_url("**/ui/events?actor=PRK*")  # the name is read as its code
    assert rows.count() == 1 and "Weapon test" in rows.first.inner_text()
    assert page.get_by_label("Actor", exact=True).input_value() == "PRK"
    _shot(page, "events")


def test_open_an_event_and_follow_a_sentence_to_its_article(served: dict[str, Any],
                                                             page: Any) -> None:
    page.goto(f"{served['base']}/ui/events?type=weapon_test")
    page.get_by_role("link", name="Weapon test").click()
    page.wait_for_url("**/ui/events/rec_*")
    assert page.locator("h1").inner_text() == "Weapon test: North Korea (PRK)"
    sentence = page.locator("blockquote.sentence").first
    assert sentence.locator("mark[data-kind=trigger]").inner_text() in ("fired", "fell")
    assert sentence.locator("mark[data-kind=actor]").is_visible()
    assert sentence.locator("mark[data-kind=time]").inner_text() == "on Sunday"
    assert page.locator(".badge.status-disputed").first.is_visible()
    _shot(page, "event")

    sentence.get_by_role("link", name="Sentence 1 in the article").click()
    page.wait_for_url("**/ui/documents/*#s0")
    assert page.evaluate("document.querySelector(':target').id") == "s0"
    target = page.locator("#s0")
    assert target.evaluate("e => getComputedStyle(e).boxShadow") != "none"
    assert target.locator("mark[data-kind=time]").inner_text() == "on Sunday"
    _shot(page, "article")


def test_quotes_and_claims(served: dict[str, Any], page: Any) -> None:
    page.goto(f"{served['base']}/ui/quotes")
    assert page.get_by_role("heading", name="North Korea (PRK)").is_visible()
    page.get_by_role("link", name="Harbour Wire, 2017-06-03").click()
    page.wait_for_url("**#s1")
    assert page.evaluate("document.querySelector(':target').id") == "s1"
    page.goto(f"{served['base']}/ui/quotes")
    _shot(page, "quotes")
    page.goto(f"{served['base']}/ui/claims")
    assert page.locator("li.claim .badge").count() == 1
    _shot(page, "claims")


def test_tab_reaches_the_skip_link_first_and_it_moves_to_the_content(
        served: dict[str, Any], page: Any) -> None:
    page.goto(f"{served['base']}/ui/events")
    page.keyboard.press("Tab")
    focused = page.evaluate("[document.activeElement.className, "
                            "document.activeElement.textContent]")
    assert focused == ["skip", "Skip to content"]
    assert page.locator("a.skip").bounding_box()["y"] >= 0  # shown when focused
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")  # the next stop is inside the content, not the nav
    assert page.evaluate("document.activeElement.closest('main') !== null")


@pytest.mark.parametrize("name", ["overview", "events", "event", "article", "quotes", "claims",
                                  "missing"])
def test_no_page_scrolls_sideways_on_a_narrow_screen(served: dict[str, Any], browser: Any,
                                                     name: str) -> None:
    ids = served["ids"]
    context = browser.new_context(viewport=NARROW)
    try:
        page = context.new_page()
        if name == "event":
            page.goto(f"{served['base']}/ui/events?type=weapon_test")
            page.get_by_role("link", name="Weapon test").click()
            page.wait_for_url("**/ui/events/rec_*")
        else:
            path = {"overview": "/ui/", "events": "/ui/events", "quotes": "/ui/quotes",
                    "claims": "/ui/claims", "missing": "/ui/events/rec_0000000000000000",
                    "article": f"/ui/documents/{ids['Pacific Ledger']}"}[name]
            page.goto(served["base"] + path)
        widths = page.evaluate("[document.documentElement.scrollWidth, "
                               "document.documentElement.clientWidth]")
        assert widths[0] <= widths[1], f"{name} is {widths[0]} px wide in {widths[1]} px"
        _shot(page, f"narrow-{name}")
    finally:
        context.close()
