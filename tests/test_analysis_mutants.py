"""More of ``utils/analysis.py`` against values worked out by hand on ``tests/fixtures/analysis``.

Written to kill the mutants ``make mutation`` found surviving
``tests/test_analysis.py``: each test checks something a student reading the
tables relies on (who is quoted most, in what order the tables run, that a level
stays a whole number and a missing one shows as ``<NA>``, that a source with no
quotes still has its row of zeros), never how the code gets there. Where the
fixture cannot show a difference, a small edited copy of it does
(:func:`edited`); each edit is described where it is made.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pandas as pd
import pytest

from utils import analysis, load_data

FIXTURE = Path(__file__).parent / "fixtures" / "analysis"


@pytest.fixture(scope="module")
def data():
    return load_data(FIXTURE)


def edited(data, **frames):
    """A copy of ``data`` with some tables replaced (the analysis functions never validate)."""
    return dataclasses.replace(data, **frames)


def with_rows(frame: pd.DataFrame, rows: list[dict]) -> pd.DataFrame:
    """``frame`` with ``rows`` appended, keeping every column's type."""
    added = pd.DataFrame(rows, columns=frame.columns).astype(frame.dtypes.to_dict())
    return pd.concat([frame, added], ignore_index=True)


# --- Who is quoted ----------------------------------------------------------------------------


def test_voices_most_quoted_first_then_by_name(data) -> None:
    # Two quotes each: Russia, US official A, US official B, Ukraine (names in alphabetical
    # order: "US…" sorts before "Uk…"); one each: An analyst, European allies.
    frame = analysis.voices(data)
    assert list(frame["speaker_id"]) == ["russia", "us-a", "us-b", "ukraine", "analyst", "eu"]
    assert list(frame["quotes"]) == [2, 2, 2, 2, 1, 1]
    assert list(frame.index) == [0, 1, 2, 3, 4, 5]  # the printed table is numbered in rank order
    assert list(frame.columns) == ["speaker_id", "name", "bloc", "actor_kind", "quotes"]
    assert frame.loc[0, "actor_kind"] == "state" and frame.loc[4, "bloc"] == "independent"


def test_voices_of_one_source_count_only_its_quotes(data) -> None:
    # 2025-02-b quotes five speakers once each (the analyst is quoted only in 2022-11-a).
    frame = analysis.voices(data, "2025-02-b")
    assert list(frame["speaker_id"]) == ["eu", "russia", "us-a", "us-b", "ukraine"]
    assert list(frame["quotes"]) == [1] * 5
    early = analysis.voices(data, "2022-11-a")
    assert "eu" not in set(early["speaker_id"]) and "analyst" in set(early["speaker_id"])


def test_sources_without_quotes_keep_a_row_of_zeros(data) -> None:
    # A third source, published last, that quotes nobody: its row is all zeros, in date order.
    later = with_rows(data.sources, [{**data.sources.iloc[1].to_dict(), "source_id": "2025-06-c",
                                      "published": pd.Timestamp("2025-06-01")}])
    bigger = edited(data, sources=later)
    sourcing = analysis.sourcing_by_source(bigger)
    assert list(sourcing.index) == ["2022-11-a", "2025-02-b", "2025-06-c"]
    assert sourcing.loc["2025-06-c"].tolist() == [0] * len(sourcing.columns)
    assert sourcing.loc["2022-11-a", "named"] == 4 and sourcing.loc["2025-02-b", "named"] == 4
    blocs = analysis.voices_by_bloc(bigger)
    assert list(blocs.index) == ["2022-11-a", "2025-02-b", "2025-06-c"]
    assert blocs.loc["2025-06-c"].tolist() == [0] * len(blocs.columns)


def test_tables_by_source_run_by_date_not_by_id(data) -> None:
    # The same two sources with their dates swapped: "2022-11-a" now appeared last.
    swapped = data.sources.assign(published=list(reversed(list(data.sources["published"]))))
    moved = edited(data, sources=swapped)
    assert list(analysis.source_dates(moved).index) == ["2025-02-b", "2022-11-a"]
    assert list(analysis.sourcing_by_source(moved).index) == ["2025-02-b", "2022-11-a"]
    assert list(analysis.voices_by_bloc(moved).index) == ["2025-02-b", "2022-11-a"]


# --- Levels across sources --------------------------------------------------------------------


def test_actor_trajectory_keeps_whole_levels_missing_cells_and_the_asked_order(data) -> None:
    # NATO: Ukraine coded only in 2022-11-a (1), the EU only in 2025-02-b (2), the analyst never.
    table = analysis.actor_trajectory(data, ["eu", "ukraine", "analyst"], "nato")
    assert list(table.columns) == ["eu", "ukraine", "analyst"]  # as asked, not as first coded
    assert list(table.index) == ["2022-11-a", "2025-02-b"]
    assert all(str(dtype) == "Int64" for dtype in table.dtypes)  # 2, not 2.0
    assert table.loc["2025-02-b", "eu"] == 2 and table.loc["2022-11-a", "ukraine"] == 1
    assert pd.isna(table.loc["2022-11-a", "eu"]) and table["analyst"].isna().all()
    assert list(table.reset_index().columns) == ["source_id", "eu", "ukraine", "analyst"]


def test_source_figures_in_id_order_numbered_from_zero(data) -> None:
    # Two more figures for 2025-02-b, stored out of order (f02 before f01) after 2022-11-a's.
    base = data.figures.iloc[0].to_dict()
    figures = with_rows(data.figures, [
        {**base, "figure_id": "2025-02-b-f02", "source_id": "2025-02-b", "value": 2.0},
        {**base, "figure_id": "2025-02-b-f01", "source_id": "2025-02-b", "value": 1.0}])
    frame = analysis.source_figures(edited(data, figures=figures), "2025-02-b")
    assert list(frame["figure_id"]) == ["2025-02-b-f01", "2025-02-b-f02"]
    assert list(frame.index) == [0, 1]
    assert frame.loc[0, "value"] == 1.0


# --- Agreement between coders -----------------------------------------------------------------


def test_cohens_kappa_says_what_is_wrong_with_its_input() -> None:
    with pytest.raises(ValueError, match=r"^both coders must label the same, non-empty list of items$"):
        analysis.cohens_kappa([1, 2], [1])
    with pytest.raises(ValueError, match=r"^both coders must label the same, non-empty list of items$"):
        analysis.cohens_kappa([], [])


# --- Two actors side by side ------------------------------------------------------------------


def test_compare_actors_as_of_a_date(data) -> None:
    # By 1 January 2023 only 2022-11-a is known: territory Ukraine 1 (goal), Russia 5 (goal), gap 4;
    # NATO Ukraine 1, Russia not yet coded; timing nobody.
    frame = analysis.compare_actors(data, "ukraine", "russia", as_of="2023-01-01")
    assert list(frame.columns) == [
        "issue_id", "label",
        "level_first", "stance_first", "basis_first", "source_first", "text_first",
        "level_second", "stance_second", "basis_second", "source_second", "text_second",
        "gap", "agree"]
    assert list(frame["issue_id"]) == ["territory", "nato", "timing"] and list(frame.index) == [0, 1, 2]
    territory = frame.iloc[0]
    assert (territory["level_first"], territory["level_second"], territory["gap"]) == (1, 5, 4)
    assert (territory["stance_second"], territory["basis_second"], territory["source_second"]) == (
        "goal", "reported", "2022-11-a")
    assert territory["text_first"] == "All of it back."
    assert frame.loc[1, "level_first"] == 1 and pd.isna(frame.loc[1, "level_second"])
    assert pd.isna(frame.loc[1, "gap"]) and pd.isna(frame.loc[1, "agree"])
    # Levels stay whole numbers (1, not 1.0); agreement reads True / False / <NA>.
    assert [str(frame[c].dtype) for c in ("level_first", "level_second", "gap", "agree")] == [
        "Int64", "Int64", "Int64", "boolean"]


def test_compare_actors_today(data) -> None:
    # Latest: territory Ukraine 3 (2025 red line), Russia 4 (2025 red line): gap 1; NATO 1 against 4: gap 3.
    frame = analysis.compare_actors(data, "ukraine", "russia").set_index("issue_id")
    assert frame.loc["territory", "gap"] == 1 and frame.loc["nato", "gap"] == 3
    assert frame.loc["territory", "stance_first"] == "red-line"


# --- What changed since earlier sources -------------------------------------------------------


def test_actor_changes_lists_only_actors_coded_in_this_source_and_before(data) -> None:
    # 2025-02-b codes Ukraine, Russia, US official A and the EU with a level; the EU and Russia on
    # NATO have nothing earlier. Ukraine on NATO and both US officials on timing were coded in
    # 2022-11-a only: not in this source, so not listed.
    frame = analysis.actor_changes(data, "2025-02-b")
    assert list(zip(frame["actor_id"], frame["issue_id"])) == [
        ("russia", "territory"), ("ukraine", "territory"), ("us-a", "territory")]
    us = frame.iloc[2]
    assert (us["name"], us["level_before"], us["stance_before"], us["basis_before"], us["source_before"]) == (
        "US official A", 2, "expectation", "own words", "2022-11-a")
    assert (us["level_now"], us["stance_now"], us["basis_now"], us["change"]) == (
        2, "goal", "own words", "not comparable (stance differs)")


def test_actor_changes_compares_with_what_the_earlier_source_showed(data) -> None:
    # A third source (June 2025) has US official A's goal at 3 on territory. In 2025-02-b the same
    # official gave, on one day, an expectation 3, a goal 2 and (added here, coded after it) a goal 4:
    # that source's matrix shows the goal 2 (a goal beats an expectation; the first coded of two
    # goals stands), so the change is from goal 2 to goal 3: towards Russia's end.
    sources = with_rows(data.sources, [{**data.sources.iloc[1].to_dict(), "source_id": "2025-06-c",
                                        "published": pd.Timestamp("2025-06-01")}])
    base = data.positions.set_index("position_id").loc["2025-02-b-p05"].to_dict()
    positions = with_rows(data.positions, [
        {**base, "position_id": "2025-02-b-p09", "level": 4},
        {**base, "position_id": "2025-06-c-p01", "level": 3, "quote_id": "2025-06-c-q01",
         "stated_on": pd.Timestamp("2025-06-01")}])
    quotes = with_rows(data.quotes, [{**data.quotes.iloc[7].to_dict(), "quote_id": "2025-06-c-q01",
                                      "source_id": "2025-06-c"}])
    three = edited(data, sources=sources, positions=positions, quotes=quotes)
    shown = analysis.position_matrix(three, source_id="2025-02-b").set_index(["actor_id", "issue_id"])
    assert shown.loc[("us-a", "territory"), "level"] == 2
    frame = analysis.actor_changes(three, "2025-06-c")
    assert frame.loc[0, ["actor_id", "level_before", "stance_before", "source_before", "level_now", "change"]
                     ].tolist() == ["us-a", 2, "goal", "2025-02-b", 3, "towards Russia's end"]


# --- The matrix and the timeline --------------------------------------------------------------


def test_matrix_of_own_words_only(data) -> None:
    # Only what actors said themselves: Russia's positions are all reported, and so is Ukraine's
    # 2025 red line, which leaves Ukraine's 2022 goal (1) standing. US official A in 2025: a goal 2
    # and an expectation 3 on the same day, both own words: the goal is shown.
    frame = analysis.position_matrix(data, bases=("own words",))
    assert set(frame["basis"]) == {"own words"}
    assert {(a, i): int(v) for a, i, v in zip(frame["actor_id"], frame["issue_id"], frame["level"])} == {
        ("eu", "nato"): 2, ("eu", "territory"): 2, ("ukraine", "nato"): 1, ("ukraine", "territory"): 1,
        ("us-a", "territory"): 2, ("us-a", "timing"): 3, ("us-b", "timing"): 2}
    assert list(frame.index) == list(range(7))  # the printed matrix is numbered in its order
    assert analysis.position_matrix(data, bases=("inferred",)).empty


def test_position_timeline_of_nato(data) -> None:
    # NATO: Ukraine 1 in 2022-11-a; in 2025-02-b the EU (bloc Europe) 2 and Russia 4, blocs in
    # alphabetical order; US official B's expectation has no level and is left out.
    frame = analysis.position_timeline(data, "nato")
    assert list(frame.columns) == ["source_id", "published", "bloc", "actor_id", "name", "level", "stance", "text"]
    assert list(zip(frame["source_id"], frame["actor_id"], frame["level"])) == [
        ("2022-11-a", "ukraine", 1), ("2025-02-b", "eu", 2), ("2025-02-b", "russia", 4)]
    assert list(frame.index) == [0, 1, 2]  # numbered oldest first, as printed


# --- The evidence table -----------------------------------------------------------------------


def test_evidence_joins_each_position_to_its_issue_quote_and_source(data) -> None:
    frame = analysis.evidence(data)
    assert list(frame.index) == list(range(14))  # fourteen positions, numbered oldest first
    assert list(frame["position_id"][:2]) == ["2022-11-a-p01", "2022-11-a-p02"]
    first = frame.iloc[0]
    assert (first["name"], first["bloc"], first["issue_kind"], first["source_id"]) == (
        "Ukraine", "Ukraine", "settlement", "2022-11-a")
    assert (first["text"], first["quote_kind"], first["sourcing"], first["speaker_id"]) == (
        "All of it back.", "direct quote", "named", "ukraine")
    assert first["published"] == pd.Timestamp("2022-11-01")
    assert frame.set_index("position_id").loc["2022-11-a-p05", "issue_kind"] == "process"  # timing


def test_evidence_may_be_changed_by_the_caller(data) -> None:
    frame = analysis.evidence(data)
    frame["level"] = 99
    frame.loc[0, "name"] = "Someone else"
    again = analysis.evidence(data)
    assert 99 not in set(again["level"].dropna()) and again.loc[0, "name"] == "Ukraine"


def test_a_month_precise_statement_stands_until_the_months_end(data) -> None:
    # Ukraine's 2022 goal dated "November 2022" (month precision) may stand for any day of November.
    positions = data.positions.copy()
    positions.loc[positions["position_id"] == "2022-11-a-p01", "stated_precision"] = "month"
    frame = analysis.evidence(edited(data, positions=positions)).set_index("position_id")
    assert frame.loc["2022-11-a-p01", "stated_until"] == pd.Timestamp("2022-11-30")
    assert frame.loc["2022-11-a-p02", "stated_until"] == pd.Timestamp("2022-11-01")  # day precision


def test_source_period_end(data) -> None:
    assert analysis.source_period_end(data, "2022-11-a") == pd.Timestamp("2022-11-01")
    sources = data.sources.copy()
    sources.loc[sources["source_id"] == "2022-11-a", "date_precision"] = "month"
    assert analysis.source_period_end(edited(data, sources=sources), "2022-11-a") == pd.Timestamp("2022-11-30")


def test_settlement_issues_in_book_order(data) -> None:
    assert analysis.settlement_issues(data) == ["territory", "nato"]


# --- Ranges, zones and the bargaining table ---------------------------------------------------

R = analysis.PartyRange


@pytest.mark.parametrize("party, issue, expected", [
    # Ukraine: goal 1 (2022, own words), red line 3 (2025, reported).
    ("Ukraine", "territory", R("Ukraine", "territory", 1, 3, True, "own words", "reported", True)),
    # Russia: goal 5 (2022), red line 4 (2025), both reported.
    ("Russia", "territory", R("Russia", "territory", 5, 4, True, "reported", "reported", True)),
    # No red line coded: the limit is the demand, assumed.
    ("Ukraine", "nato", R("Ukraine", "nato", 1, 1, False, "own words", "own words", True)),
    ("Russia", "nato", R("Russia", "nato", 4, 4, False, "reported", "reported", True)),
    # Other blocs span their goals in the latest source: the US officials' 2 and 3 on timing (2022).
    ("United States", "timing", R("United States", "timing", 2, 3, False, "own words", "own words", True)),
    ("Europe", "nato", R("Europe", "nato", 2, 2, False, "own words", "own words", True)),
    # Nothing coded.
    ("Ukraine", "timing", R("Ukraine", "timing", None, None, False, None, None, True)),
])
def test_party_range(data, party, issue, expected) -> None:
    assert analysis.party_range(data, party, issue) == expected


def added_positions(data, *rows):
    """``data`` with positions added in 2025-02-b (quoted by the speaker's 2025 quote)."""
    quote = {"ukraine": "2025-02-b-q01", "russia": "2025-02-b-q02"}
    base = data.positions.set_index("position_id").loc["2025-02-b-p01"].to_dict()
    new = [{**base, "position_id": f"2025-02-b-p{20 + n}", "actor_id": actor, "issue_id": issue,
            "level": level, "stance": stance, "basis": basis, "quote_id": quote[actor]}
           for n, (actor, issue, level, stance, basis) in enumerate(rows)]
    return edited(data, positions=with_rows(data.positions, new))


def test_a_goal_beyond_the_sides_own_red_line_is_bounded_by_it(data) -> None:
    # Ukraine in 2025 also aims at 4 (own words) while its red line is 3: it cannot ask for less
    # than it accepts, so demand and limit are both the red line 3.
    more = added_positions(data, ("ukraine", "territory", 4, "goal", "own words"))
    assert analysis.party_range(more, "Ukraine", "territory") == R(
        "Ukraine", "territory", 3, 3, True, "reported", "reported", True)


def test_without_a_goal_the_red_line_is_the_demand(data) -> None:
    positions = data.positions[data.positions["position_id"] != "2022-11-a-p02"]  # Russia's 2022 goal
    found = analysis.party_range(edited(data, positions=positions), "Russia", "territory")
    assert found == R("Russia", "territory", 4, 4, True, "reported", "reported", has_goal=False)


def test_each_side_asks_for_its_own_end_and_accepts_up_to_its_furthest_red_line(data) -> None:
    # 2025 additions: Russia also aims at 3 on NATO (its demand stays the higher 4); Ukraine also
    # draws a red line at 2 on territory, in its own words (its limit stays the furthest, 3), and a
    # second red line at 3 in its own words (the limit's strongest evidence is now its own words).
    more = added_positions(data, ("russia", "nato", 3, "goal", "own words"),
                           ("ukraine", "territory", 2, "red-line", "own words"),
                           ("ukraine", "territory", 3, "red-line", "own words"))
    assert analysis.party_range(more, "Russia", "nato").best == 4
    ukraine = analysis.party_range(more, "Ukraine", "territory")
    assert (ukraine.best, ukraine.limit, ukraine.limit_basis) == (1, 3, "own words")


def test_party_range_of_own_words_and_as_of(data) -> None:
    assert analysis.party_range(data, "Ukraine", "territory", bases=("own words",)) == R(
        "Ukraine", "territory", 1, 1, False, "own words", "own words", True)
    assert analysis.party_range(data, "Russia", "territory", as_of="2023-01-01") == R(
        "Russia", "territory", 5, 5, False, "reported", "reported", True)


def test_range_low_and_high(data) -> None:
    russia = analysis.party_range(data, "Russia", "territory")
    assert (russia.low, russia.high, russia.has_red_line) == (4, 5, True)
    nothing = analysis.party_range(data, "Russia", "timing")
    assert (nothing.low, nothing.high, nothing.has_red_line) == (None, None, False)


def test_with_limit_moves_a_red_line_but_never_past_the_demand(data) -> None:
    ukraine = analysis.party_range(data, "Ukraine", "territory")  # demand 1, red line 3
    # The coded red line (3, reported) is kept as what the what-if replaced.
    moved = analysis.with_limit(ukraine, 4)
    assert moved == R("Ukraine", "territory", 1, 4, True, "own words", "reported", True, moved_from=3)
    assert moved.moved and not ukraine.moved
    assert analysis.with_limit(ukraine, 0).limit == 1  # a red line stops at the demand
    assert analysis.with_limit(moved, 2) == dataclasses.replace(moved, limit=2)  # moved again: still from 3
    assert analysis.with_limit(moved, 3) == ukraine and analysis.with_limit(ukraine, 3) == ukraine  # back: no what-if
    russia = analysis.party_range(data, "Russia", "territory")  # demand 5, red line 4
    assert analysis.with_limit(russia, 2).limit == 2 and analysis.with_limit(russia, 7).limit == 5
    assert analysis.with_limit(russia, 2).moved_from == 4
    # Russia has no red line on NATO (its limit is assumed): a what-if there stays an assumed limit moved.
    assumed = analysis.party_range(data, "Russia", "nato")
    assert analysis.with_limit(assumed, 3) == dataclasses.replace(assumed, limit=3, moved_from=4)
    assert not analysis.with_limit(assumed, 3).limit_stated
    nothing = analysis.party_range(data, "Ukraine", "timing")
    assert analysis.with_limit(nothing, 2) is nothing
    europe = analysis.party_range(data, "Europe", "nato")
    assert analysis.with_limit(europe, 4) is europe


@pytest.mark.parametrize("ukraine, russia, expected", [
    (3, 4, analysis.Zone("t", "gap", gap=1)),
    (4, 4, analysis.Zone("t", "overlap", low=4, high=4)),  # both accept level 4
    (5, 3, analysis.Zone("t", "overlap", low=3, high=5)),
    (None, 3, analysis.Zone("t", "unknown")), (3, None, analysis.Zone("t", "unknown")),
])
def test_zone_of_agreement(ukraine, russia, expected) -> None:
    zone = analysis.zone_of_agreement(R("Ukraine", "t", ukraine and 1, ukraine, True),
                                      R("Russia", "t", russia and 5, russia, True))
    assert zone == expected


def test_issue_zone_applies_only_the_limits_of_its_issue(data) -> None:
    sides, zone = analysis.issue_zone(data, "territory", limits={("Ukraine", "territory"): 4,
                                                                 ("Russia", "nato"): 1})
    assert sides["Ukraine"].limit == 4 and sides["Russia"].limit == 4 and sides["Russia"].limit_basis == "reported"
    assert zone == analysis.Zone("territory", "overlap", low=4, high=4)
    sides, zone = analysis.issue_zone(data, "nato", as_of="2023-01-01")
    assert sides["Russia"].best is None and zone.status == "unknown"


def test_bargaining_table_rows(data) -> None:
    table = analysis.bargaining_table(data)
    assert list(table.columns) == [
        "issue_id", "label", "top", "ukraine_best", "ukraine_has_goal", "ukraine_limit", "ukraine_limit_stated",
        "ukraine_basis", "ukraine_moved_from", "russia_best", "russia_has_goal", "russia_limit",
        "russia_limit_stated", "russia_basis", "russia_moved_from", "status", "zone_low", "zone_high", "gap"]
    territory, nato = (table.iloc[i].to_dict() for i in (0, 1))
    assert pd.isna(territory["ukraine_moved_from"]) and pd.isna(territory["russia_moved_from"])
    assert {k: territory[k] for k in territory if k not in ("zone_low", "zone_high", "ukraine_moved_from",
                                                            "russia_moved_from")} == {
        "issue_id": "territory", "label": "Territory", "top": 5,
        "ukraine_best": 1, "ukraine_has_goal": True, "ukraine_limit": 3, "ukraine_limit_stated": True,
        "ukraine_basis": "reported",
        "russia_best": 5, "russia_has_goal": True, "russia_limit": 4, "russia_limit_stated": True,
        "russia_basis": "reported",
        "status": "gap", "gap": 1}
    assert pd.isna(territory["zone_low"]) and pd.isna(territory["zone_high"])
    assert (nato["top"], nato["ukraine_limit_stated"], nato["ukraine_basis"], nato["russia_limit_stated"]) == (
        4, False, "own words", False)
    assert [str(table[c].dtype) for c in ("ukraine_best", "zone_low", "gap", "russia_limit_stated",
                                          "ukraine_moved_from", "russia_moved_from")] == [
        "Int64", "Int64", "Int64", "boolean", "Int64", "Int64"]
    timing = analysis.bargaining_table(data, issue_ids=["timing"]).iloc[0]
    assert (timing["label"], timing["top"], timing["status"]) == ("Timing", 3, "unknown")
    assert pd.isna(timing["ukraine_limit_stated"]) and pd.isna(timing["russia_limit_stated"])  # nothing to state


def test_bargaining_table_with_a_what_if_and_own_words(data) -> None:
    row = analysis.bargaining_table(data, limits={("Russia", "territory"): 3}).iloc[0]
    assert (row["status"], row["zone_low"], row["zone_high"], row["russia_limit"]) == ("overlap", 3, 3, 3)
    assert (row["russia_moved_from"], row["russia_limit_stated"], row["russia_basis"]) == (4, True, "reported")
    assert pd.isna(row["ukraine_moved_from"])
    # A what-if at the coded limit is no what-if.
    assert pd.isna(analysis.bargaining_table(data, limits={("Russia", "territory"): 4}).iloc[0]["russia_moved_from"])
    assert analysis.issue_zone(data, "nato", limits={("Ukraine", "territory"): 5})[1].status == "gap"  # other issue


@pytest.mark.parametrize("key, level, message", [
    (("Russia", "territory"), 6, "what-if limit 6 for Russia on 'territory' is not a level of its scale, 1 to 5"),
    (("Ukraine", "nato"), 0, "what-if limit 0 for Ukraine on 'nato' is not a level of its scale, 1 to 4"),
    (("Ukraine", "nato"), 2.5, "what-if limit 2.5 for Ukraine on 'nato' is not a level of its scale, 1 to 4"),
    (("Ukraine", "nato"), True, "what-if limit True for Ukraine on 'nato' is not a level of its scale, 1 to 4"),
    (("ukraine", "nato"), 2, "what-if limits are keyed by (party, issue_id) with party one of Ukraine, Russia; "
                             "got ('ukraine', 'nato')"),
    (("Europe", "nato"), 2, "with party one of Ukraine, Russia; got ('Europe', 'nato')"),
    (("Ukraine", "natoo"), 2, "what-if limit for Ukraine on 'natoo': no such issue"),
])
def test_a_what_if_limit_that_is_no_level_of_a_known_issue_is_refused(data, key, level, message) -> None:
    for compute in (lambda: analysis.bargaining_table(data, limits={key: level}),
                    lambda: analysis.issue_zone(data, "territory", limits={key: level})):
        with pytest.raises(ValueError) as caught:
            compute()
        assert message in str(caught.value)
    assert analysis.bargaining_table(data, limits={("Ukraine", "nato"): 2.0}).iloc[1]["ukraine_limit"] == 2
    ends = analysis.bargaining_table(data, limits={("Russia", "territory"): 1, ("Ukraine", "territory"): 5})
    assert (ends.iloc[0]["russia_limit"], ends.iloc[0]["ukraine_limit"]) == (1, 5)  # both ends of the scale


def test_a_side_without_a_goal_has_its_red_line_as_its_demand(data) -> None:
    positions = data.positions.copy()
    positions.loc[positions["position_id"] == "2022-11-a-p01", "stance"] = "expectation"  # Ukraine's territory goal
    row = analysis.bargaining_table(dataclasses.replace(data, positions=positions)).iloc[0]
    assert (row["ukraine_best"], row["ukraine_has_goal"], row["ukraine_limit"]) == (3, False, 3)
    assert row["russia_has_goal"]
    own = analysis.bargaining_table(data, bases=("own words",)).set_index("issue_id")
    assert own.loc["territory", "status"] == "unknown" and own.loc["territory", "ukraine_best"] == 1
    early = analysis.bargaining_table(data, as_of="2023-01-01").set_index("issue_id")
    assert (early.loc["territory", "russia_best"], early.loc["territory", "status"]) == (5, "gap")
    assert early.loc["territory", "gap"] == 4


def test_overall_zone() -> None:
    assert analysis.overall_zone(pd.DataFrame({"status": ["overlap", "unknown"]})) == "overlap"
    assert analysis.overall_zone(pd.DataFrame({"status": ["overlap", "gap", "unknown"]})) == "gap"


def test_no_earlier_source_gives_an_empty_table_with_its_columns(data) -> None:
    # Nothing precedes the first source; the empty table still has its columns, so a chapter can
    # select ``changes["change"]`` or show the headers whatever the data.
    changes = analysis.actor_changes(data, "2022-11-a")
    assert changes.empty
    assert list(changes.columns) == ["actor_id", "name", "issue_id", "level_before", "stance_before", "basis_before",
                                     "source_before", "level_now", "stance_now", "basis_now", "change"]


def test_evidence_is_numbered_oldest_first_whatever_the_order_of_the_file(data) -> None:
    # positions.csv listed newest first: the evidence still runs (and is numbered) oldest first.
    reversed_file = edited(data, positions=data.positions.iloc[::-1].reset_index(drop=True))
    frame = analysis.evidence(reversed_file)
    assert list(frame["position_id"][:2]) == ["2022-11-a-p01", "2022-11-a-p02"]
    assert list(frame.index) == list(range(14))
    assert frame.loc[0, "position_id"] == "2022-11-a-p01"


def test_a_range_names_its_strongest_evidence(data) -> None:
    # Russia's red line 4 on territory is reported; an analyst's inference of the same line adds
    # nothing stronger: the limit still rests on reported words (own words > reported > inferred).
    more = added_positions(data, ("russia", "territory", 4, "red-line", "inferred"))
    assert analysis.party_range(more, "Russia", "territory").limit_basis == "reported"


def test_ukraine_asks_for_the_lowest_of_its_goals_and_a_date_includes_its_own_day(data) -> None:
    # In 2025 Ukraine also aims at 1 and at 2 on NATO (reported): its demand is the lower, 1.
    more = added_positions(data, ("ukraine", "nato", 2, "goal", "reported"),
                           ("ukraine", "nato", 1, "goal", "reported"))
    assert analysis.party_range(more, "Ukraine", "nato").best == 1
    # As of 1 February 2025, the red line stated that day counts.
    assert analysis.party_range(data, "Ukraine", "territory", as_of="2025-02-01").limit == 3


def test_evidence_is_joined_once_per_loaded_data(monkeypatch) -> None:
    # Chapters and widgets ask for the evidence again and again: the five tables are joined once
    # per loaded data set (they are treated as read-only), and once more for another data set.
    fresh = load_data(FIXTURE)
    joins = []
    join = analysis._join_evidence
    monkeypatch.setattr(analysis, "_join_evidence", lambda data: joins.append(data) or join(data))
    first, again = analysis.evidence(fresh), analysis.evidence(fresh)
    assert joins == [fresh]
    assert first.equals(again) and first is not again  # each caller still gets its own copy
    other = edited(fresh)  # the same tables in another BookData: another data set
    assert analysis.evidence(other).equals(first)
    assert len(joins) == 2 and joins[1] is other
