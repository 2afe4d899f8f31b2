"""The role-play appendix: briefs, reservation points, scoring and debrief.

Most tests use a copy of ``tests/fixtures/analysis`` (two sources; Ukraine,
Russia, two American voices, European allies) with rows added in
:data:`ADDED`: a third settlement issue (ceasefire) on which only a Ukrainian
red line is coded, and a European red line whose excerpt, an analyst's claim,
holds HTML. The expected values are worked out by hand from
the fixture's rows (the comments say how), not by running the functions.
"""

from __future__ import annotations

import dataclasses

import re
from pathlib import Path

import pandas as pd
import pytest

from utils import analysis, load_data, roleplay

from .fixture_data import fixture_copy

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = Path(__file__).parent / "fixtures" / "analysis"
HOSTILE = '<b>Europe</b> will "never" <script>alert(2)</script> & more'

ADDED = {
    "issues.csv": [{"issue_id": "ceasefire", "label": "Ceasefire", "question": "What does it cover?",
                    "kind": "settlement"}],
    "issue_levels.csv": [{"issue_id": "ceasefire", "level": str(n), "label": label, "description": label + "."}
                         for n, label in ((1, "Full"), (2, "Partial"), (3, "None"))],
    "quotes.csv": [{"quote_id": "2025-02-b-q06", "source_id": "2025-02-b", "speaker_id": "analyst",
                    "text": HOSTILE, "kind": "author's claim", "sourcing": "author's own"},
                   {"quote_id": "2025-02-b-q07", "source_id": "2025-02-b", "speaker_id": "ukraine",
                    "text": "No ceasefire without a full halt.", "kind": "reported speech", "sourcing": "named"}],
    "positions.csv": [{"position_id": "2025-02-b-p09", "actor_id": "eu", "issue_id": "nato", "level": "3",
                       "stance": "red-line", "basis": "reported", "quote_id": "2025-02-b-q06",
                       "stated_on": "2025-02-01", "stated_precision": "day", "note": "Fixture.",
                       "rules_out": "above"},
                      {"position_id": "2025-02-b-p10", "actor_id": "ukraine", "issue_id": "ceasefire",
                       "level": "2", "stance": "red-line", "basis": "reported", "quote_id": "2025-02-b-q07",
                       "stated_on": "2025-02-01", "stated_precision": "day", "note": "Fixture."}],
}


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory):
    return load_data(fixture_copy(FIXTURE, tmp_path_factory.mktemp("roleplay") / "data", ADDED))


@pytest.fixture(scope="module")
def book_data():
    return load_data()


# --- Briefs --------------------------------------------------------------------------------------


def test_sides_take_their_own_goal_and_limit(data) -> None:
    # Ukraine on territory: goal 1 (2022-11-a-p01), red line 3 in 2025 (2025-02-b-p01): stated.
    ukraine = roleplay.issue_position(data, "Ukraine", "territory")
    assert (ukraine.goal, ukraine.limit, ukraine.limit_stated) == (1, 3, True)
    assert ukraine.goal_evidence.position_id == "2022-11-a-p01"
    assert ukraine.limit_evidence.position_id == "2025-02-b-p01"
    # Russia on territory: goal 5 (2022), red line 4 (2025-02-b-p02); never Ukraine's rows.
    russia = roleplay.issue_position(data, "Russia", "territory")
    assert (russia.goal, russia.limit, russia.limit_stated) == (5, 4, True)
    assert russia.limit_evidence.position_id == "2025-02-b-p02"
    # NATO: only goals, so each limit is assumed and rests on the goal's row.
    assert roleplay.issue_position(data, "Ukraine", "nato").limit_stated is False
    assert roleplay.issue_position(data, "Russia", "nato").limit_evidence.position_id == "2025-02-b-p03"


def test_brief_shows_the_partys_own_limit_and_quote(data) -> None:
    ukraine = roleplay.brief_frame(data, "Ukraine").set_index("issue_id")
    assert ukraine.loc["territory", "limit"] == "3 · Freeze; rules out the levels above it"
    assert "No recognition of occupation." in ukraine.loc["territory", "limit_evidence"]
    assert "Never NATO" not in ukraine.loc["territory", "limit_evidence"]      # Russia's words
    assert ukraine.loc["territory", "limit_status"].startswith("stated")
    assert ukraine.loc["nato", "limit_status"].startswith("assumed")
    assert ukraine.loc["nato", "limit_evidence"] == "same as the goal"
    russia = roleplay.brief_frame(data, "Russia").set_index("issue_id")
    assert russia.loc["territory", "limit"] == "4 · Recognise; rules out the levels below it"
    assert "Never NATO; at least the current line." in russia.loc["territory", "limit_evidence"]
    assert russia.loc["ceasefire", "goal"] == "not coded"


def test_a_red_line_alone_is_never_shown_as_a_goal(data) -> None:
    # Ukraine on ceasefire: only the red line 2025-02-b-p10 (level 2) is coded, no goal.
    ceasefire = roleplay.issue_position(data, "Ukraine", "ceasefire")
    assert (ceasefire.goal, ceasefire.limit, ceasefire.limit_stated) == (None, 2, True)
    assert ceasefire.goal_evidence is None and ceasefire.limit_evidence.position_id == "2025-02-b-p10"
    brief = roleplay.brief_frame(data, "Ukraine").set_index("issue_id")
    assert brief.loc["ceasefire", "goal"] == "not coded (red line only)"
    assert brief.loc["ceasefire", "goal_evidence"] == ""
    sheet = roleplay.reservation_points(data).set_index(["party", "issue_id"])
    assert pd.isna(sheet.loc[("Ukraine", "ceasefire"), "target"])          # no aim invented
    assert "no goal coded" in roleplay.reservations_html(data).data


def test_evidence_names_whose_position_and_marks_an_authors_claim(data) -> None:
    europe = roleplay.brief_frame(data, "Europe").set_index("issue_id")
    # The NATO red line is coded to European allies but rests on an analyst's own claim (2025-02-b-q06).
    assert "position of European allies" in europe.loc["nato", "limit_evidence"]
    assert "in the words of An analyst: the author's own claim about the party, not the party's words" in (
        europe.loc["nato", "limit_evidence"])
    assert "in the words of European allies" in europe.loc["nato", "goal_evidence"]


def test_brief_warns_when_its_evidence_spans_several_years(data) -> None:
    # Ukraine: goals of 2022 (p01, p04) and red lines of 2025 (p01, p10); Europe: 2025 only.
    assert roleplay.evidence_years(data, "Ukraine") == [2022, 2025]
    assert "stated in different years (2022 to 2025)" in roleplay.brief_html(data, "Ukraine")
    assert roleplay.evidence_years(data, "Europe") == [2025]
    assert "different years" not in roleplay.brief_html(data, "Europe")


def test_public_note_does_not_call_a_logical_end_a_stated_position() -> None:
    assert "as Russia states it" not in roleplay.PUBLIC_NOTE
    assert "logical end" in roleplay.PUBLIC_NOTE and "not a level the party said it would accept" in (
        roleplay.PUBLIC_NOTE)


def test_third_party_goal_and_red_line(data) -> None:
    # Europe: goal 2 on NATO (2025-02-b-p07), red line 3 (the added row): stated; territory: goal 2 only.
    nato = roleplay.issue_position(data, "Europe", "nato")
    assert (nato.goal, nato.limit, nato.limit_stated) == (2, 3, True)
    territory = roleplay.issue_position(data, "Europe", "territory")
    assert (territory.goal, territory.limit, territory.limit_stated) == (2, 2, False)
    # US A's expectation on territory (3, same day) never enters; its goal 2 does.
    assert roleplay.issue_position(data, "United States", "territory").goal == 2


def test_who_gets_a_brief(data) -> None:
    # Europe is coded on two settlement issues, the United States on one (US B's NATO row has no level).
    assert roleplay.coded_issue_count(data, "Europe") == 2
    assert roleplay.coded_issue_count(data, "United States") == 1
    assert roleplay.parties_with_briefs(data) == ["Ukraine", "Russia", "Europe"]
    assert roleplay.parties_with_briefs(data, minimum=1) == ["Ukraine", "Russia", "United States", "Europe"]


def test_brief_html_escapes_the_data(data) -> None:
    page = roleplay.briefs_html(data).data
    assert "<script>" not in page and "<b>Europe</b>" not in page
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in page and "&amp; more" in page
    assert page.count('class="book-brief"') == 3
    assert "not the party&#x27;s true reservation points" in page


def test_briefs_match_the_bargaining_table_on_the_books_data(book_data) -> None:
    table = analysis.bargaining_table(book_data).set_index("issue_id")
    for party, prefix in (("Ukraine", "ukraine"), ("Russia", "russia")):
        for position in roleplay.party_positions(book_data, party):
            row = table.loc[position.issue_id]
            expected = None if pd.isna(row[f"{prefix}_limit"]) else int(row[f"{prefix}_limit"])
            assert position.limit == expected, (party, position.issue_id)
            if expected is not None:
                assert position.limit_stated == bool(row[f"{prefix}_limit_stated"])


def test_every_evidence_row_is_the_partys_own_on_the_books_data(book_data) -> None:
    blocs = analysis.evidence(book_data).set_index("position_id")
    for party in roleplay.PARTIES:
        for position in roleplay.party_positions(book_data, party):
            for evidence, level in ((position.goal_evidence, position.goal),
                                    (position.limit_evidence, position.limit)):
                if position.coded and level is not None:
                    row = blocs.loc[evidence.position_id]
                    assert row["bloc"] == party and row["issue_id"] == position.issue_id
                    assert evidence.level == level and row["stance"] != "expectation"


# --- Reservation points and scoring --------------------------------------------------------------


def test_default_reservation_points(data) -> None:
    points = roleplay.reservation_points(data).set_index(["party", "issue_id"])
    # Stated limits are bounds: Ukraine's red line 3 rules out 4-5, Russia's 4 rules out 1-3 on territory.
    assert tuple(points.loc[("Ukraine", "territory"), ["low", "high"]]) == (1, 3)
    assert tuple(points.loc[("Russia", "territory"), ["low", "high"]]) == (4, 5)
    assert "rules out levels 4–5" in points.loc[("Ukraine", "territory"), "how"]
    # The aim is the coded goal: Ukraine 1 (p01), Russia 5 (p02).
    assert (points.loc[("Ukraine", "territory"), "target"], points.loc[("Russia", "territory"), "target"]) == (1, 5)
    # Assumed limits move one step towards the other side: Ukraine 1 → 2, Russia 4 → 3 (NATO, top 4).
    assert points.loc[("Ukraine", "nato"), "point"] == "2"
    assert points.loc[("Russia", "nato"), "point"] == "3"
    # Europe: goal 2 widened to 1…3 on territory.
    assert points.loc[("Europe", "territory"), "point"] == "1–3"


def test_nothing_coded_sets_no_aim_no_limit_and_no_stake(data) -> None:
    points = roleplay.reservation_points(data).set_index(["party", "issue_id"], drop=False)
    # Ceasefire (1…3): nothing coded for Russia or Europe. Before, Russia got 2…3 aiming at 3 (its own,
    # logical, end) and Europe an aim of 2: invented positions.
    for party in ("Russia", "Europe"):
        row = points.loc[(party, "ceasefire")]
        assert (row["low"], row["high"], row["point"], bool(row["stake"])) == (1, 3, "none", False)
        assert pd.isna(row["target"])
        assert [roleplay.points(row, o) for o in (1, 2, 3, None)] == [0, 0, 0, 0]
    assert "any level (no stake)" in roleplay.reservations_html(data).data


def test_a_third_party_red_line_is_a_one_sided_bound(data) -> None:
    # Europe on NATO: goal 2 (p07), red line 3 (p09) ruling out the levels above 3: Europe may accept
    # 1…3, not only 2…3 (goal to red line).
    points = roleplay.reservation_points(data).set_index(["party", "issue_id"])
    assert tuple(points.loc[("Europe", "nato"), ["low", "high"]]) == (1, 3)
    # Without rules_out (data changed in memory: the loader requires it), no bound, and the sheet says so.
    positions = data.positions.copy()
    positions.loc[positions["position_id"] == "2025-02-b-p09", "rules_out"] = pd.NA
    points = roleplay.reservation_points(dataclasses.replace(data, positions=positions)).set_index(["party", "issue_id"])
    assert tuple(points.loc[("Europe", "nato"), ["low", "high", "target"]]) == (1, 4, 2)
    assert "not recorded" in points.loc[("Europe", "nato"), "how"]
    positions.loc[positions["position_id"] == "2025-02-b-p09", "rules_out"] = "below"  # levels 1-2 out
    points = roleplay.reservation_points(dataclasses.replace(data, positions=positions)).set_index(["party", "issue_id"])
    assert tuple(points.loc[("Europe", "nato"), ["low", "high"]]) == (3, 4)


def test_third_party_bounds_on_the_books_data(book_data) -> None:
    # The US veto (p27, level 3 of 4) rules out levels 1-2, so 3-4 stay open, not only 3; the refused
    # treaty of neutrality (p28, level 2 of 3) rules out 3, so 1-2 stay open.
    points = roleplay.reservation_points(book_data).set_index(["party", "issue_id"])
    assert tuple(points.loc[("United States", "nato-membership"), ["low", "high"]]) == (3, 4)
    assert tuple(points.loc[("United States", "neutrality"), ["low", "high"]]) == (1, 2)
    recorded = book_data.positions.dropna(subset=["rules_out"])
    assert set(recorded["stance"]) == {"red-line"} and len(recorded) == 14


def test_slack_zero_and_overrides(data) -> None:
    strict = roleplay.reservation_points(data, slack=0).set_index(["party", "issue_id"])
    assert strict.loc[("Ukraine", "nato"), "point"] == "1"
    mine = roleplay.reservation_points(data, overrides={("Russia", "territory"): 3}).set_index(["party", "issue_id"])
    assert tuple(mine.loc[("Russia", "territory"), ["low", "high", "how"]]) == (3, 5, "set by the instructor")
    with pytest.raises(ValueError):
        roleplay.reservation_points(data, overrides={("Ukraine", "territory"): 9})


@pytest.mark.parametrize("overrides", [{("Ukrain", "territory"): 2}, {("Ukraine", "no-such"): 2},
                                       {("Ukraine", "territory"): (1, 2)}, {("Europe", "nato"): "2"}])
def test_a_wrong_override_is_refused(data, overrides) -> None:
    with pytest.raises(ValueError):
        roleplay.reservation_points(data, overrides=overrides)


def test_points(data) -> None:
    points = roleplay.reservation_points(data).set_index(["party", "issue_id"], drop=False)
    ukraine, russia = points.loc[("Ukraine", "territory")], points.loc[("Russia", "territory")]
    europe = points.loc[("Europe", "territory")]                      # target 2, accepts 1…3
    # Past the point: -2 per step, so conceding more costs more (Ukraine's point is 3).
    assert [roleplay.points(ukraine, o) for o in (1, 3, 4, 5, None)] == [3, 1, -2, -4, 0]
    assert [roleplay.points(russia, o) for o in (5, 4, 3, 1)] == [2, 1, -2, -6]
    assert [roleplay.points(europe, o) for o in (2, 1, 4)] == [2, 1, -2]
    assert [roleplay.points(ukraine, o, weight=3) for o in (1, 4)] == [9, -6]


def test_score_sheet_totals(data) -> None:
    sheet = roleplay.score_sheet(data, {"territory": 3, "nato": None}).set_index("issue_id")
    # Territory at 3: Ukraine at its point (1), Russia one step past its point (-2), Europe inside, off target (1).
    assert sheet.loc["territory"].to_dict() == {"Ukraine": 1, "Russia": -2, "Europe": 1}
    assert sheet.loc["total"].to_dict() == {"Ukraine": 1, "Russia": -2, "Europe": 1}
    weighted = roleplay.score_sheet(data, {"territory": 3}, weights={("Russia", "territory"): 3})
    assert weighted.set_index("issue_id").loc["territory", "Russia"] == -6
    with pytest.raises(ValueError):
        roleplay.score_sheet(data, {"timing": 2})                      # a process issue
    with pytest.raises(ValueError):
        roleplay.score_sheet(data, {"territory": 3}, weights={("Russia", "territory"): 5})


@pytest.mark.parametrize("outcome", [7, 0, 2.5, "2"])
def test_an_outcome_off_the_scale_is_refused(data, outcome) -> None:
    for call in (roleplay.score_sheet, roleplay.debrief_table, roleplay.score_sheet_html):
        with pytest.raises(ValueError):
            call(data, {"territory": outcome})
    with pytest.raises(ValueError):
        roleplay.debrief_table(data, {"no-such": 2})


def test_levels_common_to_several_sheets(data) -> None:
    sheets = roleplay.reservation_points(data)
    # Territory: Ukraine 1…3, Russia 4…5: no common level; NATO: Ukraine 1…2, Russia 3…4: none either;
    # ceasefire: Russia has no stake, so it does not count.
    assert roleplay.common_levels(sheets, ["Ukraine", "Russia"], "territory") == []
    assert roleplay.common_levels(sheets, ["Ukraine", "Europe"], "territory") == [1, 2, 3]
    assert roleplay.no_common_level(sheets, ["Ukraine", "Russia"]) == ["territory", "nato"]


def test_debrief_against_the_bargaining_table(data) -> None:
    # Territory: Ukraine's limit 3, Russia's 4, a gap of 1; NATO: 1 (assumed) against 4 (assumed), gap 3.
    table = roleplay.debrief_table(data, {"territory": 3, "nato": 4}).set_index("issue_id")
    assert table.loc["territory", "status"] == "gap" and table.loc["territory", "gap"] == 1
    assert not table.loc["territory", "beyond_ukraine"] and table.loc["territory", "beyond_russia"]
    assert table.loc["nato", "beyond_ukraine"] and not table.loc["nato", "beyond_russia"]
    assert "Ukraine's assumed limit" in table.loc["nato", "reading"]
    assert table.loc["ceasefire", "reading"] == "No agreement on this issue."
    counts = roleplay.debrief_counts(data, {"territory": 3, "nato": 4})
    assert counts == {"agreed": 2, "past_a_limit": 2, "agreed_on_gap": 2, "agreed_on_unknown": 0}


def test_example_outcomes_are_halfway(data) -> None:
    # Territory (3 + 4) // 2 = 3; NATO (1 + 4) // 2 = 2; ceasefire: only Ukraine's limit (2) is coded.
    assert roleplay.example_outcomes(data) == {"territory": 3, "nato": 2, "ceasefire": 2}


def test_glue_values(data) -> None:
    values = roleplay.glue_values(data)
    assert values["rp_n_parties"] == 3 and values["rp_parties"].data == "Ukraine, Russia, Europe"
    assert values["rp_coded_ukraine"] == 3 and values["rp_assumed_ukraine"] == 1
    assert values["rp_no_goal_ukraine"] == 1 and values["rp_stake_ukraine"] == 3
    assert values["rp_stake_russia"] == 2 and values["rp_stake_europe"] == 2      # no stake on ceasefire
    assert values["rp_sides_no_zone"] == 2 and values["rp_sides_no_zone_list"].data == "Territory, NATO"
    assert values["rp_europe_brief"].data == "gets a brief"
    assert values["rp_past_points"] == -2
    assert values["rp_ex_agreed"] == 3


def test_debrief_and_sheets_escape_and_show_no_iso_day(data) -> None:
    for shown in (roleplay.debrief_html(data, {"territory": 3}).data,
                  roleplay.score_sheet_html(data, {"territory": 3}).data,
                  roleplay.blank_score_sheet_html(data).data,
                  roleplay.reservations_html(data).data):
        assert "<script>" not in shown
        assert not re.search(r"\b\d{4}-\d{2}-\d{2}\b", shown)


# --- The instructor guide's exemplar answer must still be true ---------------------------------


def test_instructor_guide_exemplar_matches_the_data(book_data) -> None:
    """The exemplar answer quotes the NATO row of the bargaining table: if the data change, rewrite it."""
    text = (ROOT / "appendices" / "instructor-guide.md").read_text(encoding="utf-8")
    guide = " ".join(text.replace("\n>", "\n").split())
    for words in ("NATO membership is level 2, \"Open path, no date\", marked *assumed; reported*",
                  "limit is level 3 and *stated*, but it too is reported", "gap of one step"):
        assert words in guide, words
    row = analysis.bargaining_table(book_data).set_index("issue_id").loc["nato-membership"]
    assert (row["ukraine_limit"], bool(row["ukraine_limit_stated"]), row["ukraine_basis"]) == (2, False, "reported")
    assert (row["russia_limit"], bool(row["russia_limit_stated"]), row["russia_basis"]) == (3, True, "reported")
    assert (row["status"], row["gap"]) == ("gap", 1)
