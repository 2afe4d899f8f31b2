"""The built book in a real Chromium, with no kernel: `make test` builds it first.

Every page, once it has settled (widgets rendered, network idle, no short timer
pending): no console error or uncaught exception, no failed request (no answer
or HTTP 400+) and no request to another host; axe-core finds no serious or
critical violation, in light and in dark mode; every image has a text
alternative; no sideways scrolling at desktop or phone width. On widget pages:
every widget renders once; every option of every dropdown brings up its own
view (the one its link selects in the embedded widget state, naming the option
where the views name their options), chosen by mouse and by keyboard; every
view a dropdown switches is announced (aria-live); no error while switching.
Screenshots of every page at desktop and phone width go to
``_build/screenshots/`` for review.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from . import site

ROOT = Path(__file__).resolve().parents[2]
HTML = ROOT / "_build" / "html"
SCREENSHOTS = ROOT / "_build" / "screenshots"
SKIP = {"genindex.html", "search.html"}
#: The tallest screenshot taken, in CSS pixels.
SHOT_HEIGHT = 12_000


def built_pages() -> list[str]:
    pages = sorted(str(p.relative_to(HTML)) for p in HTML.rglob("*.html")
                   if not p.relative_to(HTML).parts[0].startswith("_") and p.name not in SKIP)
    return pages or ["(no built pages: run `make book` first)"]


PAGES = built_pages()


def widget_pages() -> list[str]:
    return [p for p in PAGES if (HTML / p).exists()
            and site.WIDGET_VIEW.split("=")[1].strip('"]') in (HTML / p).read_text(encoding="utf-8")]


@pytest.fixture(scope="module")
def base_url():
    with site.serve(HTML) as url:
        yield url


def test_the_book_is_built() -> None:
    assert (HTML / "index.html").exists(), "run `make book` before the browser tests"
    assert len(PAGES) >= 3 and not PAGES[0].startswith("(no built pages")


@pytest.mark.parametrize("path", PAGES)
def test_page_loads_cleanly_and_self_contained(browser, base_url, path) -> None:
    load = site.open_page(browser, base_url, path)
    try:
        assert site.request_problems(load) == []
    finally:
        load.page.context.close()


@pytest.mark.parametrize("mode", ["light", "dark"])
@pytest.mark.parametrize("path", PAGES)
def test_accessibility(browser, base_url, path, mode) -> None:
    load = site.open_page(browser, base_url, path, mode=mode)
    try:
        assert site.alt_text_problems(load.page) == []
        assert site.axe_problems(load.page) == []
    finally:
        load.page.context.close()


@pytest.mark.parametrize("path", PAGES)
def test_screenshots_for_review(browser, base_url, path) -> None:
    name = path.replace("/", "__").removesuffix(".html")
    for label, viewport in (("desktop", site.DESKTOP), ("phone", site.PHONE)):
        load = site.open_page(browser, base_url, path, viewport)
        try:
            target = SCREENSHOTS / f"{name}--{label}.png"
            target.parent.mkdir(parents=True, exist_ok=True)
            height = load.page.evaluate("document.documentElement.scrollHeight")
            # The whole page, up to SHOT_HEIGHT: a very long page (the errata) would take minutes.
            load.page.screenshot(path=str(target), full_page=True, timeout=120_000,
                                 clip={"x": 0, "y": 0, "width": viewport["width"], "height": min(height, SHOT_HEIGHT)})
            assert target.stat().st_size > 0
            assert site.overflow_problems(load.page) == [], f"{path} at {label} width"
        finally:
            load.page.context.close()


def test_some_pages_have_widgets() -> None:
    assert widget_pages(), "no built page embeds a widget"


@pytest.mark.parametrize("path", widget_pages() or ["(none)"])
def test_widgets_render_once_and_switch_without_kernel(browser, base_url, path) -> None:
    load = site.open_page(browser, base_url, path)
    try:
        assert load.page.locator(".cell_output .jupyter-widgets.widget-vbox").count() >= 1
        assert site.widget_render_problems(load.page) == []
        assert site.switching_problems(load.page) == []
        assert site.keyboard_problems(load.page) == []
        assert site.live_region_problems(load.page) == []
        assert site.request_problems(load) == []  # nothing went wrong while the views switched
    finally:
        load.page.context.close()


def test_the_site_root_serves_a_favicon(base_url) -> None:
    """Browsers ask for /favicon.ico on pages with no icon link (the root redirect page)."""
    import urllib.request

    with urllib.request.urlopen(base_url + "favicon.ico") as response:
        assert response.status == 200 and response.read(4) == b"\x00\x00\x01\x00"  # an ICO header
