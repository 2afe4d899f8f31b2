"""CITATION.cff is valid CFF 1.2.0, and the book's version is one number everywhere it is stated."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import yaml

from utils.scope import book_version

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = json.loads((ROOT / "tests" / "vendor" / "cff" / "schema-1.2.0.json").read_text(encoding="utf-8"))


def citation() -> dict:
    return yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))


def test_citation_is_valid_cff_1_2() -> None:
    jsonschema.validate(citation(), SCHEMA)


def test_the_schema_check_can_fail() -> None:
    broken = {**citation()}
    del broken["authors"]
    assert list(jsonschema.Draft7Validator(SCHEMA).iter_errors(broken))


def test_one_version_everywhere() -> None:
    version = book_version()
    assert citation()["version"] == version
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert re.search(r"^## (\S+) ", changelog, re.M).group(1) == version, "CHANGELOG's newest entry"
    assert json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))["version"] == version
