"""Whether a notebook's stored outputs are current.

The book shows the outputs stored in each notebook; nbval proves they are what
a fresh run gives. A notebook's outputs depend on its code cells, on the data,
on the ``utils`` package and on the pinned packages that compute and draw (the
lock, ``requirements.txt``, and the installed versions), but not on the
interpreter's version: the committed outputs are the same on Python 3.11, 3.12
and 3.13. :func:`fingerprint` hashes all of these together with the stored outputs
and widget state themselves; the book's executor stores that hash in the
notebook's metadata (:func:`stamp`), and ``make book`` re-executes exactly the
notebooks whose stored hash differs from the current one (:func:`is_current`).
So a change to ``data/*.csv`` always reaches the book, an unchanged notebook is
never run twice, and outputs saved from anywhere else (a notebook run and saved
in JupyterLab, say) are never published: they make the notebook stale too.
"""

from __future__ import annotations

import hashlib
import json
from importlib import metadata
from pathlib import Path
from typing import Any

from .data import data_folder
from .references import bibliography_path

#: Where a notebook keeps the fingerprint of the inputs it was executed with.
METADATA_KEY = "book_inputs"
#: Packages whose version can change what a notebook shows.
PACKAGES = ("pandas", "numpy", "matplotlib", "ipywidgets", "ipykernel")
UTILS_DIR = Path(__file__).resolve().parent
#: The pinned lock of the book's environment.
LOCK_FILE = UTILS_DIR.parent / "requirements.txt"


def input_files(data_dir: Path | str | None = None) -> list[Path]:
    """The files every notebook's outputs depend on: the data tables, the bibliography the
    tables cite (its labels are shown), the utils modules and the pinned lock."""
    folder = data_folder(data_dir)
    optional = [path for path in (bibliography_path(folder), LOCK_FILE) if path.exists()]
    return sorted(folder.glob("*.csv")) + optional + sorted(UTILS_DIR.glob("*.py"))


def fingerprint(notebook: dict[str, Any], data_dir: Path | str | None = None) -> str:
    """A SHA-256 of the notebook's code cells and their stored outputs, its widget state,
    the input files and the package versions (never the interpreter's version).

    Markdown cells are left out: they are rendered as written, not executed.
    """
    digest = hashlib.sha256()

    def add(label: str, content: bytes) -> None:
        digest.update(f"{label}\0{len(content)}\0".encode())
        digest.update(content)

    for cell in notebook.get("cells", []):
        if cell.get("cell_type") == "code":
            source = cell.get("source", "")
            add("cell", ("".join(source) if isinstance(source, list) else source).encode())
            add("outputs", json.dumps(cell.get("outputs", []), sort_keys=True).encode())
    add("widgets", json.dumps(notebook.get("metadata", {}).get("widgets"), sort_keys=True).encode())
    for path in input_files(data_dir):
        add(path.name, path.read_bytes())
    for package in PACKAGES:
        add(package, metadata.version(package).encode())
    return digest.hexdigest()


def stored_fingerprint(notebook: dict[str, Any]) -> str | None:
    """The fingerprint the notebook was last executed with, if any."""
    return notebook.get("metadata", {}).get(METADATA_KEY)


def is_current(notebook: dict[str, Any], data_dir: Path | str | None = None) -> bool:
    """True when the stored outputs were made from the current inputs."""
    return stored_fingerprint(notebook) == fingerprint(notebook, data_dir)


def stamp(notebook: dict[str, Any], data_dir: Path | str | None = None) -> dict[str, Any]:
    """Record the current fingerprint in the notebook's metadata (after executing it); returns it."""
    notebook.setdefault("metadata", {})[METADATA_KEY] = fingerprint(notebook, data_dir)
    return notebook
