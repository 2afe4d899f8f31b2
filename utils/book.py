"""What a chapter shows: one call per section of a source chapter.

Each function returns an IPython ``HTML`` object (escaped by :mod:`utils.render`)
or a DataFrame, so a chapter's code cells stay one line long. What a chapter glues as
Markdown takes its data text through :func:`~utils.render.md_text` (:func:`figure_md`). The source
chapters all follow ``templates/source-chapter.ipynb``.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

import pandas as pd
from IPython.core.formatters import format_display_data
from IPython.display import HTML, Markdown, display

from . import analysis
from .data import BookData
from .dates import display_date, period_end
from .render import blockquote, html_table, level_label, md_text, notice, source_card, source_label, source_link
from .sentences import count_phrase

__all__ = ["source_card", "timeline", "excerpts", "voices_table", "positions_table",
           "source_issues", "moment_sources", "changes_since_previous", "figures_table", "scales", "counts",
           "glue", "glue_source_values", "figure_text", "figure_md", "totals", "glue_totals", "bargaining_summary",
           "coding_exercise_items", "kinds_by_source", "unaddressed_issues", "basis_counts", "coding_summary", "reliability_summary",
           "reliability_values", "glue_reliability",
           "CHANGES_LEGEND", "BARGAINING_LEGEND"]


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
    """The dated events between the previous source (or the start) and this source, as a table.

    Dates are compared at their precision: a source published "November 2023"
    covers the whole month, so an event of 2 November 2023 falls in its period.
    An event known only to the month (or approximately) can be no later than
    the source that first mentions it, so it is placed by the latest day it can
    have, and sorts after the known days of its month. (An event known to the
    day keeps its day: a source may announce one still to come.)
    """
    row = source_row(data, source_id)
    until = period_end(row["published"], row["date_precision"])
    mentioned_by = {s: analysis.source_period_end(data, s) for s in data.sources["source_id"]}
    events = data.events.assign(latest=[
        period_end(d, p) if p == "day" else min(period_end(d, p), mentioned_by[s])
        for d, p, s in zip(data.events["date"], data.events["date_precision"], data.events["source_id"])])
    events = events[events["date"] <= until]
    previous = previous_source(data, source_id)
    if previous is not None:
        events = events[events["latest"] > mentioned_by[previous]]
    if events.empty:
        return HTML(notice("No dated event in the table falls in this period."))
    events = events.sort_values(["latest", "date", "event_id"])
    events = events.assign(when=[display_date(d, p) for d, p in zip(events["date"], events["date_precision"])],
                           dated=[dated_by(data, r) for r in events["reference"]],
                           mentioned_in=[source_link(data, s) for s in events["source_id"]])
    since = "" if previous is None else " since the previous source"
    caption = f"Events mentioned in the sources{since}, up to {display_date(row['published'], row['date_precision'])}"
    return HTML(html_table(events, {"when": "Date", "title": "Event", "mentioned_in": "First mentioned in",
                                    "dated": "Date from"},
                           caption=caption))


def dated_by(data: BookData, reference: object) -> str:
    """Where a date comes from: "the source" or the short label of the reference that gives it."""
    if reference is None or pd.isna(reference):
        return "the source"
    return data.reference_labels.get(str(reference), str(reference))


def dated_text(data: BookData, date: pd.Timestamp, precision: str, reference: object) -> str:
    """A date at its precision, with the report that gives it when the source does not:
    ``12 February 2025 (Reuters, 2025)``."""
    shown = display_date(date, precision)
    return shown if reference is None or pd.isna(reference) else f"{shown} ({dated_by(data, reference)})"


def excerpts(data: BookData, quote_ids: Sequence[str]) -> HTML:
    """Pull quotes for the given quote ids, each with its speaker and source (outlet and month)."""
    if not quote_ids:
        return HTML(notice("No excerpt chosen yet: list quote ids from quotes.csv here."))
    quotes = data.quotes.set_index("quote_id").loc[list(quote_ids)]
    names = data.actors.set_index("actor_id")["name"]
    return HTML("".join(blockquote(row["text"], names[row["speaker_id"]], source_label(data, row["source_id"]))
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
    names = data.actors.set_index("actor_id")["name"]
    frame = frame.assign(issue=[labels[i] for i in frame["issue_id"]],
                         level_text=[level_label(data, i, lvl) for i, lvl in zip(frame["issue_id"], frame["level"])],
                         speaker=[names[s] for s in frame["speaker_id"]],
                         when=[dated_text(data, d, p, r) for d, p, r in
                               zip(frame["stated_on"], frame["stated_precision"], frame["reference"])])
    return HTML(html_table(frame, {"issue": "Issue", "name": "Actor", "level_text": "Level",
                                   "stance": "Stance", "basis": "Basis", "speaker": "Words of",
                                   "text": "Evidence (verbatim)", "when": "Stated", "note": "Coder's note"},
                           caption="Positions coded from this source")
                + notice(BASIS_LEGEND))


def source_issues(data: BookData, source_id: str) -> list[str]:
    """The issues on which this source has at least one coded level, in book order."""
    frame = analysis.evidence(data)
    coded = set(frame[(frame["source_id"] == source_id) & frame["level"].notna()]["issue_id"])
    return [issue for issue in data.issues["issue_id"] if issue in coded]


#: What the change table's words mean, shown under it.
CHANGES_LEGEND = ("Each row compares one actor with itself: its level in this source against its own latest "
                  "level in an earlier source, on the same issue. Level 1 is the outcome most favourable to "
                  "Ukraine as Ukraine states it, the top level the one most favourable to Russia as Russia "
                  "states it. “Towards Russia's end” means the actor's own coded level is higher now; a goal "
                  "is not compared with an expectation or a red line. A change between two “reported” rows is a "
                  "change in what others said about the actor, not necessarily in what it said. Actors coded "
                  "for the first time here are not listed.")

#: What a position's basis means, shown under position tables.
BASIS_LEGEND = ("Basis: “own words” = the actor quoted directly, on the record; “reported” = someone else's "
                "account of what the actor said or wants; “inferred” = the coder's reading of a text that does "
                "not state the position.")


def changes_since_previous(data: BookData, source_id: str) -> HTML:
    """Each actor coded here that was coded before: its earlier level and its level now (same actor only)."""
    if previous_source(data, source_id) is None:
        return HTML(notice("This is the first source: there is no earlier position to compare with."))
    changes = analysis.actor_changes(data, source_id)
    if changes.empty:
        return HTML(notice("No actor coded with a level in this source was coded on the same issue in an "
                           "earlier source, so there is no change to show.") + notice(CHANGES_LEGEND))
    labels = data.issues.set_index("issue_id")["label"]
    changes = changes.assign(
        issue=[labels[i] for i in changes["issue_id"]],
        before=[f"{level_label(data, i, lvl)} ({st}; {b}; {source_label(data, src)})" for i, lvl, st, b, src in
                zip(changes["issue_id"], changes["level_before"], changes["stance_before"],
                    changes["basis_before"], changes["source_before"])],
        now=[f"{level_label(data, i, lvl)} ({st}; {b})" for i, lvl, st, b in
             zip(changes["issue_id"], changes["level_now"], changes["stance_now"], changes["basis_now"])])
    return HTML(html_table(changes, {"name": "Actor", "issue": "Issue", "before": "Earlier (stance; basis; source)",
                                     "now": "In this source (stance; basis)", "change": "Change"},
                           caption="The same actors, before and in this source")
                + notice(CHANGES_LEGEND))


def figures_table(data: BookData, source_id: str) -> HTML:
    """Every number the source gives, with how it is hedged and the verbatim words."""
    frame = analysis.source_figures(data, source_id)
    if frame.empty:
        return HTML(notice("This source gives no numbers."))
    frame = frame.assign(value_text=[figure_text(v, u, q) for v, u, q in
                                     zip(frame["value"], frame["unit"], frame["qualifier"])],
                         as_of_text=[dated_text(data, d, p, r) for d, p, r in
                                     zip(frame["as_of"], frame["as_of_precision"], frame["reference"])])
    return HTML(html_table(frame, {"metric": "What", "value_text": "Value",
                                   "qualifier": "Hedge", "as_of_text": "As of", "quote": "In the source's words"},
                           caption="Numbers given in this source"))


def unaddressed_issues(data: BookData) -> list[str]:
    """The issues on which no source gives evidence for any position, in book order."""
    coded = set(data.positions["issue_id"])
    return [issue for issue in data.issues["issue_id"] if issue not in coded]


def scales(data: BookData) -> HTML:
    """Every issue with its question, kind and ordered outcome scale, for the codebook.

    Issues no source addresses are marked, and listed in a notice above the scales.
    """
    missing = unaddressed_issues(data)
    labels = data.issues.set_index("issue_id")["label"]
    parts = [notice("No position is coded on: " + "; ".join(labels[i] for i in missing) + ".")
             if missing else notice("Every issue has at least one coded position.")]
    for issue_id, label, question, kind in data.issues[["issue_id", "label", "question", "kind"]].itertuples(index=False):
        levels = data.issue_levels[data.issue_levels["issue_id"] == issue_id]
        unaddressed = "; no coded position" if issue_id in missing else ""
        parts.append(html_table(levels, {"level": "Level", "label": "Label", "description": "Outcome"},
                                caption=f"{label} ({issue_id}, {kind} issue{unaddressed}): {question}"))
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
        "own_words": int((positions["basis"] == "own words").sum()),
        "reported": int((positions["basis"] == "reported").sum()),
        "inferred": int((positions["basis"] == "inferred").sum()),
        "issues": positions["issue_id"].nunique(),
        "figures": int((data.figures["source_id"] == source_id).sum()),
    }


def figure_text(value: float, unit: str, qualifier: str = "exact") -> str:
    """A figure as prose: ``$400 million``, ``41%``, ``250,000 people``, ``1 month``.

    A ``lower bound`` (the least a vague word like "millions" implies) reads
    ``at least 2 million deaths``, so the stored bound is never shown as an exact count.
    """
    number, words = _figure_parts(value, unit, qualifier)
    return number if words is None else f"{number} {words}"


def figure_md(value: float, unit: str, qualifier: str = "exact") -> str:
    """:func:`figure_text` as Markdown for the prose: the unit's words (data text) escaped
    (:func:`~utils.render.md_text`); the number, ``$`` and ``%`` it writes itself stay as they are."""
    number, words = _figure_parts(value, unit, qualifier)
    return number if words is None else f"{number} {md_text(words)}"


def _figure_parts(value: float, unit: str, qualifier: str) -> tuple[str, str | None]:
    """:func:`figure_text` in two parts: the number as written (``at least $400``) and the unit's words
    from the data (``million``), None when the number says it all (``41%``, ``2015``)."""
    prefix = "at least " if qualifier == "lower bound" else ""
    if unit.startswith("USD "):
        return f"{prefix}${number_text(value)}", unit[4:]
    if unit.startswith("percent"):
        return f"{prefix}{number_text(value)}%", None
    if unit == "count":
        return f"{prefix}{number_text(value)}", None
    if unit == "year":  # a calendar year: "2015", not "2,015 year"
        return f"{prefix}{value:.0f}", None
    if value == 1:
        unit = singular_unit(unit)
    return f"{prefix}{number_text(value)}", unit


#: Plural nouns of ``figures.csv`` units whose singular is not the plural less its final "s".
IRREGULAR_SINGULARS = {"people": "person"}
#: Words that count the noun after them: ``1 million rounds`` keeps its plural.
COUNTING_WORDS = ("thousand", "million", "billion", "trillion")


def singular_unit(unit: str) -> str:
    """The unit after the number 1: ``months`` → ``month``, ``people`` → ``person``,
    ``shells per year`` → ``shell per year``; ``million rounds`` stays as it is.

    Only the unit's first word, the noun counted, changes.
    """
    first, space, rest = unit.partition(" ")
    if first in COUNTING_WORDS:
        return unit
    if first in IRREGULAR_SINGULARS:
        first = IRREGULAR_SINGULARS[first]
    elif first.endswith("s") and not first.endswith("ss"):
        first = first[:-1]
    return first + space + rest


def number_text(value: float) -> str:
    """A number as prose: ``250,000``, ``2.5``, ``0.00001``, and whole millions in words
    (``2 million``, ``1,234,567.8 million``), never ``2e+06`` or ``1e-05``."""
    if abs(value) >= 1_000_000 and value % 100_000 == 0:
        return f"{_plain_number(value / 1_000_000)} million"
    return _plain_number(value)


def _plain_number(value: float) -> str:
    """Digits with thousands separators and as many decimals as the value has, never an exponent."""
    value = float(value)
    if value.is_integer():
        return f"{value:,.0f}"
    return format(Decimal(repr(value)), ",f")  # the shortest digits that give the value back


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
    (use ``{glue:md}`f01```, :func:`figure_md`), so no number in the prose is typed by hand.
    """
    for name, value in counts(data, source_id).items():
        glue(f"n_{name}", value)
    for figure in analysis.source_figures(data, source_id).itertuples():
        glue(figure.figure_id.rsplit("-", 1)[1],
             Markdown(figure_md(figure.value, figure.unit, figure.qualifier)))


def totals(data: BookData) -> dict[str, int]:
    """Counts across the whole book that the comparison chapters quote in their prose."""
    table = analysis.bargaining_table(data)
    own = analysis.bargaining_table(data, bases=("own words",))
    settlement = analysis.settlement_issues(data)
    return {
        "all_quotes": len(data.quotes),
        "all_positions": len(data.positions),
        "levelled_positions": int(data.positions["level"].notna().sum()),
        "actors": len(data.actors),
        "actors_coded": data.positions["actor_id"].nunique(),
        "issues": len(data.issues),
        "issues_coded": data.positions["issue_id"].nunique(),
        "settlement_issues": len(settlement),
        "process_issues": len(data.issues) - len(settlement),
        "unaddressed_issues": len(unaddressed_issues(data)),
        "sources": len(data.sources),
        "gaps": int((table["status"] == "gap").sum()),
        "overlaps": int((table["status"] == "overlap").sum()),
        "unknown": int((table["status"] == "unknown").sum()),
        "assumed_limits": int((table["ukraine_limit_stated"] == False).sum()  # noqa: E712 (NA is not assumed)
                              + (table["russia_limit_stated"] == False).sum()),
        "russia_own_words": int(((analysis.evidence(data)["bloc"] == "Russia")
                                 & (analysis.evidence(data)["basis"] == "own words")).sum()),
        "own_words_known": int((own["status"] != "unknown").sum()),
        "anonymous": int((data.quotes["sourcing"] == "anonymous official").sum()),
        **{f"basis_{basis.replace(' ', '_')}": count for basis, count in basis_counts(data).items()},
    }


def coding_summary(data: BookData) -> HTML:
    """Coded positions by bloc (rows) and basis (columns), with the split by issue kind, as HTML."""
    from .schema import BASES
    frame = analysis.evidence(data)
    table = pd.crosstab(frame["bloc"], frame["basis"]).reindex(columns=list(BASES), fill_value=0)
    table["all"] = table.sum(axis=1)
    table.loc["all blocs"] = table.sum()
    kinds = frame["issue_kind"].value_counts()
    table = table.reset_index()
    unlevelled = int(frame["level"].isna().sum())
    note = (f"{int(kinds.get('settlement', 0))} of the {len(frame)} positions are on settlement issues, "
            f"{int(kinds.get('process', 0))} on process issues; {unlevelled} "
            f"{'has' if unlevelled == 1 else 'have'} no level because the evidence does not fix one.")
    return HTML(html_table(table, {"bloc": "Bloc", **{b: b for b in BASES}, "all": "All"},
                           caption="Coded positions by bloc and evidence basis") + notice(note))


def reliability_summary(data: BookData, round_number: int = 1) -> HTML:
    """Per-issue agreement of one round's two independent codings, as an escaped HTML table with a legend."""
    from . import reliability

    first, second = reliability.load_codings(data, round_number=round_number)
    table = reliability.agreement_table(data, first, second)

    def number(value: float, digits: int = 2) -> str:
        return "—" if pd.isna(value) else f"{value:.{digits}f}"

    table = table.assign(
        both_text=[f"{b} of {u} ({s:.0%})" for b, u, s in zip(table["both"], table["units"], table["both_share"])],
        alpha_text=[number(a) if pd.isna(lo) else f"{number(a)} ({number(lo)} to {number(hi)})"
                    for a, lo, hi in zip(table["alpha"], table["ci_low"], table["ci_high"])],
        exact_text=[number(v) for v in table["exact_share"]],
        same_text=[number(v) for v in table["same_level_or_empty"]],
        stance_text=[number(v) for v in table["stance_alpha"]],
        basis_text=[number(v) for v in table["basis_alpha"]])
    legend = ("Units are one actor's stand on one issue in one source. “Coded by both” is the share of the units "
              "either coder coded that both coded. Alpha is Krippendorff's ordinal alpha on the levels of the units "
              "both coded with a level (95% bootstrap interval); “—” where fewer than two units are paired or all "
              "levels are the same, so alpha is undefined. “Same level or both empty” also counts a level against an "
              "empty level as a disagreement. The last row pools every issue, placing each level between the ends "
              "of its own scale.")
    return HTML(html_table(table, {"label": "Issue", "both_text": "Coded by both", "paired_levels": "Paired levels",
                                   "alpha_text": "Alpha, levels (95% interval)", "exact_text": "Same level",
                                   "same_text": "Same level or both empty", "stance_text": "Alpha, stance",
                                   "basis_text": "Alpha, basis"},
                           caption=f"Agreement of two independent codings, per issue (round {round_number})")
                + notice(legend))


def reliability_values(data: BookData, round_number: int = 1) -> dict[str, object]:
    """One round's overall agreement figures, as the codebook's prose quotes them (glued, never typed)."""
    from . import reliability

    first, second = reliability.load_codings(data, round_number=round_number)
    table = reliability.agreement_table(data, first, second, with_interval=False).set_index("issue_id")
    overall = table.loc["all"]
    issues = table.drop(index="all")
    rated = issues[issues["alpha"].notna()]
    return {"units": int(overall["units"]), "both": int(overall["both"]),
            "both_share": f"{overall['both_share']:.0%}", "paired": int(overall["paired_levels"]),
            "alpha": f"{overall['alpha']:.2f}", "same_or_empty": f"{overall['same_level_or_empty']:.0%}",
            "first_rows": len(first), "second_rows": len(second),
            "issues_rated": len(rated), "issues_below": int((rated["alpha"] < 0.8).sum())}


def glue_reliability(data: BookData) -> None:
    """Glue :func:`reliability_values` as ``r_units``, ``r_alpha``, … (hidden outputs).

    Numbers are glued as numbers (``{glue:}`r_units```), text such as "0.84"
    or "90%" as Markdown (``{glue:md}`r_alpha```), so no quotation marks show.
    """
    from . import reliability

    for round_number in reliability.ROUNDS:
        prefix = "r" if round_number == 1 else f"r{round_number}"
        for name, value in reliability_values(data, round_number).items():  # text as Markdown: {glue:md}`r_alpha`
            glue(f"{prefix}_{name}", Markdown(value) if isinstance(value, str) else value)


def basis_counts(data: BookData) -> dict[str, int]:
    """Positions per basis (own words, reported, inferred), in the codebook's order."""
    from .schema import BASES
    return {basis: int((data.positions["basis"] == basis).sum()) for basis in BASES}


def glue_totals(data: BookData) -> None:
    """Glue :func:`totals` into the page as ``t_all_quotes``, ``t_gaps``, … (hidden outputs)."""
    for name, value in totals(data).items():
        glue(f"t_{name}", value)


#: What the bargaining table's columns mean, shown under it.
BARGAINING_LEGEND = ("Settlement issues only. A side's limit is the furthest level towards the other side that its "
                     "coded red lines leave open (“stated”: a red line is coded, read by rule 6 of the codebook), "
                     "otherwise its demand (“assumed”: no red line is coded). A limit is a bound the statements "
                     "set, not an outcome the side has said it would accept. The basis says whose words the "
                     "limit rests on: a “stated; reported” limit is a red line known from someone else's "
                     "account. A gap counts the ordered scale steps between the two limits; the steps are not "
                     "equal distances, and gaps on different issues cannot be added.")


def _limit_text(data: BookData, issue_id: str, level: object, stated: object, basis: object) -> str:
    if level is None or pd.isna(level):
        return "not coded"
    how = "stated" if bool(stated) else "assumed"
    return f"{level_label(data, issue_id, level)} ({how}; {basis})"


def bargaining_summary(data: BookData, bases: tuple[str, ...] | None = None) -> HTML:
    """The bargaining table with level labels, each limit stated or assumed and its basis.

    ``bases=("own words",)`` gives the same table from the parties' own words only.
    """
    table = analysis.bargaining_table(data, bases=bases)
    status = {"overlap": "overlap", "gap": "gap", "unknown": "not both coded"}
    table = table.assign(
        ukraine=[_limit_text(data, i, v, st, b) for i, v, st, b in
                 zip(table["issue_id"], table["ukraine_limit"], table["ukraine_limit_stated"], table["ukraine_basis"])],
        russia=[_limit_text(data, i, v, st, b) for i, v, st, b in
                zip(table["issue_id"], table["russia_limit"], table["russia_limit_stated"], table["russia_basis"])],
        verdict=[status[s] if s != "gap" else f"gap of {count_phrase(int(g), 'step')}" for s, g in zip(table["status"], table["gap"])])
    evidence = "own words only" if bases == ("own words",) else ("all evidence" if bases is None else ", ".join(bases))
    return HTML(html_table(table, {"label": "Issue", "ukraine": "Ukraine's limit",
                                   "russia": "Russia's limit", "verdict": "Zone"},
                           caption=f"Latest coded limits of Ukraine and Russia, settlement issues ({evidence})")
                + notice(BARGAINING_LEGEND))


def coding_exercise_items(data: BookData, per_issue: int = 8, minimum: int = 20) -> list[str]:
    """Positions for the reliability lab: whole issues, the most coded first, until ``minimum`` items.

    Settlement issues come before process issues of the same size; each issue
    gives at most ``per_issue`` positions (in id order), with or without a level,
    so students also meet quotes whose words fit two levels. At least three
    issues are always used.
    """
    frame = analysis.evidence(data)
    counts = frame.groupby("issue_id").size()
    kinds = data.issues.set_index("issue_id")["kind"]
    order = sorted(counts.index, key=lambda i: (-min(int(counts[i]), per_issue), kinds[i] != "settlement", i))
    chosen: list[str] = []
    for number, issue_id in enumerate(order):
        if len(chosen) >= minimum and number >= 3:
            break
        rows = frame[frame["issue_id"] == issue_id].sort_values("position_id")
        chosen += list(rows["position_id"].head(per_issue))
    return chosen


def kinds_by_source(data: BookData) -> pd.DataFrame:
    """Excerpts per source (rows, oldest first) by kind: direct quote, reported speech, author's claim."""
    table = pd.crosstab(data.quotes["source_id"], data.quotes["kind"])
    return table.reindex(analysis.source_dates(data).index, fill_value=0)
