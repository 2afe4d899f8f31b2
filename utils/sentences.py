"""Sentences and values the comparison chapters and the codebook appendix say about the data.

Every function returns a number, a list or a short piece of prose computed
from :class:`~utils.data.BookData`, so a chapter glues it (``{glue:md}`name```)
instead of typing it. Nothing here draws, prints or glues.

Levels are on each issue's ordered scale: 1 is the outcome most favourable to
Ukraine as Ukraine states it, the top level the one most favourable to Russia.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pandas as pd

from . import analysis
from .data import BookData, data_folder
from .scope import month_year, number_word

__all__ = ["join_words", "count_phrase", "issue_phrase", "source_phrase", "scale_phrase",
           "bloc_issues", "shared_issues", "only_issues", "split_issues", "heatmap_shape",
           "level_groups", "levels_phrase", "levels_by_source", "unlevelled_actors", "actor_path",
           "repeat_codings", "actors_in_several_sources", "quote_shares",
           "top_sources", "sources_where_more", "bloc_quote_sources", "absent_blocs",
           "adjudication_kinds", "ADJUDICATION_FILE"]

#: The adjudication log of the first reliability round, in ``data/coding/``.
ADJUDICATION_FILE = "adjudication-2026-11-25.csv"

_STANCE_WORDS = {"goal": ("a goal", "goals"), "red-line": ("a red line", "red lines"),
                 "expectation": ("an expectation", "expectations")}


def join_words(items: Iterable[str], conjunction: str = "and") -> str:
    """``a``, ``a and b``, ``a, b and c`` (no serial comma); ``""`` for no items."""
    items = [str(item) for item in items]
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {conjunction} {items[-1]}"


def count_phrase(count: int, noun: str, plural: str | None = None) -> str:
    """``no actor``, ``one actor``, ``three actors``: a count in words with its noun."""
    if count == 0:
        return f"no {noun}"
    word = number_word(count)
    return f"{word} {noun}" if count == 1 else f"{word} {plural or noun + 's'}"


def _lower_first(label: str) -> str:
    """``where the line runs`` from ``Where the line runs``; ``NATO membership`` stays as it is."""
    if len(label) > 1 and label[0].isupper() and label[1].islower():
        return label[0].lower() + label[1:]
    return label


def issue_phrase(data: BookData, issue_ids: Iterable[str]) -> str:
    """The issues' labels as running prose, first letters lowered: ``where the line runs and NATO membership``."""
    labels = data.issues.set_index("issue_id")["label"]
    return join_words(_lower_first(labels[issue]) for issue in issue_ids)


def source_phrase(data: BookData, source_id: str) -> str:
    """A source in words, by genre, month and outlet: ``the news report of November 2023 (NBC News)``.

    An outlet the book has not confirmed (``Common Dreams (probable)``) reads
    ``probably Common Dreams``.
    """
    row = data.sources.set_index("source_id").loc[source_id]
    outlet = str(row["short_name"])
    if outlet.endswith(" (probable)"):
        outlet = "probably " + outlet.removesuffix(" (probable)")
    return f"the {row['genre']} of {month_year(row['published'], row['date_precision'])} ({outlet})"


def scale_phrase(data: BookData, issue_id: str) -> str:
    """An issue's scale in one line: ``1 “Now”, 2 “Later, not yet”, …``, level 1 first."""
    levels = data.issue_levels[data.issue_levels["issue_id"] == issue_id].sort_values("level")
    return ", ".join(f"{int(level)} “{label}”" for level, label in zip(levels["level"], levels["label"]))


def _in_book_order(data: BookData, issue_ids: Iterable[str]) -> list[str]:
    wanted = set(issue_ids)
    return [issue for issue in data.issues["issue_id"] if issue in wanted]


def bloc_issues(data: BookData, bloc: str, matrix: pd.DataFrame | None = None) -> list[str]:
    """The issues on which any actor of ``bloc`` has a latest coded level, in book order.

    ``matrix`` is a :func:`analysis.position_matrix` (all evidence, latest
    positions, when not given): the heatmap's cells.
    """
    matrix = analysis.position_matrix(data) if matrix is None else matrix
    return _in_book_order(data, matrix.loc[matrix["bloc"] == bloc, "issue_id"])


def shared_issues(data: BookData, first: str = "Ukraine", second: str = "Russia",
                  matrix: pd.DataFrame | None = None) -> list[str]:
    """The issues on which both blocs have a latest coded level (the heatmap columns where they meet)."""
    return [issue for issue in bloc_issues(data, first, matrix) if issue in set(bloc_issues(data, second, matrix))]


def only_issues(data: BookData, bloc: str, other: str, matrix: pd.DataFrame | None = None) -> list[str]:
    """The issues on which ``bloc`` has a coded level and ``other`` has none."""
    theirs = set(bloc_issues(data, other, matrix))
    return [issue for issue in bloc_issues(data, bloc, matrix) if issue not in theirs]


def split_issues(data: BookData, bloc: str, matrix: pd.DataFrame | None = None) -> list[str]:
    """The issues on which the latest levels of ``bloc``'s actors differ (one bloc, several voices)."""
    matrix = analysis.position_matrix(data) if matrix is None else matrix
    own = matrix[matrix["bloc"] == bloc]
    spread = own.groupby("issue_id")["level"].nunique()
    return _in_book_order(data, spread[spread > 1].index)


def heatmap_shape(data: BookData, matrix: pd.DataFrame | None = None) -> dict[str, int]:
    """The heatmap's size: ``actors`` (rows), ``issues`` (columns), ``cells``, ``filled`` and ``empty`` cells."""
    matrix = analysis.position_matrix(data) if matrix is None else matrix
    actors, issues, filled = matrix["actor_id"].nunique(), matrix["issue_id"].nunique(), len(matrix)
    return {"actors": actors, "issues": issues, "cells": actors * issues,
            "filled": filled, "empty": actors * issues - filled}


def level_groups(data: BookData, issue_id: str, bloc: str | None = None,
                 source_id: str | None = None, latest: bool = False,
                 actor_ids: Sequence[str] | None = None) -> list[tuple[int, str, list[str]]]:
    """Who stands at which level of one issue: ``[(level, stance, [actor names]), …]``, lowest level first.

    Every coded position with a level counts (``latest=True``: only each
    actor's latest, as in the heatmap). ``bloc`` and ``source_id`` narrow the
    rows. An actor coded twice at the same level and stance is named once.
    """
    if latest:
        frame = analysis.position_matrix(data, source_id=source_id)
    else:
        frame = analysis.evidence(data).dropna(subset=["level"])
        if source_id is not None:
            frame = frame[frame["source_id"] == source_id]
    frame = frame[frame["issue_id"] == issue_id]
    if bloc is not None:
        frame = frame[frame["bloc"] == bloc]
    if actor_ids is not None:
        frame = frame[frame["actor_id"].isin(list(actor_ids))]
    frame = frame.assign(stance_rank=frame["stance"].map(analysis.STANCE_ORDER))
    frame = frame.sort_values(["level", "stance_rank", "published", "name"])
    groups = []
    for (level, stance), rows in frame.groupby(["level", "stance"], sort=False):
        groups.append((int(level), str(stance), list(dict.fromkeys(rows["name"]))))
    return groups


def levels_phrase(data: BookData, issue_id: str, bloc: str | None = None, source_id: str | None = None,
                  latest: bool = False, none: str = "no one with a level",
                  actor_ids: Sequence[str] | None = None) -> str:
    """:func:`level_groups` as prose, with each level's label and the stance.

    ``Pete Hegseth and Donald Trump at level 2, “Lines of February 2022”, as
    expectations`` (no verb, so any number of names reads right); groups are
    joined by semicolons; ``none`` when no row has a level.
    """
    labels = data.issue_levels[data.issue_levels["issue_id"] == issue_id].set_index("level")["label"]
    parts = []
    for level, stance, names in level_groups(data, issue_id, bloc, source_id, latest, actor_ids):
        stance_words = _STANCE_WORDS[stance][0 if len(names) == 1 else 1]
        parts.append(f"{join_words(names)} at level {level}, “{labels[level]}”, as {stance_words}")
    return "; ".join(parts) if parts else none


def levels_by_source(data: BookData, issue_id: str, bloc: str | None = None) -> str:
    """:func:`levels_phrase` source by source, oldest first, for the sources that code a level.

    ``in the reported newsletter of November 2022 (Diplomatic), Mark Milley at
    level 3, “Now”, as a goal; in …``; ``""`` when no source codes one.
    """
    parts = []
    for source_id in analysis.source_dates(data).index:
        phrase = levels_phrase(data, issue_id, bloc, source_id, none="")
        if phrase:
            parts.append(f"in {source_phrase(data, source_id)}, {phrase}")
    return "; ".join(parts)


def unlevelled_actors(data: BookData, issue_id: str) -> list[str]:
    """Names of the actors coded on ``issue_id`` only without a level (no heatmap cell), in data order."""
    frame = analysis.evidence(data)
    frame = frame[frame["issue_id"] == issue_id]
    levelled = set(frame.loc[frame["level"].notna(), "actor_id"])
    return list(dict.fromkeys(frame.loc[~frame["actor_id"].isin(levelled), "name"]))


def actor_path(data: BookData, actor_id: str, issue_id: str) -> str:
    """One actor's coded levels on one issue in the order they were stated, with stance, date and basis.

    ``level 2, “Open path, no date” (a red line, stated 23 February 2022, reported), then
    level 3, …``; ``""`` when the actor has no level on the issue.
    """
    from .dates import display_date

    labels = data.issue_levels[data.issue_levels["issue_id"] == issue_id].set_index("level")["label"]
    frame = analysis.evidence(data).dropna(subset=["level"])
    frame = frame[(frame["actor_id"] == actor_id) & (frame["issue_id"] == issue_id)]
    frame = frame.sort_values(["stated_on", "position_id"])
    return ", then ".join(
        f"level {int(level)}, “{labels[level]}” ({_STANCE_WORDS[stance][0]}, stated "
        f"{display_date(date, precision)}, {basis})"
        for level, stance, date, precision, basis in
        zip(frame["level"], frame["stance"], frame["stated_on"], frame["stated_precision"], frame["basis"]))


def repeat_codings(data: BookData) -> pd.DataFrame:
    """The actors coded with a level on the same issue in more than one source: did the level change?

    One row per (actor, issue): ``actor_id``, ``name``, ``issue_id``,
    ``sources`` (how many), ``levels`` (the levels, oldest source first),
    ``changed`` (more than one distinct level), ``same_stance`` (every row has
    the same stance, so levels are comparable) and ``own_words`` (every row in
    the actor's own words). Sorted by actor then issue.
    """
    frame = analysis.evidence(data).dropna(subset=["level"]).sort_values(["published", "stated_on", "position_id"])
    rows = []
    for (actor_id, issue_id), group in frame.groupby(["actor_id", "issue_id"], sort=True):
        if group["source_id"].nunique() < 2:
            continue
        levels = [int(level) for level in group["level"]]
        rows.append({"actor_id": actor_id, "name": group["name"].iloc[0], "issue_id": issue_id,
                     "sources": group["source_id"].nunique(), "levels": levels,
                     "changed": len(set(levels)) > 1, "same_stance": group["stance"].nunique() == 1,
                     "own_words": bool((group["basis"] == "own words").all())})
    return pd.DataFrame(rows, columns=["actor_id", "name", "issue_id", "sources", "levels", "changed",
                                       "same_stance", "own_words"])


def actors_in_several_sources(data: BookData, actor_ids: Sequence[str], issue_id: str) -> list[str]:
    """Of ``actor_ids``, those coded with a level on ``issue_id`` in more than one source (ids, as given)."""
    frame = analysis.evidence(data).dropna(subset=["level"])
    frame = frame[(frame["issue_id"] == issue_id) & frame["actor_id"].isin(list(actor_ids))]
    sources = frame.groupby("actor_id")["source_id"].nunique()
    return [actor for actor in actor_ids if sources.get(actor, 0) > 1]


def quote_shares(data: BookData, column: str, value: str) -> pd.DataFrame:
    """Per source (oldest first): excerpts whose ``column`` is ``value``, all excerpts, and the share.

    ``quote_shares(data, "kind", "author's claim")`` gives how much of each
    text is in its author's own voice. Columns ``source_id``, ``count``,
    ``total``, ``share``.
    """
    order = list(analysis.source_dates(data).index)
    total = data.quotes.groupby("source_id").size().reindex(order, fill_value=0)
    count = data.quotes[data.quotes[column] == value].groupby("source_id").size().reindex(order, fill_value=0)
    return pd.DataFrame({"source_id": order, "count": count.to_numpy(), "total": total.to_numpy(),
                         "share": (count / total).to_numpy()})


def top_sources(shares: pd.DataFrame, n: int = 1, largest: bool = True) -> list[str]:
    """The ``n`` sources with the largest (or smallest) ``share`` in a :func:`quote_shares` table.

    Ties are broken by publication order (the table's order), so the result is stable.
    """
    ranked = shares.reset_index(drop=True).reset_index()
    ranked = ranked.sort_values(["share", "index"], ascending=[not largest, True])
    return list(ranked["source_id"].head(n))


def sources_where_more(data: BookData, column: str, more: str, than: str) -> list[str]:
    """The sources (oldest first) in which excerpts with ``column == more`` outnumber those with ``than``."""
    first, second = quote_shares(data, column, more), quote_shares(data, column, than)
    return list(first.loc[first["count"] > second["count"], "source_id"])


def bloc_quote_sources(data: BookData, bloc: str, kind: str | None = None) -> list[str]:
    """The sources (oldest first) with at least one excerpt spoken by an actor of ``bloc`` (of ``kind`` if given)."""
    quotes = data.quotes.merge(data.actors[["actor_id", "bloc"]], left_on="speaker_id", right_on="actor_id")
    quotes = quotes[quotes["bloc"] == bloc]
    if kind is not None:
        quotes = quotes[quotes["kind"] == kind]
    found = set(quotes["source_id"])
    return [source for source in analysis.source_dates(data).index if source in found]


def absent_blocs(data: BookData, source_id: str, blocs: Sequence[str] = ("Ukraine", "Russia", "Europe")) -> list[str]:
    """Of ``blocs``, those with no excerpt spoken in ``source_id`` (the voices a text leaves out)."""
    present = set(data.quotes[data.quotes["source_id"] == source_id]
                  .merge(data.actors, left_on="speaker_id", right_on="actor_id")["bloc"])
    return [bloc for bloc in blocs if bloc not in present]


def _disagreement_kind(first: str, second: str) -> str:
    """One adjudicated disagreement's kind, from the two codings as the log writes them."""
    if "not coded" in first or "not coded" in second:
        return "coded by one coder only"
    first_level, second_level = ("no level" not in first), ("no level" not in second)
    if first_level != second_level:
        return "a level against no level"
    if first_level and first.split(" ", 1)[0] != second.split(" ", 1)[0]:
        return "different levels"
    return "same level, different stance or basis"


def adjudication_kinds(data_dir: str | None = None, round_number: int = 1) -> dict[str, int]:
    """How the two codings of one round disagreed, from the adjudication log: counts per kind.

    Kinds: ``coded by one coder only`` (whether the text takes a stand at all),
    ``a level against no level`` (the words fit two levels, rule 7),
    ``different levels`` and ``same level, different stance or basis``, in that
    order, each with its count (zero included), plus ``all``.
    """
    log = pd.read_csv(data_folder(data_dir) / "coding" / ADJUDICATION_FILE, dtype=str)
    log = log[log["round"] == str(round_number)]
    kinds = [_disagreement_kind(a, b) for a, b in zip(log["first"], log["second"])]
    order = ["coded by one coder only", "a level against no level", "different levels",
             "same level, different stance or basis"]
    counts = {kind: kinds.count(kind) for kind in order}
    counts["all"] = len(kinds)
    return counts
