"""Dates at the precision the data knows them.

A date stored as ``2023-11-01`` with precision ``month`` means "some day in
November 2023": it is shown as "November 2023", never as a day, and it covers
the whole month when compared with other dates. ``approx`` dates are shown as
"around …" and compared as the day given.
"""

from __future__ import annotations

import pandas as pd


def display_date(date: pd.Timestamp, precision: str) -> str:
    """A date as precise as it is known: ``18 November 2022``, ``November 2023``, ``around …``."""
    if precision == "month":
        return date.strftime("%B %Y")
    text = f"{date.day} {date.strftime('%B %Y')}"
    return f"around {text}" if precision == "approx" else text


def period_start(date: pd.Timestamp, precision: str) -> pd.Timestamp:
    """The first day a date of this precision may stand for."""
    return pd.Timestamp(date).normalize()


def period_end(date: pd.Timestamp, precision: str) -> pd.Timestamp:
    """The last day a date of this precision may stand for: the month's last day for ``month``."""
    date = pd.Timestamp(date).normalize()
    return date + pd.offsets.MonthEnd(0) if precision == "month" else date


def period_ends(dates: pd.Series, precisions: pd.Series) -> pd.Series:
    """:func:`period_end` for a column of dates and their precisions."""
    return pd.Series([period_end(d, p) for d, p in zip(dates, precisions)],
                     index=dates.index, dtype="datetime64[ns]")
