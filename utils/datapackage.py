"""The book's data as a Frictionless Data Package, generated from :mod:`utils.schema`.

``datapackage.json`` (at the repository's root) describes every table in
``data/`` with a Table Schema: types, required cells, allowed values, id
patterns, primary and foreign keys. It is written by
``python scripts/datapackage.py`` and a test checks that the committed file is
what the schema gives, so the two cannot drift; ``frictionless validate
datapackage.json`` checks the CSV files against it.
"""

from __future__ import annotations

import json
from pathlib import Path

from .data import ID_PATTERN
from .schema import ADJUDICATION, CODING, REVIEW_LOG, TABLES, Column, Table
from .scope import book_version

ROOT = Path(__file__).resolve().parent.parent
#: Table Schema types for the schema's column kinds.
FIELD_TYPES = {"id": "string", "text": "string", "date": "date", "int": "integer", "number": "number",
               "bool": "boolean", "choice": "string", "url": "string", "sha256": "string"}
PATTERNS = {"id": ID_PATTERN.pattern, "url": r"https://\S+", "sha256": "[0-9a-f]{64}"}
#: The coding files and logs of ``data/coding/``, with the schema each follows.
CODING_FILES = {"first-coder": CODING, "second-coder": CODING, "round2-coder-a": CODING,
                "round2-coder-b": CODING, "review-2026-11-25": REVIEW_LOG,
                "adjudication-2026-11-25": ADJUDICATION}


def field_descriptor(column: Column) -> dict:
    """One column as a Table Schema field."""
    field: dict = {"name": column.name, "type": FIELD_TYPES[column.kind]}
    constraints: dict = {}
    if column.required:
        constraints["required"] = True
    if column.choices:
        constraints["enum"] = list(column.choices)
    if column.kind in PATTERNS:
        constraints["pattern"] = PATTERNS[column.kind]
    if column.kind == "date":
        field["format"] = "%Y-%m-%d"
    if column.kind == "bool":
        field.update(trueValues=["true"], falseValues=["false"])
    if constraints:
        field["constraints"] = constraints
    return field


def table_schema(table: Table, with_foreign_keys: bool = True) -> dict:
    """A table's Table Schema: fields, primary key and foreign keys to the other tables."""
    schema: dict = {"fields": [field_descriptor(column) for column in table.columns], "missingValues": [""]}
    if table.key:
        schema["primaryKey"] = list(table.key)
    foreign = [{"fields": column.name, "reference": {"resource": column.references.split(".")[0],
                                                     "fields": column.references.split(".")[1]}}
               for column in table.columns if column.references and with_foreign_keys]
    if foreign:
        schema["foreignKeys"] = foreign
    return schema


def resource(name: str, path: str, table: Table, with_foreign_keys: bool = True) -> dict:
    """One CSV file as a tabular data resource."""
    return {"name": name, "path": path, "profile": "tabular-data-resource", "format": "csv",
            "mediatype": "text/csv", "encoding": "utf-8",
            "dialect": {"csv": {"delimiter": ",", "quoteChar": '"', "doubleQuote": True}},
            "schema": table_schema(table, with_foreign_keys)}


def data_package(data_dir: Path = ROOT / "data") -> dict:
    """The whole descriptor: the book's tables (those present) and its coding files."""
    resources = [resource(table.name, f"data/{table.file_name}", table)
                 for table in TABLES if (data_dir / table.file_name).exists()]
    resources += [resource(name, f"data/coding/{name}.csv", table, with_foreign_keys=table is not REVIEW_LOG)
                  for name, table in CODING_FILES.items() if (data_dir / "coding" / f"{name}.csv").exists()]
    return {
        "profile": "tabular-data-package",
        "name": "ukraine-negotiations-book-data",
        "title": "Negotiating the End of the War in Ukraine: coded positions, quotes, figures and events",
        "description": ("Positions of the parties to the Russia–Ukraine negotiations, coded on ordered issue "
                        "scales from US-published news and opinion texts, with the verbatim excerpts they rest on, "
                        "the numbers and events the texts give, and the reliability codings. The codebook is "
                        "data/README.md."),
        "version": book_version(),
        "licenses": [{"name": "CC-BY-4.0", "title": "Creative Commons Attribution 4.0",
                      "path": "https://creativecommons.org/licenses/by/4.0/"}],
        "resources": resources,
    }


def descriptor_text(data_dir: Path = ROOT / "data") -> str:
    """``datapackage.json`` as it is committed: indented, keys in schema order, trailing newline."""
    return json.dumps(data_package(data_dir), indent=2, ensure_ascii=False) + "\n"
