"""The data model: which tables exist, their columns, types and links.

One declaration per table; :mod:`utils.data` reads the CSV files against it.
The codebook (``data/README.md``) explains the same columns in prose, and a
test keeps the two in step.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

ColumnKind = Literal["id", "text", "date", "int", "number", "bool", "choice", "url", "sha256"]

ACTOR_KINDS = ("state", "government official", "legislator", "military",
               "international body", "analyst", "journalist", "outlet")
BLOCS = ("Russia", "Ukraine", "United States", "Europe", "NATO", "G7", "independent")
DATE_PRECISIONS = ("day", "month", "approx")
GENRES = ("news report", "reported newsletter", "opinion blog", "commentary")
QUOTE_KINDS = ("direct quote", "reported speech", "author's claim")
SOURCINGS = ("named", "anonymous official", "author's own")
STANCES = ("goal", "red-line", "expectation")
#: Which side of its level a red line rules out: the levels above it (towards Russia's end) or below.
RULES_OUT = ("above", "below")
#: Whose words the evidence for a position is (codebook rule 3).
BASES = ("own words", "reported", "inferred")
#: settlement: a term between Ukraine and Russia; process: how it is reached, or what surrounds it.
ISSUE_KINDS = ("settlement", "process")
#: What kind of outside event a row of context_events.csv is.
CONTEXT_KINDS = ("talks", "agreement", "battlefield", "statement", "report")
QUALIFIERS = ("exact", "approximately", "at most", "at least", "lower bound", "estimate", "claim")


@dataclass(frozen=True)
class Column:
    """One column of a table: its name, kind, and what a cell may hold."""

    name: str
    kind: ColumnKind = "text"
    required: bool = True
    choices: tuple[str, ...] = ()
    references: str | None = None  # "table.column" that every value must exist in


@dataclass(frozen=True)
class Table:
    """One CSV file in ``data/``: its columns and the column that is its key."""

    name: str
    columns: tuple[Column, ...]
    key: tuple[str, ...] = ()
    date_precision_of: dict[str, str] = field(default_factory=dict)
    #: False keeps the file's own row order (curated tables: actors, issues).
    sort_by_key: bool = True
    #: True for a table a data folder may lack: it then loads as an empty table.
    optional: bool = False

    @property
    def file_name(self) -> str:
        return f"{self.name}.csv"

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(column.name for column in self.columns)


TABLES: tuple[Table, ...] = (
    Table("sources", (
        Column("source_id", "id"),
        Column("title"),
        Column("outlet"),
        Column("short_name"),
        Column("authors"),
        Column("published", "date"),
        Column("date_precision", "choice", choices=DATE_PRECISIONS),
        Column("genre", "choice", choices=GENRES),
        Column("has_reader_comments", "bool"),
        Column("url", "url", required=False),
        Column("summary"),
        #: The captured text's file name in the source-texts folder, and the SHA-256 of
        #: its normalised text (utils.quotes), so anyone holding the same text can verify the quotes.
        Column("text_file", required=False),
        Column("text_sha256", "sha256", required=False),
    ), key=("source_id",), date_precision_of={"published": "date_precision"}),
    Table("actors", (
        Column("actor_id", "id"),
        Column("name"),
        Column("kind", "choice", choices=ACTOR_KINDS),
        Column("bloc", "choice", choices=BLOCS),
        Column("role"),
    ), key=("actor_id",), sort_by_key=False),
    Table("issues", (
        Column("issue_id", "id"),
        Column("label"),
        Column("question"),
        Column("kind", "choice", choices=ISSUE_KINDS),
    ), key=("issue_id",), sort_by_key=False),
    Table("issue_levels", (
        Column("issue_id", "id", references="issues.issue_id"),
        Column("level", "int"),
        Column("label"),
        Column("description"),
    ), key=("issue_id", "level"), sort_by_key=False),
    Table("quotes", (
        Column("quote_id", "id"),
        Column("source_id", "id", references="sources.source_id"),
        Column("speaker_id", "id", references="actors.actor_id"),
        Column("text"),
        Column("kind", "choice", choices=QUOTE_KINDS),
        Column("sourcing", "choice", choices=SOURCINGS),
    ), key=("quote_id",)),
    Table("positions", (
        Column("position_id", "id"),
        Column("actor_id", "id", references="actors.actor_id"),
        Column("issue_id", "id", references="issues.issue_id"),
        Column("level", "int", required=False),
        Column("stance", "choice", choices=STANCES),
        Column("basis", "choice", choices=BASES),
        Column("quote_id", "id", references="quotes.quote_id"),
        Column("stated_on", "date"),
        Column("stated_precision", "choice", choices=DATE_PRECISIONS),
        Column("reference", "id", required=False),
        Column("note"),
        #: Which side of its level a red line rules out (codebook rule 6), where the rules do not
        #: say: a red line of a third party at a level inside the scale.
        Column("rules_out", "choice", required=False, choices=RULES_OUT),
    ), key=("position_id",), date_precision_of={"stated_on": "stated_precision"}),
    Table("figures", (
        Column("figure_id", "id"),
        Column("source_id", "id", references="sources.source_id"),
        Column("metric"),
        Column("value", "number"),
        Column("unit"),
        Column("as_of", "date"),
        Column("as_of_precision", "choice", choices=DATE_PRECISIONS),
        Column("qualifier", "choice", choices=QUALIFIERS),
        Column("reference", "id", required=False),
        Column("quote"),
    ), key=("figure_id",), date_precision_of={"as_of": "as_of_precision"}),
    Table("events", (
        Column("event_id", "id"),
        Column("date", "date"),
        Column("date_precision", "choice", choices=DATE_PRECISIONS),
        Column("title"),
        Column("source_id", "id", references="sources.source_id"),
        Column("reference", "id", required=False),
    ), key=("event_id",), date_precision_of={"date": "date_precision"}),
    # The outside events the context chapter places the sources among: each one
    # is cited (``reference`` is required) and may be the same event as a row of
    # events.csv. Optional, so a data folder without it still loads.
    Table("context_events", (
        Column("context_id", "id"),
        Column("date", "date"),
        Column("date_precision", "choice", choices=DATE_PRECISIONS),
        Column("label"),
        Column("title"),
        Column("kind", "choice", choices=CONTEXT_KINDS),
        Column("event_id", "id", required=False, references="events.event_id"),
        Column("reference", "id"),
    ), key=("context_id",), date_precision_of={"date": "date_precision"}, optional=True),
)

TABLES_BY_NAME: dict[str, Table] = {table.name: table for table in TABLES}

#: The log of an editorial review: each finding and what was done about it
#: (``data/coding/review-YYYY-MM-DD.csv``). Not one of the book's tables; read
#: with :func:`utils.data.load_review_log`.
REVIEW_LOG = Table("review", (
    Column("where"),
    Column("finding"),
    Column("decision", "choice", choices=("fixed", "rejected")),
    Column("reason"),
), key=("where", "finding"), sort_by_key=False)

#: One coder's independent coding of the sources (``data/coding/first-coder.csv``,
#: ``data/coding/second-coder.csv``): the units the reliability figures compare.
#: Read with :func:`utils.data.load_coding`, which checks every id against the
#: book's tables.
_POSITION_COLUMNS = {column.name: column for column in TABLES_BY_NAME["positions"].columns}
CODING = Table("coding", (
    Column("source_id", "id", references="sources.source_id"),
    *(_POSITION_COLUMNS[name] for name in ("actor_id", "issue_id", "level", "stance", "basis", "quote_id")),
    Column("note", required=False),
), sort_by_key=False)

#: How each disagreement between the two codings was settled
#: (``data/coding/adjudication-YYYY-MM-DD.csv``): the round, what each coding
#: said, what stands in ``positions.csv``, the rule changed because of it (if
#: any) and why. Round 2 records where the two round-2 coders agreed with each
#: other but not with the book.
ADJUDICATION = Table("adjudication", (
    Column("round", "int"),
    Column("source_id", "id", references="sources.source_id"),
    Column("actor_id", "id"),
    Column("issue_id", "id", references="issues.issue_id"),
    Column("first"),
    Column("second"),
    Column("resolution"),
    Column("rule_changed", required=False),
    Column("reason"),
), key=("round", "source_id", "actor_id", "issue_id"), sort_by_key=False)
