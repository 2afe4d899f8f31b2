"""Every glued value, solutions' results included, recomputed from the current data.

Each notebook's code cells (solution cells too) run here in one namespace, with
the glue functions recording what they are given. A glued value that differs
from the one stored in the notebook (and so printed in the book's prose) fails,
naming the notebook and the glued name: the prose would contradict the data.
nbval makes the same comparison through a kernel; this test runs in the fast
unit suite and says which sentence is wrong.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
from pathlib import Path
from unittest import mock

import matplotlib
import pytest
from IPython.core.formatters import format_display_data

import utils.book

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402 (after choosing the backend)

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted(ROOT.glob("chapters/*.ipynb")) + sorted(ROOT.glob("appendices/*.ipynb"))
PREFIX = utils.book.GLUE_PREFIX


def stored_glues(notebook: dict) -> dict[str, dict[str, str]]:
    """Each glued name with its stored MIME bundle (prefix removed)."""
    found = {}
    for cell in notebook["cells"]:
        for output in cell.get("outputs", []) if cell["cell_type"] == "code" else []:
            meta = output.get("metadata", {}).get("scrapbook")
            if meta:
                found[meta["name"]] = {mime[len(PREFIX):]: "".join(text) if isinstance(text, list) else text
                                       for mime, text in output["data"].items()}
    return found


def recomputed_glues(path: Path) -> dict[str, dict[str, str]]:
    """Run the notebook's code cells in-process and return what they glue."""
    notebook = json.loads(path.read_text(encoding="utf-8"))
    recorded: dict[str, dict[str, str]] = {}

    def record(name: str, value: object, display: bool = True) -> None:  # noqa: ARG001 (myst_nb's signature)
        bundle, _ = format_display_data(value)
        recorded[name] = {mime: data for mime, data in bundle.items() if mime in ("text/plain", "text/markdown")}

    namespace: dict[str, object] = {"__name__": "__main__"}
    here = os.getcwd()
    try:
        os.chdir(path.parent)
        with mock.patch.object(utils.book, "glue", record), \
                mock.patch("myst_nb.glue", record, create=True), \
                contextlib.redirect_stdout(io.StringIO()):
            for cell in notebook["cells"]:
                if cell["cell_type"] == "code":
                    exec(compile("".join(cell["source"]), f"{path.name} cell {cell.get('id')}", "exec"), namespace)
    finally:
        os.chdir(here)
        plt.close("all")
    return recorded


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_glued_value_matches_the_current_data(path: Path) -> None:
    stored = stored_glues(json.loads(path.read_text(encoding="utf-8")))
    recomputed = recomputed_glues(path)
    assert set(recomputed) == set(stored), (
        f"{path.name}: glued names differ from the stored ones: "
        f"new {sorted(set(recomputed) - set(stored))}, gone {sorted(set(stored) - set(recomputed))}")
    wrong = {name: (stored[name], value) for name, value in recomputed.items()
             if any(stored[name].get(mime) != text for mime, text in value.items())}
    assert not wrong, f"{path.name}: the prose states values the data no longer give (stored, now): {wrong}"
