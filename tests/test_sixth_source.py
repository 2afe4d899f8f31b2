"""Adding a source, end to end, in a copy of the book: no test or page needs an edit.

``make new-source`` adds the chapter, its row and its place in the table of
contents; the data checks pass; the chapter executes; the strict build passes
once its placeholders are written, says "six" wherever the book counts its
sources, and refuses to publish while a ``TODO`` is left.
"""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
NEW = "2025-08-new-talks"


def tracked_copy(target: Path) -> Path:
    """The book's tracked files, copied (no build, no virtual environment)."""
    files = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    for name in files.splitlines():
        if (ROOT / name).is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, target / name)
    return target


def write_placeholders(book: Path) -> None:
    """Do what the instructor does: replace every TODO of the new chapter and its row with text."""
    chapter = book / "chapters" / f"{NEW}.ipynb"
    notebook = json.loads(chapter.read_text(encoding="utf-8"))
    for cell in notebook["cells"]:
        if cell["cell_type"] == "markdown":
            text = re.sub(r"\*?TODO:[^*\n]*\*?", "Text written for the new source.", "".join(cell["source"]))
            cell["source"] = text.splitlines(keepends=True)
    chapter.write_text(json.dumps(notebook, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    path = book / "data" / "sources.csv"
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        if row["source_id"] == NEW:
            row.update(title="New talks", outlet="Example Wire", short_name="Example Wire",
                       authors="A. Writer", summary="A report on new talks.")
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def run(book: Path, *command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(list(command), cwd=book, capture_output=True, text=True,
                          env={**os.environ, "BOOK_DATA_DIR": str(book / "data")})


def build(book: Path) -> subprocess.CompletedProcess[str]:
    return run(book, str(BIN / "jupyter-book"), "build", ".", "-W", "-n", "--keep-going")


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    copy = tracked_copy(tmp_path_factory.mktemp("book"))
    created = run(copy, sys.executable, str(ROOT / "scripts" / "new_source.py"), NEW, "--root", str(copy))
    assert created.returncode == 0, created.stderr
    return copy


def test_the_new_source_with_todo_left_does_not_publish(book: Path) -> None:
    result = build(book)
    assert result.returncode != 0
    assert f"chapters/{NEW} is unfinished" in result.stdout + result.stderr


def test_a_sixth_source_passes_the_data_checks_and_the_strict_build(book: Path) -> None:
    write_placeholders(book)
    checked = run(book, sys.executable, str(ROOT / "scripts" / "check_data.py"), str(book / "data"))
    assert checked.returncode == 0 and "sources.csv: 6 rows" in checked.stdout, checked.stdout
    executed = run(book, sys.executable, str(ROOT / "scripts" / "execute_notebooks.py"),
                   str(book / "chapters" / f"{NEW}.ipynb"))
    assert executed.returncode == 0, executed.stderr[-2000:]
    shutil.rmtree(book / "_build", ignore_errors=True)
    built = build(book)
    assert built.returncode == 0, (built.stdout + built.stderr)[-3000:]
    html = book / "_build" / "html"
    assert (html / "chapters" / f"{NEW}.html").exists()
    intro = (html / "intro.html").read_text(encoding="utf-8")
    assert "through <strong>six texts written at the time</strong>" in intro
    assert "August 2025" in intro and "five" not in re.sub(r"<[^>]+>", " ", intro).split("Who it is for")[0]
