"""Execute notebooks in place in a clean kernel, storing outputs, widget state and inputs fingerprint.

Usage:
    python scripts/execute_notebooks.py NOTEBOOK...           # run them all (make execute)
    python scripts/execute_notebooks.py --stale NOTEBOOK...   # run those whose inputs changed (make book)
    python scripts/execute_notebooks.py --check NOTEBOOK...   # run nothing; fail if any is stale (make test)

``make execute NOTEBOOKS=chapters/x.ipynb`` re-executes that notebook alone;
``--check`` names each stale notebook with that command.

Notebooks run side by side, one kernel per core (``--jobs``, default: all
cores); each still gets a fresh kernel of its own.

Each notebook runs from its own folder, as Jupyter Book and nbval run it; the
stored outputs are what the book shows and what nbval later compares against.
Execution counts are renumbered and volatile metadata dropped, so re-running an
unchanged notebook leaves the file byte-identical; the kernelspec is the one
JupyterLab writes for the book's kernel, so opening a notebook there and
autosaving changes nothing. "Stale" means the notebook's stored fingerprint
(:mod:`utils.freshness`) differs from that of its current code cells, outputs,
data, utils and package versions: the inputs changed, or the outputs differ
from what they were (not merely in widget ids, execution counts or metadata, as
after a run and save in JupyterLab).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from utils.determinism import KERNEL_NAME, kernelspec, merged_streams, stabilise_notebook
from utils.freshness import is_current, refresh_command, stale_message, stamp


class NotebookFailed(Exception):
    """A cell of a notebook raised; the message names the notebook and the error."""


def execute(path: Path) -> float:
    """Run ``path`` top to bottom and write it back, stamped; return the seconds it took.

    A failing cell raises :class:`NotebookFailed` and leaves the file as it was.
    """
    notebook = nbformat.read(path, as_version=4)
    started = time.perf_counter()
    client = NotebookClient(notebook, timeout=120, kernel_name=KERNEL_NAME,
                            resources={"metadata": {"path": str(path.parent)}},
                            store_widget_state=True, shutdown_kernel="immediate")
    try:
        client.execute()
    except CellExecutionError as error:
        raise NotebookFailed(f"{path}: {error.ename}: {error.evalue}") from None
    elapsed = time.perf_counter() - started
    for cell in notebook.cells:
        cell.metadata.pop("execution", None)
    notebook.metadata.pop("papermill", None)
    notebook.metadata.kernelspec = kernelspec()
    written = json.loads(nbformat.writes(notebook))
    for cell in written["cells"]:
        if cell["cell_type"] == "code":
            cell["outputs"] = merged_streams(cell["outputs"])
    stable = stamp(stabilise_notebook(written, path.name))
    nbformat.write(nbformat.from_dict(stable), path)
    return elapsed


def stale(paths: list[Path]) -> list[Path]:
    """The notebooks among ``paths`` whose stored outputs were made from other inputs."""
    return [path for path in paths if not is_current(json.loads(path.read_text(encoding="utf-8")))]


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--stale", action="store_true", help="execute only the notebooks whose inputs changed")
    mode.add_argument("--check", action="store_true", help="execute nothing; exit 1 if any notebook is stale")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                        help="notebooks executed at once (default: the number of cores)")
    parser.add_argument("notebooks", nargs="+", type=Path)
    args = parser.parse_args(argv)
    if args.check:
        outdated = stale(args.notebooks)
        for path in outdated:
            print(stale_message(path, json.loads(path.read_text(encoding="utf-8"))), file=sys.stderr)
        if len(outdated) > 1:
            print(f"or re-execute these {len(outdated)} at once with `{refresh_command(*outdated)}`",
                  file=sys.stderr)
        return 1 if outdated else 0
    todo = stale(args.notebooks) if args.stale else args.notebooks
    failed = []
    with ProcessPoolExecutor(max_workers=max(1, min(args.jobs, len(todo) or 1))) as pool:
        for path, running in [(path, pool.submit(execute, path)) for path in todo]:
            try:
                print(f"{running.result():6.2f} s  {path}")
            except NotebookFailed as error:
                failed.append(str(error))
    for message in failed:
        print(f"not executed, a cell failed: {message}", file=sys.stderr)
    if failed:
        return 1
    if args.stale:
        print(f"{len(todo)} of {len(args.notebooks)} notebooks executed; the others' stored outputs are current")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
