"""The errata appendix: every logged finding placed, counted and shown escaped.

A small review log written in :func:`log` covers every kind of ``where`` the
real logs use; the expected places and counts are worked out by hand from its
rows. The fixture's sources are ``2022-11-a`` and ``2025-02-b``
(``tests/fixtures/analysis``), and a table of contents lists them and a
comparison chapter ``overview``.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from utils import errata, load_data

from .fixture_data import fixture_copy

FIXTURE = Path(__file__).parent / "fixtures" / "analysis"
REAL_LOG = Path(__file__).resolve().parents[1] / "data" / "coding" / "review-2026-11-25.csv"

ROWS = [  # where, finding, decision -> expected (check, part, file)
    ("2022-11-a-p01", "Level too high.", "fixed", ("review", "2022-11-a", "positions.csv")),
    ("recheck 2025-02-b-q02", "Not verbatim.", "rejected", ("second check", "2025-02-b", "quotes.csv")),
    ("events.csv 2022-11-01-a", "Day is 2022-11-02.", "fixed", ("review", "2022-11-a", "events.csv")),
    ("events.csv (missing)", "An event is missing.", "fixed", ("review", "data", "events.csv")),
    ("method C1 (ranges)", "Limits not marked.", "fixed", ("review", "method", "codebook and analysis")),
    ("prose check overview ex1", "Typed count.", "fixed", ("prose check", "overview", "chapter text")),
    ("prose check 2025-02-b abc123", "Superlative.", "fixed", ("prose check", "2025-02-b", "chapter text")),
    ("actors.csv <b>x</b>", "<script>alert(1)</script> & co", "rejected", ("review", "data", "actors.csv")),
    ("2025-02-b-f01", "Wrong unit.", "fixed", ("review", "2025-02-b", "figures.csv")),
    ("recheck 2025-02-b missing rows", "Rows missing.", "rejected", ("second check", "2025-02-b", "several files")),
]


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory):
    """The analysis fixture, with any column the schema has since added left empty."""
    return load_data(fixture_copy(FIXTURE, tmp_path_factory.mktemp("errata") / "data"))


@pytest.fixture(scope="module")
def toc(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("toc") / "_toc.yml"
    path.write_text("root: intro\nparts:\n  - chapters:\n      - file: chapters/2022-11-a\n"
                    "      - file: chapters/2025-02-b\n      - file: chapters/overview\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def log(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("coding") / "review-2026-12-01.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["where", "finding", "decision", "reason"])
        for where, finding, decision, _ in ROWS:
            writer.writerow([where, finding, decision, f"Because of {where}; checked 2026-12-01."])
    return path


@pytest.fixture(scope="module")
def frame(data, log, toc):
    return errata.errata(data, [log], toc=toc)


def test_every_row_is_placed(data, toc) -> None:
    chapters = errata.chapter_order(toc)
    assert chapters == ["2022-11-a", "2025-02-b", "overview"]
    for where, _, _, expected in ROWS:
        found = errata.place(data, where, chapters)
        assert (found["check"], found["part"], found["file"]) == expected, where


def test_rows_in_book_order_and_none_lost(frame) -> None:
    assert len(frame) == len(ROWS)
    assert list(frame["part"]) == ["2022-11-a", "2022-11-a", "2025-02-b", "2025-02-b", "2025-02-b",
                                   "2025-02-b", "overview", "method", "data", "data"]
    # Within a part, by file: chapter text, figures, quotes, several tables.
    assert list(frame.loc[frame["part"] == "2025-02-b", "file"]) == [
        "chapter text", "figures.csv", "quotes.csv", "several files"]
    assert set(frame["log"]) == {"2026-12-01"}


def test_counts(frame) -> None:
    counts = errata.counts(frame)
    assert (counts["findings"], counts["fixed"], counts["rejected"]) == (10, 7, 3)
    # Second check: rows 2 and 10; prose check: rows 6 and 7; the other six are the review's.
    assert (counts["check_review"], counts["check_second_check"], counts["check_prose_check"]) == (6, 2, 2)
    by_part = errata.counts_by_part(frame).set_index(["part", "file"])
    assert tuple(by_part.loc[("2025-02-b", "quotes.csv"), ["fixed", "rejected", "all"]]) == (0, 1, 1)
    assert tuple(by_part.loc[("data", "events.csv"), ["fixed", "rejected", "all"]]) == (1, 0, 1)
    assert int(by_part["all"].sum()) == 10


def test_corrections_grouped_and_counted(frame) -> None:
    shown = errata.corrections_html(frame).data
    # One table per part with a correction: 2022-11-a (2), 2025-02-b (2), overview, method, data (1 each).
    assert shown.count("<table") == 5
    assert "two corrections (events.csv: 1, positions.csv: 1)." in shown
    assert "two corrections (chapter text: 1, figures.csv: 1)." in shown
    assert shown.count("<tr class") == 7                       # one body row per correction, no more
    assert "Not verbatim." not in shown                         # rejected rows are listed apart


def test_rejected_listed_apart_with_reasons_and_escaped(frame) -> None:
    shown = errata.rejected_html(frame).data
    assert shown.count("<tr class") == 3
    assert "<script>" not in shown and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in shown
    assert "&lt;b&gt;x&lt;/b&gt;" in shown
    assert "Because of recheck 2025-02-b-q02" in shown


def test_dates_are_shown_in_words(frame) -> None:
    assert errata.readable_dates("as_of 2022-11-15, day") == "as_of 15 November 2022, day"
    assert errata.readable_dates("events.csv 2023-10-01-oval-office-address") == (
        "events.csv event “oval-office-address” (id of October 2023)")
    # "event" is not repeated when the log already says it.
    assert errata.readable_dates("added event 2023-10-01-oval-office-address") == (
        "added event “oval-office-address” (id of October 2023)")
    assert errata.readable_dates("2022-11-not-nudging-p06") == "2022-11-not-nudging-p06"   # a source id stays
    assert errata.readable_dates("see data/coding/prose-findings-2026-11-25.md") == (
        "see data/coding/prose-findings-….md (of 25 November 2026)")
    for shown in (errata.corrections_html(frame).data, errata.rejected_html(frame).data):
        assert not re.search(r"\b\d{4}-\d{2}-\d{2}\b", shown)


def test_the_books_log_is_shown_whole() -> None:
    with REAL_LOG.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    frame = errata.errata(load_data(), [REAL_LOG])
    assert len(frame) == len(rows)
    assert errata.counts(frame)["fixed"] == sum(r["decision"] == "fixed" for r in rows)
    assert "other" not in set(frame["part"])                    # every finding has a place
    shown = errata.corrections_html(frame).data + errata.rejected_html(frame).data
    assert shown.count("<tr class") == len(rows)


def test_chapter_titles_fill_in_the_books_substitutions(tmp_path: Path) -> None:
    (tmp_path / "overview.ipynb").write_text(
        '{"cells": [{"cell_type": "markdown", "source": ["# How it moved, {{ source_years }}\\n"]}]}',
        encoding="utf-8")
    assert errata.chapter_title("overview", tmp_path, {"source_years": "2022–2025"}) == "How it moved, 2022–2025"
    assert errata.chapter_title("missing", tmp_path) == "missing"


def test_a_placeholder_day_is_never_shown_as_a_real_day() -> None:
    # Day 01 may be a month stored with the codebook's placeholder day: the log's own findings say
    # "placeholder days such as 2023-11-01" must not be shown as real dates.
    assert errata.readable_dates("Re-dated 2025-01-01, precision month") == (
        "Re-dated January 2025 (stored as day 01), precision month")
    assert "1 November 2023" not in errata.readable_dates("as_of 2023-11-01, but")


def test_cell_ids_are_not_shown() -> None:
    assert errata.readable_where("prose check 2022-11-a e3f38041 (ex2 solution)") == (
        "prose check 2022-11-a a cell (ex2 solution)")
    assert errata.readable_where("2025-02-b prose check (cell e8ccb5d9, typed span)") == (
        "2025-02-b prose check (a cell, typed span)")
    assert errata.readable_where("2022-11-a-p06") == "2022-11-a-p06"        # a row id stays


@pytest.mark.parametrize("where, finding, expected", [
    ("recheck 2022-11-a q04/q23 actors", "Wrong actor ids.", ("2022-11-a", "actors.csv")),
    ("2022-11-a review §1 (actors.csv kirby role)", "Role.", ("2022-11-a", "actors.csv")),
    ("2025-02-b resources note", "Unclear.", ("2025-02-b", "several files")),   # not sources.csv
    ("recheck 2025-02-b minor notes", "Notes for p03, p05 and p12.", ("2025-02-b", "positions.csv")),
    ("2025-02-b check minor 4 (f01, 'more than 50')", "At least.", ("2025-02-b", "figures.csv")),
    ("2025-02-b check minor 1 (cell 5, wording)", "Wording.", ("2025-02-b", "chapter text")),
    ("overview check minor 2 (cell 3)", "Typo.", ("overview-of-talks", "chapter text")),
])
def test_places_read_whole_words_and_the_findings_ids(data, where, finding, expected) -> None:
    found = errata.place(data, where, ["2022-11-a", "2025-02-b", "overview-of-talks"], finding)
    assert (found["part"], found["file"]) == expected


def test_a_chapter_names_its_corrections_listed_under_the_method(data, toc, tmp_path: Path) -> None:
    path = tmp_path / "review-2026-12-02.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["where", "finding", "decision", "reason"])
        writer.writerow(["2025-02-b-p01", "Level.", "fixed", "Re-coded."])
        writer.writerow(["method C2 (Trump G7)", "Wrong issue.", "fixed", "2025-02-b-p02 now on g7."])
        writer.writerow(["method C3 (other)", "Rule.", "fixed", "2022-11-a-p01 changed."])
    frame = errata.errata(data, [path], toc=toc)
    assert errata.listed_elsewhere(frame, "2025-02-b") == ["method C2 (Trump G7)"]
    shown = errata.corrections_html(frame).data
    assert "listed under the method and may have changed this chapter&#x27;s rows too: among them, " \
           "method C2 (Trump G7)." in shown


def test_independent_checks_are_counted_apart(data) -> None:
    chapters = ["2022-11-a", "2025-02-b", "overview-of-talks"]
    for where in ("2025-02-b check minor 1 (cell 5)", "overview check minor 2", "method-and-comparison §M2 (x)"):
        assert errata.place(data, where, chapters)["check"] == "independent check", where
    assert errata.place(data, "2025-02-b prose check (cell 1)", chapters)["check"] == "prose check"
    assert errata.place(data, "recheck 2025-02-b-q02", chapters)["check"] == "second check"


def test_checks_of_the_comparison_and_instructor_pages_have_their_own_part() -> None:
    data = load_data()
    chapters = list(data.sources["source_id"])
    assert errata.place(data, "instructor check M1 (roleplay.issue_position)", chapters)["part"] == "instructor"
    assert errata.place(data, "comparison check CR1 (bargaining-ranges cell 3)", chapters)["part"] == "comparison"
    assert errata.place(data, "instructor check M1 (x)", chapters)["check"] == "independent check"
