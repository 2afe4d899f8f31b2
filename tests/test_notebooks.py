"""The notebooks nbval checks: committed with outputs, listed in the table of contents, short.

nbval passes a notebook that has no stored outputs, so this module fails when
any code cell that should show something has none.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted(ROOT.glob("chapters/*.ipynb")) + sorted(ROOT.glob("appendices/*.ipynb"))
#: Cells with one of these tags run for their side effects and may show nothing.
SILENT_TAGS = {"remove-cell", "setup"}
MAX_CODE_LINES = 8


def code_cells(path: Path) -> list[dict]:
    notebook = json.loads(path.read_text(encoding="utf-8"))
    return [c for c in notebook["cells"] if c["cell_type"] == "code" and "".join(c["source"]).strip()]


def toc_files() -> set[str]:
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    found = {toc["root"]}
    for part in toc.get("parts", []):
        for chapter in part.get("chapters", []):
            found.add(chapter["file"])
            found.update(section["file"] for section in chapter.get("sections", []))
    return found


def test_there_are_notebooks() -> None:
    assert len(NOTEBOOKS) >= 1


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_code_cells_that_should_show_something_have_stored_output(path: Path) -> None:
    missing = [i for i, cell in enumerate(code_cells(path))
               if not SILENT_TAGS & set(cell["metadata"].get("tags", [])) and not cell["outputs"]]
    assert not missing, f"{path.name}: code cells {missing} have no stored output (run `make execute`)"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_is_clean_and_short(path: Path) -> None:
    for cell in code_cells(path):
        source = "".join(cell["source"])
        assert "sys.path" not in source, f"{path.name}: no sys.path tricks; utils is installed"
        assert len(source.splitlines()) <= MAX_CODE_LINES, f"{path.name}: long code cell:\n{source}"
        assert not any(o.get("output_type") == "error" for o in cell["outputs"])


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_widget_state_is_stored_when_widgets_are_shown(path: Path) -> None:
    notebook = json.loads(path.read_text(encoding="utf-8"))
    shows_widget = any("application/vnd.jupyter.widget-view+json" in o.get("data", {})
                       for c in code_cells(path) for o in c["outputs"])
    state = notebook["metadata"].get("widgets", {}).get("application/vnd.jupyter.widget-state+json", {})
    assert not shows_widget or state.get("state"), f"{path.name}: widgets shown but no widget state stored"


def test_every_notebook_is_in_the_table_of_contents() -> None:
    listed = toc_files()
    for path in NOTEBOOKS:
        assert str(path.relative_to(ROOT).with_suffix("")) in listed, f"{path} is not in _toc.yml"


ISO_DATE = __import__("re").compile(r"\b\d{4}-\d{2}-\d{2}\b")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_no_displayed_date_shows_a_stored_day(path: Path) -> None:
    """Dates reach the reader at their precision ("November 2023"), never as stored ISO days."""
    for cell in code_cells(path):
        for output in cell["outputs"]:
            for mime in ("text/html", "text/plain", "text/markdown"):
                shown = "".join(output.get("data", {}).get(mime, ""))
                found = ISO_DATE.findall(shown)
                assert not found, f"{path.name}: {mime} output shows {found[:3]}"
