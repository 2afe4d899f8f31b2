"""The lab edition (``make lab``, ``scripts/lab_edition.py``): glued values and substitutions filled in,
multi-cell solutions folded with their code cells collapsed, and nothing else changed.

The transform is checked on a small notebook made here and on the book's own chapter
``bargaining-ranges`` (transformed in memory, nothing written); :func:`test_build_writes_the_layout`
writes the whole edition once into a temporary folder.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scripts import lab_edition as le
from utils.book import GLUE_PREFIX

ROOT = Path(__file__).resolve().parents[1]
HIDDEN = {"source_hidden": True, "outputs_hidden": True}


def md(source: str) -> dict:
    return {"cell_type": "markdown", "id": f"m{abs(hash(source)) % 10**8}", "metadata": {}, "source": source}


def code(source: str, outputs=(), metadata=None) -> dict:
    return {"cell_type": "code", "id": f"c{abs(hash(source)) % 10**8}", "metadata": dict(metadata or {}),
            "execution_count": 1, "outputs": list(outputs), "source": source}


def glued(name: str, **data: str) -> dict:
    return {"output_type": "display_data", "metadata": {"scrapbook": {"name": name, "mime_prefix": GLUE_PREFIX}},
            "data": {GLUE_PREFIX + mime.replace("_", "/"): value for mime, value in data.items()}}


def notebook() -> dict:
    return {"nbformat": 4, "nbformat_minor": 5, "metadata": {"kernelspec": {"name": "python3"}}, "cells": [
        code("book.glue('n', 15)\nbook.glue('words', Markdown('two **issues**'))",
             [glued("n", text_plain="15"), glued("words", text_plain="<Markdown>", text_markdown="two **issues**")],
             {"tags": ["remove-cell"]}),
        md("Of the {glue:}`n` issues, {glue:md}`words`; {{ n_sources_word }} sources."),
        md("````{exercise}\n:label: demo-ex1\n\nDo it.\n````"),
        md("````{solution-start} demo-ex1\n:class: dropdown\n````"),
        code("answer = 42\nprint(answer)", [{"output_type": "stream", "name": "stdout", "text": "42\n"}]),
        md("The answer is {glue:}`n`.\n\n````{solution-end}\n````\n\nAfter the solution."),
        code("print('after')"),
    ]}


def test_glue_and_substitutions_are_replaced_by_their_values() -> None:
    folded, report = le.fold_notebook(notebook(), "demo.ipynb", words={"n_sources_word": "five"})
    assert folded["cells"][1]["source"] == "Of the 15 issues, two **issues**; five sources."
    assert (report.glued, report.substituted, report.unresolved) == (3, 1, [])


def test_glue_values_prefer_markdown_then_plain() -> None:
    assert le.glue_values(notebook()) == {"n": "15", "words": "two **issues**"}


def test_unknown_names_stay_as_written() -> None:
    nb = notebook()
    nb["cells"][1]["source"] = "{glue:}`missing` and {{ unknown }}"
    folded, report = le.fold_notebook(nb, "demo.ipynb", words={})
    assert folded["cells"][1]["source"] == "{glue:}`missing` and {{ unknown }}"
    assert sorted(report.unresolved) == ["{glue:}`missing`", "{{ unknown }}"]


def test_a_solution_is_folded_and_its_code_collapsed() -> None:
    folded, report = le.fold_notebook(notebook(), "demo.ipynb", words={"n_sources_word": "five"})
    cells = folded["cells"]
    header = cells[3]["source"]
    assert header.startswith("```{admonition} Solution to Exercise 1\n:class: dropdown\n")
    assert "The answer is 15." in header and header.rstrip().endswith("```")
    assert "solution-start" not in header and "solution-end" not in header
    assert cells[4]["metadata"]["jupyter"] == HIDDEN
    assert cells[4]["outputs"] == notebook()["cells"][4]["outputs"]
    # The prose moved into the box; the text after the end fence stays in its cell.
    assert cells[5]["cell_type"] == "markdown" and cells[5]["source"] == "After the solution."
    assert "jupyter" not in cells[6]["metadata"] and "jupyter" not in cells[0]["metadata"]
    assert (report.solutions, report.hidden_cells) == (1, 1)


def test_unbalanced_solutions_stop_the_edition() -> None:
    nb = notebook()
    del nb["cells"][5]
    with pytest.raises(le.LabEditionError, match="no {solution-end}"):
        le.fold_notebook(nb, "demo.ipynb", words={})


def _code_cells(nb: dict) -> list[dict]:
    return [c for c in nb["cells"] if c["cell_type"] != "markdown"]


def test_the_chapter_changes_only_its_prose_and_the_solutions_metadata() -> None:
    source = json.loads((ROOT / "chapters" / "bargaining-ranges.ipynb").read_text(encoding="utf-8"))
    folded, report = le.fold_notebook(source, "bargaining-ranges.ipynb", words={})
    assert report.unresolved == []
    assert folded["metadata"] == source["metadata"]
    before, after = _code_cells(source), _code_cells(folded)
    assert [c["id"] for c in after] == [c["id"] for c in before]
    for old, new in zip(before, after):
        assert new["source"] == old["source"] and new["outputs"] == old["outputs"]
        assert new["execution_count"] == old["execution_count"]
        extra = {k: v for k, v in new["metadata"].items() if new["metadata"].get(k) != old["metadata"].get(k)}
        assert extra in ({}, {"jupyter": HIDDEN})
    assert sum(c["metadata"].get("jupyter") == HIDDEN for c in after) == report.hidden_cells == 4
    text = "\n".join(c["source"] for c in folded["cells"] if c["cell_type"] == "markdown")
    assert "{glue" not in text and "solution-start" not in text and "solution-end" not in text
    assert "Of the 15 settlement issues" in text
    for number in range(1, 5):
        assert f"{{admonition}} Solution to Exercise {number}\n:class: dropdown" in text
    # Markdown outside the solutions is unchanged but for the values filled in.
    values = le.glue_values(source)
    untouched = [c["source"] if isinstance(c["source"], str) else "".join(c["source"])
                 for c in source["cells"] if c["cell_type"] == "markdown" and "solution" not in "".join(c["source"])]
    for original in untouched:
        expected = le.GLUE_ROLE.sub(lambda m: values[m["name"]].strip(), original)
        assert expected in text


def test_build_writes_the_layout(tmp_path) -> None:
    out = tmp_path / "lab"
    reports = le.build(out, log=lambda line: None)
    assert {r.path for r in reports} == {p.as_posix() for p in le.lab_sources()}
    assert (out / "chapters" / "bargaining-ranges.ipynb").exists()
    assert (out / "data" / "sources.csv").exists()  # ../data from a chapter
    assert all(not r.unresolved for r in reports), [r.line() for r in reports if r.unresolved]
    text = (out / "chapters" / "context-and-theory.ipynb").read_text(encoding="utf-8")
    assert "{{ n_sources_word }}" not in text and "{{ first_source_month }}" not in text
    with pytest.raises(le.LabEditionError, match="not written by this script"):
        le.build(tmp_path, log=lambda line: None)
