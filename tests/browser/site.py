"""Helpers for the browser tests: serve a built site on localhost and inspect its pages.

Each check is a plain function that returns a list of problems (empty = fine),
so ``test_checks_can_fail.py`` can prove on small broken pages that every
check really reports what it should.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import secrets
import signal
import socket
import subprocess
import threading
import time
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from playwright.sync_api import Browser, Locator, Page
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
WIDGET_STATE = 'script[type="application/vnd.jupyter.widget-state+json"]'
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


#: ``setTimeout`` calls of at most this many milliseconds are the page's pending work: a page has
#: settled when none is left, so an error it logs late (after its widgets render, say) is caught by
#: waiting for a condition, never for some time.
SHORT_TIMER_MS = 5_000
#: The longest a page may take to get ready, to settle, or to show a chosen view.
READY_MS = 10_000
VIEW_MS = 3_000

#: Runs before any script of the page: counts its pending short timers (see SHORT_TIMER_MS).
TIMER_WATCH = f"""(() => {{
    const pending = new Set(), set = window.setTimeout, clear = window.clearTimeout;
    window.setTimeout = function (handler, delay, ...args) {{
        if (typeof handler !== 'function' || (Number(delay) || 0) > {SHORT_TIMER_MS}) {{
            return set.call(window, handler, delay, ...args);
        }}
        const id = set.call(window, function (...given) {{ pending.delete(id); return handler.apply(this, given); }},
                            delay, ...args);
        pending.add(id);
        return id;
    }};
    window.clearTimeout = function (id) {{ pending.delete(id); return clear.call(window, id); }};
    Object.defineProperty(window, '__bookPendingTimers', {{get: () => pending.size}});
}})();"""


@dataclass
class PageLoad:
    """What happened while a page loaded and was used: console errors, network traffic, settling."""

    page: Page
    console_errors: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    external: list[str] = field(default_factory=list)
    unsettled: list[str] = field(default_factory=list)


def open_page(browser: Browser, base: str, path: str, viewport: dict | None = None,
              mode: str = "light") -> PageLoad:
    """Open ``base + path`` in a fresh context, recording errors and requests, and wait until it has settled.

    ``mode`` is the theme's colour mode ("light" or "dark"), chosen as a reader would (the theme
    keeps it in localStorage). Settled means: loaded, the theme's mode applied, every embedded
    widget view rendered, the network idle, and no short timer pending (:data:`SHORT_TIMER_MS`):
    conditions, never a fixed delay. Errors and requests go on being recorded while the page is used.
    """
    context = browser.new_context(viewport=viewport or DESKTOP)
    context.add_init_script(f"localStorage.setItem('mode', '{mode}'); localStorage.setItem('theme', '{mode}');")
    context.add_init_script(TIMER_WATCH)
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
        page.wait_for_function(ready, timeout=READY_MS)
    except PlaywrightTimeout:
        pass  # a page that never gets ready is reported by the checks (e.g. widget_render_problems)
    page.wait_for_load_state("networkidle")
    try:
        # Returns once the last short timer has run: what it logged has reached the handlers above.
        page.wait_for_function("() => window.__bookPendingTimers === 0", timeout=READY_MS)
    except PlaywrightTimeout:
        load.unsettled.append(f"{page.evaluate('window.__bookPendingTimers')} timer(s) still pending "
                              f"{READY_MS // 1000} s after load")
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
    """Console errors and uncaught exceptions (until the page settled, and since while it was used),
    failed requests (no answer, or HTTP status 400 or more), requests to any other host, and a page
    that never settled (its late errors could be missed)."""
    return ([f"console error: {text}" for text in load.console_errors]
            + [f"failed request: {url}" for url in load.failed]
            + [f"request to another host: {url}" for url in load.external]
            + [f"the page never settled: {what}" for what in load.unsettled])


def overflow_problems(page: Page) -> list[str]:
    """The document is no wider than the window, so a reader never scrolls sideways; names what sticks out."""
    return page.evaluate("""() => {
        const root = document.documentElement, limit = root.clientWidth;
        if (root.scrollWidth <= limit) return [];
        const clipped = e => {
            for (let a = e.parentElement; a && a !== document.body; a = a.parentElement) {
                if (getComputedStyle(a).overflowX !== 'visible') return true;
            }
            return false;
        };
        const name = e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
            + [...e.classList].slice(0, 2).map(c => '.' + c).join('');
        const out = [...document.body.querySelectorAll('*')].filter(e => {
            const box = e.getBoundingClientRect();
            return box.width > 0 && box.right > limit + 1 && !clipped(e)
                && e.parentElement.getBoundingClientRect().right <= limit + 1;
        }).slice(0, 3).map(e => `${name(e)} (${Math.round(e.getBoundingClientRect().width)}px wide)`);
        return [`the page scrolls sideways: ${root.scrollWidth}px wide in a ${limit}px window`
                + (out.length ? `; sticking out: ${out.join(', ')}` : '')];
    }""")


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


# --------------------------------------------------------------------------- switching views

def _model(ref: str) -> str:
    return ref.removeprefix("IPY_MODEL_")


class WidgetState:
    """The widget state a page embeds: what each view holds, and which stack each dropdown drives.

    A view's expected content is read from here, not from the page's DOM, so a check can tell
    whether the view a dropdown brings up is the one its link selects.
    """

    def __init__(self, models: dict[str, dict]) -> None:
        self.models = models
        #: stack id -> the dropdowns whose ``index`` is linked to its ``selected_index``
        self.drivers: dict[str, list[str]] = {}
        for model in models.values():
            if model.get("model_name") not in ("LinkModel", "DirectionalLinkModel"):
                continue
            ends = [(_model(ref), attr) for ref, attr in (model["state"]["source"], model["state"]["target"])]
            orders = [ends, ends[::-1]] if model["model_name"] == "LinkModel" else [ends]
            for (source, source_attr), (target, target_attr) in orders:
                if ((self.kind(source), source_attr, self.kind(target), target_attr)
                        == ("DropdownModel", "index", "StackModel", "selected_index")):
                    self.drivers.setdefault(target, []).append(source)

    @classmethod
    def of(cls, page: Page) -> WidgetState:
        models: dict[str, dict] = {}
        for text in page.locator(WIDGET_STATE).all_text_contents():
            models.update(json.loads(text).get("state", {}))
        return cls(models)

    def kind(self, model_id: str) -> str:
        return self.models.get(model_id, {}).get("model_name", "")

    def state(self, model_id: str) -> dict:
        return self.models.get(model_id, {}).get("state", {})

    def children(self, model_id: str) -> list[str]:
        return [_model(ref) for ref in self.state(model_id).get("children", [])]

    def walk(self, model_id: str) -> list[str]:
        """``model_id`` and everything inside it, in the order the page renders them."""
        return [model_id] + [inner for child in self.children(model_id) for inner in self.walk(child)]

    def dropdowns(self, root: str) -> list[str]:
        """The dropdowns of the widget ``root``, in page order."""
        return [m for m in self.walk(root) if self.kind(m) == "DropdownModel"]

    def labels(self, dropdown: str) -> list[str]:
        return [" ".join(label.split()) for label in self.state(dropdown).get("_options_labels", [])]

    def drives(self, dropdown: str, root: str) -> bool:
        """Whether ``dropdown`` switches a stack inside the widget ``root``."""
        return any(dropdown in self.drivers.get(m, []) for m in self.walk(root))

    def views(self, root: str) -> list[str]:
        """The HTML of every view inside the widget ``root``, shown or not, each once."""
        return list(dict.fromkeys(self.state(m).get("value", "") for m in self.walk(root)
                                  if self.kind(m) in ("HTMLModel", "HTMLMathModel")))

    def shown(self, model_id: str, indices: dict[str, int], chosen: str = "") -> list[str]:
        """The HTML of the views ``model_id`` shows when each dropdown is at the index ``indices``
        gives it (a dropdown not in it keeps its saved index). A stack that several dropdowns drive
        follows ``chosen`` (the one just moved) if it is one of them."""
        kind, state, children = self.kind(model_id), self.state(model_id), self.children(model_id)
        if kind in ("HTMLModel", "HTMLMathModel"):
            return [state.get("value", "")]
        if kind == "StackModel":
            drivers = self.drivers.get(model_id, [])
            driver = chosen if chosen in drivers else drivers[0] if drivers else ""
            index = indices.get(driver, self.state(driver).get("index")) if driver else state.get("selected_index")
            return (self.shown(children[index], indices, chosen)
                    if index is not None and 0 <= index < len(children) else [])
        return [html for child in children for html in self.shown(child, indices, chosen)]


#: Installed in a page by the switching checks: each widget view's root gets ``data-book-widget``
#: (its number), and ``window.__bookViews`` reads what a widget shows and what given HTML would show.
#: A view's title is its caption, else its figure's label, else its heading, else all its text.
VIEWS_JS = f"""() => {{
    if (window.__bookViews) return;
    const norm = s => (s || '').replace(/\\s+/g, ' ').trim();
    const titleOf = node => {{
        const caption = node.querySelector('caption, figcaption');
        if (caption && norm(caption.textContent)) return norm(caption.textContent);
        const figure = node.querySelector('[role="img"][aria-label]');
        if (figure && norm(figure.getAttribute('aria-label'))) return norm(figure.getAttribute('aria-label'));
        const heading = node.querySelector('h1, h2, h3, h4, h5, h6');
        if (heading && norm(heading.textContent)) return norm(heading.textContent);
        return norm(node.textContent);
    }};
    const roots = [...document.querySelectorAll('{WIDGET_VIEW}')].map(tag =>
        tag.parentElement.querySelector(':scope > .jupyter-widgets, :scope > div > .jupyter-widgets'));
    roots.forEach((root, n) => {{  // a view not rendered, or not on its own, has no root
        if (!root || root.hasAttribute('data-book-widget')) roots[n] = null;
        else root.setAttribute('data-book-widget', n);
    }});
    const leaves = w => roots[w] ? [...roots[w].querySelectorAll('.widget-html-content, .widget-htmlmath-content')]
        .filter(e => e.checkVisibility()) : [];
    const parse = html => {{ const t = document.createElement('template'); t.innerHTML = html; return t.content; }};
    window.__bookViews = {{
        text: w => leaves(w).map(e => norm(e.textContent)).join('\\n'),
        title: w => leaves(w).map(titleOf).join(' | '),
        expected: views => views.map(htmls => ({{
            text: htmls.map(h => norm(parse(h).textContent)).join('\\n'),
            title: htmls.map(h => titleOf(parse(h))).join(' | ')}})),
        indices: () => roots.map(root => root ? [...root.querySelectorAll('select')].map(s => s.selectedIndex) : null),
    }};
}}"""


def _short(text: str, most: int = 120) -> str:
    return text if len(text) <= most else text[:most - 1] + "…"


class Widgets:
    """The widget views of a page, read against the widget state it embeds."""

    def __init__(self, page: Page) -> None:
        page.evaluate(VIEWS_JS)
        self.page = page
        self.state = WidgetState.of(page)
        self.roots = [json.loads(text)["model_id"] for text in page.locator(WIDGET_VIEW).all_text_contents()]
        self._titles: dict[int, list[str]] = {}

    def select(self, widget: int, number: int) -> Locator:
        return self.page.locator(f'[data-book-widget="{widget}"] select').nth(number)

    def where(self, widget: int, number: int, dropdown: str) -> str:
        return f"widget {widget}, dropdown {number} “{self.state.state(dropdown).get('description', '')}”"

    def shape_problems(self) -> list[str]:
        """Each widget is rendered on its own and shows as many dropdowns as its state holds
        (else they cannot be matched)."""
        shown = self.page.evaluate("() => window.__bookViews.indices()")
        return [f"widget {widget}: no rendered view of its own" if values is None else
                f"widget {widget}: shows {len(values)} dropdowns, its state holds {len(self.state.dropdowns(root))}"
                for widget, (root, values) in enumerate(zip(self.roots, shown))
                if values is None or len(values) != len(self.state.dropdowns(root))]

    def dropdowns(self) -> list[tuple[int, int, str]]:
        """(widget, number in the widget, model id) of every dropdown with a choice to make."""
        if self.shape_problems():
            return []
        return [(widget, number, dropdown) for widget, root in enumerate(self.roots)
                for number, dropdown in enumerate(self.state.dropdowns(root)) if len(self.state.labels(dropdown)) > 1]

    def indices(self) -> dict[str, int]:
        """Each dropdown's index as the page shows it now."""
        shown = self.page.evaluate("() => window.__bookViews.indices()")
        return {dropdown: value for root, values in zip(self.roots, shown)
                for dropdown, value in zip(self.state.dropdowns(root), values or [])}

    def text(self, widget: int) -> str:
        return self.page.evaluate("w => window.__bookViews.text(w)", widget)

    def expected(self, widget: int, dropdown: str, options: Sequence[int]) -> list[dict[str, str]]:
        """The text and title of the view the widget should show with ``dropdown`` at each of ``options``
        (the other dropdowns where they are now), following the links of the widget state."""
        now = self.indices()
        views = [self.state.shown(self.roots[widget], {**now, dropdown: option}, dropdown) for option in options]
        return self.page.evaluate("views => window.__bookViews.expected(views)", views)

    def names_its_options(self, widget: int, dropdown: str) -> bool:
        """Whether the widget's views name ``dropdown``'s options (each option's label is in the title
        of one of its views, as an issue or actor is in a caption): then the view shown for an option
        must name that option. Views that leave an option unnamed (a date, say) are checked by their
        text only."""
        if widget not in self._titles:
            views = [[html] for html in self.state.views(self.roots[widget])]
            self._titles[widget] = [view["title"] for view in
                                    self.page.evaluate("views => window.__bookViews.expected(views)", views)]
        return all(any(label in title for title in self._titles[widget]) for label in self.state.labels(dropdown))

    def chosen_view_problems(self, widget: int, number: int, dropdown: str, index: int, want: dict[str, str],
                             before: str, named: bool, how: str = "") -> list[str]:
        """After option ``index`` was chosen: the widget comes to show ``want``, the view that option links
        to (see :meth:`expected`), and that view names the option if the widget's views name their options.
        ``before`` is the text the widget showed before the choice."""
        label = self.state.labels(dropdown)[index]
        where = f"{how}{self.where(widget, number, dropdown)}: chose “{label}”"
        try:
            self.page.wait_for_function("([w, text]) => window.__bookViews.text(w) === text",
                                        arg=[widget, want["text"]], timeout=VIEW_MS)
        except PlaywrightTimeout:
            title = self.page.evaluate("w => window.__bookViews.title(w)", widget)
            shown = ("the view did not change" if self.text(widget) == before
                     else f"the view shown is “{_short(title)}”")
            return [f"{where}, but {shown}, not the one its link selects (“{_short(want['title'])}”)"]
        if named and label not in want["title"]:  # the view shown is ``want``: its title is the one shown
            return [f"{where}, but the view shown is “{_short(want['title'])}”, which does not name it"]
        return []

    def unlinked(self, widget: int, number: int, dropdown: str, how: str = "") -> list[str]:
        if self.state.drives(dropdown, self.roots[widget]):
            return []
        return [f"{how}{self.where(widget, number, dropdown)}: linked to no view in its widget, "
                "so the view did not change"]


def switching_problems(page: Page) -> list[str]:
    """Every option of every dropdown of every static widget brings up its own view: the view its link
    selects in the page's widget state (the same text), which names the option where the widget's
    views name their options (a caption naming the issue or the actors, say)."""
    widgets = Widgets(page)
    problems = widgets.shape_problems()
    for widget, number, dropdown in widgets.dropdowns():
        if unlinked := widgets.unlinked(widget, number, dropdown):
            problems += unlinked
            continue
        named = widgets.names_its_options(widget, dropdown)
        select = widgets.select(widget, number)
        count, start = len(widgets.state.labels(dropdown)), select.evaluate("s => s.selectedIndex")
        wants = widgets.expected(widget, dropdown, range(count))
        before = widgets.text(widget)
        for step in range(1, count + 1):  # every option once, ending where it started
            index = (start + step) % count
            select.select_option(index=index)
            found = widgets.chosen_view_problems(widget, number, dropdown, index, wants[index], before, named)
            problems += found
            before = widgets.text(widget) if found else wants[index]["text"]
    return problems


def keyboard_problems(page: Page) -> list[str]:
    """Every dropdown of every static widget takes keyboard focus and is in the tab order; one arrow key
    moves its choice away and the other back, each bringing up the chosen view (checked as in
    :func:`switching_problems`)."""
    widgets = Widgets(page)
    problems = widgets.shape_problems()
    for widget, number, dropdown in widgets.dropdowns():
        where = f"keyboard: {widgets.where(widget, number, dropdown)}"
        select = widgets.select(widget, number)
        select.focus()
        if not select.evaluate("s => document.activeElement === s"):
            problems.append(f"{where}: cannot take keyboard focus")
            continue
        if select.evaluate("s => s.tabIndex") < 0:
            problems.append(f"{where}: out of the tab order")
        if unlinked := widgets.unlinked(widget, number, dropdown, how="keyboard: "):
            problems += unlinked
            continue
        named = widgets.names_its_options(widget, dropdown)
        count = len(widgets.state.labels(dropdown))
        wants = widgets.expected(widget, dropdown, range(count))
        start, before = select.evaluate("s => s.selectedIndex"), widgets.text(widget)
        for key in ("ArrowUp", "ArrowDown") if start == count - 1 else ("ArrowDown", "ArrowUp"):
            page.keyboard.press(key)
            index = select.evaluate("s => s.selectedIndex")
            if index == start:
                problems.append(f"{where}: {key} did not move the choice")
                break
            found = widgets.chosen_view_problems(widget, number, dropdown, index, wants[index], before, named,
                                                 how="keyboard: ")
            problems += found
            start, before = index, widgets.text(widget) if found else wants[index]["text"]
    return problems


# --------------------------------------------------------------------------- JupyterLab, headless

@dataclass
class JupyterLab:
    """A running ``jupyter lab``: its base URL, its token and where it keeps its state (and ``server.log``)."""

    base: str
    token: str
    state: Path
    process: "subprocess.Popen[bytes]"

    def url(self, path: str) -> str:
        """``path`` on the server (``lab/tree/x.ipynb``), with the token that logs in."""
        return f"{self.base}{path}?token={self.token}"


#: JupyterLab settings for a headless test: no news pop-up over the page, and every cell kept in the
#: page (not only those in view), so a cell can be found and checked wherever it is.
LAB_SETTINGS = {
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {"fetchNews": "false",
                                                                         "checkForUpdates": False},
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
}


def lab_environment(state: Path) -> dict[str, str]:
    """The environment of a JupyterLab that keeps all it writes (config, settings, workspaces,
    runtime files, the trust database, IPython's profile) under ``state``."""
    folders = {"JUPYTER_CONFIG_DIR": "config", "JUPYTER_RUNTIME_DIR": "runtime", "JUPYTER_DATA_DIR": "data",
               "IPYTHONDIR": "ipython", "JUPYTERLAB_SETTINGS_DIR": "config/lab/user-settings",
               "JUPYTERLAB_WORKSPACES_DIR": "config/lab/workspaces"}
    env = dict(os.environ)
    for name, folder in folders.items():
        (state / folder).mkdir(parents=True, exist_ok=True)
        env[name] = str(state / folder)
    return env


def lab_command(bin_dir: Path, root: Path, port: int, token: str, as_root: bool) -> list[str]:
    """The ``jupyter lab`` command line: headless, on localhost, with a token, ``--allow-root`` only as root."""
    return ([str(bin_dir / "jupyter"), "lab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
             f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}",
             "--LabApp.extension_manager=readonly"]
            + (["--allow-root"] if as_root else []))


def free_port() -> int:
    """A TCP port on localhost that nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def jupyter_lab(bin_dir: Path, root: Path, state: Path, trust: Sequence[Path] = (),
                timeout: float = 60.0) -> Iterator[JupyterLab]:
    """Run ``jupyter lab`` from ``bin_dir`` serving ``root``; yield it once it answers, and stop it
    (its kernels first) whatever happens.

    The notebooks in ``trust`` are trusted first (``jupyter trust``, into ``state``'s database).
    The server's port is read from the file it writes on start, so a port taken meanwhile
    cannot mislead the test.
    """
    env = lab_environment(state)
    for name, settings in LAB_SETTINGS.items():
        target = Path(env["JUPYTERLAB_SETTINGS_DIR"]) / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(settings), encoding="utf-8")
    if trust:
        subprocess.run([str(bin_dir / "jupyter"), "trust", *map(str, trust)], env=env, check=True,
                       capture_output=True)
    token = secrets.token_hex(24)
    command = lab_command(bin_dir, root, free_port(), token, as_root=os.geteuid() == 0)
    with open(state / "server.log", "wb") as log:
        process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT, cwd=root)
    lab = None
    try:
        deadline = time.monotonic() + timeout
        while lab is None:
            if process.poll() is not None:
                raise RuntimeError(f"jupyter lab exited with {process.returncode}:\n"
                                   + (state / "server.log").read_text(errors="replace")[-4000:])
            if time.monotonic() > deadline:
                raise RuntimeError("jupyter lab did not answer in time:\n"
                                   + (state / "server.log").read_text(errors="replace")[-4000:])
            info = Path(env["JUPYTER_RUNTIME_DIR"]) / f"jpserver-{process.pid}.json"
            try:
                base = json.loads(info.read_text(encoding="utf-8"))["url"]
                status = urllib.request.Request(f"{base}api/status", headers={"Authorization": f"token {token}"})
                with urllib.request.urlopen(status, timeout=2) as answer:
                    if answer.status == 200:
                        lab = JupyterLab(base, token, state, process)
            except (OSError, ValueError, KeyError):
                # Not up yet. The one sleep in tests/browser, and no browser wait: a server starting in
                # another process sends no event to wait for, so its answer is polled until it comes,
                # the process exits or the deadline passes.
                time.sleep(0.1)
        yield lab
    finally:
        _stop_lab(process, lab, token)


def _stop_lab(process: "subprocess.Popen[bytes]", lab: JupyterLab | None, token: str) -> None:
    """Shut the server's kernels down, then the server (SIGTERM, then SIGKILL if it hangs)."""
    if lab is not None and process.poll() is None:
        try:
            auth = {"Authorization": f"token {token}"}
            listing = urllib.request.Request(f"{lab.base}api/kernels", headers=auth)
            with urllib.request.urlopen(listing, timeout=5) as answer:
                kernels = json.loads(answer.read())
            for kernel in kernels:
                request = urllib.request.Request(f"{lab.base}api/kernels/{kernel['id']}", headers=auth,
                                                 method="DELETE")
                urllib.request.urlopen(request, timeout=10).close()
        except OSError:
            pass  # the server stops its kernels itself on SIGTERM too
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
