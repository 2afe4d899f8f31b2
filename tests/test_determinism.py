"""Stable widget ids: the same input gives the same output, and ids stay consistent."""

from __future__ import annotations

import json

from utils.determinism import model_ids_in_html, model_ids_in_notebook, stable_id, stable_widget_ids

A, B = "a" * 32, "0123456789abcdef" * 2


def page(first: str, second: str) -> str:
    state = {"state": {first: {"state": {"children": [f"IPY_MODEL_{second}"]}}, second: {"state": {}}}}
    return (f'<script type="application/vnd.jupyter.widget-state+json">{json.dumps(state)}</script>'
            f'<script type="application/vnd.jupyter.widget-view+json">{{"model_id": "{first}"}}</script>')


def test_ids_are_renamed_consistently_and_deterministically() -> None:
    html = page(A, B)
    ids = model_ids_in_html(html)
    assert ids == [A, B]
    out = stable_widget_ids(html, ids, "chapter.html")
    assert A not in out and B not in out
    assert out.count(stable_id("chapter.html", 0)) == 2      # state key and view
    assert f"IPY_MODEL_{stable_id('chapter.html', 1)}" in out
    other_run = page("c" * 32, "d" * 32)
    assert stable_widget_ids(other_run, model_ids_in_html(other_run), "chapter.html") == out


def test_salt_keeps_pages_apart() -> None:
    assert stable_id("one.html", 0) != stable_id("two.html", 0)


def test_unrelated_hex_is_untouched() -> None:
    assert stable_widget_ids("x " + "f" * 32, [A], "s") == "x " + "f" * 32
    assert model_ids_in_html("<p>no widgets</p>") == []
    assert model_ids_in_notebook({"metadata": {}}) == []
