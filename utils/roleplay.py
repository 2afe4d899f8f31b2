"""A negotiation role-play built on the coded positions (appendix *Role-play*).

Every party's brief is generated from ``positions.csv``: for each settlement
issue, the goal and the limit the sources code for the party, with whose words
they rest on and where they were published. The positions are **public
statements**, not the parties' true reservation points; the role-play adds a
*confidential* reservation point per issue that the instructor may set, with a
documented default derived from the coded limits (:func:`reservation_points`).
A scoring sheet and a debrief that compares a class's outcomes with the
bargaining chapter's table complete it.

For Ukraine and Russia, the goal and limit are exactly those of
:func:`utils.analysis.party_range` (the bargaining table's). For a bloc that
owns neither end of the scales (the United States, Europe), the goal is its
latest coded goal and the limit its latest coded red line. Every piece of text
from the data reaches HTML through :mod:`utils.render`, which escapes it.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from . import analysis
from .data import BookData
from .dates import display_date
from .render import esc, html_table, level_label, notice

#: The parties a brief may be written for, in the order the appendix shows them.
PARTIES = ("Ukraine", "Russia", "United States", "Europe")
#: A party gets a brief when at least this many settlement issues code a goal or a red line for it.
MIN_CODED_ISSUES = 2
#: Default: an assumed limit (no red line coded) is loosened by this many scale steps.
DEFAULT_SLACK = 1
#: Points for an issue settled beyond the party's reservation point (worse than no agreement).
BEYOND_POINTS = -1
#: Points for an issue left without agreement.
NO_DEAL_POINTS = 0

#: Shown above every brief: what the coded positions are, and are not.
PUBLIC_NOTE = ("These are public statements as the book's sources report them, coded by the codebook's "
               "rules: not the party's true reservation points, which no source shows. Level 1 of every "
               "scale is the outcome most favourable to Ukraine as Ukraine states it, the top level the one "
               "most favourable to Russia as Russia states it. A limit is “stated” when a red line is coded "
               "(read by rule 6: the furthest level it leaves open), “assumed” when no red line is coded and "
               "the goal is taken as the limit. Basis: “own words” = quoted directly, on the record; "
               "“reported” = someone else's account; “inferred” = the coder's reading.")


@dataclass(frozen=True)
class Evidence:
    """The coded position a goal or a limit rests on."""

    position_id: str
    level: int
    stance: str
    basis: str
    speaker: str
    source_id: str
    stated: str
    text: str


@dataclass(frozen=True)
class IssuePosition:
    """One party's publicly coded goal and limit on one settlement issue.

    ``goal`` and ``limit`` are ``None`` when nothing is coded. ``limit_stated``
    is False when the limit is *assumed*: no red line is coded, so the goal
    stands for it.
    """

    party: str
    issue_id: str
    goal: int | None
    limit: int | None
    limit_stated: bool
    goal_evidence: Evidence | None = None
    limit_evidence: Evidence | None = None

    @property
    def coded(self) -> bool:
        return self.goal is not None


def _candidates(data: BookData, party: str, issue_id: str,
                as_of: str | pd.Timestamp | None) -> pd.DataFrame:
    frame = analysis.evidence(data)
    frame = frame[(frame["bloc"] == party) & (frame["issue_id"] == issue_id)
                  & frame["level"].notna() & (frame["stance"] != "expectation")]
    if as_of is not None:
        frame = frame[frame["stated_on"] <= pd.Timestamp(as_of)]
    return frame


def _latest_source(rows: pd.DataFrame) -> pd.DataFrame:
    return rows[rows["published"] == rows["published"].max()] if not rows.empty else rows


def _latest_statement(rows: pd.DataFrame) -> pd.Series:
    """The row a table would show: the latest stated, then the lowest position id."""
    return rows.sort_values(["stated_on", "position_id"], ascending=[False, True]).iloc[0]


def _evidence(data: BookData, row: pd.Series) -> Evidence:
    names = data.actors.set_index("actor_id")["name"]
    return Evidence(position_id=row["position_id"], level=int(row["level"]), stance=row["stance"],
                    basis=row["basis"], speaker=names[row["speaker_id"]], source_id=row["source_id"],
                    stated=display_date(row["stated_on"], row["stated_precision"]), text=row["text"])


def _pick(data: BookData, rows: pd.DataFrame, level: int, basis: str | None) -> Evidence | None:
    chosen = rows[rows["level"] == level]
    if basis is not None and (chosen["basis"] == basis).any():
        chosen = chosen[chosen["basis"] == basis]
    return None if chosen.empty else _evidence(data, _latest_statement(chosen))


def issue_position(data: BookData, party: str, issue_id: str,
                   as_of: str | pd.Timestamp | None = None) -> IssuePosition:
    """A party's coded goal and limit on one issue, with the positions they rest on.

    Ukraine and Russia: the demand and limit of :func:`analysis.party_range`,
    the bargaining table's. Other blocs: the latest coded goal and the latest
    coded red line (the latest source, then the latest statement in it); with
    no red line the limit is the goal (assumed), with no goal the red line is
    also the goal.
    """
    rows = _candidates(data, party, issue_id, as_of)
    goals = _latest_source(rows[rows["stance"] == "goal"])
    red_lines = _latest_source(rows[rows["stance"] == "red-line"])
    if party in analysis.SIDES:
        found = analysis.party_range(data, party, issue_id, as_of=as_of)
        if found.best is None:
            return IssuePosition(party, issue_id, None, None, False)
        goal_rows = goals if found.has_goal and (goals["level"] == found.best).any() else red_lines
        goal_ev = _pick(data, goal_rows, found.best, found.best_basis)
        limit_ev = _pick(data, red_lines, found.limit, found.limit_basis) if found.limit_stated else goal_ev
        return IssuePosition(party, issue_id, found.best, found.limit, found.limit_stated, goal_ev, limit_ev)
    if goals.empty and red_lines.empty:
        return IssuePosition(party, issue_id, None, None, False)
    limit_ev = _evidence(data, _latest_statement(red_lines)) if not red_lines.empty else None
    goal_ev = _evidence(data, _latest_statement(goals)) if not goals.empty else limit_ev
    limit_ev = limit_ev or goal_ev
    return IssuePosition(party, issue_id, goal_ev.level, limit_ev.level, not red_lines.empty, goal_ev, limit_ev)


def party_positions(data: BookData, party: str,
                    as_of: str | pd.Timestamp | None = None) -> list[IssuePosition]:
    """:func:`issue_position` for every settlement issue, in book order."""
    return [issue_position(data, party, issue_id, as_of) for issue_id in analysis.settlement_issues(data)]


def coded_issue_count(data: BookData, party: str) -> int:
    """On how many settlement issues a goal or red line with a level is coded for the party."""
    return sum(position.coded for position in party_positions(data, party))


def parties_with_briefs(data: BookData, minimum: int = MIN_CODED_ISSUES) -> list[str]:
    """The parties of :data:`PARTIES` with a coded goal or red line on at least ``minimum`` settlement issues.

    Ukraine and Russia always get a brief: they are the two sides who must both
    accept a settlement.
    """
    return [party for party in PARTIES
            if party in analysis.SIDES or coded_issue_count(data, party) >= minimum]


def _evidence_text(data: BookData, evidence: Evidence | None) -> str:
    """Escaped evidence for a table cell (a :class:`~utils.render.Markup`, so the source stays a link)."""
    if evidence is None:
        return ""
    from .render import Markup, source_link

    return Markup(f"{esc(evidence.basis)} · {esc(evidence.stance)} · in the words of {esc(evidence.speaker)}, "
                  f"stated {esc(evidence.stated)}, in {source_link(data, evidence.source_id)}: "
                  f"“{esc(evidence.text)}”")


def limit_status(position: IssuePosition) -> str:
    """``stated``, ``assumed (no red line coded)`` or ``nothing coded``."""
    if not position.coded:
        return "nothing coded"
    return "stated (a red line is coded)" if position.limit_stated else "assumed (no red line coded; the goal stands for it)"


def brief_frame(data: BookData, party: str) -> pd.DataFrame:
    """One row per settlement issue: the party's coded goal and limit, as text, with their evidence."""
    rows = []
    labels = data.issues.set_index("issue_id")["label"]
    for position in party_positions(data, party):
        rows.append({
            "issue_id": position.issue_id, "issue": labels[position.issue_id],
            "goal": level_label(data, position.issue_id, position.goal) if position.coded else "not coded",
            "limit": level_label(data, position.issue_id, position.limit) if position.coded else "not coded",
            "limit_status": limit_status(position),
            "goal_evidence": _evidence_text(data, position.goal_evidence),
            "limit_evidence": ("same as the goal" if position.coded and not position.limit_stated
                               else _evidence_text(data, position.limit_evidence)),
        })
    return pd.DataFrame(rows)


BRIEF_COLUMNS = {"issue": "Issue", "goal": "Your public goal", "limit": "Your public limit",
                 "limit_status": "Limit", "goal_evidence": "Evidence for the goal (basis; stance; whose words; source)",
                 "limit_evidence": "Evidence for the limit"}


def brief_html(data: BookData, party: str) -> str:
    """A printable brief for one party: an escaped table, with what the positions are and are not."""
    frame = brief_frame(data, party)
    coded = int((frame["goal"] != "not coded").sum())
    summary = (f"{party}: a goal or red line is coded on {coded} of the {len(frame)} settlement issues; "
               "on the others you have no public position to start from and must decide one with your team.")
    return (f'<section class="book-brief" style="break-before: page">'
            f"<h3>Brief for {esc(party)}</h3>" + notice(PUBLIC_NOTE) + notice(summary)
            + html_table(frame, BRIEF_COLUMNS, caption=f"{party}: public goals and limits on the settlement issues")
            + "</section>")


def briefs_html(data: BookData, parties: list[str] | None = None):
    """Every party's brief, one after another (each starts a new printed page)."""
    from IPython.display import HTML

    parties = parties_with_briefs(data) if parties is None else parties
    return HTML("".join(brief_html(data, party) for party in parties))


# --- Confidential reservation points ------------------------------------------------------------


@dataclass(frozen=True)
class Reservation:
    """The levels a party may accept on one issue (``low``…``high``) and the level it aims at.

    For Ukraine the reservation point is ``high`` (it accepts 1…``high``), for
    Russia ``low`` (it accepts ``low``…top); another bloc accepts the interval.
    """

    party: str
    issue_id: str
    target: int
    low: int
    high: int
    how: str

    @property
    def point(self) -> str:
        side = analysis.SIDES.get(self.party)
        if side == "low":
            return str(self.high)
        if side == "high":
            return str(self.low)
        return str(self.low) if self.low == self.high else f"{self.low}–{self.high}"


def _top(data: BookData, issue_id: str) -> int:
    return int(data.issue_levels.loc[data.issue_levels["issue_id"] == issue_id, "level"].max())


def default_reservation(data: BookData, position: IssuePosition, slack: int = DEFAULT_SLACK) -> Reservation:
    """The default confidential reservation point, derived from the coded limits.

    Ukraine and Russia: a stated limit is taken at its word; an assumed limit
    (no red line coded) is moved ``slack`` steps towards the other side's end,
    because a public demand usually asks for more than the least a side would
    take (a teaching assumption, not data); with nothing coded, the middle of
    the scale (rounded towards the party's own end). Other blocs: the levels
    between their goal and their red line, widened by ``slack`` on each side
    when no red line is coded; with nothing coded, any level (no coded stake).
    """
    party, issue_id, top = position.party, position.issue_id, _top(data, position.issue_id)
    side = analysis.SIDES.get(party)
    if side is not None:
        own_end = 1 if side == "low" else top
        if not position.coded:
            middle = (1 + top) // 2 if side == "low" else -(-(1 + top) // 2)
            point, target, how = middle, own_end, "nothing coded: the middle of the scale"
        elif position.limit_stated:
            point, target, how = position.limit, position.goal, "the stated limit (coded red line)"
        else:
            step = slack if side == "low" else -slack
            point = min(top, max(1, position.limit + step))
            target, how = position.goal, f"the assumed limit moved {slack} step(s) towards the other side"
        low, high = (1, point) if side == "low" else (point, top)
        return Reservation(party, issue_id, target, low, high, how)
    if not position.coded:
        return Reservation(party, issue_id, (1 + top) // 2, 1, top, "nothing coded: no stake, any level")
    low, high = sorted((position.goal, position.limit))
    if position.limit_stated:
        how = "between the coded goal and the coded red line"
    else:
        low, high = max(1, low - slack), min(top, high + slack)
        how = f"the coded goal, widened by {slack} step(s) each way (no red line coded)"
    return Reservation(party, issue_id, position.goal, low, high, how)


def reservation_points(data: BookData, parties: list[str] | None = None, slack: int = DEFAULT_SLACK,
                       overrides: dict[tuple[str, str], int | tuple[int, int]] | None = None) -> pd.DataFrame:
    """Every party's confidential reservation point on every settlement issue.

    ``overrides`` lets the instructor set any of them, keyed by (party,
    issue_id): a level for Ukraine (it accepts 1…level) or Russia (level…top),
    a (low, high) pair for another bloc. Columns: ``party``, ``issue_id``,
    ``target``, ``low``, ``high``, ``point`` (as printed), ``how``.
    """
    parties = parties_with_briefs(data) if parties is None else parties
    overrides = overrides or {}
    rows = []
    for party in parties:
        for position in party_positions(data, party):
            found = default_reservation(data, position, slack)
            key = (party, position.issue_id)
            if key in overrides:
                found = _override(data, found, overrides[key])
            rows.append(found)
    return pd.DataFrame([vars(r) | {"point": r.point} for r in rows],
                        columns=["party", "issue_id", "target", "low", "high", "point", "how"])


def _override(data: BookData, found: Reservation, value: int | tuple[int, int]) -> Reservation:
    top = _top(data, found.issue_id)
    side = analysis.SIDES.get(found.party)
    if side is None:
        low, high = value if isinstance(value, tuple) else (value, value)
    elif side == "low":
        low, high = 1, int(value)
    else:
        low, high = int(value), top
    if not 1 <= low <= high <= top:
        raise ValueError(f"{found.party}, {found.issue_id}: levels must run 1…{top}, got {value!r}")
    target = min(max(found.target, low), high)
    return Reservation(found.party, found.issue_id, target, low, high, "set by the instructor")


def reservations_html(data: BookData, reservations: pd.DataFrame | None = None):
    """The confidential sheets, one per party (each starts a new printed page), escaped."""
    from IPython.display import HTML

    reservations = reservation_points(data) if reservations is None else reservations
    labels = data.issues.set_index("issue_id")["label"]
    parts = []
    for party, rows in reservations.groupby("party", sort=False):
        rows = rows.assign(issue=[labels[i] for i in rows["issue_id"]],
                           target_text=[level_label(data, i, t) for i, t in zip(rows["issue_id"], rows["target"])],
                           accept=[_accept_text(data, party, i, lo, hi) for i, lo, hi in
                                   zip(rows["issue_id"], rows["low"], rows["high"])])
        parts.append(f'<section class="book-brief" style="break-before: page">'
                     f"<h3>Confidential: {esc(party)}</h3>"
                     + notice("For this role only. These points are set for the exercise; they are not "
                              "any government's real limits, which no source shows.")
                     + html_table(rows, {"issue": "Issue", "target_text": "Aim for", "point": "Reservation point",
                                         "accept": "You may accept", "how": "How it was set"},
                                  caption=f"{party}: confidential reservation points"))
        parts[-1] += "</section>"
    return HTML("".join(parts))


def _accept_text(data: BookData, party: str, issue_id: str, low: int, high: int) -> str:
    if low == high:
        return f"only {level_label(data, issue_id, low)}"
    return f"{level_label(data, issue_id, low)} to {level_label(data, issue_id, high)}"


# --- Scoring and debrief -------------------------------------------------------------------------


def points(reservation: pd.Series | Reservation, outcome: int | None) -> int:
    """A party's points on one issue.

    No agreement: :data:`NO_DEAL_POINTS`. An outcome outside the levels the
    party may accept: :data:`BEYOND_POINTS` (worse than no agreement).
    Otherwise Ukraine and Russia score 1 plus the steps by which the outcome is
    better for them than their reservation point; another bloc scores 2 at its
    target and 1 elsewhere in its interval.
    """
    get = reservation.__getitem__ if isinstance(reservation, pd.Series) else lambda k: getattr(reservation, k)
    if outcome is None or pd.isna(outcome):
        return NO_DEAL_POINTS
    outcome = int(outcome)
    low, high = int(get("low")), int(get("high"))
    if not low <= outcome <= high:
        return BEYOND_POINTS
    side = analysis.SIDES.get(get("party"))
    if side == "low":
        return 1 + high - outcome
    if side == "high":
        return 1 + outcome - low
    return 2 if outcome == int(get("target")) else 1


def score_sheet(data: BookData, outcomes: dict[str, int | None],
                reservations: pd.DataFrame | None = None) -> pd.DataFrame:
    """Each party's points per settlement issue for a set of outcomes (issue_id → level, or None).

    One row per issue, a column per party, and a last row ``total``.
    """
    reservations = reservation_points(data) if reservations is None else reservations
    issues = analysis.settlement_issues(data)
    unknown = set(outcomes) - set(issues)
    if unknown:
        raise ValueError(f"not settlement issues: {sorted(unknown)}")
    table = pd.DataFrame({"issue_id": issues})
    for party, rows in reservations.groupby("party", sort=False):
        rows = rows.set_index("issue_id")
        table[party] = [points(rows.loc[i], outcomes.get(i)) for i in issues]
    total = {"issue_id": "total", **{p: int(table[p].sum()) for p in table.columns if p != "issue_id"}}
    return pd.concat([table, pd.DataFrame([total])], ignore_index=True)


def blank_score_sheet_html(data: BookData, parties: list[str] | None = None):
    """A printable score sheet to fill in by hand: one row per settlement issue, its scale, blank cells."""
    parties = parties_with_briefs(data) if parties is None else parties
    issues = data.issues[data.issues["kind"] == "settlement"]
    scale = {i: "; ".join(level_label(data, i, lvl) for lvl in
                          data.issue_levels.loc[data.issue_levels["issue_id"] == i, "level"])
             for i in issues["issue_id"]}
    frame = issues.assign(scale=[scale[i] for i in issues["issue_id"]], agreed="",
                          **{f"pts_{n}": "" for n in range(len(parties))})
    columns = {"label": "Issue", "scale": "Levels (1 = Ukraine's end)", "agreed": "Agreed level (or none)",
               **{f"pts_{n}": f"Points: {p}" for n, p in enumerate(parties)}}
    from IPython.display import HTML

    return HTML(html_table(frame, columns, caption="Score sheet (fill in after the negotiation)"))


def score_sheet_html(data: BookData, outcomes: dict[str, int | None],
                     reservations: pd.DataFrame | None = None):
    """:func:`score_sheet` as an escaped table, with each outcome's level label."""
    from IPython.display import HTML

    table = score_sheet(data, outcomes, reservations)
    labels = data.issues.set_index("issue_id")["label"]
    table = table.assign(
        issue=[labels.get(i, "Total") for i in table["issue_id"]],
        outcome=[("" if i == "total" else
                  "no agreement" if outcomes.get(i) is None else level_label(data, i, outcomes[i]))
                 for i in table["issue_id"]])
    parties = [c for c in table.columns if c not in ("issue_id", "issue", "outcome")]
    return HTML(html_table(table, {"issue": "Issue", "outcome": "Outcome", **{p: p for p in parties}},
                           caption="Points for these outcomes (compare each role with the teams that played it)"))


def example_outcomes(data: BookData) -> dict[str, int | None]:
    """Illustrative outcomes, computed, not a class's results: where both sides' limits are coded, the
    level halfway between them (rounded towards Ukraine's end); where one side's is coded, that limit;
    no agreement elsewhere."""
    table = analysis.bargaining_table(data)
    outcomes: dict[str, int | None] = {}
    for row in table.itertuples():
        limits = [int(v) for v in (row.ukraine_limit, row.russia_limit) if not pd.isna(v)]
        outcomes[row.issue_id] = sum(limits) // 2 if len(limits) == 2 else (limits[0] if limits else None)
    return outcomes


def debrief_table(data: BookData, outcomes: dict[str, int | None]) -> pd.DataFrame:
    """A class's outcomes against the bargaining chapter's table, issue by issue.

    Columns: ``issue_id``, ``label``, ``outcome``, ``status`` and ``gap`` (the
    chapter's zone), ``ukraine_limit``, ``ukraine_limit_stated``,
    ``russia_limit``, ``russia_limit_stated``, ``beyond_ukraine`` and
    ``beyond_russia`` (the outcome lies past that side's coded public limit;
    ``<NA>`` when there is no outcome or no coded limit) and ``reading``.
    """
    table = analysis.bargaining_table(data)
    table["outcome"] = pd.array([outcomes.get(i) for i in table["issue_id"]], dtype="Int64")
    table["beyond_ukraine"] = (table["outcome"] > table["ukraine_limit"]).astype("boolean")
    table["beyond_russia"] = (table["outcome"] < table["russia_limit"]).astype("boolean")
    table["reading"] = [_reading(r) for r in table.itertuples()]
    return table[["issue_id", "label", "outcome", "status", "gap", "ukraine_limit", "ukraine_limit_stated",
                  "russia_limit", "russia_limit_stated", "beyond_ukraine", "beyond_russia", "reading"]]


def _reading(row) -> str:
    if pd.isna(row.outcome):
        return "No agreement on this issue."
    past = [side for side, beyond, stated in (("Ukraine", row.beyond_ukraine, row.ukraine_limit_stated),
                                              ("Russia", row.beyond_russia, row.russia_limit_stated))
            if not pd.isna(beyond) and beyond]
    if row.status == "gap":
        words = " and ".join(f"{s}'s {'stated' if _stated(row, s) else 'assumed'} limit" for s in past)
        return (f"The data show a gap of {row.gap} step(s): any agreement lies past at least one side's coded "
                f"limit; this one lies past {words}.")
    if row.status == "overlap":
        inside = not past
        return ("Inside the zone the coded limits leave open." if inside
                else "The data show an overlap, but this outcome lies past " + " and ".join(past) + "'s coded limit.")
    coded = [s for s, lim in (("Ukraine", row.ukraine_limit), ("Russia", row.russia_limit)) if not pd.isna(lim)]
    if not coded:
        return "Neither side's limit is coded: the data cannot judge this outcome."
    side = coded[0]
    verdict = "past" if side in past else "within"
    return f"Only {side}'s limit is coded; the outcome lies {verdict} it. The data cannot say what the other side accepts."


def _stated(row, side: str) -> bool:
    value = row.ukraine_limit_stated if side == "Ukraine" else row.russia_limit_stated
    return bool(value) if not pd.isna(value) else False


def _limit_text(data: BookData, issue_id: str, level: object, stated: object) -> str:
    if level is None or pd.isna(level):
        return "not coded"
    return f"{level_label(data, issue_id, level)} ({'stated' if bool(stated) else 'assumed'})"


def debrief_html(data: BookData, outcomes: dict[str, int | None]):
    """:func:`debrief_table` as an escaped table."""
    from IPython.display import HTML

    table = debrief_table(data, outcomes)
    status = {"overlap": "overlap", "gap": "gap", "unknown": "not both coded"}
    table = table.assign(
        outcome_text=["no agreement" if pd.isna(o) else level_label(data, i, o)
                      for i, o in zip(table["issue_id"], table["outcome"])],
        zone=[status[s] if s != "gap" else f"gap of {g} step(s)" for s, g in zip(table["status"], table["gap"])],
        ukraine=[_limit_text(data, i, v, s) for i, v, s in
                 zip(table["issue_id"], table["ukraine_limit"], table["ukraine_limit_stated"])],
        russia=[_limit_text(data, i, v, s) for i, v, s in
                zip(table["issue_id"], table["russia_limit"], table["russia_limit_stated"])])
    return HTML(html_table(table, {"label": "Issue", "outcome_text": "Outcome", "ukraine": "Ukraine's coded limit",
                                   "russia": "Russia's coded limit", "zone": "Zone in the data",
                                   "reading": "Reading"},
                           caption="Outcomes against the bargaining chapter's table (all evidence)"))


def debrief_counts(data: BookData, outcomes: dict[str, int | None]) -> dict[str, int]:
    """Counts the debrief prose quotes: agreements, and how many lie past a coded public limit."""
    table = debrief_table(data, outcomes)
    agreed = table["outcome"].notna()
    past_any = (table["beyond_ukraine"].fillna(False) | table["beyond_russia"].fillna(False)) & agreed
    return {"agreed": int(agreed.sum()), "past_a_limit": int(past_any.sum()),
            "agreed_on_gap": int((agreed & (table["status"] == "gap")).sum()),
            "agreed_on_unknown": int((agreed & (table["status"] == "unknown")).sum())}


def glue_values(data: BookData) -> dict[str, object]:
    """What the appendix glues (``rp_…``): parties, counts of coded issues and assumed limits per party,
    the scoring constants, and the debrief counts for :func:`example_outcomes`."""
    from IPython.display import Markdown

    parties = parties_with_briefs(data)
    values: dict[str, object] = {
        "rp_n_parties": len(parties), "rp_parties": Markdown(", ".join(parties)),
        "rp_n_issues": len(analysis.settlement_issues(data)), "rp_min_issues": MIN_CODED_ISSUES,
        "rp_slack": DEFAULT_SLACK, "rp_beyond_points": BEYOND_POINTS, "rp_no_deal_points": NO_DEAL_POINTS,
        "rp_europe_brief": Markdown("gets a brief" if "Europe" in parties else "gets no brief"),
    }
    for party in PARTIES:
        slug = party.lower().replace(" ", "_")
        positions = party_positions(data, party)
        values[f"rp_coded_{slug}"] = sum(p.coded for p in positions)
        values[f"rp_assumed_{slug}"] = sum(p.coded and not p.limit_stated for p in positions)
    for name, value in debrief_counts(data, example_outcomes(data)).items():
        values[f"rp_ex_{name}"] = value
    return values
