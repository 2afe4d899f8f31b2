"""Write the student edition: the notebooks without solutions or instructor-only cells, re-executed, and a zip.

Usage:
    python scripts/student_edition.py [--out _build/student] [--jobs N] [--root BOOK]      (make student)

What students get (:data:`APPENDICES_IN`) and what they do not
(:data:`APPENDICES_OUT`, each with its reason) is decided here, appendix by
appendix; an appendix in neither list stops the build, so that a new one is
neither given to students nor kept from them unnoticed. Every chapter
(``chapters/*.ipynb``) is in the edition, in the order of ``_toc.yml``.

From each notebook the edition removes

* every ``{solution}`` block (backtick, tilde or colon fence), and everything
  from a ``{solution-start}`` fence to its ``{solution-end}`` fence, across
  cells: Markdown text, code cells (with their outputs) and raw cells alike.
  Text before the start and after the end, in the same cells, stays. Fences are
  found with markdown-it, as MyST parses them; a solution fence the parser does
  not see (nested inside another directive, say), a start without an end, an
  end without a start or a solution inside a solution stops the build rather
  than let a solution through;
* every cell tagged ``instructor-only`` (:data:`INSTRUCTOR_TAG`), Markdown or
  code: how a notebook marks material for instructors, such as the role-play's
  confidential sheets. The tag applies to a whole cell: split a cell first if
  only part of it is for instructors;
* the stored values that hidden cells glue only for the removed text (a
  solution's ``{glue:md}`ex4_changed_list```, the role-play's confidential
  counts): when such a cell also glues values the kept text needs, it stays,
  and a hidden cell added before it (:func:`withholding_cell`) keeps the
  removed text's values out of the outputs.

The exercises stay as they are. The copies are then executed, top to bottom, in
fresh kernels whose ``utils`` and ``data/`` are the edition's own copies (so the
edition is proved self-contained), with outputs and widget state stored as
``make execute`` stores them, so nbval passes on them. A kept cell that needs a
value computed only in a removed cell fails this execution, and the build names
the notebook and the error. A ``{glue}`` reference in the kept text whose value
only a removed cell computes is reported as a warning (students would see its
name, not its value), and ``tests/test_student.py`` fails on it.

The edition's folder (default ``_build/student``) holds ``README.md`` (for
students), ``chapters/``, ``appendices/``, ``data/`` (less the editorial logs,
:data:`DATA_LEFT_OUT`, which describe the solutions), ``utils/``,
``pyproject.toml`` (its build and project tables only), ``requirements.txt``,
``references.bib`` and ``LICENSE``, and ``student-edition.zip`` with the same
files under ``student-edition/`` (fixed timestamps and order, so an unchanged
edition gives the same bytes).
"""

from __future__ import annotations

import argparse
import fnmatch
import json
import os
import pprint
import re
import shutil
import sys
import time
import tomllib
import zipfile
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator

import nbformat
import yaml
from markdown_it import MarkdownIt
from mdit_py_plugins.colon_fence import colon_fence_plugin
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from utils import load_data
from utils.determinism import stabilise_notebook
from utils.scope import scope_words

ROOT = Path(__file__).resolve().parents[1]
#: The cell tag that keeps a cell out of the student edition.
INSTRUCTOR_TAG = "instructor-only"
#: Appendices in the student edition.
APPENDICES_IN: tuple[str, ...] = ("codebook.ipynb", "role-play.ipynb", "glossary.md")
#: Appendices left out of it, with the reason.
APPENDICES_OUT: dict[str, str] = {
    "instructor-guide.md": "for instructors: lesson plans, answer keys, the rubric and an exemplar answer",
    "errata.ipynb": ("instructor-facing: generated from the editorial review logs, whose findings describe "
                     "the exercises' solutions and how they changed"),
    "data.md": "the published book's download page; it links the review log, and the edition ships data/ itself",
    "bibliography.md": "a directive only the built book renders; the edition ships references.bib",
}
#: Notebooks that must carry instructor-only cells; the build warns while they carry none.
MUST_HAVE_INSTRUCTOR_CELLS: tuple[str, ...] = ("appendices/role-play.ipynb",)
#: Files of ``data/`` (glob patterns, relative to it) left out: the editorial logs that describe solutions.
DATA_LEFT_OUT: tuple[str, ...] = ("coding/review-*.csv", "coding/prose-findings-*.md", "_staging", "_staging/*")
#: Files of the book's root the edition copies as they are (utils reads references.bib); ``pyproject.toml``,
#: which utils reads for the book's version and pip installs, is copied trimmed (:func:`student_pyproject`).
ROOT_FILES: tuple[str, ...] = ("requirements.txt", "references.bib", "LICENSE")
#: The tables of ``pyproject.toml`` the edition keeps: what ``pip install -e .`` and the book's version need.
PYPROJECT_TABLES: tuple[str, ...] = ("build-system", "project", "tool.setuptools")
ZIP_NAME = "student-edition.zip"
ZIP_FOLDER = "student-edition"
#: The id of the cell :func:`withholding_cell` adds.
WITHHOLDING_ID = "student-edition-withheld"
#: Marks a folder this script wrote, so that it may empty it again (and nothing else).
MARKER = ".student-edition"
#: A 1980 timestamp, the earliest a zip can hold: unchanged files give an unchanged zip.
ZIP_TIME = (1980, 1, 1, 0, 0, 0)

DIRECTIVE = re.compile(r"^\{(?P<name>solution|solution-start|solution-end)\}\s*(?P<label>.*?)\s*$")
#: Any line that still opens a solution fence after stripping: a solution the parser did not see.
LEFTOVER = re.compile(r"^[\s>]*(?:`{3,}|~{3,}|:{3,})\s*\{solution(?:-start|-end)?\}", re.MULTILINE)
EXERCISE = re.compile(r"^[\s>]*(?:`{3,}|~{3,}|:{3,})\s*\{exercise(?:-start)?\}", re.MULTILINE)
GLUE_ROLE = re.compile(r"\{glue(?::[a-z]*)?\}`(?P<name>[^`:]+)")
GLUE_DIRECTIVE = re.compile(r"^[\s>]*(?:`{3,}|:{3,})\s*\{glue(?::[a-z]*)?\}\s+(?P<name>\S+)", re.MULTILINE)


class StudentEditionError(Exception):
    """The edition cannot be made safely; the message names the notebook, the cell and what to do."""


@dataclass
class Report:
    """What the edition did to one notebook."""

    path: str
    exercises: int = 0
    solutions: int = 0
    solution_cells: int = 0
    instructor_cells: int = 0
    #: Glued names only the removed text used (solutions, instructor notes), and those of them that kept
    #: cells glue, which the edition withholds.
    removed_only: list[str] = field(default_factory=list)
    withheld: list[str] = field(default_factory=list)
    seconds: float = 0.0
    removed_ids: list[str] = field(default_factory=list)

    def line(self) -> str:
        return (f"{self.path}: {self.exercises} exercises kept; {self.solutions} solutions removed "
                f"({self.solution_cells} whole cells, {len(self.withheld)} glued values withheld); "
                f"{self.instructor_cells} instructor-only cells removed; executed in {self.seconds:.1f} s")


# --- removing solutions and instructor-only cells -------------------------------------------------

_PARSER = MarkdownIt("commonmark").use(colon_fence_plugin)


def solution_fences(markdown: str) -> Iterator[tuple[str, str, int, int]]:
    """``(name, label, first line, end line)`` of every solution fence in ``markdown``, in order.

    Lines count from 0 and the end is exclusive (it includes the closing fence).
    Fences inside a blockquote or list count too; fences inside another
    directive's body do not (markdown-it does not parse a fence's body), which
    is why :func:`strip_notebook` also looks for leftovers.
    """
    for token in _PARSER.parse(markdown):
        if token.type in ("fence", "colon_fence") and token.map:
            match = DIRECTIVE.match(token.info.strip())
            if match:
                yield match["name"], match["label"], token.map[0], token.map[1]


def _tidy(lines: list[str]) -> str:
    """The kept lines as text: no run of blank lines longer than one, none at either end."""
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines))
    return text.strip("\n")


def strip_markdown(source: str, open_label: str | None, where: str) -> tuple[str, str | None, int]:
    """Remove the solution text from one Markdown cell.

    ``open_label`` is the label of a ``{solution-start}`` still open from an
    earlier cell (``None`` if none is). Returns the kept text, the label still
    open at the end of the cell, and the number of solutions that started here.
    """
    lines = source.replace("\r\n", "\n").split("\n")
    keep = [True] * len(lines)
    drop_from: int | None = 0 if open_label is not None else None
    started = 0
    for name, label, first, end in solution_fences("\n".join(lines)):
        if open_label is None:
            if name == "solution":
                keep[first:end] = [False] * (end - first)
                started += 1
            elif name == "solution-start":
                open_label, drop_from = label or "(no label)", first
                started += 1
            else:
                raise StudentEditionError(f"{where}: a {{solution-end}} fence with no {{solution-start}} before it")
        elif name == "solution-end":
            assert drop_from is not None
            keep[drop_from:end] = [False] * (end - drop_from)
            open_label, drop_from = None, None
        else:
            raise StudentEditionError(f"{where}: a {{{name}}} fence inside the solution of {open_label!r}, "
                                      "which is not closed by a {solution-end} before it")
    if open_label is not None:
        start = drop_from if drop_from is not None else 0
        keep[start:] = [False] * (len(lines) - start)
    kept = _tidy([line for line, wanted in zip(lines, keep) if wanted])
    leftover = LEFTOVER.search(kept)
    if leftover:
        raise StudentEditionError(f"{where}: a solution fence the parser did not place "
                                  f"({leftover.group(0).strip()!r}); is it inside another directive? "
                                  "Move it out, so that it can be removed")
    return kept, open_label, started


def _tags(cell: dict[str, Any]) -> list[str]:
    return list(cell.get("metadata", {}).get("tags", []))


def _source(cell: dict[str, Any]) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def glue_references(notebook: dict[str, Any]) -> set[str]:
    """The names the notebook's Markdown glues in (``{glue:}`name```, ``{glue:md}`name```, ``{glue:figure} name``)."""
    text = "\n".join(_source(cell) for cell in notebook["cells"] if cell["cell_type"] == "markdown")
    return {m["name"] for m in GLUE_ROLE.finditer(text)} | {m["name"] for m in GLUE_DIRECTIVE.finditer(text)}


def glued_names(notebook: dict[str, Any]) -> set[str]:
    """The names the notebook's stored outputs glue."""
    return {output.get("metadata", {}).get("scrapbook", {}).get("name")
            for cell in notebook["cells"] if cell["cell_type"] == "code"
            for output in cell.get("outputs", [])} - {None}


def withholding_cell(names: list[str]) -> dict[str, Any]:
    """A hidden code cell that keeps the glued values ``names`` out of the stored outputs.

    A hidden cell may glue values only the removed text uses (a solution's
    ``{glue:md}`ex4_changed_list```, the counts of the role-play's confidential
    section) together with values the kept text needs, so it stays; without
    this cell its stored outputs would hold the answers. The cell drops, in the
    kernel, every display glued under one of ``names``, so the stored outputs
    and any later run (nbval's, a student's) agree. It is not added when no
    such value is stored: glue a solution's values inside the solution.
    """
    listed = pprint.pformat(set(names), width=100, compact=True).replace("\n", "\n" + " " * 9)
    source = "\n".join([
        "# Student edition: values glued only for the text this edition leaves out (solutions, instructor notes).",
        "from IPython import get_ipython",
        "",
        "def withhold(names, display_pub=get_ipython().display_pub):",
        "    publish = display_pub.publish",
        "    def publish_unless_withheld(data, metadata=None, **options):",
        "        if (metadata or {}).get(\"scrapbook\", {}).get(\"name\") not in names:",
        "            publish(data, metadata, **options)",
        "    display_pub.publish = publish_unless_withheld",
        "",
        f"withhold({listed})",
    ])
    return {"cell_type": "code", "id": WITHHOLDING_ID, "metadata": {"tags": ["remove-cell"]},
            "execution_count": None, "outputs": [], "source": source}


def strip_notebook(notebook: dict[str, Any], name: str) -> tuple[dict[str, Any], Report]:
    """A copy of ``notebook`` (nbformat 4, as a dict) without solutions and instructor-only cells.

    Outputs are cleared (the copy is executed afterwards) and the source's
    ``book_inputs`` fingerprint and widget state are dropped. Values that only
    the removed text glues in, but that kept cells glue (as the source's stored
    outputs show), are withheld by :func:`withholding_cell`. ``name`` is used
    in messages and in the report.
    """
    report = Report(name)
    cells: list[dict[str, Any]] = []
    kept_code: list[dict[str, Any]] = []
    open_label: str | None = None
    for index, cell in enumerate(notebook["cells"]):
        where = f"{name}, cell {index}"
        cell_id = str(cell.get("id", index))
        if INSTRUCTOR_TAG in _tags(cell):
            report.instructor_cells += 1
            report.removed_ids.append(cell_id)
            continue
        if cell["cell_type"] != "markdown":
            if open_label is not None:
                report.solution_cells += 1
                report.removed_ids.append(cell_id)
                continue
            copy = json.loads(json.dumps(cell))
            if copy["cell_type"] == "code":
                kept_code.append(cell)
                copy["outputs"], copy["execution_count"] = [], None
                copy.get("metadata", {}).pop("execution", None)
            cells.append(copy)
            continue
        kept, open_label, started = strip_markdown(_source(cell), open_label, where)
        report.solutions += started
        if not kept.strip():
            report.solution_cells += 1
            report.removed_ids.append(cell_id)
            continue
        copy = json.loads(json.dumps(cell))
        copy["source"] = kept
        report.exercises += len(EXERCISE.findall(kept))
        cells.append(copy)
    if open_label is not None:
        raise StudentEditionError(f"{name}: the solution of {open_label!r} has no {{solution-end}}")
    stripped = {key: json.loads(json.dumps(value)) for key, value in notebook.items() if key != "cells"}
    stripped["cells"] = cells
    report.removed_only = sorted(glue_references(notebook) - glue_references(stripped))
    report.withheld = sorted(set(report.removed_only) & glued_names({"cells": kept_code}))
    if report.withheld:
        first_code = next((i for i, cell in enumerate(cells) if cell["cell_type"] == "code"), len(cells))
        cells.insert(first_code, withholding_cell(report.withheld))
    metadata = stripped.setdefault("metadata", {})
    metadata.pop("book_inputs", None)
    metadata.pop("widgets", None)
    return stripped, report


# --- which files --------------------------------------------------------------------------------


def student_sources(root: Path = ROOT) -> list[Path]:
    """The book's files in the edition (paths relative to ``root``): every chapter, then the chosen appendices.

    Raises :class:`StudentEditionError` when an appendix is in neither
    :data:`APPENDICES_IN` nor :data:`APPENDICES_OUT`, or a listed one is missing.
    """
    present = {path.name for path in (root / "appendices").iterdir()
               if path.is_file() and path.suffix in (".md", ".ipynb")}
    undecided = sorted(present - set(APPENDICES_IN) - set(APPENDICES_OUT))
    if undecided:
        raise StudentEditionError(f"appendices/{', appendices/'.join(undecided)}: add each to APPENDICES_IN or "
                                  f"APPENDICES_OUT in {Path(__file__).name} (students' material, or not)")
    missing = sorted(set(APPENDICES_IN) - present)
    if missing:
        raise StudentEditionError(f"appendices/{', appendices/'.join(missing)}: listed in APPENDICES_IN but not found")
    found = {path.relative_to(root) for path in (root / "chapters").glob("*.ipynb")}
    listed = [Path(f"{entry}.ipynb") for entry in toc_entries(root)]
    chapters = [path for path in listed if path in found] + sorted(found - set(listed))
    return chapters + [Path("appendices") / name for name in APPENDICES_IN]


def toc_entries(root: Path = ROOT) -> list[str]:
    """The files of ``_toc.yml`` (without suffix), in the book's order."""
    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    entries: list[str] = []

    def walk(items: list[dict[str, Any]]) -> None:
        for item in items:
            if "file" in item:
                entries.append(str(item["file"]))
            walk(item.get("sections", []) + item.get("chapters", []))

    walk(toc.get("parts", []) + toc.get("chapters", []))
    return entries


def _left_out(relative: str) -> bool:
    return any(fnmatch.fnmatch(relative, pattern) for pattern in DATA_LEFT_OUT)


def _copy_support(root: Path, out: Path) -> None:
    """Copy data/ (less :data:`DATA_LEFT_OUT`), utils/, :data:`ROOT_FILES` and a trimmed pyproject.toml into ``out``."""
    for path in sorted((root / "data").rglob("*")):
        relative = path.relative_to(root / "data").as_posix()
        if path.is_file() and not _left_out(relative) and not _hidden(relative):
            target = out / "data" / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
    for path in sorted((root / "utils").glob("*.py")):
        (out / "utils").mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, out / "utils" / path.name)
    for name in ROOT_FILES:
        shutil.copyfile(root / name, out / name)
    pyproject = (root / "pyproject.toml").read_text(encoding="utf-8")
    (out / "pyproject.toml").write_text(student_pyproject(pyproject), encoding="utf-8")


def student_pyproject(text: str) -> str:
    """``pyproject.toml`` with only :data:`PYPROJECT_TABLES` (and their sub-tables): no test or tool settings.

    A table's comment lines just above its header go with it. The result is
    checked to hold exactly the kept tables of the original.
    """
    chunks: list[tuple[str, list[str]]] = [("", [])]
    pending: list[str] = []
    for line in text.splitlines():
        header = re.match(r"^\[+\s*([^\]]+?)\s*\]+\s*$", line)
        if header:
            chunks.append((header.group(1), pending + [line]))
            pending = []
        elif line.startswith("#") or not line.strip():
            pending.append(line)
        else:
            chunks[-1][1].extend(pending + [line])
            pending = []
    kept = [lines for name, lines in chunks
            if any(name == table or name.startswith(table + ".") for table in PYPROJECT_TABLES)]
    result = "\n\n".join("\n".join(lines).strip("\n") for lines in kept) + "\n"
    original, trimmed = tomllib.loads(text), tomllib.loads(result)
    expected = {key: value for key, value in original.items() if key != "tool"}
    if "setuptools" in original.get("tool", {}):
        expected["tool"] = {"setuptools": original["tool"]["setuptools"]}
    if trimmed != expected:
        raise StudentEditionError("pyproject.toml: could not keep only its build, project and setuptools tables")
    return result


def _hidden(relative: str) -> bool:
    return any(part.startswith(".") or part in ("__pycache__", ".ipynb_checkpoints") for part in relative.split("/"))


# --- executing the copies -------------------------------------------------------------------------


def kernel_env(edition: Path) -> dict[str, str]:
    """The environment of a kernel that imports the edition's own ``utils`` (and so reads its ``data/``)."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(edition.resolve()), env.get("PYTHONPATH", "")]))
    env["PYTHONDONTWRITEBYTECODE"] = "1"  # no __pycache__ in the edition's utils/
    env.pop("BOOK_DATA_DIR", None)  # utils would read that folder instead of the edition's data/
    return env


def execute(path: Path, edition: Path) -> float:
    """Run the copy at ``path`` top to bottom in a fresh kernel and store its outputs; return the seconds.

    Widget state is stored and widget ids made stable as ``make execute`` does,
    so re-running an unchanged edition writes the same bytes.
    """
    notebook = nbformat.read(path, as_version=4)
    started = time.perf_counter()
    client = NotebookClient(notebook, timeout=120, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}},
                            store_widget_state=True, shutdown_kernel="immediate")
    try:
        client.execute(env=kernel_env(edition))
    except CellExecutionError as error:
        raise StudentEditionError(
            f"{path.name}: a kept cell failed, {error.ename}: {error.evalue}. It may use a value "
            "computed only in a removed solution or instructor-only cell: compute it outside the solution, "
            f"or tag the cell {INSTRUCTOR_TAG} too") from None
    elapsed = time.perf_counter() - started
    for cell in notebook.cells:
        cell.metadata.pop("execution", None)
    stable = stabilise_notebook(json.loads(nbformat.writes(notebook)), f"student-edition/{path.name}")
    nbformat.write(nbformat.from_dict(stable), path)
    return elapsed


# --- the edition ----------------------------------------------------------------------------------


def readme(notebooks: list[tuple[str, str]]) -> str:
    """The students' README: what the edition holds and how to run it. ``notebooks`` is (path, title) pairs."""
    contents = "\n".join(f"- `{path}`: {title}" for path, title in notebooks)
    return f"""# Negotiating the End of the War in Ukraine: student edition

The notebooks of the book, with every exercise and without the solutions. Work
through a chapter from top to bottom, then answer its exercises in new cells
under each one (in Markdown for written answers, in Python for data questions).

## Contents

{contents}

`data/` holds the book's tables (its `README.md` is the codebook, column by
column) and `utils/` the short Python package the notebooks use.

## Running the notebooks

On a learning platform with Jupyter: upload and unzip `{ZIP_NAME}`, open a
terminal in the `{ZIP_FOLDER}` folder, run `pip install --no-deps -e .` once
(and `pip install -r requirements.txt` first if the platform lacks pandas,
matplotlib or ipywidgets; without internet access, add `--no-build-isolation`),
and open the notebooks.

On your own computer, with Python 3.11 or newer, in the `{ZIP_FOLDER}` folder:

```bash
python3 -m venv .venv
.venv/bin/pip install -r requirements.txt     # on Windows: .venv\\Scripts\\pip
.venv/bin/pip install --no-deps -e .
.venv/bin/jupyter lab
```

Install the package with `-e` (editable): `utils` finds the tables in the
`data/` folder beside it. Each notebook runs on its own; choose "Run All Cells"
to start.

## Reading the notebooks

The text is written in MyST Markdown for the published book. JupyterLab with
jupyterlab-myst (in `requirements.txt`) shows each exercise as a box; without
it you see the markup, a block that begins with `` ````{{exercise}} ``. Some
markup shows either way: a name such as `n_quotes` in `` {{glue:}}`n_quotes` ``
stands for a number a hidden cell computes from the data, and a name in double
braces, such as `` {{{{ n_sources_word }}}} ``, for a word the published book
fills in; a term marked `` {{term}}`framing` `` is defined in
`appendices/glossary.md`. The tables and charts are the cells' outputs.

The excerpts quoted in the data are verbatim and remain their publishers'
copyright. Text, figures and data: CC BY 4.0; code: MIT (see `LICENSE`).
"""


def _title(path: Path, words: dict[str, str]) -> str:
    """The first level-1 heading of a page (or of the file it includes), with the book's scope words filled in."""
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".ipynb":
        text = "\n".join(_source(c) for c in json.loads(text)["cells"] if c["cell_type"] == "markdown")
    match = re.search(r"^# (.+)$", text, re.MULTILINE)
    included = re.search(r"^[`:]{3,}\{include\}\s+(\S+)", text, re.MULTILINE)
    if not match and included and (path.parent / included.group(1)).is_file():
        return _title(path.parent / included.group(1), words)
    title = match.group(1).strip() if match else path.stem
    return re.sub(r"\{\{\s*(\w+)\s*\}\}", lambda m: words.get(m.group(1), m.group(0)), title)


def _prepare(out: Path) -> None:
    """Empty ``out`` if this script wrote it (or it is empty); refuse any other folder."""
    if out.exists():
        if not (out / MARKER).exists() and any(out.iterdir()):
            raise StudentEditionError(f"{out} exists and was not written by {Path(__file__).name}; "
                                      "choose another --out or remove it yourself")
        shutil.rmtree(out)
    out.mkdir(parents=True)
    (out / MARKER).write_text("Written by scripts/student_edition.py; emptied on every build.\n", encoding="utf-8")


def write_zip(out: Path) -> Path:
    """Zip every file of ``out`` (but the zip and the marker) under :data:`ZIP_FOLDER`, in a fixed order and time."""
    target = out / ZIP_NAME
    files = sorted(p for p in out.rglob("*") if p.is_file() and p.name not in (ZIP_NAME, MARKER)
                   and not _hidden(p.relative_to(out).as_posix()))
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in files:
            info = zipfile.ZipInfo(f"{ZIP_FOLDER}/{path.relative_to(out).as_posix()}", date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, path.read_bytes())
    return target


def build(out: Path, root: Path = ROOT, jobs: int | None = None,
          log: Callable[[str], object] = print) -> list[Report]:
    """Write the student edition of the book at ``root`` into ``out``; return a report per notebook.

    ``out`` is emptied first (only if this function wrote it before). Raises
    :class:`StudentEditionError` when a solution cannot be removed safely, a
    kept cell fails, or a kept cell stores a value only the removed text uses;
    ``out`` is then removed, so that no half-made edition is left to hand out.
    """
    sources = student_sources(root)
    _prepare(out)
    try:
        return _build(out, root, sources, jobs, log)
    except BaseException:
        shutil.rmtree(out, ignore_errors=True)
        raise


def _build(out: Path, root: Path, sources: list[Path], jobs: int | None,
           log: Callable[[str], object]) -> list[Report]:
    _copy_support(root, out)
    reports: list[Report] = []
    notebooks: list[Path] = []
    for relative in sources:
        target = out / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        if relative.suffix != ".ipynb":
            shutil.copyfile(root / relative, target)
            continue
        stripped, report = strip_notebook(json.loads((root / relative).read_text(encoding="utf-8")),
                                          relative.as_posix())
        if relative.as_posix() in MUST_HAVE_INSTRUCTOR_CELLS and not report.instructor_cells:
            log(f"warning: {relative} has no cell tagged {INSTRUCTOR_TAG}; its instructor material is in the "
                "student edition")
        nbformat.write(nbformat.from_dict(stripped), target)
        reports.append(report)
        notebooks.append(target)
    workers = max(1, min(jobs or os.cpu_count() or 1, len(notebooks)))
    with ProcessPoolExecutor(max_workers=workers) as pool:
        running = [pool.submit(execute, path, out) for path in notebooks]
        failures = []
        for report, future in zip(reports, running):
            try:
                report.seconds = future.result()
            except StudentEditionError as error:
                failures.append(str(error))
    if failures:
        raise StudentEditionError("\n".join(failures))
    for report, path in zip(reports, notebooks):
        executed = json.loads(path.read_text(encoding="utf-8"))
        unresolved = sorted(glue_references(executed) - glued_names(executed))
        if unresolved:
            log(f"warning: {report.path}: the text outside the solutions glues {', '.join(unresolved)}, which only "
                "removed cells compute; glue each in a hidden cell outside the solutions (a solution that states "
                "the same value can glue its own under another name)")
        leaked = sorted(glued_names(executed) & set(report.removed_only))
        if leaked:
            raise StudentEditionError(f"{report.path}: kept cells store {', '.join(leaked)}, values only the removed "
                                      "text uses, which the source's stored outputs did not show; run `make execute` "
                                      "first")
        log(report.line())
    words = scope_words(load_data(out / "data"))
    (out / "README.md").write_text(readme([(p.as_posix(), _title(root / p, words)) for p in sources]),
                                   encoding="utf-8")
    target = write_zip(out)
    with zipfile.ZipFile(target) as archive:
        log(f"wrote {target} ({len(archive.namelist())} files, {target.stat().st_size / 1e6:.1f} MB)")
    return reports


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "_build" / "student",
                        help="the folder to write (default: _build/student)")
    parser.add_argument("--jobs", type=int, default=None, help="notebooks executed at once (default: the cores)")
    parser.add_argument("--root", type=Path, default=ROOT, help="the book to make it from (default: this one)")
    args = parser.parse_args(argv)
    try:
        build(args.out, root=args.root, jobs=args.jobs)
    except StudentEditionError as error:
        print(f"student edition not written: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
