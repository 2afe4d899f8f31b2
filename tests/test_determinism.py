"""Stable widget state: the same widgets give the same bytes, whatever the ids and order."""

from __future__ import annotations

import json

from utils.determinism import canonical_order, stabilise_html, stabilise_notebook, stable_id


def state(box: str, html: str, link: str, reverse: bool = False) -> dict:
    models = {
        box: {"model_name": "VBoxModel", "state": {"children": [f"IPY_MODEL_{html}"]}},
        html: {"model_name": "HTMLModel", "state": {"value": "<p>x</p>"}},
        link: {"model_name": "LinkModel", "state": {"source": [f"IPY_MODEL_{box}", "index"]}},
    }
    return dict(reversed(models.items())) if reverse else models


def page(box: str, html: str, link: str, reverse: bool = False) -> str:
    bundle = {"state": state(box, html, link, reverse), "version_major": 2, "version_minor": 0}
    view = {"model_id": box, "version_major": 2, "version_minor": 0}
    return (f'<head><script type="application/vnd.jupyter.widget-state+json">{json.dumps(bundle)}</script></head>'
            f'<body><script type="application/vnd.jupyter.widget-view+json">{json.dumps(view)}</script></body>')


def test_order_walks_from_the_displayed_widget_then_the_rest() -> None:
    ids = ["a" * 32, "b" * 32, "c" * 32]
    assert canonical_order(state(*ids, reverse=True), [ids[0]]) == ids


def test_two_runs_with_other_ids_and_order_give_the_same_page() -> None:
    first = stabilise_html(page("a" * 32, "b" * 32, "c" * 32), "chapter.html")
    second = stabilise_html(page("d" * 32, "e" * 32, "f" * 32, reverse=True), "chapter.html")
    assert first == second
    assert "a" * 32 not in first and first.count(stable_id("chapter.html", 0)) == 3


def test_salt_keeps_pages_apart_and_pages_without_widgets_are_untouched() -> None:
    assert stable_id("one.html", 0) != stable_id("two.html", 0)
    assert stabilise_html("<p>no widgets</p>", "x") == "<p>no widgets</p>"


def test_notebook_state_is_stabilised() -> None:
    def notebook(box, html, link, reverse=False):
        return {"cells": [{"cell_type": "code", "outputs": [{"data": {
                    "application/vnd.jupyter.widget-view+json": {"model_id": box}}}]}],
                "metadata": {"widgets": {"application/vnd.jupyter.widget-state+json": {
                    "state": state(box, html, link, reverse)}}}}
    one = stabilise_notebook(notebook("a" * 32, "b" * 32, "c" * 32), "n.ipynb")
    two = stabilise_notebook(notebook("d" * 32, "e" * 32, "f" * 32, reverse=True), "n.ipynb")
    assert json.dumps(one) == json.dumps(two)
