"""The sentences the comparison chapters glue, on a small fixture worked out by hand.

The fixture is ``tests/fixtures/valid`` (two sources, Ukraine and Russia on two
issues) with two American voices and three excerpts added, so that every
function has something to find and something to leave out. The expected
values below were worked out from the rows added in :func:`fixture`, not by
running the functions.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from utils import load_data, sentences
from utils.schema import TABLES

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


def _append(path: Path, rows: list[dict[str, str]]) -> None:
    with path.open(encoding="utf-8", newline="") as handle:
        header = next(csv.reader(handle))
    with path.open("a", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=header, restval="")
        for row in rows:
            writer.writerow(row)


def _pad_headers(folder: Path) -> None:
    """Add any column the schema declares that the fixture's header lacks (left empty), so the
    fixture keeps loading when an optional column is added to a table."""
    for table in TABLES:
        path = folder / table.file_name
        if not path.exists():
            continue
        with path.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
            header = list(rows[0].keys()) if rows else next(csv.reader(path.open(encoding="utf-8")))
        missing = [name for name in table.column_names if name not in header]
        if not missing:
            continue
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=header + missing, restval="")
            writer.writeheader()
            writer.writerows(rows)


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("sentences") / "data"
    shutil.copytree(FIXTURES / "valid", target)
    _pad_headers(target)
    for name, rows in ADDED.items():
        _append(target / name, rows)
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
