"""The book's scope in words, computed from ``sources.csv`` and ``pyproject.toml``.

Prose that names how many sources there are or which years they span takes the
words from here (as MyST substitutions such as ``{{ n_sources_word }}``, set by
``_ext/book_ext.py``), so adding a source never leaves a stale "five" behind.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from .data import BookData
from .dates import display_date

NUMBER_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight",
                "nine", "ten", "eleven", "twelve")
PYPROJECT = Path(__file__).resolve().parent.parent / "pyproject.toml"


def number_word(count: int) -> str:
    """``five`` for 5; digits from 13 on, as English style guides do."""
    return NUMBER_WORDS[count] if 0 <= count < len(NUMBER_WORDS) else str(count)


def book_version(pyproject: Path = PYPROJECT) -> str:
    """The book's version, the one in ``pyproject.toml`` (also in CITATION.cff and the changelog)."""
    return tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]["version"]


def month_year(date, precision: str) -> str:
    """``November 2022``: a source's date at the precision the book names the span with."""
    return display_date(date, "month") if precision != "year" else str(date.year)


def scope_words(data: BookData) -> dict[str, str]:
    """The substitutions the prose uses for the book's scope.

    ``n_sources`` (``5``), ``n_sources_word`` (``five``), ``n_sources_word_cap``
    (``Five``), ``first_source_month`` and ``last_source_month`` (``November
    2022``, ``April 2025``), ``source_years`` (``2022–2025``) and ``book_version``.
    """
    sources = data.sources.sort_values("published")
    first, last = sources.iloc[0], sources.iloc[-1]
    count = len(sources)
    years = sorted({first["published"].year, last["published"].year})
    return {
        "n_sources": str(count),
        "n_sources_word": number_word(count),
        "n_sources_word_cap": number_word(count).capitalize(),
        "first_source_month": month_year(first["published"], first["date_precision"]),
        "last_source_month": month_year(last["published"], last["date_precision"]),
        "source_years": "–".join(str(year) for year in years),
        "book_version": book_version(),
    }
