"""Agreement between two codings: units, Krippendorff's alpha (checked by hand), and the coder files."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from utils import DataError, load_data, reliability
from utils.data import load_coding

FIXTURES = Path(__file__).parent / "fixtures"
HEADER = "source_id,actor_id,issue_id,level,stance,basis,quote_id,note\n"


@pytest.fixture(scope="module")
def data():
    return load_data(FIXTURES / "analysis")


def ordinal_alpha_by_hand(pairs: list[tuple[int, int]]) -> float:
    """Krippendorff's ordinal alpha for two coders, from the coincidence matrix (no library)."""
    values = sorted({v for pair in pairs for v in pair})
    coincidence = {(c, k): 0.0 for c in values for k in values}
    for a, b in pairs:  # each unit with two values adds 1/(2-1) to (a, b) and to (b, a)
        coincidence[(a, b)] += 1
        coincidence[(b, a)] += 1
    totals = {c: sum(coincidence[(c, k)] for k in values) for c in values}
    n = sum(totals.values())

    def distance(c: int, k: int) -> float:  # ordinal metric: squared rank distance
        low, high = min(c, k), max(c, k)
        return (sum(totals[g] for g in values if low <= g <= high) - (totals[c] + totals[k]) / 2) ** 2

    observed = sum(coincidence[(c, k)] * distance(c, k) for c in values for k in values)
    expected = sum(totals[c] * totals[k] * distance(c, k) for c in values for k in values) / (n - 1)
    return 1 - observed / expected


def test_ordinal_alpha_matches_a_computation_by_hand() -> None:
    pairs = [(1, 1), (2, 2), (2, 3), (3, 3), (1, 2), (3, 3)]
    by_hand = ordinal_alpha_by_hand(pairs)
    library = reliability.alpha([a for a, _ in pairs], [b for _, b in pairs], "ordinal", [1, 2, 3])
    assert library == pytest.approx(by_hand, abs=1e-9)
    assert 0 < by_hand < 1


def test_alpha_extremes() -> None:
    assert reliability.alpha([1, 2, 3], [1, 2, 3], "ordinal", [1, 2, 3]) == pytest.approx(1.0)
    assert reliability.alpha([1, 3, 1, 3], [3, 1, 3, 1], "ordinal", [1, 2, 3]) < 0  # systematic disagreement
    assert pd.isna(reliability.alpha([2, 2], [2, 2], "ordinal", [1, 2, 3]))  # no variation: undefined
    assert pd.isna(reliability.alpha([1], [2], "ordinal", [1, 2, 3]))        # one unit: undefined


def test_near_misses_cost_less_than_far_misses_on_an_ordinal_scale() -> None:
    agree = [(1, 1), (2, 2), (3, 3), (4, 4), (1, 1), (4, 4)]
    near = agree + [(2, 3)]
    far = agree + [(1, 4)]
    alpha_of = lambda pairs: reliability.alpha([a for a, _ in pairs], [b for _, b in pairs], "ordinal", [1, 2, 3, 4])
    assert alpha_of(near) > alpha_of(far)


def coding(rows: list[str]) -> pd.DataFrame:
    frame = pd.DataFrame([r.split(",") for r in rows],
                         columns=["source_id", "actor_id", "issue_id", "level", "stance", "basis", "quote_id"])
    frame["level"] = pd.to_numeric(frame["level"].replace("", pd.NA)).astype("Int64")
    return frame


def test_units_pair_the_row_the_tables_show(data) -> None:
    first = coding(["2022-11-a,us-a,territory,2,expectation,own words,2022-11-a-q03",
                    "2022-11-a,us-a,territory,3,goal,own words,2022-11-a-q03",
                    "2022-11-a,ukraine,territory,1,goal,own words,2022-11-a-q01"])
    second = coding(["2022-11-a,us-a,territory,3,goal,own words,2022-11-a-q03",
                     "2022-11-a,us-b,timing,2,goal,own words,2022-11-a-q04"])
    pairs = reliability.paired_units(first, second).set_index(["actor_id", "issue_id"])
    assert pairs.loc[("us-a", "territory"), "level_1"] == 3  # the goal, not the expectation
    assert list(pairs["coded_by"]) == ["first only", "both", "second only"]
    table = reliability.agreement_table(data, first, second, with_interval=False).set_index("issue_id")
    assert (table.loc["territory", "units"], table.loc["territory", "both"]) == (2, 1)
    assert table.loc["territory", "both_share"] == pytest.approx(0.5)
    assert table.loc["all", "units"] == 3


def test_bootstrap_interval_is_reproducible_and_brackets_alpha() -> None:
    first, second = [1, 2, 3, 1, 2, 3, 2, 1], [1, 2, 3, 2, 2, 3, 1, 1]
    low, high = reliability.bootstrap_interval(first, second, [1, 2, 3], samples=200)
    assert (low, high) == reliability.bootstrap_interval(first, second, [1, 2, 3], samples=200)
    assert low <= reliability.alpha(first, second, "ordinal", [1, 2, 3]) <= high


@pytest.fixture
def coding_file(tmp_path: Path) -> Path:
    path = tmp_path / "second-coder.csv"
    path.write_text(HEADER + "2022-11-a,ukraine,territory,1,goal,own words,2022-11-a-q01,Rule 5.\n",
                    encoding="utf-8")
    return path


@pytest.mark.parametrize(("row", "column", "problem"), [
    ("2022-11-a,nobody,territory,1,goal,reported,2022-11-a-q01,x", "actor_id", "not in actors.csv"),
    ("2022-11-a,ukraine,territory,9,goal,reported,2022-11-a-q01,x", "level", "off the scale"),
    ("2022-11-a,ukraine,territory,1,goal,reported,2025-02-b-q01,x", "quote_id", "comes from"),
    ("2022-11-a,russia,territory,5,goal,own words,2022-11-a-q02,x", "basis", "own named direct quote"),
    ("2022-11-a,ukraine,territory,1,wish,reported,2022-11-a-q01,x", "stance", "is not one of"),
])
def test_malformed_coding_names_file_line_and_column(data, coding_file, row, column, problem) -> None:
    with coding_file.open("a", encoding="utf-8") as handle:
        handle.write(row + "\n")
    with pytest.raises(DataError, match=problem) as caught:
        load_coding(coding_file, data)
    assert (caught.value.file, caught.value.line, caught.value.column) == ("second-coder.csv", 3, column)


def test_a_valid_coding_loads(data, coding_file) -> None:
    frame = load_coding(coding_file, data)
    assert list(frame["level"]) == [1] and frame["note"].iloc[0] == "Rule 5."
