"""Load the book's CSV tables into typed DataFrames, validating as we go.

Everything that can be wrong with a data file stops the load with one
:class:`DataError` whose message names the file, the CSV line and the column,
so that a student or instructor editing ``data/`` sees at once what to fix.
Loading never writes to ``data/``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

import pandas as pd

from .schema import ADJUDICATION, CODING, REVIEW_LOG, TABLES, TABLES_BY_NAME, Column, Table

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
ID_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
DATE_PATTERN = re.compile(r"\d{4}-\d{2}-\d{2}")
NUMBER_PATTERN = re.compile(r"-?\d+(?:\.\d+)?")


#: (kind, sourcing) of a quote that can be an actor's own words: its named direct
#: quote, or, for a source's author coded as an actor, the author's own claim.
OWN_WORDS_QUOTES = {("direct quote", "named"), ("author's claim", "author's own")}


class DataError(ValueError):
    """A data file breaks a rule of the codebook.

    ``file``, ``line`` (the CSV line, 1 = header) and ``column`` say where.
    """

    def __init__(self, file: str, line: int, column: str, problem: str) -> None:
        self.file, self.line, self.column, self.problem = file, line, column, problem
        super().__init__(f"{file}, line {line}, column '{column}': {problem}")


@dataclass(frozen=True)
class BookData:
    """All eight tables, validated and typed."""

    sources: pd.DataFrame
    actors: pd.DataFrame
    issues: pd.DataFrame
    issue_levels: pd.DataFrame
    quotes: pd.DataFrame
    positions: pd.DataFrame
    figures: pd.DataFrame
    events: pd.DataFrame
    #: The cited outside events of the context chapter (empty when the folder has no context_events.csv).
    context_events: pd.DataFrame = field(default_factory=pd.DataFrame)
    #: Short labels ("Reuters, 2023") of the references.bib entries the tables cite, by key.
    reference_labels: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class _RawTable:
    """A table's cells as read, with the CSV line of every row."""

    table: Table
    rows: list[dict[str, str]]
    lines: list[int]

    def error(self, row_index: int, column: str, problem: str) -> DataError:
        return DataError(self.table.file_name, self.lines[row_index], column, problem)


def data_folder(data_dir: Path | str | None = None) -> Path:
    """The data folder: ``data_dir`` if given, else ``$BOOK_DATA_DIR`` if set, else the book's ``data/``."""
    return Path(data_dir or os.environ.get("BOOK_DATA_DIR") or DATA_DIR)


def load_data(data_dir: Path | str | None = None) -> BookData:
    """Read and validate every table in ``data_dir``.

    The default is the folder named by the environment variable
    ``BOOK_DATA_DIR`` if it is set (the benchmark builds copies of the book
    with their own data), else the book's own ``data/``.
    """
    folder = data_folder(data_dir)
    raw = {table.name: _read_table(folder / table.file_name, table) for table in TABLES}
    for table_data in raw.values():
        _check_cells(table_data)
        _check_unique_key(table_data)
    _check_references(raw)
    _check_scales(raw)
    _check_positions_on_scale(raw)
    _check_evidence_basis(raw)
    labels = _check_bibliography_keys(raw, folder)
    return BookData(**{name: _to_frame(table_data) for name, table_data in raw.items()},
                    reference_labels=labels)


def _read_table(path: Path, table: Table) -> _RawTable:
    """Decode ``path`` as UTF-8 and split it into rows, checking the header and row widths."""
    if not path.exists():
        if table.optional:
            return _RawTable(table, [], [])
        raise DataError(table.file_name, 0, "-", f"file not found in {path.parent}")
    text = _decode(path.read_bytes(), table.file_name)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader)
    except StopIteration:
        raise DataError(table.file_name, 1, "-", "the file is empty; a header row is required") from None
    except csv.Error as exc:
        raise DataError(table.file_name, 1, "-", f"unreadable CSV: {exc}") from None
    _check_header(table, header)
    rows: list[dict[str, str]] = []
    row_lines: list[int] = []
    while True:
        start_line = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise _unreadable_csv(text, table.file_name, header, start_line, exc) from None
        if not any(cell.strip() for cell in cells):
            continue  # a blank line
        if len(cells) != len(header):
            column = header[min(len(cells), len(header)) - 1]
            raise DataError(table.file_name, start_line, column,
                            f"{len(cells)} cells where the header has {len(header)} "
                            "(a stray or missing delimiter, or an unquoted comma?)")
        rows.append(dict(zip(header, cells)))
        row_lines.append(start_line)
    return _RawTable(table, rows, row_lines)


def _physical_lines(text: str) -> list[str]:
    """``text`` split at every line break the CSV reader counts: LF, CR LF and a lone CR."""
    return re.split(r"\r\n|\r|\n", text)


class _ReadingStop(NamedTuple):
    """Where reading CSV text from the start of a file stops: at the end of the text, or at the
    first text right after a closing quote (``"a"b``), which the strict CSV reader rejects."""

    cell: int  # the cell's index in its record, 0 for the first
    offset: int  # where that cell starts in the text
    in_quotes: bool  # the cell opened a quote that the text never closes
    after_closing_quote: bool  # reading stopped at text right after the cell's closing quote


def _reading_stop(text: str) -> _ReadingStop:
    """Follow the CSV reader's quoting rules through ``text``: a quote opens a cell only at the
    cell's start, ``""`` inside quotes is one quote, and a comma or line break ends a cell (and a
    line break its record) only outside quotes."""
    cell = offset = 0
    in_quotes = just_closed = False
    for index, char in enumerate(text):
        if just_closed and char not in ',"\r\n':
            return _ReadingStop(cell, offset, in_quotes, after_closing_quote=True)
        if char == '"' and (in_quotes or just_closed or index == offset):
            in_quotes, just_closed = not in_quotes, in_quotes
            continue
        just_closed = False
        if not in_quotes and char == ",":
            cell, offset = cell + 1, index + 1
        elif not in_quotes and char in "\r\n":
            cell, offset = 0, index + 1
    return _ReadingStop(cell, offset, in_quotes, after_closing_quote=False)


def _column_name(header: list[str], cell: int) -> str:
    """The header name of cell number ``cell``, or "-" for a cell beyond the header."""
    return header[cell] if cell < len(header) else "-"


def _unreadable_csv(text: str, file_name: str, header: list[str], start_line: int,
                    exc: csv.Error) -> DataError:
    """The error for the record starting on ``start_line`` that the strict CSV reader rejects. For
    a quote that is never closed, or text right after a closing quote, it names the line where the
    faulty cell starts and its column; for anything else (a cell over the reader's size limit),
    the record's line."""
    stop = _reading_stop(text)
    line = len(_physical_lines(text[: stop.offset]))
    column = _column_name(header, stop.cell)
    if stop.after_closing_quote:
        problem = ("text follows the closing quote of this cell; "
                   "put the whole cell in quotes and double every quote inside it")
    elif stop.in_quotes:
        problem = "a quote opened in this cell is never closed"
    else:
        return DataError(file_name, start_line, "-", f"unreadable CSV ({exc})")
    return DataError(file_name, line, column, f"unreadable CSV ({exc}): {problem}")


def _decode(data: bytes, file_name: str) -> str:
    """Decode UTF-8 strictly; on failure say on which line and in which cell."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = data[: exc.start].decode("utf-8")  # valid: it ends where the first bad byte starts
        stop = _reading_stop(before)
        in_a_row = len(_physical_lines(before[: stop.offset])) > 1 and not stop.after_closing_quote
        column = _column_name(_physical_lines(before)[0].split(","), stop.cell) if in_a_row else "-"
        raise DataError(file_name, len(_physical_lines(before)), column,
                        f"byte {data[exc.start]:#x} is not UTF-8; save the file as UTF-8") from None
    return text.removeprefix("\ufeff")


def _check_header(table: Table, header: list[str]) -> None:
    expected = table.column_names
    seen: set[str] = set()
    for name in header:
        if name in seen:
            raise DataError(table.file_name, 1, name, "column appears twice in the header")
        seen.add(name)
        if name not in expected:
            raise DataError(table.file_name, 1, name,
                            f"unexpected column; the columns are {', '.join(expected)}")
    for name in expected:
        if name not in seen:
            raise DataError(table.file_name, 1, name, "required column is missing from the header")


def _check_cells(raw: _RawTable) -> None:
    for index, row in enumerate(raw.rows):
        for column in raw.table.columns:
            value = row[column.name]
            if not value.strip():
                if column.required:
                    raise raw.error(index, column.name, "empty cell; a value is required")
                continue
            if value != value.strip():
                raise raw.error(index, column.name, f"leading or trailing white space in {value!r}")
            problem = _cell_problem(column, value)
            if problem:
                raise raw.error(index, column.name, problem)
        for date_column, precision_column in raw.table.date_precision_of.items():
            if row[precision_column] == "month" and not row[date_column].endswith("-01"):
                raise raw.error(index, date_column,
                                "a date of precision 'month' must use day 01")


def _cell_problem(column: Column, value: str) -> str | None:
    """What is wrong with one non-empty cell, or None."""
    if column.kind == "id" and not ID_PATTERN.fullmatch(value):
        return f"{value!r} is not a kebab-case id (lower-case letters, digits, single hyphens)"
    if column.kind == "date":
        if not DATE_PATTERN.fullmatch(value):
            return f"{value!r} is not an ISO date (YYYY-MM-DD)"
        try:
            dt.date.fromisoformat(value)
        except ValueError:
            return f"{value!r} is not a real calendar date"
    if column.kind == "int" and not re.fullmatch(r"-?\d+", value):
        return f"{value!r} is not a whole number"
    if column.kind == "number" and not NUMBER_PATTERN.fullmatch(value):
        return f"{value!r} is not a number (digits and one decimal point, no units or commas)"
    if column.kind == "bool" and value not in ("true", "false"):
        return f"{value!r} is not true or false"
    if column.kind == "choice" and value not in column.choices:
        return f"{value!r} is not one of: {', '.join(column.choices)}"
    if column.kind == "url" and not value.startswith("https://"):
        return f"{value!r} is not an https:// address"
    if column.kind == "sha256" and not re.fullmatch(r"[0-9a-f]{64}", value):
        return f"{value!r} is not a SHA-256 digest (64 lower-case hexadecimal digits)"
    return None


def _check_unique_key(raw: _RawTable) -> None:
    seen: dict[tuple[str, ...], int] = {}
    for index, row in enumerate(raw.rows):
        key = tuple(row[name] for name in raw.table.key)
        if key in seen:
            raise raw.error(index, raw.table.key[-1],
                            f"duplicate id {'/'.join(key)!r} (first on line {seen[key]})")
        seen[key] = raw.lines[index]


def _check_references(raw: dict[str, _RawTable]) -> None:
    for table_data in raw.values():
        for column in table_data.table.columns:
            if column.references is None:
                continue
            target_table, target_column = column.references.split(".")
            known = {row[target_column] for row in raw[target_table].rows}
            for index, row in enumerate(table_data.rows):
                if row[column.name] and row[column.name] not in known:
                    raise table_data.error(index, column.name,
                                           f"unknown {target_column} {row[column.name]!r} "
                                           f"(not in {target_table}.csv)")


def _check_scales(raw: dict[str, _RawTable]) -> None:
    """Every issue has a scale of at least two levels numbered 1, 2, … with no gaps."""
    levels_table = raw["issue_levels"]
    by_issue: dict[str, list[int]] = {}
    for row in levels_table.rows:
        by_issue.setdefault(row["issue_id"], []).append(int(row["level"]))
    for index, row in enumerate(raw["issues"].rows):
        levels = sorted(by_issue.get(row["issue_id"], []))
        if len(levels) < 2:
            raise raw["issues"].error(index, "issue_id",
                                      f"issue {row['issue_id']!r} has {len(levels)} level(s) in "
                                      "issue_levels.csv; at least 2 are required")
        if levels != list(range(1, len(levels) + 1)):
            first_bad = next(level for position, level in enumerate(levels, 1) if level != position)
            line_index = next(i for i, r in enumerate(levels_table.rows)
                              if r["issue_id"] == row["issue_id"] and int(r["level"]) == first_bad)
            raise levels_table.error(line_index, "level",
                                     f"levels of {row['issue_id']!r} must run 1, 2, 3, … "
                                     f"without gaps; found {levels}")


def _check_positions_on_scale(raw: dict[str, _RawTable]) -> None:
    scale_top: dict[str, int] = {}
    for row in raw["issue_levels"].rows:
        scale_top[row["issue_id"]] = max(scale_top.get(row["issue_id"], 0), int(row["level"]))
    positions = raw["positions"]
    blocs = {row["actor_id"]: row["bloc"] for row in raw["actors"].rows}
    for index, row in enumerate(positions.rows):
        if row["level"] and not 1 <= int(row["level"]) <= scale_top[row["issue_id"]]:
            raise positions.error(index, "level",
                                  f"level {row['level']} is off the scale of {row['issue_id']!r} "
                                  f"(1 to {scale_top[row['issue_id']]})")
        problem = _rules_out_problem(row, blocs[row["actor_id"]], scale_top[row["issue_id"]])
        if problem:
            raise positions.error(index, "rules_out", problem)


#: The side of its level every red line of Ukraine's or Russia's bloc rules out.
SIDE_RULES_OUT = {"Ukraine": "above", "Russia": "below"}


def implied_rules_out(bloc: str, level: int, top: int) -> str | None:
    """Which side of ``level`` a red line of ``bloc`` rules out where codebook rule 6 says it:
    Ukraine's bloc the levels above, Russia's those below, any red line at level 1 the levels
    above and at the ``top`` those below; None where the coder must record it (``rules_out``)."""
    return SIDE_RULES_OUT.get(bloc) or ("above" if level == 1 else "below" if level == top else None)


def _rules_out_problem(row: dict[str, str], bloc: str, top: int) -> str | None:
    """Codebook rule 6: ``rules_out`` says which side of its level a red line rules out. The rules
    say it for Ukraine's bloc (the levels above), Russia's (those below), a red line at level 1
    (above) and one at the top (below); every other red line with a level must record it, and no
    row that is not a red line with a level may."""
    given = row["rules_out"]
    if row["stance"] != "red-line" or not row["level"]:
        return "only a red line with a level rules levels out; leave rules_out empty" if given else None
    level = int(row["level"])
    implied = implied_rules_out(bloc, level, top)
    if implied is None and not given:
        return (f"a red line of a third party at level {level}, inside the scale, must say which side it "
                "rules out: above or below (rule 6)")
    if implied is not None and given and given != implied:
        return f"a red line of this actor at level {level} can only rule out the levels {implied} it (rule 6)"
    return None


def _check_evidence_basis(raw: dict[str, _RawTable]) -> None:
    """Codebook rules 2 and 3: ``own words`` is the actor's own named direct quote,
    and no state is coded from the words of its own unnamed officials."""
    quotes = {row["quote_id"]: row for row in raw["quotes"].rows}
    actors = {row["actor_id"]: row for row in raw["actors"].rows}
    positions = raw["positions"]
    for index, row in enumerate(positions.rows):
        quote = quotes[row["quote_id"]]
        if row["basis"] == "own words":
            if quote["speaker_id"] != row["actor_id"]:
                raise positions.error(index, "basis",
                                      f"'own words' needs the actor's own quote, but {row['quote_id']!r} "
                                      f"is spoken by {quote['speaker_id']!r}; use 'reported'")
            if (quote["kind"], quote["sourcing"]) not in OWN_WORDS_QUOTES:
                raise positions.error(index, "basis",
                                      f"'own words' needs a named direct quote (or an author's own claim), but "
                                      f"{row['quote_id']!r} is {quote['kind']!r} ({quote['sourcing']}); use 'reported'")
        actor, speaker = actors[row["actor_id"]], actors[quote["speaker_id"]]
        if (quote["sourcing"] == "anonymous official" and actor["kind"] == "state"
                and speaker["bloc"] == actor["bloc"]):
            raise positions.error(index, "actor_id",
                                  f"{row['actor_id']!r} is a state, but the evidence {row['quote_id']!r} "
                                  "is its own unnamed officials' words; code it to their anon-… actor")


def _check_bibliography_keys(raw: dict[str, _RawTable], folder: Path) -> dict[str, str]:
    """Every ``reference`` names an entry of ``references.bib`` beside the data folder.

    Returns the short label of every cited entry, by key.
    """
    from .references import bibliography_path, read_bibliography, short_label

    keys: dict[str, dict[str, str]] | None = None
    labels: dict[str, str] = {}
    for table_data in raw.values():
        if "reference" not in table_data.table.column_names:
            continue
        for index, row in enumerate(table_data.rows):
            if not row["reference"]:
                continue
            if keys is None:
                path = bibliography_path(folder)
                if not path.exists():
                    raise table_data.error(index, "reference", f"no references.bib beside {folder} to look up "
                                                               f"{row['reference']!r} in")
                keys = read_bibliography(path)
            if row["reference"] not in keys:
                raise table_data.error(index, "reference", f"{row['reference']!r} is not a key of references.bib")
            labels[row["reference"]] = short_label(keys[row["reference"]])
    return labels


def load_coding(path: Path | str, data: BookData) -> pd.DataFrame:
    """Read and validate one coder's coding (``data/coding/first-coder.csv`` or ``second-coder.csv``).

    Same errors as the book's tables (file, line, column): header, cells and
    choices; every id must exist in ``data``; the quote must come from the row's
    source; the level must be on the issue's scale; ``own words`` needs the
    actor's own named direct quote (codebook rule 3).
    """
    path = Path(path)
    table = Table(path.stem, CODING.columns, sort_by_key=False)
    raw = _read_table(path, table)
    _check_cells(raw)
    known = {"sources.source_id": set(data.sources["source_id"]), "actors.actor_id": set(data.actors["actor_id"]),
             "issues.issue_id": set(data.issues["issue_id"]), "quotes.quote_id": set(data.quotes["quote_id"])}
    quotes = data.quotes.set_index("quote_id")
    top = data.issue_levels.groupby("issue_id")["level"].max()
    for index, row in enumerate(raw.rows):
        for column in table.columns:
            if column.references and row[column.name] not in known[column.references]:
                target_table, target_column = column.references.split(".")
                raise raw.error(index, column.name, f"unknown {target_column} {row[column.name]!r} "
                                                    f"(not in {target_table}.csv)")
        quote = quotes.loc[row["quote_id"]]
        if quote["source_id"] != row["source_id"]:
            raise raw.error(index, "quote_id", f"{row['quote_id']!r} comes from {quote['source_id']!r}, "
                                               f"not from {row['source_id']!r}")
        if row["level"] and not 1 <= int(row["level"]) <= int(top[row["issue_id"]]):
            raise raw.error(index, "level", f"level {row['level']} is off the scale of {row['issue_id']!r} "
                                            f"(1 to {int(top[row['issue_id']])})")
        if row["basis"] == "own words" and (
                quote["speaker_id"] != row["actor_id"] or (quote["kind"], quote["sourcing"]) not in OWN_WORDS_QUOTES):
            raise raw.error(index, "basis", f"'own words' needs the actor's own named direct quote; "
                                            f"{row['quote_id']!r} is not; use 'reported'")
    return _to_frame(raw)


def load_review_log(path: Path | str) -> pd.DataFrame:
    """Read and validate a review log (``data/coding/review-YYYY-MM-DD.csv``).

    Same checks and errors as the book's tables: header, cells, choices and
    duplicate (where, finding) pairs. Returns the rows in file order.
    """
    return _load_log(Path(path), REVIEW_LOG)


def load_adjudication(path: Path | str) -> pd.DataFrame:
    """Read and validate an adjudication log (``data/coding/adjudication-YYYY-MM-DD.csv``)."""
    return _load_log(Path(path), ADJUDICATION)


def _load_log(path: Path, schema: Table) -> pd.DataFrame:
    """A log file checked like the book's tables: header, cells, choices, unique keys; file order kept."""
    table = Table(path.stem, schema.columns, schema.key, sort_by_key=False)
    raw = _read_table(path, table)
    _check_cells(raw)
    _check_unique_key(raw)
    return _to_frame(raw)


def _to_frame(raw: _RawTable) -> pd.DataFrame:
    """Turn validated cells into a DataFrame with proper dtypes, sorted by key."""
    frame = pd.DataFrame(raw.rows, columns=list(raw.table.column_names), dtype="string")
    for column in raw.table.columns:
        values = frame[column.name].replace("", pd.NA)
        if column.kind == "date":
            frame[column.name] = pd.to_datetime(values, format="%Y-%m-%d")
        elif column.kind == "int":
            frame[column.name] = pd.to_numeric(values).astype("Int64")
        elif column.kind == "number":
            frame[column.name] = pd.to_numeric(values).astype("float64")
        elif column.kind == "bool":
            frame[column.name] = values.eq("true").astype("bool")
        elif not column.required:
            frame[column.name] = values
    if raw.table.sort_by_key:
        frame = frame.sort_values(list(raw.table.key), ignore_index=True)
    return frame


def table_names() -> tuple[str, ...]:
    """The names of the tables, in load order."""
    return tuple(TABLES_BY_NAME)
