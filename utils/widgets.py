"""Widgets that compare negotiating positions, live in a notebook and in the static book.

Two families:

* **Static-capable** widgets (:func:`position_explorer`, :func:`actor_comparison`,
  :func:`bargaining_explorer`) precompute every view as HTML and put the views
  in a ``Stack``; their dropdowns are tied to the stacks with
  ``ipywidgets.jslink``, which runs in the browser. They behave the same with a
  kernel and in the published HTML, which has none.
* **Live-only** widgets (:func:`what_if_bargaining`, :func:`code_it_yourself`)
  recompute in Python. They are wrapped in :class:`LiveOnly`, which also
  carries a static HTML rendering; the book's build prefers that rendering
  (``nb_mime_priority_overrides`` in ``_config.yml``), so a reader of the static
  page sees the starting state and a "run this notebook" label, never a dead
  control. JupyterLab prefers the widget.

All text from the data is escaped by :mod:`utils.render`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import ipywidgets as W
from ipywidgets.widgets.widget_string import HTMLStyle
import pandas as pd

from . import analysis
from .data import BookData
from .dates import display_date, period_end
from .render import BLOC_COLOURS, esc, html_table, level_label, notice, source_label, source_link, table_wrap_open
from .scope import number_word
from .sentences import count_phrase

LIVE_LABEL = "Run this notebook to use this tool (in JupyterLab or Binder); the static book shows its starting state."


# --------------------------------------------------------------------------- building blocks

@dataclass
class SharedLook:
    """One layout and one style model for all the views and stacks of a widget.

    Every ipywidget gets its own layout and style models unless given one;
    a widget with a hundred precomputed views would embed a hundred identical
    pairs of them in the page (a third of its weight). Sharing them embeds one.
    """

    layout: W.Layout = field(default_factory=lambda: W.Layout(width="100%"))
    style: HTMLStyle = field(default_factory=HTMLStyle)


def view(html: str, look: SharedLook) -> W.HTML:
    """One precomputed view."""
    return W.HTML(value=html, layout=look.layout, style=look.style)


#: The CSS class of a stack whose view a control switches: the book's script (_static/book-live.js)
#: makes it a polite live region, so a screen reader announces the view a choice brings up.
LIVE_CLASS = "book-live"


def stack(children: Sequence[W.Widget], look: SharedLook) -> W.Stack:
    """A Stack showing its first child."""
    return W.Stack(children=list(children), selected_index=0, layout=look.layout)


def live(target: W.Stack) -> W.Stack:
    """Mark the stack a reader's choice switches, so the new view is announced (see :data:`LIVE_CLASS`)."""
    target.add_class(LIVE_CLASS)
    return target


def linked_dropdown(description: str, options: Sequence[str], stacks: Sequence[W.Stack],
                    value_index: int = 0) -> W.Dropdown:
    """A dropdown whose index drives the ``selected_index`` of every stack, in the browser too."""
    dropdown = W.Dropdown(options=list(options), index=value_index, description=description,
                          style={"description_width": "initial"},
                          layout=W.Layout(width="max-content", max_width="100%"))
    for target in stacks:
        target.selected_index = value_index
        # jslink runs in the browser, so the static page switches views with no
        # kernel; dlink keeps the kernel's copy in step (and lets tests check it).
        W.jslink((dropdown, "index"), (target, "selected_index"))
        W.dlink((dropdown, "index"), (target, "selected_index"))
    return dropdown


def two_way_switcher(first: tuple[str, Sequence[str]], second: tuple[str, Sequence[str]],
                     views: Sequence[Sequence[str]], second_index: int = 0,
                     first_index: int = 0) -> W.VBox:
    """Two dropdowns choosing among ``views[i][j]``: a Stack of Stacks, all jslinked.

    The first dropdown picks the outer stack's child; the second drives every
    inner stack at once, so both choices work without a kernel. Identical views
    share one widget, so the page embeds each distinct view once.
    """
    look = SharedLook()
    if not views or not views[0]:
        return W.VBox([view(notice("Nothing to choose from: the selection is empty."), look)])
    shared: dict[str, W.HTML] = {}  # identical views are one widget, embedded in the page once
    for html in (html for row in views for html in row):
        if html not in shared:  # made only once: every widget made is stored in the notebook
            shared[html] = view(html, look)
    inner = [stack([shared[html] for html in row], look) for row in views]
    outer = live(stack(inner, look))
    first_control = linked_dropdown(first[0], first[1], [outer], value_index=first_index)
    second_control = linked_dropdown(second[0], second[1], inner, value_index=second_index)
    controls = W.HBox([first_control, second_control],
                      layout=W.Layout(flex_flow="row wrap"))
    return W.VBox([controls, outer], layout=W.Layout(width="100%"))


def one_way_switcher(description: str, options: Sequence[str], views: Sequence[str]) -> W.VBox:
    """One dropdown choosing among precomputed views."""
    look = SharedLook()
    if not views:
        return W.VBox([view(notice("Nothing to choose from: the selection is empty."), look)])
    target = live(stack([view(html, look) for html in views], look))
    return W.VBox([linked_dropdown(description, options, [target]), target],
                  layout=W.Layout(width="100%"))


@dataclass
class LiveOnly:
    """A Python-driven widget plus the static HTML the published book shows instead."""

    widget: W.Widget
    static_html: str

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        bundle = self.widget._repr_mimebundle_(**kwargs)
        bundle["text/html"] = self.static_html
        return bundle


# --------------------------------------------------------------------------- position explorer

#: The most moments an explorer offers. Each moment is a full set of views (one per issue) embedded
#: in the page, so a book of 40 sources would otherwise weigh several megabytes on one page.
MAX_MOMENTS = 12


def spread(count: int, most: int) -> list[int]:
    """``most`` indices out of ``count``, evenly spread, the first and the last always among them."""
    if count <= most:
        return list(range(count))
    if most < 2:
        return [count - 1][:most]
    return sorted({round(i * (count - 1) / (most - 1)) for i in range(most)})


def moments(data: BookData, source_ids: Sequence[str] | None = None, most: int = MAX_MOMENTS) -> pd.DataFrame:
    """The moments a student can choose: each source's date, oldest first.

    ``source_ids`` keeps only those sources' dates (default: every source); with more than
    ``most`` sources, ``most`` dates spread evenly over the period (first and latest kept).
    """
    frame = data.sources
    if source_ids is not None:
        frame = frame[frame["source_id"].isin(list(source_ids))]
    frame = frame.sort_values("published", ignore_index=True)
    frame = frame.iloc[spread(len(frame), most)].reset_index(drop=True)
    # A moment covers its whole period: a text of "November 2023" sees all of November.
    frame["until"] = [period_end(d, p) for d, p in zip(frame["published"], frame["date_precision"])]
    frame["option"] = [f"{display_date(d, p)} ({s})" for d, p, s in
                       zip(frame["published"], frame["date_precision"], frame["short_name"])]
    return frame


def positions_view(data: BookData, issue_id: str, as_of: pd.Timestamp, moment: str,
                   matrix: pd.DataFrame | None = None) -> str:
    """Who holds which level on one issue as of a date, with the evidence.

    ``matrix`` may pass the :func:`analysis.position_matrix` already computed for ``as_of``.
    """
    if matrix is None:
        matrix = analysis.position_matrix(data, as_of=as_of)
    rows = matrix[matrix["issue_id"] == issue_id].sort_values(["level", "bloc", "name"])
    label = data.issues.set_index("issue_id").loc[issue_id, "label"]
    if rows.empty:
        return notice(f"No position on “{label}” is coded by the date chosen.")
    table = rows.assign(
        level_text=[level_label(data, issue_id, lvl) for lvl in rows["level"]],
        source=[source_link(data, s) for s in rows["source_id"]],
        date=[display_date(d, p) for d, p in zip(rows["stated_on"], rows["stated_precision"])])
    # The caption leaves the date to the dropdown, so moments that show the same positions share one
    # view (see two_way_switcher): a book with many sources stays light.
    caption = f"{label}: latest coded position of each actor by the date chosen"
    classes = [f"bloc-{bloc.lower().replace(' ', '-')}" for bloc in table["bloc"]]
    return html_table(table, {"name": "Actor", "bloc": "Bloc", "level_text": "Level",
                              "stance": "Stance", "basis": "Basis", "text": "Evidence (verbatim)",
                              "source": "Source", "date": "Stated"},
                      caption=caption, row_classes=classes)


def position_explorer(data: BookData, issue_ids: Sequence[str] | None = None,
                      start_source: str | None = None,
                      moment_sources: Sequence[str] | None = None) -> W.VBox:
    """Choose an issue and a moment: who holds which level then, with quotes.

    ``issue_ids`` limits and orders the issues (default: all);
    ``moment_sources`` limits the moments to those sources' dates (default:
    every source's); ``start_source`` picks the moment shown first (default:
    the latest). Each moment's positions are computed once, for all issues.
    """
    issues = data.issues.set_index("issue_id").loc[list(data.issues["issue_id"] if issue_ids is None else issue_ids)]
    times = moments(data, moment_sources)
    start = (times.index[times["source_id"] == start_source][0]
             if start_source else len(times) - 1)
    matrices = [analysis.position_matrix(data, as_of=when) for when in times["until"]]
    views = [[positions_view(data, issue_id, when, option, matrix)
              for when, option, matrix in zip(times["until"], times["option"], matrices)]
             for issue_id in issues.index]
    return two_way_switcher(("Issue:", list(issues["label"])), ("As of:", list(times["option"])),
                            views, second_index=int(start))


# --------------------------------------------------------------------------- actor comparison

def comparison_view(data: BookData, first: str, second: str,
                    matrix: pd.DataFrame | None = None) -> str:
    """Issue-by-issue table of two actors' latest levels; agreements highlighted."""
    names = data.actors.set_index("actor_id")["name"]
    if first == second:
        return notice(f"Choose two different actors to compare ({names[first]} is chosen twice).")
    frame = analysis.compare_actors(data, first, second, matrix=matrix)
    coded = frame.dropna(subset=["level_first", "level_second"], how="all")
    if coded.empty:
        return notice(f"Neither {names[first]} nor {names[second]} has a coded level on any issue.")
    coded = coded.assign(
        first_text=[_level_with_stance(data, i, lvl, st, b, s) for i, lvl, st, b, s in
                    zip(coded["issue_id"], coded["level_first"], coded["stance_first"],
                        coded["basis_first"], coded["source_first"])],
        second_text=[_level_with_stance(data, i, lvl, st, b, s) for i, lvl, st, b, s in
                     zip(coded["issue_id"], coded["level_second"], coded["stance_second"],
                         coded["basis_second"], coded["source_second"])],
        verdict=[_verdict(gap, a, b) for gap, a, b in
                 zip(coded["gap"], coded["stance_first"], coded["stance_second"])])
    agreed = int((coded["verdict"] == "✔ same level").sum())
    both = int(coded["gap"].notna().sum())
    summary = notice(f"{names[first]} and {names[second]}: both coded on {count_phrase(both, 'issue')}, "
                     f"same level and stance on {agreed}.")
    classes = ["agree" if v == "✔ same level" else "" for v in coded["verdict"]]
    table = html_table(coded, {"label": "Issue", "first_text": names[first],
                               "second_text": names[second], "verdict": "Comparison"},
                       caption=f"{names[first]} compared with {names[second]}", row_classes=classes)
    return summary + table


def _level_with_stance(data: BookData, issue_id: str, level: object, stance: object,
                       basis: object = None, source: object = None) -> str:
    """``"2 · Later, not yet (goal; reported; NBC News, Nov 2023)"``, or ``"not coded"``."""
    if level is None or pd.isna(level):
        return "not coded"
    if source is not None and not pd.isna(source):
        source = source_label(data, str(source))
    details = "; ".join(str(part) for part in (stance, basis, source) if part is not None and not pd.isna(part))
    return f"{level_label(data, issue_id, level)} ({details})"


def _verdict(gap: object, first_stance: object = None, second_stance: object = None) -> str:
    """Compare two levels; a goal and an expectation at one level are not an agreement."""
    if pd.isna(gap):
        return "only one coded"
    if first_stance != second_stance:
        return "same level, different stance" if gap == 0 else f"{steps(abs(int(gap)))} apart, different stance"
    if gap == 0:
        return "✔ same level"
    return f"{steps(abs(int(gap)))} apart"


def actor_comparison(data: BookData, actor_ids: Sequence[str] | None = None,
                     min_issues: int = 3) -> W.VBox:
    """Choose two actors: their positions side by side, issue by issue.

    ``actor_ids`` limits the choice (default: every actor with a coded level
    on at least ``min_issues`` issues).
    """
    matrix = analysis.position_matrix(data)
    if actor_ids is None:
        coded = matrix.groupby("actor_id").size()
        actor_ids = sorted(coded[coded >= min_issues].index)
    actor_ids = list(actor_ids)
    names = data.actors.set_index("actor_id").loc[actor_ids, "name"]
    views = [[comparison_view(data, a, b, matrix) for b in actor_ids] for a in actor_ids]
    first = actor_ids.index("ukraine") if "ukraine" in actor_ids else 0
    second = actor_ids.index("russia") if "russia" in actor_ids else min(1, len(actor_ids) - 1)
    return two_way_switcher(("Actor A:", list(names)), ("Actor B:", list(names)), views,
                            second_index=second, first_index=first)


# --------------------------------------------------------------------------- bargaining range

#: The evidence choices of the bargaining explorer: label and the bases kept (None = all).
EVIDENCE_CHOICES = (("all evidence", None), ("own words only", ("own words",)))


#: The parties a range chart shows, one row each; only Ukraine and Russia own an end of the scale.
RANGE_PARTIES = ("Ukraine", "Europe", "United States", "Russia")
#: The range chart's last row: the levels both sides could accept (the zone), drawn from the same zone as the verdict.
ZONE_ROW = "Both could accept"
#: The zone row's colour (Okabe–Ito yellow), with black text on it.
ZONE_COLOUR = "#F0E442"


def steps(count: int) -> str:
    """``1 step``, ``2 steps``: a distance on an issue's scale, never ``2 step(s)``."""
    return f"{count} step" if count == 1 else f"{count} steps"


def zone_verdict(zone: analysis.Zone, sides: dict[str, analysis.PartyRange]) -> str:
    """The sentence under a range chart, from the same zone and ranges the chart is drawn from: it
    speaks of "the stated limits" only when both limits are coded red lines, not moved."""
    both_stated = all(sides[party].limit_stated and not sides[party].moved for party in analysis.SIDES)
    between = "the stated limits" if both_stated else "the limits shown (not both stated red lines)"
    if zone.status == "overlap":
        where = f"level {zone.low}" if zone.low == zone.high else f"levels {zone.low}–{zone.high}"
        return f"Zone between {between}: {where} (from Russia's limit to Ukraine's)."
    if zone.status == "gap":
        return (f"No zone between {between}: Ukraine's limit is level {sides['Ukraine'].limit} and Russia's "
                f"is level {sides['Russia'].limit}, {steps(int(zone.gap))} apart.")
    return "Not enough coded goals or red lines to tell whether the sides' ranges overlap."


def _band_text(found: analysis.PartyRange, level: int) -> str:
    """What a party's cell at ``level`` says: ``asks``, ``red line``, ``what-if limit`` or, where a
    moved red line was coded, ``coded red line``; two of them, or nothing."""
    asks = level == found.best and found.has_goal  # with no red line coded, the demand is the limit too
    limit = "what-if limit" if found.moved else ("red line" if found.limit_stated else "")
    coded = found.moved and found.limit_stated and level == found.moved_from
    return "; ".join(text for text, shown in (("asks", asks), (limit, level == found.limit and limit),
                                              ("coded red line", coded)) if shown)


def _band_row(found: analysis.PartyRange, levels: Sequence[int]) -> str:
    """One party's row of the range chart: its cells from what it asks to its limit are coloured."""
    cells = ""
    for level in levels:
        inside = found.best is not None and found.low <= level <= found.high
        text = _band_text(found, level)  # empty outside the band, but for a moved red line's coded level
        style = f' style="background:{BLOC_COLOURS[found.party]}"' if inside else ""
        cells += f'<td class="{"in" if inside else "out"}"{style}>{esc(text)}</td>'
    return f'<tr><th scope="row">{esc(found.party)}</th>{cells}</tr>'


def _zone_row(zone: analysis.Zone, levels: Sequence[int]) -> str:
    """The chart's last row: the zone's levels marked ``zone``; empty when the sides' limits do not meet."""
    cells = ""
    for level in levels:
        inside = zone.status == "overlap" and zone.low <= level <= zone.high
        cells += (f'<td class="zone" style="background:{ZONE_COLOUR};color:#000000">zone</td>' if inside
                  else '<td class="out"></td>')
    return f'<tr class="zone-row"><th scope="row">{esc(ZONE_ROW)}</th>{cells}</tr>'


def _limit_notes(ranges: dict[str, analysis.PartyRange]) -> str:
    """Where each side's limit comes from: a stated red line, the demand (assumed) or the what-if
    tool, and for a what-if, the coded limit it replaces."""
    notes = []
    for party in analysis.SIDES:
        found = ranges[party]
        if found.best is None:
            continue
        if found.moved:
            coded = "a stated red line" if found.limit_stated else "the demand, assumed since no red line is coded"
            notes.append(f"{party}: limit set with the what-if tool (the coded limit is level {found.moved_from}, "
                         f"{coded}; basis: {found.limit_basis})")
        else:
            how = "stated red line" if found.limit_stated else "no red line coded, so the demand is assumed as the limit"
            notes.append(f"{party}: {how} (basis: {found.limit_basis})")
    return notice("; ".join(notes) + ".") if notes else ""


def range_view(data: BookData, issue_id: str, limits: dict[tuple[str, str], int] | None = None,
               bases: tuple[str, ...] | None = None) -> str:
    """An HTML range chart (one row per side, cells per level, a zone row) and the verdict for one issue.

    The sides' bands, the zone row and the verdict all come from one
    :func:`analysis.issue_zone`, so they cannot disagree. Each side's limit is
    marked "red line" when stated; a line under the chart gives each limit's
    basis. ``limits`` moves red lines (the what-if tool); ``bases`` keeps only
    evidence of those kinds.
    """
    scale = data.issue_levels[data.issue_levels["issue_id"] == issue_id]
    label = data.issues.set_index("issue_id").loc[issue_id, "label"]
    sides, zone = analysis.issue_zone(data, issue_id, limits=limits, bases=bases)
    ranges = {party: sides.get(party) or analysis.party_range(data, party, issue_id, bases=bases)
              for party in RANGE_PARTIES}
    levels = [int(level) for level in scale["level"]]
    header = "".join(f'<th scope="col" title="{esc(d)}">{int(lvl)}<br><span>{esc(t)}</span></th>'
                     for lvl, t, d in zip(scale["level"], scale["label"], scale["description"]))
    body = "".join(_band_row(ranges[party], levels) for party in RANGE_PARTIES) + _zone_row(zone, levels)
    uncoded = [party for party in RANGE_PARTIES if ranges[party].best is None]
    evidence = "own words only" if bases == ("own words",) else "all evidence"
    return (f'{table_wrap_open(label)}<table class="book-range"><caption>{esc(label)}: '
            f"each side's range, from what it asks to its limit ({esc(evidence)})</caption>"
            f'<thead><tr><td></td>{header}</tr></thead><tbody>{body}</tbody></table></div>'
            + notice(zone_verdict(zone, sides))
            + _limit_notes(ranges)
            + (notice(f"No goal or red line coded for: {', '.join(uncoded)} "
                      "(expectations are not demands and are not shown).") if uncoded else ""))


def bargaining_explorer(data: BookData, issue_ids: Sequence[str] | None = None) -> W.VBox:
    """Choose a settlement issue and the evidence (all, or own words only): each side's range and the zone."""
    chosen = analysis.settlement_issues(data) if issue_ids is None else list(issue_ids)
    issues = data.issues.set_index("issue_id").loc[chosen]
    views = [[range_view(data, issue_id, bases=bases) for _, bases in EVIDENCE_CHOICES]
             for issue_id in issues.index]
    return two_way_switcher(("Issue:", list(issues["label"])),
                            ("Evidence:", [label for label, _ in EVIDENCE_CHOICES]), views)


def timeline_explorer(data: BookData, issue_ids: Sequence[str] | None = None) -> W.VBox:
    """Choose an issue: a chart of every coded position on it across the five sources."""
    from .figures import position_timeline_chart  # matplotlib loads only where a chart is drawn

    issues = data.issues.set_index("issue_id").loc[list(data.issues["issue_id"] if issue_ids is None else issue_ids)]
    return one_way_switcher("Issue:", list(issues["label"]),
                            [position_timeline_chart(data, issue_id).html() for issue_id in issues.index])


# --------------------------------------------------------------------------- live-only tools

def limit_kind(row: pd.Series, side: str) -> str | None:
    """How ``side``'s (``"ukraine"`` or ``"russia"``) limit in a :func:`analysis.bargaining_table`
    row is set: ``"stated"`` (a coded red line), ``"assumed"`` (the demand, no red line coded),
    ``"what-if"`` (moved with the tool), or None when the side has no limit."""
    if pd.isna(row[f"{side}_limit"]):
        return None
    if not pd.isna(row[f"{side}_moved_from"]):
        return "what-if"
    return "stated" if row[f"{side}_limit_stated"] else "assumed"


def limit_origin(row: pd.Series, side: str) -> str:
    """The what-if summary's cell for ``side``'s limit: its level and how it is set, e.g. ``level 3:
    stated (reported)``, ``level 1: assumed (own words)`` or, for a limit the tool moved, ``level 4:
    what-if; coded: stated (reported) at level 3``; ``—`` when the side has no limit."""
    kind = limit_kind(row, side)
    if kind is None:
        return "—"
    coded = f"{'stated' if row[f'{side}_limit_stated'] else 'assumed'} ({row[f'{side}_basis']})"
    how = f"what-if; coded: {coded} at level {int(row[f'{side}_moved_from'])}" if kind == "what-if" else coded
    return f"level {int(row[f'{side}_limit'])}: {how}"


def zone_text(row: pd.Series) -> str:
    """The what-if summary's zone cell: ``zone at levels 4–5``, ``gap of 3 steps`` or ``not enough data``."""
    if row["status"] == "overlap":
        low, high = int(row["zone_low"]), int(row["zone_high"])
        return f"zone at level {low}" if low == high else f"zone at levels {low}–{high}"
    if row["status"] == "gap":
        return f"gap of {steps(int(row['gap']))}"
    return "not enough data"


def _on_so_many(count: int, total: int) -> str:
    """``there`` (of one issue), ``on both of them``, ``on all three of them``, ``on one of them``."""
    if total == 1:
        return "there"
    if count == total:
        return "on both of them" if total == 2 else f"on all {number_word(total)} of them"
    return f"on {number_word(count)} of them"


def summary_verdict(table: pd.DataFrame) -> str:
    """The what-if summary's first sentence, from a :func:`analysis.bargaining_table`: on how many
    issues coded on both sides the ranges overlap or leave a gap, and on how many of the issues
    it speaks of a limit is assumed or set with the what-if tool."""
    coded = table[table["status"] != "unknown"]
    if coded.empty:
        return "No settlement issue has both sides coded."
    gaps = coded[coded["status"] == "gap"]
    rows = gaps if not gaps.empty else coded
    if len(coded) == 1:
        where = "On the one settlement issue where both sides are coded"
    elif len(rows) == len(coded):
        where = f"On {'the two' if len(coded) == 2 else 'all ' + number_word(len(coded))} settlement issues " \
                "where both sides are coded"
    else:
        where = f"On {number_word(len(rows))} of the {number_word(len(coded))} settlement issues where both sides are coded"
    verdict = "the ranges overlap" if gaps.empty else "the ranges do not overlap"
    kinds = [{limit_kind(row, side) for side in ("ukraine", "russia")} for _, row in rows.iterrows()]
    caveats = [f"{_on_so_many(count, len(rows))} {text}" for text, count in (
        ("a limit is assumed from a demand, since no red line is coded", sum("assumed" in k for k in kinds)),
        ("a limit is set with the what-if tool", sum("what-if" in k for k in kinds))) if count]
    return f"{where}, {verdict}" + "".join(f"; {caveat}" for caveat in caveats) + "."


def zone_summary(data: BookData, limits: dict[tuple[str, str], int] | None = None) -> str:
    """Every issue's zone or gap, how each limit is set, and the overall verdict, as escaped HTML."""
    table = analysis.bargaining_table(data, limits=limits)
    rows = [row for _, row in table.iterrows()]
    table = table.assign(ukraine_how=[limit_origin(row, "ukraine") for row in rows],
                         russia_how=[limit_origin(row, "russia") for row in rows],
                         zone_text=[zone_text(row) for row in rows])
    return notice(summary_verdict(table)) + html_table(
        table, {"label": "Issue", "ukraine_how": "Ukraine's limit", "russia_how": "Russia's limit",
                "zone_text": "Zone or gap"},
        caption="Zone between the two sides' limits, per settlement issue")


#: The label of the what-if tool's button that puts every limit back where the book codes it.
RESET_LABEL = "Reset to the coded limits"


def red_line_bounds(row: pd.Series) -> dict[str, tuple[int, int]]:
    """How far each side's red line may move on one issue (a :func:`analysis.bargaining_table` row).

    From the side's own demand towards the other end of the scale: a red line past
    the demand would have a side accept less than it asks for (see :func:`analysis.with_limit`).
    """
    return {"Ukraine": (int(row["ukraine_best"]), int(row["top"])),
            "Russia": (1, int(row["russia_best"]))}


def bounds_text(row: pd.Series) -> str:
    """The sentence that tells how far each side's limit can move on one issue (a
    :func:`analysis.bargaining_table` row; see :func:`red_line_bounds`)."""
    bounds = red_line_bounds(row)
    (u_low, u_high), (r_low, r_high) = bounds["Ukraine"], bounds["Russia"]
    return (f"{_moves('Ukraine', u_low, u_high, 'up', bool(row['ukraine_has_goal']))} "
            f"{_moves('Russia', r_high, r_low, 'down', bool(row['russia_has_goal']))} "
            "Neither can move past its side's own demand.")


def _moves(party: str, demand: int, far: int, direction: str, has_goal: bool) -> str:
    """``Ukraine's limit moves from its own demand (level 1) up to level 4.``; with no goal coded,
    the red line stands for the demand, and the sentence says so."""
    start = (f"its own demand (level {demand})" if has_goal
             else f"level {demand} (its red line; no goal is coded, so the red line is also its demand)")
    if demand == far:
        return f"{party}'s limit cannot move from {start}: that is already the far end."
    return f"{party}'s limit moves from {start} {direction} to level {far}."


def _red_line_slider(description: str) -> W.IntSlider:
    """A slider for one side's red line; its bounds are set per issue by :func:`_set_slider`."""
    return W.IntSlider(description=description, min=1, max=1, continuous_update=False,
                       style={"description_width": "initial"}, layout=W.Layout(width="24em", max_width="100%"))


def _set_slider(slider: W.IntSlider, low: int, high: int, value: int) -> None:
    """Give ``slider`` new bounds and value; widened first, so its minimum never passes its maximum."""
    slider.min, slider.max = min(low, slider.min), max(high, slider.max)
    slider.min, slider.max = low, high
    slider.value = value


def what_if_bargaining(data: BookData) -> LiveOnly:
    """Move Ukraine's or Russia's limit on an issue and see where a zone between the limits opens.

    Each red line moves between the side's own demand and the far end of the
    scale (:func:`red_line_bounds`); moved lines are remembered per issue until
    the reset button puts every one back. The chart, its verdict and the summary
    table all come from :func:`analysis.issue_zone`.
    """
    base = analysis.bargaining_table(data)
    coded = base[base["status"] != "unknown"].set_index("issue_id")
    static = notice(LIVE_LABEL, "live") + zone_summary(data)
    if coded.empty:
        return LiveOnly(W.HTML(notice("No settlement issue has both sides coded: nothing to move.")), static)
    limits: dict[tuple[str, str], int] = {}
    issue = W.Dropdown(options=list(zip(coded["label"], coded.index)), description="Issue:",
                       layout=W.Layout(width="max-content", max_width="100%"))
    sliders = {"Ukraine": _red_line_slider("Ukraine's limit"), "Russia": _red_line_slider("Russia's limit")}
    reset = W.Button(description=RESET_LABEL, icon="undo", layout=W.Layout(width="max-content", max_width="100%"))
    hint, detail, summary = W.HTML(), W.HTML(), W.HTML()

    def coded_limit(party: str) -> int:
        return int(coded.loc[issue.value, f"{party.lower()}_limit"])

    def redraw(*_: object) -> None:
        for party, slider in sliders.items():
            if slider.value == coded_limit(party):
                limits.pop((party, issue.value), None)  # back at the coded limit: not a what-if any more
            else:
                limits[(party, issue.value)] = slider.value
        detail.value = range_view(data, issue.value, limits)
        summary.value = zone_summary(data, limits)

    def choose_issue(*_: object) -> None:
        bounds = red_line_bounds(coded.loc[issue.value])
        for party, slider in sliders.items():
            slider.unobserve(redraw, "value")
            _set_slider(slider, *bounds[party], limits.get((party, issue.value), coded_limit(party)))
            slider.observe(redraw, "value")
        hint.value = notice(bounds_text(coded.loc[issue.value]))
        redraw()

    def reset_all(*_: object) -> None:
        limits.clear()
        choose_issue()

    issue.observe(choose_issue, "value")
    reset.on_click(reset_all)
    choose_issue()
    controls = W.HBox([sliders["Ukraine"], sliders["Russia"], reset], layout=W.Layout(flex_flow="row wrap"))
    return LiveOnly(W.VBox([issue, controls, hint, detail, summary]), static)


#: The value a lab dropdown gives for "no level: the words fit two levels (rule 7)".
NO_LEVEL = -1
#: The stances a student can choose, with the words shown for them (the data's ids stay inside).
STANCE_LABELS = {"goal": "goal", "red-line": "red line", "expectation": "expectation"}
STANCE_CHOICES = tuple(STANCE_LABELS)
#: With fewer items than this with a level on both sides, an issue's alpha and kappa come with a caveat.
MIN_ITEMS_FOR_AGREEMENT = 5
#: The lab's button: short enough to show whole next to the answers.
COMPARE_LABEL = "Compare with the book"
#: What replaces a comparison as soon as an answer changes, so no result stands for answers it did not see.
STALE_TEXT = f"Your answers have changed: press “{COMPARE_LABEL}” again for a new comparison."


def _fit(min_width: str = "") -> W.Layout:
    """A control as wide as its longest choice or label (and ``min_width``), never wider than the notebook."""
    return W.Layout(width="max-content", max_width="100%", min_width=min_width or None)


def _whose(item: pd.Series, names: pd.Series) -> str:
    """The actor, and whose words the quote is when they are someone else's."""
    speaker = names[item["speaker_id"]]
    return item["name"] if speaker == item["name"] else f"{item['name']} (in the words of {speaker})"


def _level_options(data: BookData, issue_id: str) -> list[tuple[str, int]]:
    """A lab dropdown's choices: nothing yet, each level of the issue's scale, or no level."""
    scale = data.issue_levels[data.issue_levels["issue_id"] == issue_id]
    return ([("— choose a level —", 0)]
            + [(level_label(data, issue_id, lvl), int(lvl)) for lvl in scale["level"]]
            + [("no level (the words fit two levels)", NO_LEVEL)])


def _lab_level_text(data: BookData, issue_id: str, level: object) -> str:
    """A level as the dropdowns show it (``3 · Freeze``), or ``no level``."""
    if level is None or pd.isna(level) or level == NO_LEVEL:
        return "no level"
    return level_label(data, issue_id, level)


def code_it_yourself(data: BookData, position_ids: Sequence[str]) -> LiveOnly:
    """A reliability lab: code each quote's level (or no level) and stance, then compare with the book.

    The comparison is per issue, with Krippendorff's ordinal alpha (a near miss
    costs less than a far one), the share of exact matches, and stance agreement;
    see :func:`agreement_report`. Changing an answer clears the last comparison.
    Controls are as wide as their text and wrap, so nothing is cut in a narrow notebook.
    """
    items = analysis.evidence(data).set_index("position_id").loc[list(position_ids)]
    labels = data.issues.set_index("issue_id")["label"]
    names = data.actors.set_index("actor_id")["name"]
    levels: list[W.Dropdown] = []
    stances: list[W.Dropdown] = []
    rows: list[W.Widget] = []
    for _, item in items.iterrows():
        issue = labels[item["issue_id"]]
        levels.append(W.Dropdown(options=_level_options(data, item["issue_id"]), value=0, description="Level:",
                                 tooltip=f"Level on “{issue}”", layout=_fit(),
                                 style={"description_width": "initial"}))
        stances.append(W.Dropdown(options=[("— stance —", "")] + [(t, s) for s, t in STANCE_LABELS.items()],
                                  value="", description="Stance:", layout=_fit("11em"),
                                  style={"description_width": "initial"}))
        rows.append(W.HTML(f"<p>{esc(issue)} · <strong>{esc(_whose(item, names))}</strong>: “{esc(item['text'])}”</p>",
                           layout=W.Layout(width="100%")))
        rows.append(W.HBox([levels[-1], stances[-1]], layout=W.Layout(flex_flow="row wrap", grid_gap="0 1.5em")))
    result = W.HTML(layout=W.Layout(width="100%"))
    button = W.Button(description=COMPARE_LABEL, button_style="primary", layout=_fit())

    def compare(*_: object) -> None:
        result.value = agreement_report(data, list(position_ids), [c.value for c in levels],
                                        [c.value for c in stances])

    def mark_stale(*_: object) -> None:
        if result.value:
            result.value = notice(STALE_TEXT)

    button.on_click(compare)
    for control in levels + stances:
        control.observe(mark_stale, "value")
    listing = "".join(f"<li><strong>{esc(labels[item['issue_id']])}</strong> — {esc(_whose(item, names))}: "
                      f"“{esc(item['text'])}”</li>" for _, item in items.iterrows())
    static = (notice(LIVE_LABEL, "live")
              + notice(f"{len(items)} quotes on {items['issue_id'].nunique()} issues to code: for each, choose "
                       "a level of the issue's scale (or “no level”) and a stance; the notebook then compares "
                       "your coding with the book's, issue by issue.")
              + f"<ol class='book-coding-items'>{listing}</ol>")
    return LiveOnly(W.VBox(rows + [button, result], layout=W.Layout(width="100%")), static)


def agreement_report(data: BookData, position_ids: Sequence[str], levels: Sequence[int],
                     stances: Sequence[str] | None = None) -> str:
    """A student's coding against the book's, item by item and per issue (ordinal alpha, exact matches).

    ``levels`` holds 0 for "not answered" and :data:`NO_LEVEL` for "no level".
    Items not answered are left out; an item the book codes with no level is
    compared as "no level". Plain Cohen's kappa is shown alongside: it counts a
    near miss as a full miss. An issue with fewer than
    :data:`MIN_ITEMS_FOR_AGREEMENT` items coded with a level on both sides gets
    a caveat. Issues, levels and stances are shown as the dropdowns show them.
    """
    stances = list(stances) if stances is not None else [""] * len(levels)
    answered = [(pid, lvl, st) for pid, lvl, st in zip(position_ids, levels, stances) if lvl]
    if not answered:
        return notice("Choose a level (or “no level”) for at least one quote first.")
    frame = _lab_frame(data, answered)
    per_issue = pd.DataFrame([_issue_agreement(data, group) for _, group in frame.groupby("issue_id", sort=False)])
    summary = html_table(per_issue,
                         {"issue": "Issue", "items": "Items", "same": "Same level",
                          "alpha": "Ordinal alpha", "kappa": "Plain kappa", "stance": "Same stance",
                          "caveat": "Read with care"},
                         caption="Your coding against the book's, per issue")
    caveat = (notice(f"Alpha and kappa need at least {MIN_ITEMS_FOR_AGREEMENT} items with a level on both sides "
                     "to mean much: with fewer, one answer swings them widely. Read them as a rough sign where "
                     "the last column says so.") if (per_issue["caveat"] != "").any() else "")
    legend = notice("Ordinal alpha counts a near miss (one step) as a smaller disagreement than a far one; plain "
                    "Cohen's kappa counts every miss alike. Both are 1 for perfect agreement, 0 for agreement at "
                    "chance level, and negative below it; “—” where too few items have a level on both sides. "
                    "“No level” against a level counts as a miss in “Same level”, and is left out of alpha.")
    details = html_table(frame, {"issue": "Issue", "who": "Whose position", "your_text": "Your level",
                                 "book_text": "Book's level", "match": "Same level?",
                                 "your_stance": "Your stance", "book_stance": "Book's stance"},
                         caption="Item by item")
    return summary + caveat + legend + details


def _lab_frame(data: BookData, answered: Sequence[tuple[str, int, str]]) -> pd.DataFrame:
    """One row per answered item: the student's and the book's level and stance, values and labels."""
    book = analysis.evidence(data).set_index("position_id")
    names = data.actors.set_index("actor_id")["name"]
    labels = data.issues.set_index("issue_id")["label"]
    rows = []
    for pid, level, stance in answered:
        item = book.loc[pid]
        yours = pd.NA if level == NO_LEVEL else int(level)
        rows.append({"issue_id": item["issue_id"], "issue": labels[item["issue_id"]], "who": _whose(item, names),
                     "yours": yours, "book": item["level"],
                     "your_text": _lab_level_text(data, item["issue_id"], yours),
                     "book_text": _lab_level_text(data, item["issue_id"], item["level"]),
                     "match": _lab_verdict(yours, item["level"]),
                     "your_stance": STANCE_LABELS.get(stance, "—") if stance else "—",
                     "book_stance": STANCE_LABELS.get(item["stance"], item["stance"])})
    return pd.DataFrame(rows)


def _issue_agreement(data: BookData, group: pd.DataFrame) -> dict[str, object]:
    """One issue's row of the lab's summary: exact matches, ordinal alpha, plain kappa, stances, caveat."""
    from . import reliability

    issue_id = group["issue_id"].iloc[0]
    top = int(data.issue_levels.loc[data.issue_levels["issue_id"] == issue_id, "level"].max())
    both = group.dropna(subset=["yours", "book"])
    ordinal = reliability.alpha(list(both["yours"]), list(both["book"]), "ordinal", list(range(1, top + 1)))
    plain = (analysis.cohens_kappa([int(v) for v in both["yours"]], [int(v) for v in both["book"]])
             if len(both) else float("nan"))
    same = int((group["match"] == "✔ same").sum())
    return {"issue": group["issue"].iloc[0], "items": len(group), "same": f"{same} of {len(group)}",
            "alpha": "—" if pd.isna(ordinal) else f"{ordinal:.2f}",
            "kappa": "—" if pd.isna(plain) else f"{plain:.2f}",
            "stance": f"{int((group['your_stance'] == group['book_stance']).sum())} of {len(group)}",
            "caveat": _too_few(len(both))}


def _too_few(paired: int) -> str:
    """The caveat for an issue with fewer than :data:`MIN_ITEMS_FOR_AGREEMENT` items compared, else ``""``."""
    if paired >= MIN_ITEMS_FOR_AGREEMENT:
        return ""
    items = "1 item" if paired == 1 else f"{paired} items"
    return f"only {items} with a level on both sides (fewer than {MIN_ITEMS_FOR_AGREEMENT})"


def _lab_verdict(yours: object, book: object) -> str:
    """``✔ same``, ``2 steps apart`` or ``level against no level``."""
    if pd.isna(yours) and pd.isna(book):
        return "✔ same"
    if pd.isna(yours) or pd.isna(book):
        return "level against no level"
    if int(yours) == int(book):
        return "✔ same"
    return f"{steps(abs(int(yours) - int(book)))} apart"
