"""Invariants students rely on, checked on generated inputs (hypothesis).

Each property is stated on the inputs as the codebook and the docstrings define
them, not by running the function under test:

(a) a zone of agreement is never reported where the two sides' limits do not
    overlap (Ukraine accepts 1 … its limit, Russia its limit … top; the limit is
    the red line furthest from the side's own end in the latest source that
    codes one, else its demand);
(b) moving a red line towards the other side (widening a side's range), in the
    data or with the what-if tool, never removes a zone that existed, nor
    shrinks it, nor widens a gap;
(c) the direction "what changed" reports is antisymmetric (swapping before and
    after flips it; equal levels have no direction) and points the way the
    scale runs (higher = towards Russia's end);
(d) the freshness fingerprint changes when any input it claims to cover
    changes (a code cell, its outputs, a data CSV byte, the bibliography, a
    utils file, the lock) and never when only Markdown changes;
(e) ``number_text`` / ``figure_text`` never write scientific notation, and
    write the unit's singular after exactly "1", its plural otherwise;
(f) the quoting rules the loader follows to name the cell of a CSV error are
    the strict CSV reader's own: on any text, the reader fails on a quote that
    is never closed exactly when the loader ends inside quotes, on text after
    a closing quote exactly when the loader stops there, and otherwise the
    loader's last cell is the reader's last cell.

Runs are bounded and deterministic: few examples, no deadline, derandomized,
no example database written to the working tree.
"""

from __future__ import annotations

import copy
import csv
import dataclasses
import functools
import io
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from utils import analysis, book, freshness, load_data
from utils.data import _RawTable, _reading_stop, _to_frame
from utils.schema import TABLES_BY_NAME

FIXTURES = Path(__file__).parent / "fixtures"
ANALYSIS = FIXTURES / "analysis"
UTILS = Path(__file__).resolve().parents[1] / "utils"


def bounded(examples: int):
    """Hypothesis settings for CI: ``examples`` at most, the same ones every run, nothing stored."""
    return settings(max_examples=examples, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


# =============================================================================================
# Generated negotiating positions on one issue (territory), in the two sources of the
# analysis fixture. Each row: (actor, source index, stance, level, basis).
# =============================================================================================

SOURCES = (("2022-11-a", "2022-11-01"), ("2025-02-b", "2025-02-01"))
#: A quote of each source the generated rows may cite (named, so no rule on unnamed officials applies).
QUOTE = {"ukraine": ("2022-11-a-q01", "2025-02-b-q01"), "russia": ("2022-11-a-q02", "2025-02-b-q02"),
         "us-a": ("2022-11-a-q03", "2025-02-b-q03"), "eu": ("2022-11-a-q03", "2025-02-b-q04")}
BLOC = {"ukraine": "Ukraine", "russia": "Russia", "us-a": "United States", "eu": "Europe"}
STANCES = ("goal", "red-line", "expectation")
ISSUE = "territory"


@dataclass(frozen=True)
class Row:
    actor: str
    source: int
    stance: str
    level: int
    basis: str = "reported"


@dataclass(frozen=True)
class Scenario:
    top: int
    rows: tuple[Row, ...]


def write_scenario(folder: Path, scenario: Scenario) -> None:
    """The analysis fixture with ``scenario``'s scale for territory and its rows as the only positions."""
    shutil.copytree(ANALYSIS, folder, dirs_exist_ok=True)
    levels = [r for r in csv.DictReader((ANALYSIS / "issue_levels.csv").open(encoding="utf-8"))
              if r["issue_id"] != ISSUE]
    levels += [{"issue_id": ISSUE, "level": str(n), "label": f"Level {n}", "description": f"Outcome {n}."}
               for n in range(1, scenario.top + 1)]
    with (folder / "issue_levels.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=["issue_id", "level", "label", "description"])
        writer.writeheader()
        writer.writerows(levels)
    header = ["position_id", "actor_id", "issue_id", "level", "stance", "basis", "quote_id", "stated_on",
              "stated_precision", "reference", "note", "rules_out"]
    with (folder / "positions.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=header)
        writer.writeheader()
        writer.writerows(position_cells(scenario))


def position_cells(scenario: Scenario) -> list[dict[str, str]]:
    """``scenario``'s rows as the cells of positions.csv. A red line of a third party inside the
    scale must say which side it rules out; any side will do (only the two sides' rows count)."""
    cells = []
    for n, row in enumerate(scenario.rows, 1):
        source, published = SOURCES[row.source]
        third_party_bound = row.actor not in ("ukraine", "russia") and row.stance == "red-line" \
            and 1 < row.level < scenario.top
        cells.append({"position_id": f"{source}-p{n:02d}", "actor_id": row.actor, "issue_id": ISSUE,
                      "level": str(row.level), "stance": row.stance, "basis": row.basis,
                      "quote_id": QUOTE[row.actor][row.source], "stated_on": published,
                      "stated_precision": "day", "reference": "", "note": "Generated.",
                      "rules_out": "above" if third_party_bound else ""})
    return cells


def load(scenario: Scenario):
    """``scenario`` as the loader reads it from disk (validated: the rows are valid data)."""
    with tempfile.TemporaryDirectory() as folder:
        write_scenario(Path(folder) / "data", scenario)
        return load_data(Path(folder) / "data")


@functools.lru_cache(maxsize=1)
def base_data():
    return load_data(ANALYSIS)


@functools.lru_cache(maxsize=512)
def build(scenario: Scenario):
    """``scenario`` typed in memory as :func:`load` gives it, without the disk round trip
    (``test_generated_scenarios_are_valid_data`` shows the rows pass the loader)."""
    base = base_data()
    levels = base.issue_levels[base.issue_levels["issue_id"] != ISSUE]
    scale = pd.DataFrame({"issue_id": ISSUE, "level": range(1, scenario.top + 1),
                          "label": [f"Level {n}" for n in range(1, scenario.top + 1)],
                          "description": [f"Outcome {n}." for n in range(1, scenario.top + 1)]})
    scale = scale.astype({"issue_id": "string", "level": "Int64", "label": "string", "description": "string"})
    rows = position_cells(scenario)
    positions = _to_frame(_RawTable(TABLES_BY_NAME["positions"], rows, list(range(2, len(rows) + 2))))
    return dataclasses.replace(base, issue_levels=pd.concat([levels, scale], ignore_index=True),
                               positions=positions)


@st.composite
def scenarios(draw, max_rows: int = 7) -> Scenario:
    """Mostly Ukraine's and Russia's rows (often several red lines in one source, where the rule
    for the limit matters), with a few rows of other blocs, which must never count."""
    top = draw(st.integers(2, 6))

    def rows(actors: tuple[str, ...], most: int):
        row = st.builds(Row, st.sampled_from(actors), st.integers(0, 1),
                        st.sampled_from(("goal", "red-line", "red-line", "expectation")),
                        st.integers(1, top), st.sampled_from(("reported", "inferred")))
        return draw(st.lists(row, max_size=most))

    return Scenario(top, tuple(rows(("ukraine", "russia"), max_rows) + rows(("us-a", "eu"), 2)))


def expected_limit(scenario: Scenario, bloc: str) -> int | None:
    """A side's limit as the codebook defines it, worked out from the generated rows alone.

    The red line furthest from the side's own end (Ukraine's is level 1, Russia's the top)
    in the latest source that codes a red line; with none, the demand: the goal nearest its
    own end in the latest source that codes a goal. Expectations never count.
    """
    own = [r for r in scenario.rows if BLOC[r.actor] == bloc and r.stance != "expectation"]
    for stance in ("red-line", "goal"):
        rows = [r for r in own if r.stance == stance]
        if rows:
            latest = [r.level for r in rows if r.source == max(r.source for r in rows)]
            furthest_from_own_end = max if bloc == "Ukraine" else min
            nearest_own_end = min if bloc == "Ukraine" else max
            return (furthest_from_own_end if stance == "red-line" else nearest_own_end)(latest)
    return None


def territory_row(data, limits=None) -> pd.Series:
    return analysis.bargaining_table(data, limits=limits, issue_ids=[ISSUE]).iloc[0]


def check_zone_row(row: pd.Series, top: int) -> None:
    """A bargaining-table row reports a zone exactly where its own limits overlap, and only inside them."""
    ukraine, russia = row["ukraine_limit"], row["russia_limit"]
    if pd.isna(ukraine) or pd.isna(russia):
        assert row["status"] == "unknown"
        assert pd.isna(row["zone_low"]) and pd.isna(row["zone_high"]) and pd.isna(row["gap"])
        return
    if ukraine >= russia:  # 1…ukraine and russia…top meet
        assert row["status"] == "overlap"
        assert (row["zone_low"], row["zone_high"]) == (russia, ukraine)
        assert 1 <= row["zone_low"] <= row["zone_high"] <= top
        assert pd.isna(row["gap"])
    else:
        assert row["status"] == "gap", f"a zone is reported where {ukraine} < {russia}"
        assert row["gap"] == russia - ukraine > 0
        assert pd.isna(row["zone_low"]) and pd.isna(row["zone_high"])


@bounded(8)
@given(scenarios())
def test_generated_scenarios_are_valid_data(scenario) -> None:
    """The generated rows pass the loader's checks, and :func:`build` types them as the loader does."""
    loaded, built = load(scenario), build(scenario)
    pd.testing.assert_frame_equal(loaded.positions, built.positions)
    pd.testing.assert_frame_equal(territory_row(loaded).to_frame(), territory_row(built).to_frame())


# --- (a) no zone where the limits do not overlap ------------------------------------------------


@bounded(200)
@given(ukraine=st.none() | st.integers(1, 7), russia=st.none() | st.integers(1, 7), best=st.integers(1, 7))
def test_zone_of_agreement_only_where_the_acceptable_levels_meet(ukraine, russia, best) -> None:
    """On its inputs: the zone's levels are exactly those both sides accept (1…U's limit and R's limit…top)."""
    zone = analysis.zone_of_agreement(
        analysis.PartyRange("Ukraine", ISSUE, None if ukraine is None else best, ukraine, True),
        analysis.PartyRange("Russia", ISSUE, None if russia is None else best, russia, True))
    if ukraine is None or russia is None:
        assert zone.status == "unknown"
        return
    both_accept = [level for level in range(1, 8) if level <= ukraine and level >= russia]
    if both_accept:
        assert zone.status == "overlap"
        assert list(range(zone.low, zone.high + 1)) == both_accept
    else:
        assert zone.status == "gap", f"zone reported for limits {ukraine} (Ukraine) and {russia} (Russia)"
        assert zone.gap == russia - ukraine > 0


@bounded(25)
@given(scenarios())
def test_the_table_reports_a_zone_only_where_the_coded_limits_overlap(scenario) -> None:
    data = build(scenario)
    row = territory_row(data)
    ukraine, russia = expected_limit(scenario, "Ukraine"), expected_limit(scenario, "Russia")
    # The limits come from the rows as the codebook defines them …
    assert (None if pd.isna(row["ukraine_limit"]) else int(row["ukraine_limit"])) == ukraine
    assert (None if pd.isna(row["russia_limit"]) else int(row["russia_limit"])) == russia
    # … and the zone is there exactly when they overlap.
    check_zone_row(row, scenario.top)
    expected = "unknown" if ukraine is None or russia is None else "overlap" if ukraine >= russia else "gap"
    assert row["status"] == expected
    # Every page that states a verdict takes it from the same limits: no "overlap" where they do not meet.
    summary = book.bargaining_summary(data).data
    assert ("<td>overlap</td>" in summary) == (expected == "overlap")
    from utils import widgets  # the range view's verdict (widgets.py is edited elsewhere; read only)

    if expected != "overlap":
        view = widgets.range_view(data, ISSUE)
        assert "Zone between" not in view and 'class="zone"' not in view


@bounded(25)
@given(scenarios(), st.integers(1, 6), st.integers(1, 6), st.booleans(), st.booleans())
def test_what_if_limits_never_report_a_zone_the_limits_do_not_leave(scenario, u, r, move_u, move_r) -> None:
    data = build(scenario)
    limits = {key: value for key, value, move in ((("Ukraine", ISSUE), min(u, scenario.top), move_u),
                                                  (("Russia", ISSUE), min(r, scenario.top), move_r)) if move}
    check_zone_row(territory_row(data, limits), scenario.top)


# --- (b) moving a red line towards the other side never removes a zone --------------------------


def assert_not_narrower(before: pd.Series, after: pd.Series) -> None:
    if before["status"] == "overlap":
        assert after["status"] == "overlap", "moving a red line towards the other side removed the zone"
        assert after["zone_low"] <= before["zone_low"] and after["zone_high"] >= before["zone_high"]
    elif before["status"] == "gap":
        assert after["status"] == "overlap" or after["gap"] <= before["gap"]


@bounded(25)
@given(scenarios(max_rows=6), st.sampled_from(("ukraine", "russia")), st.integers(0, 1), st.integers(1, 6),
       st.data())
def test_moving_a_coded_red_line_towards_the_other_side_keeps_the_zone(scenario, actor, source, level,
                                                                        choose) -> None:
    scenario = Scenario(scenario.top, (*scenario.rows, Row(actor, source, "red-line", min(level, scenario.top))))
    red_lines = [n for n, row in enumerate(scenario.rows)
                 if row.stance == "red-line" and row.actor in ("ukraine", "russia")]
    moved = choose.draw(st.sampled_from(red_lines))
    row = scenario.rows[moved]
    steps = choose.draw(st.integers(1, scenario.top - 1))
    # Towards the other side: up the scale for Ukraine, down for Russia.
    level = min(scenario.top, row.level + steps) if row.actor == "ukraine" else max(1, row.level - steps)
    rows = list(scenario.rows)
    rows[moved] = Row(row.actor, row.source, row.stance, level, row.basis)
    before = territory_row(build(scenario))
    after = territory_row(build(Scenario(scenario.top, tuple(rows))))
    assert_not_narrower(before, after)
    side = "ukraine_limit" if row.actor == "ukraine" else "russia_limit"
    # The side's limit itself only ever moves the same way.
    assert (after[side] >= before[side]) if row.actor == "ukraine" else (after[side] <= before[side])


@bounded(20)
@given(scenarios(max_rows=5), st.sampled_from(("Ukraine", "Russia")), st.integers(1, 6), st.integers(1, 6),
       st.integers(0, 5), st.integers(1, 5))
def test_moving_a_red_line_with_the_what_if_tool_keeps_the_zone(scenario, party, goal, red_line, start,
                                                                steps) -> None:
    # The party has a demand and a red line, so the tool has a limit to move.
    added = (Row(party.lower(), 1, "goal", min(goal, scenario.top)),
             Row(party.lower(), 1, "red-line", min(red_line, scenario.top)))
    scenario = Scenario(scenario.top, (*scenario.rows, *added))
    data = build(scenario)
    coded = territory_row(data)
    column = f"{party.lower()}_limit"
    # Any what-if position, then the same red line moved further towards the other side.
    first = max(1, min(scenario.top, int(coded[column]) + (start if party == "Ukraine" else -start)))
    further = min(scenario.top, first + steps) if party == "Ukraine" else max(1, first - steps)
    before = territory_row(data, {(party, ISSUE): first})
    after = territory_row(data, {(party, ISSUE): further})
    assert_not_narrower(before, after)
    assert_not_narrower(coded, before)  # moving from the coded red line towards the other side


# --- (c) "what changed" is antisymmetric ---------------------------------------------------------

TOWARDS_RUSSIA, TOWARDS_UKRAINE = "towards Russia's end", "towards Ukraine's end"
FLIPPED = {TOWARDS_RUSSIA: TOWARDS_UKRAINE, TOWARDS_UKRAINE: TOWARDS_RUSSIA}


@bounded(200)
@given(st.integers(1, 9), st.integers(1, 9), st.booleans())
def test_the_direction_of_a_change_flips_when_before_and_after_swap(before, now, same_stance) -> None:
    forward = analysis._direction(before, now, same_stance)
    backward = analysis._direction(now, before, same_stance)
    if not same_stance:
        assert forward == backward == "not comparable (stance differs)"
    elif before == now:
        assert forward == backward == "same level"
    else:
        assert backward == FLIPPED[forward]
        assert forward == (TOWARDS_RUSSIA if now > before else TOWARDS_UKRAINE)  # the scale's top is Russia's end


@bounded(20)
@given(st.sampled_from(("ukraine", "russia", "us-a")), st.integers(1, 5), st.integers(1, 5),
       st.sampled_from(STANCES), st.sampled_from(STANCES))
def test_actor_changes_flip_when_the_two_sources_swap_levels(actor, first, second, stance_a, stance_b) -> None:
    def change(levels: tuple[int, int]) -> str:
        rows = (Row(actor, 0, stance_a, levels[0]), Row(actor, 1, stance_b, levels[1]))
        changes = analysis.actor_changes(build(Scenario(5, rows)), "2025-02-b")
        (found,) = changes.loc[changes["actor_id"] == actor, "change"]
        return found

    forward, backward = change((first, second)), change((second, first))
    if stance_a != stance_b:
        assert forward == backward == "not comparable (stance differs)"
    elif first == second:
        assert forward == backward == "same level"
    else:
        assert backward == FLIPPED[forward]
        assert forward == (TOWARDS_RUSSIA if second > first else TOWARDS_UKRAINE)


@bounded(15)
@given(scenarios(), st.sampled_from(sorted(QUOTE)), st.sampled_from(sorted(QUOTE)))
def test_the_gap_between_two_actors_flips_sign_when_they_swap(scenario, first, second) -> None:
    data = build(scenario)
    there = analysis.compare_actors(data, first, second).set_index("issue_id")["gap"]
    back = analysis.compare_actors(data, second, first).set_index("issue_id")["gap"]
    for issue in there.index:
        assert pd.isna(there[issue]) == pd.isna(back[issue])
        if not pd.isna(there[issue]):
            assert there[issue] == -back[issue]


# --- (d) the freshness fingerprint covers exactly what it claims --------------------------------

#: Every input file the fingerprint claims to cover, as (where, name): the data tables, the
#: bibliography the tables cite, each utils module and the lock.
DATA_FILES = sorted(p.name for p in (FIXTURES / "valid").glob("*.csv"))
UTILS_FILES = sorted(p.name for p in UTILS.glob("*.py"))
INPUTS = ([("data", name) for name in DATA_FILES] + [("root", "references.bib"), ("root", "requirements.txt")]
          + [("utils", name) for name in UTILS_FILES])
TEXT = st.text(alphabet="ghijklmnopqrstuvwxyz ()+=*_#'\"\n", max_size=24)


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data folder (the valid fixture) with a bibliography beside it, a copy of utils and a lock."""
    root = tmp_path_factory.mktemp("freshness")
    shutil.copytree(FIXTURES / "valid", root / "data")
    (root / "references.bib").write_text("@misc{someone2024,\n  author = {Someone},\n  year = {2024},\n}\n",
                                         encoding="utf-8")
    (root / "utils").mkdir()
    for name in UTILS_FILES:
        shutil.copy(UTILS / name, root / "utils" / name)
    (root / "requirements.txt").write_text("pandas==2.2.3\nnumpy==2.1.0\n", encoding="utf-8")
    return root


def sandbox_fingerprint(root: Path, notebook: dict) -> str:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(freshness, "UTILS_DIR", root / "utils")
        patch.setattr(freshness, "LOCK_FILE", root / "requirements.txt")
        return freshness.fingerprint(notebook, root / "data")


def input_path(root: Path, where: str, name: str) -> Path:
    return root / name if where == "root" else root / where / name


@st.composite
def notebooks(draw) -> dict:
    """A notebook of Markdown and code cells (at least one of each), some code cells with outputs."""
    def cell(kind: str) -> dict:
        source = draw(TEXT | st.lists(TEXT, max_size=3))
        if kind == "markdown":
            return {"cell_type": "markdown", "metadata": {}, "source": source}
        outputs = draw(st.lists(st.builds(lambda text: {"output_type": "stream", "name": "stdout", "text": text},
                                          TEXT), max_size=2))
        return {"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": outputs, "source": source}

    kinds = draw(st.lists(st.sampled_from(("markdown", "code")), min_size=0, max_size=5))
    cells = [cell(kind) for kind in ["markdown", "code", *kinds]]
    order = draw(st.permutations(range(len(cells))))
    return {"cells": [cells[i] for i in order], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}


def joined(source) -> str:
    return "".join(source) if isinstance(source, list) else source


def test_every_covered_input_changes_the_fingerprint(sandbox) -> None:
    """Each input file in turn, one byte changed: none goes unseen (the generated test below may miss one)."""
    notebook = {"cells": [{"cell_type": "code", "metadata": {}, "outputs": [], "source": "1+1"}], "metadata": {}}
    before = sandbox_fingerprint(sandbox, notebook)
    for target in INPUTS:
        path = input_path(sandbox, *target)
        original = path.read_bytes()
        path.write_bytes(original[:-1] + bytes([(original[-1] + 1) % 256]))
        try:
            assert sandbox_fingerprint(sandbox, notebook) != before, f"a change to {target} went unseen"
        finally:
            path.write_bytes(original)


@bounded(25)
@given(notebooks(), st.sampled_from(INPUTS), st.data())
def test_any_byte_of_a_covered_input_changes_the_fingerprint(sandbox, notebook, target, choose) -> None:
    path = input_path(sandbox, *target)
    original = path.read_bytes()
    before = sandbox_fingerprint(sandbox, notebook)
    kind = choose.draw(st.sampled_from(("flip", "append", "drop")))
    at = choose.draw(st.integers(0, max(len(original) - 1, 0)))
    if kind == "flip":
        changed = original[:at] + bytes([(original[at] + choose.draw(st.integers(1, 255))) % 256]) + original[at + 1:]
    elif kind == "append":
        changed = original + choose.draw(st.binary(min_size=1, max_size=4))
    else:
        changed = original[:at] + original[at + 1:]
    try:
        path.write_bytes(changed)
        assert sandbox_fingerprint(sandbox, notebook) != before, f"{kind} at byte {at} of {target} went unseen"
    finally:
        path.write_bytes(original)
    assert sandbox_fingerprint(sandbox, notebook) == before


@bounded(30)
@given(notebooks(), st.data())
def test_a_code_cell_or_its_outputs_change_the_fingerprint(sandbox, notebook, choose) -> None:
    before = sandbox_fingerprint(sandbox, notebook)
    changed = copy.deepcopy(notebook)
    code = [cell for cell in changed["cells"] if cell["cell_type"] == "code"]
    cell = choose.draw(st.sampled_from(code))
    what = choose.draw(st.sampled_from(("source", "output", "new cell", "drop cell")))
    if what == "source":
        new = choose.draw(TEXT.filter(lambda text: text != joined(cell["source"])))
        cell["source"] = new
    elif what == "output":
        text = choose.draw(TEXT.filter(lambda t: t != "".join(o["text"] for o in cell["outputs"])))
        cell["outputs"] = [{"output_type": "stream", "name": "stdout", "text": text}]
    elif what == "new cell":
        at = choose.draw(st.integers(0, len(changed["cells"])))
        changed["cells"].insert(at, {"cell_type": "code", "execution_count": None, "metadata": {},
                                     "outputs": [], "source": choose.draw(TEXT)})
    else:
        changed["cells"].remove(cell)
    assert sandbox_fingerprint(sandbox, changed) != before, f"a code {what} change went unseen"


@bounded(30)
@given(notebooks(), st.data())
def test_markdown_alone_never_changes_the_fingerprint(sandbox, notebook, choose) -> None:
    before = sandbox_fingerprint(sandbox, notebook)
    changed = copy.deepcopy(notebook)
    for _ in range(choose.draw(st.integers(1, 3))):
        markdown = [cell for cell in changed["cells"] if cell["cell_type"] == "markdown"]
        what = choose.draw(st.sampled_from(("edit", "insert", "drop", "metadata") if markdown else ("insert",)))
        if what == "insert":
            at = choose.draw(st.integers(0, len(changed["cells"])))
            changed["cells"].insert(at, {"cell_type": "markdown", "metadata": {}, "source": choose.draw(TEXT)})
            continue
        cell = choose.draw(st.sampled_from(markdown))
        if what == "edit":
            cell["source"] = choose.draw(TEXT)
        elif what == "drop":
            changed["cells"].remove(cell)
        else:
            cell["metadata"] = {"tags": [choose.draw(TEXT)]}
    assert sandbox_fingerprint(sandbox, changed) == before


def test_a_new_data_table_or_utils_module_changes_the_fingerprint(sandbox) -> None:
    notebook = {"cells": [{"cell_type": "code", "metadata": {}, "outputs": [], "source": "1+1"}], "metadata": {}}
    before = sandbox_fingerprint(sandbox, notebook)
    for added in (sandbox / "data" / "context_events.csv", sandbox / "utils" / "new_module.py"):
        added.write_text("x\n", encoding="utf-8")
        try:
            assert sandbox_fingerprint(sandbox, notebook) != before, f"{added.name} went unseen"
        finally:
            added.unlink()
    assert sandbox_fingerprint(sandbox, notebook) == before


def test_a_coding_table_the_pages_read_changes_the_fingerprint(sandbox) -> None:
    """``reliability.load_codings``, ``errata.review_logs`` and ``sentences.adjudication_kinds`` read
    ``data/coding/*.csv``: the codebook and errata appendices' outputs depend on them."""
    notebook = {"cells": [{"cell_type": "code", "metadata": {}, "outputs": [], "source": "1+1"}], "metadata": {}}
    coding = sandbox / "data" / "coding"
    coding.mkdir(exist_ok=True)
    log = coding / "review-2026-01-01.csv"
    log.write_text("where,finding,decision,reason\nmethod,A finding.,fixed,A reason.\n", encoding="utf-8")
    try:
        before = sandbox_fingerprint(sandbox, notebook)
        log.write_text("where,finding,decision,reason\nmethod,A finding.,rejected,A reason.\n", encoding="utf-8")
        assert sandbox_fingerprint(sandbox, notebook) != before
    finally:
        shutil.rmtree(coding)


# --- (e) numbers in prose: no exponent, singular after exactly "1" ------------------------------

SCIENTIFIC = re.compile(r"\d[eE][+-]?\d|inf|nan", re.I)
VALUES = (st.floats(min_value=0, max_value=1e22, allow_nan=False, allow_infinity=False)
          | st.floats(min_value=0, max_value=1e-3, allow_nan=False, allow_infinity=False)
          | st.integers(0, 10**15).map(float)
          | st.integers(1, 10**9).map(lambda n: n * 100_000.0)
          | st.sampled_from((1.0, 0.0, 1e-5, 1e12, 1234567800000.0, 2.5e6, 1e16 + 2)))
#: Units as figures.csv writes them (plural) with the singular that follows "1".
UNITS = {"months": "month", "years": "year", "days": "day", "hours": "hour", "weeks": "week",
         "oblasts": "oblast", "people": "person", "shells per year": "shell per year",
         "days of fighting": "day of fighting", "million rounds": "million rounds",
         "million shells per year": "million shells per year"}
QUALIFIERS = ("exact", "approximately", "at most", "at least", "lower bound", "estimate", "claim")


@bounded(300)
@given(VALUES)
def test_number_text_never_writes_an_exponent(value) -> None:
    text = book.number_text(value)
    assert not SCIENTIFIC.search(text), f"{value!r} -> {text!r}"
    digits = text.removesuffix(" million").replace(",", "")
    shown = float(digits) * (1_000_000 if text.endswith(" million") else 1)
    assert shown == pytest.approx(value, rel=1e-12, abs=0)  # the same number, not a rounded one


@bounded(300)
@given(VALUES, st.sampled_from(sorted(UNITS) + ["USD million", "USD billion", "percent", "count", "year"]),
       st.sampled_from(QUALIFIERS))
def test_figure_text_has_no_exponent_and_the_right_number_of_things(value, unit, qualifier) -> None:
    text = book.figure_text(value, unit, qualifier)
    assert not SCIENTIFIC.search(text), f"{value!r} {unit} -> {text!r}"
    if unit in UNITS:
        number = book.number_text(value)
        prefix = "at least " if qualifier == "lower bound" else ""
        noun = UNITS[unit] if number == "1" else unit
        assert text == f"{prefix}{number} {noun}", f"{value!r} {unit} -> {text!r}"
    assert not re.search(r"(?<![\d.,])1 (months|years|days|hours|weeks|oblasts|people)\b", text), text


@pytest.mark.parametrize("value, unit, text", [
    (1e-05, "percent", "0.00001%"),                    # was "1e-05%"
    (1e12, "people", "1,000,000 million people"),      # was "1e+06 million people"
    (1234567800000.0, "count", "1,234,567.8 million"),  # was "1.23457e+06 million": rounded too
    (1.0, "people", "1 person"),                       # was "1 people"
    (1.0, "million rounds", "1 million rounds"),       # was "1 million round"
    (1.0, "shells per year", "1 shell per year"),      # was "1 shells per year"
    (1.0, "months", "1 month"), (2.0, "people", "2 people"),
])
def test_figure_text_regressions(value, unit, text) -> None:
    assert book.figure_text(value, unit) == text


# =============================================================================================
# (f) The loader's quoting rules are the CSV reader's
# =============================================================================================

CSV_TEXT = st.text(alphabet=['a', ',', '"', "\n", "\r"], max_size=14)


@bounded(400)
@given(CSV_TEXT)
def test_the_loader_reads_quotes_as_the_csv_reader_does(text) -> None:
    stop = _reading_stop(text)
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    except csv.Error as exc:
        assert (str(exc) == "unexpected end of data") == (stop.in_quotes and not stop.after_closing_quote)
        assert (str(exc) == "',' expected after '\"'") == stop.after_closing_quote
        return
    assert not stop.in_quotes and not stop.after_closing_quote
    if text and text[-1] not in "\r\n":
        assert stop.cell == len(records[-1]) - 1
        assert csv_cell(text[stop.offset:]) == records[-1][-1]  # and the cell starts where the loader says


def csv_cell(raw: str) -> str:
    """A cell's value from its raw text: quotes taken off and doubled quotes made single."""
    return raw[1:-1].replace('""', '"') if raw.startswith('"') else raw
