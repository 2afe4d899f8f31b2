"""Analysis functions against hand-worked expectations on ``tests/fixtures/analysis``.

The fixture (two sources, six actors, three issues) is small enough to work
every expected value out by hand; the comments say how.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from utils import analysis, load_data

FIXTURE = Path(__file__).parent / "fixtures" / "analysis"


@pytest.fixture(scope="module")
def data():
    return load_data(FIXTURE)


def levels(frame: pd.DataFrame) -> dict[tuple[str, str], int]:
    return {(a, i): int(lvl) for a, i, lvl in zip(frame["actor_id"], frame["issue_id"], frame["level"])}


def test_matrix_as_of_2023_keeps_only_2022_positions(data) -> None:
    assert levels(analysis.position_matrix(data, as_of="2023-01-01")) == {
        ("russia", "territory"): 5, ("ukraine", "nato"): 1, ("ukraine", "territory"): 1,
        ("us-a", "territory"): 2, ("us-a", "timing"): 3, ("us-b", "timing"): 2}


def test_matrix_latest_wins_and_goal_beats_expectation_on_same_day(data) -> None:
    latest = levels(analysis.position_matrix(data))
    assert latest[("ukraine", "territory")] == 3   # 2025 red line replaces the 2022 goal
    assert latest[("us-a", "territory")] == 2      # 2025: goal 2 beats expectation 3, same day
    assert ("us-b", "nato") not in latest           # no level coded: left out


def test_matrix_of_one_source(data) -> None:
    within = analysis.position_matrix(data, source_id="2025-02-b")
    assert set(within["source_id"]) == {"2025-02-b"}
    assert len(within) == 6  # eight positions, one without level, us-a's two on one issue


def test_matrix_table_orders_by_bloc_and_issue_file_order(data) -> None:
    table = analysis.matrix_table(analysis.position_matrix(data), data)
    assert list(table.columns) == ["territory", "nato", "timing"]
    assert list(table.index) == ["eu", "russia", "ukraine", "us-a", "us-b"]
    assert table.loc["eu", "nato"] == 2 and pd.isna(table.loc["eu", "timing"])


def test_compare_actors_gap_and_agreement(data) -> None:
    frame = analysis.compare_actors(data, "us-a", "us-b", as_of="2023-01-01").set_index("issue_id")
    assert frame.loc["timing", "gap"] == -1 and bool(frame.loc["timing", "agree"]) is False
    assert pd.isna(frame.loc["territory", "agree"])  # only us-a coded
    assert list(frame.index) == ["territory", "nato", "timing"]  # every issue present


def test_compare_actors_agreement(data) -> None:
    frame = analysis.compare_actors(data, "eu", "us-a").set_index("issue_id")
    assert bool(frame.loc["territory", "agree"]) is True  # both at 2 in 2025


def test_actor_trajectory(data) -> None:
    table = analysis.actor_trajectory(data, ["ukraine", "us-a", "russia"], "territory")
    assert table.to_dict("index") == {
        "2022-11-a": {"ukraine": 1, "us-a": 2, "russia": 5},
        "2025-02-b": {"ukraine": 3, "us-a": 2, "russia": 4}}


def test_position_timeline_is_chronological(data) -> None:
    frame = analysis.position_timeline(data, "territory")
    assert list(frame["source_id"]) == ["2022-11-a"] * 3 + ["2025-02-b"] * 5
    assert frame["level"].notna().all()


def test_party_range_uses_goal_then_red_line(data) -> None:
    ukraine = analysis.party_range(data, "Ukraine", "territory")
    assert (ukraine.best, ukraine.limit, ukraine.has_red_line) == (1, 3, True)
    russia = analysis.party_range(data, "Russia", "territory")
    assert (russia.best, russia.limit, russia.low, russia.high) == (5, 4, 4, 5)


def test_party_range_without_red_line_is_the_demand(data) -> None:
    russia = analysis.party_range(data, "Russia", "nato")
    assert (russia.best, russia.limit, russia.has_red_line) == (4, 4, False)


def test_party_range_of_a_third_party_spans_its_latest_levels(data) -> None:
    us = analysis.party_range(data, "United States", "territory")
    assert (us.low, us.high) == (2, 2)  # 2025: goal 2; the expectation 3 is not a demand or a limit
    assert us.best_basis == "own words"


def test_party_range_as_of_and_missing(data) -> None:
    early = analysis.party_range(data, "Ukraine", "territory", as_of="2023-01-01")
    assert (early.best, early.limit) == (1, 1)
    assert analysis.party_range(data, "Ukraine", "timing").best is None


def test_zone_gap_overlap_unknown(data) -> None:
    table = analysis.bargaining_table(data).set_index("issue_id")
    assert (table.loc["territory", "status"], table.loc["territory", "gap"]) == ("gap", 1)  # 4 - 3
    assert (table.loc["nato", "status"], table.loc["nato", "gap"]) == ("gap", 3)  # 4 - 1
    assert "timing" not in table.index  # a process issue: not a term the sides trade
    timing = analysis.bargaining_table(data, issue_ids=["timing"])
    assert list(timing["status"]) == ["unknown"]  # and nobody on either side is coded on it
    assert analysis.overall_zone(table.reset_index()) == "gap"


def test_moving_a_red_line_opens_a_zone(data) -> None:
    table = analysis.bargaining_table(data, limits={("Ukraine", "territory"): 4}).set_index("issue_id")
    assert table.loc["territory", "status"] == "overlap"
    assert (table.loc["territory", "zone_low"], table.loc["territory", "zone_high"]) == (4, 4)
    both = analysis.bargaining_table(data, limits={("Ukraine", "territory"): 5, ("Ukraine", "nato"): 2,
                                                    ("Russia", "nato"): 2})
    assert analysis.overall_zone(both) == "overlap"


def test_overall_zone_unknown_when_nothing_is_coded() -> None:
    frame = pd.DataFrame({"status": ["unknown", "unknown"]})
    assert analysis.overall_zone(frame) == "unknown"


def test_voices(data) -> None:
    frame = analysis.voices(data)
    assert dict(zip(frame["speaker_id"], frame["quotes"])) == {
        "russia": 2, "us-a": 2, "ukraine": 2, "us-b": 2, "analyst": 1, "eu": 1}
    assert analysis.voices(data, "2025-02-b")["quotes"].sum() == 5


def test_voices_by_bloc_and_sourcing(data) -> None:
    table = analysis.voices_by_bloc(data)
    assert table.loc["2022-11-a", "United States"] == 2
    assert table.loc["2025-02-b", "independent"] == 0
    sourcing = analysis.sourcing_by_source(data)
    assert sourcing.loc["2025-02-b", "anonymous official"] == 1
    assert sourcing.loc["2022-11-a", "author's own"] == 1


def test_source_figures(data) -> None:
    assert analysis.source_figures(data, "2022-11-a")["value"].tolist() == [400.0]
    assert analysis.source_figures(data, "2025-02-b").empty


@pytest.mark.parametrize("first, second, expected", [
    ([1, 2, 3, 1], [1, 2, 2, 1], 0.6),   # observed 0.75, chance 0.375
    ([1, 1, 2, 2], [1, 1, 2, 2], 1.0),
    ([1, 2, 1, 2], [2, 1, 2, 1], -1.0),  # observed 0, chance 0.5
    ([3, 3], [3, 3], 1.0),               # one label throughout
])
def test_cohens_kappa(first, second, expected) -> None:
    assert analysis.cohens_kappa(first, second) == pytest.approx(expected)


def test_cohens_kappa_rejects_mismatched_lists() -> None:
    with pytest.raises(ValueError):
        analysis.cohens_kappa([1, 2], [1])
    with pytest.raises(ValueError):
        analysis.cohens_kappa([], [])


@pytest.mark.parametrize("value, unit, text", [
    (400.0, "USD million", "$400 million"), (43.9, "USD billion", "$43.9 billion"),
    (41.0, "percent", "41%"), (2.0, "percent of GDP", "2%"), (10.0, "count", "10"),
    (250000.0, "people", "250,000 people"), (1.0, "months", "1 month"), (4.0, "hours", "4 hours"),
    (2000000.0, "people", "2 million people"), (1234567.0, "count", "1,234,567"), (2.5, "percent", "2.5%"),
    (1500000.0, "people", "1.5 million people"), (12345.5, "count", "12,345.5"), (2015.0, "year", "2015"),
])
def test_figure_text(value, unit, text) -> None:
    from utils.book import figure_text

    assert figure_text(value, unit) == text
