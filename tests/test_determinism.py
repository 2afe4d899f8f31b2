"""Stable widget state: the same widgets give the same bytes, whatever the ids and order."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from jupyter_client.kernelspec import KernelSpecManager

from tests.test_notebooks import NOTEBOOKS, ROOT
from utils.determinism import canonical_order, kernelspec, stabilise_notebook, stable_id


def state(box: str, html: str, link: str, reverse: bool = False) -> dict:
    models = {
        box: {"model_name": "VBoxModel", "state": {"children": [f"IPY_MODEL_{html}"]}},
        html: {"model_name": "HTMLModel", "state": {"value": "<p>x</p>"}},
        link: {"model_name": "LinkModel", "state": {"source": [f"IPY_MODEL_{box}", "index"]}},
    }
    return dict(reversed(models.items())) if reverse else models


def test_order_walks_from_the_displayed_widget_then_the_rest() -> None:
    ids = ["a" * 32, "b" * 32, "c" * 32]
    assert canonical_order(state(*ids, reverse=True), [ids[0]]) == ids


def test_salt_keeps_notebooks_apart() -> None:
    assert stable_id("one.ipynb", 0) != stable_id("two.ipynb", 0)


def test_notebook_state_is_stabilised() -> None:
    def notebook(box, html, link, reverse=False):
        return {"cells": [{"cell_type": "code", "outputs": [{"data": {
                    "application/vnd.jupyter.widget-view+json": {"model_id": box}}}]}],
                "metadata": {"widgets": {"application/vnd.jupyter.widget-state+json": {
                    "state": state(box, html, link, reverse)}}}}
    one = stabilise_notebook(notebook("a" * 32, "b" * 32, "c" * 32), "n.ipynb")
    two = stabilise_notebook(notebook("d" * 32, "e" * 32, "f" * 32, reverse=True), "n.ipynb")
    assert json.dumps(one) == json.dumps(two)
    assert "a" * 32 not in json.dumps(one) and json.dumps(one).count(stable_id("n.ipynb", 0)) == 3
    untouched = {"cells": [], "metadata": {}}
    assert stabilise_notebook(untouched, "n.ipynb") == untouched


def installed_kernelspec() -> dict:
    """The kernelspec metadata JupyterLab writes for the book's kernel, as `make` installs it
    (``ipykernel install --sys-prefix --name python3``)."""
    spec = KernelSpecManager().get_kernel_spec("python3")
    return {"display_name": spec.display_name, "language": spec.language, "name": "python3"}


def test_the_kernelspec_the_executor_stores_is_the_installed_kernels() -> None:
    assert kernelspec() == installed_kernelspec()


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_opening_a_notebook_in_jupyterlab_changes_nothing(path: Path) -> None:
    """JupyterLab writes the running kernel's spec into the notebook; when it is the stored one,
    opening a notebook and letting it autosave leaves no diff."""
    stored = json.loads(path.read_text(encoding="utf-8"))["metadata"]["kernelspec"]
    assert stored == installed_kernelspec(), \
        f"{path.name}: kernelspec {stored}; run `make execute NOTEBOOKS={path.relative_to(ROOT)}`"


def test_a_print_sent_in_several_messages_is_stored_as_one_output() -> None:
    from utils.determinism import merged_streams

    outputs = [{"output_type": "stream", "name": "stdout", "text": ["row 1\n", "row 2"]},
               {"output_type": "stream", "name": "stdout", "text": "\n"},
               {"output_type": "stream", "name": "stderr", "text": "warning\n"},
               {"output_type": "display_data", "data": {"text/plain": "x"}, "metadata": {}},
               {"output_type": "stream", "name": "stdout", "text": "after"}]
    before = json.loads(json.dumps(outputs))
    assert merged_streams(outputs) == [
        {"output_type": "stream", "name": "stdout", "text": "row 1\nrow 2\n"},
        {"output_type": "stream", "name": "stderr", "text": "warning\n"},
        {"output_type": "display_data", "data": {"text/plain": "x"}, "metadata": {}},
        {"output_type": "stream", "name": "stdout", "text": "after"}]
    assert outputs == before
