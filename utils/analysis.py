"""Pure functions that compare negotiating positions in the loaded tables.

Every function takes a :class:`~utils.data.BookData` (and plain arguments) and
returns a new DataFrame or a small dataclass; nothing here draws or prints.
Levels are on each issue's ordered scale: 1 is Ukraine's stated maximum, the
top level Russia's.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import pandas as pd

from .data import BookData
from .dates import period_end, period_ends

STANCE_ORDER = {"goal": 0, "red-line": 1, "expectation": 2}
#: When several rows give the same level, the strongest evidence is shown.
BASIS_ORDER = {"own words": 0, "reported": 1, "inferred": 2}
#: The two sides of the war, and which end of every scale each prefers.
SIDES = {"Ukraine": "low", "Russia": "high"}


_EVIDENCE: dict[int, tuple[BookData, pd.DataFrame]] = {}


def evidence(data: BookData) -> pd.DataFrame:
    """Every coded position joined to its actor, quote and source.

    Columns: the positions' own, plus ``name``, ``bloc``, ``issue_kind``,
    ``source_id``, ``published``, ``speaker_id``, ``text``, ``quote_kind``,
    ``sourcing`` and ``stated_until`` (the last day ``stated_on`` may stand
    for: the month's end for a month-precision date). Computed once
    per loaded ``data`` (the tables are treated as read-only) and returned as
    a copy, so callers may change it freely.
    """
    cached = _EVIDENCE.get(id(data))
    if cached is None or cached[0] is not data:
        cached = _EVIDENCE[id(data)] = (data, _join_evidence(data))
    return cached[1].copy()


def _join_evidence(data: BookData) -> pd.DataFrame:
    quotes = (data.quotes[["quote_id", "source_id", "speaker_id", "text", "kind", "sourcing"]]
              .rename(columns={"kind": "quote_kind"}))
    issues = data.issues[["issue_id", "kind"]].rename(columns={"kind": "issue_kind"})
    frame = (data.positions
             .merge(data.actors[["actor_id", "name", "bloc"]], on="actor_id", how="left")
             .merge(issues, on="issue_id", how="left")
             .merge(quotes, on="quote_id", how="left")
             .merge(data.sources[["source_id", "published"]], on="source_id", how="left"))
    frame["stated_until"] = period_ends(frame["stated_on"], frame["stated_precision"])
    return frame.sort_values(["published", "position_id"], ignore_index=True)


def source_dates(data: BookData) -> pd.Series:
    """Each source's publication date, indexed by ``source_id``, oldest first."""
    return data.sources.set_index("source_id")["published"].sort_values()


def source_period_end(data: BookData, source_id: str) -> pd.Timestamp:
    """The last day a source's publication date may stand for (the month's end for ``month``).

    Use it as ``as_of`` for "the positions known when this source appeared":
    a text published "November 2023" covers everything stated in November.
    """
    row = data.sources.set_index("source_id").loc[source_id]
    return period_end(row["published"], row["date_precision"])


def settlement_issues(data: BookData) -> list[str]:
    """The issues of kind ``settlement`` (terms between Ukraine and Russia), in book order."""
    return list(data.issues.loc[data.issues["kind"] == "settlement", "issue_id"])


def position_matrix(data: BookData, as_of: str | pd.Timestamp | None = None,
                    source_id: str | None = None,
                    bases: tuple[str, ...] | None = None) -> pd.DataFrame:
    """Each actor's latest coded level on each issue, with its evidence.

    ``as_of`` keeps the positions stated on or before that date; ``source_id``
    keeps only the positions coded from that source; ``bases`` keeps only
    evidence of those kinds (say ``("own words",)``). When an actor has
    several positions on an issue, the latest wins; on the same day a goal
    beats a red line, which beats an expectation. Positions without a level
    are left out. Returns one row per (actor, issue), long form.
    """
    frame = evidence(data).dropna(subset=["level"])
    if as_of is not None:
        frame = frame[frame["stated_on"] <= pd.Timestamp(as_of)]
    if source_id is not None:
        frame = frame[frame["source_id"] == source_id]
    if bases is not None:
        frame = frame[frame["basis"].isin(list(bases))]
    frame = frame.assign(stance_rank=frame["stance"].map(STANCE_ORDER))
    frame = frame.sort_values(["stated_on", "stance_rank", "position_id"],
                              ascending=[False, True, True])
    latest = frame.drop_duplicates(["actor_id", "issue_id"], keep="first")
    return latest.drop(columns="stance_rank").sort_values(
        ["bloc", "actor_id", "issue_id"], ignore_index=True)


def matrix_table(matrix: pd.DataFrame, data: BookData) -> pd.DataFrame:
    """Pivot a :func:`position_matrix` to actors (rows) × issues (columns) of levels.

    Rows are ordered by bloc then name; columns follow ``issues.csv``.
    """
    table = matrix.pivot(index="actor_id", columns="issue_id", values="level")
    issue_order = [issue for issue in data.issues["issue_id"] if issue in table.columns]
    actors = data.actors.set_index("actor_id").loc[table.index, ["bloc", "name"]]
    order = actors.sort_values(["bloc", "name"]).index
    return table.loc[order, issue_order]


def compare_actors(data: BookData, first: str, second: str,
                   as_of: str | pd.Timestamp | None = None,
                   matrix: pd.DataFrame | None = None) -> pd.DataFrame:
    """Side by side, issue by issue, the latest levels of two actors.

    Columns: ``issue_id``, ``label``, ``level_first``, ``level_second``,
    ``gap`` (second minus first; positive when the second actor stands nearer
    Russia's end of the scale), ``agree`` (both coded and equal; ``<NA>`` when
    either is missing), and both quotes. Every issue appears, coded or not.
    ``matrix`` may pass a :func:`position_matrix` already computed for ``as_of``.
    """
    if matrix is None:
        matrix = position_matrix(data, as_of=as_of)
    frame = data.issues[["issue_id", "label"]].reset_index(drop=True)
    for actor, suffix in ((first, "_first"), (second, "_second")):
        side = matrix.loc[matrix["actor_id"] == actor, ["issue_id", "level", "stance", "basis", "source_id", "text"]]
        side = side.rename(columns={"source_id": "source"}).set_index("issue_id").reindex(frame["issue_id"])
        for column in ("level", "stance", "basis", "source", "text"):
            frame[column + suffix] = side[column].to_numpy()
    frame["level_first"] = frame["level_first"].astype(matrix["level"].dtype)
    frame["level_second"] = frame["level_second"].astype(matrix["level"].dtype)
    frame["gap"] = frame["level_second"] - frame["level_first"]
    frame["agree"] = (frame["gap"] == 0).astype("boolean")
    return frame


def position_timeline(data: BookData, issue_id: str) -> pd.DataFrame:
    """How the positions on one issue moved across the sources, oldest first.

    One row per coded position with a level: ``source_id``, ``published``,
    ``bloc``, ``actor_id``, ``name``, ``level``, ``stance`` and ``text``.
    """
    frame = evidence(data)
    frame = frame[(frame["issue_id"] == issue_id) & frame["level"].notna()]
    columns = ["source_id", "published", "bloc", "actor_id", "name", "level", "stance", "text"]
    return frame[columns].sort_values(["published", "bloc", "actor_id"], ignore_index=True)


def actor_trajectory(data: BookData, actor_ids: list[str], issue_id: str) -> pd.DataFrame:
    """The levels of some actors on one issue, source by source (sources × actors).

    Cells hold the actor's level in that source (the one :func:`position_matrix`
    would pick within the source); ``<NA>`` where the source codes none.
    """
    rows = []
    for source_id in source_dates(data).index:
        matrix = position_matrix(data, source_id=source_id)
        picked = matrix[(matrix["issue_id"] == issue_id) & matrix["actor_id"].isin(actor_ids)]
        rows.append(picked.set_index("actor_id")["level"].rename(source_id))
    table = pd.DataFrame(rows).reindex(columns=actor_ids).astype("Int64")
    table.index.name = "source_id"
    return table


@dataclass(frozen=True)
class PartyRange:
    """What one party asks for on one issue and the least it is said to accept.

    ``best`` is the level it asks for; ``limit`` its red line or, when no red
    line is coded, its demand again (then ``limit_stated`` is False: the limit
    is *assumed*, not stated). ``best_basis`` and ``limit_basis`` say whose
    words each rests on (``own words``, ``reported``, ``inferred``). All are
    ``None`` when nothing is coded. Expectations are not demands or limits and
    never enter a range. ``moved_from`` is the coded limit when the what-if tool
    has moved the limit (:func:`with_limit`); ``limit_stated`` and
    ``limit_basis`` then still describe that coded limit.
    """

    party: str
    issue_id: str
    best: int | None
    limit: int | None
    limit_stated: bool
    best_basis: str | None = None
    limit_basis: str | None = None
    #: False when no goal is coded and the demand is the red line itself.
    has_goal: bool = True
    #: The coded limit, when ``limit`` is a what-if set with :func:`with_limit`; else None.
    moved_from: int | None = None

    @property
    def moved(self) -> bool:
        """The limit was set with the what-if tool, not coded."""
        return self.moved_from is not None

    @property
    def has_red_line(self) -> bool:
        return self.limit_stated

    @property
    def low(self) -> int | None:
        return None if self.best is None else min(self.best, self.limit)

    @property
    def high(self) -> int | None:
        return None if self.best is None else max(self.best, self.limit)


@dataclass(frozen=True)
class Zone:
    """Whether Ukraine's and Russia's acceptable outcomes on an issue overlap.

    ``status`` is ``"overlap"`` (levels ``low``…``high`` are acceptable to
    both), ``"gap"`` (the limits are ``gap`` scale steps apart; the steps are
    ordered, not equal) or ``"unknown"`` (a side has no coded goal or red line).
    """

    issue_id: str
    status: str
    low: int | None = None
    high: int | None = None
    gap: int | None = None


def _strongest_basis(rows: pd.DataFrame, level: int) -> str:
    """The strongest basis among ``rows`` at ``level`` (own words, then reported, then inferred)."""
    bases = rows.loc[rows["level"] == level, "basis"]
    return min(bases, key=BASIS_ORDER.__getitem__)


def party_range(data: BookData, party: str, issue_id: str,
                as_of: str | pd.Timestamp | None = None,
                bases: tuple[str, ...] | None = None) -> PartyRange:
    """One bloc's demand and red line on an issue, from its latest goals and red lines.

    The demand is the goal nearest the party's own end of the scale in the
    latest source that codes a goal for it (or, with no goal, the latest red
    line); the limit is the red line furthest from its end in the latest source
    that codes one, else the demand (assumed). For blocs other than Ukraine and
    Russia (which do not own an end of the scale) the range spans their goals
    and red lines in the latest source. ``bases`` keeps only evidence of those
    kinds. Expectations are left out.
    """
    frame = evidence(data)
    frame = frame[(frame["bloc"] == party) & (frame["issue_id"] == issue_id)
                  & frame["level"].notna() & (frame["stance"] != "expectation")]
    if as_of is not None:
        frame = frame[frame["stated_on"] <= pd.Timestamp(as_of)]
    if bases is not None:
        frame = frame[frame["basis"].isin(list(bases))]
    if frame.empty:
        return PartyRange(party, issue_id, None, None, False)
    side = SIDES.get(party)
    if side is None:
        latest = _latest_source_rows(frame)
        low, high = int(latest["level"].min()), int(latest["level"].max())
        return PartyRange(party, issue_id, low, high, False,
                          _strongest_basis(latest, low), _strongest_basis(latest, high))
    pick_best = min if side == "low" else max
    pick_worst = max if side == "low" else min
    goals = _latest_source_rows(frame[frame["stance"] == "goal"])
    red_lines = _latest_source_rows(frame[frame["stance"] == "red-line"])
    demands = goals if not goals.empty else red_lines
    best = int(pick_best(demands["level"]))
    best_basis = _strongest_basis(demands, best)
    if red_lines.empty:
        return PartyRange(party, issue_id, best, best, False, best_basis, best_basis)
    limit = int(pick_worst(red_lines["level"]))
    if pick_worst(best, limit) == best:  # a goal beyond its own red line: the red line bounds both
        best, best_basis = limit, _strongest_basis(red_lines, limit)
    return PartyRange(party, issue_id, best, limit, True, best_basis,
                      _strongest_basis(red_lines, limit), has_goal=not goals.empty)


def _latest_source_rows(frame: pd.DataFrame) -> pd.DataFrame:
    return frame[frame["published"] == frame["published"].max()] if not frame.empty else frame


def zone_of_agreement(ukraine: PartyRange, russia: PartyRange) -> Zone:
    """Where Ukraine's acceptable levels (1…its limit) meet Russia's (its limit…top)."""
    if ukraine.limit is None or russia.limit is None:
        return Zone(ukraine.issue_id, "unknown")
    if ukraine.limit >= russia.limit:
        return Zone(ukraine.issue_id, "overlap", low=russia.limit, high=ukraine.limit)
    return Zone(ukraine.issue_id, "gap", gap=russia.limit - ukraine.limit)


def with_limit(found: PartyRange, limit: int) -> PartyRange:
    """``found`` with its limit moved to ``limit`` (a what-if), never past the side's own demand.

    A red line past the demand would make the side accept less than it asks, and a
    range drawn from the demand would then reach past the limit the zone is computed
    from: the limit stops at the demand instead. The coded limit is kept in
    ``moved_from`` (and ``limit_stated``, ``limit_basis`` keep describing it), so a
    reader can still tell a moved red line from a moved assumption; a limit moved to
    the coded one is no what-if. Blocs other than the two sides, and a side with
    nothing coded, are returned unchanged.
    """
    side = SIDES.get(found.party)
    if side is None or found.best is None:
        return found
    limit = max(limit, found.best) if side == "low" else min(limit, found.best)
    coded = found.limit if found.moved_from is None else found.moved_from
    moved_from = None if limit == coded else int(coded)  # back at the coded limit: no what-if
    return dataclasses.replace(found, limit=int(limit), moved_from=moved_from)


def issue_zone(data: BookData, issue_id: str, as_of: str | pd.Timestamp | None = None,
               limits: dict[tuple[str, str], int] | None = None,
               bases: tuple[str, ...] | None = None) -> tuple[dict[str, PartyRange], Zone]:
    """Ukraine's and Russia's ranges on one issue, what-if ``limits`` applied, and their zone.

    The one place a zone is computed: the bargaining table, the range view's
    bands and its verdict all take ranges and zone from here, so they cannot
    disagree. ``limits`` is keyed by (party, issue_id); see :func:`with_limit`
    and :func:`check_limits`.
    """
    limits = limits or {}
    check_limits(data, limits)
    sides = {}
    for party in SIDES:
        found = party_range(data, party, issue_id, as_of, bases)
        sides[party] = with_limit(found, limits[(party, issue_id)]) if (party, issue_id) in limits else found
    return sides, zone_of_agreement(sides["Ukraine"], sides["Russia"])


def check_limits(data: BookData, limits: dict[tuple[str, str], int]) -> None:
    """Raise ValueError unless every what-if limit is keyed by a side ("Ukraine" or "Russia") and a
    known issue id, and is a whole level on that issue's scale."""
    tops = data.issue_levels.groupby("issue_id")["level"].max()
    for key, level in limits.items():
        party, issue_id = key
        if party not in SIDES:
            raise ValueError(f"what-if limits are keyed by (party, issue_id) with party one of "
                             f"{', '.join(SIDES)}; got {key!r}")
        if issue_id not in tops.index:
            raise ValueError(f"what-if limit for {party} on {issue_id!r}: no such issue")
        top = int(tops[issue_id])
        if isinstance(level, bool) or not float(level).is_integer() or not 1 <= level <= top:
            raise ValueError(f"what-if limit {level!r} for {party} on {issue_id!r} is not a level of its "
                             f"scale, 1 to {top}")


def bargaining_row(data: BookData, issue_id: str, as_of: str | pd.Timestamp | None = None,
                   limits: dict[tuple[str, str], int] | None = None,
                   bases: tuple[str, ...] | None = None) -> dict[str, object]:
    """One issue of the :func:`bargaining_table`, as a dict of its columns."""
    sides, zone = issue_zone(data, issue_id, as_of, limits, bases)
    scale = data.issue_levels[data.issue_levels["issue_id"] == issue_id]
    ukraine, russia = sides["Ukraine"], sides["Russia"]
    return {
        "issue_id": issue_id, "label": data.issues.set_index("issue_id").loc[issue_id, "label"],
        "top": int(scale["level"].max()),
        "ukraine_best": ukraine.best, "ukraine_has_goal": ukraine.has_goal, "ukraine_limit": ukraine.limit,
        "ukraine_limit_stated": ukraine.limit_stated if ukraine.best is not None else pd.NA,
        "ukraine_basis": ukraine.limit_basis, "ukraine_moved_from": ukraine.moved_from,
        "russia_best": russia.best, "russia_has_goal": russia.has_goal, "russia_limit": russia.limit,
        "russia_limit_stated": russia.limit_stated if russia.best is not None else pd.NA,
        "russia_basis": russia.limit_basis, "russia_moved_from": russia.moved_from,
        "status": zone.status, "zone_low": zone.low, "zone_high": zone.high, "gap": zone.gap,
    }


def bargaining_table(data: BookData, as_of: str | pd.Timestamp | None = None,
                     limits: dict[tuple[str, str], int] | None = None,
                     bases: tuple[str, ...] | None = None,
                     issue_ids: list[str] | None = None) -> pd.DataFrame:
    """The bargaining range on every settlement issue: both sides' demands and limits, and the zone.

    ``limits`` overrides red lines, keyed by (party, issue_id) — the what-if
    tool uses it to move a side's red line. ``bases`` keeps only evidence of
    those kinds (``("own words",)`` shows how much of the result rests on the
    parties' own words). ``issue_ids`` defaults to :func:`settlement_issues`:
    process issues are not terms the two sides trade. Columns: ``issue_id``,
    ``label``, ``top``, ``ukraine_best``, ``ukraine_has_goal`` (False: no goal is
    coded, and the red line stands for the demand), ``ukraine_limit``,
    ``ukraine_limit_stated`` (False: assumed from the demand), ``ukraine_basis``,
    ``ukraine_moved_from`` (the coded limit, when ``limits`` moved it; else <NA>;
    ``ukraine_limit_stated`` and ``ukraine_basis`` then describe that coded limit),
    the same six for Russia, ``status``, ``zone_low``, ``zone_high`` and ``gap``.
    """
    issue_ids = settlement_issues(data) if issue_ids is None else issue_ids
    frame = pd.DataFrame([bargaining_row(data, issue_id, as_of, limits, bases)
                          for issue_id in issue_ids])
    for column in ("ukraine_best", "ukraine_limit", "ukraine_moved_from", "russia_best", "russia_limit",
                   "russia_moved_from", "zone_low", "zone_high", "gap"):
        frame[column] = frame[column].astype("Int64")
    for column in ("ukraine_limit_stated", "russia_limit_stated"):
        frame[column] = frame[column].astype("boolean")
    return frame


def actor_changes(data: BookData, source_id: str) -> pd.DataFrame:
    """For each actor and issue coded with a level in this source, the same actor's level before it.

    Only the *same actor* is compared (never a bloc range against other
    people's), and only with a position stated in an earlier source. ``change``
    is ``"same level"``, ``"towards Ukraine's end"``, ``"towards Russia's end"``
    or, when the stance differs (a goal then, an expectation now),
    ``"not comparable (stance differs)"``. Columns: ``actor_id``, ``name``,
    ``issue_id``, ``level_before``, ``stance_before``, ``basis_before``,
    ``source_before``, ``level_now``, ``stance_now``, ``basis_now``, ``change``. Empty when no actor coded here
    was coded before.
    """
    here = position_matrix(data, source_id=source_id)
    published = source_dates(data)
    earlier_sources = list(published[published < published[source_id]].index)
    frame = evidence(data).dropna(subset=["level"])
    frame = frame[frame["source_id"].isin(earlier_sources)]
    rows = []
    for now in here.itertuples():
        before = frame[(frame["actor_id"] == now.actor_id) & (frame["issue_id"] == now.issue_id)]
        if before.empty:
            continue
        before = before.assign(stance_rank=before["stance"].map(STANCE_ORDER)).sort_values(
            ["stated_on", "stance_rank", "position_id"], ascending=[False, True, True]).iloc[0]
        rows.append({"actor_id": now.actor_id, "name": now.name, "issue_id": now.issue_id,
                     "level_before": int(before["level"]), "stance_before": before["stance"],
                     "basis_before": before["basis"], "source_before": before["source_id"],
                     "level_now": int(now.level), "stance_now": now.stance, "basis_now": now.basis,
                     "change": _direction(int(before["level"]), int(now.level),
                                          before["stance"] == now.stance)})
    columns = ["actor_id", "name", "issue_id", "level_before", "stance_before", "basis_before",
               "source_before", "level_now", "stance_now", "basis_now", "change"]
    return pd.DataFrame(rows, columns=columns)


def _direction(before: int, now: int, same_stance: bool) -> str:
    """How one actor's level changed; a tie has no direction."""
    if not same_stance:
        return "not comparable (stance differs)"
    if now == before:
        return "same level"
    return "towards Russia's end" if now > before else "towards Ukraine's end"


def overall_zone(table: pd.DataFrame) -> str:
    """Sum up a :func:`bargaining_table`: is there a deal both sides say they could accept?

    ``"overlap"`` when every issue with both sides coded overlaps, ``"gap"``
    when at least one does not, ``"unknown"`` when no issue has both sides coded.
    """
    known = table[table["status"] != "unknown"]
    if known.empty:
        return "unknown"
    return "overlap" if (known["status"] == "overlap").all() else "gap"


def voices(data: BookData, source_id: str | None = None) -> pd.DataFrame:
    """Who is quoted: quotes per speaker, with bloc and sourcing, most quoted first."""
    quotes = data.quotes if source_id is None else data.quotes[data.quotes["source_id"] == source_id]
    actors = data.actors[["actor_id", "name", "bloc", "kind"]].rename(columns={"kind": "actor_kind"})
    frame = quotes.merge(actors, left_on="speaker_id", right_on="actor_id", how="left")
    counted = (frame.groupby(["speaker_id", "name", "bloc", "actor_kind"], observed=True)
               .size().rename("quotes").reset_index())
    return counted.sort_values(["quotes", "name"], ascending=[False, True], ignore_index=True)


def voices_by_bloc(data: BookData) -> pd.DataFrame:
    """Quotes per source (rows, oldest first) and speaker bloc (columns)."""
    frame = data.quotes.merge(data.actors[["actor_id", "bloc"]],
                              left_on="speaker_id", right_on="actor_id")
    table = pd.crosstab(frame["source_id"], frame["bloc"])
    return table.reindex(source_dates(data).index, fill_value=0)


def sourcing_by_source(data: BookData) -> pd.DataFrame:
    """Quotes per source (rows) by sourcing: named, anonymous official, author's own."""
    table = pd.crosstab(data.quotes["source_id"], data.quotes["sourcing"])
    return table.reindex(source_dates(data).index, fill_value=0)


def source_figures(data: BookData, source_id: str) -> pd.DataFrame:
    """The numbers one source gives, in the order of their ids."""
    figures = data.figures[data.figures["source_id"] == source_id]
    return figures.sort_values("figure_id", ignore_index=True)


def cohens_kappa(first: list[int], second: list[int]) -> float:
    """Cohen's kappa for two coders' labels of the same items.

    1 is perfect agreement, 0 agreement at chance level. When both coders use
    a single identical label throughout, agreement is perfect and 1 is returned.
    """
    if len(first) != len(second) or not first:
        raise ValueError("both coders must label the same, non-empty list of items")
    count = len(first)
    observed = sum(a == b for a, b in zip(first, second)) / count
    labels = set(first) | set(second)
    expected = sum((first.count(label) / count) * (second.count(label) / count) for label in labels)
    if expected == 1:
        return 1.0
    return (observed - expected) / (1 - expected)
