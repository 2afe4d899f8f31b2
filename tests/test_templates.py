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
    """Headings of markdown cells and code cells with string literals blanked out."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    out = []
    for cell in cells:
        source = "".join(cell["source"])
        if cell["cell_type"] == "markdown":
            out += [line for line in source.splitlines() if re.match(r"#{1,3} ", line) and not line.startswith("# ")]
        elif "code-cell" not in source and not source.startswith("from utils import analysis"):
            out.append(re.sub(r'"[^"]*"', '""', re.sub(r"\[[^\]]*\]", "[]", source, flags=re.S)))
    return out


def test_there_are_five_source_chapters() -> None:
    assert len(SOURCE_CHAPTERS) == 5


@pytest.mark.parametrize("path", SOURCE_CHAPTERS, ids=lambda p: p.stem)
def test_source_chapter_follows_the_template(path: Path) -> None:
    chapter = [c for c in skeleton(path) if not c.startswith("analysis.") and "analysis" not in c]
    template = [c for c in skeleton(TEMPLATE)]
    assert chapter[: len(template)] == template


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
