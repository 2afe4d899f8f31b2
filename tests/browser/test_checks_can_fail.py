"""Each browser check must fail on a page that breaks its rule.

Small pages are written to a temporary folder, with the book's vendored widget
manager, and served on localhost: one clean page (no check may report a problem)
and broken pages, each of which the matching check must report in clear words.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import ipywidgets as W
import pytest
from ipywidgets.embed import embed_data

from . import site

ROOT = Path(__file__).resolve().parents[2]
MANAGER = ROOT / "vendor" / "_static" / "html-manager"


def one_way(options=("first", "second"), views=("<p>first view</p>", "<p>second view</p>"),
            linked: bool = True) -> W.VBox:
    """A dropdown over a Stack of views, jslinked index to selected_index as utils/widgets.py does."""
    stack = W.Stack([W.HTML(html) for html in views], selected_index=0)
    dropdown = W.Dropdown(options=list(options), index=0, description="View:")
    if linked:
        W.jslink((dropdown, "index"), (stack, "selected_index"))
    return W.VBox([dropdown, stack])


def range_table(issue: str, evidence: str) -> str:
    return (f"<table><caption>{issue}: each side's range ({evidence})</caption>"
            f"<tr><th scope='col'>Level</th></tr><tr><td>{len(issue) + len(evidence)}</td></tr></table>")


def two_way(second_link_to_outer: bool = False) -> W.VBox:
    """Issue × evidence: a Stack of Stacks, the second dropdown driving every inner stack (or, broken,
    linked to the outer stack, so it switches the issue instead)."""
    issues, evidence = ["North", "South"], ["all evidence", "own words only"]
    inner = [W.Stack([W.HTML(range_table(i, e)) for e in evidence], selected_index=0) for i in issues]
    outer = W.Stack(inner, selected_index=0)
    first = W.Dropdown(options=issues, index=0, description="Issue:")
    second = W.Dropdown(options=evidence, index=0, description="Evidence:")
    W.jslink((first, "index"), (outer, "selected_index"))
    for stack in ([outer] if second_link_to_outer else inner):
        W.jslink((second, "index"), (stack, "selected_index"))
    return W.VBox([W.HBox([first, second]), outer])


def page(body: str = "", head: str = "", widgets=None, managers: int = 1, copies: int = 1) -> str:
    """A page embedding ``widgets`` (default: one linked one-way switcher) the way the book does."""
    boxes = list(widgets()) if widgets else [one_way()]
    data = embed_data(views=boxes)
    state = json.dumps(data["manager_state"])
    views = "".join('<div class="cell_output">'  # one output each, as in the book; copies share it
                    + f'<script type="application/vnd.jupyter.widget-view+json">{json.dumps(spec)}</script>' * copies
                    + "</div>" for spec in data["view_specs"])
    W.Widget.close_all()
    scripts = "".join(f'<script src="html-manager/embed.js?copy={n}"></script>' for n in range(managers))
    return f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Check</title>
<link rel="icon" href="data:,">
<script type="application/vnd.jupyter.widget-state+json">{state}</script>{scripts}{head}</head>
<body><main><h1>Check</h1>{views}{body}</main></body></html>"""


#: Logs an error some time after the widgets have rendered: only waiting until the page has settled
#: (no short timer left) catches it; the network is idle long before.
LATE_ERROR = """<script>
new MutationObserver((_, observer) => {
    if (!document.querySelector('.cell_output .jupyter-widgets')) return;
    observer.disconnect();
    setTimeout(() => console.error('late error after the widgets rendered'), 1500);
}).observe(document.documentElement, {childList: true, subtree: true});
</script>"""
LATE_THROW = """<script>
addEventListener('load', () => setTimeout(() => { throw new Error('late failure after load'); }, 1500));
</script>"""
#: Swallows every change event before it reaches the widgets: the dropdown moves, the view stays.
SWALLOW = "<script>document.addEventListener('change', e => e.stopPropagation(), true);</script>"
#: Views that do not name their options (as the book's "As of:" views leave the date to the dropdown).
UNNAMED = dict(options=("2022", "2023"), views=("<p>Levels 1 and 2 coded</p>", "<p>Level 3 coded</p>"))
WIDE = ("<table><tr>" + "".join(f"<td style='white-space:nowrap'>a long cell of a wide table {n}</td>"
                                for n in range(8)) + "</tr></table>")

PAGES = {
    "clean.html": page(body='<figure role="img" aria-label="A chart"><svg aria-hidden="true"></svg></figure>',
                       widgets=lambda: [one_way(), two_way()]),
    "cdn.html": page(head='<script src="https://cdn.jsdelivr.net/npm/requirejs@2.3.7/require.js"></script>'),
    "missing.html": page(head='<script src="missing.js"></script>'),
    "late-error.html": page(head=LATE_ERROR),
    "late-throw.html": page(head=LATE_THROW),
    "two-managers.html": page(managers=2),
    "two-views.html": page(copies=2),
    "no-alt.html": page(body='<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">'),
    "unlabelled.html": page(body='<div role="img"></div>'),
    "dead.html": page(widgets=lambda: [one_way(linked=False)]),
    "reordered.html": page(widgets=lambda: [one_way(views=("<p>second view</p>", "<p>first view</p>"))]),
    "wrong-link.html": page(widgets=lambda: [two_way(second_link_to_outer=True)]),
    "no-change.html": page(head=SWALLOW, widgets=lambda: [one_way(**UNNAMED)]),
    "wide.html": page(body=WIDE),
    "axe.html": page(body='<input type="text">'),
}


@pytest.fixture(scope="module")
def served(browser, tmp_path_factory):
    root = tmp_path_factory.mktemp("pages")
    shutil.copytree(MANAGER, root / "html-manager")
    for name, html in PAGES.items():
        (root / name).write_text(html, encoding="utf-8")
    with site.serve(root) as url:
        yield browser, url


#: Each check, and the window width it runs at.
ALL_CHECKS = {
    "requests": (site.request_problems, site.DESKTOP),
    "render once": (lambda load: site.widget_render_problems(load.page), site.DESKTOP),
    "alt text": (lambda load: site.alt_text_problems(load.page), site.DESKTOP),
    "switching": (lambda load: site.switching_problems(load.page), site.DESKTOP),
    "keyboard": (lambda load: site.keyboard_problems(load.page), site.DESKTOP),
    "overflow": (lambda load: site.overflow_problems(load.page), site.PHONE),
    "axe": (lambda load: site.axe_problems(load.page), site.DESKTOP),
}


def run(served, name: str, check: str) -> list[str]:
    browser, url = served
    problems, viewport = ALL_CHECKS[check]
    load = site.open_page(browser, url, name, viewport)
    try:
        return problems(load)
    finally:
        load.page.context.close()


@pytest.mark.parametrize("check", sorted(ALL_CHECKS))
def test_clean_page_passes_every_check(served, check) -> None:
    assert run(served, "clean.html", check) == []


@pytest.mark.parametrize("name, check, words", [
    ("cdn.html", "requests", "request to another host: https://cdn.jsdelivr.net"),
    ("missing.html", "requests", "failed request: "),
    ("missing.html", "requests", "/missing.js (HTTP 404)"),
    ("late-error.html", "requests", "console error: late error after the widgets rendered"),
    ("late-throw.html", "requests", "console error: late failure after load"),
    ("two-managers.html", "render once", "widget manager loaded 2 times"),
    ("two-views.html", "render once", "rendered 2 times"),
    ("no-alt.html", "alt text", "img without alt"),
    ("unlabelled.html", "alt text", "role=img without a label"),
    ("dead.html", "switching", "widget 0, dropdown 0 “View:”: linked to no view in its widget, "
                               "so the view did not change"),
    ("dead.html", "keyboard", "keyboard: widget 0, dropdown 0 “View:”: linked to no view in its widget"),
    ("reordered.html", "switching", "widget 0, dropdown 0 “View:”: chose “second”, "
                                    "but the view shown is “first view”, which does not name it"),
    ("reordered.html", "keyboard", "keyboard: widget 0, dropdown 0 “View:”: chose “second”, "
                                   "but the view shown is “first view”, which does not name it"),
    ("wrong-link.html", "switching", "widget 0, dropdown 1 “Evidence:”: chose “own words only”, but the view "
                                     "shown is “South: each side's range (all evidence)”, which does not name it"),
    ("wrong-link.html", "keyboard", "keyboard: widget 0, dropdown 1 “Evidence:”: chose “own words only”"),
    ("no-change.html", "switching", "widget 0, dropdown 0 “View:”: chose “2023”, but the view did not change, "
                                    "not the one its link selects (“Level 3 coded”)"),
    ("no-change.html", "keyboard", "keyboard: widget 0, dropdown 0 “View:”: chose “2023”, "
                                   "but the view did not change"),
    ("wide.html", "overflow", "the page scrolls sideways: "),
    ("wide.html", "overflow", "px window; sticking out: table"),
    ("axe.html", "axe", "label"),
])
def test_broken_page_fails_its_check(served, name, check, words) -> None:
    problems = run(served, name, check)
    assert any(words in problem for problem in problems), problems
