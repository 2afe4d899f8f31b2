"""The coding method's logic: same-actor changes, stated and assumed limits,
evidence basis, dates at their precision, vague numbers, the review log.

Expected values are worked out by hand from ``tests/fixtures/analysis`` (see the
comments) or from small edits of it made here.
"""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pandas as pd
import pytest

from utils import DataError, analysis, book, load_data
from utils.data import load_review_log
from utils.dates import display_date, period_end

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="module")
def data():
    return load_data(FIXTURES / "analysis")


def with_stances(data, stances: dict[str, str]):
    """A copy of ``data`` with some positions' stances changed."""
    positions = data.positions.copy()
    for position_id, stance in stances.items():
        positions.loc[positions["position_id"] == position_id, "stance"] = stance
    return dataclasses.replace(data, positions=positions)


def test_changes_compare_each_actor_only_with_itself(data) -> None:
    # 2022 goal 1 → 2025 goal 3 (Ukraine); us-a 2022 goal 2 → 2025 goal 2; Russia 2022 goal 5 → 2025 red line 4.
    edited = with_stances(data, {"2025-02-b-p01": "goal", "2022-11-a-p03": "goal"})
    changes = analysis.actor_changes(edited, "2025-02-b").set_index(["actor_id", "issue_id"])
    assert changes.loc[("ukraine", "territory"), "change"] == "towards Russia's end"
    assert changes.loc[("us-a", "territory"), "change"] == "same level"
    assert changes.loc[("russia", "territory"), "change"] == "not comparable (stance differs)"
    assert (changes.loc[("ukraine", "territory"), "level_before"],
            changes.loc[("ukraine", "territory"), "level_now"]) == (1, 3)
    # eu and Russia on NATO were first coded in 2025: nothing to compare, so not listed
    assert ("eu", "territory") not in changes.index and ("russia", "nato") not in changes.index


def test_a_lower_level_is_towards_ukraines_end(data) -> None:
    edited = with_stances(data, {"2022-11-a-p02": "red-line"})  # Russia: red line 5, then red line 4
    changes = analysis.actor_changes(edited, "2025-02-b").set_index(["actor_id", "issue_id"])
    assert changes.loc[("russia", "territory"), "change"] == "towards Ukraine's end"


def test_the_first_source_has_no_changes(data) -> None:
    assert analysis.actor_changes(data, "2022-11-a").empty


def test_limits_are_stated_or_assumed_with_their_basis(data) -> None:
    ukraine = analysis.party_range(data, "Ukraine", "territory")
    # goal 1 (Ukraine's own words, 2022), red line 3 (reported, 2025)
    assert (ukraine.best, ukraine.limit, ukraine.limit_stated) == (1, 3, True)
    assert (ukraine.best_basis, ukraine.limit_basis) == ("own words", "reported")
    russia = analysis.party_range(data, "Russia", "nato")
    # goal 4, reported; no red line: the limit is the demand, assumed
    assert (russia.limit, russia.limit_stated, russia.limit_basis) == (4, False, "reported")


def test_own_words_only_drops_second_hand_evidence(data) -> None:
    ukraine = analysis.party_range(data, "Ukraine", "territory", bases=("own words",))
    assert (ukraine.best, ukraine.limit, ukraine.limit_stated) == (1, 1, False)  # the reported red line goes
    assert analysis.party_range(data, "Russia", "territory", bases=("own words",)).best is None
    table = analysis.bargaining_table(data, bases=("own words",)).set_index("issue_id")
    assert set(table["status"]) == {"unknown"}  # nothing of Russia's is in its own words
    everything = analysis.bargaining_table(data).set_index("issue_id")
    assert everything.loc["territory", "ukraine_limit_stated"] and not everything.loc["nato", "russia_limit_stated"]


def test_expectations_never_enter_a_range(data) -> None:
    edited = with_stances(data, {"2025-02-b-p05": "expectation"})  # us-a now has only expectations in 2025
    us = analysis.party_range(edited, "United States", "territory")
    assert us.best is None  # neither the 2025 nor the 2022 expectation counts


def test_bargaining_summary_marks_assumed_limits(data) -> None:
    html = book.bargaining_summary(data).data
    assert "assumed; reported" in html and "stated; reported" in html
    assert "own words only" in book.bargaining_summary(data, bases=("own words",)).data


def test_month_dates_cover_the_whole_month() -> None:
    day = pd.Timestamp("2023-11-01")
    assert period_end(day, "month") == pd.Timestamp("2023-11-30")
    assert period_end(day, "day") == day
    assert display_date(day, "month") == "November 2023"
    assert display_date(pd.Timestamp("2025-02-15"), "approx") == "around 15 February 2025"


def test_timeline_places_an_event_in_its_month_precision_source(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    shutil.copytree(FIXTURES / "valid", folder)
    with (folder / "events.csv").open("a", encoding="utf-8") as handle:
        handle.write("2023-11-02-release,2023-11-02,day,A poll is released,2023-11-beta,\n")
    data = load_data(folder)
    html = book.timeline(data, "2023-11-beta").data
    # The source is dated "November 2023": an event of 2 November belongs to it.
    assert "<td>2 November 2023</td><td>A poll is released</td>" in html  # date and title in one row
    assert "2023-11" not in html.replace("2023-11-beta", "")  # no stored placeholder day is shown
    # the month-precision October event is shown as the month and sorts before the November day
    assert html.index("<td>October 2023</td><td>A poll</td>") < html.index("<td>2 November 2023</td>")


def test_vague_numbers_read_as_lower_bounds() -> None:
    assert book.figure_text(2, "million deaths", "lower bound") == "at least 2 million deaths"
    assert book.figure_text(200000, "people", "lower bound") == "at least 200,000 people"
    assert book.figure_text(400, "USD million") == "$400 million"


def test_unaddressed_issues_are_computed(data) -> None:
    assert book.unaddressed_issues(data) == []
    fewer = dataclasses.replace(data, positions=data.positions[data.positions["issue_id"] != "timing"])
    assert book.unaddressed_issues(fewer) == ["timing"]
    assert "No position is coded on: Timing" in book.scales(fewer).data


def test_review_log_is_validated(tmp_path: Path) -> None:
    path = tmp_path / "review-2026-01-01.csv"
    path.write_text("where,finding,decision,reason\nx-p01,Wrong level,fixed,Recoded at 2.\n", encoding="utf-8")
    assert list(load_review_log(path)["decision"]) == ["fixed"]
    path.write_text("where,finding,decision,reason\nx-p01,Wrong level,ignored,Because.\n", encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load_review_log(path)
    assert (caught.value.file, caught.value.line, caught.value.column) == ("review-2026-01-01.csv", 2, "decision")
    path.write_text("where,finding,decision,reason\nx-p01,Wrong level,rejected,\n", encoding="utf-8")
    with pytest.raises(DataError, match="empty cell"):
        load_review_log(path)


def test_a_cited_date_names_its_reference(tmp_path: Path) -> None:
    folder = tmp_path / "book" / "data"
    shutil.copytree(FIXTURES / "valid", folder)
    (folder.parent / "references.bib").write_text(
        "@misc{wire2022g20,\n  author = {{A Wire}},\n  title = {G20 opens},\n  year = {2022},\n}\n",
        encoding="utf-8")
    text = (folder / "events.csv").read_text(encoding="utf-8")
    (folder / "events.csv").write_text(text.replace("Bali,2022-11-alpha,", "Bali,2022-11-alpha,wire2022g20"),
                                       encoding="utf-8")
    data = load_data(folder)
    assert data.reference_labels == {"wire2022g20": "A Wire, 2022"}
    html = book.timeline(data, "2022-11-alpha").data
    assert ('<td>G20 summit in Bali</td><td><a href="../chapters/2022-11-alpha.html">Outlet A, Nov 2022</a></td>'
                '<td>A Wire, 2022</td>') in html
