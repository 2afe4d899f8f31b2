"""The book's bibliography (``references.bib``) as the data layer needs it.

Rows of ``events.csv``, ``figures.csv`` and ``positions.csv`` whose date comes
from published reporting rather than from the source itself name a key of
``references.bib`` in their ``reference`` column; the loader checks the key
exists and the chapters show a short label for it.
"""

from __future__ import annotations

import re
from pathlib import Path

ENTRY = re.compile(r"@\w+\s*\{\s*([^,\s]+)\s*,(.*?)\n\}", re.S)
FIELD = re.compile(r"(\w+)\s*=\s*\{((?:[^{}]|\{[^{}]*\})*)\}")


def bibliography_path(data_folder: Path) -> Path:
    """``references.bib`` beside the data folder (the book's root for ``data/``)."""
    return Path(data_folder).resolve().parent / "references.bib"


def read_bibliography(path: Path) -> dict[str, dict[str, str]]:
    """Every entry of a .bib file: key → its fields (braces removed), in file order."""
    entries: dict[str, dict[str, str]] = {}
    for key, body in ENTRY.findall(Path(path).read_text(encoding="utf-8")):
        entries[key] = {name.lower(): value.replace("{", "").replace("}", "").strip()
                        for name, value in FIELD.findall(body)}
    return entries


def short_label(entry: dict[str, str]) -> str:
    """``Reuters, 2023`` for an entry: its author (or first author's surname) and year."""
    author = entry.get("author", "unknown").split(" and ")[0]
    author = author.split(",")[0] if "," in author else author
    return f"{author}, {entry.get('year', 'n.d.')}"
