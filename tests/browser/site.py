"""Helpers for the browser tests: serve a built site on localhost and inspect its pages.

Each check is a plain function that returns a list of problems (empty = fine),
so ``test_checks_can_fail.py`` can prove on small broken pages that every
check really reports what it should.
"""

from __future__ import annotations

import functools
import http.server
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from playwright.sync_api import Browser, Page
from playwright.sync_api import TimeoutError as PlaywrightTimeout



def find_chromium() -> str | None:
    """The Chromium to drive: ``$BOOK_CHROMIUM``, else the system's, else None for Playwright's own."""
    for candidate in (os.environ.get("BOOK_CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser"):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None


CHROMIUM = find_chromium()
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
AXE = Path(__file__).resolve().parent.parent / "vendor" / "axe-core" / "axe.min.js"
WIDGET_VIEW = 'script[type="application/vnd.jupyter.widget-view+json"]'
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@contextmanager
def serve(root: Path) -> Iterator[str]:
    """Serve ``root`` on a free localhost port; yield the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@dataclass
class PageLoad:
    """What happened while a page loaded: console errors and network traffic."""

    page: Page
    console_errors: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    external: list[str] = field(default_factory=list)


def open_page(browser: Browser, base: str, path: str, viewport: dict | None = None,
              mode: str = "light") -> PageLoad:
    """Open ``base + path`` in a fresh context, recording errors and requests, and wait until it is ready.

    ``mode`` is the theme's colour mode ("light" or "dark"), chosen as a reader would (the theme
    keeps it in localStorage). Ready means: loaded, the theme's mode applied, and every embedded
    widget view rendered (conditions, never a fixed delay).
    """
    context = browser.new_context(viewport=viewport or DESKTOP)
    context.add_init_script(f"localStorage.setItem('mode', '{mode}'); localStorage.setItem('theme', '{mode}');")
    page = context.new_page()
    load = PageLoad(page)
    page.on("console", lambda m: load.console_errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: load.console_errors.append(str(e)))
    page.on("requestfailed", lambda r: load.failed.append(f"{r.url} ({r.failure})"))
    page.on("response", lambda r: load.failed.append(f"{r.url} (HTTP {r.status})") if r.status >= 400 else None)
    page.on("request", lambda r: None if r.url.startswith((base, "data:", "blob:", "about:"))
            else load.external.append(r.url))
    page.goto(base + path, wait_until="load")
    ready = (f"""() => (!document.querySelector('.theme-switch-button')
                        || document.documentElement.dataset.theme === '{mode}')
        && [...document.querySelectorAll('{WIDGET_VIEW}')].every(tag =>
            tag.parentElement.querySelector(':scope > .jupyter-widgets, :scope > div > .jupyter-widgets'))""")
    try:
        page.wait_for_function(ready, timeout=10_000)
    except PlaywrightTimeout:
        pass  # a page that never gets ready is reported by the checks (e.g. widget_render_problems)
    page.wait_for_load_state("networkidle")
    return load


def live_region_problems(page: Page) -> list[str]:
    """Every widget with a dropdown announces the view it switches to (a polite live region)."""
    return page.evaluate("""() => {
        const problems = [];
        document.querySelectorAll('.cell_output .jupyter-widgets.widget-vbox').forEach((widget, i) => {
            if (!widget.querySelector('select') || widget.parentElement.closest('.widget-vbox')) return;
            const live = widget.querySelector('.book-live');
            if (!live) problems.push(`widget ${i}: its views are not in a live region`);
            else if (live.getAttribute('aria-live') !== 'polite') problems.push(`widget ${i}: aria-live missing`);
        });
        return problems;
    }""")


def request_problems(load: PageLoad) -> list[str]:
    """Console errors, failed requests and requests to any other host."""
    return ([f"console error: {text}" for text in load.console_errors]
            + [f"failed request: {url}" for url in load.failed]
            + [f"request to another host: {url}" for url in load.external])


def widget_render_problems(page: Page) -> list[str]:
    """Every embedded widget view must be rendered exactly once."""
    return page.evaluate(f"""() => {{
        const problems = [];
        for (const tag of document.querySelectorAll('{WIDGET_VIEW}')) {{
            const id = JSON.parse(tag.textContent).model_id;
            const views = tag.parentElement.querySelectorAll(':scope > .jupyter-widgets, :scope > div > .jupyter-widgets');
            if (views.length !== 1) problems.push(`widget ${{id}} rendered ${{views.length}} times`);
        }}
        const scripts = [...document.querySelectorAll('script[src*="html-manager"], script[src*="embed-amd"]')];
        if (scripts.length > 1) problems.push(`widget manager loaded ${{scripts.length}} times`);
        return problems;
    }}""")


def alt_text_problems(page: Page) -> list[str]:
    """Every image has a non-empty alt (or is marked decorative) and every role=img has a label."""
    return page.evaluate("""() => {
        const problems = [];
        for (const img of document.querySelectorAll('img')) {
            if (!img.hasAttribute('alt')) problems.push(`img without alt: ${img.getAttribute('src')}`);
        }
        for (const el of document.querySelectorAll('[role="img"]:not([aria-hidden="true"])')) {
            const label = el.getAttribute('aria-label') || el.getAttribute('aria-labelledby');
            if (!label || !label.trim()) problems.push(`role=img without a label: ${el.outerHTML.slice(0, 80)}`);
        }
        for (const svg of document.querySelectorAll('.cell_output svg')) {
            const labelled = svg.closest('[role="img"][aria-label]') || svg.getAttribute('aria-hidden') === 'true'
                || svg.closest('button, a, .jupyter-widgets') !== null;
            if (!labelled) problems.push('inline svg without a text alternative');
        }
        return problems;
    }""")


def axe_problems(page: Page) -> list[str]:
    """Serious and critical accessibility violations that axe-core finds."""
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate("""async () => {
        const result = await axe.run(document, {resultTypes: ['violations']});
        return result.violations
            .filter(v => v.impact === 'serious' || v.impact === 'critical')
            .map(v => `${v.impact}: ${v.id} (${v.nodes.length}): ${v.nodes[0].target.join(' ')}`);
    }""")
    return list(violations)


def visible_widget_text(page: Page, widget_index: int) -> str:
    """The text a widget shows now (hidden Stack children are not visible)."""
    root = page.locator(".cell_output .jupyter-widgets.widget-vbox").nth(widget_index)
    return root.evaluate("""el => [...el.querySelectorAll('.widget-html-content')]
        .filter(e => e.offsetParent !== null).map(e => e.innerText).join('\\n')""")


def view_changes(page: Page, widget_index: int, before: str, timeout_ms: int = 3000) -> bool:
    """Wait (up to ``timeout_ms``) for the widget's visible text to differ from ``before``."""
    waited = 0
    while waited <= timeout_ms:
        if visible_widget_text(page, widget_index) != before:
            return True
        page.wait_for_timeout(50)
        waited += 50
    return False


def switching_problems(page: Page) -> list[str]:
    """Every dropdown of every static widget changes the visible view when moved."""
    problems = []
    roots = page.locator(".cell_output .jupyter-widgets.widget-vbox")
    for index in range(roots.count()):
        selects = roots.nth(index).locator("select")
        for number in range(selects.count()):
            select = selects.nth(number)
            options = select.locator("option").count()
            if options < 2:
                continue
            before = visible_widget_text(page, index)
            current = select.evaluate("s => s.selectedIndex")
            select.select_option(index=(current + 1) % options)
            if not view_changes(page, index, before):
                problems.append(f"widget {index}, dropdown {number}: the view did not change")
    return problems


def keyboard_problems(page: Page) -> list[str]:
    """The first dropdown of each widget can be reached and used with the keyboard alone."""
    problems = []
    roots = page.locator(".cell_output .jupyter-widgets.widget-vbox")
    for index in range(roots.count()):
        select = roots.nth(index).locator("select").first
        if select.count() == 0 or select.locator("option").count() < 2:
            continue
        select.focus()
        if not select.evaluate("s => document.activeElement === s"):
            problems.append(f"widget {index}: dropdown cannot take keyboard focus")
            continue
        if select.evaluate("s => s.tabIndex") < 0:
            problems.append(f"widget {index}: dropdown is out of the tab order")
        before = visible_widget_text(page, index)
        if select.evaluate("s => s.selectedIndex === s.options.length - 1"):
            page.keyboard.press("ArrowUp")
        else:
            page.keyboard.press("ArrowDown")
        if not view_changes(page, index, before):
            problems.append(f"widget {index}: keyboard selection did not change the view")
    return problems
