"""Each browser check must fail on a page that breaks its rule.

Small pages are written to a temporary folder, with the book's vendored widget
manager, and served on localhost: one clean page (no problem may be reported)
and one broken page per rule (the matching check must report it).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import ipywidgets as W
import pytest
from ipywidgets.embed import embed_data
from playwright.sync_api import sync_playwright

from . import site

ROOT = Path(__file__).resolve().parents[2]
MANAGER = ROOT / "vendor" / "_static" / "html-manager"


def switcher_state(linked: bool) -> tuple[str, str]:
    """Widget state and view JSON of a dropdown over a two-view Stack."""
    views = W.Stack([W.HTML("<p>first view</p>"), W.HTML("<p>second view</p>")], selected_index=0)
    dropdown = W.Dropdown(options=["first", "second"], index=0, description="View:")
    if linked:
        W.jslink((dropdown, "index"), (views, "selected_index"))
    box = W.VBox([dropdown, views])
    data = embed_data(views=[box])
    state = json.dumps(data["manager_state"])
    view = json.dumps(data["view_specs"][0])
    W.Widget.close_all()
    return state, view


def page(body: str = "", head: str = "", linked: bool = True, managers: int = 1,
         copies: int = 1) -> str:
    state, view = switcher_state(linked)
    scripts = "".join(f'<script src="html-manager/embed.js?copy={n}"></script>' for n in range(managers))
    return f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Check</title>
<link rel="icon" href="data:,">
<script type="application/vnd.jupyter.widget-state+json">{state}</script>{scripts}{head}</head>
<body><main><h1>Check</h1><div class="cell_output">
{f'<script type="application/vnd.jupyter.widget-view+json">{view}</script>' * copies}</div>{body}</main></body></html>"""


PAGES = {
    "clean.html": page(body='<figure role="img" aria-label="A chart"><svg aria-hidden="true"></svg></figure>'),
    "cdn.html": page(head='<script src="https://cdn.jsdelivr.net/npm/requirejs@2.3.7/require.js"></script>'),
    "two-managers.html": page(managers=2),
    "two-views.html": page(copies=2),
    "no-alt.html": page(body='<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">'),
    "unlabelled.html": page(body='<div role="img"></div>'),
    "dead.html": page(linked=False),
    "axe.html": page(body='<input type="text">'),
}


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    root = tmp_path_factory.mktemp("pages")
    shutil.copytree(MANAGER, root / "html-manager")
    for name, html in PAGES.items():
        (root / name).write_text(html, encoding="utf-8")
    with site.serve(root) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=site.CHROMIUM, args=site.CHROMIUM_ARGS)
        yield browser, url
        browser.close()


def run(served, name: str, check) -> list[str]:
    browser, url = served
    load = site.open_page(browser, url, name)
    try:
        return check(load)
    finally:
        load.page.context.close()


ALL_CHECKS = {
    "requests": site.request_problems,
    "render once": lambda load: site.widget_render_problems(load.page),
    "alt text": lambda load: site.alt_text_problems(load.page),
    "switching": lambda load: site.switching_problems(load.page),
    "keyboard": lambda load: site.keyboard_problems(load.page),
    "axe": lambda load: site.axe_problems(load.page),
}


@pytest.mark.parametrize("check", sorted(ALL_CHECKS))
def test_clean_page_passes_every_check(served, check) -> None:
    assert run(served, "clean.html", ALL_CHECKS[check]) == []


@pytest.mark.parametrize("name, check, words", [
    ("cdn.html", "requests", "request to another host: https://cdn.jsdelivr.net"),
    ("two-managers.html", "render once", "widget manager loaded 2 times"),
    ("two-views.html", "render once", "rendered 2 times"),
    ("no-alt.html", "alt text", "img without alt"),
    ("unlabelled.html", "alt text", "role=img without a label"),
    ("dead.html", "switching", "the view did not change"),
    ("dead.html", "keyboard", "keyboard selection did not change the view"),
    ("axe.html", "axe", "label"),
])
def test_broken_page_fails_its_check(served, name, check, words) -> None:
    problems = run(served, name, ALL_CHECKS[check])
    assert any(words in problem for problem in problems), problems
