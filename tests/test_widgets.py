"""Widgets: set the controls from Python and check the view that is shown."""

from __future__ import annotations

import dataclasses
import html
import re
from pathlib import Path
from types import SimpleNamespace

import ipywidgets as W
import pandas as pd
import pytest

from utils import analysis, load_data, reliability, render, widgets

FIXTURE = Path(__file__).parent / "fixtures" / "analysis"


@pytest.fixture(scope="module")
def data():
    return load_data(FIXTURE)


def shown(switcher: W.VBox) -> str:
    """The HTML of the view a switcher currently shows."""
    current = switcher.children[-1]
    while isinstance(current, W.Stack):
        current = current.children[current.selected_index]
    return current.value


def controls(switcher: W.VBox) -> list[W.Dropdown]:
    first = switcher.children[0]
    return list(first.children) if isinstance(first, W.HBox) else [first]


def test_explorer_holds_one_view_per_issue_and_moment(data) -> None:
    explorer = widgets.position_explorer(data)
    outer = explorer.children[1]
    assert len(outer.children) == 3
    assert all(len(inner.children) == 2 for inner in outer.children)
    assert all(isinstance(v, W.HTML) for inner in outer.children for v in inner.children)


def test_views_share_one_layout_and_one_style(data) -> None:
    explorer = widgets.position_explorer(data)
    views = [v for inner in explorer.children[1].children for v in inner.children]
    stacks = [explorer.children[1], *explorer.children[1].children]
    assert len({id(v.layout) for v in views} | {id(s.layout) for s in stacks}) == 1
    assert len({id(v.style) for v in views}) == 1
    assert views[0].layout.width == "100%"


def test_explorer_switches_view_with_controls(data) -> None:
    explorer = widgets.position_explorer(data)
    issue, moment = controls(explorer)
    assert "Freeze" in shown(explorer)            # starts at the latest moment, territory
    moment.index = 0                               # November 2022
    assert "All of it back." in shown(explorer) and "Freeze" not in shown(explorer)
    issue.index = 2                                # timing
    assert "US official B" in shown(explorer) and "Later." in shown(explorer)
    issue.index = 1                                # NATO in 2022: only Ukraine coded
    assert "Ukraine" in shown(explorer) and "Russia" not in shown(explorer)


def test_explorer_keeps_the_latest_known_position(data) -> None:
    explorer = widgets.position_explorer(data, issue_ids=["timing"])
    assert "US official A" in shown(explorer)  # coded in 2022, still the latest in 2025


def test_explorer_says_when_nothing_is_coded(data) -> None:
    page = widgets.positions_view(data, "nato", pd.Timestamp("2020-01-01"), "January 2020")
    assert "No position on “NATO” is coded by the date chosen." in page


@pytest.mark.parametrize("build", [
    lambda d: widgets.position_explorer(d, issue_ids=[]),
    lambda d: widgets.actor_comparison(d, actor_ids=[]),
    lambda d: widgets.actor_comparison(d, min_issues=99),
    lambda d: widgets.bargaining_explorer(d, issue_ids=[]),
])
def test_empty_selections_say_so(data, build) -> None:
    assert "selection is empty" in shown(build(data))


def test_explorer_start_source(data) -> None:
    explorer = widgets.position_explorer(data, start_source="2022-11-a")
    assert controls(explorer)[1].index == 0


def test_explorer_offers_only_the_chosen_moments(data) -> None:
    explorer = widgets.position_explorer(data, moment_sources=["2025-02-b"])
    moment = controls(explorer)[1]
    assert moment.options == ("around 1 February 2025 (Outlet B)",)
    assert all(len(inner.children) == 1 for inner in explorer.children[1].children)
    assert "Freeze" in shown(explorer)


def test_actor_comparison_pairs_and_agreement(data) -> None:
    comparison = widgets.actor_comparison(data, ["eu", "us-a", "analyst"])
    first, second = controls(comparison)
    assert len(comparison.children[1].children) == 3
    assert "✔ same level" in shown(comparison) and 'class="agree"' in shown(comparison)  # eu vs us-a
    second.index = 0
    assert "chosen twice" in shown(comparison)
    second.index = 2
    first.index = 2
    assert "chosen twice" in shown(comparison)
    first.index = 0
    assert "only one coded" in shown(comparison)


def test_actor_comparison_actor_without_positions(data) -> None:
    comparison = widgets.actor_comparison(data, ["analyst", "us-b"])
    controls(comparison)[0].index = 0
    controls(comparison)[1].index = 1
    assert "US official B" in shown(comparison)
    only_analyst = widgets.comparison_view(data, "analyst", "analyst")
    assert "twice" in only_analyst


def test_actor_comparison_default_actors(data) -> None:
    comparison = widgets.actor_comparison(data, min_issues=2)
    assert list(controls(comparison)[0].options) == ["European allies", "Russia", "Ukraine", "US official A"]


def test_bargaining_explorer(data) -> None:
    explorer = widgets.bargaining_explorer(data)
    issue, evidence = controls(explorer)
    assert list(issue.options) == ["Territory", "NATO"]  # settlement issues only; timing is a process issue
    assert "level 3 and Russia's is level 4, 1 step apart" in html.unescape(shown(explorer))  # red lines 3 and 4
    assert "Ukraine: stated red line (basis: reported)" in shown(explorer)
    evidence.index = 1  # own words only: nothing of Russia's
    assert "Not enough coded goals or red lines" in shown(explorer)
    issue.index = 1
    evidence.index = 0
    assert "Ukraine: no red line coded, so the demand is assumed as the limit (basis: own words)" in shown(explorer)


def test_data_text_is_escaped_everywhere(data) -> None:
    quotes = data.quotes.copy()
    quotes.loc[quotes["quote_id"] == "2022-11-a-q01", "text"] = '<script>alert("x")</script>'
    actors = data.actors.copy()
    actors.loc[actors["actor_id"] == "ukraine", "name"] = "<b>Ukraine</b>"
    hostile = dataclasses.replace(data, quotes=quotes, actors=actors)
    pages = [widgets.positions_view(hostile, "territory", hostile.sources["published"][0], "then"),
             widgets.comparison_view(hostile, "ukraine", "russia"),
             widgets.code_it_yourself(hostile, ["2022-11-a-p01"]).static_html]
    for page in pages:
        assert "<script>" not in page and "<b>Ukraine" not in page
        assert "&lt;script&gt;" in page or "&lt;b&gt;Ukraine" in page


def test_what_if_is_live_only_with_a_static_rendering(data) -> None:
    tool = widgets.what_if_bargaining(data)
    bundle = tool._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert widgets.LIVE_LABEL in bundle["text/html"]
    assert "<input" not in bundle["text/html"] and "<select" not in bundle["text/html"]


def test_what_if_sliders_open_a_zone(data) -> None:
    tool = widgets.what_if_bargaining(data)
    parts = what_if_parts(tool)
    issue, ukraine, detail = parts.issue, parts.ukraine, parts.detail
    assert issue.value == "territory" and (ukraine.value, parts.russia.value) == (3, 4)
    assert "1 step apart" in detail.value
    ukraine.value = 4
    assert "Zone between the limits shown (not both stated red lines): level 4 (" in html.unescape(detail.value)
    issue.value = "nato"
    assert (ukraine.value, parts.russia.value) == (1, 4) and ukraine.max == 4
    issue.value = "territory"
    assert ukraine.value == 4  # the moved red line is remembered


def test_what_if_red_lines_stop_at_the_sides_own_demand(data) -> None:
    positions = data.positions.copy()
    positions.loc[positions["position_id"] == "2022-11-a-p04", "level"] = 2  # Ukraine asks for level 2 on NATO
    tool = widgets.what_if_bargaining(dataclasses.replace(data, positions=positions))
    parts = what_if_parts(tool)
    ukraine, russia, detail = parts.ukraine, parts.russia, parts.detail
    parts.issue.value = "nato"
    assert (ukraine.min, ukraine.max) == (2, 4)  # cannot ask less than its demand
    assert (russia.min, russia.max) == (1, 4)
    assert "limit set with the what-if tool" not in detail.value
    russia.value = 2
    assert "Russia: limit set with the what-if tool" in detail.value


def test_reliability_lab_reports_per_issue_agreement(data) -> None:
    items = ["2022-11-a-p01", "2022-11-a-p02", "2022-11-a-p03", "2025-02-b-p01", "2025-02-b-p03"]
    tool = widgets.code_it_yourself(data, items)
    boxes = [c for c in tool.widget.children if isinstance(c, W.HBox)]
    levels, stances = [b.children[0] for b in boxes], [b.children[1] for b in boxes]
    button = next(c for c in tool.widget.children if isinstance(c, W.Button))
    result = tool.widget.children[-1]
    button.click()
    assert "at least one quote" in result.value                  # nothing chosen yet
    # book: territory 1, 5, 2, 3; NATO 4. The student misses one territory item by one step
    # and leaves the NATO item without a level.
    for chooser, level in zip(levels, (1, 4, 2, 3, widgets.NO_LEVEL)):
        chooser.value = level
    stances[0].value = "goal"
    button.click()
    html = result.value
    assert "<td>Territory</td><td>4</td><td>3 of 4</td>" in html
    territory_alpha = reliability.alpha([1, 4, 2, 3], [1, 5, 2, 3], "ordinal", [1, 2, 3, 4, 5])
    assert f"<td>{territory_alpha:.2f}</td>" in html and 0 < territory_alpha < 1
    assert "1 step apart" in html and "level against no level" in html
    assert "<td>NATO</td><td>1</td><td>0 of 1</td><td>—</td>" in html  # no level on one side: no alpha


def test_reliability_lab_static_page_lists_the_items_and_says_how_to_run(data) -> None:
    tool = widgets.code_it_yourself(data, ["2022-11-a-p01", "2025-02-b-p03"])
    assert widgets.LIVE_LABEL in tool.static_html and "2 quotes on 2 issues" in tool.static_html
    assert "Ukraine:" in tool.static_html  # the actor's own words: no attribution needed
    other = widgets.code_it_yourself(data, ["2025-02-b-p08"])  # US official B's position, in A's words
    assert "US official B (in the words of US official A)" in other.static_html


def test_lab_items_cover_at_least_three_issues(data) -> None:
    from utils import book

    items = book.coding_exercise_items(data, per_issue=2, minimum=3)
    issues = set(data.positions.set_index("position_id").loc[items, "issue_id"])
    assert len(issues) >= 3 and len(items) >= 3


def test_timeline_explorer_holds_one_accessible_chart_per_issue(data) -> None:
    explorer = widgets.timeline_explorer(data)
    (issue,) = controls(explorer)
    assert len(explorer.children[1].children) == 3
    assert 'role="img"' in shown(explorer) and "Territory" in shown(explorer)
    issue.index = 1
    assert "Dot chart of the 3 coded positions on NATO" in shown(explorer)


def test_the_switched_views_are_announced() -> None:
    """The stack a control switches carries the live-region class; the controls do not."""
    one = widgets.one_way_switcher("Pick:", ["a", "b"], ["<p>A</p>", "<p>B</p>"])
    two = widgets.two_way_switcher(("X:", ["x1", "x2"]), ("Y:", ["y1", "y2"]), [["1", "2"], ["3", "4"]])
    assert widgets.LIVE_CLASS in one.children[1]._dom_classes
    outer = two.children[1]
    assert widgets.LIVE_CLASS in outer._dom_classes
    assert not any(widgets.LIVE_CLASS in inner._dom_classes for inner in outer.children)
    assert widgets.LIVE_CLASS not in one.children[0]._dom_classes


def test_moments_are_capped_and_spread_with_the_latest_kept() -> None:
    assert widgets.spread(5, 12) == [0, 1, 2, 3, 4]
    assert widgets.spread(40, 12)[0] == 0 and widgets.spread(40, 12)[-1] == 39
    assert len(widgets.spread(40, 12)) == 12
    gaps = {b - a for a, b in zip(widgets.spread(40, 12), widgets.spread(40, 12)[1:])}
    assert gaps <= {3, 4}, gaps  # evenly spread, no cluster
    assert widgets.spread(3, 1) == [2]


def test_the_explorer_offers_at_most_the_capped_moments(data) -> None:
    times = widgets.moments(data, most=1)
    assert list(times["source_id"]) == ["2025-02-b"]  # the latest
    assert len(widgets.moments(data)) == len(data.sources)


def test_identical_views_are_one_widget() -> None:
    switcher = widgets.two_way_switcher(("X:", ["x1", "x2"]), ("Y:", ["y1", "y2", "y3"]),
                                        [["same", "same", "other"], ["same", "b", "b"]])
    outer = switcher.children[1]
    first, second = (list(inner.children) for inner in outer.children)
    assert first[0] is first[1] is second[0] and first[2] is not first[0]
    assert second[1] is second[2]
    assert [child.value for child in first + second] == ["same", "same", "other", "same", "b", "b"]


def test_no_widget_is_made_for_a_view_already_made() -> None:
    """Every widget made is stored in the notebook and the page, used or not."""
    from ipywidgets.widgets.widget import _instances

    before = {key for key, widget in _instances.items() if isinstance(widget, W.HTML)}
    widgets.two_way_switcher(("X:", ["x1", "x2"]), ("Y:", ["y1", "y2"]), [["same", "same"], ["same", "other"]])
    made = [w for key, w in _instances.items() if isinstance(w, W.HTML) and key not in before]
    assert sorted(w.value for w in made) == ["other", "same"]


# --------------------------------------------------------------------------- live tools consistent (issue 14)

def what_if_parts(tool: widgets.LiveOnly) -> SimpleNamespace:
    """The what-if tool's controls and views, by name."""
    issue, controls_box, hint, detail, summary = tool.widget.children
    ukraine, russia, reset = controls_box.children
    return SimpleNamespace(issue=issue, ukraine=ukraine, russia=russia, reset=reset, hint=hint,
                           detail=detail, summary=summary)


def chart_rows(page: str) -> dict[str, list[tuple[str, str]]]:
    """Each row of a range chart: its header → (class, text) of each level's cell, lowest level first."""
    rows = re.findall(r'<tr[^>]*><th scope="row">(.*?)</th>(.*?)</tr>', page)
    return {html.unescape(name): re.findall(r'<td class="(\w+)"[^>]*>(.*?)</td>', cells) for name, cells in rows}


def marked(cells: list[tuple[str, str]], css: str) -> set[int]:
    """The levels (1 = the scale's first) whose cell has class ``css``."""
    return {level for level, (found, _) in enumerate(cells, start=1) if found == css}


def verdict_of(page: str) -> str:
    """The verdict under a range chart, unescaped."""
    return html.unescape(re.search(r'</table></div><p class="book-notice book-notice-info">(.*?)</p>', page)[1])


def summary_row(page: str, label: str) -> list[str]:
    """The cells of one issue's row of the what-if summary table."""
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", page):
        cells = [html.unescape(c) for c in re.findall(r"<td>(.*?)</td>", row)]
        if cells and cells[0] == label:
            return cells
    raise AssertionError(f"no row for {label!r}")


def assert_chart_agrees_with_verdict(page: str, summary: str, label: str) -> None:
    """The zone row marks exactly the levels the verdict names; the bands end at the limits it names."""
    rows, verdict = chart_rows(page), verdict_of(page)
    zone, ukraine, russia = (marked(rows[widgets.ZONE_ROW], "zone"), marked(rows["Ukraine"], "in"),
                             marked(rows["Russia"], "in"))
    assert "(s)" not in verdict, verdict
    row = summary_row(summary, label)  # Issue, Ukraine's limit, Russia's limit, zone or gap
    overlap = re.fullmatch(r"Zone between (?:the stated limits|the limits shown \(not both stated red lines\)): "
                           r"levels? (\d+)(?:–(\d+))? \(from Russia's limit to Ukraine's\)\.", verdict)
    if overlap:
        low, high = int(overlap[1]), int(overlap[2] or overlap[1])
        assert zone == set(range(low, high + 1)), (verdict, zone)
        assert (max(ukraine), min(russia)) == (high, low), (verdict, ukraine, russia)  # the red lines bound it
        assert row[3] == (f"zone at level {low}" if low == high else f"zone at levels {low}–{high}"), row
        return
    gap = re.fullmatch(r"No zone between (?:the stated limits|the limits shown \(not both stated red lines\)): "
                       r"Ukraine's limit is level (\d+) and Russia's is level (\d+), (\d+) steps? apart\.", verdict)
    assert gap, verdict
    limit_u, limit_r, apart = map(int, gap.groups())
    assert zone == set() and limit_r - limit_u == apart > 0, (verdict, zone)
    assert (max(ukraine), min(russia)) == (limit_u, limit_r), (verdict, ukraine, russia)
    assert row[1].startswith(f"level {limit_u}: ") and row[2].startswith(f"level {limit_r}: "), row
    assert row[3] == f"gap of {apart} step{'' if apart == 1 else 's'}", row
    assert ("1 step apart" in verdict) == (apart == 1)


def with_positions(data, rows: list[dict], settlement: tuple[str, ...] = ()):
    """``data`` with positions added or changed (by position id) and issues made settlement issues."""
    positions = data.positions.set_index("position_id")
    for row in rows:
        for column, value in row.items():
            if column != "position_id":
                positions.loc[row["position_id"], column] = value
    positions = positions.reset_index()
    positions["stated_on"] = pd.to_datetime(positions["stated_on"])
    positions["level"] = positions["level"].astype("Int64")
    issues = data.issues.copy()
    issues.loc[issues["issue_id"].isin(settlement), "kind"] = "settlement"
    return dataclasses.replace(data, positions=positions, issues=issues)


def _position(position_id: str, actor: str, issue: str, level: int, stance: str) -> dict:
    return {"position_id": position_id, "actor_id": actor, "issue_id": issue, "level": level, "stance": stance,
            "basis": "own words", "quote_id": "2025-02-b-q01", "stated_on": "2025-02-01",
            "stated_precision": "day", "reference": None, "note": "x"}


def reported_cases(data):
    """The two cases of issue 14, on the fixture's scales.

    "When to negotiate": Ukraine asks 2, Russia asks 3 on a 3-level scale; dragging Ukraine's red
    line to 1 drew its band up to 2, touching Russia's 3, under a verdict of 2 levels' gap.
    "Foreign troops": Russia asks 3 of 4, Ukraine 1; Russia's red line dragged to 4 did the same.
    """
    return with_positions(data, [
        _position("x-timing-ua", "ukraine", "timing", 2, "goal"),
        _position("x-timing-ru", "russia", "timing", 3, "goal"),
        {"position_id": "2025-02-b-p03", "level": 3},  # Russia asks 3 on NATO
    ], settlement=("timing",))


@pytest.fixture(scope="module")
def cases(data):
    return {"fixture": data, "reported": reported_cases(data)}


@pytest.mark.parametrize("case", ["fixture", "reported"])
def test_what_if_verdict_and_chart_agree_at_every_slider_setting(cases, case) -> None:
    data = cases[case]
    parts = what_if_parts(widgets.what_if_bargaining(data))
    checked = 0
    for issue_id, label in [(v, k) for k, v in parts.issue.options]:
        parts.issue.value = issue_id
        for u in range(parts.ukraine.min, parts.ukraine.max + 1):
            for r in range(parts.russia.min, parts.russia.max + 1):
                parts.ukraine.value, parts.russia.value = u, r
                assert_chart_agrees_with_verdict(parts.detail.value, parts.summary.value, label)
                checked += 1
    assert checked >= 12


def test_the_reported_cases_cannot_be_set_and_read_right(cases) -> None:
    parts = what_if_parts(widgets.what_if_bargaining(cases["reported"]))
    assert "timing" in [v for _, v in parts.issue.options]
    parts.issue.value = "timing"
    parts.ukraine.value = 1                    # past Ukraine's own demand (2): the slider stops at 2
    assert parts.ukraine.value == 2 and parts.ukraine.min == 2
    assert verdict_of(parts.detail.value).endswith("is level 3, 1 step apart.")
    parts.issue.value = "nato"
    parts.russia.value = 4                     # past Russia's own demand (3): the slider stops at 3
    assert parts.russia.value == 3 and parts.russia.max == 3
    assert "is level 3, 2 steps apart." in verdict_of(parts.detail.value)  # Ukraine's limit 1


@pytest.mark.parametrize("case", ["fixture", "reported"])
def test_a_red_line_slider_cannot_pass_its_sides_demand(cases, case) -> None:
    data = cases[case]
    table = analysis.bargaining_table(data).set_index("issue_id")
    parts = what_if_parts(widgets.what_if_bargaining(data))
    for issue_id in [v for _, v in parts.issue.options]:
        parts.issue.value = issue_id
        row = table.loc[issue_id]
        assert (parts.ukraine.min, parts.ukraine.max) == (row["ukraine_best"], row["top"])
        assert (parts.russia.min, parts.russia.max) == (1, row["russia_best"])
        parts.ukraine.value, parts.russia.value = 0, row["top"] + 1
        assert (parts.ukraine.value, parts.russia.value) == (row["ukraine_best"], row["russia_best"])
        assert f"own demand (level {row['ukraine_best']})" in html.unescape(parts.hint.value)


def test_a_what_if_limit_past_the_demand_stops_at_the_demand(cases) -> None:
    """Even set by hand, a limit past a side's demand cannot make the chart and the verdict disagree."""
    data = cases["reported"]
    page = widgets.range_view(data, "timing", {("Ukraine", "timing"): 1})
    assert verdict_of(page).endswith("Ukraine's limit is level 2 and Russia's is level 3, 1 step apart.")
    assert marked(chart_rows(page)["Ukraine"], "in") == {2}
    found = analysis.party_range(data, "Russia", "nato")
    assert analysis.with_limit(found, 4).limit == 3 and analysis.with_limit(found, 2).limit == 2
    assert analysis.with_limit(analysis.party_range(data, "Europe", "nato"), 4).limit == 2  # not a side
    sides, zone = analysis.issue_zone(data, "nato", limits={("Russia", "nato"): 4})
    assert (sides["Russia"].limit, zone.gap) == (3, 2)


def test_the_reset_button_restores_the_coded_red_lines(data) -> None:
    tool = widgets.what_if_bargaining(data)
    parts = what_if_parts(tool)
    start = (parts.detail.value, parts.summary.value)
    assert parts.reset.description == widgets.RESET_LABEL
    parts.ukraine.value, parts.russia.value = 5, 3     # territory: a zone at 3–5
    parts.issue.value = "nato"
    parts.russia.value = 2
    assert "what-if" in parts.detail.value
    parts.reset.click()
    assert (parts.issue.value, parts.ukraine.value, parts.russia.value) == ("nato", 1, 4)
    assert "what-if" not in parts.detail.value and parts.summary.value == widgets.zone_summary(data)
    parts.issue.value = "territory"
    assert (parts.ukraine.value, parts.russia.value) == (3, 4)  # the other issue is back too
    assert (parts.detail.value, parts.summary.value) == start


def test_verdicts_read_in_steps_never_in_brackets(data) -> None:
    assert widgets.steps(1) == "1 step" and widgets.steps(2) == "2 steps"
    page = widgets.range_view(data, "nato")
    assert verdict_of(page) == ("No zone between the limits shown (not both stated red lines): Ukraine's limit is "
                                "level 1 and Russia's is level 4, 3 steps apart.")
    assert widgets._lab_verdict(1, 3) == "2 steps apart" and widgets._lab_verdict(2, 1) == "1 step apart"


# --- code it yourself

LAB_ITEMS = ["2022-11-a-p01", "2022-11-a-p02", "2022-11-a-p03", "2025-02-b-p01", "2025-02-b-p03"]


def lab_parts(tool: widgets.LiveOnly) -> SimpleNamespace:
    boxes = [c for c in tool.widget.children if isinstance(c, W.HBox)]
    return SimpleNamespace(levels=[b.children[0] for b in boxes], stances=[b.children[1] for b in boxes],
                           boxes=boxes, button=next(c for c in tool.widget.children if isinstance(c, W.Button)),
                           result=tool.widget.children[-1],
                           items=[c for c in tool.widget.children if isinstance(c, W.HTML)][:-1])


def test_the_lab_fits_a_narrow_notebook(data) -> None:
    """At 1024 px nothing is cut: every control is as wide as its text, rows wrap, the button label is short."""
    parts = lab_parts(widgets.code_it_yourself(data, LAB_ITEMS))
    assert parts.button.description == widgets.COMPARE_LABEL and len(widgets.COMPARE_LABEL) <= 24
    for control in [parts.button, *parts.levels, *parts.stances]:
        assert (control.layout.width, control.layout.max_width) == ("max-content", "100%"), control
    assert all(box.layout.flex_flow == "row wrap" for box in parts.boxes)
    assert all(len(level.description) <= 8 for level in parts.levels)  # the issue's name is in the item's text
    assert "Territory · <strong>Ukraine</strong>" in parts.items[0].value
    assert all(item.layout.width == "100%" for item in parts.items) and parts.result.layout.width == "100%"


def test_the_lab_shows_labels_never_ids(data) -> None:
    parts = lab_parts(widgets.code_it_yourself(data, LAB_ITEMS))
    assert ("red line", "red-line") in parts.stances[0].options
    assert ("4 · Recognise", 4) in parts.levels[1].options
    for chooser, level in zip(parts.levels, (1, 4, 2, 3, widgets.NO_LEVEL)):
        chooser.value = level
    parts.stances[3].value = "red-line"
    parts.button.click()
    page = parts.result.value
    assert "<td>4 · Recognise</td><td>5 · Four oblasts</td><td>1 step apart</td>" in page
    assert "<td>no level</td><td>4 · Renounce</td>" in page and "<td>red line</td><td>red line</td>" in page
    assert "<td>Russia</td>" in page and "US official A" in page  # whose position each row is
    for internal in ("red-line", ">territory<", ">nato<", "2022-11-a", "2025-02-b", ">-1<", "ukraine", "us-a"):
        assert internal not in page, internal


def test_the_lab_warns_when_too_few_items_are_compared(data) -> None:
    few = widgets.agreement_report(data, ["2022-11-a-p01"], [2])
    assert f"need at least {widgets.MIN_ITEMS_FOR_AGREEMENT} items" in html.unescape(few)
    assert "only 1 item with a level on both sides" in few
    territory = ["2022-11-a-p01", "2022-11-a-p02", "2022-11-a-p03", "2025-02-b-p01", "2025-02-b-p02"]
    enough = widgets.agreement_report(data, territory, [1, 4, 2, 3, 4])
    assert "need at least" not in enough and "only" not in enough
    four = widgets.agreement_report(data, territory, [1, 4, 2, 3, widgets.NO_LEVEL])  # "no level": not compared
    assert "only 4 items with a level on both sides (fewer than 5)" in four


def test_changing_an_answer_clears_the_last_comparison(data) -> None:
    parts = lab_parts(widgets.code_it_yourself(data, LAB_ITEMS))
    parts.levels[0].value = 1
    parts.button.click()
    assert "Item by item" in parts.result.value
    parts.levels[1].value = 5
    assert parts.result.value == render.notice(widgets.STALE_TEXT)
    parts.button.click()
    assert "Item by item" in parts.result.value and "<td>2 of 2</td>" in parts.result.value
    parts.stances[0].value = "goal"                    # a stance is an answer too
    assert "Item by item" not in parts.result.value


def test_the_lab_compares_a_position_the_book_codes_with_no_level(data) -> None:
    """2025-02-b-p08 has no level in the book: a report on it must not raise, and reads "no level"."""
    page = widgets.agreement_report(data, ["2025-02-b-p08", "2025-02-b-p07"], [2, 2], ["expectation", "goal"])
    assert "<td>2 · Path</td><td>no level</td><td>level against no level</td>" in page
    both_none = widgets.agreement_report(data, ["2025-02-b-p08"], [widgets.NO_LEVEL])
    assert "<td>no level</td><td>no level</td><td>✔ same</td>" in both_none
    assert "<td>NATO</td><td>1</td><td>1 of 1</td><td>—</td><td>—</td>" in both_none
