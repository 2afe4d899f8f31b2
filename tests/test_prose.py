"""Prose that cannot drift from the data.

* The book's scope ("five sources", "2022–2025", the version) comes from
  ``sources.csv`` and ``pyproject.toml`` through :func:`utils.scope.scope_words`,
  never typed on a page.
* Every value a page glues is stored in its notebook, and is computed: a glue
  call whose value is a literal number is a typed number in disguise.
* :mod:`tests.test_glued_values` re-runs each notebook's code and compares each
  glued value with the stored one.
"""

from __future__ import annotations

import ast
import dataclasses
import json
import re
import shutil
from pathlib import Path

import pytest

from utils import load_data
from utils.scope import book_version, number_word, scope_words

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
NOTEBOOKS = sorted(ROOT.glob("chapters/*.ipynb")) + sorted(ROOT.glob("appendices/*.ipynb"))
PAGES = [ROOT / "intro.md", *sorted(ROOT.glob("appendices/*.md")), ROOT / "data" / "README.md"]

#: Typed statements of the book's scope; pages use ``{{ n_sources_word }}`` and the like.
TYPED_SCOPE = re.compile(
    r"\b(?:five|5)\s+(?:(?:source|original|news|US|English-language)\s+)*(?:sources|texts|chapters)\b"
    r"|\b20\d\d\s*[–-]\s*20\d\d\b"
    r"|\bNovember 2022 to April 2025\b", re.IGNORECASE)
GLUE_ROLE = re.compile(r"\{glue(?::\w*)?\}`([^`]+)`")


def markdown_of(path: Path) -> str:
    """A page's prose: a Markdown file, or the Markdown cells of a notebook."""
    if path.suffix == ".ipynb":
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        return "\n\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    return path.read_text(encoding="utf-8")


def glued_names(path: Path) -> set[str]:
    """The names a notebook's stored outputs glue."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return {output["metadata"]["scrapbook"]["name"]
            for cell in cells if cell["cell_type"] == "code"
            for output in cell.get("outputs", [])
            if "scrapbook" in output.get("metadata", {})}


def test_scope_words_come_from_the_sources() -> None:
    words = scope_words(load_data(FIXTURES / "valid"))
    assert words["n_sources"] == "2" and words["n_sources_word"] == "two"
    assert words["n_sources_word_cap"] == "Two"
    assert (words["first_source_month"], words["last_source_month"]) == ("November 2022", "November 2023")
    assert words["source_years"] == "2022–2023"
    assert words["book_version"] == book_version()


def test_adding_a_source_changes_the_scope_words(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    shutil.copytree(FIXTURES / "valid", folder)
    with (folder / "sources.csv").open("a", encoding="utf-8") as handle:
        handle.write("2025-08-gamma,Gamma,Outlet C,Outlet C,Writer C,2025-08-03,day,news report,false,,Third.,,\n")
    words = scope_words(load_data(folder))
    assert (words["n_sources_word"], words["last_source_month"], words["source_years"]) == (
        "three", "August 2025", "2022–2025")


def test_one_year_is_named_once_and_big_counts_as_digits() -> None:
    assert number_word(12) == "twelve" and number_word(40) == "40"
    data = load_data(FIXTURES / "valid")
    assert scope_words(dataclasses.replace(data, sources=data.sources.head(1)))["source_years"] == "2022"


@pytest.mark.parametrize("path", NOTEBOOKS + PAGES, ids=lambda p: p.stem)
def test_no_page_types_the_books_scope(path: Path) -> None:
    found = TYPED_SCOPE.findall(markdown_of(path))
    assert not found, (f"{path.name} types the book's scope {found}: use {{{{ n_sources_word }}}}, "
                       "{{ source_years }}, {{ first_source_month }} … (utils/scope.py)")


def test_the_scope_check_catches_typed_scope() -> None:
    for typed in ("the five texts", "five source chapters", "How the positions moved, 2022–2025",
                  "from November 2022 to April 2025", "across the five sources"):
        assert TYPED_SCOPE.search(typed), typed
    for fine in ("{{ n_sources_word }} texts", "five levels", "the 2022 invasion", "five of the 21 issues"):
        assert not TYPED_SCOPE.search(fine), fine


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_glued_name_in_the_prose_is_stored(path: Path) -> None:
    used = set(GLUE_ROLE.findall(markdown_of(path)))
    missing = sorted(name for name in used if "::" not in name and name not in glued_names(path))
    assert not missing, f"{path.name}: the prose uses {missing}, which no stored output glues (run make execute)"


def literal_glues(source: str) -> list[str]:
    """The names glued with a literal number or string as their value in one code cell."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if (isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) == "glue"
                and len(node.args) >= 2 and isinstance(node.args[1], ast.Constant)):
            found.append(ast.literal_eval(node.args[0]) if isinstance(node.args[0], ast.Constant) else "?")
    return found


def test_the_literal_glue_check_catches_a_typed_value() -> None:
    assert literal_glues('glue("n_gaps", 4)\nbook.glue("share", "61%")') == ["n_gaps", "share"]
    assert literal_glues('glue("n_gaps", int((table.status == "gap").sum()))') == []


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_no_value_is_glued_as_a_literal(path: Path) -> None:
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    typed = [name for c in cells if c["cell_type"] == "code" for name in literal_glues("".join(c["source"]))]
    assert not typed, f"{path.name} glues typed values {typed}: compute them from the data"


SOURCE_GLUE = re.compile(r"n_\w+|f\d\d")  # the chapter's standard counts and figures (book.glue_source_values)


def solution_glue_problems(cells: list[dict]) -> list[str]:
    """Results stated in a solution that the solution's own code does not compute.

    A ``{solution}`` block has no code, so it may quote only the chapter's standard values; in a
    ``{solution-start}`` … ``{solution-end}`` block every other glued value must come from a code
    cell inside the block: the reader sees the code that gives the result.
    """
    made_in = {output["metadata"]["scrapbook"]["name"]: index
               for index, cell in enumerate(cells) if cell["cell_type"] == "code"
               for output in cell.get("outputs", []) if "scrapbook" in output.get("metadata", {})}
    problems, start = [], None
    for index, cell in enumerate(cells):
        if cell["cell_type"] != "markdown":
            continue
        text = "".join(cell["source"])
        for block in re.findall(r"````\{solution\}[^\n]*\n(.*?)````", text, re.S):
            problems += [f"{name} in a solution without code" for name in GLUE_ROLE.findall(block)
                         if not SOURCE_GLUE.fullmatch(name)]
        for piece in re.split(r"(````\{solution-start\}|````\{solution-end\})", text):
            if piece == "````{solution-start}":
                start = index
            elif piece == "````{solution-end}":
                start = None
            elif start is not None:
                problems += [f"{name} (glued in cell {made_in.get(name)}, outside the solution opened in cell {start})"
                             for name in GLUE_ROLE.findall(piece)
                             if not SOURCE_GLUE.fullmatch(name) and not start < made_in.get(name, -1) < index]
    return problems


def test_the_solution_check_finds_a_result_computed_elsewhere() -> None:
    def code(name: str) -> dict:
        return {"cell_type": "code", "source": [], "outputs": [{"metadata": {"scrapbook": {"name": name}}}]}

    def md(text: str) -> dict:
        return {"cell_type": "markdown", "source": [text]}

    good = [md("````{solution-start} x\n````"), code("r"), md("It is {glue:}`r`.\n````{solution-end}\n````")]
    assert solution_glue_problems(good) == []
    elsewhere = [code("r"), md("````{solution-start} x\n````"), md("It is {glue:}`r`.\n````{solution-end}\n````")]
    assert len(solution_glue_problems(elsewhere)) == 1
    assert solution_glue_problems([md("````{solution} x\nIt is {glue:}`r`, of {glue:}`n_quotes`.\n````")]) == [
        "r in a solution without code"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_result_a_solution_states_is_computed_by_its_code(path: Path) -> None:
    problems = solution_glue_problems(json.loads(path.read_text(encoding="utf-8"))["cells"])
    assert not problems, f"{path.name}: {problems}"
