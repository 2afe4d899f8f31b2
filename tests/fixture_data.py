"""Copies of the small test data folders, brought up to the current schema.

A fixture written before a table gained a column (optional ones included) still loads: the
missing columns are added, left empty. Tests that need extra rows append them here too, so
no test module carries its own CSV-rewriting loop.
"""

from __future__ import annotations

import csv
import shutil
from collections.abc import Mapping, Sequence
from pathlib import Path

from utils.schema import TABLES


def fixture_copy(source: Path, target: Path, added: Mapping[str, Sequence[dict]] | None = None) -> Path:
    """Copy the data folder ``source`` to ``target``, pad every table to the schema's columns and
    append the rows of ``added`` (file name → rows); return ``target``."""
    shutil.copytree(source, target)
    for table in TABLES:
        path = target / table.file_name
        if not path.exists():
            continue
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            header, rows = list(reader.fieldnames or []), list(reader)
        header += [name for name in table.column_names if name not in header]
        rows += [dict(row) for row in (added or {}).get(table.file_name, [])]
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=header, restval="", lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
    return target
