"""Prove that every excerpt in the data is verbatim in its source's captured text.

The texts themselves are not part of the book (they belong to their
publishers). ``sources.csv`` records, for each source, the file name of its
captured text (``text_file``) and the SHA-256 of that text once normalised
(``text_sha256``): anyone holding the same text, wherever it lives, can check
both that it is the text the book was coded from and that every quote is in it.

Comparison folds white space, curly quotes and dashes; case is kept. An
excerpt may not bridge two places in the text.
"""

from __future__ import annotations

import csv
import hashlib
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

#: Where the texts are looked for unless told otherwise: the folder beside the repository.
DEFAULT_TEXTS = Path(__file__).resolve().parent.parent.parent / "shared" / "seeds"
#: The environment variable that names another folder of source texts.
TEXTS_VARIABLE = "BOOK_SOURCE_TEXTS"
#: The columns that may hold an excerpt, in order of preference.
EXCERPT_COLUMNS = ("text", "quote")

FOLD = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201b": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201f": '"', "\u2033": '"',
    "\u2013": "-", "\u2014": "-", "\u2212": "-", "\u00a0": " ",
    "\u2026": "...",
})


def fold(text: str) -> str:
    """Text as compared: typographic quotes and dashes made plain, white space single."""
    return re.sub(r"\s+", " ", text.translate(FOLD)).strip()


def text_digest(text: str) -> str:
    """The SHA-256 (hex) of a source text after :func:`fold`, as ``sources.csv`` records it."""
    return hashlib.sha256(fold(text).encode("utf-8")).hexdigest()


def texts_folder(folder: Path | str | None = None) -> Path:
    """The folder of source texts: ``folder``, else ``$BOOK_SOURCE_TEXTS``, else ``../shared/seeds``."""
    chosen = folder or os.environ.get(TEXTS_VARIABLE) or DEFAULT_TEXTS
    return Path(chosen).expanduser().resolve()


@dataclass
class QuoteReport:
    """What a check found: counts, and one line per problem."""

    checked: int = 0
    verified: int = 0
    not_verbatim: list[str] = field(default_factory=list)
    unverifiable: dict[str, int] = field(default_factory=dict)  # source_id → excerpts not checkable
    problems: list[str] = field(default_factory=list)  # texts that differ from the coded one

    @property
    def unverified(self) -> int:
        """Excerpts whose source text is absent or unknown, so nothing was proved about them."""
        return sum(self.unverifiable.values())

    @property
    def exit_code(self) -> int:
        """0 all proved; 1 an excerpt not verbatim or a text that differs; 3 some could not be checked."""
        if self.not_verbatim or self.problems:
            return 1
        return 3 if self.unverified or not self.checked else 0

    def tally(self) -> str:
        """The last line the command prints."""
        return (f"quotes: {self.verified} verbatim, {len(self.not_verbatim)} not found, "
                f"{self.unverified} not verifiable (source text absent), {self.checked} checked")


def read_sources(data_dir: Path) -> dict[str, dict[str, str]]:
    """``sources.csv`` as ``source_id`` → row."""
    with (data_dir / "sources.csv").open(newline="", encoding="utf-8") as handle:
        return {row["source_id"]: row for row in csv.DictReader(handle)}


def load_texts(sources: dict[str, dict[str, str]], folder: Path, report: QuoteReport) -> dict[str, str]:
    """The folded text of every source whose file is present and matches its recorded digest."""
    texts = {}
    for source_id, row in sources.items():
        name, digest = (row.get("text_file") or "").strip(), (row.get("text_sha256") or "").strip()
        path = folder / name if name else None
        if path is None or not path.is_file():
            continue
        text = path.read_text(encoding="utf-8")
        if digest and text_digest(text) != digest:
            report.problems.append(f"{path}: its text differs from the one {source_id} was coded from "
                                   f"(SHA-256 {text_digest(text)[:12]}…, sources.csv has {digest[:12]}…)")
            continue
        if not digest:
            report.problems.append(f"sources.csv: {source_id} has no text_sha256; record {text_digest(text)}")
        texts[source_id] = fold(text)
    return texts


def excerpts(data_dir: Path) -> Iterator[tuple[Path, int, str, str]]:
    """Every non-empty excerpt in the CSV files under ``data_dir``: (file, line, source_id, excerpt)."""
    for path in sorted(data_dir.rglob("*.csv")):
        with path.open(newline="", encoding="utf-8") as handle:
            reader = csv.DictReader(handle)
            fields = reader.fieldnames or []
            column = next((c for c in EXCERPT_COLUMNS if c in fields), None)
            if "source_id" not in fields or column is None:
                continue
            for line, row in enumerate(reader, start=2):
                excerpt = fold(row.get(column) or "")
                if excerpt:
                    yield path, line, (row.get("source_id") or "").strip(), excerpt


def check_quotes(data_dir: Path | str = "data", folder: Path | str | None = None) -> QuoteReport:
    """Check every excerpt under ``data_dir`` against the texts in ``folder`` (see :func:`texts_folder`)."""
    data_dir = Path(data_dir)
    report = QuoteReport()
    sources = read_sources(data_dir)
    texts = load_texts(sources, texts_folder(folder), report)
    for path, line, source_id, excerpt in excerpts(data_dir):
        report.checked += 1
        if source_id not in sources:
            report.not_verbatim.append(f"{path}:{line}: unknown source_id {source_id!r}")
        elif source_id not in texts:
            report.unverifiable[source_id] = report.unverifiable.get(source_id, 0) + 1
        elif excerpt in texts[source_id]:
            report.verified += 1
        else:
            report.not_verbatim.append(f"{path}:{line}: not verbatim in {source_id}: {excerpt[:90]!r}")
    return report
