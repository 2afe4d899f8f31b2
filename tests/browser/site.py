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
                time.sleep(0.1)  # not up yet: poll again (the condition, not a fixed delay)
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
