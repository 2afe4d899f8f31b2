"""Execute notebooks in place in a clean kernel, storing outputs and widget state.

Usage: python scripts/execute_notebooks.py chapters/*.ipynb

Each notebook runs from its own folder, as Jupyter Book and nbval run it; the
stored outputs are what nbval later compares against. Execution counts are
renumbered and volatile metadata dropped, so re-running an unchanged notebook
leaves the file byte-identical.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from utils.determinism import stabilise_notebook


def execute(path: Path) -> float:
    """Run ``path`` top to bottom and write it back; return the seconds it took."""
    notebook = nbformat.read(path, as_version=4)
    started = time.perf_counter()
    client = NotebookClient(notebook, timeout=120, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}},
                            store_widget_state=True)
    client.execute()
    elapsed = time.perf_counter() - started
    for cell in notebook.cells:
        cell.metadata.pop("execution", None)
    notebook.metadata.pop("papermill", None)
    stable = stabilise_notebook(json.loads(nbformat.writes(notebook)), path.name)
    nbformat.write(nbformat.from_dict(stable), path)
    return elapsed


def main(paths: list[str]) -> int:
    for name in paths:
        print(f"{execute(Path(name)):6.2f} s  {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
