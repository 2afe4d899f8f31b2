"""What the HTML builders of ``utils/render.py`` put on the page, worked out by hand.

``tests/test_escaping.py`` proves that data never becomes markup; these tests
check what a reader actually sees and what the book's CSS and screen readers
rely on: missing values shown as an em dash (never as ``nan``), dates as days,
a table's headers, caption and scroll frame, a scale level with its label, a
source named by outlet and month and linked to its chapter. Written to kill the
mutants ``make mutation`` found surviving; each expected value is written out
from ``tests/fixtures/analysis``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from utils import load_data, render

FIXTURE = Path(__file__).parent / "fixtures" / "analysis"


@pytest.fixture(scope="module")
def data():
    return load_data(FIXTURE)


@pytest.mark.parametrize("value, shown", [
    (None, "—"), (float("nan"), "—"), (pd.NA, "—"), (pd.NaT, "—"), (np.nan, "—"),  # missing: a dash
    ("", ""), (0, "0"), (0.0, "0.0"), (False, "False"),        # empty or zero is a value, not missing
    (3, "3"), ("Freeze", "Freeze"),
    (pd.Timestamp("2025-02-01 14:30"), "2025-02-01"),          # a date is shown as its day
    ('Say "no" & <go>', "Say &quot;no&quot; &amp; &lt;go&gt;"),
    ("it's", "it&#x27;s"),                                     # quotes escaped: safe inside attributes
])
def test_esc_shows_values_and_a_dash_for_missing(value, shown) -> None:
    assert render.esc(value) == shown


def test_markup_passes_through_but_a_plain_string_is_escaped() -> None:
    assert render.esc(render.Markup('<a href="x">A</a>')) == '<a href="x">A</a>'
    assert render.esc('<a href="x">A</a>') == "&lt;a href=&quot;x&quot;&gt;A&lt;/a&gt;"


def test_html_table_of_two_rows() -> None:
    frame = pd.DataFrame({"actor": ["Ukraine", "Russia"], "level": [1, None], "unused": ["x", "y"]})
    page = render.html_table(frame, {"actor": "Actor", "level": "Level"}, caption="Territory",
                             row_classes=["own", "other"])
    assert page == (
        '<div class="book-table-wrap" tabindex="0" role="region" aria-label="Territory">'
        '<table class="book-table"><caption>Territory</caption>'
        '<thead><tr><th scope="col">Actor</th><th scope="col">Level</th></tr></thead>'
        '<tbody><tr class="own"><td>Ukraine</td><td>1.0</td></tr>'
        '<tr class="other"><td>Russia</td><td>—</td></tr></tbody></table></div>')


def test_html_table_without_caption_or_row_classes() -> None:
    frame = pd.DataFrame({"b": [2], "a": [1]})
    page = render.html_table(frame, {"a": "A", "b": "B"})  # columns in the mapping's order
    assert page == (
        '<div class="book-table-wrap" tabindex="0" role="region" aria-label="Table">'
        '<table class="book-table">'
        '<thead><tr><th scope="col">A</th><th scope="col">B</th></tr></thead>'
        '<tbody><tr class=""><td>1</td><td>2</td></tr></tbody></table></div>')


def test_show_table_displays_the_same_table() -> None:
    frame = pd.DataFrame({"a": [1]})
    assert render.show_table(frame, {"a": "A"}, "Cap").data == render.html_table(frame, {"a": "A"}, "Cap")
    assert "<caption>" not in render.show_table(frame, {"a": "A"}).data  # no caption unless given


def test_table_wrap_open_is_a_named_focusable_region() -> None:
    assert render.table_wrap_open("Who said what") == (
        '<div class="book-table-wrap" tabindex="0" role="region" aria-label="Who said what">')
    assert 'aria-label="Table"' in render.table_wrap_open("")


@pytest.mark.parametrize("issue, level, label", [
    ("territory", 3, "3 · Freeze"), ("territory", 5, "5 · Four oblasts"), ("nato", 1, "1 · Join"),
    ("nato", 2.0, "2 · Path"), ("timing", np.int64(3), "3 · Now"), (
        "territory", pd.array([2], dtype="Int64")[0], "2 · Pre-war"),
    ("territory", None, "not fixed"), ("territory", pd.NA, "not fixed"), ("nato", float("nan"), "not fixed"),
])
def test_level_label(data, issue, level, label) -> None:
    assert render.level_label(data, issue, level) == label


def test_level_label_follows_a_second_data_set(data) -> None:
    assert render.level_label(data, "territory", 3) == "3 · Freeze"
    other = load_data(FIXTURE)
    other.issue_levels.loc[other.issue_levels["label"] == "Freeze", "label"] = "Ceasefire"
    assert render.level_label(other, "territory", 3) == "3 · Ceasefire"
    assert render.level_label(data, "territory", 3) == "3 · Freeze"


def test_blockquote() -> None:
    assert render.blockquote("We will <not> yield.", "Ukraine", "Outlet A, Nov 2022") == (
        '<blockquote class="book-quote"><p>“We will &lt;not&gt; yield.”</p>'
        "<footer>— Ukraine, in <cite>Outlet A, Nov 2022</cite></footer></blockquote>")


def test_notice_kinds() -> None:
    assert render.notice("Run it live.") == '<p class="book-notice book-notice-info">Run it live.</p>'
    assert render.notice("Live only.", kind="live") == '<p class="book-notice book-notice-live">Live only.</p>'


def test_source_label_and_link(data) -> None:
    assert render.source_label(data, "2022-11-a") == "Outlet A, Nov 2022"
    assert render.source_label(data, "2025-02-b") == "Outlet B, Feb 2025"
    link = render.source_link(data, "2025-02-b")
    assert isinstance(link, render.Markup)  # html_table shows it as a link, not as its source text
    assert link == '<a href="../chapters/2025-02-b.html">Outlet B, Feb 2025</a>'


def test_source_card(data) -> None:
    assert render.source_card(data, "2022-11-a").data == (
        '<dl class="book-source-card">'
        "<dt>Title</dt><dd>First</dd><dt>Outlet</dt><dd>Outlet A</dd>"
        "<dt>Author(s)</dt><dd>Writer A</dd><dt>Published</dt><dd>1 November 2022</dd>"
        "<dt>Genre</dt><dd>news report</dd><dt>Reader comments</dt><dd>no</dd></dl>")
    card = render.source_card(data, "2025-02-b").data
    assert "<dt>Published</dt><dd>around 1 February 2025</dd>" in card  # an approximate date says so
    assert "<dt>Reader comments</dt><dd>yes (not quoted or coded in this book)</dd>" in card


def test_level_label_reads_a_tables_labels_once() -> None:
    # A chapter labels every cell of a long table: each loaded scale is read once, the tables
    # being treated as read-only, so a label changed in place afterwards is not picked up (a data
    # set loaded again is: see the test above).
    fresh = load_data(FIXTURE)
    assert render.level_label(fresh, "territory", 3) == "3 · Freeze"
    fresh.issue_levels.loc[fresh.issue_levels["label"] == "Freeze", "label"] = "Ceasefire"
    assert render.level_label(fresh, "territory", 3) == "3 · Freeze"
    assert render.level_label(fresh, "nato", 2) == "2 · Path"
