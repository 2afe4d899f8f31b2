"""Malformed data files: each case must fail with the exact file, line and column.

Every case copies the small valid fixture in ``tests/fixtures/valid`` to a
temporary folder, breaks one thing, and checks the :class:`DataError`.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from utils import DataError, load_data

FIXTURE = Path(__file__).parent / "fixtures" / "valid"


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    shutil.copytree(FIXTURE, folder)
    return folder


def edit(folder: Path, file_name: str, old: str, new: str) -> None:
    """Replace ``old`` (which must occur exactly once) by ``new`` in a data file."""
    path = folder / file_name
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"fixture text {old!r} must occur once in {file_name}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def append(folder: Path, file_name: str, line: str) -> None:
    with (folder / file_name).open("a", encoding="utf-8") as handle:
        handle.write(line + "\n")


def load_error(folder: Path) -> DataError:
    with pytest.raises(DataError) as caught:
        load_data(folder)
    return caught.value


def where(error: DataError) -> tuple[str, int, str]:
    return error.file, error.line, error.column


def test_fixture_is_valid(data_dir: Path) -> None:
    data = load_data(data_dir)
    assert len(data.positions) == 3


# Each case: (file, text to replace, replacement, expected (file, line, column), words in message)
CASES = {
    "missing column": (
        "actors.csv", "actor_id,name,kind,bloc,role", "actor_id,name,kind,bloc",
        ("actors.csv", 1, "role"), "missing"),
    "extra column": (
        "issues.csv", "issue_id,label,question", "issue_id,label,question,colour",
        ("issues.csv", 1, "colour"), "unexpected column"),
    "column twice": (
        "issues.csv", "issue_id,label,question", "issue_id,label,label",
        ("issues.csv", 1, "label"), "twice"),
    "bad date format": (
        "sources.csv", "2022-11-18,day", "18/11/2022,day",
        ("sources.csv", 2, "published"), "ISO date"),
    "impossible date": (
        "positions.csv", "2022-11-18,day,,Wants", "2022-02-30,day,,Wants",
        ("positions.csv", 2, "stated_on"), "real calendar date"),
    "month precision not on day 01": (
        "sources.csv", "2023-11-01,month", "2023-11-04,month",
        ("sources.csv", 3, "published"), "day 01"),
    "unknown actor in positions": (
        "positions.csv", "2023-11-beta-p01,russia", "2023-11-beta-p01,moscow",
        ("positions.csv", 3, "actor_id"), "unknown actor_id 'moscow'"),
    "unknown speaker in quotes": (
        "quotes.csv", "2023-11-beta,russia", "2023-11-beta,kremlin",
        ("quotes.csv", 3, "speaker_id"), "not in actors.csv"),
    "unknown source in quotes": (
        "quotes.csv", "2022-11-alpha-q01,2022-11-alpha,", "2022-11-alpha-q01,2022-11-gamma,",
        ("quotes.csv", 2, "source_id"), "unknown source_id"),
    "unknown issue": (
        "positions.csv", "ukraine,territory,1", "ukraine,borders,1",
        ("positions.csv", 2, "issue_id"), "unknown issue_id 'borders'"),
    "unknown quote": (
        "positions.csv", "1,goal,own words,2022-11-alpha-q01", "1,goal,own words,2022-11-alpha-q09",
        ("positions.csv", 2, "quote_id"), "not in quotes.csv"),
    "unknown source in figures": (
        "figures.csv", "2022-11-alpha-f01,2022-11-alpha,", "2022-11-alpha-f01,2021-01-x,",
        ("figures.csv", 2, "source_id"), "unknown source_id"),
    "unknown source in events": (
        "events.csv", "month,A poll,2023-11-beta", "month,A poll,2023-11-delta",
        ("events.csv", 3, "source_id"), "unknown source_id"),
    "level above the scale": (
        "positions.csv", "russia,territory,3", "russia,territory,4",
        ("positions.csv", 3, "level"), "off the scale"),
    "level zero": (
        "positions.csv", "ukraine,territory,1", "ukraine,territory,0",
        ("positions.csv", 2, "level"), "1 to 3"),
    "level not a number": (
        "positions.csv", "ukraine,territory,1", "ukraine,territory,high",
        ("positions.csv", 2, "level"), "whole number"),
    "duplicate id": (
        "actors.csv", "analyst-a,Analyst A", "russia,Analyst A",
        ("actors.csv", 4, "actor_id"), "duplicate id 'russia'"),
    "duplicate scale level": (
        "issue_levels.csv", "territory,2,Freeze", "territory,1,Freeze",
        ("issue_levels.csv", 3, "level"), "duplicate"),
    "gap in a scale": (
        "issue_levels.csv", "nato-membership,3,Renounce", "nato-membership,4,Renounce",
        ("issue_levels.csv", 7, "level"), "without gaps"),
    "empty quote text": (
        "quotes.csv", "\"We want it all back, every village.\"", "",
        ("quotes.csv", 2, "text"), "empty cell"),
    "blank-only cell": (
        "actors.csv", "Analyst A,analyst", "   ,analyst",
        ("actors.csv", 4, "name"), "empty cell"),
    "stray delimiter": (
        "issues.csv", "NATO,Does Ukraine join?", "NATO,Does Ukraine, join?",
        ("issues.csv", 3, "kind"), "5 cells where the header has 4"),
    "missing cell": (
        "events.csv", "2022-11-15,day,G20 summit in Bali,", "2022-11-15,day,",
        ("events.csv", 2, "source_id"), "5 cells where the header has 6"),
    "bad choice": (
        "quotes.csv", "direct quote,named", "quotation,named",
        ("quotes.csv", 2, "kind"), "is not one of"),
    "bad stance": (
        "positions.csv", ",expectation,", ",hope,",
        ("positions.csv", 4, "stance"), "goal, red-line, expectation"),
    "bad bloc": (
        "actors.csv", "analyst,independent", "analyst,neutral",
        ("actors.csv", 4, "bloc"), "is not one of"),
    "bad boolean": (
        "sources.csv", "news report,false", "news report,no",
        ("sources.csv", 2, "has_reader_comments"), "true or false"),
    "id not kebab-case": (
        "issues.csv", "territory,Territory", "Territory_Lines,Territory",
        ("issues.csv", 2, "issue_id"), "kebab-case"),
    "number with unit": (
        "figures.csv", ",400,", ",$400,",
        ("figures.csv", 2, "value"), "not a number"),
    "url without https": (
        "sources.csv", "https://example.org/a", "example.org/a",
        ("sources.csv", 2, "url"), "https://"),
    "padded cell": (
        "actors.csv", "ukraine,Ukraine,", "ukraine, Ukraine,",
        ("actors.csv", 3, "name"), "white space"),
    "unclosed quote": (
        "issues.csv", "territory,Territory,Who holds what?", "territory,\"Territory,Who holds what?",
        ("issues.csv", 2, "label"), "never closed"),
    "bad basis": (
        "positions.csv", "goal,own words,", "goal,own-words,",
        ("positions.csv", 2, "basis"), "is not one of"),
    "own words from another speaker": (
        "positions.csv", "1,goal,own words,2022-11-alpha-q01", "1,goal,own words,2023-11-beta-q01",
        ("positions.csv", 2, "basis"), "spoken by 'russia'"),
    "own words from a paraphrase": (
        "positions.csv", "3,goal,reported,", "3,goal,own words,",
        ("positions.csv", 3, "basis"), "needs a named direct quote"),
    "own words from an unnamed official": (
        "quotes.csv", "village.\",direct quote,named", "village.\",direct quote,anonymous official",
        ("positions.csv", 2, "basis"), "needs a named direct quote"),
    "stated month not on day 01": (
        "positions.csv", "2023-11-01,month,,Claims", "2023-11-04,month,,Claims",
        ("positions.csv", 3, "stated_on"), "day 01"),
    "rules_out on a goal": (
        "positions.csv", "Wants all territory back.,", "Wants all territory back.,above",
        ("positions.csv", 2, "rules_out"), "only a red line with a level"),
    "rules_out not in its choices": (
        "positions.csv", "Claims the four regions.,", "Claims the four regions.,up",
        ("positions.csv", 3, "rules_out"), "is not one of"),
    "rules_out against Russia's side": (
        "positions.csv", "3,goal,reported,2023-11-beta-q01,2023-11-01,month,,Claims the four regions.,",
        "2,red-line,reported,2023-11-beta-q01,2023-11-01,month,,Claims the four regions.,above",
        ("positions.csv", 3, "rules_out"), "can only rule out the levels below it"),
    "rules_out against a red line at level 1": (
        "positions.csv", "russia,nato-membership,,expectation,reported,2023-11-beta-q01,2023-11-01,month,,"
        "Level not fixed by the quote.,",
        "analyst-a,nato-membership,1,red-line,reported,2023-11-beta-q01,2023-11-01,month,,"
        "Level not fixed by the quote.,below",
        ("positions.csv", 4, "rules_out"), "can only rule out the levels above it"),
    "rules_out missing on a third party's red line inside the scale": (
        "positions.csv", "russia,nato-membership,,expectation,reported,2023-11-beta-q01,2023-11-01,month,,"
        "Level not fixed by the quote.,",
        "analyst-a,nato-membership,2,red-line,reported,2023-11-beta-q01,2023-11-01,month,,"
        "Level not fixed by the quote.,",
        ("positions.csv", 4, "rules_out"), "must say which side it rules out"),
    "bad stated precision": (
        "positions.csv", "2022-11-18,day,", "2022-11-18,daily,",
        ("positions.csv", 2, "stated_precision"), "is not one of"),
    "bad figure precision": (
        "figures.csv", "2022-11-04,day,", "2022-11-04,week,",
        ("figures.csv", 2, "as_of_precision"), "is not one of"),
    "reference not in the bibliography": (
        "events.csv", "G20 summit in Bali,2022-11-alpha,", "G20 summit in Bali,2022-11-alpha,nobody2099",
        ("events.csv", 2, "reference"), "references.bib"),
    "bad issue kind": (
        "issues.csv", "Does Ukraine join?,settlement", "Does Ukraine join?,terms",
        ("issues.csv", 3, "kind"), "is not one of"),
}


@pytest.mark.parametrize("case", sorted(CASES), ids=sorted(CASES))
def test_malformed_file_names_file_line_and_column(data_dir: Path, case: str) -> None:
    file_name, old, new, expected, words = CASES[case]
    edit(data_dir, file_name, old, new)
    error = load_error(data_dir)
    assert where(error) == expected
    assert words in str(error)
    assert str(error).startswith(f"{expected[0]}, line {expected[1]}, column '{expected[2]}'")


def test_wrong_encoding_names_line_and_column(data_dir: Path) -> None:
    path = data_dir / "actors.csv"
    path.write_bytes(path.read_bytes().replace("Analyst A".encode(), "Analyst \xc4".encode("latin-1")))
    error = load_error(data_dir)
    assert where(error) == ("actors.csv", 4, "name")
    assert "not UTF-8" in str(error)


def test_missing_file(data_dir: Path) -> None:
    (data_dir / "events.csv").unlink()
    error = load_error(data_dir)
    assert error.file == "events.csv" and "not found" in str(error)


def test_empty_file(data_dir: Path) -> None:
    (data_dir / "figures.csv").write_text("", encoding="utf-8")
    assert where(load_error(data_dir)) == ("figures.csv", 1, "-")


def test_a_state_is_never_coded_from_its_own_unnamed_officials(data_dir: Path) -> None:
    edit(data_dir, "quotes.csv", "village.\",direct quote,named", "village.\",direct quote,anonymous official")
    edit(data_dir, "positions.csv", "1,goal,own words,", "1,goal,reported,")
    error = load_error(data_dir)
    assert where(error) == ("positions.csv", 2, "actor_id")
    assert "anon-" in str(error)


def test_an_unnamed_official_may_report_the_other_side(data_dir: Path) -> None:
    edit(data_dir, "quotes.csv", "The four regions are ours.,reported speech,named",
         "The four regions are ours.,reported speech,anonymous official")
    edit(data_dir, "quotes.csv", "2023-11-beta,russia,", "2023-11-beta,analyst-a,")
    assert len(load_data(data_dir).positions) == 3  # russia coded from an analyst's unnamed source: allowed


def test_issue_with_too_short_scale(data_dir: Path) -> None:
    edit(data_dir, "issue_levels.csv", "nato-membership,3,Renounce,Ukraine renounces.\n", "")
    edit(data_dir, "issue_levels.csv", "nato-membership,2,Path,Path kept.\n", "")
    error = load_error(data_dir)
    assert where(error) == ("issues.csv", 3, "issue_id")
    assert "at least 2" in str(error)


def test_a_two_level_scale_is_valid(data_dir: Path) -> None:
    edit(data_dir, "issue_levels.csv", "nato-membership,3,Renounce,Ukraine renounces.\n", "")
    assert load_data(data_dir).issue_levels["issue_id"].value_counts()["nato-membership"] == 2


def test_line_numbers_count_multiline_cells(data_dir: Path) -> None:
    edit(data_dir, "quotes.csv", "The four regions are ours.", "\"The four\nregions are ours.\"")
    append(data_dir, "quotes.csv", "2023-11-beta-q02,2023-11-beta,russia,Text,speech,named")
    error = load_error(data_dir)
    assert where(error) == ("quotes.csv", 5, "kind")


def test_blank_lines_are_ignored(data_dir: Path) -> None:
    append(data_dir, "events.csv", "")
    assert len(load_data(data_dir).events) == 2


def test_loading_never_writes(data_dir: Path) -> None:
    before = {p.name: p.read_bytes() for p in data_dir.iterdir()}
    mtimes = {p.name: p.stat().st_mtime_ns for p in data_dir.iterdir()}
    load_data(data_dir)
    assert {p.name: p.read_bytes() for p in data_dir.iterdir()} == before
    assert {p.name: p.stat().st_mtime_ns for p in data_dir.iterdir()} == mtimes


def test_types(data_dir: Path) -> None:
    data = load_data(data_dir)
    assert str(data.positions["level"].dtype) == "Int64"
    assert data.positions["level"].isna().sum() == 1
    assert data.sources["published"].dtype.kind == "M"
    assert data.sources["has_reader_comments"].tolist() == [False, True]
    assert data.figures["value"].tolist() == [400.0]


def test_data_folder_from_environment(data_dir: Path, monkeypatch) -> None:
    monkeypatch.setenv("BOOK_DATA_DIR", str(data_dir))
    assert len(load_data().positions) == 3


def test_an_authors_own_claim_can_be_the_authors_own_words(data_dir: Path) -> None:
    append(data_dir, "actors.csv", "author-2022-11-alpha,Alpha's author,journalist,independent,Writer.")
    append(data_dir, "quotes.csv", "2022-11-alpha-q02,2022-11-alpha,author-2022-11-alpha,Talks now.,author's claim,author's own")
    append(data_dir, "positions.csv",
           "2022-11-alpha-p02,author-2022-11-alpha,territory,2,expectation,own words,2022-11-alpha-q02,2022-11-18,day,,Own view.,")
    assert "author-2022-11-alpha" in set(load_data(data_dir).positions["actor_id"])
