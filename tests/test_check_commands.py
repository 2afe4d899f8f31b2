"""`make check-data`: the data alone, checked fast, with the first error named by file, line and column."""

from __future__ import annotations

import csv
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "scripts/check_data.py", *args], cwd=ROOT,
                          capture_output=True, text=True, check=False)


def test_the_shipped_data_passes_with_every_file_counted() -> None:
    result = run()
    assert result.returncode == 0, result.stdout
    lines = result.stdout.strip().splitlines()
    assert "positions.csv: " in result.stdout and "coding/review-2026-11-25.csv: " in result.stdout
    assert lines[-1] == f"data: {len(lines) - 1} files valid"


def test_a_bad_cell_is_named_by_file_line_and_column(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "data", tmp_path / "data")
    positions = tmp_path / "data" / "positions.csv"
    with positions.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    rows[3][rows[0].index("stance")] = "wish"
    with positions.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)
    result = run(str(tmp_path / "data"))
    assert result.returncode == 1
    assert result.stdout.startswith("data error: positions.csv, line 4, column 'stance': 'wish' is not one of")
