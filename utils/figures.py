"""The book's figures: matplotlib drawn to deterministic, accessible inline SVG.

Each function returns a :class:`Chart`: the SVG text and an alt text. In a
notebook a Chart displays as a ``<figure role="img" aria-label=…>``; the same
SVG can be placed inside a widget view. Output carries no date and fixed ids
(``svg.hashsalt``), so rebuilding the book gives the same bytes.
"""

from __future__ import annotations

import io
import re
import textwrap
from dataclasses import dataclass

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.colors import LinearSegmentedColormap  # noqa: E402

from . import analysis  # noqa: E402
from .data import BookData  # noqa: E402
from .render import BLOC_COLOURS, BLOC_MARKERS, esc, source_label  # noqa: E402
from .sentences import count_phrase

STYLE = {
    "svg.fonttype": "none",
    "svg.hashsalt": "ukraine-negotiations-book",
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.titlesize": 11,
    "axes.titleweight": "bold",
}
#: Ukraine's end of a scale in blue, Russia's in orange: a colour-blind-safe diverging map.
SCALE_MAP = LinearSegmentedColormap.from_list("ua-ru", ["#2166AC", "#F7F7F7", "#B35806"])


@dataclass(frozen=True)
class Chart:
    """An SVG figure with the alt text that describes it."""

    svg: str
    alt: str

    def html(self) -> str:
        return (f'<figure class="book-chart" role="img" aria-label="{esc(self.alt)}">'
                f"{self.svg}</figure>")

    def _repr_html_(self) -> str:
        return self.html()


def _to_chart(fig: plt.Figure, alt: str) -> Chart:
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    plt.close(fig)
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg"):]  # drop the XML prolog and doctype
    svg = re.sub(r"\s*<metadata>.*?</metadata>", "", svg, count=1, flags=re.S)  # the producer's RDF block
    svg = re.sub(r"<svg ", '<svg aria-hidden="true" focusable="false" ', svg, count=1)
    svg = re.sub(r'\s(width|height)="[\d.]+pt"', "", svg, count=2)  # scale with the page
    return Chart(svg=shorter_numbers(svg.strip()), alt=alt)


def shorter_numbers(svg: str) -> str:
    """Coordinates to two decimals (hundredths of a point, far below a pixel): a third lighter pages."""
    return re.sub(r"(\d\.\d\d)\d+", r"\1", svg)


def _relative(level: float, top: int) -> float:
    return (level - 1) / (top - 1)


def position_heatmap(data: BookData, matrix: pd.DataFrame, title: str) -> Chart:
    """Actors (rows) × issues (columns), each cell coloured by where the level sits on its scale."""
    table = analysis.matrix_table(matrix, data)
    tops = data.issue_levels.groupby("issue_id")["level"].max()
    labels = data.issues.set_index("issue_id")["label"]
    names = data.actors.set_index("actor_id")["name"]
    shade = np.full(table.shape, np.nan)
    for i, actor in enumerate(table.index):
        for j, issue in enumerate(table.columns):
            level = table.loc[actor, issue]
            if not pd.isna(level):
                shade[i, j] = _relative(float(level), int(tops[issue]))
    with plt.rc_context(STYLE):
        fig, ax = plt.subplots(figsize=(1.0 + 0.42 * table.shape[1], 0.8 + 0.26 * table.shape[0]))
        ax.imshow(np.ma.masked_invalid(shade), cmap=SCALE_MAP, vmin=0, vmax=1, aspect="auto")
        # Only coded cells carry a number; a light grid guides the eye along the blank ones (a mark in
        # every empty cell would cost a text element each, most of the figure's weight).
        ax.set_xticks(np.arange(-0.5, table.shape[1]), minor=True)
        ax.set_yticks(np.arange(-0.5, table.shape[0]), minor=True)
        ax.grid(which="minor", color="#dddddd", linewidth=0.5)
        ax.tick_params(which="minor", length=0)
        for i, actor in enumerate(table.index):
            for j, issue in enumerate(table.columns):
                level = table.loc[actor, issue]
                if pd.isna(level):
                    continue
                strong = abs(shade[i, j] - 0.5) > 0.3
                ax.text(j, i, str(int(level)), ha="center", va="center", fontsize=8,
                        color="#ffffff" if strong else "#222222")
        ax.set_xticks(range(table.shape[1]), [labels[i] for i in table.columns],
                      rotation=40, ha="right")
        ax.set_yticks(range(table.shape[0]), [names[a] for a in table.index])
        ax.set_xlabel("Issue (number = level; 1 = Ukraine's stated maximum; blank = not coded)")
        ax.set_ylabel("Actor")
        ax.set_title(title, loc="left")
        ax.spines[:].set_visible(False)
        alt = (f"{title}. Heatmap of {table.shape[0]} actors by {table.shape[1]} issues; "
               f"{int(np.isfinite(shade).sum())} cells hold a coded level, blue towards "
               "Ukraine's stated maximum and orange towards Russia's.")
        return _to_chart(fig, alt)


#: Up to this many sources, each is named on a chart's axis; beyond, only the first of each year is marked.
NAMED_SOURCES = 8


def source_axis(data: BookData, sources: list[str]) -> tuple[list[int], list[str]]:
    """Tick positions and labels for sources in order: "Outlet\nMon YYYY" each, or the year at each year's first."""
    if len(sources) <= NAMED_SOURCES:
        return list(range(len(sources))), [source_label(data, s).replace(", ", "\n") for s in sources]
    years = data.sources.set_index("source_id").loc[sources, "published"].dt.year.tolist()
    firsts = [i for i, year in enumerate(years) if i == 0 or year != years[i - 1]]
    return firsts, [str(years[i]) for i in firsts]


def position_timeline_chart(data: BookData, issue_id: str) -> Chart:
    """Each coded level on one issue, source by source (x) and level (y), marked by bloc."""
    frame = analysis.position_timeline(data, issue_id)
    sources = list(analysis.source_dates(data).index)
    scale = data.issue_levels[data.issue_levels["issue_id"] == issue_id]
    label = data.issues.set_index("issue_id").loc[issue_id, "label"]
    with plt.rc_context(STYLE):
        fig, ax = plt.subplots(figsize=(7.5, 1.2 + 0.45 * len(scale)))
        blocs = list(dict.fromkeys(frame["bloc"]))
        for offset, bloc in zip(np.linspace(-0.2, 0.2, max(len(blocs), 1)), blocs):
            rows = frame[frame["bloc"] == bloc]
            x = [sources.index(s) + offset for s in rows["source_id"]]
            ax.scatter(x, rows["level"].astype(float), label=bloc, s=42,
                       color=BLOC_COLOURS[bloc], marker=BLOC_MARKERS[bloc],
                       edgecolor="white", linewidth=0.6, zorder=3)
        ticks, tick_labels = source_axis(data, sources)
        ax.set_xticks(ticks, tick_labels)
        ax.set_xlim(-0.6, len(sources) - 0.4)
        ax.set_yticks(scale["level"].astype(int).tolist(),
                      [f"{lvl} · {text}" for lvl, text in zip(scale["level"], scale["label"])])
        ax.set_ylim(0.5, len(scale) + 0.5)
        ax.invert_yaxis()
        ax.grid(axis="y", color="#dddddd", zorder=0)
        ax.set_xlabel("Source (year-month)")
        ax.set_ylabel("Level on the scale")
        ax.set_title(f"{label}: coded positions across the sources", loc="left")
        if blocs:
            ax.legend(title="Bloc", loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False)
        counts = ", ".join(f"{bloc} {int((frame['bloc'] == bloc).sum())}" for bloc in blocs)
        alt = (f"Dot chart of the {len(frame)} coded positions on {label} across the sources, "
               f"by bloc ({counts or 'none'}); the vertical axis runs from level 1, Ukraine's "
               f"stated maximum, down to level {len(scale)}, Russia's.")
        return _to_chart(fig, alt)


def bargaining_range_chart(data: BookData, issue_id: str,
                           as_of: str | pd.Timestamp | None = None) -> Chart:
    """Each bloc's range on one issue as a bar on the scale, with the zone or gap marked."""
    scale = data.issue_levels[data.issue_levels["issue_id"] == issue_id]
    top = len(scale)
    label = data.issues.set_index("issue_id").loc[issue_id, "label"]
    parties = ["Ukraine", "Europe", "United States", "Russia"]
    ranges = [analysis.party_range(data, party, issue_id, as_of) for party in parties]
    zone = analysis.zone_of_agreement(ranges[0], ranges[-1])
    with plt.rc_context(STYLE):
        fig, ax = plt.subplots(figsize=(7.5, 2.6))
        if zone.status == "overlap":
            ax.axvspan(zone.low - 0.45, zone.high + 0.45, color="#FFE08A", zorder=0,
                       label="Acceptable to both sides")
        for y, found in enumerate(ranges):
            if found.best is None:
                ax.text(1, y, "no goal or red line coded", va="center", fontsize=8, color="#555555")
                continue
            ax.plot([found.low, found.high], [y, y], color=BLOC_COLOURS[found.party],
                    linewidth=7, solid_capstyle="round", alpha=0.55, zorder=2)
            ax.scatter([found.best], [y], color=BLOC_COLOURS[found.party], s=60,
                       marker=BLOC_MARKERS[found.party], zorder=3, edgecolor="white")
        ax.set_yticks(range(len(parties)), parties)
        ax.set_xticks(scale["level"].astype(int).tolist(),
                      [f"{lvl}\n" + textwrap.fill(text, 16) for lvl, text in zip(scale["level"], scale["label"])],
                      fontsize=7)
        ax.set_xlim(0.5, top + 0.5)
        ax.set_ylim(len(parties) - 0.5, -0.5)
        ax.set_xlabel("Level (1 = Ukraine's stated maximum)")
        verdict = {"overlap": f"overlap at levels {zone.low}–{zone.high}",
                   "gap": f"limits {count_phrase(int(zone.gap), 'scale step')} apart",
                   "unknown": "not enough coded goals or red lines to tell"}[zone.status]
        ax.set_title(f"{label}: bargaining ranges ({verdict})", loc="left")
        described = "; ".join(
            f"{r.party} {'no goal or red line coded' if r.best is None else _range_words(r)}"
            for r in ranges)
        alt = f"Range chart for {label} on a {top}-level scale: {described}. Result: {verdict}."
        return _to_chart(fig, alt)


def _range_words(found: analysis.PartyRange) -> str:
    """A party's range in words for alt text: what it asks and its limit, stated or assumed."""
    limit = "red line" if found.limit_stated else "limit assumed"
    asks = f"asks {found.best}" if found.has_goal else "no goal coded"
    return f"{asks}, {limit} at {found.limit}"


def voices_chart(data: BookData) -> Chart:
    """Quotes per source, stacked by the speaker's bloc."""
    table = analysis.voices_by_bloc(data)
    blocs = [bloc for bloc in BLOC_COLOURS if bloc in table.columns]
    with plt.rc_context(STYLE):
        fig, ax = plt.subplots(figsize=(7.5, 3.2))
        left = np.zeros(len(table))
        for bloc in blocs:
            values = table[bloc].to_numpy(dtype=float)
            ax.barh(range(len(table)), values, left=left, color=BLOC_COLOURS[bloc],
                    label=bloc, edgecolor="white", linewidth=0.5)
            left += values
        ax.set_yticks(range(len(table)), [source_label(data, s) for s in table.index])
        ax.invert_yaxis()
        ax.set_xlabel("Number of coded excerpts")
        ax.set_ylabel("Source")
        ax.set_title("Whose words each source carries, by bloc", loc="left")
        ax.legend(title="Speaker's bloc", loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False)
        parts = "; ".join(
            f"{source_label(data, source)}: " + ", ".join(f"{bloc} {int(table.loc[source, bloc])}"
                                      for bloc in blocs if table.loc[source, bloc])
            for source in table.index)
        alt = f"Stacked bar chart of coded excerpts per source by the speaker's bloc. {parts}."
        return _to_chart(fig, alt)


#: Colour and marker of each kind of outside event on the context timeline (Okabe–Ito).
CONTEXT_STYLES = {
    "talks": ("#0072B2", "o", "Talks"),
    "agreement": ("#009E73", "s", "Agreement or its end"),
    "battlefield": ("#D55E00", "^", "Battlefield"),
    "statement": ("#CC79A7", "D", "Public statement"),
    "report": ("#E69F00", "v", "Press report"),
}
#: Days of the timeline per inch of figure height, and the height of one two-line label (inches).
_DAYS_PER_INCH = 120
_LABEL_HEIGHT = 0.36
#: Characters per line of an event's label, and the height of one label line (inches).
_LABEL_CHARS = 50
_LINE_HEIGHT = 0.18


def _spread(positions: list[float], height: float) -> list[float]:
    """Label positions (inches, growing downwards) at least ``height`` apart, as near their dates as possible."""
    placed: list[float] = []
    for y in positions:
        placed.append(max(y, placed[-1] + height) if placed else y)
    return placed


def _spread_heights(positions: list[float], heights: list[float]) -> list[float]:
    """Label centres (inches, growing downwards), each label clear of the one before it, as near its date as possible."""
    placed: list[float] = []
    for i, y in enumerate(positions):
        placed.append(max(y, placed[-1] + (heights[i - 1] + heights[i]) / 2) if placed else y)
    return placed


def _dodge(positions: list[float], gap: float, step: float) -> list[float]:
    """Horizontal offsets for markers on one axis: a marker within ``gap`` inches of the one before moves aside."""
    offsets: list[float] = []
    for i, y in enumerate(positions):
        near = i and y - positions[i - 1] < gap and offsets[-1] == 0.0
        offsets.append(step if near else 0.0)
    return offsets


def context_timeline(data: BookData) -> Chart:
    """The outside events of ``context_events.csv`` (right) and the texts (left) on one vertical time axis.

    Events before the month of the first text are shaded as background. Each event's label
    gives its date at its precision, a short name, the reference it is cited from and, when a
    text mentions it too, says so; its marker is outlined in black. A text dated only to the
    month is drawn as a bar across the month, not as a point on one day. Markers that would
    overlap are set side by side.
    """
    from .dates import display_date, period_end

    if data.context_events.empty:
        raise ValueError("context_events.csv has no rows: there is no timeline to draw")
    events = data.context_events.sort_values(["date", "context_id"]).reset_index(drop=True)
    sources = data.sources.sort_values(["published", "source_id"]).reset_index(drop=True)
    names = sources["short_name"] if "short_name" in sources.columns else sources["outlet"]
    start = min(events["date"].min(), sources["published"].min())
    first_text = sources["published"].min().to_period("M").to_timestamp()  # the period starts with its month
    kinds = {kind: text.lower() for kind, (_, _, text) in CONTEXT_STYLES.items()}

    def inch(date: pd.Timestamp) -> float:
        return (pd.Timestamp(date) - start).days / _DAYS_PER_INCH

    def event_text(row) -> list[str]:
        cited = data.reference_labels.get(row.reference, row.reference)
        lines = textwrap.wrap(f"{display_date(row.date, row.date_precision)} · {row.label}", _LABEL_CHARS)
        return lines + [cited + (" · also in the texts" if isinstance(row.event_id, str) else "")]

    source_spans = [(inch(d), inch(period_end(d, p))) for d, p in zip(sources["published"], sources["date_precision"])]
    event_y = [inch(d) for d in events["date"]]
    source_y = [(a + b) / 2 for a, b in source_spans]
    source_x = [-0.03 - dx for dx in _dodge(source_y, 0.09, 0.045)]
    event_lines = [event_text(row) for row in events.itertuples()]
    event_label_y = _spread_heights(event_y, [_LINE_HEIGHT * len(lines) for lines in event_lines])
    source_label_y = _spread_heights(source_y, [_LABEL_HEIGHT] * len(source_y))
    event_x = [0.03 + dx for dx in _dodge(event_y, 0.09, 0.045)]  # events right of the axis, texts left
    bottom = max(event_label_y + source_label_y) + 0.4
    with plt.rc_context(STYLE):
        fig = plt.figure(figsize=(6.6, bottom + 0.9))
        ax = fig.add_axes((0, 0, 1, 1))
        ax.set_xlim(-1, 1)
        ax.set_ylim(bottom, -0.9)
        ax.axis("off")
        ax.axhspan(-0.9, inch(first_text) - 0.05, color="#EEEEEE", zorder=0)
        ax.text(-0.97, -0.75, f"Background: before {display_date(first_text, 'month')}", fontsize=8,
                color="#555555", va="top")
        ax.plot([0, 0], [-0.6, bottom - 0.2], color="#888888", linewidth=1.2, zorder=1)
        for year in range(start.year + 1, max(events["date"].max(), sources["published"].max()).year + 1):
            y = inch(pd.Timestamp(year=year, month=1, day=1))
            ax.plot([-0.02, 0.02], [y, y], color="#888888", linewidth=1)
            ax.text(-0.03, y, str(year), ha="right", va="center", fontsize=8, color="#555555", fontweight="bold")
        for row, y, x, label_y, lines in zip(events.itertuples(), event_y, event_x, event_label_y, event_lines):
            colour, marker, _ = CONTEXT_STYLES[row.kind]
            mentioned = isinstance(row.event_id, str)
            ax.plot([x, 0.085, 0.1], [y, label_y, label_y], color="#BBBBBB", linewidth=0.6, zorder=1)
            ax.scatter([x], [y], color=colour, marker=marker, s=36, zorder=3,
                       edgecolor="#000000" if mentioned else "white", linewidth=1.1 if mentioned else 0.5)
            ax.text(0.11, label_y, "\n".join(lines), va="center", fontsize=8, color="#222222", linespacing=1.2)
        for row, name, (top, end), y, x, label_y in zip(sources.itertuples(), names, source_spans, source_y, source_x,
                                                        source_label_y):
            ax.plot([x, -0.08, -0.1], [y, label_y, label_y], color="#BBBBBB", linewidth=0.6, zorder=1)
            if row.date_precision == "month":  # the whole month, not a day in it
                ax.plot([x, x], [top, end], color="#222222", linewidth=3.5, solid_capstyle="butt", zorder=4)
            else:
                ax.scatter([x], [y], color="#222222", marker="*", s=90, zorder=4, edgecolor="white", linewidth=0.5)
            ax.text(-0.11, label_y, f"{display_date(row.published, row.date_precision)}\n{name} ({row.genre})",
                    ha="right", va="center", fontsize=8, fontweight="bold", color="#222222", linespacing=1.2)
        handles = [plt.Line2D([], [], linestyle="", marker="*", color="#222222", markersize=9, label="One of the texts")]
        if (sources["date_precision"] == "month").any():
            handles.append(plt.Line2D([], [], color="#222222", linewidth=3.5,
                                      label="A text dated to the month (bar)"))
        handles += [plt.Line2D([], [], linestyle="", marker=marker, color=colour, markersize=6, label=text)
                    for kind, (colour, marker, text) in CONTEXT_STYLES.items() if kind in set(events["kind"])]
        if events["event_id"].notna().any():
            handles.append(plt.Line2D([], [], linestyle="", marker="o", color="white", markeredgecolor="#000000",
                                      markeredgewidth=1.1, markersize=6, label="Outlined: also in the texts"))
        ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(0.0, 0.97), frameon=False, fontsize=7.5,
                  title="Left: the texts · right: outside events", title_fontsize=8)
        first, last = display_date(start, "month"), display_date(
            max(events["date"].max(), sources["published"].max()), "month")
        texts = "; ".join(f"{display_date(r.published, r.date_precision)}, {n} ({r.genre})"
                          for r, n in zip(sources.itertuples(), names))
        outside = "; ".join(f"{display_date(r.date, r.date_precision)}, {r.label} ({kinds[r.kind]}; "
                            f"{data.reference_labels.get(r.reference, r.reference)}"
                            f"{'; also mentioned in the texts' if isinstance(r.event_id, str) else ''})"
                            for r in events.itertuples())
        background = int((events["date"] < first_text).sum())
        mentioned = int(events["event_id"].notna().sum())
        alt = (f"Vertical timeline from {first} to {last}, years marked on the axis. On the left, the "
               f"{len(sources)} texts (a text dated only to the month is drawn as a bar across that month): {texts}. "
               f"On the right, {len(events)} cited outside events, each with its kind, marked by colour and shape, "
               f"and its reference; the first {background} of them are shaded as background before "
               f"{display_date(first_text, 'month')}, and the {mentioned} also mentioned in the texts are outlined: "
               f"{outside}.")
        return _to_chart(fig, alt)
