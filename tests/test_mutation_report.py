"""``scripts/mutation_report.py``: the score it prints and when it fails.

A small ``mutants/`` folder is written by hand (one ``.meta`` file per module, as
mutmut 3 stores them: each mutant's test exit code) and the report is read
back. The committed list of equivalent mutants is checked for form.
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
import mutation_report  # noqa: E402

KILLED, SURVIVED, NO_TESTS, TIMEOUT, NOT_RUN = 1, 0, 33, 36, None


def write_meta(mutants: Path, module: str, codes: dict[str, int | None]) -> None:
    meta = mutants / "utils" / f"{module}.py.meta"
    meta.parent.mkdir(parents=True, exist_ok=True)
    meta.write_text(json.dumps({"exit_code_by_key": codes}), encoding="utf-8")


def report(tmp_path: Path, capsys, monkeypatch, equivalents: str = "mutant,reason\n",
           *args: str) -> tuple[int, str]:
    listed = tmp_path / "equivalents.csv"
    listed.write_text(equivalents, encoding="utf-8")
    monkeypatch.setattr(mutation_report, "EQUIVALENTS", listed)
    monkeypatch.setattr(mutation_report.equivalents, "__defaults__", (listed,))
    status = mutation_report.main(["--mutants", str(tmp_path / "mutants"), *args])
    return status, capsys.readouterr().out


@pytest.fixture()
def mutants(tmp_path: Path) -> Path:
    folder = tmp_path / "mutants"
    # a: 8 killed, 1 timeout (counts as killed), 1 survivor, 2 not run -> 9 / 10 = 90.0%
    write_meta(folder, "a", {**{f"utils.a.x_f__mutmut_{n}": KILLED for n in range(1, 9)},
                             "utils.a.x_f__mutmut_9": TIMEOUT, "utils.a.x_g__mutmut_1": SURVIVED,
                             "utils.a.x_g__mutmut_2": NOT_RUN, "utils.a.x_g__mutmut_3": NOT_RUN})
    # b: 5 killed, 1 that no test reaches (counts against the score) -> 5 / 6 = 83.3%
    write_meta(folder, "b", {**{f"utils.b.x_h__mutmut_{n}": KILLED for n in range(1, 6)},
                             "utils.b.x_h__mutmut_6": NO_TESTS})
    # c: nothing run yet -> not reported
    write_meta(folder, "c", {"utils.c.x_k__mutmut_1": NOT_RUN})
    return folder


def test_scores_count_a_mutant_no_test_reaches_as_surviving(tmp_path, mutants, capsys, monkeypatch) -> None:
    status, out = report(tmp_path, capsys, monkeypatch)
    lines = out.splitlines()
    assert lines[1].split() == ["utils/a.py", "9", "/", "10", "90.0%", "1", "1", "0", "2"]
    assert lines[2].split() == ["utils/b.py", "5", "/", "6", "83.3%", "0", "0", "1", "0"]
    assert "utils/c.py" not in out
    assert "Unexplained survivors (2;" in out
    assert "  utils.a.x_g__mutmut_1\n" in out and "  utils.b.x_h__mutmut_6  (no tests)" in out
    assert "Under 85%: utils/b.py" in out
    assert status == 1


def test_listed_equivalents_are_explained_and_only_the_bar_can_still_fail(tmp_path, mutants, capsys,
                                                                           monkeypatch) -> None:
    listed = ("mutant,reason\nutils.a.x_g__mutmut_1,a default nobody can see\n"
              "utils.b.x_h__mutmut_6,a branch no input reaches\n")
    status, out = report(tmp_path, capsys, monkeypatch, listed, "--reasons")
    assert "Unexplained" not in out
    assert "Equivalent survivors: 2" in out and "  utils.a.x_g__mutmut_1: a default nobody can see" in out
    assert status == 1                                      # b is still under 85%
    status, out = report(tmp_path, capsys, monkeypatch, listed, "--minimum", "80")
    assert status == 0 and "Under" not in out
    assert "a default nobody can see" not in out            # reasons only with --reasons


def test_a_listed_mutant_without_a_reason_is_refused(tmp_path, mutants, capsys, monkeypatch) -> None:
    with pytest.raises(SystemExit, match="line 3: every row needs a mutant and a reason"):
        report(tmp_path, capsys, monkeypatch, "mutant,reason\nutils.a.x_g__mutmut_1,why\nutils.b.x,\n")


def test_no_results_is_an_error(tmp_path, capsys, monkeypatch) -> None:
    monkeypatch.setattr(mutation_report, "EQUIVALENTS", tmp_path / "absent.csv")
    assert mutation_report.main(["--mutants", str(tmp_path / "mutants")]) == 1
    assert "No mutation results: run `make mutation` first." in capsys.readouterr().err


def test_the_committed_equivalents_name_each_mutant_once_with_a_reason() -> None:
    with mutation_report.EQUIVALENTS.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    names = [row["mutant"] for row in rows]
    assert len(names) == len(set(names)), "a mutant is listed twice"
    modules = {"analysis", "book", "data", "freshness", "render", "widgets"}
    for row in rows:
        assert row["mutant"].split(".")[:2] in (["utils", module] for module in modules), row["mutant"]
        assert len(row["reason"].split()) >= 6, f"{row['mutant']}: the reason says too little"
    assert len(mutation_report.equivalents()) == len(rows)
