"""Every HTML builder in ``utils/`` escapes the text it takes from the data.

A copy of ``tests/fixtures/valid`` gets :data:`PAYLOAD` (a script tag, a double
and a single quote and an ampersand) in every free-text cell: names, roles,
labels, questions, level labels and descriptions, quotes, coder's notes,
titles, outlets, authors, metrics, units, events, the cited reference's author,
the review log's cells and a chapter's title. Each builder's output must show
it as text (``&lt;script&gt;``, ``&quot;``, ``&#x27;``, ``&amp;``) and never as
markup. :func:`assert_escaped` also parses the output: no ``script`` element,
and no quote breaks out of an attribute.

The HTML builders, found by :func:`test_every_html_builder_is_listed` (any
function with an HTML tag in a string or a call to ``HTML``, ``Markup``,
``html_table``, ``notice``, ``blockquote`` or ``table_wrap_open``), and the
test that covers each (:data:`COVERED`):

==========================================  ==================================================
render.esc, html_table, table_wrap_open,    test_render_builders
show_table, blockquote, notice,
source_link, source_card
book.timeline, excerpts, voices_table,      test_book_builders
positions_table, changes_since_previous,
figures_table, scales, coding_summary,
bargaining_summary
book.reliability_summary                    test_reliability_summary
figures.Chart.html (position_heatmap,       test_charts (SVG text nodes may keep quotes raw:
position_timeline_chart,                    they are safe there; the alt attribute may not)
bargaining_range_chart, voices_chart,
context_timeline)
roleplay.brief_html, briefs_html,           test_roleplay_builders
_evidence_text, reservations_html,
blank_score_sheet_html, score_sheet_html,
debrief_html (and debrief_table's text)
errata.summary_html, corrections_html,      test_errata_builders
rejected_html (listed_elsewhere's text)
widgets.positions_view, comparison_view,    test_widget_views
range_view (and its row, zone-row and
note helpers), zone_summary,
agreement_report
widgets.position_explorer,                  test_widget_explorers (every W.HTML in the tree;
actor_comparison, bargaining_explorer,      control labels are text: description_allow_html
timeline_explorer, two_way_switcher,        stays False)
one_way_switcher, view
widgets.what_if_bargaining (and its         test_live_only_widgets (static HTML, the widget's
inner callbacks), code_it_yourself,         HTML children, after moving the controls)
LiveOnly
==========================================  ==================================================

``sentences.py`` builds no HTML: it returns prose that the chapters glue as
Markdown (``{glue:md}``), as do ``book.glue_source_values``,
``roleplay.common_levels_md`` and ``roleplay.glue_values``. MyST renders raw HTML
and Markdown syntax in that prose, so each piece of data text goes through
``render.md_text``. Copies of the data (:func:`md_fixture`: ``tests/fixtures/valid``;
:func:`md_book_data`: the book's ``data/``, for the functions that glue a whole
page) get :data:`MD_PAYLOAD` (HTML, Markdown and MyST syntax, an entity) in their
labels, names, roles, outlets and units. :func:`assert_markdown_shows` then requires of
every value: no ``<`` at all (so nothing from the data is HTML), and MyST's parser
(the book's extensions, and dollar math and strikethrough) turns it into text
with no element, reading exactly as the same value built without escaping
(``md_text`` replaced by ``str``): the data is shown as written, never read as
markup. The Markdown builders, found by :func:`test_every_markdown_builder_is_listed`
(any function that calls ``Markdown``, ``md_text`` or ``figure_md``, or such a
function of its module; in ``sentences.py`` also every function returning a
``str``), and their tests (:data:`COVERED_MARKDOWN`):

==========================================  ==================================================
render.md_text                              test_md_text, test_md_text_keeps_ordinary_text
sentences.issue_phrase, source_phrase,      test_markdown_phrases (on :func:`md_fixture`)
scale_phrase, levels_phrase,
levels_by_source, actor_path,
unlevelled_phrase, limit_phrase,
own_words_share_phrase, assumed_limits,
reporters_of, coverage_sentence (with
alpha_coverage, _lower_first);
roleplay.common_levels_md, _labels;
book.figure_md, glue_source_values
sentences.positions_values,                 test_markdown_page_values (on :func:`md_book_data`)
bargaining_values, voices_values,
codebook_values, solution_values (and its
_positions_ex…, _bargaining_ex…,
_voices_ex…); roleplay.glue_values;
book.glue_reliability, glue_source_values
sentences.join_words, count_phrase,         test_markdown_without_data_text (numbers and fixed
count_word, steps_phrase, span_words,       words only: nothing to escape)
_verb, _limits_are, _is_are,
own_words_sentence, zone_counts_phrase,
both_coded_phrase, shrink_phrase,
spread_comparison, _disagreement_kind,
adjudication_kinds
errata.glue_values                          test_errata_glue_values_hold_no_data_text (dates)
sentences.voices_table, _source_words       test_sentence_table_holds_plain_text (a DataFrame:
                                            pandas escapes its HTML)
==========================================  ==================================================

The chapters and appendices glue Markdown from the data in their own code cells
too (``Markdown(md_text(…))``): :func:`test_notebooks_glue_data_text_as_text`
runs every notebook's code on the book's data made hostile and checks each glued
Markdown value (no ``<``, no element, the payload whole where it shows).
"""

from __future__ import annotations

import ast
import csv
import html
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from unittest import mock

import ipywidgets as W
import pandas as pd
import pytest
import yaml
from IPython.display import Markdown
from markdown_it.renderer import RendererHTML
from myst_parser.config.main import MdParserConfig
from myst_parser.parsers.mdit import create_md_parser

from utils import analysis, book, errata, figures, load_data, render, roleplay, sentences, widgets
from utils.schema import TABLES, TABLES_BY_NAME

from .fixture_data import fixture_copy
from .test_glued_values import NOTEBOOKS, recomputed_glues

ROOT = Path(__file__).resolve().parents[1]
VALID = Path(__file__).parent / "fixtures" / "valid"
PAYLOAD = "<script>alert(1)</script> X\"onemark Y'twomark Z&threemark"
ESCAPED_TAG = "&lt;script&gt;alert(1)&lt;/script&gt;"
#: Each marker as it must never appear raw, and as it must appear escaped.
MARKERS = {'X"onemark': "X&quot;onemark", "Y'twomark": "Y&#x27;twomark", "Z&threemark": "Z&amp;threemark"}


# --- The check ---------------------------------------------------------------------------------


class _Scan(HTMLParser):
    """Tags, attribute names and values, and text of a page, entities decoded."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attribute_names: list[str] = []
        self.attribute_values: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attribute_names += [name for name, _ in attrs]
        self.attribute_values += [value or "" for _, value in attrs]

    handle_startendtag = handle_starttag

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def assert_escaped(page: str, where: str = "", quotes_in_text: bool = False) -> None:
    """``page`` shows :data:`PAYLOAD` only as text: escaped in the source, intact once parsed.

    ``quotes_in_text`` allows raw quotes in text nodes (matplotlib's SVG escapes only ``<``,
    ``>`` and ``&`` there, which is safe); attribute values must still escape them.
    """
    assert "<script" not in page.lower(), f"{where}: a raw script tag"
    assert ESCAPED_TAG in page, f"{where}: the data's text is not shown (escaped) at all"
    for raw, escaped in MARKERS.items():
        if not (quotes_in_text and raw[1] in "\"'"):
            assert raw not in page, f"{where}: {raw!r} is not escaped"
    assert any(escaped in page for escaped in MARKERS.values()), where
    scan = _Scan()
    scan.feed(page)
    scan.close()
    assert "script" not in scan.tags, f"{where}: a script element"
    assert not any(re.search(r"(one|two|three)mark", name) for name in scan.attribute_names), \
        f"{where}: a quote broke out of an attribute: {scan.attribute_names}"
    for value in scan.attribute_values:
        for token in ("onemark", "twomark", "threemark"):
            assert value.count(token) == value.count(next(m for m in MARKERS if m.endswith(token))), \
                f"{where}: attribute value cut short: {value!r}"
    assert any("<script>alert(1)</script>" in text for text in scan.text + scan.attribute_values), \
        f"{where}: the payload does not read back as text"


def page_of(value: object) -> str:
    """The HTML of an IPython ``HTML``, a :class:`figures.Chart` or a string."""
    if isinstance(value, figures.Chart):
        return value.html()
    return value.data if hasattr(value, "data") else str(value)


def widget_pages(widget: W.Widget) -> list[str]:
    """Every ``W.HTML`` value in a widget tree; checks the controls' labels are shown as text."""
    found, stack = [], [widget]
    while stack:
        current = stack.pop()
        if isinstance(current, W.HTML):
            found.append(current.value)
        if hasattr(current, "description_allow_html"):
            assert not current.description_allow_html, f"{type(current).__name__} renders its label as HTML"
        stack.extend(getattr(current, "children", ()))
    return found


# --- The hostile data --------------------------------------------------------------------------

HOSTILE_CELLS = {  # table -> columns whose every cell gets the payload
    "sources.csv": ("title", "outlet", "short_name", "authors", "summary"),
    "actors.csv": ("name", "role"),
    "issues.csv": ("label", "question"),
    "issue_levels.csv": ("label", "description"),
    "quotes.csv": ("text",),
    "positions.csv": ("note",),
    "figures.csv": ("metric", "quote"),
    "events.csv": ("title",),
}
REFERENCE = "hostile-ref"
ADDED = {
    # Ukraine coded again in the second source, so "what changed" has a row.
    "positions.csv": [{"position_id": "2023-11-beta-p03", "actor_id": "ukraine", "issue_id": "territory",
                       "level": "2", "stance": "red-line", "basis": "reported", "quote_id": "2023-11-beta-q01",
                       "stated_on": "2023-11-01", "stated_precision": "month", "reference": REFERENCE,
                       "note": "Added."}],
    "figures.csv": [{"figure_id": "2023-11-beta-f01", "source_id": "2023-11-beta", "metric": "A count",
                     "value": "1", "unit": f"units {PAYLOAD}", "as_of": "2023-11-01", "as_of_precision": "month",
                     "qualifier": "exact", "reference": REFERENCE, "quote": "one"}],
    "events.csv": [{"event_id": "2023-11-20-cited", "date": "2023-11-20", "date_precision": "day",
                    "title": "Cited", "source_id": "2023-11-beta", "reference": REFERENCE}],
}
CONTEXT_EVENTS = [{"context_id": "ctx-talks", "date": "2022-10-01", "date_precision": "month", "label": "",
                   "title": "", "kind": "talks", "event_id": "", "reference": REFERENCE},
                  {"context_id": "ctx-g20", "date": "2022-11-15", "date_precision": "day", "label": "",
                   "title": "", "kind": "statement", "event_id": "2022-11-15-g20", "reference": REFERENCE}]
CODING_ROWS = {
    "first-coder.csv": [("2022-11-alpha", "ukraine", "territory", "1", "goal", "own words", "2022-11-alpha-q01"),
                        ("2023-11-beta", "russia", "territory", "3", "goal", "reported", "2023-11-beta-q01"),
                        ("2023-11-beta", "ukraine", "territory", "2", "red-line", "reported", "2023-11-beta-q01")],
    "second-coder.csv": [("2022-11-alpha", "ukraine", "territory", "1", "goal", "own words", "2022-11-alpha-q01"),
                         ("2023-11-beta", "russia", "territory", "2", "goal", "reported", "2023-11-beta-q01"),
                         ("2023-11-beta", "ukraine", "territory", "3", "red-line", "reported", "2023-11-beta-q01")],
}


def _rewrite(path: Path, change) -> None:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        header, rows = list(reader.fieldnames or []), list(reader)
    header, rows = change(header, rows)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=header, restval="")
        writer.writeheader()
        writer.writerows(rows)


def _hostile(value: str) -> str:
    return f"{value} {PAYLOAD}"


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The book's folder layout in miniature: data/ (hostile), references.bib, _toc.yml, chapters/."""
    root = tmp_path_factory.mktemp("escaping")
    data = Path(shutil.copytree(VALID, root / "data"))
    for table in TABLES:
        path = data / table.file_name
        if not path.exists():
            continue

        def change(header, rows, table=table):
            header += [name for name in table.column_names if name not in header]
            rows += [dict(row) for row in ADDED.get(table.file_name, [])]
            for row in rows:
                for column in HOSTILE_CELLS.get(table.file_name, ()):
                    row[column] = _hostile(row[column])
            return header, rows

        _rewrite(path, change)
    context = TABLES_BY_NAME["context_events"]
    with (data / "context_events.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=context.column_names)
        writer.writeheader()
        writer.writerows({**row, "label": _hostile("Talks"), "title": _hostile("Talks held")}
                         for row in CONTEXT_EVENTS)
    (root / "references.bib").write_text(f"@misc{{{REFERENCE},\n  author = {{{PAYLOAD}}},\n  year = {{2024}},\n}}\n",
                                         encoding="utf-8")
    coding = data / "coding"
    coding.mkdir()
    for name, rows in CODING_ROWS.items():
        with (coding / name).open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["source_id", "actor_id", "issue_id", "level", "stance", "basis", "quote_id", "note"])
            writer.writerows((*row, PAYLOAD) for row in rows)
    with (coding / "review-2026-01-01.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["where", "finding", "decision", "reason"])
        writer.writerow([f"2022-11-alpha-p01 {PAYLOAD}", _hostile("Level too high."), "fixed", PAYLOAD])
        writer.writerow([f"actors.csv {PAYLOAD}", _hostile("A name."), "rejected", PAYLOAD])
        writer.writerow(["method ranges", _hostile("Limits."), "fixed", _hostile("Also 2022-11-alpha.")])
    (root / "_toc.yml").write_text("chapters:\n- file: chapters/2022-11-alpha\n- file: chapters/2023-11-beta\n",
                                   encoding="utf-8")
    (root / "chapters").mkdir()
    (root / "chapters" / "2022-11-alpha.ipynb").write_text(
        '{"cells": [{"cell_type": "markdown", "metadata": {}, "source": ["# Alpha %s"]}]}'
        % PAYLOAD.replace('"', '\\"'), encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def data(folder: Path):
    loaded = load_data(folder / "data")
    assert PAYLOAD in loaded.reference_labels[REFERENCE]  # the payload reached every table
    assert loaded.actors["name"].str.contains(PAYLOAD, regex=False).all()
    return loaded


# --- render.py ---------------------------------------------------------------------------------


def test_render_builders(data) -> None:
    frame = pd.DataFrame({"a": [PAYLOAD, None], "b": [1, PAYLOAD]})
    assert render.esc(PAYLOAD) == html.escape(PAYLOAD, quote=True)
    assert render.esc(render.Markup("<b>ok</b>")) == "<b>ok</b>"  # built here from escaped parts
    pages = {
        "esc": render.esc(PAYLOAD),
        "html_table": render.html_table(frame, {"a": PAYLOAD, "b": "B"}, caption=PAYLOAD, row_classes=[PAYLOAD, ""]),
        "table_wrap_open": render.table_wrap_open(PAYLOAD) + "</div>",
        "show_table": page_of(render.show_table(frame, {"a": "A", "b": PAYLOAD}, caption=PAYLOAD)),
        "blockquote": render.blockquote(PAYLOAD, PAYLOAD, PAYLOAD),
        "notice": render.notice(PAYLOAD, kind=PAYLOAD),
        "source_link": render.source_link(data, "2022-11-alpha"),
        "source_card": page_of(render.source_card(data, "2023-11-beta")),
    }
    for name, page in pages.items():
        assert_escaped(page, name)


# --- book.py -----------------------------------------------------------------------------------


BOOK_BUILDERS = {
    "timeline": lambda d: book.timeline(d, "2023-11-beta"),
    "timeline (first source)": lambda d: book.timeline(d, "2022-11-alpha"),
    "excerpts": lambda d: book.excerpts(d, ["2022-11-alpha-q01", "2023-11-beta-q01"]),
    "voices_table": lambda d: book.voices_table(d, "2022-11-alpha"),
    "positions_table": lambda d: book.positions_table(d, "2023-11-beta"),
    "changes_since_previous": lambda d: book.changes_since_previous(d, "2023-11-beta"),
    "figures_table": lambda d: book.figures_table(d, "2023-11-beta"),
    "scales": lambda d: book.scales(d),
    "bargaining_summary": lambda d: book.bargaining_summary(d),
    "bargaining_summary (own words)": lambda d: book.bargaining_summary(d, bases=("own words",)),
}


@pytest.mark.parametrize("name", sorted(BOOK_BUILDERS))
def test_book_builders(data, name) -> None:
    assert_escaped(page_of(BOOK_BUILDERS[name](data)), name)


def test_book_coding_summary_shows_no_free_text_and_stays_well_formed(data) -> None:
    """Blocs and bases are fixed choices and the note is counts: no data text to escape."""
    page = page_of(book.coding_summary(data))
    assert "<script" not in page.lower() and "alert(1)" not in page
    scan = _Scan()
    scan.feed(page)
    assert {"table", "caption", "td", "p"} <= set(scan.tags) and "script" not in scan.tags


def test_reliability_summary(data, folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOOK_DATA_DIR", str(folder / "data"))  # load_codings reads data/coding/ from here
    assert_escaped(page_of(book.reliability_summary(data)), "reliability_summary")


# --- figures.py --------------------------------------------------------------------------------


CHARTS = {
    "position_heatmap": lambda d: figures.position_heatmap(d, analysis.position_matrix(d), PAYLOAD),
    "position_timeline_chart": lambda d: figures.position_timeline_chart(d, "territory"),
    "bargaining_range_chart": lambda d: figures.bargaining_range_chart(d, "territory"),
    "voices_chart": lambda d: figures.voices_chart(d),
    "context_timeline": lambda d: figures.context_timeline(d),
}


@pytest.mark.parametrize("name", sorted(CHARTS))
def test_charts(data, name) -> None:
    chart = CHARTS[name](data)
    assert_escaped(chart.html(), name, quotes_in_text=True)
    label = re.search(r'aria-label="([^"]*)"', chart.html()).group(1)
    assert html.escape(PAYLOAD, quote=True) in label  # the alt text, quotes and all, escaped
    assert_escaped(chart.svg, name + " (svg)", quotes_in_text=True)


# --- roleplay.py -------------------------------------------------------------------------------


ROLEPLAY_BUILDERS = {
    "brief_html": lambda d: roleplay.brief_html(d, "Ukraine"),
    "brief_html (Russia)": lambda d: roleplay.brief_html(d, "Russia"),
    "briefs_html": lambda d: roleplay.briefs_html(d),
    "reservations_html": lambda d: roleplay.reservations_html(d),
    "blank_score_sheet_html": lambda d: roleplay.blank_score_sheet_html(d),
    "score_sheet_html": lambda d: roleplay.score_sheet_html(d, {"territory": 2, "nato-membership": None}),
    "debrief_html": lambda d: roleplay.debrief_html(d, {"territory": 2, "nato-membership": 3}),
}


@pytest.mark.parametrize("name", sorted(ROLEPLAY_BUILDERS))
def test_roleplay_builders(data, name) -> None:
    assert_escaped(page_of(ROLEPLAY_BUILDERS[name](data)), name)


def test_roleplay_evidence_cell_is_markup_built_from_escaped_parts(data) -> None:
    position = roleplay.issue_position(data, "Ukraine", "territory")
    cell = roleplay._evidence_text(data, position.goal_evidence)
    assert isinstance(cell, render.Markup)  # passed through html_table unchanged, so escaped here
    assert_escaped(cell, "_evidence_text")


# --- errata.py ---------------------------------------------------------------------------------


@pytest.fixture()
def errata_frame(data, folder: Path, monkeypatch: pytest.MonkeyPatch) -> pd.DataFrame:
    original = errata.chapter_title
    monkeypatch.setattr(errata, "chapter_title", lambda chapter_id, substitutions=None, **_: original(
        chapter_id, folder / "chapters", substitutions))
    frame = errata.errata(data, errata.review_logs(folder / "data" / "coding"), toc=folder / "_toc.yml")
    assert any(PAYLOAD in label for label in frame["part_label"])  # a chapter's title, from its notebook
    return frame


@pytest.mark.parametrize("name", ["summary_html", "corrections_html", "rejected_html"])
def test_errata_builders(errata_frame, name) -> None:
    assert_escaped(page_of(getattr(errata, name)(errata_frame)), name)


# --- widgets.py (read only: edited elsewhere) ---------------------------------------------------


WIDGET_VIEWS = {
    "positions_view": lambda d: widgets.positions_view(d, "territory", pd.Timestamp("2024-01-01"), PAYLOAD),
    "comparison_view": lambda d: widgets.comparison_view(d, "ukraine", "russia"),
    "comparison_view (same actor)": lambda d: widgets.comparison_view(d, "ukraine", "ukraine"),
    "range_view": lambda d: widgets.range_view(d, "territory"),
    "range_view (what-if)": lambda d: widgets.range_view(d, "territory", {("Ukraine", "territory"): 3}),
    "range_view (own words)": lambda d: widgets.range_view(d, "territory", bases=("own words",)),
    "zone_summary": lambda d: widgets.zone_summary(d),
    "agreement_report": lambda d: widgets.agreement_report(
        d, ["2022-11-alpha-p01", "2023-11-beta-p01"], [1, widgets.NO_LEVEL], ["goal", ""]),
}


@pytest.mark.parametrize("name", sorted(WIDGET_VIEWS))
def test_widget_views(data, name) -> None:
    assert_escaped(WIDGET_VIEWS[name](data), name)


EXPLORERS = {
    "position_explorer": lambda d: widgets.position_explorer(d),
    "actor_comparison": lambda d: widgets.actor_comparison(d, ["ukraine", "russia"]),
    "bargaining_explorer": lambda d: widgets.bargaining_explorer(d),
    "timeline_explorer": lambda d: widgets.timeline_explorer(d),
}


@pytest.mark.parametrize("name", sorted(EXPLORERS))
def test_widget_explorers(data, name) -> None:
    pages = widget_pages(EXPLORERS[name](data))
    assert pages
    assert_escaped("".join(pages), name, quotes_in_text=name == "timeline_explorer")
    for page in pages:  # each view on its own: none unescaped
        assert "<script" not in page.lower()


def test_live_only_widgets(data) -> None:
    tool = widgets.what_if_bargaining(data)
    assert_escaped(tool.static_html, "what_if_bargaining (static)")
    assert_escaped(tool._repr_mimebundle_()["text/html"], "LiveOnly bundle")
    sliders = [w for w in _walk(tool.widget) if isinstance(w, W.IntSlider)]
    for slider in sliders:  # move every red line: the redrawn views stay escaped
        slider.value = slider.max if slider.value != slider.max else slider.min
    assert_escaped("".join(widget_pages(tool.widget)), "what_if_bargaining (live)")
    lab = widgets.code_it_yourself(data, ["2022-11-alpha-p01", "2023-11-beta-p03"])
    assert_escaped(lab.static_html, "code_it_yourself (static)")
    assert_escaped("".join(widget_pages(lab.widget)), "code_it_yourself (live)")
    for chooser in (w for w in _walk(lab.widget) if isinstance(w, W.Dropdown) and w.description != "Stance:"):
        chooser.value = 1
    next(w for w in _walk(lab.widget) if isinstance(w, W.Button)).click()
    assert_escaped(lab.widget.children[-1].value, "code_it_yourself (report)")


def _walk(widget: W.Widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from _walk(child)


# --- Markdown glued from the data ----------------------------------------------------------------

#: Raw HTML, Markdown and MyST syntax (emphasis, a link, a role, a substitution, dollar math, an
#: entity, an autolink, a table cell, strikethrough, a backslash): each must read as written.
MD_PAYLOAD = ("<script>alert(1)</script> <b>x</b> *emph* __strong__ [link](javascript:x) {glue}`x` "
              "{{ sub }} $x$ &amp; <http://x.org> a|b ~~s~~ \\")
#: The cells that get it: every free text a Markdown builder takes from the data.
MD_CELLS = {"issues.csv": ("label",), "issue_levels.csv": ("label",), "actors.csv": ("name", "role"),
            "sources.csv": ("short_name",), "figures.csv": ("unit",), "context_events.csv": ("label",)}
#: An analyst's words on Ukraine, so reporters_of finds a name as well as a text's author.
MD_ADDED = {
    "quotes.csv": [{"quote_id": "2023-11-beta-q02", "source_id": "2023-11-beta", "speaker_id": "analyst-a",
                    "text": "Kyiv wants to join.", "kind": "author's claim", "sourcing": "author's own"}],
    "positions.csv": [{"position_id": "2023-11-beta-p03", "actor_id": "ukraine", "issue_id": "nato-membership",
                       "level": "1", "stance": "goal", "basis": "reported", "quote_id": "2023-11-beta-q02",
                       "stated_on": "2023-11-01", "stated_precision": "month", "note": "Fixture."}],
}
#: MyST's parser as the book configures it (``_config.yml``), with dollar math and strikethrough too.
MYST = create_md_parser(MdParserConfig(enable_extensions=set(
    yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))["parse"]["myst_enable_extensions"])
    | {"dollarmath", "strikethrough"}), RendererHTML)


def _md_hostile_copy(source: Path, target: Path, added: dict | None = None, names: bool = True) -> Path:
    """``source`` copied to ``target`` (:func:`fixture_copy`), :data:`MD_PAYLOAD` after every :data:`MD_CELLS`
    cell (actors' names left as they are if not ``names``)."""
    fixture_copy(source, target, added)
    for name, columns in MD_CELLS.items():
        def change(header, rows, columns=columns):
            for row in rows:
                for column in columns:
                    if names or column != "name":
                        row[column] = f"{row[column]} {MD_PAYLOAD}"
            return header, rows

        if (target / name).exists():
            _rewrite(target / name, change)
    return target


@pytest.fixture(scope="module")
def md_fixture(tmp_path_factory: pytest.TempPathFactory):
    """``tests/fixtures/valid`` (and :data:`MD_ADDED`) with :data:`MD_PAYLOAD` in its labels, names, outlets, units."""
    loaded = load_data(_md_hostile_copy(VALID, tmp_path_factory.mktemp("markdown") / "data", MD_ADDED))
    assert loaded.actors["name"].str.endswith(MD_PAYLOAD).all()
    return loaded


def _md_book_copy(tmp_path_factory: pytest.TempPathFactory, names: bool = True) -> Path:
    root = tmp_path_factory.mktemp("markdown-book")
    shutil.copy(ROOT / "references.bib", root / "references.bib")
    return _md_hostile_copy(ROOT / "data", root / "data", names=names)


@pytest.fixture(scope="module")
def md_book_data(tmp_path_factory: pytest.TempPathFactory):
    """The book's own ``data/`` (its issue and actor ids are what the page-level functions ask for), hostile
    the same way; its folder, for ``data/coding/``."""
    folder = _md_book_copy(tmp_path_factory)
    return load_data(folder), folder


@pytest.fixture(scope="module")
def md_book_folder_names_kept(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """As :func:`md_book_data`, actors' names as they are (a chapter that picks rows by name)."""
    return _md_book_copy(tmp_path_factory, names=False)


def markdown_of(value: object) -> dict[str, str]:
    """The Markdown text(s) of a builder's result: a string, a ``Markdown``, a list, or a dict of glued values
    (numbers left out)."""
    if isinstance(value, dict):
        return {f"{key}{inner}": text for key, item in value.items() for inner, text in markdown_of(item).items()}
    if isinstance(value, Markdown):
        return {"": value.data}
    if isinstance(value, list):
        return {"": "; ".join(value)}
    return {"": value} if isinstance(value, str) else {}


def glued(function, *args) -> dict[str, object]:
    """What ``function`` (``book.glue_source_values`` …) glues through ``book.glue``, by name."""
    found: dict[str, object] = {}
    with mock.patch.object(book, "glue", lambda name, value: found.__setitem__(name, value)):
        function(*args)
    return found


def unescaped(build, data):
    """``build(data)`` with ``md_text`` replaced by ``str``: what the reader must see."""
    with mock.patch.object(sentences, "md_text", str), mock.patch.object(roleplay, "md_text", str), \
            mock.patch.object(book, "md_text", str):
        return build(data)


def shown(markdown: str) -> str:
    """What a reader sees of ``markdown`` glued inline (``{glue:md}``): the text MyST makes of it.
    Fails if MyST makes any element of it (no Markdown syntax or HTML is read)."""
    page = MYST.renderInline(markdown)
    assert "<" not in page, f"MyST reads markup in {markdown!r}: {page!r}"
    return html.unescape(page)


def assert_markdown_shows(value: object, plain: object, where: str) -> int:
    """Every Markdown text of ``value`` holds no ``<`` and reads as the same text of ``plain``; returns how
    many hold :data:`MD_PAYLOAD`."""
    texts, expected = markdown_of(value), markdown_of(plain)
    assert texts.keys() == expected.keys(), where
    for name, text in texts.items():
        assert "<" not in text, f"{where} {name}: a raw '<' from the data: {text!r}"
        assert shown(text) == expected[name], f"{where} {name}: {text!r} does not read {expected[name]!r}"
    return sum(MD_PAYLOAD in text for text in expected.values())


@pytest.mark.parametrize("text", [
    MD_PAYLOAD, "&lt; &#60; &copy;", "\\*not emphasis\\*", "a <!-- comment --> b", "![image](x.png)",
    "[^note] and [ref][1]", "`code` and ``more``", "(target)= x", "+++ --- *** ___",
])
def test_md_text(text: str) -> None:
    """Any text reads as written, inline (``{glue:md}``) and as a block (``{glue:md}`` directives)."""
    escaped = render.md_text(text)
    assert "<" not in escaped
    assert shown(escaped) == text
    assert html.unescape(re.sub(r"</?p>", "", MYST.render(escaped))).strip() == text


@pytest.mark.parametrize("text, escaped", [
    ("<b>x</b> & *y*", "&lt;b&gt;x&lt;/b&gt; &amp; \\*y\\*"),
    ("a_b [c](d) {e}`f` $g$ h|i ~j~ \\", "a\\_b \\[c\\](d) \\{e\\}\\`f\\` \\$g\\$ h\\|i \\~j\\~ \\\\"),
    ("# h\n- i\n+ j\n  = k\n% l\n: m\n12. n\r3) o", "\\# h\n\\- i\n\\+ j\n  \\= k\n\\% l\n\\: m\n12\\. n\r3\\) o"),
    ("a # b - c 1. d: e", "a # b - c 1. d: e"),  # only at a line's start
    (3, "3"),
])
def test_md_text_escapes_exactly(text, escaped) -> None:
    assert render.md_text(text) == escaped


def test_md_text_keeps_ordinary_text() -> None:
    """Words, digits, hyphens, dashes, apostrophes and ordinary punctuation stay as they are, byte for byte."""
    text = "Russia's line – 3 · “Freeze” (probable), e.g. NATO-led; 50% of 1,000: yes! no? a/b \"quoted\" 2022."
    assert render.md_text(text) == text
    for text in ("", "1", "2023", "Donald Trump", "Where the line runs", "Kyiv", "a - b"):
        assert render.md_text(text) == text


MARKDOWN_PHRASES = {
    "issue_phrase": lambda d: sentences.issue_phrase(d, ["territory", "nato-membership"]),
    "source_phrase": lambda d: sentences.source_phrase(d, "2023-11-beta"),
    "scale_phrase": lambda d: sentences.scale_phrase(d, "territory"),
    "levels_phrase": lambda d: sentences.levels_phrase(d, "territory"),
    "levels_phrase (latest)": lambda d: sentences.levels_phrase(d, "territory", latest=True),
    "levels_by_source": lambda d: sentences.levels_by_source(d, "territory"),
    "actor_path": lambda d: sentences.actor_path(d, "ukraine", "territory"),
    "unlevelled_phrase": lambda d: sentences.unlevelled_phrase(d, "nato-membership"),
    "limit_phrase": lambda d: sentences.limit_phrase(d, "Ukraine", "territory"),
    "own_words_share_phrase": lambda d: sentences.own_words_share_phrase(d, MD_PAYLOAD),
    "assumed_limits": lambda d: sentences.assumed_limits(d),
    "reporters_of": lambda d: sentences.reporters_of(d, "Russia") + sentences.reporters_of(d, "Ukraine"),
    "coverage_sentence": lambda d: sentences.coverage_sentence(sentences.alpha_coverage(pd.DataFrame(
        {"issue_id": d.issues["issue_id"], "label": d.issues["label"], "alpha": [0.9, 0.5],
         "paired_levels": [12, 3]}), minimum=10), minimum=10),
    "common_levels_md": lambda d: roleplay.common_levels_md(d, roleplay.reservation_points(d), ["Ukraine", "Russia"],
                                                            "territory"),
    "_labels": lambda d: roleplay._labels(d, ["territory", "nato-membership"]),
    "figure_md": lambda d: [book.figure_md(v, u, q) for v, u, q in zip(d.figures["value"], d.figures["unit"],
                                                                       d.figures["qualifier"])]
                           + [book.figure_md(1, f"shells {MD_PAYLOAD}", "lower bound")],
    "glue_source_values": lambda d: glued(book.glue_source_values, d, "2022-11-alpha"),
}


@pytest.mark.parametrize("name", sorted(MARKDOWN_PHRASES))
def test_markdown_phrases(md_fixture, name) -> None:
    build = MARKDOWN_PHRASES[name]
    assert assert_markdown_shows(build(md_fixture), unescaped(build, md_fixture), name), \
        f"{name}: the data's text is not shown at all"


MARKDOWN_PAGES = {
    "positions_values": sentences.positions_values,
    "bargaining_values": sentences.bargaining_values,
    "voices_values": sentences.voices_values,
    "codebook_values": sentences.codebook_values,
    **{f"solution_values ({label})": lambda d, label=label: sentences.solution_values(d, label)
       for label in sentences._SOLUTIONS},
    "roleplay.glue_values": roleplay.glue_values,
    "glue_reliability": lambda d: glued(book.glue_reliability, d),
    "glue_source_values": lambda d: glued(book.glue_source_values, d, "2025-04-verge-of-halting"),
}


def test_markdown_page_values(md_book_data, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every value a page glues, on the book's data made hostile: shown as written (most hold the payload)."""
    data, folder = md_book_data
    monkeypatch.setenv("BOOK_DATA_DIR", str(folder))  # data/coding/ for the codebook's values
    holding = {name: assert_markdown_shows(build(data), unescaped(build, data), name)
               for name, build in MARKDOWN_PAGES.items()}
    for name in ("positions_values", "bargaining_values", "voices_values", "codebook_values",
                 "roleplay.glue_values", "glue_source_values"):
        assert holding[name], f"{name}: no value shows the data's text"
    assert sum(holding.values()) >= 40, holding


#: Notebooks whose code picks rows by an actor's name: run with the names left as they are.
NAMES_ARE_KEYS = {"2022-11-not-nudging"}
#: Notebooks that glue no data text as Markdown (the errata's dates come from the logs' names).
NO_MARKDOWN_DATA = {"errata"}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.stem)
def test_notebooks_glue_data_text_as_text(path: Path, md_book_data, md_book_folder_names_kept,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """Every value a chapter or appendix glues as Markdown, its code cells run on the book's data made
    hostile (as tests/test_glued_values.py runs them): no ``<``, no element once MyST reads it, and the
    payload whole wherever it shows (not read, not escaped twice)."""
    folder = md_book_folder_names_kept if path.stem in NAMES_ARE_KEYS else md_book_data[1]
    monkeypatch.setenv("BOOK_DATA_DIR", str(folder))
    texts = {name: bundle["text/markdown"] for name, bundle in recomputed_glues(path).items()
             if "text/markdown" in bundle}
    holding = 0
    for name, text in texts.items():
        assert "<" not in text, f"{path.name} {name}: a raw '<' from the data: {text!r}"
        seen = shown(text)
        assert seen.count("alert(1)") == seen.count(MD_PAYLOAD), f"{path.name} {name}: {text!r} reads {seen!r}"
        holding += MD_PAYLOAD in seen
    assert holding or path.stem in NO_MARKDOWN_DATA, f"{path.name}: no glued value shows the data's text"


def test_markdown_without_data_text(md_fixture) -> None:
    """These build their words from numbers and fixed words only: nothing in them needs escaping."""
    table = analysis.bargaining_table(md_fixture)
    texts = [
        sentences.join_words(["a", "b", "c"]), sentences.count_phrase(3, "column"), sentences.count_word(0),
        sentences.steps_phrase(2), sentences.span_words(2, 4), sentences._verb(2, "is", "are"),
        sentences._limits_are(4), sentences._is_are(3), *(sentences.own_words_sentence(c, o) for c, o in
                                                         ((0, 0), (1, 1), (3, 0), (3, 1))),
        sentences.zone_counts_phrase(table), sentences.both_coded_phrase(table),
        sentences.shrink_phrase({"Ukraine": (9, 2), "Russia": (3, 0)}),
        *sentences.spread_comparison(md_fixture, "territory").values(),
        *(sentences._disagreement_kind(a, b) for a, b in (("not coded", "2"), ("2 (goal)", "3 (goal)"))),
        *sentences.adjudication_kinds(str(ROOT / "data")),
    ]
    for text in texts:
        assert render.md_text(text) == text and "alert" not in text, text


def test_errata_glue_values_hold_no_data_text(errata_frame) -> None:
    """The appendix's dates in words come from the logs' names, which are dates: no data text."""
    values = errata.glue_values(errata_frame)
    assert assert_markdown_shows(values, values, "errata.glue_values") == 0
    assert "alert" not in str(values)


def test_sentence_table_holds_plain_text(md_fixture) -> None:
    """``voices_table`` is a DataFrame, shown through pandas' HTML (escaped): its sources are plain words."""
    table = sentences.voices_table(md_fixture, ["ukraine", "russia"], "territory")
    assert all(label.endswith(f"({'Outlet A' if 'November 2022' in label else 'Outlet B'} {MD_PAYLOAD})")
               for label in table.index)
    assert "<script" not in table._repr_html_() and "&lt;script&gt;" in table._repr_html_()


# --- Nothing missed -----------------------------------------------------------------------------

#: Every HTML builder the scan finds, and the test that covers it. Nested callbacks are found
#: with the function that defines them.
COVERED = {
    "render": {name: "test_render_builders" for name in (
        "esc", "html_table", "table_wrap_open", "show_table", "blockquote", "notice", "source_link",
        "source_card")},
    "book": {**{name: "test_book_builders" for name in (
        "timeline", "excerpts", "voices_table", "positions_table", "changes_since_previous", "figures_table",
        "scales", "bargaining_summary")},
        "coding_summary": "test_book_coding_summary_shows_no_free_text_and_stays_well_formed",
        "reliability_summary": "test_reliability_summary"},
    "figures": {"Chart.html": "test_charts", "Chart._repr_html_": "test_charts",
                "_to_chart": "test_charts"},
    "roleplay": {**{name: "test_roleplay_builders" for name in (
        "brief_html", "briefs_html", "reservations_html", "blank_score_sheet_html", "score_sheet_html",
        "debrief_html", "debrief_table")},
        "_evidence_text": "test_roleplay_evidence_cell_is_markup_built_from_escaped_parts"},
    "errata": {name: "test_errata_builders" for name in (
        "summary_html", "corrections_html", "rejected_html", "listed_elsewhere")},
    "widgets": {**{name: "test_widget_views" for name in (
        "positions_view", "comparison_view", "range_view", "zone_summary", "agreement_report",
        "_band_row", "_zone_row", "_limit_notes", "zone_verdict", "_level_with_stance", "_verdict")},
        **{name: "test_widget_explorers" for name in (
            "view", "two_way_switcher", "one_way_switcher", "position_explorer", "actor_comparison",
            "bargaining_explorer", "timeline_explorer")},
        **{name: "test_live_only_widgets" for name in (
            "what_if_bargaining", "code_it_yourself", "LiveOnly._repr_mimebundle_")}},
    "sentences": {},  # no HTML: its prose is Markdown, listed in COVERED_MARKDOWN
}
TAG = re.compile(r"<[a-zA-Z/]")
SINKS = {"HTML", "Markup", "html_table", "notice", "blockquote", "table_wrap_open", "show_table"}


def html_builders(module: str) -> set[str]:
    """Functions (and methods, as ``Class.method``) of ``utils/<module>.py`` that build HTML:
    an HTML tag in a string (docstrings aside) or a call to one of :data:`SINKS`."""
    tree = ast.parse((ROOT / "utils" / f"{module}.py").read_text(encoding="utf-8"))
    found = set()

    def builds_html(function: ast.AST) -> bool:
        docstring = ast.get_docstring(function, clean=False)
        for node in ast.walk(function):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value != docstring \
                    and TAG.search(node.value):
                return True
            if isinstance(node, ast.Call):
                name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
                if name in SINKS:
                    return True
        return False

    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and builds_html(node):
            found.add(node.name)
        elif isinstance(node, ast.ClassDef):
            found |= {f"{node.name}.{item.name}" for item in node.body
                      if isinstance(item, ast.FunctionDef) and builds_html(item)}
    return found


@pytest.mark.parametrize("module", sorted(path.stem for path in (ROOT / "utils").glob("*.py")))
def test_every_html_builder_is_listed(module) -> None:
    missing = html_builders(module) - set(COVERED.get(module, {}))
    assert not missing, (f"utils/{module}.py builds HTML in {sorted(missing)}: add an escaping test for each to "
                         "tests/test_escaping.py and list it in COVERED and the module docstring")
    assert set(COVERED.get(module, {}).values()) <= set(globals()), "COVERED names a test that does not exist"


#: Every Markdown builder the scan finds (:func:`markdown_builders`), and the test that covers it.
COVERED_MARKDOWN = {
    "render": {"md_text": "test_md_text"},
    "sentences": {
        **{name: "test_markdown_phrases" for name in (
            "issue_phrase", "source_phrase", "scale_phrase", "levels_phrase", "levels_by_source", "actor_path",
            "unlevelled_phrase", "limit_phrase", "own_words_share_phrase", "assumed_limits", "reporters_of",
            "coverage_sentence", "alpha_coverage", "_lower_first")},
        **{name: "test_markdown_page_values" for name in (
            "positions_values", "bargaining_values", "voices_values", "codebook_values", "solution_values",
            "_positions_ex1", "_positions_ex2", "_positions_ex3", "_positions_ex4", "_bargaining_ex1",
            "_bargaining_ex2", "_bargaining_ex3", "_bargaining_ex4", "_voices_ex1", "_voices_ex2")},
        **{name: "test_markdown_without_data_text" for name in (
            "join_words", "count_phrase", "count_word", "steps_phrase", "span_words", "_verb", "_limits_are",
            "_is_are", "own_words_sentence", "zone_counts_phrase", "both_coded_phrase", "shrink_phrase",
            "spread_comparison", "_disagreement_kind", "adjudication_kinds")},
        **{name: "test_sentence_table_holds_plain_text" for name in ("voices_table", "_source_words")}},
    "book": {"figure_md": "test_markdown_phrases", "glue_source_values": "test_markdown_phrases",
             "glue_reliability": "test_markdown_page_values"},
    "roleplay": {"common_levels_md": "test_markdown_phrases", "_labels": "test_markdown_phrases",
                 "glue_values": "test_markdown_page_values"},
    "errata": {"glue_values": "test_errata_glue_values_hold_no_data_text"},
}
MARKDOWN_SINKS = {"Markdown", "md_text", "figure_md"}


def markdown_builders(module: str) -> set[str]:
    """Functions (and methods) of ``utils/<module>.py`` that build Markdown for the prose: a call to one of
    :data:`MARKDOWN_SINKS` (``map(md_text, …)`` included) or to another such function of the module and, in
    ``sentences.py`` (whose prose the chapters glue as Markdown), every function that returns a ``str``."""
    tree = ast.parse((ROOT / "utils" / f"{module}.py").read_text(encoding="utf-8"))
    functions = {node.name: node for node in tree.body if isinstance(node, ast.FunctionDef)}
    functions.update({f"{node.name}.{item.name}": item for node in tree.body if isinstance(node, ast.ClassDef)
                      for item in node.body if isinstance(item, ast.FunctionDef)})

    def called(function: ast.AST) -> set[str]:
        names = set()
        for node in ast.walk(function):
            if isinstance(node, ast.Call):
                names.add(node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", ""))
                names.update(arg.id for arg in node.args if isinstance(arg, ast.Name))  # map(md_text, …)
        return names

    found = {name for name, function in functions.items() if called(function) & MARKDOWN_SINKS}
    if module == "sentences":
        found |= {name for name, function in functions.items()
                  if function.returns is not None and ast.unparse(function.returns) == "str"}
    while True:
        more = {name for name, function in functions.items() if name not in found
                and called(function) & {known.rsplit(".", 1)[-1] for known in found}}
        if not more:
            return found
        found |= more


@pytest.mark.parametrize("module", sorted(path.stem for path in (ROOT / "utils").glob("*.py")))
def test_every_markdown_builder_is_listed(module) -> None:
    missing = markdown_builders(module) - set(COVERED_MARKDOWN.get(module, {}))
    assert not missing, (f"utils/{module}.py builds Markdown in {sorted(missing)}: escape its data text with "
                         "render.md_text, add a test to tests/test_escaping.py and list it in COVERED_MARKDOWN "
                         "and the module docstring")
    assert set(COVERED_MARKDOWN.get(module, {}).values()) <= set(globals()), \
        "COVERED_MARKDOWN names a test that does not exist"
