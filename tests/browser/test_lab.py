"""JupyterLab, headless, as an instructor opens the book with `make lab`: the lab edition
(``scripts/lab_edition.py``) as jupyterlab-myst renders it, the notebook trusted on open, and one
chapter run live with its what-if tool moved.

The server is the book's own (``.venv/bin/jupyter lab``, jupyterlab-myst installed from the lock),
on a free localhost port with a token (``--allow-root`` only as root). It serves the ``chapters/``
of a lab edition written into a temporary folder, and keeps its config, settings, runtime files,
trust database and IPython profile in a temporary folder too, so nothing is written to the
repository's notebooks or to the user's Jupyter folders; it is stopped (kernels first) whatever
the outcome.

What these tests prove jupyterlab-myst 2.7.0 renders of the lab edition in JupyterLab 4.6 (which
lists the extension as incompatible, over ``@jupyter/ydoc`` 3 against 4, yet loads and runs it):

* as in the book: the chapter's title; the learning-objectives admonition; ``{exercise}`` (a box
  titled "Exercise 1" with its statement); glued values (``{glue:}`t_settlement_issues``` reads
  "15", filled in by the edition from the stored outputs, before and after the cells have run);
  MyST substitutions (``{{ n_sources_word }}`` reads the word, filled in from the data);
* folded, as the book folds them: each multi-cell solution is a folded "Solution to Exercise N"
  box holding its prose, and its code cells are collapsed (JupyterLab's input and output
  placeholders);
* in a degraded form: ``{term}`` shows the term's words as a link to nothing (``href="#"``: the
  glossary is another document); ``{doc}`` shows the target's file name (``context-and-theory``),
  not its title; ``{cite}`` shows its key, marked "Citation Not Found".

``make lab-source`` opens the source notebooks instead, where glue, substitutions and solutions
show as written; the published book (``make book``) remains the place where everything reads as
written.
"""
from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from scripts import lab_edition
from utils import load_data
from utils.scope import scope_words

from . import site

ROOT = Path(__file__).resolve().parents[2]
BIN = ROOT / ".venv" / "bin"
SCREENSHOTS = ROOT / "_build" / "screenshots"
#: The chapter run live: it has exercises with gated solutions, glued values, glossary terms and the
#: what-if tool. The second is only opened: its prose uses a MyST substitution.
CHAPTER = "bargaining-ranges.ipynb"
SUBSTITUTED = "2022-11-not-nudging.ipynb"
#: The longest a step may take (a condition is waited for, never a fixed time); the whole module
#: takes well under a minute and a half on the 2-core reference machine.
STEP_MS = 60_000
#: Uncaught exceptions in the page (console messages are not counted: jupyterlab-myst logs every
#: glossary term it cannot resolve as a console error).
PAGE_ERRORS: list[str] = []


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    if not (BIN / "jupyter").exists():
        pytest.fail("no .venv/bin/jupyter: run `make env` (or `make test`) first")
    work = tmp_path_factory.mktemp("lab")
    lab_edition.build(work / "edition", log=lambda line: None)
    notebooks = work / "edition" / "chapters"
    with site.jupyter_lab(BIN, notebooks, work / "state", trust=[notebooks / CHAPTER]) as server:
        yield server


def open_notebook(browser, lab: site.JupyterLab, name: str) -> Page:
    """Open notebook ``name`` in a fresh browser context and wait until its Markdown is MyST-rendered."""
    page = browser.new_context(viewport=site.DESKTOP).new_page()
    page.on("pageerror", lambda error: PAGE_ERRORS.append(f"{name}: {error}"))
    # A workspace of its own, so the other notebook's tab is not restored over this one.
    page.goto(lab.url(f"lab/workspaces/{Path(name).stem}/tree/{name}"))
    page.locator(".jp-Notebook .jp-MarkdownCell .myst").first.wait_for(timeout=STEP_MS)
    return page


def scroll_to(locator) -> None:
    """Bring ``locator``'s element to the top of the notebook's view."""
    locator.evaluate("e => e.scrollIntoView({block: 'start'})")


def kernel_idle(page: Page) -> None:
    """Wait until the notebook's kernel has finished all it was asked."""
    expect(page.locator(".jp-StatusBar-TextItem", has_text="Python 3 (ipykernel) |")).to_have_text(
        re.compile(r"\| Idle$"), timeout=STEP_MS)


@pytest.fixture(scope="module")
def chapter(browser, lab):
    page = open_notebook(browser, lab, CHAPTER)
    yield page
    page.context.close()


def markdown_cell(page: Page, text: str):
    """The rendered Markdown cell whose source holds ``text`` (as rendered)."""
    return page.locator(".jp-MarkdownCell .myst", has_text=text).first


def _dry_run(target: str) -> list[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}
    return subprocess.run(["make", "-n", target], cwd=ROOT, env=env, capture_output=True, text=True,
                          check=True).stdout.splitlines()


def test_make_lab_builds_trusts_and_opens_the_edition_allowing_root_only_as_root() -> None:
    dry_run = _dry_run("lab")
    build = [i for i, line in enumerate(dry_run) if "scripts/lab_edition.py" in line]
    trust = [i for i, line in enumerate(dry_run) if "jupyter trust" in line]
    start = [i for i, line in enumerate(dry_run) if "jupyter lab" in line]
    assert len(build) == len(trust) == len(start) == 1, dry_run
    assert build[0] < trust[0] < start[0], dry_run
    assert "_build/lab/chapters/bargaining-ranges.ipynb" in dry_run[trust[0]], dry_run[trust[0]]
    assert dry_run[start[0]].endswith(" _build/lab/chapters"), dry_run[start[0]]
    assert ("--allow-root" in dry_run[start[0]]) == (os.geteuid() == 0), dry_run[start[0]]
    # make lab-source: the source notebooks, as make lab opened them before the edition.
    source = _dry_run("lab-source")
    assert not any("lab_edition.py" in line for line in source), source
    assert any("jupyter trust" in line and " chapters/bargaining-ranges.ipynb" in line for line in source), source
    assert [line for line in source if "jupyter lab" in line][0].endswith(" chapters"), source


def test_the_notebook_opens_trusted(chapter) -> None:
    trust = chapter.locator(".jp-StatusItem-trust")
    expect(trust).to_have_attribute("title", re.compile(r"^Notebook trusted"), timeout=STEP_MS)


def cell_of(locator):
    """The notebook cell (``.jp-Cell``) that holds ``locator``'s element."""
    return locator.locator("xpath=ancestor::div[contains(@class, 'jp-Cell ')][1]")


def test_myst_renders_an_exercise_and_a_folded_solution_with_its_code_collapsed(chapter) -> None:
    exercise = chapter.locator("aside.myst-exercise#bargaining-ranges-ex1")
    expect(exercise).to_be_visible()
    expect(exercise.locator(".myst-exercise-title")).to_have_text("Exercise 1")
    expect(exercise.locator(".myst-exercise-body")).to_contain_text("Level 1 · Reading.")
    # The edition's {admonition} Solution to Exercise 1 (:class: dropdown): folded, the prose inside it.
    solution = chapter.locator(".jp-MarkdownCell .myst details", has_text="Solution to Exercise 1").first
    expect(solution.locator("summary")).to_have_text(re.compile(r"Solution to Exercise 1"))
    assert solution.evaluate("d => d.open") is False, "the solution should start folded"
    assert "A good answer takes one of the former" in solution.text_content()
    prose = solution.locator("p", has_text="A good answer takes one of the former")
    expect(prose).to_be_hidden()
    # Its code cell follows, collapsed: a placeholder bar stands for its source, its output is hidden.
    code = cell_of(solution).locator("xpath=following-sibling::div[contains(@class, 'jp-Cell ')][1]")
    expect(code).to_have_class(re.compile(r"\bjp-CodeCell\b"))
    expect(code.locator(".jp-InputPlaceholder")).to_be_visible()
    expect(code.locator(".jp-InputArea")).to_be_hidden()
    expect(code.locator(".jp-OutputArea")).to_be_hidden()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    scroll_to(cell_of(exercise))
    chapter.screenshot(path=str(SCREENSHOTS / "lab-bargaining-ranges--exercises.png"))
    solution.locator("summary").click()
    expect(prose).to_be_visible()
    scroll_to(cell_of(solution))
    chapter.screenshot(path=str(SCREENSHOTS / "lab-bargaining-ranges--solution-open.png"))
    solution.locator("summary").click()


def test_title_and_admonition_render(chapter) -> None:
    expect(chapter.locator(".jp-MarkdownCell .myst .myst-fm-block-title")).to_have_text(
        "Bargaining ranges and the zone between coded limits")
    admonition = chapter.locator(".jp-MarkdownCell .myst aside.myst-admonition", has_text="Learning objectives")
    expect(admonition).to_be_visible()
    expect(admonition.locator("li")).to_have_count(4)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    scroll_to(chapter.locator(".jp-Cell").first)
    chapter.screenshot(path=str(SCREENSHOTS / "lab-bargaining-ranges.png"))


#: Where the chapter's prose glues ``{glue:}`t_settlement_issues```: the edition fills in its stored value.
GLUED = "Of the 15 settlement issues"


def test_glue_doc_cite_and_term_render_as_jupyterlab_myst_renders_them(chapter) -> None:
    # {glue:}`t_settlement_issues`: the value, as in the book, not the name.
    prose = markdown_cell(chapter, "A row is a settlement issue")
    expect(prose).to_contain_text(GLUED)
    expect(prose).not_to_contain_text("t_settlement_issues")
    expect(chapter.locator(".jp-MarkdownCell .myst", has_text=re.compile(r"\{glue|zone_counts"))).to_have_count(0)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    scroll_to(prose)
    chapter.screenshot(path=str(SCREENSHOTS / "lab-bargaining-ranges--glued.png"))
    # {term}`reservation point`: the term's words, as a link to nothing.
    term = chapter.locator(".jp-MarkdownCell .myst a.hover-link", has_text="reservation point").first
    expect(term).to_be_visible()
    expect(term).to_have_attribute("href", "#")
    # {doc}`context-and-theory`: the file name, not the chapter's title.
    expect(chapter.locator(".jp-MarkdownCell .myst a", has_text=re.compile(r"^context-and-theory$")).first).to_be_visible()
    # {cite}`raiffa1982art`: the key, marked as not found.
    expect(chapter.locator('.jp-MarkdownCell .myst [title="Citation Not Found"]', has_text="raiffa1982art")).to_be_visible()


def test_a_substitution_shows_its_value(browser, lab) -> None:
    word = scope_words(load_data())["n_sources_word"]
    page = open_notebook(browser, lab, SUBSTITUTED)
    try:
        expect(page.locator(".jp-MarkdownCell .myst", has_text=f"{word} sources").first).to_be_visible()
        expect(page.locator(".jp-MarkdownCell .myst", has_text="n_sources_word")).to_have_count(0)
    finally:
        page.context.close()


def test_run_all_cells_then_move_the_what_if_red_line(chapter) -> None:
    code = chapter.locator(".jp-CodeCell")
    what_if = code.filter(has_text="widgets.what_if_bargaining(data)")
    expect(what_if).to_have_count(1)
    chapter.get_by_role("menuitem", name="Edit").click()
    chapter.get_by_role("menuitem", name="Clear Outputs of All Cells", exact=True).click()
    expect(what_if.locator(".jp-OutputArea-output")).to_have_count(0)
    chapter.get_by_role("menuitem", name="Run", exact=True).click()
    chapter.get_by_role("menuitem", name="Run All Cells", exact=True).click()
    # Every cell's prompt, the collapsed solutions' too (their input area is hidden, not removed; the
    # placeholder bar that stands for it carries an empty prompt of its own).
    chapter.wait_for_function("""() => {
        const prompts = [...document.querySelectorAll('.jp-Notebook .jp-CodeCell .jp-InputArea .jp-InputPrompt')];
        return prompts.length > 0 && prompts.every(p => /^\\[\\d+\\]:$/.test(p.textContent.trim()));
    }""", timeout=STEP_MS)
    assert chapter.locator('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]').count() == 0
    assert chapter.locator(".jp-OutputArea-output .jp-RenderedText[data-mime-type*='error']").count() == 0
    # The prose keeps the value the edition filled in.
    expect(markdown_cell(chapter, "A row is a settlement issue")).to_contain_text(GLUED)
    sliders = what_if.locator(".widget-hslider")
    expect(sliders).to_have_count(2, timeout=STEP_MS)
    verdict = what_if.locator(".book-table-wrap:has(table.book-range) + .book-notice")
    expect(verdict).to_have_count(1)
    before = verdict.inner_text()
    moved = False
    for label in ("Ukraine's limit", "Russia's limit"):
        handle = sliders.filter(has_text=label).locator(".noUi-handle")
        low, now, high = (float(handle.get_attribute(f"aria-value{key}")) for key in ("min", "now", "max"))
        if low == high:
            continue
        handle.focus()
        chapter.keyboard.press("ArrowRight" if now < high else "ArrowLeft")
        expect(handle).not_to_have_attribute("aria-valuenow", str(int(now)) if now.is_integer() else str(now))
        moved = True
        break
    assert moved, "neither limit can move on the first issue"
    expect(verdict).not_to_have_text(before, timeout=STEP_MS)
    kernel_idle(chapter)
    scroll_to(what_if)
    chapter.screenshot(path=str(SCREENSHOTS / "lab-bargaining-ranges--what-if.png"))
    assert PAGE_ERRORS == []
