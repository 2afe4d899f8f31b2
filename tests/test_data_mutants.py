"""What the loader of ``utils/data.py`` tells an editor of ``data/``, worked out by hand.

``tests/test_data_errors.py`` checks that each broken file is caught at the right file,
line and column. These tests pin down the rest of what a student or instructor relies on:
the whole wording of each error, the column named when a file is not UTF-8 or a quote is
never closed (whatever the row, the line endings or a byte-order mark), blank lines and
multi-line cells, scales listed out of order, references looked up row by row, the types
of the loaded columns, and review logs kept in file order. Written to kill the mutants
``make mutation`` found surviving; every expected value is written out from
``tests/fixtures/valid``.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from tests.fixture_data import fixture_copy
from utils import DataError, load_data
from utils.data import _reading_stop, load_review_log

FIXTURE = Path(__file__).parent / "fixtures" / "valid"

QUOTES_HEADER = "quote_id,source_id,speaker_id,text,kind,sourcing\n"
QUOTE_ALPHA = '2022-11-alpha-q01,2022-11-alpha,ukraine,"We want it all back, every village.",direct quote,named\n'
NEVER_CLOSED = "unreadable CSV (unexpected end of data): a quote opened in this cell is never closed"


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return fixture_copy(FIXTURE, tmp_path / "data")


def edit(folder: Path, file_name: str, old: str, new: str) -> None:
    """Replace ``old`` (which must occur exactly once) by ``new`` in a data file."""
    path = folder / file_name
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"fixture text {old!r} must occur once in {file_name}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def load_error(folder: Path) -> DataError:
    with pytest.raises(DataError) as caught:
        load_data(folder)
    return caught.value


# Each case: the edits (file, old text, new text) and the whole message of the error.
MESSAGES = {
    "empty required cell": (
        [("quotes.csv", '"We want it all back, every village."', "")],
        "quotes.csv, line 2, column 'text': empty cell; a value is required"),
    "month date not on day 01": (
        [("sources.csv", "2023-11-01,month", "2023-11-04,month")],
        "sources.csv, line 3, column 'published': a date of precision 'month' must use day 01"),
    "column twice": (
        [("issues.csv", "issue_id,label,question", "issue_id,label,label")],
        "issues.csv, line 1, column 'label': column appears twice in the header"),
    "unexpected column lists the real ones": (
        [("issues.csv", "issue_id,label,question,kind", "issue_id,label,question,colour")],
        "issues.csv, line 1, column 'colour': unexpected column; the columns are issue_id, label, question, kind"),
    "missing column": (
        [("actors.csv", "actor_id,name,kind,bloc,role", "actor_id,name,kind,bloc")],
        "actors.csv, line 1, column 'role': required column is missing from the header"),
    "duplicate two-part key": (
        [("issue_levels.csv", "territory,2,Freeze", "territory,1,Freeze")],
        "issue_levels.csv, line 3, column 'level': duplicate id 'territory/1' (first on line 2)"),
    "stray delimiter": (
        [("issues.csv", "NATO,Does Ukraine join?", "NATO,Does Ukraine, join?")],
        "issues.csv, line 3, column 'kind': 5 cells where the header has 4 "
        "(a stray or missing delimiter, or an unquoted comma?)"),
    "issue without any level": (
        [("issue_levels.csv", "nato-membership,1,Join,Ukraine joins.\n"
                              "nato-membership,2,Path,Path kept.\n"
                              "nato-membership,3,Renounce,Ukraine renounces.\n", "")],
        "issues.csv, line 3, column 'issue_id': issue 'nato-membership' has 0 level(s) in "
        "issue_levels.csv; at least 2 are required"),
    "state coded from its own unnamed officials": (
        [("quotes.csv", 'village.",direct quote,named', 'village.",direct quote,anonymous official'),
         ("positions.csv", "1,goal,own words,", "1,goal,reported,")],
        "positions.csv, line 2, column 'actor_id': 'ukraine' is a state, but the evidence "
        "'2022-11-alpha-q01' is its own unnamed officials' words; code it to their anon-… actor"),
    "digest in upper case": (
        [("sources.csv", "First source.,,", "First source.,," + "AB" * 32)],
        "sources.csv, line 2, column 'text_sha256': '" + "AB" * 32 + "' is not a SHA-256 digest "
        "(64 lower-case hexadecimal digits)"),
    "level above a scale listed out of order": (
        [("issue_levels.csv", "territory,2,Freeze,Line frozen.\nterritory,3,All to Russia,Russia keeps all.\n",
          "territory,3,All to Russia,Russia keeps all.\nterritory,2,Freeze,Line frozen.\n"),
         ("positions.csv", "russia,territory,3", "russia,territory,4")],
        "positions.csv, line 3, column 'level': level 4 is off the scale of 'territory' (1 to 3)"),
}


@pytest.mark.parametrize("case", sorted(MESSAGES), ids=sorted(MESSAGES))
def test_error_message_is_written_out_in_full(data_dir: Path, case: str) -> None:
    edits, message = MESSAGES[case]
    for file_name, old, new in edits:
        edit(data_dir, file_name, old, new)
    assert str(load_error(data_dir)) == message


def test_a_scale_listed_out_of_order_runs_to_its_highest_level(data_dir: Path) -> None:
    edit(data_dir, "issue_levels.csv", "territory,1,All back,Ukraine regains all.\n"
                                       "territory,2,Freeze,Line frozen.\n"
                                       "territory,3,All to Russia,Russia keeps all.\n",
         "territory,2,Freeze,Line frozen.\n"
         "territory,3,All to Russia,Russia keeps all.\n"
         "territory,1,All back,Ukraine regains all.\n")
    data = load_data(data_dir)  # listed 2, 3, 1: Russia's level 3 is still on the scale
    assert data.positions["level"].tolist()[:2] == [1, 3]


def test_missing_file_names_the_folder_it_looked_in(data_dir: Path) -> None:
    (data_dir / "events.csv").unlink()
    error = load_error(data_dir)
    assert (error.file, error.line, error.column) == ("events.csv", 0, "-")
    assert str(error) == f"events.csv, line 0, column '-': file not found in {data_dir}"


def test_empty_file_asks_for_a_header(data_dir: Path) -> None:
    (data_dir / "figures.csv").write_text("", encoding="utf-8")
    assert str(load_error(data_dir)) == "figures.csv, line 1, column '-': the file is empty; a header row is required"


def test_unreadable_header_is_line_1_without_a_column(data_dir: Path) -> None:
    edit(data_dir, "actors.csv", "actor_id,name", '"actor_id,name')  # the quote runs to the end of the file
    error = load_error(data_dir)
    assert (error.file, error.line, error.column) == ("actors.csv", 1, "-")
    assert str(error) == "actors.csv, line 1, column '-': unreadable CSV: unexpected end of data"


# Each case: the replacements made in the bytes of actors.csv (ä written as the Latin-1 byte 0xe4),
# then the line and column the error names.
NOT_UTF8 = {
    "in the header": ([(b"actor_id,name", b"actor_id,n\xe4me")], 1, "-"),
    "on the first row": ([(b"russia,Russia,", b"russia,Russi\xe4,")], 2, "name"),
    "in the last cell, after a cell with a space": ([(b"Commentator.", b"Comment\xe4tor.")], 4, "role"),
    "after one cell too many": ([(b"independent,Commentator.", b"independent,Commentator.,\xe4")], 4, "-"),
    # The encoding is checked before the header, and the column is named as the header spells it.
    "under a header name with a space": (
        [(b"actor_id,name,", b"actor_id,full name,"), (b"russia,Russia,", b"russia,Russi\xe4,")], 2, "full name"),
}


@pytest.mark.parametrize("case", sorted(NOT_UTF8), ids=sorted(NOT_UTF8))
def test_a_byte_that_is_not_utf8_names_its_line_and_column(data_dir: Path, case: str) -> None:
    replacements, line, column = NOT_UTF8[case]
    path = data_dir / "actors.csv"
    data = path.read_bytes()
    for old, new in replacements:
        assert data.count(old) == 1, f"fixture bytes {old!r} must occur once in actors.csv"
        data = data.replace(old, new)
    path.write_bytes(data)
    assert str(load_error(data_dir)) == (
        f"actors.csv, line {line}, column '{column}': byte 0xe4 is not UTF-8; save the file as UTF-8")


def test_a_byte_order_mark_is_ignored(data_dir: Path) -> None:
    path = data_dir / "actors.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())  # as Excel saves "CSV UTF-8"
    assert load_data(data_dir).actors["actor_id"].tolist() == ["russia", "ukraine", "analyst-a"]


# Each case: the file, its whole new text, and where the quote that is never closed was opened.
UNCLOSED = {
    "after a closed quote holding a comma, on the last line": (
        "quotes.csv", QUOTES_HEADER + QUOTE_ALPHA
        + '2023-11-beta-q01,2023-11-beta,russia,"The four, regions",reported speech,"named',
        3, "sourcing"),
    "at the very start of a line": (
        "quotes.csv", QUOTES_HEADER + QUOTE_ALPHA
        + '"2023-11-beta-q01,2023-11-beta,russia,The four regions are ours.,reported speech,named\n',
        3, "quote_id"),
    "after one cell too many, which no column names": (
        "issues.csv", "issue_id,label,question,kind\n"
        'territory,Territory,Who holds what?,settlement,"extra\n',
        2, "-"),
}


@pytest.mark.parametrize("case", sorted(UNCLOSED), ids=sorted(UNCLOSED))
def test_an_unclosed_quote_names_the_cell_that_opens_it(data_dir: Path, case: str) -> None:
    file_name, text, line, column = UNCLOSED[case]
    (data_dir / file_name).write_bytes(text.encode("utf-8"))
    assert str(load_error(data_dir)) == f"{file_name}, line {line}, column '{column}': {NEVER_CLOSED}"


def test_an_unclosed_quote_after_mixed_line_endings_names_its_line_and_cell(data_dir: Path) -> None:
    # Line 1 ends with LF, line 2 with a lone CR (old Mac), line 3 with nothing: the CSV reader
    # counts three lines where the text has one LF, and the cell is read on the third.
    text = (QUOTES_HEADER + QUOTE_ALPHA.replace("\n", "\r")
            + '2023-11-beta-q01,2023-11-beta,russia,"The four regions are ours.,reported speech,named')
    (data_dir / "quotes.csv").write_bytes(text.encode("utf-8"))
    assert str(load_error(data_dir)) == f"quotes.csv, line 3, column 'text': {NEVER_CLOSED}"


AFTER_CLOSING_QUOTE = ("text follows the closing quote of this cell; "
                       "put the whole cell in quotes and double every quote inside it")
QUOTE_BETA_QUOTED = '2023-11-beta-q01,2023-11-beta,russia,"The four regions are ours.",reported speech,named\n'

# Each case: the whole new text of quotes.csv, the reader's own message, the problem named, and
# the line and column of the cell at fault (the line where that cell starts).
QUOTING_PROBLEMS = {
    "text after a closing quote": (
        QUOTES_HEADER + QUOTE_ALPHA + QUOTE_BETA_QUOTED.replace('ours."', 'ours." (sic)'),
        "',' expected after '\"'", AFTER_CLOSING_QUOTE, 3, "text"),
    "text after a closing quote, in a cell that starts a line earlier": (
        QUOTES_HEADER + QUOTE_ALPHA.replace("back, every", "back,\nevery").replace('village."', 'village."!'),
        "',' expected after '\"'", AFTER_CLOSING_QUOTE, 2, "text"),
    # A doubled quote inside quotes is one quote, not the end of the cell: the comma after it
    # is inside the cell, and the quote that is never closed opens the next one.
    "a quote never closed after a cell holding a doubled quote and a comma": (
        QUOTES_HEADER + QUOTE_ALPHA.replace("want it", 'want ""it, all""').replace(
            "direct quote,named", '"direct quote,named'),
        "unexpected end of data", "a quote opened in this cell is never closed", 2, "kind"),
    # The record starts on line 2; its third line opens the quote that is never closed.
    "a quote never closed on the last line of a record that spans lines": (
        QUOTES_HEADER + QUOTE_ALPHA.replace("back, every", "back,\nevery\r\n").replace(
            "direct quote,named", 'direct quote,"named'),
        "unexpected end of data", "a quote opened in this cell is never closed", 4, "sourcing"),
}


@pytest.mark.parametrize("case", sorted(QUOTING_PROBLEMS), ids=sorted(QUOTING_PROBLEMS))
def test_a_quoting_problem_names_the_line_and_column_of_its_cell(data_dir: Path, case: str) -> None:
    text, reader_message, problem, line, column = QUOTING_PROBLEMS[case]
    (data_dir / "quotes.csv").write_bytes(text.encode("utf-8"))
    assert str(load_error(data_dir)) == (
        f"quotes.csv, line {line}, column '{column}': unreadable CSV ({reader_message}): {problem}")


def test_a_cell_over_the_readers_size_limit_names_its_record_line(data_dir: Path) -> None:
    # The limit is process-wide (other libraries raise it), so the test sets its own.
    text = QUOTES_HEADER + QUOTE_ALPHA + QUOTE_BETA_QUOTED.replace("ours.", "ours" + "." * 2_000)
    (data_dir / "quotes.csv").write_bytes(text.encode("utf-8"))
    limit = csv.field_size_limit(1_000)
    try:
        error = load_error(data_dir)
    finally:
        csv.field_size_limit(limit)
    assert str(error) == "quotes.csv, line 3, column '-': unreadable CSV (field larger than field limit (1000))"


def test_a_byte_that_is_not_utf8_after_a_doubled_quote_and_a_comma_names_the_quoted_cell(data_dir: Path) -> None:
    text = QUOTES_HEADER + QUOTE_ALPHA.replace("want it", 'want ""it, all""')
    (data_dir / "quotes.csv").write_bytes(text.encode("utf-8").replace(b"every village", b"every vill\xe4ge"))
    assert str(load_error(data_dir)) == (
        "quotes.csv, line 2, column 'text': byte 0xe4 is not UTF-8; save the file as UTF-8")


def test_a_byte_that_is_not_utf8_after_text_after_a_closing_quote_names_no_column(data_dir: Path) -> None:
    # Reading cells stops at the quoting fault, so the byte's cell is unknown; its line is still named.
    text = QUOTES_HEADER + QUOTE_ALPHA.replace('village."', 'village."!')
    (data_dir / "quotes.csv").write_bytes(text.encode("utf-8").replace(b"direct quote", b"direct qu\xe4te"))
    assert str(load_error(data_dir)) == (
        "quotes.csv, line 2, column '-': byte 0xe4 is not UTF-8; save the file as UTF-8")


def test_a_byte_that_is_not_utf8_in_a_file_saved_with_crlf_names_the_column_without_cr(data_dir: Path) -> None:
    path = data_dir / "actors.csv"
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n").replace(b"Commentator.", b"Comment\xe4tor."))
    assert str(load_error(data_dir)) == (
        "actors.csv, line 4, column 'role': byte 0xe4 is not UTF-8; save the file as UTF-8")


def test_a_byte_that_is_not_utf8_after_a_comma_inside_quotes_names_the_quoted_cell(data_dir: Path) -> None:
    path = data_dir / "quotes.csv"
    path.write_bytes((QUOTES_HEADER + QUOTE_ALPHA).encode("utf-8").replace(b"every village", b"every vill\xe4ge"))
    assert str(load_error(data_dir)) == (
        "quotes.csv, line 2, column 'text': byte 0xe4 is not UTF-8; save the file as UTF-8")


def test_a_file_with_cr_line_endings_loads(data_dir: Path) -> None:
    path = data_dir / "actors.csv"
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r"))
    assert load_data(data_dir).actors["name"].tolist() == ["Russia", "Ukraine", "Analyst A"]


def test_a_line_break_inside_a_cell_is_kept_as_written(data_dir: Path) -> None:
    path = data_dir / "quotes.csv"
    path.write_bytes(path.read_bytes().replace(b"The four regions are ours.", b'"The four\r\nregions are ours."'))
    quotes = load_data(data_dir).quotes
    assert quotes["text"].tolist() == ["We want it all back, every village.", "The four\r\nregions are ours."]


def test_rows_after_a_blank_line_are_read_with_their_own_line(data_dir: Path) -> None:
    edit(data_dir, "events.csv", "G20 summit in Bali,2022-11-alpha,\n", "G20 summit in Bali,2022-11-alpha,\n\n")
    edit(data_dir, "events.csv", "A poll,2023-11-beta", "A poll,2023-11-delta")
    assert str(load_error(data_dir)) == (
        "events.csv, line 4, column 'source_id': unknown source_id '2023-11-delta' (not in sources.csv)")


def test_a_reference_after_an_uncited_row_is_looked_up(data_dir: Path) -> None:
    (data_dir.parent / "references.bib").write_text(
        "@article{wire2023poll,\n  author = {A Wire},\n  year = {2023},\n}\n", encoding="utf-8")
    edit(data_dir, "events.csv", "A poll,2023-11-beta,", "A poll,2023-11-beta,wire2023poll")
    assert load_data(data_dir).reference_labels == {"wire2023poll": "A Wire, 2023"}  # row 1 cites nothing


def test_booleans_load_as_bool_not_as_numbers(data_dir: Path) -> None:
    column = load_data(data_dir).sources["has_reader_comments"]
    assert str(column.dtype) == "bool"
    assert column.tolist() == [False, True]


def test_a_review_log_keeps_the_order_of_the_file(tmp_path: Path) -> None:
    path = tmp_path / "review-2026-01-01.csv"
    path.write_text("where,finding,decision,reason\n"
                    "chapter b,Typo,fixed,Corrected.\n"
                    "chapter a,Wrong date,rejected,The date is right.\n", encoding="utf-8")
    assert load_review_log(path)["where"].tolist() == ["chapter b", "chapter a"]  # not sorted by key


def test_table_names_list_every_table_a_referenced_one_before_those_citing_it() -> None:
    # `make check-data` prints one line per table in this order.
    from utils.data import table_names

    assert table_names() == ("sources", "actors", "issues", "issue_levels", "quotes", "positions", "figures",
                             "events", "context_events")


# Each case: CSV text from the start of a file, and where reading it stops: the cell's index in its
# record, the offset where that cell starts, whether a quote is open, whether text follows a closing quote.
READING_STOPS = {
    "plain cells": ("Xa,Xb", (1, 3, False, False)),
    "a second record": ('a,"b,c"\r\nXd', (0, 9, False, False)),
    "a doubled quote inside quotes": ('a,"b""X,c', (1, 2, True, False)),
    "a capital X after a closing quote": ('a,"b"X,c', (1, 2, False, True)),
    "an empty quoted cell, then a line break": ('""\n', (0, 3, False, False)),
}


@pytest.mark.parametrize("case", sorted(READING_STOPS), ids=sorted(READING_STOPS))
def test_where_reading_stops(case: str) -> None:
    text, expected = READING_STOPS[case]
    assert _reading_stop(text) == expected
    assert [type(flag) for flag in _reading_stop(text)[2:]] == [bool, bool]


# Each case: the new last row of positions.csv (its cells after the actor: issue, level, stance and
# rules_out), and the whole error, or None where the row is valid. The fixture's NATO scale has 3 levels.
RULES_OUT = {
    "a third party's red line at the top, no side given": ("nato-membership,3,red-line,", None),
    "a third party's red line at the top, ruling out the levels below": ("nato-membership,3,red-line,below", None),
    "a third party's red line at the top, ruling out the levels above": (
        "nato-membership,3,red-line,above",
        "a red line of this actor at level 3 can only rule out the levels below it (rule 6)"),
    "a third party's red line at level 1, ruling out the levels below": (
        "nato-membership,1,red-line,below",
        "a red line of this actor at level 1 can only rule out the levels above it (rule 6)"),
    "a third party's red line inside the scale, no side given": (
        "nato-membership,2,red-line,",
        "a red line of a third party at level 2, inside the scale, must say which side it rules out: "
        "above or below (rule 6)"),
    "a third party's red line inside the scale, either side": ("nato-membership,2,red-line,above", None),
    "an expectation with a side": (
        "nato-membership,2,expectation,below", "only a red line with a level rules levels out; leave rules_out empty"),
}


@pytest.mark.parametrize("case", sorted(RULES_OUT), ids=sorted(RULES_OUT))
def test_which_side_a_red_line_rules_out(data_dir: Path, case: str) -> None:
    issue_level_stance, rules_out = RULES_OUT[case][0].rsplit(",", 1)
    issue, level, stance = issue_level_stance.split(",")
    row = (f"2023-11-beta-p09,analyst-a,{issue},{level},{stance},reported,2023-11-beta-q01,2023-11-01,month,,"
           f"Test.,{rules_out}\n")
    with (data_dir / "positions.csv").open("a", encoding="utf-8") as handle:
        handle.write(row)
    expected = RULES_OUT[case][1]
    if expected is None:
        assert load_data(data_dir).positions["position_id"].iloc[-1] == "2023-11-beta-p09"
    else:
        assert str(load_error(data_dir)) == f"positions.csv, line 5, column 'rules_out': {expected}"
