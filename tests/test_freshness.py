"""Stored outputs are re-made exactly when what they depend on changes."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.test_notebooks import NOTEBOOKS
from utils import freshness

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "execute_notebooks.py"


def notebook(code: str, text: str = "# A title") -> dict:
    return {"cells": [{"cell_type": "markdown", "metadata": {}, "source": [text]},
                      {"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [],
                       "source": [code]}],
            "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
            "nbformat": 4, "nbformat_minor": 5}


@pytest.fixture()
def data_dir(tmp_path: Path) -> Path:
    return Path(shutil.copytree(ROOT / "data", tmp_path / "data"))


def test_code_outputs_data_and_utils_change_the_fingerprint_prose_does_not(data_dir: Path) -> None:
    base = freshness.fingerprint(notebook("1+1"), data_dir)
    assert freshness.fingerprint(notebook("1+1"), data_dir) == base
    assert freshness.fingerprint(notebook("1+1", "# Another title"), data_dir) == base
    assert freshness.fingerprint(notebook("1+2"), data_dir) != base
    rerun = notebook("1+1")
    rerun["cells"][1]["outputs"] = [{"output_type": "execute_result", "data": {"text/plain": "2"},
                                     "metadata": {}, "execution_count": 7}]
    assert freshness.fingerprint(rerun, data_dir) != base   # outputs saved by another run
    with (data_dir / "events.csv").open("a", encoding="utf-8") as handle:
        handle.write("\n")
    assert freshness.fingerprint(notebook("1+1"), data_dir) != base
    assert any(p.parent.name == "utils" and p.name == "widgets.py" for p in freshness.input_files(data_dir))


def test_the_bibliography_the_data_cites_changes_the_fingerprint(tmp_path: Path) -> None:
    data_dir = Path(shutil.copytree(ROOT / "data", tmp_path / "data"))
    shutil.copy(ROOT / "references.bib", tmp_path / "references.bib")
    base = freshness.fingerprint(notebook("1+1"), data_dir)
    with (tmp_path / "references.bib").open("a", encoding="utf-8") as handle:
        handle.write("\n")
    assert freshness.fingerprint(notebook("1+1"), data_dir) != base


def test_the_interpreter_version_does_not_change_the_fingerprint(data_dir: Path, monkeypatch) -> None:
    import sys

    base = freshness.fingerprint(notebook("1+1"), data_dir)
    monkeypatch.setattr(sys, "version_info", (3, 13, 0, "final", 0))
    assert freshness.fingerprint(notebook("1+1"), data_dir) == base


def test_the_lock_changes_the_fingerprint(data_dir: Path, tmp_path: Path, monkeypatch) -> None:
    lock = tmp_path / "requirements.txt"
    lock.write_text("pandas==1.0\n", encoding="utf-8")
    monkeypatch.setattr(freshness, "LOCK_FILE", lock)
    base = freshness.fingerprint(notebook("1+1"), data_dir)
    lock.write_text("pandas==2.0\n", encoding="utf-8")
    assert freshness.fingerprint(notebook("1+1"), data_dir) != base


def test_a_stamped_notebook_is_current_until_the_data_changes(data_dir: Path) -> None:
    stamped = freshness.stamp(notebook("1+1"), data_dir)
    assert freshness.is_current(stamped, data_dir)
    assert not freshness.is_current(notebook("1+1"), data_dir)
    (data_dir / "quotes.csv").write_text((data_dir / "quotes.csv").read_text(encoding="utf-8") + "\n",
                                         encoding="utf-8")
    assert not freshness.is_current(stamped, data_dir)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_committed_outputs_come_from_the_current_inputs(path: Path) -> None:
    stored = json.loads(path.read_text(encoding="utf-8"))
    assert freshness.is_current(stored, ROOT / "data"), f"{path.name} is stale: run `make execute`"


def run(*args: str) -> subprocess.CompletedProcess:
    """scripts/execute_notebooks.py with ``args``, on the book's data."""
    return subprocess.run([sys.executable, str(SCRIPT), *args], capture_output=True, text=True,
                          cwd=ROOT, env={**os.environ, "BOOK_DATA_DIR": str(ROOT / "data")})


def test_book_build_runs_only_stale_notebooks_and_test_refuses_them(tmp_path: Path) -> None:
    fresh, outdated = tmp_path / "fresh.ipynb", tmp_path / "outdated.ipynb"
    fresh.write_text(json.dumps(notebook("print('fresh')")), encoding="utf-8")
    outdated.write_text(json.dumps(notebook("print('outdated')")), encoding="utf-8")

    assert run(str(fresh)).returncode == 0                       # make execute: stores outputs and stamp
    checked = run("--check", str(fresh), str(outdated))          # make test's first step
    assert checked.returncode == 1
    assert "outdated.ipynb" in checked.stderr and "fresh.ipynb" not in checked.stderr
    before = fresh.read_bytes()
    built = run("--stale", str(fresh), str(outdated))            # make book's first step
    assert built.returncode == 0 and "1 of 2 notebooks executed" in built.stdout
    assert fresh.read_bytes() == before
    outputs = json.loads(outdated.read_text(encoding="utf-8"))["cells"][1]["outputs"]
    assert outputs[0]["text"] == ["outdated\n"]
    assert run("--check", str(fresh), str(outdated)).returncode == 0


def test_a_failing_notebook_is_named_and_left_as_it_was(tmp_path: Path) -> None:
    broken = tmp_path / "broken.ipynb"
    broken.write_text(json.dumps(notebook("raise ValueError('no such level')")), encoding="utf-8")
    before = broken.read_bytes()
    result = run("--stale", str(broken))
    assert result.returncode == 1
    assert f"{broken}: ValueError: no such level" in result.stderr
    assert broken.read_bytes() == before
