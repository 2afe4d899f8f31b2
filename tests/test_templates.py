"""One structure for every source chapter: the template, and the command that copies it."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from utils import load_data

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE = ROOT / "templates" / "source-chapter.ipynb"
SOURCE_CHAPTERS = sorted(p for p in (ROOT / "chapters").glob("*.ipynb") if re.match(r"\d{4}-\d{2}-", p.name))


def skeleton(path: Path) -> list[str]:
    """The chapter's structure: its section headings and its standard code cells, in order.

    String literals and lists in code are blanked (each chapter names its own
    excerpts); a cell tagged ``hide-cell`` stands as "how this table is made"
    (each chapter writes its own pandas); hidden cells that only glue values
    (``remove-cell``, except the setup cell) are left out.
    """
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    out = []
    for cell in cells:
        source = "".join(cell["source"])
        tags = set(cell["metadata"].get("tags", []))
        if cell["cell_type"] == "markdown":
            out += [line for line in source.splitlines() if re.match(r"#{2,3} ", line)]
        elif "hide-cell" in tags:
            out.append("<how this table is made>")
        elif "remove-cell" not in tags or "setup" in tags:
            out.append(re.sub(r'"[^"]*"', '""', re.sub(r"\[[^\]]*\]", "[]", source, flags=re.S)))
    return out


def missing_in_order(expected: list[str], found: list[str]) -> list[str]:
    """The entries of ``expected`` that ``found`` lacks, keeping order (``found`` may add its own)."""
    missing, start = [], 0
    for entry in expected:
        if entry in found[start:]:
            start = found.index(entry, start) + 1
        else:
            missing.append(entry)
    return missing


def test_the_order_check_catches_a_missing_or_moved_section() -> None:
    template = ["## A", "x()", "## B", "## C"]
    assert missing_in_order(template, ["## A", "x()", "### extra", "## B", "## C", "y()"]) == []
    assert missing_in_order(template, ["## A", "x()", "## C"]) == ["## B"]
    assert missing_in_order(template, ["## A", "## B", "x()", "## C"]) == ["## B"]  # moved after x()


def test_every_source_has_its_chapter_and_every_source_chapter_its_source() -> None:
    assert {p.stem for p in SOURCE_CHAPTERS} == set(load_data().sources["source_id"])


@pytest.mark.parametrize("path", SOURCE_CHAPTERS, ids=lambda p: p.stem)
def test_source_chapter_follows_the_template(path: Path) -> None:
    """Every section and standard table of the template, in its order; the same top-level sections."""
    chapter, template = skeleton(path), skeleton(TEMPLATE)
    assert not missing_in_order(template, chapter), f"{path.name} lacks, or has out of order: " \
        f"{missing_in_order(template, chapter)}"
    assert [e for e in chapter if e.startswith("## ")] == [e for e in template if e.startswith("## ")]


@pytest.mark.parametrize("path", SOURCE_CHAPTERS, ids=lambda p: p.stem)
def test_source_chapter_teaches_with_objectives_summary_and_graded_exercises(path: Path) -> None:
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    prose = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    assert "{admonition} Learning objectives" in prose
    exercises = re.findall(r"\{exercise\}\n:label: [^\n]+\n\n\*\*Level (\d)", prose)
    assert len(exercises) == prose.count("{exercise}") >= 4, "at least four exercises, each with its level"
    assert "3" in exercises, "at least one open-ended (level 3) exercise"
    assert prose.count("{solution") >= len(exercises), "every exercise has a solution"
    words = len(re.findall(r"[A-Za-z][A-Za-z'’-]*", prose))
    assert words >= 1000, f"{path.name}: {words} words of prose"


@pytest.fixture()
def book_copy(tmp_path: Path) -> Path:
    """What the new-source command touches, copied: templates, data, chapters, the table of contents."""
    for name in ("templates", "data", "chapters"):
        shutil.copytree(ROOT / name, tmp_path / name)
    shutil.copy(ROOT / "_toc.yml", tmp_path / "_toc.yml")
    shutil.copy(ROOT / "references.bib", tmp_path / "references.bib")
    return tmp_path


def test_new_source_command_builds_a_loadable_chapter(book_copy: Path) -> None:
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "new_source.py"), "2025-08-new-talks",
                             "--root", str(book_copy)], capture_output=True, text=True, check=True)
    assert "created chapters/2025-08-new-talks.ipynb" in result.stdout
    toc = (book_copy / "_toc.yml").read_text(encoding="utf-8")
    assert toc.index("chapters/2025-04-verge-of-halting") < toc.index("chapters/2025-08-new-talks") \
        < toc.index("chapters/positions-over-time")
    notebook = (book_copy / "chapters" / "2025-08-new-talks.ipynb").read_text(encoding="utf-8")
    assert "SOURCE_ID" not in notebook and 'SOURCE = \\"2025-08-new-talks\\"' in notebook
    data = load_data(book_copy / "data")
    assert "2025-08-new-talks" in set(data.sources["source_id"])
    again = subprocess.run([sys.executable, str(ROOT / "scripts" / "new_source.py"), "2025-08-new-talks",
                            "--root", str(book_copy)], capture_output=True, text=True)
    assert again.returncode != 0 and "exists already" in again.stderr


def test_a_new_empty_chapter_executes_before_any_coding(book_copy: Path) -> None:
    subprocess.run([sys.executable, str(ROOT / "scripts" / "new_source.py"), "2025-08-new-talks",
                    "--root", str(book_copy)], capture_output=True, check=True)
    chapter = book_copy / "chapters" / "2025-08-new-talks.ipynb"
    executed = subprocess.run([sys.executable, str(ROOT / "scripts" / "execute_notebooks.py"), str(chapter)],
                              capture_output=True, text=True, cwd=ROOT,
                              env={**os.environ, "BOOK_DATA_DIR": str(book_copy / "data")})
    assert executed.returncode == 0, executed.stderr[-2000:]
    shown = chapter.read_text(encoding="utf-8")  # outputs, and the explorer's views in the widget state
    assert "No excerpt chosen yet" in shown and "This source gives no numbers." in shown
    assert "Nothing to choose from: the selection is empty." in shown


def test_template_has_no_substitution_braces() -> None:
    # MyST's substitution extension would read {{ … }} as Jinja and fail the strict build.
    assert "{{" not in TEMPLATE.read_text(encoding="utf-8")
