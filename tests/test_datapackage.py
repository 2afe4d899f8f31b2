"""datapackage.json: generated from the schema, committed as generated, and valid against the CSV files."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import frictionless

from utils.datapackage import data_package, descriptor_text

ROOT = Path(__file__).resolve().parents[1]


def test_the_committed_descriptor_is_what_the_schema_gives() -> None:
    committed = (ROOT / "datapackage.json").read_text(encoding="utf-8")
    assert committed == descriptor_text(), "datapackage.json is stale: run python scripts/datapackage.py"


def test_every_csv_in_data_is_a_resource() -> None:
    described = {resource["path"] for resource in data_package()["resources"]}
    shipped = {str(path.relative_to(ROOT)) for path in (ROOT / "data").rglob("*.csv")}
    assert described == shipped


def test_the_data_are_valid_against_the_package() -> None:
    report = frictionless.validate(str(ROOT / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "message"])[:5]


def test_the_package_catches_a_value_off_the_list(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "data", tmp_path / "data")
    (tmp_path / "datapackage.json").write_text(descriptor_text(tmp_path / "data"), encoding="utf-8")
    path = tmp_path / "data" / "positions.csv"
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    rows[5][rows[0].index("stance")] = "wish"
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)
    report = frictionless.validate(str(tmp_path / "datapackage.json"))
    failing = {task.name: task.flatten(["rowNumber", "fieldName", "type"]) for task in report.tasks if not task.valid}
    assert failing == {"positions": [[6, "stance", "constraint-error"]]}
