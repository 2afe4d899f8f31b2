"""What the chapter helpers of ``utils/book.py`` put on the page, worked out by hand.

Each source chapter shows a timeline, pull quotes, a voices table, a positions
table, the changes since the previous source and a figures table; the codebook
shows every issue's scale, the coding summary and the agreement of two coders;
the comparison chapters quote glued counts. These tests check what a student
reads there: the right rows in the right order, the headers and captions, a
dash or "not fixed" for what is missing, singular and plural, dates at their
precision with the report that gives them. Written to kill the mutants
``make mutation`` found surviving; every expected value is written out from
``tests/fixtures/analysis`` (see the comments), or from the small edited copy
of it that a test builds (:func:`edited`), each edit described where it is made.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from unittest import mock

import pandas as pd
import pytest
from IPython.display import Markdown

from utils import book, load_data

FIXTURE = Path(__file__).parent / "fixtures" / "analysis"

A, B = "2022-11-a", "2025-02-b"  # the fixture's two sources: Outlet A (1 Nov 2022), Outlet B (around 1 Feb 2025)
LINK_A = '<a href="../chapters/2022-11-a.html">Outlet A, Nov 2022</a>'
LINK_B = '<a href="../chapters/2025-02-b.html">Outlet B, Feb 2025</a>'


# --- Helpers: the expected HTML, built from hand-written cells ------------------------------------


def table(caption: str, headers: list[str], rows: list[list[str]]) -> str:
    """The HTML ``render.html_table`` writes (tests/test_render_mutants.py checks it), cells as given."""
    head = "".join(f'<th scope="col">{header}</th>' for header in headers)
    body = "".join('<tr class="">' + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in rows)
    label = caption or "Table"
    cap = f"<caption>{caption}</caption>" if caption else ""
    return (f'<div class="book-table-wrap" tabindex="0" role="region" aria-label="{label}">'
            f'<table class="book-table">{cap}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>')


def notice(text: str) -> str:
    return f'<p class="book-notice book-notice-info">{text}</p>'


def edited(data, **frames):
    """A copy of ``data`` with some tables replaced (the book's helpers never validate)."""
    return dataclasses.replace(data, **frames)


def with_rows(frame: pd.DataFrame, rows: list[dict]) -> pd.DataFrame:
    """``frame`` with ``rows`` appended (missing cells empty), keeping every column's type."""
    added = pd.DataFrame(rows, columns=frame.columns).astype(frame.dtypes.to_dict())
    return pd.concat([frame, added], ignore_index=True)


def with_cells(frame: pd.DataFrame, key: str, changes: dict[str, dict]) -> pd.DataFrame:
    """``frame`` with some cells changed: ``{row key: {column: value}}``."""
    frame = frame.copy()
    for row, cells in changes.items():
        for column, value in cells.items():
            frame.loc[frame[key] == row, column] = value
    return frame


def position(position_id: str, actor: str, issue: str, level, stance: str, basis: str, quote: str,
             stated: str = "2025-02-01") -> dict:
    return {"position_id": position_id, "actor_id": actor, "issue_id": issue, "level": level,
            "stance": stance, "basis": basis, "quote_id": quote, "stated_on": pd.Timestamp(stated),
            "stated_precision": "day", "note": "x"}


@pytest.fixture(scope="module")
def data():
    return load_data(FIXTURE)


@pytest.fixture(scope="module")
def rich(data):
    """The fixture with what it lacks to tell cases apart:

    * Russia quoted a second time in 2025-02-b (2025-02-b-q06), so one voice has two excerpts
      and the source has six quotes from five speakers;
    * 2025-02-b-p06 (the EU on territory) stated only to the month and dated by a report,
      "wire2025", that the bibliography labels "A Wire, 2025"; 2025-02-b-p03 dated by a
      report the bibliography does not know ("unlisted2025"); 2025-02-b-p08 inferred;
    * two figures for 2025-02-b, stored out of id order: f02 "1 month" (exact, dated by the
      source) and f01 "at least 2 million deaths" (a lower bound, around 15 January 2025,
      from A Wire);
    * two events first mentioned in 2025-02-b: talks on 20 January 2025 (dated by A Wire)
      and a deal known only to the month, January 2025.
    """
    quotes = with_rows(data.quotes, [{"quote_id": "2025-02-b-q06", "source_id": B, "speaker_id": "russia",
                                      "text": "Not one step back.", "kind": "reported speech",
                                      "sourcing": "named"}])
    positions = with_cells(data.positions, "position_id", {
        "2025-02-b-p06": {"stated_precision": "month", "reference": "wire2025"},
        "2025-02-b-p03": {"reference": "unlisted2025"},
        "2025-02-b-p08": {"basis": "inferred"}})
    figure = data.figures.iloc[0].to_dict()
    figures = with_rows(data.figures, [
        {**figure, "figure_id": "2025-02-b-f02", "source_id": B, "metric": "Talks paused", "value": 1.0,
         "unit": "months", "as_of": pd.Timestamp("2025-02-01"), "as_of_precision": "day",
         "qualifier": "exact", "reference": pd.NA, "quote": "a month"},
        {**figure, "figure_id": "2025-02-b-f01", "source_id": B, "metric": "Deaths", "value": 2.0,
         "unit": "million deaths", "as_of": pd.Timestamp("2025-01-15"), "as_of_precision": "approx",
         "qualifier": "lower bound", "reference": "wire2025", "quote": "millions dead"}])
    events = with_rows(data.events, [
        {"event_id": "2025-01-xx-deal", "date": pd.Timestamp("2025-01-01"), "date_precision": "month",
         "title": "A January deal", "source_id": B, "reference": pd.NA},
        {"event_id": "2025-01-20-talks", "date": pd.Timestamp("2025-01-20"), "date_precision": "day",
         "title": "Talks in Riyadh", "source_id": B, "reference": "wire2025"}])
    return edited(data, quotes=quotes, positions=positions, figures=figures, events=events,
                  reference_labels={"wire2025": "A Wire, 2025"})


# --- Dates and where they come from -----------------------------------------------------------


def test_dated_text_names_the_report_only_when_one_gives_the_date(rich) -> None:
    day, month = pd.Timestamp("2025-02-01"), pd.Timestamp("2022-11-01")
    for missing in (None, pd.NA, float("nan")):  # dated by the source itself: the date alone
        assert book.dated_text(rich, month, "month", missing) == "November 2022"
    assert book.dated_text(rich, day, "day", pd.NA) == "1 February 2025"
    assert book.dated_text(rich, day, "approx", "wire2025") == "around 1 February 2025 (A Wire, 2025)"
    # a report the bibliography does not label is named by its key
    assert book.dated_text(rich, day, "day", "unlisted2025") == "1 February 2025 (unlisted2025)"


def test_dated_by(rich) -> None:
    assert book.dated_by(rich, None) == "the source"
    assert book.dated_by(rich, pd.NA) == "the source"
    assert book.dated_by(rich, float("nan")) == "the source"
    assert book.dated_by(rich, "wire2025") == "A Wire, 2025"
    assert book.dated_by(rich, "unlisted2025") == "unlisted2025"


def test_previous_source_follows_publication_dates(data) -> None:
    assert book.previous_source(data, A) is None
    assert book.previous_source(data, B) == A
    # a third source published between the two (January 2024) becomes 2025-02-b's previous one
    middle = with_rows(data.sources, [{**data.sources.iloc[0].to_dict(), "source_id": "2024-01-c",
                                       "published": pd.Timestamp("2024-01-01")}])
    three = edited(data, sources=middle)
    assert book.previous_source(three, B) == "2024-01-c"
    assert book.previous_source(three, "2024-01-c") == A
    assert book.previous_source(three, A) is None


# --- Timeline ---------------------------------------------------------------------------------


def test_timeline_of_the_first_source(rich) -> None:
    # Only the fixture's event (1 November 2022) falls on or before the first source's day.
    assert book.timeline(rich, A).data == table(
        "Events mentioned in the sources, up to 1 November 2022",
        ["Date", "Event", "First mentioned in", "Date from"],
        [["1 November 2022", "An event", LINK_A, "the source"]])


def test_timeline_since_the_previous_source_puts_a_month_after_its_known_days(rich) -> None:
    # The deal known only as "January 2025" is placed on 31 January, after the talks of 20 January.
    assert book.timeline(rich, B).data == table(
        "Events mentioned in the sources since the previous source, up to around 1 February 2025",
        ["Date", "Event", "First mentioned in", "Date from"],
        [["20 January 2025", "Talks in Riyadh", LINK_B, "A Wire, 2025"],
         ["January 2025", "A January deal", LINK_B, "the source"]])


def test_timeline_without_events_in_the_period(data) -> None:
    assert book.timeline(data, B).data == notice("No dated event in the table falls in this period.")


# --- Pull quotes and voices -------------------------------------------------------------------


def test_excerpts_in_the_order_asked_with_speaker_and_source(data) -> None:
    assert book.excerpts(data, ["2025-02-b-q02", "2022-11-a-q05"]).data == (
        '<blockquote class="book-quote"><p>“Never NATO; at least the current line.”</p>'
        "<footer>— Russia, in <cite>Outlet B, Feb 2025</cite></footer></blockquote>"
        '<blockquote class="book-quote"><p>“&lt;script&gt;alert(1)&lt;/script&gt; &amp; more”</p>'
        "<footer>— An analyst, in <cite>Outlet A, Nov 2022</cite></footer></blockquote>")


def test_no_excerpt_chosen(data) -> None:
    expected = notice("No excerpt chosen yet: list quote ids from quotes.csv here.")
    assert book.excerpts(data, []).data == expected
    assert book.excerpts(data, ()).data == expected


def test_voices_table_most_quoted_first_then_by_name(rich) -> None:
    # 2025-02-b: Russia twice, then one excerpt each in name order ("US…" sorts before "Uk…").
    assert book.voices_table(rich, B).data == table(
        "Voices in this source (coded excerpts)", ["Speaker", "Bloc", "Kind", "Sourcing", "Excerpts"],
        [["Russia", "Russia", "state", "named", "2"],
         ["European allies", "Europe", "state", "named", "1"],
         ["US official A", "United States", "government official", "named", "1"],
         ["US official B", "United States", "military", "anonymous official", "1"],
         ["Ukraine", "Ukraine", "state", "named", "1"]])


def test_voices_table_of_the_first_source(data) -> None:
    assert book.voices_table(data, A).data == table(
        "Voices in this source (coded excerpts)", ["Speaker", "Bloc", "Kind", "Sourcing", "Excerpts"],
        [["An analyst", "independent", "analyst", "author&#x27;s own", "1"],
         ["Russia", "Russia", "state", "named", "1"],
         ["US official A", "United States", "government official", "named", "1"],
         ["US official B", "United States", "military", "named", "1"],
         ["Ukraine", "Ukraine", "state", "named", "1"]])


# --- Positions --------------------------------------------------------------------------------

POSITION_HEADERS = ["Issue", "Actor", "Level", "Stance", "Basis", "Words of", "Evidence (verbatim)", "Stated",
                    "Coder&#x27;s note"]
BASIS_NOTICE = notice("Basis: “own words” = the actor quoted directly, on the record; “reported” = someone "
                      "else&#x27;s account of what the actor said or wants; “inferred” = the coder&#x27;s reading "
                      "of a text that does not state the position.")


def test_positions_table_in_book_order_of_issues_then_bloc_and_name(rich) -> None:
    # 2025-02-b codes territory (five rows) and NATO (three); within an issue, blocs in
    # alphabetical order (Europe, Russia, Ukraine, United States), US official A's two
    # territory rows in id order. US official B's NATO expectation has no level and rests on
    # US official A's words.
    freeze = "A freeze is realistic; pre-war lines would be best."
    assert book.positions_table(rich, B).data == table(
        "Positions coded from this source", POSITION_HEADERS,
        [["Territory", "European allies", "2 · Pre-war", "goal", "own words", "European allies",
          "Pre-war lines and an open door.", "February 2025 (A Wire, 2025)", "x"],
         ["Territory", "Russia", "4 · Recognise", "red-line", "reported", "Russia",
          "Never NATO; at least the current line.", "1 February 2025", "x"],
         ["Territory", "Ukraine", "3 · Freeze", "red-line", "reported", "Ukraine",
          "No recognition of occupation.", "1 February 2025", "x"],
         ["Territory", "US official A", "3 · Freeze", "expectation", "own words", "US official A", freeze,
          "1 February 2025", "x"],
         ["Territory", "US official A", "2 · Pre-war", "goal", "own words", "US official A", freeze,
          "1 February 2025", "x"],
         ["NATO", "European allies", "2 · Path", "goal", "own words", "European allies",
          "Pre-war lines and an open door.", "1 February 2025", "x"],
         ["NATO", "Russia", "4 · Renounce", "goal", "reported", "Russia",
          "Never NATO; at least the current line.", "1 February 2025 (unlisted2025)", "x"],
         ["NATO", "US official B", "not fixed", "expectation", "inferred", "US official A", freeze,
          "1 February 2025", "x"]]) + BASIS_NOTICE


def test_positions_table_of_the_first_source_follows_issues_csv_not_the_alphabet(data) -> None:
    # Issues run territory, NATO, timing (the order of issues.csv, not "NATO" < "Territory" < "Timing").
    page = book.positions_table(data, A).data
    rows = [["Territory", "Russia", "5 · Four oblasts", "goal", "reported", "Russia", "All four regions."],
            ["Territory", "Ukraine", "1 · All", "goal", "own words", "Ukraine", "All of it back."],
            ["Territory", "US official A", "2 · Pre-war", "expectation", "own words", "US official A",
             "Talk now; pre-war lines are realistic."],
            ["NATO", "Ukraine", "1 · Join", "goal", "own words", "Ukraine", "All of it back."],
            ["Timing", "US official A", "3 · Now", "goal", "own words", "US official A",
             "Talk now; pre-war lines are realistic."],
            ["Timing", "US official B", "2 · Later", "goal", "own words", "US official B", "Later."]]
    assert page == table("Positions coded from this source", POSITION_HEADERS,
                         [row + ["1 November 2022", "x"] for row in rows]) + BASIS_NOTICE


def test_source_issues_are_those_with_a_coded_level_in_book_order(rich) -> None:
    assert book.source_issues(rich, A) == ["territory", "nato", "timing"]
    assert book.source_issues(rich, B) == ["territory", "nato"]
    # US official B coded on timing in 2025-02-b without a level: timing is still not listed.
    unlevelled = edited(rich, positions=with_rows(rich.positions, [
        position("2025-02-b-p09", "us-b", "timing", pd.NA, "expectation", "reported", "2025-02-b-q05")]))
    assert book.source_issues(unlevelled, B) == ["territory", "nato"]
    # ... and listed once a level is coded, after territory and NATO although coded last.
    levelled = edited(rich, positions=with_rows(rich.positions, [
        position("2025-02-b-p09", "us-b", "timing", 2, "goal", "reported", "2025-02-b-q05")]))
    assert book.source_issues(levelled, B) == ["territory", "nato", "timing"]


# --- Changes since the previous source --------------------------------------------------------

CHANGES_NOTICE = notice(
    "Each row compares one actor with itself: its level in this source against its own latest level in an "
    "earlier source, on the same issue. Level 1 is the outcome most favourable to Ukraine as Ukraine states "
    "it, the top level the one most favourable to Russia as Russia states it. “Towards Russia&#x27;s end” "
    "means the actor&#x27;s own coded level is higher now; a goal is not compared with an expectation or a red "
    "line. A change between two “reported” rows is a change in what others said about the actor, not "
    "necessarily in what it said. Actors coded for the first time here are not listed.")


def test_changes_since_previous_compares_each_actor_with_itself(data) -> None:
    # In 2025-02-b Russia, Ukraine and US official A are coded on territory, as in 2022-11-a;
    # the EU was not coded before, and Russia not on NATO. Every stance changed.
    assert book.changes_since_previous(data, B).data == table(
        "The same actors, before and in this source",
        ["Actor", "Issue", "Earlier (stance; basis; source)", "In this source (stance; basis)", "Change"],
        [["Russia", "Territory", "5 · Four oblasts (goal; reported; Outlet A, Nov 2022)",
          "4 · Recognise (red-line; reported)", "not comparable (stance differs)"],
         ["Ukraine", "Territory", "1 · All (goal; own words; Outlet A, Nov 2022)",
          "3 · Freeze (red-line; reported)", "not comparable (stance differs)"],
         ["US official A", "Territory", "2 · Pre-war (expectation; own words; Outlet A, Nov 2022)",
          "2 · Pre-war (goal; own words)", "not comparable (stance differs)"]]) + CHANGES_NOTICE


def test_changes_for_the_first_source_and_for_actors_new_in_a_source(data) -> None:
    assert book.changes_since_previous(data, A).data == notice(
        "This is the first source: there is no earlier position to compare with.")
    # Only the EU (never coded before) keeps its positions in 2025-02-b.
    only_new = edited(data, positions=data.positions[~data.positions["position_id"].isin(
        ["2025-02-b-p01", "2025-02-b-p02", "2025-02-b-p03", "2025-02-b-p04", "2025-02-b-p05", "2025-02-b-p08"])])
    assert book.changes_since_previous(only_new, B).data == notice(
        "No actor coded with a level in this source was coded on the same issue in an earlier source, so "
        "there is no change to show.") + CHANGES_NOTICE


# --- Figures ----------------------------------------------------------------------------------

FIGURE_HEADERS = ["What", "Value", "Hedge", "As of", "In the source&#x27;s words"]


def test_figures_table_in_id_order_with_hedges_and_dates(rich) -> None:
    assert book.figures_table(rich, B).data == table(
        "Numbers given in this source", FIGURE_HEADERS,
        [["Deaths", "at least 2 million deaths", "lower bound", "around 15 January 2025 (A Wire, 2025)",
          "millions dead"],
         ["Talks paused", "1 month", "exact", "1 February 2025", "a month"]])
    assert book.figures_table(rich, A).data == table(
        "Numbers given in this source", FIGURE_HEADERS,
        [["Aid", "$400 million", "exact", "November 2022", "400 million"]])


def test_figures_table_of_a_source_without_numbers(data) -> None:
    assert book.figures_table(data, B).data == notice("This source gives no numbers.")


# --- Scales -----------------------------------------------------------------------------------

SCALES = {  # issue_id: (caption start, question, kind, [(level, label, outcome)])
    "territory": ("Territory", "Who holds what?", "settlement",
                  [("1", "All", "All back."), ("2", "Pre-war", "Pre-war lines."), ("3", "Freeze", "Freeze."),
                   ("4", "Recognise", "Recognise."), ("5", "Four oblasts", "Four oblasts.")]),
    "nato": ("NATO", "Does Ukraine join?", "settlement",
             [("1", "Join", "Join."), ("2", "Path", "Path."), ("3", "Off table", "Off the table."),
              ("4", "Renounce", "Renounce.")]),
    "timing": ("Timing", "When to talk?", "process",
               [("1", "Not before", "Not before."), ("2", "Later", "Later."), ("3", "Now", "Now.")]),
}


def scale_table(issue_id: str, unaddressed: bool = False) -> str:
    label, question, kind, levels = SCALES[issue_id]
    mark = "; no coded position" if unaddressed else ""
    return table(f"{label} ({issue_id}, {kind} issue{mark}): {question}", ["Level", "Label", "Outcome"],
                 [list(level) for level in levels])


def test_scales_list_every_issue_with_its_levels(data) -> None:
    assert book.scales(data).data == (notice("Every issue has at least one coded position.")
                                      + scale_table("territory") + scale_table("nato") + scale_table("timing"))


def test_scales_mark_the_issues_no_position_is_coded_on(data) -> None:
    fewer = edited(data, positions=data.positions[data.positions["issue_id"] == "territory"])
    assert book.scales(fewer).data == (notice("No position is coded on: NATO; Timing.")
                                       + scale_table("territory") + scale_table("nato", unaddressed=True)
                                       + scale_table("timing", unaddressed=True))


# --- Counts and glued values ------------------------------------------------------------------


def test_counts_of_each_source(rich) -> None:
    # 2022-11-a: five quotes by five speakers, one an author's claim (the analyst); six
    # positions on three issues, five in own words and one reported (Russia); the aid figure.
    assert book.counts(rich, A) == {"quotes": 5, "speakers": 5, "anonymous": 0, "author_claims": 1,
                                    "positions": 6, "own_words": 5, "reported": 1, "inferred": 0,
                                    "issues": 3, "figures": 1}
    # 2025-02-b: six quotes by five speakers (Russia twice), one by an anonymous official; eight
    # positions on territory and NATO: four in own words, three reported, one inferred; two figures.
    assert book.counts(rich, B) == {"quotes": 6, "speakers": 5, "anonymous": 1, "author_claims": 0,
                                    "positions": 8, "own_words": 4, "reported": 3, "inferred": 1,
                                    "issues": 2, "figures": 2}


def glued(call, *args) -> list[tuple[str, object]]:
    """The (name, value) pairs ``call(*args)`` glues, in order."""
    with mock.patch("utils.book.glue") as glue:
        call(*args)
    return [c.args for c in glue.call_args_list]


def markdown(pairs):
    """Glued values with each Markdown shown as ("md", text), so they compare by content."""
    return [(name, ("md", value.data) if isinstance(value, Markdown) else value) for name, value in pairs]


def test_glue_source_values_names_every_count_and_figure(rich) -> None:
    assert markdown(glued(book.glue_source_values, rich, B)) == [
        ("n_quotes", 6), ("n_speakers", 5), ("n_anonymous", 1), ("n_author_claims", 0), ("n_positions", 8),
        ("n_own_words", 4), ("n_reported", 3), ("n_inferred", 1), ("n_issues", 2), ("n_figures", 2),
        ("f01", ("md", "at least 2 million deaths")), ("f02", ("md", "1 month"))]
    assert markdown(glued(book.glue_source_values, rich, A))[-1] == ("f01", ("md", "$400 million"))


def test_basis_counts_in_the_codebook_order(rich) -> None:
    counted = book.basis_counts(rich)
    assert list(counted) == ["own words", "reported", "inferred"]
    assert counted == {"own words": 9, "reported": 4, "inferred": 1}


def test_kinds_by_source_oldest_first_with_a_row_of_zeros(data) -> None:
    # A third source (January 2024) that quotes nobody sits between the two, all zeros.
    middle = with_rows(data.sources, [{**data.sources.iloc[0].to_dict(), "source_id": "2024-01-c",
                                       "published": pd.Timestamp("2024-01-01")}])
    kinds = book.kinds_by_source(edited(data, sources=middle))
    assert list(kinds.index) == [A, "2024-01-c", B]
    assert list(kinds.columns) == ["author's claim", "direct quote", "reported speech"]
    assert kinds.loc[A].tolist() == [1, 3, 1]
    assert kinds.loc["2024-01-c"].tolist() == [0, 0, 0]
    assert kinds.loc[B].tolist() == [0, 3, 2]


TOTALS = {  # tests/fixtures/analysis as it is
    "all_quotes": 10, "all_positions": 14, "levelled_positions": 13, "actors": 6,
    "actors_coded": 5,  # the analyst is quoted, never coded
    "issues": 3, "issues_coded": 3, "settlement_issues": 2, "process_issues": 1, "unaddressed_issues": 0,
    "sources": 2,
    # territory: Ukraine's red line 3 against Russia's 4, a gap of one step; NATO: Ukraine's goal 1
    # against Russia's goal 4 (both assumed limits), a gap of three
    "gaps": 2, "overlaps": 0, "unknown": 0, "assumed_limits": 2,
    "russia_own_words": 0, "own_words_known": 0,  # Russia is only reported
    "anonymous": 1, "basis_own_words": 9, "basis_reported": 5, "basis_inferred": 0,
}


@pytest.fixture(scope="module")
def mixed(data):
    """One issue of each kind of zone. Timing made a settlement issue (nobody speaks for Ukraine or
    Russia on it: unknown); Ukraine given a red line at 4 on NATO in its 2025 quote (meeting Russia's
    goal of 4: an overlap); Russia's 2022 goal on territory made its own words; 2025-02-b-p08 inferred."""
    issues = with_cells(data.issues, "issue_id", {"timing": {"kind": "settlement"}})
    positions = with_rows(with_cells(data.positions, "position_id", {
        "2022-11-a-p02": {"basis": "own words"}, "2025-02-b-p08": {"basis": "inferred"}}),
        [position("2025-02-b-p09", "ukraine", "nato", 4, "red-line", "own words", "2025-02-b-q01")])
    return edited(data, issues=issues, positions=positions)


def test_totals_across_the_book(data, mixed) -> None:
    assert book.totals(data) == TOTALS
    assert book.totals(mixed) == {
        **TOTALS, "all_positions": 15, "levelled_positions": 14, "settlement_issues": 3, "process_issues": 0,
        # territory a gap, NATO an overlap, timing unknown; only Russia's NATO limit is assumed
        # (timing's missing limits are not counted as assumed)
        "gaps": 1, "overlaps": 1, "unknown": 1, "assumed_limits": 1,
        # Russia's own words on territory (5) meet Ukraine's own words (1): one issue known
        "russia_own_words": 1, "own_words_known": 1,
        "basis_own_words": 11, "basis_reported": 3, "basis_inferred": 1}


def test_glue_totals_prefixes_every_total(data) -> None:
    assert glued(book.glue_totals, data) == [(f"t_{name}", value) for name, value in TOTALS.items()]


def test_unaddressed_and_process_issues_in_totals(data) -> None:
    # With NATO and timing uncoded: two unaddressed issues, one coded; one process issue of three.
    # Territory keeps both red lines (stated limits); NATO, coded by nobody, has no limit to assume.
    fewer = edited(data, positions=data.positions[data.positions["issue_id"] == "territory"])
    found = book.totals(fewer)
    assert (found["unaddressed_issues"], found["issues_coded"], found["process_issues"]) == (2, 1, 1)
    assert (found["gaps"], found["unknown"], found["assumed_limits"]) == (1, 1, 0)


# --- Coding summary ---------------------------------------------------------------------------

SUMMARY_HEADERS = ["Bloc", "own words", "reported", "inferred", "All"]


def test_coding_summary_by_bloc_and_basis(data) -> None:
    # Europe: 2 own words; Russia: 3 reported; Ukraine: 2 own words, 1 reported; United States:
    # 5 own words, 1 reported. No position is inferred (a column of zeros). 12 positions on
    # territory and NATO, 2 on timing; 2025-02-b-p08 has no level (one: "has", not "have").
    assert book.coding_summary(data).data == table(
        "Coded positions by bloc and evidence basis", SUMMARY_HEADERS,
        [["Europe", "2", "0", "0", "2"], ["Russia", "0", "3", "0", "3"], ["Ukraine", "2", "1", "0", "3"],
         ["United States", "5", "1", "0", "6"], ["all blocs", "9", "5", "0", "14"]]) + notice(
        "12 of the 14 positions are on settlement issues, 2 on process issues; 1 has no level because the "
        "evidence does not fix one.")


def test_coding_summary_note_counts_a_missing_kind_as_zero(data) -> None:
    settlement_only = edited(data, positions=data.positions[data.positions["issue_id"] != "timing"])
    assert book.coding_summary(settlement_only).data.endswith(notice(
        "12 of the 12 positions are on settlement issues, 0 on process issues; 1 has no level because the "
        "evidence does not fix one."))
    process_only = edited(data, positions=data.positions[data.positions["issue_id"] == "timing"])
    assert book.coding_summary(process_only).data.endswith(notice(
        "0 of the 2 positions are on settlement issues, 2 on process issues; 0 have no level because the "
        "evidence does not fix one."))


# --- The reliability lab's items --------------------------------------------------------------


@pytest.fixture(scope="module")
def lab(data):
    """Issues of different sizes for the lab: NATO 8 positions, territory 10, two new issues of 4
    each, "truce" (settlement) and timing (process), and "aid" (settlement) with 1. Position ids are
    not in publication order: n01, t01, r01 and m01 come from 2025-02-b, the others from 2022-11-a."""
    issues = with_rows(data.issues, [{"issue_id": "truce", "label": "Truce", "question": "?", "kind": "settlement"},
                                     {"issue_id": "aid", "label": "Aid", "question": "?", "kind": "settlement"}])
    sizes = {"n": ("nato", 8), "t": ("territory", 10), "r": ("truce", 4), "m": ("timing", 4), "a": ("aid", 1)}
    rows = []
    for prefix, (issue, size) in sizes.items():
        for number in range(1, size + 1):
            quote = "2025-02-b-q01" if number == 1 else "2022-11-a-q01"
            rows.append(position(f"{prefix}{number:02d}", "ukraine", issue, 1, "goal", "own words", quote))
    positions = with_rows(data.positions.iloc[0:0], rows)
    return edited(data, issues=issues, positions=positions)


def ids(prefix: str, last: int) -> list[str]:
    return [f"{prefix}{number:02d}" for number in range(1, last + 1)]


def test_lab_items_by_default(lab) -> None:
    # 8 per issue at most, the most coded first: NATO and territory both give 8 (NATO first by
    # id), then truce before timing (4 each: settlement first). After three issues there are
    # 20 items, the minimum: timing and aid are left out.
    assert book.coding_exercise_items(lab) == ids("n", 8) + ids("t", 8) + ids("r", 4)


def test_lab_items_use_three_issues_at_least_and_stop_at_the_minimum(lab) -> None:
    # Two per issue: NATO, territory, truce and timing all give 2 (settlement first, then by id).
    assert book.coding_exercise_items(lab, per_issue=2, minimum=1) == ["n01", "n02", "t01", "t02", "r01", "r02"]
    # One item short of the minimum after three issues: a fourth issue is added, then it stops.
    assert book.coding_exercise_items(lab, per_issue=2, minimum=7) == [
        "n01", "n02", "t01", "t02", "r01", "r02", "m01", "m02"]
    assert book.coding_exercise_items(lab, per_issue=2, minimum=6) == ["n01", "n02", "t01", "t02", "r01", "r02"]
    # A minimum above every item: every issue, aid (one position) last.
    assert book.coding_exercise_items(lab, per_issue=9, minimum=100) == (
        ids("t", 9) + ids("n", 8) + ids("r", 4) + ids("m", 4) + ["a01"])


# --- Numbers as prose -------------------------------------------------------------------------


@pytest.mark.parametrize("value, text", [
    (1_000_000.0, "1 million"), (-1_000_000.0, "-1 million"),  # exactly a million is already in words
    (999_999.0, "999,999"), (1_100_000.0, "1.1 million"), (1_050_000.0, "1,050,000"),
])
def test_number_text_writes_whole_millions_in_words_from_one_million(value, text) -> None:
    assert book.number_text(value) == text


@pytest.mark.parametrize("unit, singular", [
    ("months", "month"), ("people", "person"), ("shells per year", "shell per year"),
    ("million rounds", "million rounds"),
    ("km of front", "km of front"),      # no final "s": nothing to drop
    ("gross tons", "gross tons"),        # "ss" is not a plural ending
])
def test_singular_unit_changes_only_a_plural_first_word(unit, singular) -> None:
    assert book.singular_unit(unit) == singular


# --- The bargaining table ---------------------------------------------------------------------

BARGAINING_HEADERS = ["Issue", "Ukraine&#x27;s limit", "Russia&#x27;s limit", "Zone"]
BARGAINING_NOTICE = notice(
    "Settlement issues only. A side&#x27;s limit is the furthest level towards the other side that its coded "
    "red lines leave open (“stated”: a red line is coded, read by rule 6 of the codebook), otherwise its demand "
    "(“assumed”: no red line is coded). A limit is a bound the statements set, not an outcome the side has "
    "said it would accept. The basis says whose words the limit rests on: a “stated; reported” limit is a red "
    "line known from someone else&#x27;s account. A gap counts the ordered scale steps between the two limits; "
    "the steps are not equal distances, and gaps on different issues cannot be added.")


def bargaining(evidence: str, rows: list[list[str]]) -> str:
    return table(f"Latest coded limits of Ukraine and Russia, settlement issues ({evidence})",
                 BARGAINING_HEADERS, rows) + BARGAINING_NOTICE


def test_bargaining_summary_on_all_evidence(data) -> None:
    # Territory: Ukraine's red line 3 and Russia's red line 4, both reported: one step apart.
    # NATO: no red line, so each side's goal is its assumed limit: 1 and 4, three steps apart.
    expected = bargaining("all evidence", [
        ["Territory", "3 · Freeze (stated; reported)", "4 · Recognise (stated; reported)", "gap of one step"],
        ["NATO", "1 · Join (assumed; own words)", "4 · Renounce (assumed; reported)", "gap of three steps"]])
    assert book.bargaining_summary(data).data == expected
    # every basis named is the same evidence, under its own caption
    assert book.bargaining_summary(data, bases=("own words", "reported")).data == expected.replace(
        "(all evidence)", "(own words, reported)")


def test_bargaining_summary_on_part_of_the_evidence(data) -> None:
    # Russia is only reported: from own words alone no issue has both sides coded.
    assert book.bargaining_summary(data, bases=("own words",)).data == bargaining("own words only", [
        ["Territory", "1 · All (assumed; own words)", "not coded", "not both coded"],
        ["NATO", "1 · Join (assumed; own words)", "not coded", "not both coded"]])
    # Reported evidence alone: Ukraine's territory red line stands (its demand too); nothing on NATO.
    assert book.bargaining_summary(data, bases=("reported",)).data == bargaining("reported", [
        ["Territory", "3 · Freeze (stated; reported)", "4 · Recognise (stated; reported)", "gap of one step"],
        ["NATO", "not coded", "4 · Renounce (assumed; reported)", "not both coded"]])


def test_bargaining_summary_with_an_overlap_and_an_issue_nobody_codes(mixed) -> None:
    assert book.bargaining_summary(mixed).data == bargaining("all evidence", [
        ["Territory", "3 · Freeze (stated; reported)", "4 · Recognise (stated; reported)", "gap of one step"],
        ["NATO", "4 · Renounce (stated; own words)", "4 · Renounce (assumed; reported)", "overlap"],
        ["Timing", "not coded", "not coded", "not both coded"]])


# --- Agreement of two coders ------------------------------------------------------------------

CODING_HEADER = "source_id,actor_id,issue_id,level,stance,basis,quote_id,note\n"
CODINGS = {
    # Round 1. Territory: both coders code the same three units at the same levels (1, 5, 3),
    # stances and bases: alpha 1, and every bootstrap resample with two values gives 1 too.
    # NATO: Russia coded by both, with a level (4) by the first coder only; the EU by the second
    # only. Timing: US official A by the first coder only. The first coder codes Ukraine's
    # 2022 territory unit twice (a goal and a red line): six rows, still five units.
    "first-coder.csv": ["2022-11-a,ukraine,territory,1,goal,own words,2022-11-a-q01,x",
                        "2022-11-a,ukraine,territory,1,red-line,own words,2022-11-a-q01,x",
                        "2022-11-a,russia,territory,5,goal,reported,2022-11-a-q02,x",
                        "2025-02-b,ukraine,territory,3,red-line,reported,2025-02-b-q01,x",
                        "2025-02-b,russia,nato,4,goal,reported,2025-02-b-q02,x",
                        "2022-11-a,us-a,timing,3,goal,own words,2022-11-a-q03,x"],
    "second-coder.csv": ["2022-11-a,ukraine,territory,1,goal,own words,2022-11-a-q01,x",
                         "2022-11-a,russia,territory,5,goal,reported,2022-11-a-q02,x",
                         "2025-02-b,ukraine,territory,3,red-line,reported,2025-02-b-q01,x",
                         "2025-02-b,russia,nato,,goal,reported,2025-02-b-q02,x",
                         "2025-02-b,eu,nato,2,goal,own words,2025-02-b-q04,x"],
    # Round 2: timing only, the two levels swapped: (1, 2) and (2, 1). By hand (ordinal, two
    # values 1 and 2, each counted twice): alpha = 1 - (n-1)·D_o/D_e = 1 - 3·16/32 = -0.5, and every
    # resample of the two units gives the same coincidences, so the interval is -0.50 to -0.50.
    "round2-coder-a.csv": ["2022-11-a,us-a,timing,1,goal,own words,2022-11-a-q03,x",
                           "2022-11-a,us-b,timing,2,goal,own words,2022-11-a-q04,x"],
    "round2-coder-b.csv": ["2022-11-a,us-a,timing,2,goal,own words,2022-11-a-q03,x",
                           "2022-11-a,us-b,timing,1,goal,own words,2022-11-a-q04,x"],
}


@pytest.fixture
def coded(tmp_path, monkeypatch, data):
    """``data`` with the two rounds of codings above in ``$BOOK_DATA_DIR/coding/``."""
    folder = tmp_path / "coding"
    folder.mkdir()
    for name, rows in CODINGS.items():
        (folder / name).write_text(CODING_HEADER + "".join(row + "\n" for row in rows), encoding="utf-8")
    monkeypatch.setenv("BOOK_DATA_DIR", str(tmp_path))
    return data


AGREEMENT_HEADERS = ["Issue", "Coded by both", "Paired levels", "Alpha, levels (95% interval)", "Same level",
                     "Same level or both empty", "Alpha, stance", "Alpha, basis"]
AGREEMENT_NOTICE = notice(
    "Units are one actor&#x27;s stand on one issue in one source. “Coded by both” is the share of the units "
    "either coder coded that both coded. Alpha is Krippendorff&#x27;s ordinal alpha on the levels of the units "
    "both coded with a level (95% bootstrap interval); “—” where fewer than two units are paired or all "
    "levels are the same, so alpha is undefined. “Same level or both empty” also counts a level against an "
    "empty level as a disagreement. The last row pools every issue, placing each level between the ends "
    "of its own scale.")


def test_reliability_summary_of_the_first_round(coded) -> None:
    expected = table("Agreement of two independent codings, per issue (round 1)", AGREEMENT_HEADERS, [
        ["Territory", "3 of 3 (100%)", "3", "1.00 (1.00 to 1.00)", "1.00", "1.00", "1.00", "1.00"],
        # NATO: one unit both coded, 4 against no level: no pair, and "same or empty" fails
        ["NATO", "1 of 2 (50%)", "0", "—", "—", "0.00", "—", "—"],
        ["Timing", "0 of 1 (0%)", "0", "—", "—", "—", "—", "—"],
        # pooled: levels 1, 5, 3 of 5 at 0, 1 and 0.5 of the scale, all agreed; 3 of 4 same-or-empty
        ["All issues", "4 of 6 (67%)", "3", "1.00 (1.00 to 1.00)", "1.00", "0.75", "1.00", "1.00"]])
    assert book.reliability_summary(coded).data == expected + AGREEMENT_NOTICE  # the first round unless told


def test_reliability_summary_of_the_second_round(coded) -> None:
    row = ["2 of 2 (100%)", "2", "-0.50 (-0.50 to -0.50)", "0.00", "0.00", "—", "—"]
    assert book.reliability_summary(coded, round_number=2).data == table(
        "Agreement of two independent codings, per issue (round 2)", AGREEMENT_HEADERS,
        [["Timing", *row], ["All issues", *row]]) + AGREEMENT_NOTICE


ROUND_1 = {"units": 6, "both": 4, "both_share": "67%", "paired": 3, "alpha": "1.00", "same_or_empty": "75%",
           "first_rows": 6, "second_rows": 5, "issues_rated": 1, "issues_below": 0}
ROUND_2 = {"units": 2, "both": 2, "both_share": "100%", "paired": 2, "alpha": "-0.50", "same_or_empty": "0%",
           "first_rows": 2, "second_rows": 2, "issues_rated": 1, "issues_below": 1}


def test_reliability_values_of_each_round(coded) -> None:
    assert book.reliability_values(coded) == ROUND_1  # the first round unless told
    assert book.reliability_values(coded, 1) == ROUND_1
    assert book.reliability_values(coded, round_number=2) == ROUND_2


def test_glue_reliability_names_each_round_and_glues_text_as_markdown(coded) -> None:
    expected = [(f"r_{name}", ("md", value) if isinstance(value, str) else value) for name, value in ROUND_1.items()]
    expected += [(f"r2_{name}", ("md", value) if isinstance(value, str) else value) for name, value in ROUND_2.items()]
    assert markdown(glued(book.glue_reliability, coded)) == expected


def test_an_alpha_of_exactly_the_threshold_is_not_below_it(tmp_path, monkeypatch, data) -> None:
    # Eleven territory units, all reported goals: one coded 1 and 2, three coded 1 by both, seven
    # 2 by both. Two values, n = 22 (seven 1s, fifteen 2s), one disagreement: by hand
    # alpha = 1 - (n-1)·1/(7·15) = 1 - 21/105 = 0.80, which is not "below 0.8".
    units = [("2022-11-a", actor) for actor in ("ukraine", "russia", "us-a", "us-b", "eu", "analyst")]
    units += [("2025-02-b", actor) for actor in ("ukraine", "russia", "us-a", "us-b", "eu")]
    levels = [(1, 2)] + [(1, 1)] * 3 + [(2, 2)] * 7
    folder = tmp_path / "coding"
    folder.mkdir()
    for coder, name in enumerate(("first-coder.csv", "second-coder.csv")):
        rows = [f"{source},{actor},territory,{pair[coder]},goal,reported,{source}-q01,x\n"
                for (source, actor), pair in zip(units, levels)]
        (folder / name).write_text(CODING_HEADER + "".join(rows), encoding="utf-8")
    monkeypatch.setenv("BOOK_DATA_DIR", str(tmp_path))
    assert book.reliability_values(data) == {
        "units": 11, "both": 11, "both_share": "100%", "paired": 11, "alpha": "0.80",
        "same_or_empty": "91%",  # 10 of 11
        "first_rows": 11, "second_rows": 11, "issues_rated": 1, "issues_below": 0}


@pytest.mark.parametrize("value, unit, qualifier, markdown", [
    (41, "percent", "exact", "41%"),                                   # the number says it all
    (2015, "year", "exact", "2015"),
    (3, "count", "lower bound", "at least 3"),
    (400, "USD million", "lower bound", "at least $400 million"),
    (1, "shells *fired*", "exact", r"1 shell \*fired\*"),   # one: singular; the unit's words are data: escaped
])
def test_figure_md_writes_the_number_and_escapes_only_the_units_words(value, unit, qualifier, markdown) -> None:
    assert book.figure_md(value, unit, qualifier) == markdown
    if qualifier == "exact":
        assert book.figure_md(value, unit) == markdown                 # "exact" is the default
