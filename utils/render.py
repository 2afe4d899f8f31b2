"""Turn data into safe HTML and Markdown: every piece of text from the data is escaped here.

Notebooks and widgets build their HTML only through these functions, so a quote
that contains ``<script>`` is shown as text, never run. Prose glued as Markdown
(``{glue:md}``) takes each piece of data text through :func:`md_text`.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping

import pandas as pd
from IPython.display import HTML

from .data import BookData
from .dates import display_date

#: Colour-blind-safe colours (Okabe–Ito) for the blocs, with a marker each.
BLOC_COLOURS = {
    "Ukraine": "#0072B2", "Russia": "#D55E00", "United States": "#009E73",
    "Europe": "#CC79A7", "NATO": "#56B4E9", "G7": "#E69F00", "independent": "#666666",
}
BLOC_MARKERS = {
    "Ukraine": "o", "Russia": "s", "United States": "^", "Europe": "D",
    "NATO": "v", "G7": "P", "independent": "X",
}


class Markup(str):
    """HTML built here from escaped parts (a link, say): :func:`esc` passes it through unchanged."""


def esc(value: object) -> str:
    """HTML-escape any value; missing values become an em dash; :class:`Markup` stays as it is."""
    if isinstance(value, Markup):
        return str(value)
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return "—"
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d")
    return html.escape(str(value), quote=True)


#: Characters MyST (markdown-it with the book's extensions, and the ones it may enable) reads as
#: syntax anywhere in a line: backslash escapes, code, emphasis, links and footnotes, roles and
#: substitutions (``{…}``), dollar math, table cells and strikethrough. Each gets a backslash.
_MD_PUNCTUATION = re.compile(r"([\\`*_\[\]{}$|~])")
#: What makes a line a block at its start (after up to three spaces): a heading, list item,
#: block break, setext underline, comment, definition or colon fence, or an ordered list's
#: ``1.``/``1)``. ``>`` (a block quote) is already ``&gt;``.
_MD_LINE_START = re.compile(r"(?:\A|(?<=[\r\n]))( {0,3})([#+\-=%:]|\d{1,9}(?=[.)]))")


def md_text(value: object) -> str:
    """``value`` (``str()`` of it) as Markdown text that MyST shows literally, never as markup.

    For data text glued into prose as Markdown (``{glue:md}``): MyST renders inline
    HTML and Markdown syntax, so ``&``, ``<`` and ``>`` become ``&amp;``, ``&lt;``
    and ``&gt;``; ``\\ ` * _ [ ] { } $ | ~`` get a backslash; and at the start of a
    line, ``# + - = % :`` and the ``.`` or ``)`` after an ordered list's number get
    one too. Letters, digits, spaces, hyphens and dashes inside a line, apostrophes,
    quotes and other punctuation (``. , ; : ! ? ( ) ' " /``) are left as they are.
    Escape each piece of data once, not the Markdown a function adds around it.
    """
    text = _MD_PUNCTUATION.sub(r"\\\1", html.escape(str(value), quote=False))
    return _MD_LINE_START.sub(lambda m: m.group(1) + (m.group(2) + "\\" if m.group(2)[0].isdigit()
                                                      else "\\" + m.group(2)), text)


def html_table(frame: pd.DataFrame, columns: Mapping[str, str], caption: str = "",
               row_classes: Iterable[str] | None = None) -> str:
    """An escaped HTML table of ``frame``'s ``columns`` (name → header), scrollable when wide."""
    head = "".join(f'<th scope="col">{esc(header)}</th>' for header in columns.values())
    classes = list(row_classes) if row_classes is not None else [""] * len(frame)
    rows = frame[list(columns)].itertuples(index=False, name=None)
    body = "".join(
        f'<tr class="{esc(css)}">' + "".join(f"<td>{esc(cell)}</td>" for cell in row) + "</tr>"
        for css, row in zip(classes, rows))
    cap = f"<caption>{esc(caption)}</caption>" if caption else ""
    return (f'{table_wrap_open(caption)}<table class="book-table">{cap}'
            f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>")


def table_wrap_open(label: str) -> str:
    """The opening tag of a table's scroll frame: keyboard-focusable, named for screen readers.

    A wide table scrolls inside this frame; ``tabindex="0"`` lets keyboard users
    scroll it (WCAG 2.1.1), and the region takes the table's caption as its name.
    """
    return f'<div class="book-table-wrap" tabindex="0" role="region" aria-label="{esc(label or "Table")}">'


def show_table(frame: pd.DataFrame, columns: Mapping[str, str], caption: str = "") -> HTML:
    """:func:`html_table` ready to display in a notebook."""
    return HTML(html_table(frame, columns, caption))


_LABELS: dict[int, tuple[pd.DataFrame, dict[tuple[str, int], str]]] = {}


def level_label(data: BookData, issue_id: str, level: object) -> str:
    """``"3 · Freeze without recognition"`` for a level, ``"not fixed"`` when missing."""
    if level is None or pd.isna(level):
        return "not fixed"
    levels = data.issue_levels
    cached = _LABELS.get(id(levels))
    if cached is None or cached[0] is not levels:
        mapping = {(i, int(n)): text for i, n, text in
                   zip(levels["issue_id"], levels["level"], levels["label"])}
        cached = _LABELS[id(levels)] = (levels, mapping)
    return f"{int(level)} · {cached[1][(issue_id, int(level))]}"


def blockquote(text: str, speaker: str, source: str) -> str:
    """An escaped pull quote with its attribution."""
    return (f'<blockquote class="book-quote"><p>“{esc(text)}”</p>'
            f"<footer>— {esc(speaker)}, in <cite>{esc(source)}</cite></footer></blockquote>")


def notice(text: str, kind: str = "info") -> str:
    """A short escaped message box (``kind``: info or live)."""
    return f'<p class="book-notice book-notice-{esc(kind)}">{esc(text)}</p>'


def source_label(data: BookData, source_id: str) -> str:
    """A source as readers name it: its outlet and month, ``NBC News, Nov 2023``."""
    row = data.sources.set_index("source_id").loc[source_id]
    return f"{row['short_name']}, {row['published'].strftime('%b %Y')}"


def source_link(data: BookData, source_id: str) -> Markup:
    """:func:`source_label` linked to the source's chapter (pages sit one folder below the book's root)."""
    href = f"../chapters/{source_id}.html"
    return Markup(f'<a href="{esc(href)}">{esc(source_label(data, source_id))}</a>')


def source_card(data: BookData, source_id: str) -> HTML:
    """The card at the top of a source chapter: title, outlet, author, date, genre."""
    row = data.sources.set_index("source_id").loc[source_id]
    fields = {
        "Title": row["title"], "Outlet": row["outlet"], "Author(s)": row["authors"],
        "Published": display_date(row["published"], row["date_precision"]),
        "Genre": row["genre"],
        "Reader comments": "yes (not quoted or coded in this book)"
        if row["has_reader_comments"] else "no",
    }
    items = "".join(f"<dt>{esc(key)}</dt><dd>{esc(value)}</dd>" for key, value in fields.items())
    return HTML(f'<dl class="book-source-card">{items}</dl>')
