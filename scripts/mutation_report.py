"""Sum up the last `make mutation` (mutmut 3): the score of each module of utils/, then the survivors.

Reads what ``mutmut run`` stored in ``mutants/`` (one ``<module>.py.meta`` per mutated file: each
mutant's test exit code) and names each status as mutmut does. The score is killed / (mutants
that were tested + mutants no selected test reaches, "no tests"): a mutant no test runs is a
surviving one. Mutants not run yet are counted apart, never as killed. ``mutmut show <name>`` prints a survivor's diff.

A survivor that no test can kill because it behaves exactly like the original (an equivalent
mutant) is listed in ``scripts/mutation_equivalents.csv`` with the reason; the report prints the
reason beside it. Any other survivor is "unexplained": a missing test. The exit status is 1 when
an unexplained survivor is left or a listed module scores under ``--minimum`` percent.

    python scripts/mutation_report.py [--module utils/analysis.py ...] [--minimum 85] [--reasons]
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections import Counter
from pathlib import Path

from mutmut.stats import status_by_exit_code

ROOT = Path(__file__).resolve().parents[1]
KILLED = {"killed", "timeout", "caught by type check"}  # a timeout counts as killed, as mutmut counts it
NOT_RUN = {"not checked", "skipped", "check was interrupted by user"}
EQUIVALENTS = Path(__file__).resolve().parent / "mutation_equivalents.csv"


def equivalents(path: Path = EQUIVALENTS) -> dict[str, str]:
    """``{mutant name: why it behaves like the original}`` from the committed list."""
    if not path.exists():
        return {}
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for number, row in enumerate(rows, start=2):
        if not (row.get("mutant") or "").strip() or not (row.get("reason") or "").strip():
            raise SystemExit(f"{path.name}, line {number}: every row needs a mutant and a reason")
    return {row["mutant"].strip(): row["reason"].strip() for row in rows}


def results(mutants: Path) -> dict[str, dict[str, str]]:
    """``{module path: {mutant name: status}}`` for every mutated module mutmut stored."""
    found = {}
    for meta in sorted(mutants.rglob("*.py.meta")):
        module = meta.relative_to(mutants).as_posix().removesuffix(".meta")
        codes = json.loads(meta.read_text(encoding="utf-8")).get("exit_code_by_key", {})
        found[module] = {name: status_by_exit_code[code] for name, code in sorted(codes.items())}
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--module", action="append", help="only this module (say utils/analysis.py)")
    parser.add_argument("--mutants", type=Path, default=ROOT / "mutants")
    parser.add_argument("--reasons", action="store_true", help="list each equivalent survivor with its reason")
    parser.add_argument("--minimum", type=float, default=85.0, help="lowest acceptable score, percent")
    args = parser.parse_args(argv)
    found = results(args.mutants)
    explained = equivalents()
    if args.module:
        found = {module: statuses for module, statuses in found.items() if module in args.module}
    if not found:
        print("No mutation results: run `make mutation` first.", file=sys.stderr)
        return 1
    print(f"{'module':<28} {'killed':>6} / {'tested':<6} {'score':>6}   survived  timeout  no tests  not run")
    survivors = []
    low = []
    for module, statuses in found.items():
        count = Counter(statuses.values())
        tested = sum(n for status, n in count.items() if status not in NOT_RUN)
        if not tested:
            continue  # not run in this session (e.g. MUTANTS narrowed the run)
        killed = sum(count[status] for status in KILLED)
        score = f"{100 * killed / tested:.1f}%" if tested else "—"
        if tested and 100 * killed / tested < args.minimum:
            low.append(module)
        not_run = count["not checked"] + count["skipped"] + count["check was interrupted by user"]
        print(f"{module:<28} {killed:>6} / {tested:<6} {score:>6}   {count['survived']:>8}  "
              f"{count['timeout']:>7}  {count['no tests']:>8}  {not_run:>7}")
        survivors += [(module, name, status) for name, status in statuses.items()
                      if status in ("survived", "no tests", "suspicious", "segfault")]
    unexplained = [(name, status) for _, name, status in survivors if name not in explained]
    listed = [name for _, name, _ in survivors if name in explained]
    if listed:
        print(f"\nEquivalent survivors: {len(listed)}, listed with their reasons in {EQUIVALENTS.name}"
              + (":" if args.reasons else " (--reasons prints them)."))
        for name in listed if args.reasons else []:
            print(f"  {name}: {explained[name]}")
    if unexplained:
        print(f"\nUnexplained survivors ({len(unexplained)}; `mutmut show NAME` prints the change):")
        for name, status in unexplained:
            print(f"  {name}" + ("" if status == "survived" else f"  ({status})"))
    if low:
        print(f"\nUnder {args.minimum:g}%: {', '.join(low)}")
    return 1 if unexplained or low else 0


if __name__ == "__main__":
    sys.exit(main())
