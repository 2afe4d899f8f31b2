"""The errata: every finding of the book's review logs, where it applies and what was done.

The appendix *Errata* is generated from ``data/coding/review-*.csv`` (one row
per finding: ``where``, ``finding``, ``decision``, ``reason``). Each row is
placed in a part of the book (a chapter, the method, the data tables) and a
file (a data table or the chapter's text) from its ``where`` cell, which the
review logs write as ``<position or quote id>``, ``<table>.csv …``,
``method …``, ``recheck …`` (the second check) or ``prose check …``.
Corrections (``fixed``) and rejected findings are listed apart. All text from
the logs reaches HTML through :func:`utils.render.html_table`, which escapes it.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd

from IPython.display import HTML, Markdown

from .data import BookData, load_review_log
from .render import esc, html_table, notice
from .sentences import count_phrase

ROOT = Path(__file__).resolve().parent.parent
CODING = ROOT / "data" / "coding"
TOC = ROOT / "_toc.yml"

#: The prefixes of ``where`` that name a later round of checks.
CHECKS = (("recheck ", "second check"), ("prose check ", "prose check"))
#: A ``where`` naming an independent check of a chapter (``… check minor 2 …``, ``context check …``).
INDEPENDENT = re.compile(r"(?<!prose )\bcheck\b")
#: Parts of the book that are not a chapter, in the order the errata list them after the chapters.
OTHER_PARTS = {"method": "Method: codebook, scales and analysis",
               "comparison": "Comparison chapters and codebook appendix",
               "instructor": "Instructor guide, role-play and errata",
               "data": "Data tables (not tied to one chapter)",
               "several": "Several chapters",
               "other": "Other"}
#: What a letter after a source id names (``…-p03`` a position, ``…-q12`` a quote, ``…-f01`` a figure).
ID_FILES = {"p": "positions.csv", "q": "quotes.csv", "f": "figures.csv"}
TABLE_FILES = ("positions.csv", "quotes.csv", "figures.csv", "events.csv", "actors.csv", "sources.csv",
               "issues.csv", "issue_levels.csv")
#: A table named as a whole word (``actors``, ``quotes.csv``), never inside another word (``resources``).
TABLE_WORD = re.compile(r"(?<![\w-])(" + "|".join(t.split(".")[0] for t in TABLE_FILES) + r")(?:\.csv)?(?![\w-])")
#: A row id without its source (``p03``, ``q12``, ``f01``).
ROW_ID = re.compile(r"(?<![\w-])([pqf])\d{2}(?![\w-])")
#: Words that say a finding is about a chapter's text, not its data.
TEXT_WORDS = re.compile(r"\b(cells?|exercises?|ex\.|ex\d|solution|subhead|timeline|section|prose)\b", re.I)


def review_logs(folder: Path | str = CODING) -> list[Path]:
    """The review logs, oldest first (their names end in the date: ``review-2026-11-25.csv``)."""
    return sorted(Path(folder).glob("review-*.csv"))


def chapter_order(toc: Path = TOC) -> list[str]:
    """The chapter ids in the order of ``_toc.yml``."""
    return re.findall(r"file:\s*chapters/([\w.-]+)", toc.read_text(encoding="utf-8"))


def chapter_title(chapter_id: str, folder: Path = ROOT / "chapters",
                  substitutions: dict[str, str] | None = None) -> str:
    """A chapter's title: the first heading of its notebook (its ``{{ name }}`` substitutions
    filled in), else its id."""
    path = folder / f"{chapter_id}.ipynb"
    if path.exists():
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            for line in "".join(cell.get("source", "")).splitlines():
                if line.startswith("# "):
                    return re.sub(r"\{\{\s*(\w+)\s*\}\}",
                                  lambda m: (substitutions or {}).get(m.group(1), m.group(0)), line[2:].strip())
    return chapter_id


def place(data: BookData, where: str, chapters: list[str], finding: str = "") -> dict[str, str]:
    """Where a finding applies: ``check`` (review, second check, prose check), ``part`` (a chapter id
    or a key of :data:`OTHER_PARTS`) and ``file`` (a data table, ``chapter text`` or
    ``codebook and analysis``), read from the log's ``where`` cell.

    After a chapter id, the file is: a table named as a whole word; else the
    table of a row id that follows (``p03`` → ``positions.csv``); else the
    chapter text when the cell names a cell, an exercise or the like; else the
    table of the row ids the ``finding`` names, when they are all of one kind;
    else ``several files``. A ``where`` that starts with the first word of
    exactly one chapter id (``context check …``) is that chapter's text.
    """
    check, rest = "review", where.strip()
    for prefix, name in CHECKS:
        if rest.startswith(prefix):
            check, rest = name, rest[len(prefix):].strip()
    if check == "review" and (INDEPENDENT.search(rest) or rest.startswith("method-and-comparison")):
        check = "independent check"
    if rest.startswith("method"):
        return {"check": check, "part": "method", "file": "codebook and analysis"}
    for part in ("comparison", "instructor"):  # the independent checks of these pages
        if rest.startswith(f"{part} "):
            return {"check": check, "part": part, "file": "chapter text"}
    for chapter in sorted(chapters, key=len, reverse=True):
        if rest.startswith(chapter):
            tail = rest[len(chapter):]
            if " prose check" in f" {tail}":
                check = "prose check"
            return {"check": check, "part": chapter, "file": _chapter_file(data, chapter, tail, check, finding)}
    for table in TABLE_FILES:
        if rest.startswith(table):
            part = _event_chapter(data, rest[len(table):]) if table == "events.csv" else None
            return {"check": check, "part": part or "data", "file": table}
    first = rest.split(" ", 1)[0]
    named = [c for c in chapters if c.startswith(first + "-")]
    if first and len(named) == 1:
        return {"check": check, "part": named[0], "file": "chapter text"}
    if check == "prose check":
        return {"check": check, "part": "several", "file": "chapter text"}
    return {"check": check, "part": "other", "file": "other"}


def _chapter_file(data: BookData, chapter: str, tail: str, check: str, finding: str) -> str:
    if check == "prose check" or chapter not in set(data.sources["source_id"]):
        return "chapter text"
    table = TABLE_WORD.search(tail)
    if table:
        return table.group(1) + ".csv"
    letter = re.match(r"^[- ]?([pqf])\d", tail)
    if letter:
        return ID_FILES[letter.group(1)]
    if TEXT_WORDS.search(tail):
        return "chapter text"
    letters = {m.group(1) for m in ROW_ID.finditer(tail)} or {m.group(1) for m in ROW_ID.finditer(finding)}
    return ID_FILES[letters.pop()] if len(letters) == 1 else "several files"


def _event_chapter(data: BookData, tail: str) -> str | None:
    """The source that first mentions an event named by id (or, if the id changed, by its slug)."""
    match = re.match(r"^\s*(\d{4}-\d{2}-\d{2})-([a-z0-9-]+)", tail)
    if not match:
        return None
    events = data.events.set_index("event_id")["source_id"]
    event_id = f"{match.group(1)}-{match.group(2)}"
    if event_id in events.index:
        return events[event_id]
    same_slug = [e for e in events.index if e[11:] == match.group(2)]
    return events[same_slug[0]] if len(same_slug) == 1 else None


def errata(data: BookData, paths: list[Path] | None = None, toc: Path = TOC) -> pd.DataFrame:
    """Every finding of the review logs with its place in the book.

    Columns: ``log`` (the log's date), ``check``, ``part``, ``part_label``,
    ``file``, ``where``, ``finding``, ``decision``, ``reason``; rows in book
    order (chapters as in the table of contents, then method, data, others),
    then file, then the log's own order.
    """
    paths = review_logs() if paths is None else paths
    chapters = chapter_order(toc)
    frames = []
    for path in paths:
        log = load_review_log(path)
        placed = pd.DataFrame([place(data, w, chapters, f) for w, f in zip(log["where"], log["finding"])],
                              columns=["check", "part", "file"], index=log.index)
        frames.append(pd.concat([log, placed], axis=1).assign(log=path.stem.removeprefix("review-"),
                                                               row=range(len(log))))
    frame = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(
        columns=["where", "finding", "decision", "reason", "check", "part", "file", "log", "row"])
    order = {part: n for n, part in enumerate(chapters + list(OTHER_PARTS))}
    from .scope import scope_words

    words = scope_words(data)
    frame["part_label"] = [chapter_title(p, substitutions=words) if p in chapters else OTHER_PARTS[p]
                           for p in frame["part"]]
    frame = frame.assign(order=frame["part"].map(order)).sort_values(
        ["order", "file", "log", "row"], kind="stable", ignore_index=True)
    return frame[["log", "check", "part", "part_label", "file", "where", "finding", "decision", "reason"]]


ISO_DAY = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
FILE_DATE = re.compile(r"([\w/.-]*?)-(\d{4})-(\d{2})-(\d{2})(\.[a-z]+)\b")
EVENT_ID = re.compile(r"(?:\bevent )?\b(\d{4})-(\d{2})-(\d{2})-([a-z][a-z0-9]*(?:-[a-z0-9]+)*)")
#: A notebook cell's id (eight hex digits, with a digit and a letter), which means nothing to readers.
CELL_ID = re.compile(r"(?:\bcell )?\b(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{8}\b")


def readable_dates(text: str) -> str:
    """The log's ISO dates in words, as the book shows dates: ``2022-11-15`` → ``15 November 2022``.

    A date on day 01 may be a month stored with the placeholder day (the
    codebook's rule), so it is shown as the month, with the stored day said as
    such: ``2023-11-01`` → ``November 2023 (stored as day 01)``. An event id
    (``2023-10-01-oval-office-address``) is shown by its name and the month of
    its id (``event “oval-office-address” (id of October 2023)``), never by the
    day in the id; a dated file name (``review-2026-11-25.csv``) as
    ``review-….csv (of 25 November 2026)``.
    """
    def words(year: str, month: str, day_of_month: str) -> str:
        when = pd.Timestamp(int(year), int(month), int(day_of_month))
        if when.day == 1:
            return f"{when.strftime('%B %Y')} (stored as day 01)"
        return f"{when.day} {when.strftime('%B %Y')}"

    def dated_file(match: re.Match) -> str:
        return f"{match.group(1)}-…{match.group(5)} (of {words(*match.group(2, 3, 4))})"

    def event(match: re.Match) -> str:
        month = pd.Timestamp(int(match.group(1)), int(match.group(2)), 1).strftime("%B %Y")
        return f"event “{match.group(4)}” (id of {month})"

    def day(match: re.Match) -> str:
        return words(*match.group(1, 2, 3))

    return ISO_DAY.sub(day, EVENT_ID.sub(event, FILE_DATE.sub(dated_file, text)))


def readable_where(text: str) -> str:
    """:func:`readable_dates`, with notebook cell ids (``e3f38041``) replaced by "a cell"."""
    return CELL_ID.sub("a cell", readable_dates(text))


def shown(frame: pd.DataFrame) -> pd.DataFrame:
    """The errata's text columns with :func:`readable_dates` applied, for display."""
    return frame.assign(where=[readable_where(str(v)) for v in frame["where"]],
                        **{c: [readable_dates(str(v)) for v in frame[c]] for c in ("finding", "reason")})


def counts(frame: pd.DataFrame) -> dict[str, int]:
    """Totals the appendix's prose quotes (glued, never typed)."""
    fixed = frame["decision"] == "fixed"
    return {"findings": len(frame), "fixed": int(fixed.sum()), "rejected": int((~fixed).sum()),
            "logs": frame["log"].nunique(), "parts": frame["part"].nunique(),
            "parts_fixed": frame.loc[fixed, "part"].nunique(),
            **{f"check_{c.replace(' ', '_')}": int((frame["check"] == c).sum())
               for c in ("review", "second check", "prose check", "independent check")}}


def glue_values(frame: pd.DataFrame) -> dict[str, object]:
    """What the appendix glues: :func:`counts` as ``e_…`` numbers, and the logs' dates in words."""
    dates = [pd.Timestamp(log).strftime("%-d %B %Y") for log in sorted(frame["log"].unique())]
    return {**{f"e_{name}": value for name, value in counts(frame).items()},
            "e_log_dates": Markdown(", ".join(dates) if dates else "none")}


def counts_by_part(frame: pd.DataFrame) -> pd.DataFrame:
    """Findings per part and file: fixed, rejected, all; in book order."""
    table = (frame.assign(fixed=frame["decision"] == "fixed", rejected=frame["decision"] == "rejected")
             .groupby(["part", "part_label", "file"], sort=False)[["fixed", "rejected"]].sum().reset_index())
    table["all"] = table["fixed"] + table["rejected"]
    return table


def summary_html(frame: pd.DataFrame) -> HTML:
    """Counts per part of the book and file, as an escaped table."""
    return HTML(html_table(counts_by_part(frame), {"part_label": "Part of the book", "file": "File",
                                              "fixed": "Corrected", "rejected": "Rejected", "all": "All"},
                           caption="Findings per part of the book and file"))


def listed_elsewhere(frame: pd.DataFrame, chapter: str) -> list[str]:
    """The ``where`` cells (readable) of corrections placed outside any chapter (method, data, …) whose
    text names the chapter's id, so that a reader of the chapter's section finds them too."""
    fixed = frame[(frame["decision"] == "fixed") & frame["part"].isin(list(OTHER_PARTS))]
    pattern = re.compile(rf"(?<![\w-]){re.escape(chapter)}(?![a-z])")
    hits = fixed[[bool(pattern.search(" ".join(map(str, r)))) for r in
                  fixed[["where", "finding", "reason"]].itertuples(index=False)]]
    return [readable_where(str(w)) for w in hits["where"]]


def corrections_html(frame: pd.DataFrame) -> HTML:
    """Every correction, grouped by part of the book (one table each, with its count), escaped.

    A chapter's group also names the corrections listed under another part
    (the method, the data tables) whose text names the chapter's id, and says
    that corrections to the coding rules, listed under the method, may have
    changed the chapter's rows too.
    """
    fixed = shown(frame[frame["decision"] == "fixed"])
    chapters = set(frame["part"]) - set(OTHER_PARTS)
    parts = []
    for (part, label), rows in fixed.groupby(["part", "part_label"], sort=False):
        files = ", ".join(f"{f}: {n}" for f, n in rows["file"].value_counts(sort=False).items())
        notes = [f"{count_phrase(len(rows), 'correction')} ({files})."]
        if part in chapters:
            elsewhere = listed_elsewhere(frame, part)
            notes.append("Corrections to the coding rules are listed under the method and may have changed "
                         "this chapter's rows too" + (": among them, " + "; ".join(elsewhere) + "." if elsewhere
                                                      else "."))
        parts.append(f"<h3>{esc(label)}</h3>"
                     + "".join(notice(n) for n in notes)
                     + html_table(rows, {"file": "File", "where": "Where", "check": "Found in",
                                         "finding": "What was wrong", "reason": "What changed"},
                                  caption=f"Corrections: {label}"))
    return HTML("".join(parts) or notice("No correction is recorded."))


def rejected_html(frame: pd.DataFrame) -> HTML:
    """Every rejected finding with the reason, in book order, escaped."""
    rejected = shown(frame[frame["decision"] == "rejected"])
    if rejected.empty:
        return HTML(notice("No finding was rejected."))
    return HTML(html_table(rejected, {"part_label": "Part of the book", "file": "File", "where": "Where",
                                 "check": "Found in", "finding": "Finding", "reason": "Why it was rejected"},
                           caption="Findings that were checked and rejected"))
