"""The context chapter: its events table, its timeline figure, and what the chapter promises.

``context_events.csv`` is the one table whose rows come from outside the texts, so
every row must cite an entry of ``references.bib``; a bad row stops the load with
the file, the CSV line and the column, like every other table.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from utils import DataError, figures, load_data
from utils.references import read_bibliography

ROOT = Path(__file__).resolve().parents[1]
CHAPTER = ROOT / "chapters" / "context-and-theory.ipynb"
GLOSSARY = ROOT / "appendices" / "glossary.md"
HEADER = "context_id,date,date_precision,label,title,kind,event_id,reference"
GOOD_ROW = "2022-11-05-report,2022-11-05,day,A report,A newspaper reports something,report,,good2022key"
BIB = "@misc{good2022key,\n  author = {{An Outlet}},\n  title = {A report},\n  year = {2022},\n}\n"


@pytest.fixture(scope="module")
def data():
    return load_data()


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A copy of the book's tables and bibliography (plus one test entry), with a one-row context table."""
    folder = tmp_path / "data"
    shutil.copytree(ROOT / "data", folder, ignore=shutil.ignore_patterns("coding", "*.md"))
    bibliography = (ROOT / "references.bib").read_text(encoding="utf-8")
    (tmp_path / "references.bib").write_text(f"{bibliography}\n{BIB}", encoding="utf-8")
    (folder / "context_events.csv").write_text(f"{HEADER}\n{GOOD_ROW}\n", encoding="utf-8")
    return folder


def chapter_markdown() -> str:
    notebook = json.loads(CHAPTER.read_text(encoding="utf-8"))
    return "\n".join("".join(c["source"]) for c in notebook["cells"] if c["cell_type"] == "markdown")


# --- the table -------------------------------------------------------------------------------

def test_the_fixture_with_a_context_table_loads(data_dir: Path) -> None:
    frame = load_data(data_dir).context_events
    assert list(frame["context_id"]) == ["2022-11-05-report"]
    assert str(frame["date"].dtype).startswith("datetime64")


def test_a_folder_without_the_table_loads_with_an_empty_one(data_dir: Path) -> None:
    (data_dir / "context_events.csv").unlink()
    frame = load_data(data_dir).context_events
    assert frame.empty and "reference" in frame.columns


BAD_ROWS = {
    "unknown bibliography key": ("2022-11-05-report,2022-11-05,day,A report,Something,report,,nosuchkey2022",
                                 "reference", "not a key of references.bib"),
    "reference missing": ("2022-11-05-report,2022-11-05,day,A report,Something,report,,", "reference", "empty"),
    "bad date": ("2022-11-05-report,2022-11-31,day,A report,Something,report,,good2022key", "date",
                 "not a real calendar date"),
    "unknown kind": ("2022-11-05-report,2022-11-05,day,A report,Something,rumour,,good2022key", "kind",
                     "not one of"),
    "unknown event": ("2022-11-05-report,2022-11-05,day,A report,Something,report,2099-01-01-nothing,good2022key",
                      "event_id", "not in events.csv"),
    "month not on day 01": ("2022-11-05-report,2022-11-05,month,A report,Something,report,,good2022key", "date",
                            "day 01"),
}


@pytest.mark.parametrize("case", sorted(BAD_ROWS))
def test_a_bad_row_names_file_line_and_column(data_dir: Path, case: str) -> None:
    row, column, words = BAD_ROWS[case]
    (data_dir / "context_events.csv").write_text(f"{HEADER}\n{GOOD_ROW.replace('2022-11-05-report', 'a-first')}\n"
                                                 f"{row}\n", encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load_data(data_dir)
    error = caught.value
    assert (error.file, error.line, error.column) == ("context_events.csv", 3, column)
    assert words in str(error)


def test_a_duplicate_id_is_refused(data_dir: Path) -> None:
    (data_dir / "context_events.csv").write_text(f"{HEADER}\n{GOOD_ROW}\n{GOOD_ROW}\n", encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load_data(data_dir)
    assert (caught.value.file, caught.value.line, caught.value.column) == ("context_events.csv", 3, "context_id")


def test_shipped_context_events_cite_the_bibliography_and_link_to_events(data) -> None:
    events = data.context_events
    assert len(events) >= 12
    keys = read_bibliography(ROOT / "references.bib")
    assert set(events["reference"]) <= set(keys)
    linked = events["event_id"].dropna()
    assert set(linked) <= set(data.events["event_id"])
    assert events["context_id"].str[:10].eq(events["date"].dt.strftime("%Y-%m-%d")).all()


def test_the_period_has_background_before_it_and_events_inside_it(data) -> None:
    first = data.sources["published"].min().to_period("M").to_timestamp()
    last = data.sources["published"].max()
    before = data.context_events["date"] < first
    assert before.any() and (~before).any()
    assert (data.context_events["date"] <= last).all()


# --- the figure --------------------------------------------------------------------------------

def test_the_timeline_is_accessible_deterministic_and_described(data) -> None:
    chart = figures.context_timeline(data)
    assert chart.svg.startswith("<svg") and 'aria-hidden="true"' in chart.svg
    assert chart.html().startswith('<figure class="book-chart" role="img" aria-label="')
    assert chart.svg == figures.context_timeline(data).svg
    for label in data.context_events["label"]:
        assert label in chart.alt, f"{label!r} missing from the alt text"
    assert f"{len(data.context_events)} cited outside events" in chart.alt
    assert not re.search(r"\b\d{4}-\d{2}-\d{2}\b", chart.svg + chart.alt), "dates must be shown at their precision"


def test_the_timeline_shows_each_date_at_its_precision_and_what_the_texts_mention(data) -> None:
    chart = figures.context_timeline(data)
    assert "a text dated only to the month is drawn as a bar across that month" in chart.alt
    mentioned = int(data.context_events["event_id"].notna().sum())
    assert f"the {mentioned} also mentioned in the texts are outlined" in chart.alt
    assert chart.alt.count("; also mentioned in the texts)") == mentioned
    for kind in data.context_events["kind"]:
        assert f"({figures.CONTEXT_STYLES[kind][2].lower()}; " in chart.alt, kind


def test_close_markers_are_set_side_by_side_and_labels_do_not_overlap() -> None:
    assert figures._dodge([0.0, 0.05, 0.08, 1.0], 0.09, 0.045) == [0.0, 0.045, 0.0, 0.0]
    placed = figures._spread_heights([0.0, 0.1, 2.0], [0.36, 0.54, 0.36])
    assert placed == [0.0, 0.45, 2.0]


def test_the_timeline_refuses_an_empty_context_table(data_dir: Path) -> None:
    (data_dir / "context_events.csv").unlink()
    empty = load_data(data_dir)
    with pytest.raises(ValueError, match="no rows"):
        figures.context_timeline(empty)  # nothing to draw is an error, not a blank figure


# --- the chapter and the glossary -------------------------------------------------------------

def test_the_chapter_cites_every_event_and_enough_references(data) -> None:
    text = chapter_markdown()
    cited = set(re.findall(r"\{cite(?::\w+)?\}`([^`]+)`", text))
    cited = {key.strip() for group in cited for key in group.split(",")}
    keys = read_bibliography(ROOT / "references.bib")
    assert cited <= set(keys), f"unknown keys {sorted(cited - set(keys))}"
    assert set(data.context_events["reference"]) <= cited
    assert len(cited) >= 12


def test_the_chapter_has_objectives_exercises_and_summary() -> None:
    text = chapter_markdown()
    assert "```{admonition} Learning objectives\n:class: tip" in text
    assert "\n## Summary" in text and "\n## About these sources" in text
    labels = re.findall(r":label: (context-and-theory-ex\d+)", text)
    assert len(labels) >= 3
    for level in ("**Level 1 · Reading.**", "**Level 2 · Data.**", "**Level 3 · Open-ended.**"):
        assert level in text
    assert not re.search(r"\bfive (sources|texts)\b|2022–2025", text), "use the scope substitutions"


def test_every_glossary_term_the_chapter_links_exists_and_new_entries_cite() -> None:
    glossary = GLOSSARY.read_text(encoding="utf-8")
    terms = {line.strip().lower() for line in glossary.splitlines() if line and not line.startswith((" ", "`", "#"))}
    for match in re.findall(r"\{term\}`([^`]+)`", chapter_markdown()):
        target = re.search(r"<([^>]+)>", match)
        assert (target.group(1) if target else match).lower() in terms, match
    keys = set(read_bibliography(ROOT / "references.bib"))
    for term in ("BATNA", "Reservation point", "ZOPA", "Issue linkage", "Package deal", "Ripeness",
                 "Commitment problem", "Audience costs", "Two-level game"):
        entry = glossary.split(f"\n{term}\n", 1)[1].split("\n\n", 1)[0]
        found = re.findall(r"\{cite\}`([^`]+)`", entry)
        assert found and set(found) <= keys, term
