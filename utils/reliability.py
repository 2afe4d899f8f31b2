"""How far two independent codings of the sources agree (Krippendorff's alpha).

A *unit* is one actor's stand on one issue in one source: ``(source_id,
actor_id, issue_id)``. When a coder gives several rows for a unit (a goal and a
red line), the one the book's tables would show is kept: a goal before a red
line before an expectation. Agreement is computed between the two independent
codings in ``data/coding/`` and never against ``positions.csv``, which is the
adjudicated result.
"""

from __future__ import annotations

import krippendorff
import numpy as np
import pandas as pd

from .analysis import STANCE_ORDER
from .data import BookData, data_folder, load_coding

UNIT = ["source_id", "actor_id", "issue_id"]
#: Bootstrap resamples for the 95% interval, and the fixed seed that makes it reproducible.
BOOTSTRAP_SAMPLES = 1000
BOOTSTRAP_SEED = 20261125


def coding_units(coding: pd.DataFrame) -> pd.DataFrame:
    """One row per unit: the row with the stance the tables show first (goal, red line, expectation)."""
    ranked = coding.assign(stance_rank=coding["stance"].map(STANCE_ORDER))
    ranked = ranked.sort_values(UNIT + ["stance_rank"], kind="stable")
    return ranked.drop_duplicates(UNIT, keep="first").drop(columns="stance_rank").reset_index(drop=True)


def paired_units(first: pd.DataFrame, second: pd.DataFrame) -> pd.DataFrame:
    """Every unit either coder coded, side by side (``_1`` and ``_2`` columns), with ``coded_by``."""
    columns = UNIT + ["level", "stance", "basis"]
    merged = coding_units(first)[columns].merge(coding_units(second)[columns], on=UNIT, how="outer",
                                                suffixes=("_1", "_2"), indicator="coded_by")
    merged["coded_by"] = merged["coded_by"].map({"both": "both", "left_only": "first only",
                                                 "right_only": "second only"}).astype("string")
    return merged.sort_values(UNIT, ignore_index=True)


def alpha(first: list, second: list, level_of_measurement: str,
          value_domain: list | None = None) -> float:
    """Krippendorff's alpha for two coders' values of the same units (NaN when it is undefined).

    Alpha is 1 for perfect agreement, 0 for agreement no better than chance,
    and negative when coders disagree more than chance would make them.
    It is undefined when fewer than two units are paired or every value is the same.
    """
    pairs = [(a, b) for a, b in zip(first, second) if not (pd.isna(a) or pd.isna(b))]
    if len(pairs) < 2 or len({value for pair in pairs for value in pair}) < 2:
        return float("nan")
    if level_of_measurement == "nominal":
        codes = {value: n for n, value in enumerate(sorted({v for pair in pairs for v in pair}, key=str))}
        pairs = [(codes[a], codes[b]) for a, b in pairs]
        value_domain = None
    data = np.array(pairs, dtype=float).T
    return float(krippendorff.alpha(reliability_data=data, level_of_measurement=level_of_measurement,
                                    value_domain=value_domain))


def bootstrap_interval(first: list, second: list, value_domain: list | None,
                       samples: int = BOOTSTRAP_SAMPLES, seed: int = BOOTSTRAP_SEED) -> tuple[float, float]:
    """A 95% percentile interval for ordinal alpha, resampling units with replacement."""
    pairs = [(a, b) for a, b in zip(first, second) if not (pd.isna(a) or pd.isna(b))]
    if len(pairs) < 2:
        return float("nan"), float("nan")
    rng = np.random.default_rng(seed)
    values = []
    for _ in range(samples):
        chosen = [pairs[i] for i in rng.integers(0, len(pairs), len(pairs))]
        value = alpha([a for a, _ in chosen], [b for _, b in chosen], "ordinal", value_domain)
        if not np.isnan(value):
            values.append(value)
    if not values:
        return float("nan"), float("nan")
    low, high = np.percentile(values, [2.5, 97.5])
    return float(low), float(high)


def _relative_positions(levels: pd.Series, issue_ids: pd.Series, tops: pd.Series) -> list[float]:
    """Each level as its position between the two ends of its own scale (0 … 1)."""
    return [np.nan if pd.isna(level) else (float(level) - 1) / (int(tops[issue]) - 1)
            for level, issue in zip(levels, issue_ids)]


def agreement_table(data: BookData, first: pd.DataFrame, second: pd.DataFrame,
                    with_interval: bool = True) -> pd.DataFrame:
    """Per issue (in book order) and overall: how far the two codings agree.

    Columns: ``issue_id``, ``label``, ``units`` (coded by either), ``both``
    (coded by both), ``both_share``, ``paired_levels`` (both coded with a
    level), ``alpha`` (ordinal, on levels) with ``ci_low``/``ci_high`` (bootstrap
    95%), ``exact_share`` (same level, of the units both coded with a level),
    ``same_level_or_empty`` (of the units both coded, the share where both give
    the same level or both leave it empty: a level against an empty level is a
    disagreement that alpha, computed on levels only, does not see),
    ``stance_alpha`` and ``basis_alpha`` (nominal, on units both coded). The overall row pools every unit, placing
    each level between the two ends of its own scale, so scales of different
    lengths are never read as the same numbers.
    """
    pairs = paired_units(first, second)
    tops = data.issue_levels.groupby("issue_id")["level"].max()
    labels = data.issues.set_index("issue_id")["label"]
    rows = []
    for issue_id in list(data.issues["issue_id"]) + ["all"]:
        frame = pairs if issue_id == "all" else pairs[pairs["issue_id"] == issue_id]
        if frame.empty:
            continue
        both = frame[frame["coded_by"] == "both"]
        levelled = both.dropna(subset=["level_1", "level_2"])
        if issue_id == "all":
            first_levels = _relative_positions(levelled["level_1"], levelled["issue_id"], tops)
            second_levels = _relative_positions(levelled["level_2"], levelled["issue_id"], tops)
            domain = sorted({v for v in first_levels + second_levels})
        else:
            first_levels, second_levels = list(levelled["level_1"]), list(levelled["level_2"])
            domain = list(range(1, int(tops[issue_id]) + 1))
        level_alpha = alpha(first_levels, second_levels, "ordinal", domain)
        low, high = (bootstrap_interval(first_levels, second_levels, domain)
                     if with_interval else (float("nan"), float("nan")))
        rows.append({
            "issue_id": issue_id, "label": "All issues" if issue_id == "all" else labels[issue_id],
            "units": len(frame), "both": len(both),
            "both_share": len(both) / len(frame),
            "paired_levels": len(levelled), "alpha": level_alpha, "ci_low": low, "ci_high": high,
            "exact_share": float((levelled["level_1"] == levelled["level_2"]).mean()) if len(levelled) else float("nan"),
            "same_level_or_empty": float((both["level_1"].fillna(0) == both["level_2"].fillna(0)).mean())
            if len(both) else float("nan"),
            "stance_alpha": alpha(list(both["stance_1"]), list(both["stance_2"]), "nominal"),
            "basis_alpha": alpha(list(both["basis_1"]), list(both["basis_2"]), "nominal"),
        })
    return pd.DataFrame(rows)


#: The pairs of independent codings in ``data/coding/``: round 1 is the book's own
#: coding against a blind second coder; round 2 is two blind coders working from
#: the revised rules, with a codebook that names none of the book's levels.
ROUNDS = {1: ("first-coder.csv", "second-coder.csv"), 2: ("round2-coder-a.csv", "round2-coder-b.csv")}


def load_codings(data: BookData, data_dir: str | None = None,
                 round_number: int = 1) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One round's two independent codings in ``data/coding/``, validated against ``data``."""
    folder = data_folder(data_dir) / "coding"
    first, second = ROUNDS[round_number]
    return load_coding(folder / first, data), load_coding(folder / second, data)


def disagreements(data: BookData, first: pd.DataFrame, second: pd.DataFrame) -> pd.DataFrame:
    """Units the two codings code differently: only one codes it, or levels, stances or bases differ."""
    pairs = paired_units(first, second)
    differ = ((pairs["coded_by"] != "both")
              | (pairs["level_1"].fillna(0) != pairs["level_2"].fillna(0))
              | (pairs["stance_1"] != pairs["stance_2"]) | (pairs["basis_1"] != pairs["basis_2"]))
    return pairs[differ.fillna(True)].reset_index(drop=True)
