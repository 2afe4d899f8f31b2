"""A negotiation role-play built on the coded positions (appendix *Role-play*).

Every party's brief is generated from ``positions.csv``: for each settlement
issue, the goal and the limit the sources code for the party, with whose
position it is, whose words they rest on and where they were published. The
positions are **public statements**, not the parties' true reservation points;
the role-play adds a *confidential* sheet per party that the instructor may
set, with a documented default derived from the coded positions
(:func:`reservation_points`). A scoring sheet and a debrief that compares a
class's outcomes with the bargaining chapter's table complete it.

For Ukraine and Russia, the goal and limit are those of
:func:`utils.analysis.party_range` (the bargaining table's), except that a goal
is shown only where a goal is coded: with only a red line, the brief says so
rather than showing the red line as a goal. For a bloc that owns neither end of
the scales (the United States, Europe), the goal is its latest coded goal and
the limit its latest coded red line. A red line is a bound (codebook rule 6):
it rules out the levels on one side of its level and is never shown as a level
the party said it would accept. Every piece of text from the data reaches HTML
through :mod:`utils.render`, which escapes it, and reaches the Markdown the appendix
glues (:func:`common_levels_md`, :func:`glue_values`) through :func:`~utils.render.md_text`.
"""

from __future__ import annotations

from dataclasses import dataclass
from numbers import Integral, Real

import pandas as pd

from . import analysis
from .data import BookData, implied_rules_out
from .dates import display_date
from .render import esc, html_table, level_label, md_text, notice
from .sentences import count_phrase

#: The parties a brief may be written for, in the order the appendix shows them.
PARTIES = ("Ukraine", "Russia", "United States", "Europe")
#: A party gets a brief when at least this many settlement issues code a goal or a red line for it.
MIN_CODED_ISSUES = 2
#: Default: an assumed limit (no red line coded) is loosened by this many scale steps.
DEFAULT_SLACK = 1
#: Points per scale step by which an agreed level lies past the party's reservation point.
PAST_POINTS_PER_STEP = -2
#: Points for an issue left without agreement (and for no agreement at all: every team's alternative).
NO_DEAL_POINTS = 0
#: The weights a team may give an issue (before the negotiation, on its confidential sheet).
WEIGHTS = (1, 2, 3)

#: Shown above every brief: what the coded positions are, and are not.
PUBLIC_NOTE = ("These are public statements as the book's sources report them, coded by the codebook's "
               "rules: not the party's true reservation points, which no source shows. Level 1 of every "
               "scale is the end most favourable to Ukraine, the top level the end most favourable to "
               "Russia; each end is a position someone states, in the sources or a cited report, or, where "
               "nobody states it, only the logical end of the question (the codebook says which). A goal is "
               "shown only where one is coded. A limit is “stated” when a red line is coded: read by rule 6, "
               "it is the furthest level the red line leaves open, a bound the statement sets, not a level "
               "the party said it would accept. A limit is “assumed” when no red line is coded and the goal "
               "stands for it. Basis: “own words” = quoted directly, on the record; “reported” = someone "
               "else's account; “inferred” = the coder's reading.")


@dataclass(frozen=True)
class Evidence:
    """The coded position a goal or a limit rests on."""

    position_id: str
    level: int
    stance: str
    basis: str
    actor: str
    speaker: str
    quote_kind: str
    source_id: str
    stated: str
    year: int
    text: str


@dataclass(frozen=True)
class IssuePosition:
    """One party's publicly coded goal and limit on one settlement issue.

    ``goal`` is ``None`` when no goal is coded (a red line alone is never shown
    as a goal). ``limit`` is the coded red line's level when ``limit_stated``,
    else the goal (*assumed*), ``None`` when nothing is coded. ``excludes``
    says which side of a stated limit the red line rules out (``"above"`` or
    ``"below"``), ``None`` when it is not known or no red line is coded.
    """

    party: str
    issue_id: str
    goal: int | None
    limit: int | None
    limit_stated: bool
    goal_evidence: Evidence | None = None
    limit_evidence: Evidence | None = None
    excludes: str | None = None

    @property
    def coded(self) -> bool:
        return self.limit is not None


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
                    basis=row["basis"], actor=names[row["actor_id"]], speaker=names[row["speaker_id"]],
                    quote_kind=row["quote_kind"], source_id=row["source_id"],
                    stated=display_date(row["stated_on"], row["stated_precision"]),
                    year=int(pd.Timestamp(row["stated_on"]).year), text=row["text"])


def _pick(data: BookData, rows: pd.DataFrame, level: int, basis: str | None) -> Evidence | None:
    chosen = rows[rows["level"] == level]
    if basis is not None and (chosen["basis"] == basis).any():
        chosen = chosen[chosen["basis"] == basis]
    return None if chosen.empty else _evidence(data, _latest_statement(chosen))


def _top(data: BookData, issue_id: str) -> int:
    return int(data.issue_levels.loc[data.issue_levels["issue_id"] == issue_id, "level"].max())


def red_line_excludes(data: BookData, party: str, evidence: Evidence, issue_id: str) -> str | None:
    """Which side of its level a red line rules out: ``"above"``, ``"below"`` or ``None`` (not known).

    Where codebook rule 6 says it (:func:`utils.data.implied_rules_out`), from the
    rule; else from the ``rules_out`` column of ``positions.csv``, which the loader
    requires there (a frame changed in memory without it sets no bound on the
    confidential sheets, and the sheet says so).
    """
    implied = implied_rules_out(party, int(evidence.level), _top(data, issue_id))
    if implied is not None:
        return implied
    recorded = data.positions.set_index("position_id").loc[evidence.position_id, "rules_out"]
    return None if pd.isna(recorded) else str(recorded)


def issue_position(data: BookData, party: str, issue_id: str,
                   as_of: str | pd.Timestamp | None = None) -> IssuePosition:
    """A party's coded goal and limit on one issue, with the positions they rest on.

    Ukraine and Russia: the demand and limit of :func:`analysis.party_range`,
    the bargaining table's, but the goal only where a goal is coded. Other
    blocs: the latest coded goal and the latest coded red line (the latest
    source, then the latest statement in it); with no red line the limit is the
    goal (assumed); with no goal there is no goal.
    """
    rows = _candidates(data, party, issue_id, as_of)
    goals = _latest_source(rows[rows["stance"] == "goal"])
    red_lines = _latest_source(rows[rows["stance"] == "red-line"])
    if party in analysis.SIDES:
        found = analysis.party_range(data, party, issue_id, as_of=as_of)
        if found.best is None:
            return IssuePosition(party, issue_id, None, None, False)
        goal, goal_ev = None, None
        if found.has_goal:
            # The table's demand; a goal beyond the party's own red line is shown as the goal coded.
            goal = found.best if (goals["level"] == found.best).any() else int(
                (min if analysis.SIDES[party] == "low" else max)(goals["level"]))
            goal_ev = _pick(data, goals, goal, found.best_basis)
        limit_ev = _pick(data, red_lines, found.limit, found.limit_basis) if found.limit_stated else goal_ev
        excludes = red_line_excludes(data, party, limit_ev, issue_id) if found.limit_stated else None
        return IssuePosition(party, issue_id, goal, found.limit, found.limit_stated, goal_ev, limit_ev, excludes)
    if goals.empty and red_lines.empty:
        return IssuePosition(party, issue_id, None, None, False)
    goal_ev = _evidence(data, _latest_statement(goals)) if not goals.empty else None
    if red_lines.empty:
        return IssuePosition(party, issue_id, goal_ev.level, goal_ev.level, False, goal_ev, goal_ev)
    limit_ev = _evidence(data, _latest_statement(red_lines))
    return IssuePosition(party, issue_id, goal_ev.level if goal_ev else None, limit_ev.level, True,
                         goal_ev, limit_ev, red_line_excludes(data, party, limit_ev, issue_id))


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
    """Escaped evidence for a table cell (a :class:`~utils.render.Markup`, so the source stays a link).

    It names whose position is coded and whose words the excerpt is; an
    author's claim about a party is marked as the author's own wording.
    """
    if evidence is None:
        return ""
    from .render import Markup, source_link

    words = (f"in the words of {esc(evidence.speaker)}" if evidence.quote_kind != "author's claim"
             else f"in the words of {esc(evidence.speaker)}: the author's own claim about the party, "
                  "not the party's words")
    return Markup(f"{esc(evidence.basis)} · {esc(evidence.stance)} · position of {esc(evidence.actor)}; "
                  f"{words}; stated {esc(evidence.stated)}, in {source_link(data, evidence.source_id)}: "
                  f"“{esc(evidence.text)}”")


def limit_status(position: IssuePosition) -> str:
    """``stated …``, ``assumed …`` or ``nothing coded``."""
    if not position.coded:
        return "nothing coded"
    if not position.limit_stated:
        return "assumed (no red line coded; the goal stands for it)"
    return "stated (a red line is coded: a bound, not a level the party said it would accept)"


def _public_limit_text(data: BookData, position: IssuePosition) -> str:
    if not position.coded:
        return "not coded"
    label = level_label(data, position.issue_id, position.limit)
    if not position.limit_stated:
        return label
    if position.excludes is None:
        return f"{label} (which side it rules out is not recorded)"
    return f"{label}; rules out the levels {position.excludes} it"


def brief_frame(data: BookData, party: str) -> pd.DataFrame:
    """One row per settlement issue: the party's coded goal and limit, as text, with their evidence."""
    rows = []
    labels = data.issues.set_index("issue_id")["label"]
    for position in party_positions(data, party):
        goal = (level_label(data, position.issue_id, position.goal) if position.goal is not None
                else "not coded (red line only)" if position.coded else "not coded")
        rows.append({
            "issue_id": position.issue_id, "issue": labels[position.issue_id], "goal": goal,
            "limit": _public_limit_text(data, position), "limit_status": limit_status(position),
            "goal_evidence": _evidence_text(data, position.goal_evidence),
            "limit_evidence": ("same as the goal" if position.coded and not position.limit_stated
                               else _evidence_text(data, position.limit_evidence)),
        })
    return pd.DataFrame(rows)


BRIEF_COLUMNS = {"issue": "Issue", "goal": "Your public goal", "limit": "Your public limit",
                 "limit_status": "Limit",
                 "goal_evidence": "Evidence for the goal (basis; stance; whose position; whose words; source)",
                 "limit_evidence": "Evidence for the limit"}


def evidence_years(data: BookData, party: str) -> list[int]:
    """The calendar years in which the evidence of a party's brief was stated, in order."""
    years = {e.year for p in party_positions(data, party)
             for e in (p.goal_evidence, p.limit_evidence) if e is not None}
    return sorted(years)


def brief_html(data: BookData, party: str) -> str:
    """A printable brief for one party: an escaped table, with what the positions are and are not."""
    frame = brief_frame(data, party)
    coded = int((frame["limit"] != "not coded").sum())
    summary = (f"{party}: a goal or red line is coded on {coded} of the {len(frame)} settlement issues; "
               "on the others you have no public position to start from and must decide one with your team.")
    notes = [PUBLIC_NOTE, summary]
    years = evidence_years(data, party)
    if len(years) > 1:
        notes.append(f"The evidence in this brief was stated in different years ({years[0]} to {years[-1]}): "
                     "a row stated years before another may speak for a government or an office-holder "
                     "that has since changed. Check each row's “position of” and date.")
    return (f'<section class="book-brief" style="break-before: page">'
            f"<h3>Brief for {esc(party)}</h3>" + "".join(notice(n) for n in notes)
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
    ``target`` is the coded goal, ``None`` when no goal is coded (the sheet
    names no aim). ``stake`` is False when nothing is coded and no point was
    set: the party then accepts any level and the issue scores nothing for it.
    """

    party: str
    issue_id: str
    target: int | None
    low: int
    high: int
    how: str
    stake: bool = True

    @property
    def point(self) -> str:
        if not self.stake:
            return "none"
        side = analysis.SIDES.get(self.party)
        if side == "low":
            return str(self.high)
        if side == "high":
            return str(self.low)
        return str(self.low) if self.low == self.high else f"{self.low}–{self.high}"


NOTHING_CODED = ("nothing coded: no aim and no limit, so the issue scores nothing for you "
                 "unless the instructor sets a point")


def _levels(low: int, high: int) -> str:
    return f"level {low}" if low == high else f"levels {low}–{high}"


def default_reservation(data: BookData, position: IssuePosition, slack: int = DEFAULT_SLACK) -> Reservation:
    """The default confidential reservation point, derived from the coded positions.

    The level to aim for is the coded goal, and none where no goal is coded.
    A stated limit (a coded red line) is a bound: the sheet rules out the levels
    the red line rules out and leaves every other level open, without claiming
    that the party said it would accept them. Ukraine and Russia: an assumed
    limit (no red line coded) is moved ``slack`` steps towards the other side's
    end, because a public demand usually asks for more than the least a side
    would take (a teaching assumption, not data). Other blocs: with only a goal,
    the goal widened by ``slack`` on each side; a red line whose side is not
    recorded sets no bound. With nothing coded, no aim, no limit and no stake.
    """
    party, issue_id, top = position.party, position.issue_id, _top(data, position.issue_id)
    side = analysis.SIDES.get(party)
    if not position.coded:
        return Reservation(party, issue_id, None, 1, top, NOTHING_CODED, stake=False)
    target = position.goal
    if position.limit_stated and position.excludes is not None:
        limit = position.limit
        low, high = (1, limit) if position.excludes == "above" else (limit, top)
        out = _levels(limit + 1, top) if position.excludes == "above" else _levels(1, limit - 1)
        how = (f"a coded red line rules out {out} (rule 6: a bound it sets, not a level the party said it "
               f"would accept); the other levels are open to you for the exercise")
        return Reservation(party, issue_id, target, low, high, how)
    if position.limit_stated:  # a third party's red line whose side is not recorded
        return Reservation(party, issue_id, target, 1, top,
                           f"a red line is coded at level {position.limit}, but which side it rules out is "
                           "not recorded: no bound is set (the instructor may set one)",
                           stake=target is not None)
    if side is not None:
        step = slack if side == "low" else -slack
        point = min(top, max(1, position.limit + step))
        low, high = (1, point) if side == "low" else (point, top)
        how = (f"no red line coded: your public goal moved {count_phrase(slack, 'step')} towards the other side "
               "(a teaching assumption, not data)")
        return Reservation(party, issue_id, target, low, high, how)
    low, high = max(1, position.goal - slack), min(top, position.goal + slack)
    return Reservation(party, issue_id, target, low, high,
                       f"no red line coded: your public goal widened by {count_phrase(slack, 'step')} each way "
                       "(a teaching assumption, not data)")


def reservation_points(data: BookData, parties: list[str] | None = None, slack: int = DEFAULT_SLACK,
                       overrides: dict[tuple[str, str], int | tuple[int, int]] | None = None) -> pd.DataFrame:
    """Every party's confidential reservation point on every settlement issue.

    ``overrides`` lets the instructor set any of them, keyed by (party,
    issue_id): a level for Ukraine (it accepts 1…level) or Russia (level…top),
    a level or a (low, high) pair for another bloc. A key naming a party or an
    issue not on the sheets raises :class:`ValueError`, so a misspelt key is
    never silently ignored. Columns: ``party``, ``issue_id``, ``target``,
    ``low``, ``high``, ``point`` (as printed), ``how``, ``stake``.
    """
    parties = parties_with_briefs(data) if parties is None else parties
    overrides = overrides or {}
    issues = analysis.settlement_issues(data)
    unknown = [key for key in overrides if not (isinstance(key, tuple) and len(key) == 2
                                                 and key[0] in parties and key[1] in issues)]
    if unknown:
        raise ValueError(f"overrides must be keyed by (party, settlement issue) of {parties}; not {unknown}")
    rows = []
    for party in parties:
        for position in party_positions(data, party):
            found = default_reservation(data, position, slack)
            key = (party, position.issue_id)
            if key in overrides:
                found = _override(data, found, overrides[key])
            rows.append(found)
    frame = pd.DataFrame([vars(r) | {"point": r.point} for r in rows],
                         columns=["party", "issue_id", "target", "low", "high", "point", "how", "stake"])
    return frame.astype({"target": "Int64", "stake": bool})


def _override(data: BookData, found: Reservation, value: int | tuple[int, int]) -> Reservation:
    top = _top(data, found.issue_id)
    side = analysis.SIDES.get(found.party)
    def level(v: object) -> bool:
        return isinstance(v, Integral) and not isinstance(v, bool)

    if side is not None and not level(value):
        raise ValueError(f"{found.party}, {found.issue_id}: give one level (an integer), got {value!r}")
    if side is None:
        if isinstance(value, tuple) and len(value) == 2 and all(level(v) for v in value):
            low, high = (int(v) for v in value)
        elif level(value):
            low, high = value, value
        else:
            raise ValueError(f"{found.party}, {found.issue_id}: give a level or a (low, high) pair, got {value!r}")
    elif side == "low":
        low, high = 1, int(value)
    else:
        low, high = int(value), top
    if not 1 <= low <= high <= top:
        raise ValueError(f"{found.party}, {found.issue_id}: levels must run 1…{top}, got {value!r}")
    target = None if found.target is None else min(max(found.target, low), high)
    return Reservation(found.party, found.issue_id, target, low, high, "set by the instructor")


def reservations_html(data: BookData, reservations: pd.DataFrame | None = None):
    """The confidential sheets, one per party (each starts a new printed page), escaped."""
    from IPython.display import HTML

    reservations = reservation_points(data) if reservations is None else reservations
    labels = data.issues.set_index("issue_id")["label"]
    parts = []
    for party, rows in reservations.groupby("party", sort=False):
        rows = rows.assign(
            issue=[labels[i] for i in rows["issue_id"]],
            target_text=[level_label(data, i, t) if t is not None and not pd.isna(t)
                         else "no goal coded: decide with your team"
                         for i, t in zip(rows["issue_id"], rows["target"])],
            accept=[_accept_text(data, i, lo, hi, st) for i, lo, hi, st in
                    zip(rows["issue_id"], rows["low"], rows["high"], rows["stake"])],
            weight="")
        parts.append(f'<section class="book-brief" style="break-before: page">'
                     f"<h3>Confidential: {esc(party)}</h3>"
                     + notice("For this role only. These points are set for the exercise; they are not "
                              "any government's real limits, which no source shows, and a level open to "
                              "you here is not a level the party said it would accept. Before the "
                              f"negotiation, give each issue a weight ({', '.join(map(str, WEIGHTS))}) "
                              "and hand the sheet to the instructor.")
                     + html_table(rows, {"issue": "Issue", "target_text": "Aim for (coded goal)",
                                         "point": "Reservation point", "accept": "Open to you (exercise)",
                                         "how": "How it was set", "weight": "Your weight"},
                                  caption=f"{party}: confidential reservation points"))
        parts[-1] += "</section>"
    return HTML("".join(parts))


def _accept_text(data: BookData, issue_id: str, low: int, high: int, stake: bool = True) -> str:
    if not stake:
        return "any level (no stake)"
    if low == high:
        return f"only {level_label(data, issue_id, low)}"
    return f"{level_label(data, issue_id, low)} to {level_label(data, issue_id, high)}"


def common_levels(reservations: pd.DataFrame, parties: list[str], issue_id: str) -> list[int]:
    """The levels every one of ``parties`` may accept on an issue (a party without a stake accepts any)."""
    rows = reservations[(reservations["issue_id"] == issue_id) & reservations["party"].isin(parties)]
    if rows.empty:
        return []
    low, high = int(rows["low"].max()), int(rows["high"].min())
    return list(range(low, high + 1))


def common_levels_md(data: BookData, reservations: pd.DataFrame, parties: list[str], issue_id: str):
    """:func:`common_levels` as Markdown for the prose: the levels' labels (escaped), or "no level"."""
    from IPython.display import Markdown

    levels = common_levels(reservations, parties, issue_id)
    return Markdown("; ".join(f"“{md_text(level_label(data, issue_id, lvl))}”" for lvl in levels) or "no level")


def no_common_level(reservations: pd.DataFrame, parties: list[str]) -> list[str]:
    """The issues (in sheet order) on which ``parties``' sheets, each with a stake there, share no level."""
    found = []
    for issue_id in dict.fromkeys(reservations["issue_id"]):
        rows = reservations[(reservations["issue_id"] == issue_id) & reservations["party"].isin(parties)]
        if len(rows) == len(parties) and rows["stake"].all() and not common_levels(reservations, parties, issue_id):
            found.append(issue_id)
    return found


# --- Scoring and debrief -------------------------------------------------------------------------


def points(reservation: pd.Series | Reservation, outcome: int | None, weight: int = 1) -> int:
    """A party's points on one issue, times the weight the team gave it.

    No agreement: :data:`NO_DEAL_POINTS`. No stake (nothing coded, no point
    set): 0 whatever the outcome. An outcome past the levels open to the party:
    :data:`PAST_POINTS_PER_STEP` for every step past its reservation point.
    Otherwise Ukraine and Russia score 1 plus the steps by which the outcome is
    better for them than their reservation point; another bloc scores 2 at its
    coded goal and 1 elsewhere in its interval.
    """
    get = reservation.__getitem__ if isinstance(reservation, pd.Series) else lambda k: getattr(reservation, k)
    if outcome is None or pd.isna(outcome) or not bool(get("stake")):
        return NO_DEAL_POINTS
    outcome = int(outcome)
    low, high = int(get("low")), int(get("high"))
    past = low - outcome if outcome < low else outcome - high if outcome > high else 0
    if past:
        return PAST_POINTS_PER_STEP * past * weight
    side = analysis.SIDES.get(get("party"))
    if side == "low":
        return (1 + high - outcome) * weight
    if side == "high":
        return (1 + outcome - low) * weight
    target = get("target")
    return (2 if target is not None and not pd.isna(target) and outcome == int(target) else 1) * weight


def check_outcomes(data: BookData, outcomes: dict[str, int | None]) -> None:
    """Raise :class:`ValueError` for an outcome on an issue that is not a settlement issue, or at a level
    its scale does not have (``None`` is no agreement)."""
    issues = analysis.settlement_issues(data)
    unknown = set(outcomes) - set(issues)
    if unknown:
        raise ValueError(f"not settlement issues: {sorted(unknown)}")
    for issue_id, level in outcomes.items():
        if level is None or level is pd.NA or (isinstance(level, Real) and pd.isna(level)):
            continue
        if (not isinstance(level, Real) or isinstance(level, bool) or not float(level).is_integer()
                or not 1 <= int(level) <= _top(data, issue_id)):
            raise ValueError(f"{issue_id}: the outcome must be a level 1…{_top(data, issue_id)} or None, "
                             f"got {level!r}")


def score_sheet(data: BookData, outcomes: dict[str, int | None],
                reservations: pd.DataFrame | None = None,
                weights: dict[tuple[str, str], int] | None = None) -> pd.DataFrame:
    """Each party's points per settlement issue for a set of outcomes (issue_id → level, or None).

    ``weights`` (party, issue_id) → one of :data:`WEIGHTS`, 1 where not given.
    One row per issue, a column per party, and a last row ``total``; no
    agreement on any issue totals :data:`NO_DEAL_POINTS`, every team's
    alternative to an agreement.
    """
    reservations = reservation_points(data) if reservations is None else reservations
    check_outcomes(data, outcomes)
    weights = weights or {}
    bad = {k: v for k, v in weights.items() if v not in WEIGHTS or isinstance(v, bool)}
    if bad:
        raise ValueError(f"weights must be one of {WEIGHTS}: {bad}")
    issues = analysis.settlement_issues(data)
    table = pd.DataFrame({"issue_id": issues})
    for party, rows in reservations.groupby("party", sort=False):
        rows = rows.set_index("issue_id")
        table[party] = [points(rows.loc[i], outcomes.get(i), weights.get((party, i), 1)) for i in issues]
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
               **{f"pts_{n}": f"Points × weight: {p}" for n, p in enumerate(parties)}}
    from IPython.display import HTML

    return HTML(html_table(frame, columns, caption="Score sheet (fill in after the negotiation)"))


def score_sheet_html(data: BookData, outcomes: dict[str, int | None],
                     reservations: pd.DataFrame | None = None,
                     weights: dict[tuple[str, str], int] | None = None):
    """:func:`score_sheet` as an escaped table, with each outcome's level label."""
    from IPython.display import HTML

    table = score_sheet(data, outcomes, reservations, weights)
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
    check_outcomes(data, outcomes)
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
        return (f"The data show a gap of {count_phrase(int(row.gap), 'step')}: any agreement lies past at least one side's coded "
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
        zone=[status[s] if s != "gap" else f"gap of {count_phrase(int(g), 'step')}" for s, g in zip(table["status"], table["gap"])],
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


def _labels(data: BookData, issue_ids: list[str]) -> str:
    """The issues' labels as Markdown (escaped), or "none"."""
    labels = data.issues.set_index("issue_id")["label"]
    return ", ".join(md_text(labels[i]) for i in issue_ids) if issue_ids else "none"


def glue_values(data: BookData) -> dict[str, object]:
    """What the appendix glues (``rp_…``): parties, counts of coded issues, assumed limits, goals and stakes
    per party, the scoring constants, the issues on which the default sheets leave no common level, and
    the debrief counts for :func:`example_outcomes`."""
    from IPython.display import Markdown

    parties = parties_with_briefs(data)
    sheets = reservation_points(data, parties)
    sides = [p for p in parties if p in analysis.SIDES]
    others = [p for p in parties if p not in analysis.SIDES]
    no_zone = no_common_level(sheets, sides)
    values: dict[str, object] = {
        "rp_n_parties": len(parties), "rp_parties": Markdown(", ".join(parties)),
        "rp_n_issues": len(analysis.settlement_issues(data)), "rp_min_issues": MIN_CODED_ISSUES,
        "rp_slack": DEFAULT_SLACK, "rp_past_points": PAST_POINTS_PER_STEP, "rp_no_deal_points": NO_DEAL_POINTS,
        "rp_weights": Markdown(", ".join(map(str, WEIGHTS[:-1])) + f" or {WEIGHTS[-1]}"),
        "rp_europe_brief": Markdown("gets a brief" if "Europe" in parties else "gets no brief"),
        "rp_sides_no_zone": len(no_zone), "rp_sides_no_zone_list": Markdown(_labels(data, no_zone)),
        "rp_others_no_common": Markdown(_labels(data, no_common_level(sheets, others)) if len(others) > 1
                                        else "none (fewer than two such parties)"),
    }
    for party in PARTIES:
        slug = party.lower().replace(" ", "_")
        positions = party_positions(data, party)
        values[f"rp_coded_{slug}"] = sum(p.coded for p in positions)
        values[f"rp_assumed_{slug}"] = sum(p.coded and not p.limit_stated for p in positions)
        values[f"rp_no_goal_{slug}"] = sum(p.coded and p.goal is None for p in positions)
        stakes = sheets.loc[sheets["party"] == party, "stake"]
        values[f"rp_stake_{slug}"] = int(stakes.sum()) if not stakes.empty else 0
    for name, value in debrief_counts(data, example_outcomes(data)).items():
        values[f"rp_ex_{name}"] = value
    return values
