"""The sentences the comparison chapters glue, on a small fixture worked out by hand.

The fixture is ``tests/fixtures/valid`` (two sources, Ukraine and Russia on two
issues) with two American voices and three excerpts added, so that every
function has something to find and something to leave out. The expected
values below were worked out from the rows added in :func:`fixture`, not by
running the functions.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from utils import load_data, sentences

from .fixture_data import fixture_copy

FIXTURES = Path(__file__).resolve().parent / "fixtures"

ADDED = {
    "actors.csv": [
        {"actor_id": "us-a", "name": "US A", "kind": "government official", "bloc": "United States", "role": "Official."},
        {"actor_id": "us-b", "name": "US B", "kind": "legislator", "bloc": "United States", "role": "Senator."},
    ],
    "quotes.csv": [
        {"quote_id": "2022-11-alpha-q02", "source_id": "2022-11-alpha", "speaker_id": "us-a",
         "text": "A freeze is what I expect.", "kind": "direct quote", "sourcing": "named"},
        {"quote_id": "2023-11-beta-q02", "source_id": "2023-11-beta", "speaker_id": "us-a",
         "text": "Still a freeze, I expect.", "kind": "direct quote", "sourcing": "named"},
        {"quote_id": "2023-11-beta-q03", "source_id": "2023-11-beta", "speaker_id": "analyst-a",
         "text": "Kyiv wants to join.", "kind": "author's claim", "sourcing": "author's own"},
    ],
    "positions.csv": [
        # US A: the same level and stance in both sources (named once, counted in two sources).
        {"position_id": "2022-11-alpha-p02", "actor_id": "us-a", "issue_id": "territory", "level": "2",
         "stance": "expectation", "basis": "own words", "quote_id": "2022-11-alpha-q02",
         "stated_on": "2022-11-18", "stated_precision": "day", "note": "Fixture."},
        {"position_id": "2023-11-beta-p03", "actor_id": "us-a", "issue_id": "territory", "level": "2",
         "stance": "expectation", "basis": "own words", "quote_id": "2023-11-beta-q02",
         "stated_on": "2023-11-01", "stated_precision": "month", "note": "Fixture."},
        # US B: another American voice at another level, so the US bloc is split on territory.
        {"position_id": "2023-11-beta-p04", "actor_id": "us-b", "issue_id": "territory", "level": "3",
         "stance": "goal", "basis": "reported", "quote_id": "2023-11-beta-q02",
         "stated_on": "2023-11-01", "stated_precision": "month", "note": "Fixture."},
        # Ukraine on NATO, where Russia has no level (its row has none).
        {"position_id": "2023-11-beta-p05", "actor_id": "ukraine", "issue_id": "nato-membership", "level": "1",
         "stance": "goal", "basis": "reported", "quote_id": "2023-11-beta-q03",
         "stated_on": "2023-11-01", "stated_precision": "month", "note": "Fixture."},
    ],
}

ADJUDICATION = [
    # round, first, second -> kind
    ("1", "no level (goal)", "not coded"),                    # coded by one coder only
    ("1", "not coded", "2 (goal; inferred)"),                 # coded by one coder only
    ("1", "2 (goal)", "no level (goal)"),                     # a level against no level
    ("1", "3 (expectation)", "3 (goal)"),                     # same level, different stance or basis
    ("1", "3 (red-line; inferred)", "3 (red-line; reported)"),  # same level, different stance or basis
    ("1", "2 (red-line)", "3 (red-line)"),                    # different levels
    ("2", "not coded", "2 (goal), both round-2 coders"),      # round 2: left out of round 1's counts
]


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = fixture_copy(FIXTURES / "valid", tmp_path_factory.mktemp("sentences") / "data", ADDED)
    (target / "coding").mkdir()
    with (target / "coding" / sentences.ADJUDICATION_FILE).open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["round", "source_id", "actor_id", "issue_id", "first", "second",
                         "resolution", "rule_changed", "reason"])
        for number, (round_number, first, second) in enumerate(ADJUDICATION):
            writer.writerow([round_number, "2023-11-beta", "ukraine", "territory", first, second,
                             "kept", "", f"case {number}"])
    return target


@pytest.fixture(scope="module")
def fixture(folder: Path):
    return load_data(folder)


def test_join_words_and_counts() -> None:
    assert sentences.join_words([]) == ""
    assert sentences.join_words(["a"]) == "a"
    assert sentences.join_words(["a", "b"]) == "a and b"
    assert sentences.join_words(["a", "b", "c"], "or") == "a, b or c"
    assert sentences.count_phrase(0, "actor") == "no actor"
    assert sentences.count_phrase(1, "actor") == "one actor"
    assert sentences.count_phrase(3, "column") == "three columns"
    assert sentences.count_phrase(2, "speech", "speeches") == "two speeches"
    assert sentences.count_phrase(14, "issue") == "14 issues"


def test_labels_and_sources_in_words(fixture) -> None:
    # "Territory" is lowered, "NATO" is an acronym and stays.
    assert sentences.issue_phrase(fixture, ["territory", "nato-membership"]) == "territory and NATO"
    assert sentences.source_phrase(fixture, "2022-11-alpha") == "the news report of November 2022 (Outlet A)"
    assert sentences.source_phrase(fixture, "2023-11-beta") == "the opinion blog of November 2023 (Outlet B)"
    assert sentences.scale_phrase(fixture, "territory") == "1 “All back”, 2 “Freeze”, 3 “All to Russia”"


def test_which_bloc_is_coded_where(fixture) -> None:
    # Latest levels: Ukraine territory 1 and NATO 1; Russia territory 3 (its NATO row has no level);
    # US A territory 2, US B territory 3.
    assert sentences.bloc_issues(fixture, "Ukraine") == ["territory", "nato-membership"]
    assert sentences.bloc_issues(fixture, "Russia") == ["territory"]
    assert sentences.shared_issues(fixture) == ["territory"]
    assert sentences.only_issues(fixture, "Ukraine", "Russia") == ["nato-membership"]
    assert sentences.only_issues(fixture, "Russia", "Ukraine") == []
    assert sentences.split_issues(fixture, "United States") == ["territory"]
    assert sentences.split_issues(fixture, "Ukraine") == []


def test_heatmap_shape(fixture) -> None:
    # Four actors with a level (ukraine, russia, us-a, us-b) by two issues; five latest levels.
    assert sentences.heatmap_shape(fixture) == {"actors": 4, "issues": 2, "cells": 8, "filled": 5, "empty": 3}


def test_levels_phrase(fixture) -> None:
    american = sentences.levels_phrase(fixture, "territory", bloc="United States")
    assert american == ("US A at level 2, “Freeze”, as an expectation; "
                        "US B at level 3, “All to Russia”, as a goal")
    # One source only: US B is in the second source, US A in both.
    assert sentences.levels_phrase(fixture, "territory", bloc="United States", source_id="2022-11-alpha") == (
        "US A at level 2, “Freeze”, as an expectation")
    everyone = sentences.levels_phrase(fixture, "territory", latest=True)
    assert everyone == ("Ukraine at level 1, “All back”, as a goal; "
                        "US A at level 2, “Freeze”, as an expectation; "
                        "Russia and US B at level 3, “All to Russia”, as goals")
    assert sentences.levels_phrase(fixture, "nato-membership", bloc="Russia") == "no one with a level"
    assert sentences.level_groups(fixture, "nato-membership") == [(1, "goal", ["Ukraine"])]


def test_actors_in_several_sources(fixture) -> None:
    # US A is coded on territory in both sources; Ukraine only in the first, US B only in the second.
    assert sentences.actors_in_several_sources(fixture, ["ukraine", "us-a", "us-b"], "territory") == ["us-a"]
    assert sentences.actors_in_several_sources(fixture, ["ukraine"], "nato-membership") == []


def test_quote_shares_and_rankings(fixture) -> None:
    # First source: two direct quotes of two excerpts; second: one of three.
    shares = sentences.quote_shares(fixture, "kind", "direct quote")
    assert list(shares["source_id"]) == ["2022-11-alpha", "2023-11-beta"]
    assert list(shares["count"]) == [2, 1] and list(shares["total"]) == [2, 3]
    assert shares["share"].tolist() == pytest.approx([1.0, 1 / 3])
    assert sentences.top_sources(shares) == ["2022-11-alpha"]
    assert sentences.top_sources(shares, largest=False) == ["2023-11-beta"]
    claims = sentences.quote_shares(fixture, "kind", "author's claim")
    assert claims["count"].tolist() == [0, 1]
    # Reported speech never outnumbers direct quotes; direct quotes outnumber reported speech
    # only in the first source (1 against 1 in the second is not more).
    assert sentences.sources_where_more(fixture, "kind", "reported speech", "direct quote") == []
    assert sentences.sources_where_more(fixture, "kind", "direct quote", "reported speech") == ["2022-11-alpha"]


def test_who_speaks_where(fixture) -> None:
    assert sentences.bloc_quote_sources(fixture, "Russia") == ["2023-11-beta"]
    assert sentences.bloc_quote_sources(fixture, "Russia", kind="direct quote") == []
    assert sentences.bloc_quote_sources(fixture, "Ukraine", kind="direct quote") == ["2022-11-alpha"]
    assert sentences.bloc_quote_sources(fixture, "United States") == ["2022-11-alpha", "2023-11-beta"]
    assert sentences.absent_blocs(fixture, "2022-11-alpha") == ["Russia", "Europe"]
    assert sentences.absent_blocs(fixture, "2023-11-beta") == ["Ukraine", "Europe"]


def test_adjudication_kinds(folder: Path) -> None:
    assert sentences.adjudication_kinds(folder) == {
        "coded by one coder only": 2, "a level against no level": 1, "different levels": 1,
        "same level, different stance or basis": 2, "all": 6}
    assert sentences.adjudication_kinds(folder, round_number=2)["coded by one coder only"] == 1


def test_levels_source_by_source(fixture) -> None:
    assert sentences.levels_by_source(fixture, "territory", "United States") == (
        "in the news report of November 2022 (Outlet A), US A at level 2, “Freeze”, as an expectation; "
        "in the opinion blog of November 2023 (Outlet B), US A at level 2, “Freeze”, as an expectation; "
        "US B at level 3, “All to Russia”, as a goal")
    assert sentences.levels_by_source(fixture, "nato-membership", "Russia") == ""
    assert sentences.levels_phrase(fixture, "territory", actor_ids=["us-b"]) == (
        "US B at level 3, “All to Russia”, as a goal")


def test_unlevelled_actors_and_paths(fixture) -> None:
    # Russia's only NATO row has no level; Ukraine's has one.
    assert sentences.unlevelled_actors(fixture, "nato-membership") == ["Russia"]
    assert sentences.unlevelled_actors(fixture, "territory") == []
    assert sentences.actor_path(fixture, "us-a", "territory") == (
        "level 2, “Freeze” (an expectation, stated 18 November 2022, own words), then "
        "level 2, “Freeze” (an expectation, stated November 2023, own words)")
    assert sentences.actor_path(fixture, "us-b", "nato-membership") == ""


def test_repeat_codings(fixture) -> None:
    # Only US A is coded on one issue in both sources: same level twice, own words both times.
    table = sentences.repeat_codings(fixture)
    assert table[["actor_id", "issue_id", "sources", "changed", "same_stance", "own_words"]].to_dict("records") == [
        {"actor_id": "us-a", "issue_id": "territory", "sources": 2, "changed": False, "same_stance": True,
         "own_words": True}]
    assert table["levels"].tolist() == [[2, 2]]


# --- Counted phrases, and the helpers the comparison pages glue through one call each ----------


def test_counted_phrases_read_well() -> None:
    assert sentences.count_word(0) == "none"
    assert sentences.count_word(1) == "one"
    assert sentences.count_word(14) == "14"
    assert sentences.steps_phrase(1) == "one scale step"
    assert sentences.steps_phrase(3) == "three scale steps"
    assert sentences.span_words(2, 4) == "two to four"
    assert sentences.span_words(3, 3) == "three"


def test_scales_and_voices_of_one_moment(fixture) -> None:
    assert sentences.scale_lengths(fixture) == (3, 3)
    assert sentences.scale_lengths(fixture, ["nato-membership"]) == (3, 3)
    # In the second source US A (2) and US B (3) are coded on territory in the same month.
    assert sentences.same_source_split_issues(fixture, "United States") == ["territory"]
    assert sentences.same_source_split_issues(fixture, "Ukraine") == []
    assert sentences.split_sources(fixture, ["us-a", "us-b"], "territory") == ["2023-11-beta"]
    assert sentences.split_sources(fixture, ["us-a"], "territory") == []
    assert sentences.unlevelled_phrase(fixture, "nato-membership") == (
        "Russia in the opinion blog of November 2023 (Outlet B)")
    assert sentences.unlevelled_phrase(fixture, "nato-membership", "Ukraine") == ""


def test_voices_table_shows_every_row(fixture) -> None:
    table = sentences.voices_table(fixture, ["us-a", "us-b"], "territory")
    assert list(table.columns) == ["US A", "US B"]
    assert table.to_dict("index") == {
        "the news report of November 2022 (Outlet A)": {"US A": "2 (expectation)", "US B": "—"},
        "the opinion blog of November 2023 (Outlet B)": {"US A": "2 (expectation)", "US B": "3 (goal)"}}
    # Russia's NATO row has no level and still shows.
    assert sentences.voices_table(fixture, ["russia"], "nato-membership")["Russia"].tolist() == [
        "—", "no level (expectation)"]


def test_spreads_within_and_between_blocs(fixture) -> None:
    assert sentences.bloc_spreads(fixture, "territory") == {
        "Ukraine": (1, 1), "Russia": (3, 3), "United States": (2, 3)}
    assert sentences.spread_comparison(fixture, "territory") == {
        "within": "one scale step", "between": "two scale steps", "verdict": "smaller than"}
    # Russia has no level on NATO: nothing to compare.
    assert sentences.spread_comparison(fixture, "nato-membership")["verdict"] == ""


def test_own_words_sentence_for_any_count() -> None:
    rest = ", at least in part, on someone else's account or on the coder's inference."
    assert sentences.own_words_sentence(3, 0) == "In none of them is every row in the actor's own words: all three rest" + rest
    assert sentences.own_words_sentence(2, 0) == "In none of them is every row in the actor's own words: both rest" + rest
    assert sentences.own_words_sentence(3, 1) == (
        "In one of them every row is in the actor's own words; the other two rest" + rest)
    assert sentences.own_words_sentence(2, 1) == (
        "In one of them every row is in the actor's own words; the other one rests" + rest)
    assert sentences.own_words_sentence(2, 2) == "In all of them every row is in the actor's own words."
    assert sentences.own_words_sentence(0, 0).startswith("No pair changed level")


def test_bargaining_phrases(fixture) -> None:
    # Territory: Ukraine's goal 1 and Russia's goal 3, both assumed limits: a gap of two steps.
    # NATO: Ukraine's goal 1; Russia's row has no level, so the issue is unknown.
    from utils import analysis
    table = analysis.bargaining_table(fixture)
    assert sentences.zone_counts_phrase(table) == (
        "one shows a gap between Ukraine's and Russia's limits, none an overlap, "
        "and on one the sources do not code both sides")
    assert sentences.both_coded_phrase(table) == "one of the two settlement issues has both sides coded"
    own = analysis.bargaining_table(fixture, bases=("own words",))
    assert sentences.both_coded_phrase(own) == "none of the two settlement issues has both sides coded"
    assert sentences.own_words_share_phrase(fixture, "Russia") == (
        "none of Russia's two coded positions is in its own words")
    assert sentences.own_words_share_phrase(fixture, "Ukraine") == (
        "one of Ukraine's two coded positions is in its own words")
    assert sentences.assumed_limits(fixture) == [
        "Ukraine's on territory", "Ukraine's on NATO", "Russia's on territory"]
    assert sentences.assumed_limits(fixture, other_side_coded=True) == [
        "Ukraine's on territory", "Russia's on territory"]
    assert sentences.assumed_limits(fixture, other_side_coded=False) == ["Ukraine's on NATO"]
    assert list(sentences.limit_rows(fixture, "Russia", "territory")["position_id"]) == ["2023-11-beta-p01"]
    assert sentences.limit_phrase(fixture, "Russia", "territory") == (
        "Russia's words as the opinion blog of November 2023 (Outlet B) reports them")
    assert sentences.limit_phrase(fixture, "Russia", "nato-membership") == ""


def test_shrink_phrase() -> None:
    assert sentences.shrink_phrase({"Ukraine": (9, 2), "Russia": (3, 0)}) == (
        "Ukraine keeps two of its nine (seven fewer) and Russia keeps none of its three (all lost); "
        "Russia's side shrinks more, in proportion")
    assert sentences.shrink_phrase({"Ukraine": (2, 1), "Russia": (4, 2)}).endswith(
        "both sides shrink in the same proportion")


def test_unnamed_sources_and_reporters(fixture) -> None:
    import dataclasses

    import pandas as pd
    assert sentences.unnamed_sources(fixture) == {"all": 0, "officials": 0}
    # Make the second source's two extra excerpts unnamed: one by an official (US A), one by an analyst.
    quotes = fixture.quotes.copy()
    quotes.loc[quotes["quote_id"].isin(["2023-11-beta-q02", "2023-11-beta-q03"]), "sourcing"] = "anonymous official"
    changed = dataclasses.replace(fixture, quotes=pd.DataFrame(quotes))
    assert sentences.unnamed_sources(changed) == {"all": 2, "officials": 1}
    assert sentences.unnamed_sources(changed, "2022-11-alpha") == {"all": 0, "officials": 0}
    # Russia's territory row is its own reported speech, so the text's author carries it (no author actor here);
    # its NATO row too. Ukraine's NATO row comes from the analyst.
    assert sentences.reporters_of(fixture, "Russia") == [
        "the author of the opinion blog of November 2023 (Outlet B)"]
    assert sentences.reporters_of(fixture, "Ukraine") == ["Analyst A"]


def test_alpha_coverage_counts_only_issues_with_enough_units(fixture) -> None:
    import pandas as pd
    table = pd.DataFrame([
        {"issue_id": "a", "label": "Issue A", "paired_levels": 12, "alpha": 0.9},
        {"issue_id": "b", "label": "Issue B", "paired_levels": 2, "alpha": 0.83},
        {"issue_id": "c", "label": "Issue C", "paired_levels": 11, "alpha": 0.7},
        {"issue_id": "d", "label": "Issue D", "paired_levels": 1, "alpha": float("nan")},
        {"issue_id": "all", "label": "All issues", "paired_levels": 26, "alpha": 0.8}])
    coverage = sentences.alpha_coverage(table, minimum=10)
    assert coverage == {"with_alpha": 3, "rated": 2, "below": 1, "small": ["issue B"]}
    assert sentences.coverage_sentence(coverage, 10) == (
        "Of the three issues with a defined alpha, two have at least ten paired units, and one of those falls "
        "below 0.80. The alphas of issue B rest on fewer units: the table shows them, and the book counts none "
        "of them as passing or failing.")
    assert sentences.coverage_sentence({"with_alpha": 2, "rated": 0, "below": 0, "small": ["x", "y"]}, 10).startswith(
        "Of the two issues with a defined alpha, none has at least ten paired units.")
    pairs = pd.DataFrame([{"actor_id": "us-a", "issue_id": "territory", "level_1": 2, "level_2": 3},
                          {"actor_id": "us-b", "issue_id": "territory", "level_1": 3, "level_2": 3},
                          {"actor_id": "ukraine", "issue_id": "territory", "level_1": 1, "level_2": None}])
    assert sentences.disagreeing_units(fixture, pairs, "territory") == ["US A"]


@pytest.mark.parametrize("name", ["positions_values", "bargaining_values", "voices_values", "codebook_values"])
def test_page_values_read_well_with_the_shipped_data(name: str) -> None:
    """Each page's values are Markdown-ready strings or whole numbers, with no "(s)" plurals or bare zeros."""
    import re
    values = getattr(sentences, name)(load_data())
    assert values
    for key, value in values.items():
        assert isinstance(value, (str, int)) and not isinstance(value, bool), key
        if isinstance(value, str):
            assert "(s)" not in value and not re.search(r"(^|\s)0 [a-z]", value), (key, value)


@pytest.mark.parametrize("label", sorted(sentences._SOLUTIONS))
def test_solution_values_read_well_with_the_shipped_data(label: str) -> None:
    """Each solution's glued phrases are non-empty text with no "(s)" plurals or bare zeros."""
    import re
    values = sentences.solution_values(load_data(), label)
    assert values and all(name.startswith(label.rsplit("-", 1)[1] + "_") for name in values)
    for key, value in values.items():
        assert isinstance(value, str) and value and "(s)" not in value, (key, value)
        assert not re.search(r"(^|\s)0 [a-z]", value), (key, value)
