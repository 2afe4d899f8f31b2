"""Sentences and values the comparison chapters and the codebook appendix say about the data.

Each of those pages glues its values through one call (:func:`positions_values`,
:func:`bargaining_values`, :func:`voices_values`, :func:`codebook_values`), so
its hidden cells stay short; counted phrases read right for any value
(``none of them``, ``one scale step``, ``three scale steps``).

Every function returns a number, a list or a short piece of prose computed
from :class:`~utils.data.BookData`, so a chapter glues it (``{glue:md}`name```)
instead of typing it. Nothing here draws, prints or glues.

The prose is Markdown: every piece of text taken from the data (a label, a name,
an outlet, a bloc, a basis) goes through :func:`~utils.render.md_text` once, where
it enters a phrase, so MyST shows it as written (``<b>`` or ``*`` included) and
never reads it as markup. Lists of names or labels (:func:`unlevelled_actors`,
:func:`disagreeing_units`, :func:`alpha_coverage`'s ``small``) hold the data as
it is; the phrase that joins them escapes each item.

Levels are on each issue's ordered scale: 1 is the outcome most favourable to
Ukraine as Ukraine states it, the top level the one most favourable to Russia.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pandas as pd

from . import analysis
from .data import BookData, data_folder
from .render import md_text
from .scope import month_year, number_word

__all__ = ["join_words", "count_phrase", "issue_phrase", "source_phrase", "scale_phrase",
           "bloc_issues", "shared_issues", "only_issues", "split_issues", "heatmap_shape",
           "level_groups", "levels_phrase", "levels_by_source", "unlevelled_actors", "actor_path",
           "repeat_codings", "actors_in_several_sources", "quote_shares",
           "top_sources", "sources_where_more", "bloc_quote_sources", "absent_blocs",
           "adjudication_kinds", "ADJUDICATION_FILE",
           "count_word", "steps_phrase", "span_words", "scale_lengths", "same_source_split_issues",
           "unlevelled_phrase", "voices_table", "split_sources", "bloc_spreads", "spread_comparison",
           "own_words_sentence", "limit_rows", "limit_phrase", "zone_counts_phrase", "both_coded_phrase",
           "own_words_share_phrase", "assumed_limits", "shrink_phrase", "unnamed_sources", "reporters_of",
           "alpha_coverage", "coverage_sentence", "disagreeing_units", "positions_values",
           "solution_values", "bargaining_values", "voices_values", "codebook_values",
           "AID_VOICES", "OFFICIAL_KINDS", "MIN_PAIRED_UNITS", "RECENT"]

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
    return join_words(md_text(_lower_first(labels[issue])) for issue in issue_ids)


def source_phrase(data: BookData, source_id: str) -> str:
    """A source in words, by genre, month and outlet: ``the news report of November 2023 (NBC News)``.

    An outlet the book has not confirmed (``Common Dreams (probable)``) reads
    ``probably Common Dreams``. Markdown (escaped); :func:`voices_table` shows the plain words.
    """
    return md_text(_source_words(data, source_id))


def _source_words(data: BookData, source_id: str) -> str:
    """:func:`source_phrase` as plain text (for a table, which escapes its own cells)."""
    row = data.sources.set_index("source_id").loc[source_id]
    outlet = str(row["short_name"])
    if outlet.endswith(" (probable)"):
        outlet = "probably " + outlet.removesuffix(" (probable)")
    return f"the {row['genre']} of {month_year(row['published'], row['date_precision'])} ({outlet})"


def scale_phrase(data: BookData, issue_id: str) -> str:
    """An issue's scale in one line: ``1 “Now”, 2 “Later, not yet”, …``, level 1 first."""
    levels = data.issue_levels[data.issue_levels["issue_id"] == issue_id].sort_values("level")
    return ", ".join(f"{int(level)} “{md_text(label)}”" for level, label in zip(levels["level"], levels["label"]))


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
        parts.append(f"{join_words(map(md_text, names))} at level {level}, “{md_text(labels[level])}”, "
                     f"as {stance_words}")
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
        f"level {int(level)}, “{md_text(labels[level])}” ({_STANCE_WORDS[stance][0]}, stated "
        f"{display_date(date, precision)}, {md_text(basis)})"
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


# --- Counted phrases that read well with any value -------------------------------------------


def count_word(count: int, zero: str = "none") -> str:
    """A count for "… of them" phrases: ``none``, ``one``, ``three``, ``14``."""
    return zero if count == 0 else number_word(count)


def steps_phrase(count: int) -> str:
    """``one scale step``, ``three scale steps``: a gap in words, never ``3 step(s)``."""
    return count_phrase(count, "scale step")


def span_words(low: int, high: int) -> str:
    """``two to four``, or ``three`` when both ends are the same."""
    return number_word(low) if low == high else f"{number_word(low)} to {number_word(high)}"


def _verb(count: int, singular: str, plural: str) -> str:
    return singular if count == 1 else plural


def _limits_are(count: int) -> str:
    """``no limit is``, ``one limit is``, ``four limits are``."""
    return f"{count_phrase(count, 'limit')} {'are' if count > 1 else 'is'}"


def _is_are(count: int) -> str:
    """``none is``, ``one is``, ``three are``."""
    return f"{count_word(count)} {'are' if count > 1 else 'is'}"


# --- Positions over time ----------------------------------------------------------------------


def scale_lengths(data: BookData, issue_ids: Iterable[str] | None = None) -> tuple[int, int]:
    """The fewest and the most levels of the scales of ``issue_ids`` (every issue when not given)."""
    sizes = data.issue_levels.groupby("issue_id")["level"].max()
    if issue_ids is not None:
        sizes = sizes[sizes.index.isin(list(issue_ids))]
    return int(sizes.min()), int(sizes.max())


#: How long before a source a statement may be made and still count as "of the same moment".
RECENT = pd.DateOffset(months=6)


def same_source_split_issues(data: BookData, bloc: str) -> list[str]:
    """The issues on which one source codes different actors of ``bloc`` at different levels.

    Unlike :func:`split_issues`, which compares each actor's latest level
    whatever its year, this finds voices of the same moment that disagree:
    only statements made in the :data:`RECENT` months before the source count
    (a 2025 text's account of a 2022 statement does not).
    """
    found: set[str] = set()
    for source_id, published in analysis.source_dates(data).items():
        matrix = analysis.position_matrix(data, source_id=source_id)
        own = matrix[(matrix["bloc"] == bloc) & (matrix["stated_on"] >= published - RECENT)]
        spread = own.groupby("issue_id")["level"].nunique()
        found.update(spread[spread > 1].index)
    return _in_book_order(data, found)


def unlevelled_phrase(data: BookData, issue_id: str, bloc: str | None = None) -> str:
    """The rows on ``issue_id`` coded without a level, as ``Unnamed US officials in the news report of …``."""
    frame = analysis.evidence(data)
    frame = frame[(frame["issue_id"] == issue_id) & frame["level"].isna()]
    if bloc is not None:
        frame = frame[frame["bloc"] == bloc]
    parts = dict.fromkeys(f"{md_text(name)} in {source_phrase(data, source)}"
                          for name, source in zip(frame["name"], frame["source_id"]))
    return join_words(parts)


def voices_table(data: BookData, actor_ids: Sequence[str], issue_id: str) -> pd.DataFrame:
    """Sources (rows, oldest first, in words) by actors (columns, by name): each actor's rows on one issue.

    A cell lists the actor's coded rows in that source, oldest first, as
    ``2 (goal)`` or ``no level (goal)``; ``—`` where the source codes none.
    Unlike :func:`analysis.actor_trajectory`, rows without a level are shown.
    """
    frame = analysis.evidence(data)
    frame = frame[(frame["issue_id"] == issue_id) & frame["actor_id"].isin(list(actor_ids))]
    frame = frame.sort_values(["stated_on", "position_id"])
    names = data.actors.set_index("actor_id")["name"]
    sources = list(analysis.source_dates(data).index)
    table = pd.DataFrame("—", index=[_source_words(data, s) for s in sources],
                         columns=[names[a] for a in actor_ids])
    for (source_id, actor_id), rows in frame.groupby(["source_id", "actor_id"]):
        table.loc[_source_words(data, source_id), names[actor_id]] = "; ".join(
            f"{'no level' if pd.isna(level) else int(level)} ({stance})"
            for level, stance in zip(rows["level"], rows["stance"]))
    table.index.name, table.columns.name = "Source", None
    return table


def split_sources(data: BookData, actor_ids: Sequence[str], issue_id: str) -> list[str]:
    """The sources (oldest first) that code two or more of ``actor_ids`` at different levels of one issue.

    Each actor's latest level in the source counts, if stated in the :data:`RECENT` months before it.
    """
    found = []
    for source_id, published in analysis.source_dates(data).items():
        matrix = analysis.position_matrix(data, source_id=source_id)
        picked = matrix[(matrix["issue_id"] == issue_id) & matrix["actor_id"].isin(list(actor_ids))
                        & (matrix["stated_on"] >= published - RECENT)]
        if picked["level"].nunique() > 1:
            found.append(source_id)
    return found


def bloc_spreads(data: BookData, issue_id: str,
                 blocs: Sequence[str] = ("Ukraine", "Russia", "United States", "Europe")) -> dict[str, tuple[int, int]]:
    """Per bloc (in the order given, those coded), the lowest and highest latest level on one issue."""
    matrix = analysis.position_matrix(data)
    matrix = matrix[matrix["issue_id"] == issue_id]
    spreads = {}
    for bloc in blocs:
        levels = matrix.loc[matrix["bloc"] == bloc, "level"]
        if not levels.empty:
            spreads[bloc] = (int(levels.min()), int(levels.max()))
    return spreads


def spread_comparison(data: BookData, issue_id: str) -> dict[str, str]:
    """Is the spread within a bloc larger than the distance between Ukraine and Russia on one issue?

    ``within``: the largest spread of latest levels inside one bloc, in scale
    steps; ``between``: from Ukraine's lowest latest level to Russia's highest;
    ``verdict``: ``smaller than``, ``the same as`` or ``larger than`` (the
    within-bloc spread compared with the distance between the sides), or
    ``""`` when either side is not coded.
    """
    spreads = bloc_spreads(data, issue_id)
    within = max((high - low for low, high in spreads.values()), default=0)
    within_text = steps_phrase(within) if within else "nothing (each bloc's voices stand at one level)"
    if "Ukraine" not in spreads or "Russia" not in spreads:
        return {"within": within_text, "between": "", "verdict": ""}
    between = abs(spreads["Russia"][1] - spreads["Ukraine"][0])
    verdict = "smaller than" if within < between else ("the same as" if within == between else "larger than")
    return {"within": within_text, "between": steps_phrase(between), "verdict": verdict}


def own_words_sentence(changed: int, own_words: int) -> str:
    """How many of ``changed`` pairs rest wholly on the actor's own words, in a sentence that reads right.

    ``In none of them is every row in the actor's own words: both rest, at
    least in part, on …``; ``In one of them every row …; the other two rest …``.
    """
    rest = ", at least in part, on someone else's account or on the coder's inference"
    if changed == 0:
        return "No pair changed level, so no change rests on anyone's words."
    if own_words == changed:
        return f"In {'it' if changed == 1 else 'all of them'} every row is in the actor's own words."
    if own_words == 0:
        subject = "it rests" if changed == 1 else ("both rest" if changed == 2 else f"all {number_word(changed)} rest")
        return f"In none of them is every row in the actor's own words: {subject}{rest}."
    others = changed - own_words
    return (f"In {count_word(own_words)} of them every row is in the actor's own words; the other "
            f"{number_word(others)} {_verb(others, 'rests', 'rest')}{rest}.")


# --- Bargaining ranges ------------------------------------------------------------------------


def limit_rows(data: BookData, party: str, issue_id: str) -> pd.DataFrame:
    """The coded rows that set ``party``'s limit on ``issue_id`` in the bargaining table (all evidence).

    The red lines of the latest source that codes one, at the limit's level;
    when no red line is coded, the goals at the (assumed) limit. Columns of
    :func:`analysis.evidence`.
    """
    side = analysis.party_range(data, party, issue_id)
    frame = analysis.evidence(data)
    frame = frame[(frame["bloc"] == party) & (frame["issue_id"] == issue_id) & (frame["level"] == side.limit)]
    frame = frame[frame["stance"] == ("red-line" if side.limit_stated else "goal")]
    return frame[frame["published"] == frame["published"].max()] if not frame.empty else frame


def limit_phrase(data: BookData, party: str, issue_id: str) -> str:
    """Whose words a side's limit rests on: ``Donald Trump's words as the opinion blog of February 2025 (…) reports them``.

    A speaker who is the side itself, with reported speech, is reported by the
    text's author (``Vladimir Putin's words as … reports them``); ``""`` when
    the side has no limit.
    """
    rows = limit_rows(data, party, issue_id)
    if rows.empty:
        return ""
    names = data.actors.set_index("actor_id")["name"]
    parts = []
    for speaker, source_id, kind in zip(rows["speaker_id"], rows["source_id"], rows["quote_kind"]):
        how = "quotes them" if kind == "direct quote" else "reports them"
        parts.append(f"{md_text(names[speaker])}'s words as {source_phrase(data, source_id)} {how}")
    return join_words(dict.fromkeys(parts))


def zone_counts_phrase(table: pd.DataFrame) -> str:
    """A bargaining table's verdicts in words: ``two show a gap …, none an overlap, and on 13 …``."""
    gaps, overlaps = int((table["status"] == "gap").sum()), int((table["status"] == "overlap").sum())
    unknown = int((table["status"] == "unknown").sum())
    return (f"{count_word(gaps)} {_verb(gaps, 'shows', 'show')} a gap between Ukraine's and Russia's limits, "
            f"{count_word(overlaps)} an overlap, and on {count_word(unknown)} the sources do not code both sides")


def both_coded_phrase(table: pd.DataFrame) -> str:
    """``none of the 15 settlement issues has both sides coded`` / ``two of the 15 … have …``."""
    both, total = int((table["status"] != "unknown").sum()), len(table)
    return (f"{count_word(both)} of the {number_word(total)} settlement issues "
            f"{_verb(both, 'has', 'have') if both else 'has'} both sides coded")


def own_words_share_phrase(data: BookData, bloc: str) -> str:
    """``none of Russia's 11 coded positions is in its own words`` (or ``two … are``)."""
    frame = analysis.evidence(data)
    frame = frame[frame["bloc"] == bloc]
    own = int((frame["basis"] == "own words").sum())
    return (f"{count_word(own)} of {md_text(bloc)}'s {number_word(len(frame))} coded positions "
            f"{'is' if own <= 1 else 'are'} in its own words")


def assumed_limits(data: BookData, other_side_coded: bool | None = None) -> list[str]:
    """The assumed limits of the bargaining table as ``Russia's on where the line runs``.

    ``other_side_coded=True`` keeps those where the other side has a limit too
    (only there can an assumed limit change the verdict), ``False`` the others.
    """
    table = analysis.bargaining_table(data)
    found = []
    for side in ("ukraine", "russia"):
        other = "russia" if side == "ukraine" else "ukraine"
        for row in table.itertuples():
            stated = getattr(row, f"{side}_limit_stated")
            if pd.isna(stated) or bool(stated):
                continue
            coded = not pd.isna(getattr(row, f"{other}_limit"))
            if other_side_coded is None or coded == other_side_coded:
                found.append(f"{side.capitalize()}'s on {issue_phrase(data, [row.issue_id])}")
    return found


def shrink_phrase(counts: dict[str, tuple[int, int]]) -> str:
    """How each side's coded limits shrink from all evidence to own words, and whose shrink more.

    ``counts`` maps a side to (limits with all evidence, limits with own words):
    ``Ukraine keeps two of its nine (seven fewer) and Russia keeps none of its
    three (all lost); Russia's side shrinks more, in proportion``.
    """
    parts, lost = [], {}
    for side, (full, own) in counts.items():
        gone = full - own
        lost[side] = gone / full if full else 0.0
        detail = "all lost" if own == 0 and full else f"{count_word(gone)} fewer"
        parts.append(f"{side} keeps {count_word(own)} of its {number_word(full)} ({detail})")
    ranked = sorted(lost, key=lost.get, reverse=True)
    if len(ranked) > 1 and lost[ranked[0]] == lost[ranked[1]]:
        verdict = "both sides shrink in the same proportion"
    else:
        verdict = f"{ranked[0]}'s side shrinks more, in proportion"
    return f"{join_words(parts)}; {verdict}"


# --- Voices and framing -----------------------------------------------------------------------

#: Actor kinds that hold office: an unnamed actor of one of these kinds is an unnamed official.
OFFICIAL_KINDS = ("government official", "military")


def unnamed_sources(data: BookData, source_id: str | None = None) -> dict[str, int]:
    """Excerpts sourced to someone the text does not name (``all``), and how many of those are officials.

    The book's sourcing ``anonymous official`` also covers former officials,
    "people familiar with the matter" and mixed groups; ``officials`` counts
    only the speakers whose kind is a serving office (:data:`OFFICIAL_KINDS`).
    """
    quotes = data.quotes[data.quotes["sourcing"] == "anonymous official"]
    if source_id is not None:
        quotes = quotes[quotes["source_id"] == source_id]
    kinds = quotes["speaker_id"].map(data.actors.set_index("actor_id")["kind"])
    return {"all": len(quotes), "officials": int(kinds.isin(OFFICIAL_KINDS).sum())}


def reporters_of(data: BookData, bloc: str) -> list[str]:
    """Through whom a bloc's coded positions reach the reader (names, oldest source first), as Markdown.

    The quote's speaker when it is not of ``bloc``; when the bloc's own words
    are reported speech or an author's claim, the text's author who reports them.
    """
    frame = analysis.evidence(data)
    frame = frame[frame["bloc"] == bloc]
    actors = data.actors.set_index("actor_id")
    found = []
    for speaker, source_id, kind in zip(frame["speaker_id"], frame["source_id"], frame["quote_kind"]):
        if actors.loc[speaker, "bloc"] != bloc:
            found.append(md_text(actors.loc[speaker, "name"]))
        elif kind != "direct quote":
            author = f"author-{source_id}"
            found.append(md_text(actors.loc[author, "name"]) if author in actors.index
                         else f"the author of {source_phrase(data, source_id)}")
    return [name[0].lower() + name[1:] if name.startswith("The ") else name for name in dict.fromkeys(found)]


# --- Codebook: how far alpha can be read ------------------------------------------------------

#: The fewest units both coders placed on a level before an issue's own alpha is counted.
MIN_PAIRED_UNITS = 10


def alpha_coverage(table: pd.DataFrame, minimum: int = MIN_PAIRED_UNITS) -> dict[str, object]:
    """Which issues of a :func:`reliability.agreement_table` have an alpha worth reading.

    ``with_alpha``: issues with a defined alpha; ``rated``: of those, the ones
    with at least ``minimum`` paired units; ``below``: rated issues under
    0.80; ``small``: labels of the issues whose alpha rests on fewer than
    ``minimum`` paired units (listed, never counted as passing). The pooled
    ``all`` row is left out.
    """
    issues = table[table["issue_id"] != "all"]
    with_alpha = issues[issues["alpha"].notna()]
    rated = with_alpha[with_alpha["paired_levels"] >= minimum]
    small = with_alpha[with_alpha["paired_levels"] < minimum]
    return {"with_alpha": len(with_alpha), "rated": len(rated), "below": int((rated["alpha"] < 0.8).sum()),
            "small": [_lower_first(label) for label in small["label"]]}


def coverage_sentence(coverage: dict[str, object], minimum: int = MIN_PAIRED_UNITS) -> str:
    """:func:`alpha_coverage` in two sentences that read right for any counts.

    ``Of the eight issues with a defined alpha, one has at least ten paired
    units, and its alpha does not fall below 0.80. The alphas of … rest on fewer
    units: the table shows them, and the book counts none of them as passing.``
    """
    with_alpha, rated, below = coverage["with_alpha"], coverage["rated"], coverage["below"]
    if not with_alpha:
        return "No issue has a defined alpha."
    text = (f"Of the {number_word(with_alpha)} {_verb(with_alpha, 'issue', 'issues')} with a defined alpha, "
            f"{count_word(rated)} {'have' if rated > 1 else 'has'} at least {number_word(minimum)} paired units")
    if rated == 1:
        text += f", and its alpha {'falls' if below else 'does not fall'} below 0.80"
    elif rated:
        text += f", and {count_word(below)} of those {'fall' if below > 1 else 'falls'} below 0.80"
    text += "."
    if coverage["small"]:
        text += (f" The alphas of {join_words(map(md_text, coverage['small']))} rest on fewer units: "
                 "the table shows them, "
                 "and the book counts none of them as passing or failing.")
    return text


def disagreeing_units(data: BookData, pairs: pd.DataFrame, issue_id: str) -> list[str]:
    """Names of the actors whose units on ``issue_id`` both coders placed on different levels."""
    frame = pairs[(pairs["issue_id"] == issue_id)].dropna(subset=["level_1", "level_2"])
    frame = frame[frame["level_1"] != frame["level_2"]]
    names = data.actors.set_index("actor_id")["name"]
    return [names[actor] for actor in frame["actor_id"]]


# --- What each comparison page glues (one call per page) ---------------------------------------

#: The American voices the positions chapter follows on military aid, in the order of their first row.
AID_VOICES = ("jake-sullivan", "joe-biden", "anon-us-officials", "adrienne-watson", "gop-lawmakers",
              "roger-wicker", "donald-trump", "united-states")


def positions_values(data: BookData) -> dict[str, object]:
    """Every value the prose of *Positions over time* glues: numbers as ints, phrases as strings.

    A chapter glues each string as Markdown (``{glue:md}``) and each number
    as it is (``{glue:}``).
    """
    matrix = analysis.position_matrix(data)
    shape = heatmap_shape(data, matrix)
    shared = shared_issues(data, "Ukraine", "Russia", matrix)
    low, high = scale_lengths(data)
    heat_low, heat_high = scale_lengths(data, matrix["issue_id"].unique())
    names = data.actors.set_index("actor_id")["name"]
    aid = [actor for actor in AID_VOICES if actor in set(names.index)]
    split = split_sources(data, aid, "military-aid")
    values: dict[str, object] = {f"heat_{name}": value for name, value in shape.items()}
    values.update({
        "us_issues": len(bloc_issues(data, "United States", matrix)),
        "us_split": issue_phrase(data, split_issues(data, "United States", matrix)) or "no issue",
        "us_split_same": issue_phrase(data, same_source_split_issues(data, "United States")) or "no issue",
        "ukr_issues": len(bloc_issues(data, "Ukraine", matrix)),
        "rus_issues": len(bloc_issues(data, "Russia", matrix)),
        "shared_n": count_phrase(len(shared), "column"),
        "shared_list": issue_phrase(data, shared) or "none",
        "ukr_only": issue_phrase(data, only_issues(data, "Ukraine", "Russia", matrix)) or "no issue",
        "us_cells": int((matrix["bloc"] == "United States").sum()),
        "ur_cells": int(matrix["bloc"].isin(["Ukraine", "Russia"]).sum()),
        "scale_span": span_words(low, high), "heat_scale_span": span_words(heat_low, heat_high),
        "line_us_2022": levels_phrase(data, "territory-line", "United States", "2022-11-not-nudging",
                                      none="no level for any of them"),
        "line_us_2025": "; ".join(
            f"in {source_phrase(data, s)}, {levels_phrase(data, 'territory-line', 'United States', s)}"
            for s in ("2025-02-calls-and-brussels", "2025-02-team-over-head")),
        "line_russia": levels_phrase(data, "territory-line", "Russia"),
        "status_ukraine": levels_phrase(data, "territory-status", "Ukraine"),
        "timing_us": levels_by_source(data, "talks-timing", "United States") or "no American voice has a level",
        "timing_us_unlevelled": unlevelled_phrase(data, "talks-timing", "United States") or "no row",
        "mediation_us": levels_phrase(data, "us-mediation", "United States"),
        "aid_n": count_phrase(len(aid), "voice"),
        "aid_scale": scale_phrase(data, "military-aid"),
        "aid_split_sources": join_words(source_phrase(data, s) for s in split) or "none of the texts",
        "aid_2023": levels_phrase(data, "military-aid", "United States", "2023-11-broach-talks"),
        "aid_several": _is_are(len(actors_in_several_sources(data, aid, "military-aid"))),
    })
    return values


def _positions_ex1(data: BookData) -> dict[str, str]:
    spread = spread_comparison(data, "territory-line")
    return {
        "ex1_line": levels_phrase(data, "territory-line", latest=True),
        "ex1_unlevelled": join_words(map(md_text, unlevelled_actors(data, "territory-line"))) or "nobody",
        "ex1_us_line": levels_phrase(data, "territory-line", "United States", latest=True),
        "ex1_us_aid": levels_phrase(data, "military-aid", "United States", latest=True),
        "ex1_within": spread["within"], "ex1_between": spread["between"], "ex1_verdict": spread["verdict"],
    }


def _positions_ex2(data: BookData) -> dict[str, str]:
    timeline = analysis.position_timeline(data, "ceasefire-scope")
    conditions = analysis.evidence(data).query("issue_id == 'ceasefire-conditions'")
    return {
        "ex2_blocs": join_words(map(md_text, sorted(timeline["bloc"].unique()))),
        "ex2_sources": join_words(source_phrase(data, s) for s in timeline["source_id"].unique()),
        "ex2_conditions": count_phrase(int(conditions["level"].notna().sum()), "position"),
        "ex2_conditions_all": count_phrase(len(conditions), "position"),
    }


def _positions_ex3(data: BookData) -> dict[str, str]:
    return {
        "ex3_us_nato": actor_path(data, "united-states", "nato-membership") or "no level",
        "ex3_nato_2025": levels_phrase(data, "nato-membership", "United States", "2025-02-team-over-head"),
        "ex3_trump_norm": levels_phrase(data, "diplomatic-normalisation", latest=True, actor_ids=["donald-trump"]),
        "ex3_line_2022": levels_phrase(data, "territory-line", "United States", "2022-11-not-nudging",
                                       none="no level for any of them"),
        "ex3_wicker": (f"on G7 readmission, {levels_phrase(data, 'g7-readmission', actor_ids=['roger-wicker'])}; "
                       f"on military aid, {levels_phrase(data, 'military-aid', actor_ids=['roger-wicker'])}"),
    }


def _positions_ex4(data: BookData) -> dict[str, str]:
    repeats = repeat_codings(data)
    changed = repeats[repeats["changed"]]
    return {
        "ex4_pairs": count_word(len(repeats)),
        "ex4_changed": count_word(len(changed)),
        "ex4_same_stance": count_word(int(changed["same_stance"].sum())),
        "ex4_own_words": own_words_sentence(len(changed), int(changed["own_words"].sum())),
        "ex4_changed_list": join_words(f"{md_text(row.name)} on {issue_phrase(data, [row.issue_id])}"
                                       for row in changed.itertuples()) or "none",
    }


def bargaining_values(data: BookData) -> dict[str, object]:
    """Every value the prose of *Bargaining ranges* glues beyond :func:`book.totals` (see :func:`positions_values`)."""
    table = analysis.bargaining_table(data)
    own = analysis.bargaining_table(data, bases=("own words",))
    own_both = int((own["status"] != "unknown").sum())
    return {
        "zone_counts": zone_counts_phrase(table),
        "assumed_limits": _limits_are(int((table["ukraine_limit_stated"] == False).sum()  # noqa: E712 (NA is not assumed)
                                          + (table["russia_limit_stated"] == False).sum())),
        "own_both": both_coded_phrase(own),
        "own_rest": ("the whole table rests on others' accounts or on the coder's inference" if own_both == 0
                     else "the rest of the table rests on others' accounts or on the coder's inference"),
        "russia_own": own_words_share_phrase(data, "Russia"),
        "nato_russia_limit": limit_phrase(data, "Russia", "nato-membership") or "no one's words",
        "nato_russia_levels": levels_phrase(data, "nato-membership", "Russia"),
    }


def _bargaining_ex1(data: BookData) -> dict[str, str]:
    return {
        "ex1_assumed": join_words(assumed_limits(data)) or "none",
        "ex1_assumed_gap": join_words(assumed_limits(data, other_side_coded=True)) or "none",
        "ex1_assumed_alone": join_words(assumed_limits(data, other_side_coded=False)) or "none",
    }


def _bargaining_ex2(data: BookData) -> dict[str, str]:
    early = analysis.bargaining_table(data, as_of=analysis.source_period_end(data, "2023-11-broach-talks"))
    return {
        "ex2_both": count_word(int((early["status"] != "unknown").sum())),
        "ex2_ukraine": count_word(int(early["ukraine_best"].notna().sum())),
        "ex2_russia": count_word(int(early["russia_best"].notna().sum())),
        "ex2_issues": number_word(len(early)),
    }


def _bargaining_ex3(data: BookData) -> dict[str, str]:
    table = analysis.bargaining_table(data)
    gaps = table[table["status"] == "gap"]
    return {
        "ex3_gaps": "; ".join(
            f"{issue_phrase(data, [r.issue_id])}: {steps_phrase(int(r.gap))} (Ukraine's limit "
            f"{'stated' if r.ukraine_limit_stated else 'assumed'}, {md_text(r.ukraine_basis)}; Russia's "
            f"{'stated' if r.russia_limit_stated else 'assumed'}, {md_text(r.russia_basis)})"
            for r in gaps.itertuples()) or "none",
        "ex3_nato_limit": limit_phrase(data, "Russia", "nato-membership") or "no one's words",
    }


def _bargaining_ex4(data: BookData) -> dict[str, str]:
    full = analysis.bargaining_table(data)
    own = analysis.bargaining_table(data, bases=("own words",))
    counts = {side.capitalize(): (int(full[f"{side}_limit"].notna().sum()), int(own[f"{side}_limit"].notna().sum()))
              for side in ("ukraine", "russia")}
    return {"ex4_shrink": shrink_phrase(counts)}


def voices_values(data: BookData) -> dict[str, object]:
    """Every value the prose of *Voices and framing* glues (see :func:`positions_values`)."""
    def sources_in_words(source_ids: Iterable[str]) -> str:
        return join_words(source_phrase(data, s) for s in source_ids) or "none of the texts"

    top_bloc = analysis.voices_by_bloc(data).idxmax(axis=1)
    claims = quote_shares(data, "kind", "author's claim")
    anonymous = quote_shares(data, "sourcing", "anonymous official")
    top_anonymous = top_sources(anonymous)[0]
    unnamed, unnamed_top = unnamed_sources(data), unnamed_sources(data, top_anonymous)
    return {
        "top_blocs": "; ".join(f"in {source_phrase(data, s)}, {md_text(b)}" for s, b in top_bloc.items()),
        "russia_direct": sources_in_words(bloc_quote_sources(data, "Russia", kind="direct quote")),
        "russia_any": sources_in_words(bloc_quote_sources(data, "Russia")),
        "russia_reporters": join_words(reporters_of(data, "Russia")) or "nobody",
        "ukraine_direct": sources_in_words(bloc_quote_sources(data, "Ukraine", kind="direct quote")),
        "most_author": sources_in_words(top_sources(claims)),
        "unnamed_all": unnamed["all"], "unnamed_officials": count_word(unnamed["officials"]),
        "anon_top": sources_in_words([top_anonymous]),
        "anon_top_count": unnamed_top["all"], "anon_top_officials": count_word(unnamed_top["officials"]),
        "anon_top_total": int(anonymous.set_index("source_id").loc[top_anonymous, "total"]),
        "reported_over_direct": sources_in_words(sources_where_more(data, "kind", "reported speech", "direct quote")),
        "most_direct": sources_in_words(top_sources(quote_shares(data, "kind", "direct quote"), n=2)),
    }


def _voices_ex1(data: BookData) -> dict[str, str]:
    missing = {s: absent_blocs(data, s) for s in analysis.source_dates(data).index}
    return {"ex1_missing": "; ".join(f"{source_phrase(data, s)}: {join_words(map(md_text, b)) or 'none of the three'}"
                                     for s, b in missing.items())}


def _voices_ex2(data: BookData) -> dict[str, str]:
    claims = quote_shares(data, "kind", "author's claim")
    return {"ex2_most": source_phrase(data, top_sources(claims)[0]),
            "ex2_least": join_words(source_phrase(data, s) for s in top_sources(claims, n=2, largest=False))}


def codebook_values(data: BookData, minimum: int = MIN_PAIRED_UNITS) -> dict[str, object]:
    """The values the codebook appendix glues beyond :func:`book.glue_reliability`: which alphas can be read.

    For each round (prefix ``r_`` and ``r2_``): ``…_min`` (the minimum of
    paired units), ``…_with_alpha``, ``…_rated``, ``…_below`` (counts in
    words) and ``…_small`` (the issues whose alpha rests on fewer units); for
    round 2, who sits at the table: ``r2_format_paired``, ``r2_format_alpha``,
    ``r2_format_interval`` and ``r2_format_apart`` (whose levels differ).
    """
    from . import reliability

    values: dict[str, object] = {}
    for round_number, prefix in ((1, "r"), (2, "r2")):
        first, second = reliability.load_codings(data, round_number=round_number)
        table = reliability.agreement_table(data, first, second)
        coverage = alpha_coverage(table, minimum)
        values.update({f"{prefix}_min": number_word(minimum),
                       f"{prefix}_with_alpha": count_word(coverage["with_alpha"]),
                       f"{prefix}_rated": count_word(coverage["rated"]),
                       f"{prefix}_below": count_word(coverage["below"]),
                       f"{prefix}_small": join_words(map(md_text, coverage["small"])) or "none",
                       f"{prefix}_coverage": coverage_sentence(coverage, minimum)})
        if round_number == 2:
            row = table.set_index("issue_id").loc["negotiating-format"]
            values.update({"r2_format_paired": count_word(int(row["paired_levels"])),
                           "r2_format_alpha": f"{row['alpha']:.2f}".replace("-", "−"),
                           "r2_format_interval": f"{row['ci_low']:.2f} to {row['ci_high']:.2f}".replace("-", "−"),
                           "r2_format_apart": join_words(map(md_text, disagreeing_units(
                               data, reliability.paired_units(first, second), "negotiating-format"))) or "nobody"})
    return values


#: The solutions whose prose glues computed values: label -> builder of ``{name: phrase}``.
_SOLUTIONS = {
    "positions-over-time-ex1": _positions_ex1, "positions-over-time-ex2": _positions_ex2,
    "positions-over-time-ex3": _positions_ex3, "positions-over-time-ex4": _positions_ex4,
    "bargaining-ranges-ex1": _bargaining_ex1, "bargaining-ranges-ex2": _bargaining_ex2,
    "bargaining-ranges-ex3": _bargaining_ex3, "bargaining-ranges-ex4": _bargaining_ex4,
    "voices-and-framing-ex1": _voices_ex1, "voices-and-framing-ex2": _voices_ex2,
}


def solution_values(data: BookData, label: str) -> dict[str, str]:
    """The phrases one exercise's solution glues, by the exercise's label (``bargaining-ranges-ex1``).

    The solution's own code cell calls this, so the result a solution states is
    computed inside the solution (every value is Markdown-ready text).
    """
    return _SOLUTIONS[label](data)
