"""What a chapter shows: one call per section of a source chapter.

Each function returns an IPython ``HTML`` object (escaped by :mod:`utils.render`)
or a DataFrame, so a chapter's code cells stay one line long. The source
chapters all follow ``templates/source-chapter.ipynb``.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
from IPython.core.formatters import format_display_data
from IPython.display import HTML, Markdown, display

from . import analysis
from .data import BookData
from .render import blockquote, display_date, html_table, level_label, notice, source_card

__all__ = ["source_card", "timeline", "excerpts", "voices_table", "positions_table",
           "source_issues", "moment_sources", "changes_since_previous", "figures_table", "scales", "counts",
           "glue", "glue_source_values", "figure_text", "totals", "glue_totals", "bargaining_summary",
           "coding_exercise_items", "kinds_by_source"]


def source_row(data: BookData, source_id: str) -> pd.Series:
    """The row of ``sources.csv`` for one source."""
    return data.sources.set_index("source_id").loc[source_id]


def previous_source(data: BookData, source_id: str) -> str | None:
    """The source published just before this one, or None for the first."""
    order = list(analysis.source_dates(data).index)
    position = order.index(source_id)
    return order[position - 1] if position else None


def moment_sources(data: BookData, source_id: str) -> list[str]:
    """The moments a source chapter's explorer offers: the previous source, this one, the latest.

    Three moments at most, whatever the number of sources, so each added
    source adds a fixed amount of work to the book; the chapter *Positions
    over time* offers every source's date.
    """
    latest = analysis.source_dates(data).index[-1]
    chosen = [previous_source(data, source_id), source_id, latest]
    return [s for n, s in enumerate(chosen) if s is not None and s not in chosen[:n]]


def timeline(data: BookData, source_id: str) -> HTML:
    """The dated events between the previous source (or the start) and this source, as a table."""
    row = source_row(data, source_id)
    events = data.events[data.events["date"] <= row["published"]]
    previous = previous_source(data, source_id)
    if previous is not None:
        events = events[events["date"] > source_row(data, previous)["published"]]
    if events.empty:
        return HTML(notice("No dated event in the table falls in this period."))
    events = events.sort_values(["date", "event_id"]).assign(
        when=[display_date(d, p) for d, p in zip(events["date"], events["date_precision"])])
    since = "" if previous is None else " since the previous source"
    caption = f"Events mentioned in the sources{since}, up to {display_date(row['published'], row['date_precision'])}"
    return HTML(html_table(events, {"when": "Date", "title": "Event", "source_id": "First mentioned in"},
                           caption=caption))


def excerpts(data: BookData, quote_ids: Sequence[str]) -> HTML:
    """Pull quotes for the given quote ids, each with its speaker and source."""
    if not quote_ids:
        return HTML(notice("No excerpt chosen yet: list quote ids from quotes.csv here."))
    quotes = data.quotes.set_index("quote_id").loc[list(quote_ids)]
    names = data.actors.set_index("actor_id")["name"]
    titles = data.sources.set_index("source_id")["title"]
    return HTML("".join(blockquote(row["text"], names[row["speaker_id"]], titles[row["source_id"]])
                        for _, row in quotes.iterrows()))


def voices_table(data: BookData, source_id: str) -> HTML:
    """Who is quoted in one source, how often, and how they are sourced."""
    quotes = data.quotes[data.quotes["source_id"] == source_id]
    actors = data.actors.rename(columns={"kind": "actor_kind"})
    frame = quotes.merge(actors, left_on="speaker_id", right_on="actor_id")
    table = (frame.groupby(["name", "bloc", "actor_kind", "sourcing"]).size()
             .rename("excerpts").reset_index()
             .sort_values(["excerpts", "name"], ascending=[False, True]))
    return HTML(html_table(table, {"name": "Speaker", "bloc": "Bloc", "actor_kind": "Kind",
                                   "sourcing": "Sourcing", "excerpts": "Excerpts"},
                           caption="Voices in this source (coded excerpts)"))


def positions_table(data: BookData, source_id: str) -> HTML:
    """The positions coded from one source, with level labels and the evidence."""
    frame = analysis.evidence(data)
    order = {issue: n for n, issue in enumerate(data.issues["issue_id"])}
    frame = frame[frame["source_id"] == source_id]
    frame = frame.assign(order=frame["issue_id"].map(order)).sort_values(["order", "bloc", "name"])
    labels = data.issues.set_index("issue_id")["label"]
    frame = frame.assign(issue=[labels[i] for i in frame["issue_id"]],
                         level_text=[level_label(data, i, lvl) for i, lvl in zip(frame["issue_id"], frame["level"])])
    return HTML(html_table(frame, {"issue": "Issue", "name": "Actor", "level_text": "Level",
                                   "stance": "Stance", "text": "Evidence (verbatim)", "note": "Coder's note"},
                           caption="Positions coded from this source"))


def source_issues(data: BookData, source_id: str) -> list[str]:
    """The issues on which this source has at least one coded level, in book order."""
    frame = analysis.evidence(data)
    coded = set(frame[(frame["source_id"] == source_id) & frame["level"].notna()]["issue_id"])
    return [issue for issue in data.issues["issue_id"] if issue in coded]


def changes_since_previous(data: BookData, source_id: str) -> HTML:
    """For each bloc and issue coded here, the level before this source and in it."""
    previous = previous_source(data, source_id)
    if previous is None:
        return HTML(notice("This is the first source: there is no earlier position to compare with."))
    before_date = source_row(data, previous)["published"]
    here = analysis.evidence(data)
    here = here[(here["source_id"] == source_id) & here["level"].notna()]
    rows = []
    for issue_id in source_issues(data, source_id):
        for party in ("Ukraine", "Russia", "United States", "Europe", "NATO"):
            now = analysis.party_range(data, party, issue_id, as_of=source_row(data, source_id)["published"])
            then = analysis.party_range(data, party, issue_id, as_of=before_date)
            if not ((here["bloc"] == party) & (here["issue_id"] == issue_id)).any():
                continue
            rows.append({"issue": data.issues.set_index("issue_id").loc[issue_id, "label"],
                         "party": party, "before": _span(then), "now": _span(now),
                         "change": _change(then, now)})
    if not rows:
        return HTML(notice("No bloc position with a level is coded from this source."))
    return HTML(html_table(pd.DataFrame(rows), {"issue": "Issue", "party": "Bloc",
                                                "before": "Before this source", "now": "With this source",
                                                "change": "Change"},
                           caption="How the coded positions moved with this source"))


def _span(found: analysis.PartyRange) -> str:
    if found.best is None:
        return "not coded"
    return str(found.low) if found.low == found.high else f"{found.low}–{found.high}"


def _change(then: analysis.PartyRange, now: analysis.PartyRange) -> str:
    if then.best is None:
        return "first coded here"
    if (then.low, then.high) == (now.low, now.high):
        return "unchanged"
    towards = "Russia's" if (now.low + now.high) > (then.low + then.high) else "Ukraine's"
    return f"moved towards {towards} end"


def figures_table(data: BookData, source_id: str) -> HTML:
    """Every number the source gives, with how it is hedged and the verbatim words."""
    frame = analysis.source_figures(data, source_id)
    if frame.empty:
        return HTML(notice("This source gives no numbers."))
    frame = frame.assign(value_text=[f"{v:g}" for v in frame["value"]],
                         as_of_text=frame["as_of"].dt.strftime("%Y-%m-%d"))
    return HTML(html_table(frame, {"metric": "What", "value_text": "Value", "unit": "Unit",
                                   "qualifier": "Hedge", "as_of_text": "As of", "quote": "In the source's words"},
                           caption="Numbers given in this source"))


def scales(data: BookData) -> HTML:
    """Every issue with its question and its ordered outcome scale, for the codebook."""
    parts = []
    for issue_id, label, question in data.issues[["issue_id", "label", "question"]].itertuples(index=False):
        levels = data.issue_levels[data.issue_levels["issue_id"] == issue_id]
        parts.append(html_table(levels, {"level": "Level", "label": "Label", "description": "Outcome"},
                                caption=f"{label} ({issue_id}): {question}"))
    return HTML("".join(parts))


def counts(data: BookData, source_id: str) -> dict[str, int]:
    """Counts a chapter quotes in its prose (glued, never typed by hand)."""
    quotes = data.quotes[data.quotes["source_id"] == source_id]
    positions = analysis.evidence(data)
    positions = positions[positions["source_id"] == source_id]
    return {
        "quotes": len(quotes),
        "speakers": quotes["speaker_id"].nunique(),
        "anonymous": int((quotes["sourcing"] == "anonymous official").sum()),
        "author_claims": int((quotes["kind"] == "author's claim").sum()),
        "positions": len(positions),
        "issues": positions["issue_id"].nunique(),
        "figures": int((data.figures["source_id"] == source_id).sum()),
    }


def figure_text(value: float, unit: str) -> str:
    """A figure as prose: ``$400 million``, ``41%``, ``250,000 people``, ``1 month``."""
    if unit.startswith("USD "):
        return f"${value:,g} {unit[4:]}"
    if unit.startswith("percent"):
        return f"{value:g}%"
    if unit == "count":
        return f"{value:,g}"
    if value == 1 and unit.endswith("s"):
        unit = unit[:-1]
    return f"{value:,g} {unit}"


#: The MIME-type prefix by which myst-nb recognises a hidden glued value.
GLUE_PREFIX = "application/papermill.record/"


def glue(name: str, value: object) -> None:
    """Store ``value``'s display under ``name`` for ``{glue:}`name``` in the prose, showing nothing.

    Writes the same output as ``myst_nb.glue(name, value, display=False)``
    (a test checks this) without importing ``myst_nb.ext.glue``, whose import
    of nbformat's validators costs over a second in every chapter's kernel.
    """
    bundle, metadata = format_display_data(value)
    metadata["scrapbook"] = {"name": name, "mime_prefix": GLUE_PREFIX}
    display({GLUE_PREFIX + mime: data for mime, data in bundle.items()}, raw=True, metadata=metadata)


def glue_source_values(data: BookData, source_id: str) -> None:
    """Glue the numbers a source chapter's prose uses (hidden outputs).

    :func:`counts` as ``n_quotes``, ``n_speakers``, … (use ``{glue:}`n_quotes```),
    and each figure of ``figures.csv`` as ``f01``, ``f02``, … in prose form
    (use ``{glue:md}`f01```), so no number in the prose is typed by hand.
    """
    for name, value in counts(data, source_id).items():
        glue(f"n_{name}", value)
    for figure in analysis.source_figures(data, source_id).itertuples():
        glue(figure.figure_id.rsplit("-", 1)[1], Markdown(figure_text(figure.value, figure.unit)))


def totals(data: BookData) -> dict[str, int]:
    """Counts across the whole book that the comparison chapters quote in their prose."""
    table = analysis.bargaining_table(data)
    return {
        "all_quotes": len(data.quotes),
        "all_positions": len(data.positions),
        "levelled_positions": int(data.positions["level"].notna().sum()),
        "actors": len(data.actors),
        "issues": len(data.issues),
        "sources": len(data.sources),
        "gaps": int((table["status"] == "gap").sum()),
        "overlaps": int((table["status"] == "overlap").sum()),
        "unknown": int((table["status"] == "unknown").sum()),
        "anonymous": int((data.quotes["sourcing"] == "anonymous official").sum()),
    }


def glue_totals(data: BookData) -> None:
    """Glue :func:`totals` into the page as ``t_all_quotes``, ``t_gaps``, … (hidden outputs)."""
    for name, value in totals(data).items():
        glue(f"t_{name}", value)


def bargaining_summary(data: BookData) -> HTML:
    """The bargaining table with level labels, as an escaped HTML table."""
    table = analysis.bargaining_table(data)
    status = {"overlap": "overlap", "gap": "gap", "unknown": "not both coded"}
    table = table.assign(
        ukraine=[level_label(data, i, v) for i, v in zip(table["issue_id"], table["ukraine_limit"])],
        russia=[level_label(data, i, v) for i, v in zip(table["issue_id"], table["russia_limit"])],
        verdict=[status[s] if s != "gap" else f"gap of {g}" for s, g in zip(table["status"], table["gap"])])
    return HTML(html_table(table, {"label": "Issue", "ukraine": "Ukraine's limit",
                                   "russia": "Russia's limit", "verdict": "Zone"},
                           caption="Latest coded limits of Ukraine and Russia, issue by issue"))


def coding_exercise_items(data: BookData) -> list[str]:
    """Positions for the code-it-yourself exercise: per source, the first with a level on a new issue."""
    frame = analysis.evidence(data).dropna(subset=["level"]).sort_values("position_id")
    chosen: list[str] = []
    issues: set[str] = set()
    for source_id in analysis.source_dates(data).index:
        rows = frame[(frame["source_id"] == source_id) & ~frame["issue_id"].isin(issues)]
        if not rows.empty:
            chosen.append(rows.iloc[0]["position_id"])
            issues.add(rows.iloc[0]["issue_id"])
    return chosen


def kinds_by_source(data: BookData) -> pd.DataFrame:
    """Excerpts per source (rows, oldest first) by kind: direct quote, reported speech, author's claim."""
    table = pd.crosstab(data.quotes["source_id"], data.quotes["kind"])
    return table.reindex(analysis.source_dates(data).index, fill_value=0)
