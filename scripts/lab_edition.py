"""Write the lab edition: copies of the notebooks that jupyterlab-myst renders as the book reads.

Usage:
    python scripts/lab_edition.py [--out _build/lab] [--root BOOK]      (make lab)

``make lab`` opens this edition, not the source notebooks, in JupyterLab, so
that instructors read the chapters rendered. jupyterlab-myst 2.7 renders the
book's exercises and admonitions, but not three things, which the copies here
resolve (nothing is executed; every output stays as stored):

* ``{glue:}`name``` and ``{glue:md}`name``` (jupyterlab-myst shows the name):
  replaced by the value the notebook's stored outputs glue under ``name``
  (its ``text/markdown`` if there is one, else its ``text/plain``);
* MyST substitutions ``{{ name }}`` (set by ``_ext/book_ext.py`` only when the
  book is built): replaced by :func:`utils.scope.scope_words` of the data;
* solutions written ``{solution-start}`` … ``{solution-end}`` across cells
  (jupyterlab-myst renders each cell alone, so they stay unfolded): the start
  fence becomes a folded ``{admonition}`` (``:class: dropdown``) titled
  "Solution to Exercise N" that holds the solution's prose, the Markdown cells
  that held only that prose are dropped, and the solution's code cells get
  ``"jupyter": {"source_hidden": true, "outputs_hidden": true}``, so
  JupyterLab shows them collapsed.

Nothing else changes: code cells keep their source, outputs and metadata (but
for the collapse), other Markdown keeps its text. The copies keep the book's
layout (``chapters/``, ``appendices/``) and ``data`` is linked beside them, so
``{doc}`` links and ``../data`` paths work; ``utils`` is the installed package.
Edits belong in the source notebooks: this folder is rewritten on every run.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

sys.path.insert(0, str(Path(__file__).resolve().parent))

from student_edition import _PARSER, _source, _tidy, solution_fences  # noqa: E402

from utils import load_data  # noqa: E402
from utils.book import GLUE_PREFIX  # noqa: E402
from utils.scope import scope_words  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
#: The folders whose notebooks the edition copies.
FOLDERS: tuple[str, ...] = ("chapters", "appendices")
#: Marks a folder this script wrote, so that it may empty it again (and nothing else).
MARKER = ".lab-edition"
#: What the cells of a folded solution's code get in their metadata.
HIDDEN = {"source_hidden": True, "outputs_hidden": True}

GLUE_ROLE = re.compile(r"\{glue(?::(?:any|md|text)?)?\}`(?P<name>[^`:]+)`")
SUBSTITUTION = re.compile(r"\{\{\s*(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s*\}\}")
EXERCISE_FENCE = re.compile(r"^\{exercise(?:-start)?\}")
LABEL = re.compile(r"^:label:\s*(?P<label>\S+)\s*$", re.MULTILINE)
BACKTICKS = re.compile(r"^[ \t>]*(`{3,})", re.MULTILINE)


class LabEditionError(Exception):
    """A notebook's solutions cannot be folded; the message names the notebook and the cell."""


@dataclass
class Report:
    """What the edition did to one notebook."""

    path: str
    glued: int = 0
    substituted: int = 0
    solutions: int = 0
    hidden_cells: int = 0
    dropped_cells: int = 0
    unresolved: list[str] = field(default_factory=list)

    def line(self) -> str:
        text = (f"{self.path}: {self.glued} glued values and {self.substituted} substitutions filled in; "
                f"{self.solutions} solutions folded ({self.hidden_cells} code cells collapsed)")
        if self.unresolved:
            text += f"; left as written: {', '.join(sorted(set(self.unresolved)))}"
        return text


# --- the values ------------------------------------------------------------------------------------


def glue_values(notebook: dict[str, Any]) -> dict[str, str]:
    """The values the notebook's stored outputs glue, by name: ``text/markdown`` if stored, else ``text/plain``."""
    values: dict[str, str] = {}
    for cell in notebook["cells"]:
        for output in cell.get("outputs", []) if cell["cell_type"] == "code" else ():
            name = output.get("metadata", {}).get("scrapbook", {}).get("name")
            data = output.get("data", {})
            for mime in ("text/markdown", "text/plain"):
                value = data.get(GLUE_PREFIX + mime)
                if name and value is not None:
                    values[name] = "".join(value) if isinstance(value, list) else str(value)
                    break
    return values


def fill_in(text: str, glued: dict[str, str], words: dict[str, str], report: Report) -> str:
    """``text`` with its glue roles and substitutions replaced by their values (unknown names stay)."""
    def glue(match: re.Match[str]) -> str:
        name = match["name"].strip()
        if name not in glued:
            report.unresolved.append(match.group(0))
            return match.group(0)
        report.glued += 1
        return glued[name].strip()

    def substitute(match: re.Match[str]) -> str:
        if match["name"] not in words:
            report.unresolved.append(match.group(0))
            return match.group(0)
        report.substituted += 1
        return str(words[match["name"]])

    return SUBSTITUTION.sub(substitute, GLUE_ROLE.sub(glue, text))


# --- folding the solutions -------------------------------------------------------------------------


def exercise_numbers(notebook: dict[str, Any]) -> dict[str, int]:
    """Each exercise's label and its number in the notebook (1, 2, … in order), as jupyterlab-myst numbers them."""
    numbers: dict[str, int] = {}
    count = 0
    for cell in notebook["cells"]:
        if cell["cell_type"] != "markdown":
            continue
        for token in _PARSER.parse(_source(cell)):
            if token.type in ("fence", "colon_fence") and EXERCISE_FENCE.match(token.info.strip()):
                count += 1
                label = LABEL.search(token.content)
                if label:
                    numbers[label["label"]] = count
    return numbers


@dataclass
class _Solution:
    label: str
    prose: list[str] = field(default_factory=list)
    code_cells: int = 0
    closed: bool = False


def admonition(solution: _Solution, numbers: dict[str, int]) -> str:
    """The folded box that stands for ``solution``: its title, its prose and a pointer to its code."""
    number = numbers.get(solution.label)
    title = f"Solution to Exercise {number}" if number else f"Solution to {solution.label}"
    prose = "\n\n".join(part for part in (_tidy(p.split("\n")) for p in solution.prose) if part.strip())
    if solution.code_cells:
        cells = "cell" if solution.code_cells == 1 else f"{solution.code_cells} cells"
        note = f"*The solution's code is in the collapsed {cells} below this box (click the bar to open).*"
        prose = f"{prose}\n\n{note}" if prose else note
    longest = max((len(m.group(1)) for m in BACKTICKS.finditer(prose)), default=2)
    fence = "`" * max(3, longest + 1)
    return f"{fence}{{admonition}} {title}\n:class: dropdown\n\n{prose}\n{fence}"


def fold_notebook(notebook: dict[str, Any], name: str, glued: dict[str, str] | None = None,
                  words: dict[str, str] | None = None) -> tuple[dict[str, Any], Report]:
    """A copy of ``notebook`` (nbformat 4, as a dict) as the lab edition has it (see the module's docstring)."""
    report = Report(name)
    glued = glue_values(notebook) if glued is None else glued
    words = {} if words is None else words
    numbers = exercise_numbers(notebook)
    # Each kept cell, with (for Markdown) its text as pieces: strings, or a solution whose box goes there.
    kept: list[tuple[dict[str, Any], list[str | _Solution] | None]] = []
    open_solution: _Solution | None = None
    for index, cell in enumerate(notebook["cells"]):
        where = f"{name}, cell {index}"
        copy = json.loads(json.dumps(cell))
        if cell["cell_type"] != "markdown":
            if open_solution is not None and cell["cell_type"] == "code":
                copy.setdefault("metadata", {})["jupyter"] = {**copy["metadata"].get("jupyter", {}), **HIDDEN}
                open_solution.code_cells += 1
                report.hidden_cells += 1
            kept.append((copy, None))
            continue
        source = fill_in(_source(cell).replace("\r\n", "\n"), glued, words, report)
        lines = source.split("\n")
        pieces: list[str | _Solution] = []
        position = 0
        for fence, label, first, end in solution_fences(source):
            if fence == "solution":
                continue  # a solution in one cell: jupyterlab-myst renders it folded itself
            text = "\n".join(lines[position:first])
            if fence == "solution-start":
                if open_solution is not None:
                    raise LabEditionError(f"{where}: a {{solution-start}} inside the solution of "
                                          f"{open_solution.label!r}")
                pieces.append(text)
                open_solution = _Solution(label or "(no label)")
                pieces.append(open_solution)
                report.solutions += 1
            else:
                if open_solution is None:
                    raise LabEditionError(f"{where}: a {{solution-end}} fence with no {{solution-start}} before it")
                open_solution.prose.append(text)
                open_solution.closed = True
                open_solution = None
            position = end
        rest = "\n".join(lines[position:])
        if open_solution is not None:
            open_solution.prose.append(rest)
        else:
            pieces.append(rest)
        if not any(isinstance(p, _Solution) or p.strip() for p in pieces):
            report.dropped_cells += 1  # the cell held only a solution's prose, which its box now holds
            continue
        if len(pieces) == 1 and isinstance(pieces[0], str) and pieces[0] == source:
            copy["source"] = source if source != _source(cell) else cell["source"]
            kept.append((copy, None))
        else:
            kept.append((copy, pieces))
    if open_solution is not None:
        raise LabEditionError(f"{name}: the solution of {open_solution.label!r} has no {{solution-end}}")
    cells = []
    for copy, pieces in kept:
        if pieces is not None:
            parts = [admonition(p, numbers) if isinstance(p, _Solution) else p.strip("\n") for p in pieces]
            copy["source"] = "\n\n".join(part for part in parts if part.strip())
        elif copy["cell_type"] == "markdown" and isinstance(copy["source"], list):
            copy["source"] = "".join(copy["source"])
        cells.append(copy)
    return {**json.loads(json.dumps({k: v for k, v in notebook.items() if k != "cells"})), "cells": cells}, report


# --- the edition -----------------------------------------------------------------------------------


def lab_sources(root: Path = ROOT) -> list[Path]:
    """The notebooks the edition copies, relative to ``root``."""
    return sorted(path.relative_to(root) for folder in FOLDERS for path in (root / folder).glob("*.ipynb"))


def _prepare(out: Path) -> None:
    if out.exists() and any(out.iterdir()):
        if not (out / MARKER).exists():
            raise LabEditionError(f"{out} is not empty and was not written by this script; choose another --out")
        shutil.rmtree(out)
    out.mkdir(parents=True, exist_ok=True)
    (out / MARKER).write_text("Written by scripts/lab_edition.py; rewritten on every run.\n", encoding="utf-8")


def build(out: Path, root: Path = ROOT, log: Callable[[str], object] = print) -> list[Report]:
    """Write the edition of the book at ``root`` into ``out``; return what was done to each notebook."""
    out = out.resolve()
    _prepare(out)
    data = root / "data"
    link = out / "data"
    try:
        link.symlink_to(os.path.relpath(data, out), target_is_directory=True)
    except OSError:
        shutil.copytree(data, link)
    words = {key: str(value) for key, value in scope_words(load_data(data)).items()}
    reports = []
    for relative in lab_sources(root):
        notebook = json.loads((root / relative).read_text(encoding="utf-8"))
        folded, report = fold_notebook(notebook, relative.as_posix(), words=words)
        target = out / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(folded, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        reports.append(report)
        log(report.line())
    log(f"wrote {len(reports)} notebooks to {out}")
    return reports


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "_build" / "lab",
                        help="the folder to write (default: _build/lab)")
    parser.add_argument("--root", type=Path, default=ROOT, help="the book to make it from (default: this one)")
    args = parser.parse_args(argv)
    try:
        build(args.out, root=args.root.resolve())
    except LabEditionError as error:
        print(f"lab edition not written: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
