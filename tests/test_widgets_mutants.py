"""What each explorer and live tool of ``utils/widgets.py`` shows, worked out by hand.

``tests/test_widgets.py`` checks that the controls switch views and that the what-if
chart agrees with its verdict; these tests check *what* a student sees: for every value
of every control, the view it brings up holds the content that belongs to that value
(the right issue, actors, levels, dates and sources, checked by content, never only by
index), and the static page's links (which stack each dropdown drives, which child is
which option). They also pin the what-if tool's hint, detail and summary as each slider
moves, and the reliability lab's report. Written to kill the mutants ``make mutation``
found surviving; each expected value is written out from ``tests/fixtures/analysis``:

* territory (1 All … 5 Four oblasts): Ukraine asks 1 (own words, Nov 2022) with a
  red line at 3 (reported, Feb 2025); Russia asks 5 (reported, Nov 2022) with a red
  line at 4 (reported, Feb 2025); European allies and US official A ask 2 (Feb 2025);
* NATO (1 Join … 4 Renounce): Ukraine asks 1 (own words, Nov 2022), Russia 4
  (reported, Feb 2025), European allies 2; US official B's expectation has no level;
* timing (process issue, 1 Not before … 3 Now): US official A 3 and B 2 (Nov 2022).
"""

from __future__ import annotations

import dataclasses
import html
import re
from pathlib import Path
from types import SimpleNamespace

import ipywidgets as W
import pandas as pd
import pytest
from traitlets import TraitError

from utils import analysis, load_data, widgets
from tests.test_widgets import with_positions

FIXTURE = Path(__file__).parent / "fixtures" / "analysis"


@pytest.fixture(scope="module")
def data():
    return load_data(FIXTURE)


# --------------------------------------------------------------------------- helpers

def info(text: str) -> str:
    """A notice as the book writes it (text already escaped by hand)."""
    return f'<p class="book-notice book-notice-info">{text}</p>'


def book_table(caption: str, headers: list[str], rows: list[list[str]], classes: list[str] | None = None) -> str:
    """A book table written out from its (already escaped) caption, headers and cells."""
    classes = classes or [""] * len(rows)
    head = "".join(f'<th scope="col">{h}</th>' for h in headers)
    body = "".join(f'<tr class="{css}">' + "".join(f"<td>{c}</td>" for c in row) + "</tr>"
                   for css, row in zip(classes, rows))
    return (f'<div class="book-table-wrap" tabindex="0" role="region" aria-label="{caption}">'
            f'<table class="book-table"><caption>{caption}</caption><thead><tr>{head}</tr></thead>'
            f"<tbody>{body}</tbody></table></div>")


def controls(switcher: W.VBox) -> list[W.Dropdown]:
    return list(switcher.children[0].children)


def outer_stack(switcher: W.VBox) -> W.Stack:
    return switcher.children[1]


def grid(switcher: W.VBox) -> list[list[str]]:
    """Every view of a two-way switcher: ``grid[i][j]`` is the view for first option i, second option j."""
    return [[child.value for child in inner.children] for inner in outer_stack(switcher).children]


def shown(switcher: W.VBox) -> str:
    current = switcher.children[-1]
    while isinstance(current, W.Stack):
        current = current.children[current.selected_index]
    return current.value


def jslinks_from(control: W.Widget) -> list[tuple[W.Widget, str, str]]:
    """The browser-side links from ``control``: (target widget, source trait, target trait)."""
    from ipywidgets.widgets.widget import _instances
    from ipywidgets.widgets.widget_link import Link

    return [(link.target[0], link.source[1], link.target[1]) for link in list(_instances.values())
            if type(link) is Link and link.source[0] is control]


def position_rows(page: str) -> list[tuple[str, str, str, str, str, str, str, str, str]]:
    """A positions table's rows: (row class, actor, bloc, level, stance, basis, evidence, source, date)."""
    return re.findall(r'<tr class="([^"]*)"><td>(.*?)</td><td>(.*?)</td><td>(.*?)</td><td>(.*?)</td>'
                      r"<td>(.*?)</td><td>(.*?)</td><td>(.*?)</td><td>(.*?)</td></tr>", page)


def who_and_level(page: str) -> list[tuple[str, str]]:
    return [(row[1], row[3]) for row in position_rows(page)]


def new_position(position_id: str, actor: str, issue: str, level: int | None, stance: str,
                 basis: str = "own words", quote: str = "2025-02-b-q01") -> dict:
    return {"position_id": position_id, "actor_id": actor, "issue_id": issue, "level": level, "stance": stance,
            "basis": basis, "quote_id": quote, "stated_on": "2025-02-01", "stated_precision": "day",
            "reference": None, "note": "x"}


SOURCE_A = '<a href="../chapters/2022-11-a.html">Outlet A, Nov 2022</a>'
SOURCE_B = '<a href="../chapters/2025-02-b.html">Outlet B, Feb 2025</a>'
EMPTY = info("Nothing to choose from: the selection is empty.")


# --------------------------------------------------------------------------- building blocks

def test_a_view_and_a_stack_share_the_looks_given() -> None:
    look = widgets.SharedLook()
    assert look.layout.width == "100%"
    first, second = widgets.view("<p>A</p>", look), widgets.view("<p>B</p>", look)
    assert (first.value, second.value) == ("<p>A</p>", "<p>B</p>")
    assert first.layout is look.layout is second.layout and first.style is look.style is second.style
    target = widgets.stack([first, second], look)
    assert list(target.children) == [first, second] and target.selected_index == 0
    assert target.layout is look.layout
    assert widgets.live(target) is target and target._dom_classes == ("book-live",)
    with pytest.raises(TraitError):  # a stack has a first child to show, or is not made
        widgets.stack([], look)


def test_a_linked_dropdown_drives_every_stack_in_the_browser_and_the_kernel() -> None:
    look = widgets.SharedLook()
    stacks = [widgets.stack([widgets.view(t, look) for t in ("a", "b", "c")], look) for _ in range(2)]
    dropdown = widgets.linked_dropdown("Pick:", ["x", "y", "z"], stacks, value_index=2)
    assert dropdown.options == ("x", "y", "z") and dropdown.index == 2 and dropdown.value == "z"
    assert dropdown.description == "Pick:" and dropdown.style.description_width == "initial"
    assert (dropdown.layout.width, dropdown.layout.max_width) == ("max-content", "100%")
    assert [s.selected_index for s in stacks] == [2, 2]          # the stacks start at the dropdown's choice
    links = jslinks_from(dropdown)
    assert len(links) == 2 and all((src, dst) == ("index", "selected_index") for _, src, dst in links)
    assert [target for target, _, _ in links] == stacks          # a link for each stack, in the browser
    dropdown.index = 1
    assert [s.selected_index for s in stacks] == [1, 1]
    assert [s.children[s.selected_index].value for s in stacks] == ["b", "b"]
    default = widgets.linked_dropdown("D:", ["p", "q"], [])
    assert default.index == 0


def test_a_two_way_switcher_links_the_first_dropdown_to_the_outer_stack_and_the_second_to_each_inner() -> None:
    switcher = widgets.two_way_switcher(("Row:", ["r1", "r2"]), ("Column:", ["c1", "c2", "c3"]),
                                        [["11", "12", "13"], ["21", "22", "23"]], second_index=2, first_index=1)
    first, second = controls(switcher)
    outer = outer_stack(switcher)
    assert (first.description, first.options, second.description, second.options) == (
        "Row:", ("r1", "r2"), "Column:", ("c1", "c2", "c3"))
    assert (first.index, second.index) == (1, 2) and shown(switcher) == "23"
    assert grid(switcher) == [["11", "12", "13"], ["21", "22", "23"]]
    assert [t for t, _, _ in jslinks_from(first)] == [outer]
    assert [t for t, _, _ in jslinks_from(second)] == list(outer.children)
    assert switcher.children[0].layout.flex_flow == "row wrap" and switcher.layout.width == "100%"
    assert outer.layout.width == "100%" and outer.children[0].layout is outer.layout
    first.index, second.index = 0, 0
    assert shown(switcher) == "11"
    second.index = 1
    assert shown(switcher) == "12"
    first.index = 1
    assert shown(switcher) == "22"


@pytest.mark.parametrize("views", [[], [[]]])
def test_a_two_way_switcher_over_nothing_says_so(views) -> None:
    switcher = widgets.two_way_switcher(("X:", []), ("Y:", []), views)
    (only,) = switcher.children
    assert only.value == EMPTY and only.layout.width == "100%"


def test_a_one_way_switcher_links_its_dropdown_to_its_stack() -> None:
    switcher = widgets.one_way_switcher("Pick:", ["a", "b"], ["<p>A</p>", "<p>B</p>"])
    dropdown, target = switcher.children
    assert dropdown.description == "Pick:" and dropdown.options == ("a", "b") and dropdown.index == 0
    assert [c.value for c in target.children] == ["<p>A</p>", "<p>B</p>"] and switcher.layout.width == "100%"
    assert [t for t, _, _ in jslinks_from(dropdown)] == [target] and "book-live" in target._dom_classes
    assert target.children[0].layout is target.layout and target.layout.width == "100%"
    dropdown.index = 1
    assert shown(switcher) == "<p>B</p>"
    (only,) = widgets.one_way_switcher("Pick:", [], []).children
    assert only.value == EMPTY


def test_a_live_only_widget_shows_its_static_html_in_the_page() -> None:
    widget = SimpleNamespace(_repr_mimebundle_=lambda **kwargs: {"text/plain": "w", "asked": kwargs})
    bundle = widgets.LiveOnly(widget, "<p>static</p>")._repr_mimebundle_(include=["a"], exclude=["b"])
    assert bundle == {"text/plain": "w", "asked": {"include": ["a"], "exclude": ["b"]}, "text/html": "<p>static</p>"}


# --------------------------------------------------------------------------- moments

@pytest.mark.parametrize("count, most, chosen", [
    (3, 3, [0, 1, 2]), (4, 3, [0, 2, 3]), (5, 2, [0, 4]), (5, 3, [0, 2, 4]), (10, 4, [0, 3, 6, 9]),
    (5, 1, [4]), (5, 0, []), (0, 12, []), (1, 1, [0]),
    (40, 12, [0, 4, 7, 11, 14, 18, 21, 25, 28, 32, 35, 39]),
])
def test_spread_keeps_the_first_and_the_last_and_spaces_the_rest_evenly(count, most, chosen) -> None:
    assert widgets.spread(count, most) == chosen


def test_moments_are_the_sources_dates_oldest_first_each_covering_its_period(data) -> None:
    sources = data.sources.iloc[::-1].reset_index(drop=True).copy()  # stored newest first
    sources.loc[sources["source_id"] == "2022-11-a", "date_precision"] = "month"
    shuffled = dataclasses.replace(data, sources=sources)
    times = widgets.moments(shuffled)
    assert list(times["source_id"]) == ["2022-11-a", "2025-02-b"] and list(times.index) == [0, 1]
    assert list(times["option"]) == ["November 2022 (Outlet A)", "around 1 February 2025 (Outlet B)"]
    assert list(times["until"]) == [pd.Timestamp("2022-11-30"), pd.Timestamp("2025-02-01")]
    assert list(times.columns) == [*data.sources.columns, "until", "option"]  # the sources' columns, no more
    only = widgets.moments(shuffled, ["2022-11-a"])
    assert list(only["source_id"]) == ["2022-11-a"] and list(only.index) == [0]
    assert list(widgets.moments(shuffled, most=1)["source_id"]) == ["2025-02-b"]


# --------------------------------------------------------------------------- position explorer

POSITION_HEADERS = ["Actor", "Bloc", "Level", "Stance", "Basis", "Evidence (verbatim)", "Source", "Stated"]


def test_positions_view_lists_each_actors_latest_position_with_its_evidence(data) -> None:
    page = widgets.positions_view(data, "nato", pd.Timestamp("2025-02-01"), "any")
    assert page == book_table(
        "NATO: latest coded position of each actor by the date chosen", POSITION_HEADERS, [
            ["Ukraine", "Ukraine", "1 · Join", "goal", "own words", "All of it back.", SOURCE_A, "1 November 2022"],
            ["European allies", "Europe", "2 · Path", "goal", "own words", "Pre-war lines and an open door.",
             SOURCE_B, "1 February 2025"],
            ["Russia", "Russia", "4 · Renounce", "goal", "reported", "Never NATO; at least the current line.",
             SOURCE_B, "1 February 2025"],
        ], ["bloc-ukraine", "bloc-europe", "bloc-russia"])


def test_positions_view_as_of_an_earlier_date(data) -> None:
    page = widgets.positions_view(data, "territory", pd.Timestamp("2022-11-01"), "November 2022")
    assert page == book_table(
        "Territory: latest coded position of each actor by the date chosen", POSITION_HEADERS, [
            ["Ukraine", "Ukraine", "1 · All", "goal", "own words", "All of it back.", SOURCE_A, "1 November 2022"],
            ["US official A", "United States", "2 · Pre-war", "expectation", "own words",
             "Talk now; pre-war lines are realistic.", SOURCE_A, "1 November 2022"],
            ["Russia", "Russia", "5 · Four oblasts", "goal", "reported", "All four regions.", SOURCE_A,
             "1 November 2022"],
        ], ["bloc-ukraine", "bloc-united-states", "bloc-russia"])


def test_positions_view_orders_by_level_then_bloc_then_name(data) -> None:
    actors = data.actors.copy()
    actors.loc[actors["actor_id"] == "us-b", "name"] = "Another US official"  # sorts before US official A
    changed = with_positions(dataclasses.replace(data, actors=actors),
                             [new_position("x-usb-territory", "us-b", "territory", 2, "goal")])
    page = widgets.positions_view(changed, "territory", pd.Timestamp("2025-02-01"), "then")
    assert who_and_level(page) == [("European allies", "2 · Pre-war"), ("Another US official", "2 · Pre-war"),
                                   ("US official A", "2 · Pre-war"), ("Ukraine", "3 · Freeze"),
                                   ("Russia", "4 · Recognise")]


def test_positions_view_dates_a_position_as_precisely_as_it_is_known(data) -> None:
    changed = with_positions(data, [{"position_id": "2022-11-a-p04", "stated_precision": "month"},
                                    {"position_id": "2025-02-b-p07", "stated_precision": "approx"}])
    rows = position_rows(widgets.positions_view(changed, "nato", pd.Timestamp("2025-02-01"), "then"))
    assert [(row[1], row[8]) for row in rows] == [("Ukraine", "November 2022"),
                                                  ("European allies", "around 1 February 2025"),
                                                  ("Russia", "1 February 2025")]


def test_positions_view_uses_the_matrix_it_is_given(data) -> None:
    early = analysis.position_matrix(data, as_of="2022-11-01")
    page = widgets.positions_view(data, "nato", pd.Timestamp("2025-02-01"), "then", early)
    assert who_and_level(page) == [("Ukraine", "1 · Join")]  # the 2022 matrix, though the date is 2025


def test_positions_view_says_when_nothing_is_coded_yet(data) -> None:
    page = widgets.positions_view(data, "timing", pd.Timestamp("2022-10-31"), "October 2022")
    assert page == info("No position on “Timing” is coded by the date chosen.")


EXPLORER_VIEWS = {  # (issue, moment) -> (actor, level) rows, as of each source's date
    ("territory", 0): [("Ukraine", "1 · All"), ("US official A", "2 · Pre-war"), ("Russia", "5 · Four oblasts")],
    ("territory", 1): [("European allies", "2 · Pre-war"), ("US official A", "2 · Pre-war"),
                       ("Ukraine", "3 · Freeze"), ("Russia", "4 · Recognise")],
    ("nato", 0): [("Ukraine", "1 · Join")],
    ("nato", 1): [("Ukraine", "1 · Join"), ("European allies", "2 · Path"), ("Russia", "4 · Renounce")],
    ("timing", 0): [("US official B", "2 · Later"), ("US official A", "3 · Now")],
    ("timing", 1): [("US official B", "2 · Later"), ("US official A", "3 · Now")],
}


def test_position_explorer_each_issue_and_moment_shows_its_positions(data) -> None:
    explorer = widgets.position_explorer(data)
    issue, moment = controls(explorer)
    assert (issue.description, moment.description) == ("Issue:", "As of:")
    assert issue.options == ("Territory", "NATO", "Timing")
    assert moment.options == ("1 November 2022 (Outlet A)", "around 1 February 2025 (Outlet B)")
    assert (issue.index, moment.index) == (0, 1)               # the latest moment first
    views = grid(explorer)
    for i, issue_id in enumerate(["territory", "nato", "timing"]):
        for j in range(2):
            assert who_and_level(views[i][j]) == EXPLORER_VIEWS[issue_id, j], (issue_id, j)
            label = issue.options[i]
            assert f"<caption>{label}: latest coded position" in views[i][j]
            issue.index, moment.index = i, j                  # and the dropdowns bring that view up
            assert shown(explorer) == views[i][j]


def test_position_explorer_limits_and_orders_the_issues_and_moments(data) -> None:
    explorer = widgets.position_explorer(data, issue_ids=["timing", "nato"], start_source="2022-11-a")
    issue, moment = controls(explorer)
    assert issue.options == ("Timing", "NATO") and moment.index == 0
    views = grid(explorer)
    assert who_and_level(views[0][0]) == EXPLORER_VIEWS["timing", 0]
    assert who_and_level(views[1][0]) == EXPLORER_VIEWS["nato", 0]
    assert who_and_level(views[1][1]) == EXPLORER_VIEWS["nato", 1]
    later = widgets.position_explorer(data, issue_ids=["nato"], start_source="2025-02-b")
    assert controls(later)[1].index == 1 and who_and_level(shown(later)) == EXPLORER_VIEWS["nato", 1]
    early = widgets.position_explorer(data, issue_ids=["nato"], moment_sources=["2022-11-a"])
    assert controls(early)[1].options == ("1 November 2022 (Outlet A)",)
    assert who_and_level(shown(early)) == EXPLORER_VIEWS["nato", 0]


def test_position_explorer_moment_covers_its_whole_month(data) -> None:
    """A source dated "November 2022" sees a position stated on 20 November 2022."""
    sources = data.sources.copy()
    sources.loc[sources["source_id"] == "2022-11-a", "date_precision"] = "month"
    late = new_position("x-eu-nato", "eu", "nato", 3, "goal", quote="2022-11-a-q04")
    late["stated_on"] = "2022-11-20"
    changed = with_positions(dataclasses.replace(data, sources=sources), [late])
    explorer = widgets.position_explorer(changed, issue_ids=["nato"])
    assert controls(explorer)[1].options[0] == "November 2022 (Outlet A)"
    assert who_and_level(grid(explorer)[0][0]) == [("Ukraine", "1 · Join"), ("European allies", "3 · Off table")]


# --------------------------------------------------------------------------- actor comparison

def comparison_page(first: str, second: str, summary: str, rows: list[list[str]], classes: list[str]) -> str:
    return info(summary) + book_table(f"{first} compared with {second}", ["Issue", first, second, "Comparison"],
                                      rows, classes)


def test_comparison_of_ukraine_and_russia(data) -> None:
    assert widgets.comparison_view(data, "ukraine", "russia") == comparison_page(
        "Ukraine", "Russia", "Ukraine and Russia: both coded on two issues, same level and stance on 0.", [
            ["Territory", "3 · Freeze (red-line; reported; Outlet B, Feb 2025)",
             "4 · Recognise (red-line; reported; Outlet B, Feb 2025)", "1 step apart"],
            ["NATO", "1 · Join (goal; own words; Outlet A, Nov 2022)",
             "4 · Renounce (goal; reported; Outlet B, Feb 2025)", "3 steps apart"],
        ], ["", ""])


def test_comparison_marks_an_agreement_and_an_issue_only_one_side_codes(data) -> None:
    assert widgets.comparison_view(data, "eu", "us-a") == comparison_page(
        "European allies", "US official A",
        "European allies and US official A: both coded on one issue, same level and stance on 1.", [
            ["Territory", "2 · Pre-war (goal; own words; Outlet B, Feb 2025)",
             "2 · Pre-war (goal; own words; Outlet B, Feb 2025)", "✔ same level"],
            ["NATO", "2 · Path (goal; own words; Outlet B, Feb 2025)", "not coded", "only one coded"],
            ["Timing", "not coded", "3 · Now (goal; own words; Outlet A, Nov 2022)", "only one coded"],
        ], ["agree", "", ""])


def test_comparison_tells_a_level_with_another_stance_from_an_agreement(data) -> None:
    changed = with_positions(data, [new_position("x-usb-territory", "us-b", "territory", 3, "expectation",
                                                 basis="reported")])
    page = widgets.comparison_view(changed, "ukraine", "us-b")
    assert info("Ukraine and US official B: both coded on one issue, same level and stance on 0.") in page
    assert ("<tr class=\"\"><td>Territory</td><td>3 · Freeze (red-line; reported; Outlet B, Feb 2025)</td>"
            "<td>3 · Freeze (expectation; reported; Outlet B, Feb 2025)</td>"
            "<td>same level, different stance</td></tr>") in page
    apart = widgets.comparison_view(data, "us-a", "ukraine")
    assert ("<td>Territory</td><td>2 · Pre-war (goal; own words; Outlet B, Feb 2025)</td>"
            "<td>3 · Freeze (red-line; reported; Outlet B, Feb 2025)</td><td>1 step apart, different stance</td>"
            ) in apart


def test_comparison_with_nothing_coded_or_the_same_actor_twice(data) -> None:
    nothing = analysis.position_matrix(data, as_of="2020-01-01")
    assert widgets.comparison_view(data, "analyst", "us-b", nothing) == info(
        "Neither An analyst nor US official B has a coded level on any issue.")
    assert widgets.comparison_view(data, "us-b", "us-b") == info(
        "Choose two different actors to compare (US official B is chosen twice).")
    only_one = widgets.comparison_view(data, "analyst", "us-b")
    assert info("An analyst and US official B: both coded on no issue, same level and stance on 0.") in only_one


@pytest.mark.parametrize("args, text", [
    (("territory", 3, "goal"), "3 · Freeze (goal)"),
    (("territory", 3, "red-line", "reported", "2025-02-b"), "3 · Freeze (red-line; reported; Outlet B, Feb 2025)"),
    (("nato", 2, float("nan"), "own words", None), "2 · Path (own words)"),
    (("nato", 2, "goal", pd.NA, float("nan")), "2 · Path (goal)"),
    (("nato", None, "goal"), "not coded"),
    (("nato", pd.NA, "goal", "own words", "2022-11-a"), "not coded"),
])
def test_a_level_with_its_stance_basis_and_source(data, args, text) -> None:
    assert widgets._level_with_stance(data, *args) == text


@pytest.mark.parametrize("args, text", [
    ((float("nan"), "goal", "goal"), "only one coded"),
    ((pd.NA,), "only one coded"),
    ((0,), "✔ same level"),
    ((0, "goal", "goal"), "✔ same level"),
    ((0, "goal"), "same level, different stance"),
    ((0, "goal", "red-line"), "same level, different stance"),
    ((-2, "goal", "red-line"), "2 steps apart, different stance"),
    ((1, "expectation", "goal"), "1 step apart, different stance"),
    ((1, "goal", "goal"), "1 step apart"),
    ((-3,), "3 steps apart"),
])
def test_the_comparison_verdict(args, text) -> None:
    assert widgets._verdict(*args) == text


def captions(switcher: W.VBox) -> list[list[str]]:
    """Each view's caption ("A compared with B") or notice."""
    found = []
    for row in grid(switcher):
        found.append([html.unescape((re.search(r"<caption>(.*?)</caption>", v) or
                                     re.search(r'<p class="book-notice[^"]*">(.*?)</p>', v))[1]) for v in row])
    return found


def test_actor_comparison_each_pair_of_choices_shows_that_pair(data) -> None:
    comparison = widgets.actor_comparison(data, ["eu", "us-a", "analyst"])
    first, second = controls(comparison)
    assert (first.description, second.description) == ("Actor A:", "Actor B:")
    assert first.options == second.options == ("European allies", "US official A", "An analyst")
    assert (first.index, second.index) == (0, 1)     # no Ukraine or Russia: the first two
    twice = "Choose two different actors to compare ({} is chosen twice)."
    assert captions(comparison) == [
        [twice.format("European allies"), "European allies compared with US official A",
         "European allies compared with An analyst"],
        ["US official A compared with European allies", twice.format("US official A"),
         "US official A compared with An analyst"],
        ["An analyst compared with European allies", "An analyst compared with US official A",
         twice.format("An analyst")],
    ]
    first.index, second.index = 2, 0
    assert "<caption>An analyst compared with European allies</caption>" in shown(comparison)


def test_actor_comparison_starts_with_ukraine_against_russia(data) -> None:
    comparison = widgets.actor_comparison(data, ["eu", "russia", "ukraine"])
    first, second = controls(comparison)
    assert (first.value, second.value) == ("Ukraine", "Russia")
    assert "<caption>Ukraine compared with Russia</caption>" in shown(comparison)
    single = widgets.actor_comparison(data, ["eu"])
    assert (controls(single)[0].index, controls(single)[1].index) == (0, 0)
    assert shown(single) == info("Choose two different actors to compare (European allies is chosen twice).")


def test_actor_comparison_offers_the_actors_coded_on_at_least_three_issues(data) -> None:
    """Ukraine and Russia are coded on territory and NATO; a timing position each makes three."""
    changed = with_positions(data, [new_position("x-ua-timing", "ukraine", "timing", 1, "goal"),
                                    new_position("x-ru-timing", "russia", "timing", 3, "goal")])
    comparison = widgets.actor_comparison(changed)
    first, second = controls(comparison)
    assert first.options == ("Russia", "Ukraine")          # US official A and European allies: two issues
    assert (first.value, second.value) == ("Ukraine", "Russia")
    assert "<caption>Ukraine compared with Russia</caption>" in shown(comparison)
    assert "<td>Timing</td><td>1 · Not before (goal; own words; Outlet B, Feb 2025)</td>" in shown(comparison)
    two = widgets.actor_comparison(changed, min_issues=2)
    assert controls(two)[0].options == ("European allies", "Russia", "Ukraine", "US official A")


# --------------------------------------------------------------------------- bargaining range

SCALE_HEAD = {
    "territory": ('<th scope="col" title="All back.">1<br><span>All</span></th>'
                  '<th scope="col" title="Pre-war lines.">2<br><span>Pre-war</span></th>'
                  '<th scope="col" title="Freeze.">3<br><span>Freeze</span></th>'
                  '<th scope="col" title="Recognise.">4<br><span>Recognise</span></th>'
                  '<th scope="col" title="Four oblasts.">5<br><span>Four oblasts</span></th>'),
    "nato": ('<th scope="col" title="Join.">1<br><span>Join</span></th>'
             '<th scope="col" title="Path.">2<br><span>Path</span></th>'
             '<th scope="col" title="Off the table.">3<br><span>Off table</span></th>'
             '<th scope="col" title="Renounce.">4<br><span>Renounce</span></th>'),
}
COLOUR = {"Ukraine": "#0072B2", "Europe": "#CC79A7", "United States": "#009E73", "Russia": "#D55E00"}


class Outside(str):
    """The text of a cell outside a party's range (a coded red line the what-if moved away from)."""


def band(party: str, cells: list[str | None]) -> str:
    """A party's row: ``None`` for an empty level outside its range, an :class:`Outside` text for a
    level outside it with a note, else the text of a cell inside it."""
    inside = f'<td class="in" style="background:{COLOUR[party]}">{{}}</td>'
    tds = "".join('<td class="out"></td>' if c is None else f'<td class="out">{c}</td>' if isinstance(c, Outside)
                  else inside.format(c) for c in cells)
    return f'<tr><th scope="row">{party}</th>{tds}</tr>'


def zone_cells(cells: list[bool]) -> str:
    zone = '<td class="zone" style="background:#F0E442;color:#000000">zone</td>'
    tds = "".join(zone if c else '<td class="out"></td>' for c in cells)
    return f'<tr class="zone-row"><th scope="row">Both could accept</th>{tds}</tr>'


def range_chart(issue: str, label: str, evidence: str, rows: str) -> str:
    return (f'<div class="book-table-wrap" tabindex="0" role="region" aria-label="{label}"><table class="book-range">'
            f"<caption>{label}: each side's range, from what it asks to its limit ({evidence})</caption>"
            f"<thead><tr><td></td>{SCALE_HEAD[issue]}</tr></thead><tbody>{rows}</tbody></table></div>")


_ = None  # a level outside a band
TERRITORY_CHART = range_chart("territory", "Territory", "all evidence",
                              band("Ukraine", ["asks", "", "red line", _, _])
                              + band("Europe", [_, "asks", _, _, _])
                              + band("United States", [_, "asks", _, _, _])
                              + band("Russia", [_, _, _, "red line", "asks"])
                              + zone_cells([False] * 5))
TERRITORY_VERDICT = info("No zone between the stated limits: Ukraine&#x27;s limit is level 3 and Russia&#x27;s is level 4, "
                         "1 step apart.")
TERRITORY_NOTES = info("Ukraine: stated red line (basis: reported); Russia: stated red line (basis: reported).")
ASSUMED = "no red line coded, so the demand is assumed as the limit"
NATO_VIEW = (range_chart("nato", "NATO", "all evidence",
                         band("Ukraine", ["asks", _, _, _]) + band("Europe", [_, "asks", _, _])
                         + band("United States", [_] * 4) + band("Russia", [_, _, _, "asks"])
                         + zone_cells([False] * 4))
             + info("No zone between the limits shown (not both stated red lines): Ukraine&#x27;s limit is "
                    "level 1 and Russia&#x27;s is level 4, "
                    "3 steps apart.")
             + info(f"Ukraine: {ASSUMED} (basis: own words); Russia: {ASSUMED} (basis: reported).")
             + info("No goal or red line coded for: United States (expectations are not demands and are not shown)."))
#: The note on a limit moved with the what-if tool whose coded limit (at the level filled in) is a red line.
MOVED_STATED = "limit set with the what-if tool (the coded limit is level {}, a stated red line; basis: reported)"
#: The start of a chart's verdict when a zone lies between limits that are not both stated red lines.
SHOWN = "Zone between the limits shown (not both stated red lines)"
NOT_ENOUGH = info("Not enough coded goals or red lines to tell whether the sides&#x27; ranges overlap.")
TERRITORY_OWN_WORDS = (range_chart("territory", "Territory", "own words only",
                                   band("Ukraine", ["asks", _, _, _, _]) + band("Europe", [_, "asks", _, _, _])
                                   + band("United States", [_, "asks", _, _, _]) + band("Russia", [_] * 5)
                                   + zone_cells([False] * 5))
                       + NOT_ENOUGH + info(f"Ukraine: {ASSUMED} (basis: own words).")
                       + info("No goal or red line coded for: Russia "
                              "(expectations are not demands and are not shown)."))
NATO_OWN_WORDS = (range_chart("nato", "NATO", "own words only",
                              band("Ukraine", ["asks", _, _, _]) + band("Europe", [_, "asks", _, _])
                              + band("United States", [_] * 4) + band("Russia", [_] * 4) + zone_cells([False] * 4))
                  + NOT_ENOUGH + info(f"Ukraine: {ASSUMED} (basis: own words).")
                  + info("No goal or red line coded for: United States, Russia "
                         "(expectations are not demands and are not shown)."))


def test_range_view_of_territory_with_both_red_lines_stated(data) -> None:
    assert widgets.range_view(data, "territory") == TERRITORY_CHART + TERRITORY_VERDICT + TERRITORY_NOTES


def test_range_view_of_nato_with_the_limits_assumed_and_a_bloc_uncoded(data) -> None:
    assert widgets.range_view(data, "nato") == NATO_VIEW


def test_range_view_of_own_words_only(data) -> None:
    assert widgets.range_view(data, "territory", bases=("own words",)) == TERRITORY_OWN_WORDS
    assert widgets.range_view(data, "nato", bases=("own words",)) == NATO_OWN_WORDS


def test_range_view_with_both_red_lines_moved_to_a_zone_of_three_levels(data) -> None:
    page = widgets.range_view(data, "territory", {("Ukraine", "territory"): 5, ("Russia", "territory"): 3})
    assert page == (range_chart("territory", "Territory", "all evidence",
                                band("Ukraine", ["asks", "", "coded red line", "", "what-if limit"])
                                + band("Europe", [_, "asks", _, _, _])
                                + band("United States", [_, "asks", _, _, _])
                                + band("Russia", [_, _, "what-if limit", "coded red line", "asks"])
                                + zone_cells([False, False, True, True, True]))
                    + info(f"{SHOWN}: levels 3–5 (from Russia&#x27;s limit to Ukraine&#x27;s).")
                    + info(f"Ukraine: {MOVED_STATED.format(3)}; Russia: {MOVED_STATED.format(4)}."))


def test_range_view_with_a_zone_of_one_level_and_a_red_line_at_the_demand(data) -> None:
    page = widgets.range_view(data, "territory", {("Ukraine", "territory"): 5, ("Russia", "territory"): 5})
    # Russia asks 5; its red line, coded at 4 (now outside its band), moved to 5.
    assert band("Russia", [_, _, _, Outside("coded red line"), "asks; what-if limit"]) in page
    assert zone_cells([False, False, False, False, True]) in page
    assert info(f"{SHOWN}: level 5 (from Russia&#x27;s limit to Ukraine&#x27;s).") in page


def test_range_view_with_an_assumed_limit_moved(data) -> None:
    # Ukraine asks 1 on NATO (own words) with no red line: its limit, assumed at 1, moved to 3.
    page = widgets.range_view(data, "nato", {("Ukraine", "nato"): 3})
    assert band("Ukraine", ["asks", "", "what-if limit", _]) in page   # no coded red line to mark
    assert info("Ukraine: limit set with the what-if tool (the coded limit is level 1, the demand, assumed since "
                f"no red line is coded; basis: own words); Russia: {ASSUMED} (basis: reported).") in page


def test_range_view_of_a_bloc_spanning_two_levels_and_its_own_words(data) -> None:
    """European allies ask 2 (own words) and are reported to hold 3 as a red line: a band 2–3 with all the
    evidence (no red-line mark: only the two sides own an end of the scale), level 2 alone in their own words."""
    changed = with_positions(data, [new_position("x-eu-territory", "eu", "territory", 3, "red-line", basis="reported")])
    assert band("Europe", [_, "asks", "", _, _]) in widgets.range_view(changed, "territory")
    own = widgets.range_view(changed, "territory", bases=("own words",))
    assert band("Europe", [_, "asks", _, _, _]) in own and band("Russia", [_] * 5) in own


def test_range_view_of_a_side_with_a_red_line_and_no_goal(data) -> None:
    """Ukraine's territory goal made an expectation: its red line (3) is its demand too."""
    changed = with_positions(data, [{"position_id": "2022-11-a-p01", "stance": "expectation"}])
    page = widgets.range_view(changed, "territory")
    assert band("Ukraine", [_, _, "red line", _, _]) in page
    assert TERRITORY_VERDICT + TERRITORY_NOTES in page


def test_range_view_notes_only_the_sides_with_a_range(data) -> None:
    """Timing: Russia asks 3 (own words); Ukraine is not coded; no notes for the side without a range."""
    changed = with_positions(data, [new_position("x-ru-timing", "russia", "timing", 3, "goal")])
    page = widgets.range_view(changed, "timing")
    assert page.endswith(NOT_ENOUGH + info(f"Russia: {ASSUMED} (basis: own words).")
                         + info("No goal or red line coded for: Ukraine, Europe "
                                "(expectations are not demands and are not shown)."))
    nothing = widgets.range_view(data, "timing")
    assert nothing.endswith(NOT_ENOUGH + info("No goal or red line coded for: Ukraine, Europe, Russia "
                                              "(expectations are not demands and are not shown)."))


STATED_ONLY = {"Ukraine": analysis.PartyRange("Ukraine", "x", 1, 3, True),
               "Russia": analysis.PartyRange("Russia", "x", 3, 1, True)}
ONE_ASSUMED = {"Ukraine": analysis.PartyRange("Ukraine", "x", 1, 1, False),
               "Russia": analysis.PartyRange("Russia", "x", 3, 3, True)}
ONE_MOVED = {"Ukraine": analysis.PartyRange("Ukraine", "x", 1, 3, True, moved_from=2),
             "Russia": STATED_ONLY["Russia"]}


@pytest.mark.parametrize("zone, sides, text", [
    (analysis.Zone("x", "overlap", low=2, high=2), STATED_ONLY,
     "Zone between the stated limits: level 2 (from Russia's limit to Ukraine's)."),
    (analysis.Zone("x", "overlap", low=1, high=3), STATED_ONLY,
     "Zone between the stated limits: levels 1–3 (from Russia's limit to Ukraine's)."),
    (analysis.Zone("x", "overlap", low=2, high=2), ONE_ASSUMED,
     "Zone between the limits shown (not both stated red lines): level 2 (from Russia's limit to Ukraine's)."),
    (analysis.Zone("x", "overlap", low=1, high=3), ONE_MOVED,
     "Zone between the limits shown (not both stated red lines): levels 1–3 (from Russia's limit to Ukraine's)."),
    (analysis.Zone("x", "gap", gap=2), ONE_ASSUMED,
     "No zone between the limits shown (not both stated red lines): Ukraine's limit is level 1 and Russia's is "
     "level 3, 2 steps apart."),
    (analysis.Zone("x", "gap", gap=2), {"Ukraine": analysis.PartyRange("Ukraine", "x", 1, 1, True),
                                        "Russia": analysis.PartyRange("Russia", "x", 3, 3, True)},
     "No zone between the stated limits: Ukraine's limit is level 1 and Russia's is level 3, 2 steps apart."),
    (analysis.Zone("x", "unknown"), ONE_ASSUMED,
     "Not enough coded goals or red lines to tell whether the sides' ranges overlap."),
])
def test_the_zone_verdict(zone, sides, text) -> None:
    assert widgets.zone_verdict(zone, sides) == text


def test_bargaining_explorer_each_issue_and_evidence_choice_shows_its_range(data) -> None:
    explorer = widgets.bargaining_explorer(data)
    issue, evidence = controls(explorer)
    assert (issue.description, evidence.description) == ("Issue:", "Evidence:")
    assert issue.options == ("Territory", "NATO") and evidence.options == ("all evidence", "own words only")
    assert (issue.index, evidence.index) == (0, 0)
    assert grid(explorer) == [[TERRITORY_CHART + TERRITORY_VERDICT + TERRITORY_NOTES, TERRITORY_OWN_WORDS],
                              [NATO_VIEW, NATO_OWN_WORDS]]
    issue.index, evidence.index = 1, 1
    assert shown(explorer) == NATO_OWN_WORDS
    chosen = widgets.bargaining_explorer(data, issue_ids=["nato"])
    assert controls(chosen)[0].options == ("NATO",) and grid(chosen) == [[NATO_VIEW, NATO_OWN_WORDS]]


def test_timeline_explorer_each_issue_shows_its_chart(data) -> None:
    explorer = widgets.timeline_explorer(data)
    issue = explorer.children[0]
    assert issue.description == "Issue:" and issue.options == ("Territory", "NATO", "Timing")
    charts = [child.value for child in explorer.children[1].children]
    for chart, (label, count) in zip(charts, [("Territory", 8), ("NATO", 3), ("Timing", 2)]):
        assert f"Dot chart of the {count} coded positions on {label}" in chart, label
    only = widgets.timeline_explorer(data, issue_ids=["timing"])
    assert only.children[0].options == ("Timing",)
    assert "Dot chart of the 2 coded positions on Timing" in shown(only)


# --------------------------------------------------------------------------- what-if tool

SUMMARY_HEADERS = ["Issue", "Ukraine&#x27;s limit", "Russia&#x27;s limit", "Zone or gap"]
SUMMARY_CAPTION = "Zone between the two sides&#x27; limits, per settlement issue"
BOTH = "On the two settlement issues where both sides are coded"
ONE_OF_TWO = "On one of the two settlement issues where both sides are coded"
NO_OVERLAP = "the ranges do not overlap"
ASSUMED_ON = "a limit is assumed from a demand, since no red line is coded"
MOVED_ON = "a limit is set with the what-if tool"
#: The coded rows: territory has both red lines, NATO no red line on either side.
TERRITORY_ROW = ["Territory", "level 3: stated (reported)", "level 4: stated (reported)", "gap of 1 step"]
NATO_ROW = ["NATO", "level 1: assumed (own words)", "level 4: assumed (reported)", "gap of 3 steps"]


def summary(verdict: str, rows: list[list[str]]) -> str:
    """The what-if summary: its verdict, then its table with these rows."""
    return info(verdict) + book_table(SUMMARY_CAPTION, SUMMARY_HEADERS, rows)


CODED_SUMMARY = summary(f"{BOTH}, {NO_OVERLAP}; on one of them {ASSUMED_ON}.", [TERRITORY_ROW, NATO_ROW])
LIVE = ('<p class="book-notice book-notice-live">Run this notebook to use this tool (in JupyterLab or Binder); '
        "the static book shows its starting state.</p>")


def test_zone_summary_as_coded(data) -> None:
    assert widgets.zone_summary(data) == CODED_SUMMARY


def test_zone_summary_with_red_lines_moved_to_overlap(data) -> None:
    # Both zones rest on a what-if, and NATO's on Russia's assumed limit too: the verdict says so.
    limits = {("Ukraine", "territory"): 5, ("Ukraine", "nato"): 4}
    assert widgets.zone_summary(data, limits) == summary(
        f"{BOTH}, the ranges overlap; on one of them {ASSUMED_ON}; on both of them {MOVED_ON}.", [
            ["Territory", "level 5: what-if; coded: stated (reported) at level 3",
             "level 4: stated (reported)", "zone at levels 4–5"],
            ["NATO", "level 4: what-if; coded: assumed (own words) at level 1",
             "level 4: assumed (reported)", "zone at level 4"]])


def test_zone_summary_says_assumed_only_when_a_limit_is_assumed(data) -> None:
    # Both NATO limits set with the what-if tool (Ukraine 2, Russia 3: a gap of one); territory keeps
    # its two coded red lines. No limit in a gap is assumed, so the verdict does not say one is.
    limits = {("Ukraine", "nato"): 2, ("Russia", "nato"): 3}
    assert widgets.zone_summary(data, limits) == summary(f"{BOTH}, {NO_OVERLAP}; on one of them {MOVED_ON}.", [
            TERRITORY_ROW,
            ["NATO", "level 2: what-if; coded: assumed (own words) at level 1",
             "level 3: what-if; coded: assumed (reported) at level 4", "gap of 1 step"]])


def test_zone_summary_speaks_of_assumed_limits_only_on_issues_with_a_gap(data) -> None:
    # NATO's zone opens with Ukraine's limit moved; Russia's NATO limit is still assumed, but the one
    # gap left, on territory, lies between two stated red lines: no caveat.
    limits = {("Ukraine", "nato"): 4}
    assert widgets.zone_summary(data, limits) == summary(f"{ONE_OF_TWO}, {NO_OVERLAP}.", [
            TERRITORY_ROW,
            ["NATO", "level 4: what-if; coded: assumed (own words) at level 1",
             "level 4: assumed (reported)", "zone at level 4"]])


def test_zone_summary_with_one_side_uncoded(data) -> None:
    no_russia = dataclasses.replace(data, positions=data.positions[data.positions["actor_id"] != "russia"])
    assert widgets.zone_summary(no_russia) == summary("No settlement issue has both sides coded.", [
            ["Territory", "level 3: stated (reported)", "—", "not enough data"],
            ["NATO", "level 1: assumed (own words)", "—", "not enough data"]])


def test_zone_summary_without_ukraine(data) -> None:
    no_ukraine = dataclasses.replace(data, positions=data.positions[data.positions["actor_id"] != "ukraine"])
    assert widgets.zone_summary(no_ukraine) == summary("No settlement issue has both sides coded.", [
            ["Territory", "—", "level 4: stated (reported)", "not enough data"],
            ["NATO", "—", "level 4: assumed (reported)", "not enough data"]])


def verdict_table(statuses: list[str], ukraine: list[str], russia: list[str]) -> pd.DataFrame:
    """A bargaining table as summary_verdict reads it: per issue its status and how each side's limit
    is set ("stated", "assumed" or "what-if")."""
    def side(kinds: list[str], name: str) -> dict[str, list]:
        return {f"{name}_limit": [3] * len(kinds), f"{name}_limit_stated": [k != "assumed" for k in kinds],
                f"{name}_moved_from": [2 if k == "what-if" else pd.NA for k in kinds]}
    return pd.DataFrame({"status": statuses, **side(ukraine, "ukraine"), **side(russia, "russia")})


@pytest.mark.parametrize("statuses, ukraine, russia, text", [
    (["gap", "gap", "gap"], ["assumed", "stated", "assumed"], ["stated", "assumed", "stated"],
     f"On all three settlement issues where both sides are coded, {NO_OVERLAP}; on all three of them {ASSUMED_ON}."),
    (["overlap", "overlap", "overlap"], ["what-if", "stated", "stated"], ["stated", "stated", "what-if"],
     f"On all three settlement issues where both sides are coded, the ranges overlap; on two of them {MOVED_ON}."),
    (["gap", "overlap", "unknown", "gap"], ["assumed", "assumed", "stated", "stated"],
     ["what-if", "stated", "stated", "stated"],
     f"On two of the three settlement issues where both sides are coded, {NO_OVERLAP}; on one of them "
     f"{ASSUMED_ON}; on one of them {MOVED_ON}."),
])
def test_the_summary_verdict_counts_in_words(statuses, ukraine, russia, text) -> None:
    assert widgets.summary_verdict(verdict_table(statuses, ukraine, russia)) == text


def test_how_a_limit_is_set() -> None:
    row = verdict_table(["gap"], ["stated"], ["assumed"]).iloc[0]
    assert (widgets.limit_kind(row, "ukraine"), widgets.limit_kind(row, "russia")) == ("stated", "assumed")
    moved = verdict_table(["gap"], ["what-if"], ["stated"]).iloc[0]
    assert widgets.limit_kind(moved, "ukraine") == "what-if"
    assert widgets.limit_kind(pd.Series({"ukraine_limit": pd.NA}), "ukraine") is None


def test_zone_summary_with_one_issue_coded_on_both_sides(data) -> None:
    no_nato = dataclasses.replace(data, positions=data.positions[data.positions["issue_id"] != "nato"])
    assert widgets.summary_verdict(analysis.bargaining_table(no_nato)) == (
        f"On the one settlement issue where both sides are coded, {NO_OVERLAP}.")
    assert widgets.summary_verdict(analysis.bargaining_table(no_nato, limits={("Ukraine", "territory"): 4})) == (
        f"On the one settlement issue where both sides are coded, the ranges overlap; there {MOVED_ON}.")


def test_red_line_bounds_run_from_each_sides_demand_to_the_far_end() -> None:
    row = pd.Series({"ukraine_best": 2, "top": 5, "russia_best": 4})
    assert widgets.red_line_bounds(row) == {"Ukraine": (2, 5), "Russia": (1, 4)}


def hint_row(ukraine_best: int, russia_best: int, top: int, ukraine_goal: bool = True,
             russia_goal: bool = True) -> pd.Series:
    """The columns of a bargaining-table row the hint reads."""
    return pd.Series({"ukraine_best": ukraine_best, "russia_best": russia_best, "top": top,
                      "ukraine_has_goal": ukraine_goal, "russia_has_goal": russia_goal})


@pytest.mark.parametrize("row, text", [
    (hint_row(1, 5, 5),
     "Ukraine's limit moves from its own demand (level 1) up to level 5. "
     "Russia's limit moves from its own demand (level 5) down to level 1. "
     "Neither can move past its side's own demand."),
    (hint_row(4, 1, 4),
     "Ukraine's limit cannot move from its own demand (level 4): that is already the far end. "
     "Russia's limit cannot move from its own demand (level 1): that is already the far end. "
     "Neither can move past its side's own demand."),
    (hint_row(2, 2, 3, russia_goal=False),
     "Ukraine's limit moves from its own demand (level 2) up to level 3. "
     "Russia's limit moves from level 2 (its red line; no goal is coded, so the red line is also its demand) "
     "down to level 1. Neither can move past its side's own demand."),
    (hint_row(3, 1, 3, ukraine_goal=False),
     "Ukraine's limit cannot move from level 3 (its red line; no goal is coded, so the red line is also its "
     "demand): that is already the far end. Russia's limit cannot move from its own demand (level 1): that is "
     "already the far end. Neither can move past its side's own demand."),
])
def test_the_hint_says_how_far_each_limit_moves(row, text) -> None:
    assert widgets.bounds_text(row) == text


def test_a_red_line_slider_and_its_bounds() -> None:
    slider = widgets._red_line_slider("Ukraine's red line")
    assert (slider.description, slider.min, slider.max, slider.value) == ("Ukraine's red line", 1, 1, 1)
    assert slider.continuous_update is False and slider.style.description_width == "initial"
    assert (slider.layout.width, slider.layout.max_width) == ("24em", "100%")
    widgets._set_slider(slider, 3, 5, 4)
    assert (slider.min, slider.max, slider.value) == (3, 5, 4)
    widgets._set_slider(slider, 1, 2, 2)                      # wholly below the old range
    assert (slider.min, slider.max, slider.value) == (1, 2, 2)
    widgets._set_slider(slider, 4, 4, 4)                      # wholly above
    assert (slider.min, slider.max, slider.value) == (4, 4, 4)


def what_if_parts(tool: widgets.LiveOnly) -> SimpleNamespace:
    issue, controls_box, hint, detail, summary = tool.widget.children
    ukraine, russia, reset = controls_box.children
    return SimpleNamespace(issue=issue, box=controls_box, ukraine=ukraine, russia=russia, reset=reset, hint=hint,
                           detail=detail, summary=summary)


TERRITORY_HINT = info("Ukraine&#x27;s limit moves from its own demand (level 1) up to level 5. "
                      "Russia&#x27;s limit moves from its own demand (level 5) down to level 1. "
                      "Neither can move past its side&#x27;s own demand.")
NATO_HINT = info("Ukraine&#x27;s limit moves from its own demand (level 1) up to level 4. "
                 "Russia&#x27;s limit moves from its own demand (level 4) down to level 1. "
                 "Neither can move past its side&#x27;s own demand.")


def test_what_if_starts_at_the_coded_red_lines_of_the_first_issue(data) -> None:
    tool = widgets.what_if_bargaining(data)
    parts = what_if_parts(tool)
    assert tool.static_html == LIVE + CODED_SUMMARY
    assert parts.issue.options == (("Territory", "territory"), ("NATO", "nato")) and parts.issue.value == "territory"
    assert parts.issue.description == "Issue:"
    assert (parts.issue.layout.width, parts.issue.layout.max_width) == ("max-content", "100%")
    assert (parts.ukraine.description, parts.russia.description) == ("Ukraine's limit", "Russia's limit")
    assert (parts.ukraine.min, parts.ukraine.max, parts.ukraine.value) == (1, 5, 3)
    assert (parts.russia.min, parts.russia.max, parts.russia.value) == (1, 5, 4)
    assert (parts.reset.description, parts.reset.icon) == ("Reset to the coded limits", "undo")
    assert (parts.reset.layout.width, parts.reset.layout.max_width) == ("max-content", "100%")
    assert parts.box.layout.flex_flow == "row wrap"
    assert parts.hint.value == TERRITORY_HINT
    assert parts.detail.value == TERRITORY_CHART + TERRITORY_VERDICT + TERRITORY_NOTES
    assert parts.summary.value == CODED_SUMMARY


def test_what_if_moving_ukraines_red_line_opens_a_zone(data) -> None:
    parts = what_if_parts(widgets.what_if_bargaining(data))
    parts.ukraine.value = 5
    page = parts.detail.value
    assert info(f"{SHOWN}: levels 4–5 (from Russia&#x27;s limit to Ukraine&#x27;s).") in page
    assert info(f"Ukraine: {MOVED_STATED.format(3)}; Russia: stated red line (basis: reported).") in page
    assert parts.summary.value == summary(f"{ONE_OF_TWO}, {NO_OVERLAP}; there {ASSUMED_ON}.", [
            ["Territory", "level 5: what-if; coded: stated (reported) at level 3",
             "level 4: stated (reported)", "zone at levels 4–5"],
            NATO_ROW])
    parts.ukraine.value = 3                                   # back at the coded red line: no what-if left
    assert parts.detail.value == TERRITORY_CHART + TERRITORY_VERDICT + TERRITORY_NOTES
    assert parts.summary.value == CODED_SUMMARY


def test_what_if_moving_russias_red_line(data) -> None:
    parts = what_if_parts(widgets.what_if_bargaining(data))
    parts.russia.value = 2
    page = parts.detail.value
    assert info(f"{SHOWN}: levels 2–3 (from Russia&#x27;s limit to Ukraine&#x27;s).") in page
    assert info(f"Ukraine: stated red line (basis: reported); Russia: {MOVED_STATED.format(4)}.") in page
    moved_territory = ["Territory", "level 3: stated (reported)",
                       "level 2: what-if; coded: stated (reported) at level 4", "zone at levels 2–3"]
    assert parts.summary.value == summary(f"{ONE_OF_TWO}, {NO_OVERLAP}; there {ASSUMED_ON}.", [moved_territory, NATO_ROW])
    parts.issue.value = "nato"
    parts.russia.value = 1
    parts.ukraine.value = 1                                   # unchanged: still the coded (assumed) limit
    assert parts.summary.value == summary(
        f"{BOTH}, the ranges overlap; on one of them {ASSUMED_ON}; on both of them {MOVED_ON}.", [
            moved_territory,
            ["NATO", "level 1: assumed (own words)",
             "level 1: what-if; coded: assumed (reported) at level 4", "zone at level 1"]])


def test_what_if_choosing_an_issue_sets_its_sliders_and_hint_and_remembers_moved_lines(data) -> None:
    parts = what_if_parts(widgets.what_if_bargaining(data))
    parts.russia.value = 2
    parts.issue.value = "nato"
    assert (parts.ukraine.min, parts.ukraine.max, parts.ukraine.value) == (1, 4, 1)
    assert (parts.russia.min, parts.russia.max, parts.russia.value) == (1, 4, 4)
    assert parts.hint.value == NATO_HINT
    assert parts.detail.value == NATO_VIEW
    assert ("<td>Territory</td><td>level 3: stated (reported)</td>"
            "<td>level 2: what-if; coded: stated (reported) at level 4</td><td>zone at levels 2–3</td>"
            ) in parts.summary.value
    parts.issue.value = "territory"
    assert (parts.ukraine.value, parts.russia.value) == (3, 2) and parts.hint.value == TERRITORY_HINT
    assert "levels 2–3" in html.unescape(parts.detail.value)


def test_what_if_leaves_other_watchers_of_a_slider_in_place(data) -> None:
    """A notebook may watch a red line too: choosing another issue must not drop its watcher."""
    parts = what_if_parts(widgets.what_if_bargaining(data))
    seen = []
    parts.ukraine.observe(lambda change: seen.append(change["new"]), "value")
    parts.issue.value = "nato"                                # Ukraine's slider: 3 → 1 (NATO's coded limit)
    parts.ukraine.value = 2
    assert seen[-1] == 2 and "Ukraine: limit set with the what-if tool" in parts.detail.value


def test_what_if_reset_puts_every_red_line_back(data) -> None:
    parts = what_if_parts(widgets.what_if_bargaining(data))
    parts.ukraine.value = 5
    parts.issue.value = "nato"
    parts.russia.value = 1
    parts.reset.click()
    assert (parts.issue.value, parts.ukraine.value, parts.russia.value) == ("nato", 1, 4)
    assert parts.detail.value == NATO_VIEW and parts.summary.value == CODED_SUMMARY
    assert parts.hint.value == NATO_HINT
    parts.issue.value = "territory"
    assert (parts.ukraine.value, parts.russia.value) == (3, 4)


def test_what_if_with_no_issue_coded_on_both_sides(data) -> None:
    no_russia = dataclasses.replace(data, positions=data.positions[data.positions["actor_id"] != "russia"])
    tool = widgets.what_if_bargaining(no_russia)
    assert isinstance(tool.widget, W.HTML)
    assert tool.widget.value == info("No settlement issue has both sides coded: nothing to move.")
    assert tool.static_html == LIVE + widgets.zone_summary(no_russia)
    assert tool.static_html.startswith(LIVE + info("No settlement issue has both sides coded."))


# --------------------------------------------------------------------------- reliability lab

LAB_ITEMS = ["2022-11-a-p01", "2022-11-a-p02", "2022-11-a-p03", "2025-02-b-p01", "2025-02-b-p03"]
LEGEND = info("Ordinal alpha counts a near miss (one step) as a smaller disagreement than a far one; plain "
              "Cohen&#x27;s kappa counts every miss alike. Both are 1 for perfect agreement, 0 for agreement at "
              "chance level, and negative below it; “—” where too few items have a level on both sides. "
              "“No level” against a level counts as a miss in “Same level”, and is left out of alpha.")
CAVEAT = info("Alpha and kappa need at least 5 items with a level on both sides to mean much: with fewer, one "
              "answer swings them widely. Read them as a rough sign where the last column says so.")
PER_ISSUE = ("Your coding against the book&#x27;s, per issue",
             ["Issue", "Items", "Same level", "Ordinal alpha", "Plain kappa", "Same stance", "Read with care"])
FEWER = "only {} items with a level on both sides (fewer than 5)"
ITEM_BY_ITEM = ("Item by item", ["Issue", "Whose position", "Your level", "Book&#x27;s level", "Same level?",
                                 "Your stance", "Book&#x27;s stance"])


def test_agreement_report_per_issue_and_item_by_item(data) -> None:
    """Territory: yours 1, 4, 2, 3 against the book's 1, 5, 2, 3: ordinal alpha 1 − 7·2/648 = 0.98 (the
    one miss is between the two rarest levels), kappa (3/4 − 3/16)/(1 − 3/16) = 0.69. NATO: no level
    against the book's 4, so nothing to compare."""
    page = widgets.agreement_report(data, LAB_ITEMS, [1, 4, 2, 3, widgets.NO_LEVEL],
                                    ["goal", "red-line", "", "red-line", "goal"])
    assert page == (
        book_table(*PER_ISSUE, [
            ["Territory", "4", "3 of 4", "0.98", "0.69", "2 of 4", FEWER.format(4)],
            ["NATO", "1", "0 of 1", "—", "—", "1 of 1", FEWER.format(0)]])
        + CAVEAT + LEGEND
        + book_table(*ITEM_BY_ITEM, [
            ["Territory", "Ukraine", "1 · All", "1 · All", "✔ same", "goal", "goal"],
            ["Territory", "Russia", "4 · Recognise", "5 · Four oblasts", "1 step apart", "red line", "goal"],
            ["Territory", "US official A", "2 · Pre-war", "2 · Pre-war", "✔ same", "—", "expectation"],
            ["Territory", "Ukraine", "3 · Freeze", "3 · Freeze", "✔ same", "red line", "red line"],
            ["NATO", "Russia", "no level", "4 · Renounce", "level against no level", "goal", "goal"]]))


def test_agreement_report_of_a_perfect_two_level_coding(data) -> None:
    """NATO: Ukraine 1 and European allies 2, both matched: alpha and kappa 1.00; no stances given."""
    page = widgets.agreement_report(data, ["2022-11-a-p04", "2025-02-b-p07"], [1, 2])
    assert page.startswith(book_table(*PER_ISSUE, [
        ["NATO", "2", "2 of 2", "1.00", "1.00", "0 of 2", FEWER.format(2)]]))
    assert ("<td>NATO</td><td>European allies</td><td>2 · Path</td><td>2 · Path</td><td>✔ same</td>"
            "<td>—</td><td>goal</td>") in page


def test_agreement_report_of_a_binary_miss(data) -> None:
    """Four territory items at levels 1 and 2 only, one missed by a step.

    The book's 1 (Ukraine), 2 (US official A, 2022), 2 (European allies), 2 (US official A, 2025)
    coded 1, 1, 2, 2: coincidences 1–1 ×2, 2–2 ×4, 1–2 ×2 (n₁ = 3, n₂ = 5), so alpha is
    1 − 7·2/(2·3·5) = 0.53; kappa is (3/4 − (2/4·1/4 + 2/4·3/4))/(1 − 1/2) = 0.50.
    """
    page = widgets.agreement_report(data, ["2022-11-a-p01", "2022-11-a-p03", "2025-02-b-p06", "2025-02-b-p05"],
                                    [1, 1, 2, 2], ["goal", "goal", "goal", "goal"])
    assert page.startswith(book_table(*PER_ISSUE, [
        ["Territory", "4", "3 of 4", "0.53", "0.50", "3 of 4", FEWER.format(4)]]))


def test_agreement_report_with_enough_items_has_no_caveat(data) -> None:
    territory = ["2022-11-a-p01", "2022-11-a-p02", "2022-11-a-p03", "2025-02-b-p01", "2025-02-b-p02"]
    page = widgets.agreement_report(data, territory, [1, 5, 2, 3, 4], ["goal", "goal", "expectation", "red-line",
                                                                       "red-line"])
    assert page.startswith(book_table(*PER_ISSUE, [
        ["Territory", "5", "5 of 5", "1.00", "1.00", "5 of 5", ""]]) + LEGEND)


def test_agreement_report_leaves_out_unanswered_items_and_odd_stances(data) -> None:
    page = widgets.agreement_report(data, LAB_ITEMS, [0, 0, 2, 0, 0], ["goal", "goal", "maybe", "", ""])
    assert "<td>Territory</td><td>1</td><td>1 of 1</td>" in page
    assert "<td>Territory</td><td>US official A</td><td>2 · Pre-war</td><td>2 · Pre-war</td><td>✔ same</td>" \
           "<td>—</td><td>expectation</td>" in page
    assert "only 1 item with a level on both sides (fewer than 5)" in page
    assert widgets.agreement_report(data, LAB_ITEMS, [0] * 5) == info(
        "Choose a level (or “no level”) for at least one quote first.")


def test_agreement_report_reads_an_item_the_book_codes_with_no_level(data) -> None:
    page = widgets.agreement_report(data, ["2025-02-b-p08"], [widgets.NO_LEVEL], ["expectation"])
    assert "<td>NATO</td><td>1</td><td>1 of 1</td><td>—</td><td>—</td><td>1 of 1</td>" in page
    assert ("<td>NATO</td><td>US official B (in the words of US official A)</td><td>no level</td><td>no level</td>"
            "<td>✔ same</td><td>expectation</td><td>expectation</td>") in page


@pytest.mark.parametrize("paired, text", [
    (0, "only 0 items with a level on both sides (fewer than 5)"),
    (1, "only 1 item with a level on both sides (fewer than 5)"),
    (4, "only 4 items with a level on both sides (fewer than 5)"),
    (5, ""), (6, ""),
])
def test_the_too_few_caveat(paired, text) -> None:
    assert widgets._too_few(paired) == text


@pytest.mark.parametrize("yours, book, text", [
    (pd.NA, pd.NA, "✔ same"), (pd.NA, 3, "level against no level"), (3, pd.NA, "level against no level"),
    (2, 2, "✔ same"), (1, 3, "2 steps apart"), (3, 1, "2 steps apart"), (4, 5, "1 step apart"),
])
def test_the_lab_verdict(yours, book, text) -> None:
    assert widgets._lab_verdict(yours, book) == text


@pytest.mark.parametrize("level, text", [
    (None, "no level"), (pd.NA, "no level"), (float("nan"), "no level"), (widgets.NO_LEVEL, "no level"),
    (3, "3 · Freeze"), (1, "1 · All"),
])
def test_the_lab_level_text(data, level, text) -> None:
    assert widgets._lab_level_text(data, "territory", level) == text


def test_the_lab_level_choices(data) -> None:
    assert widgets._level_options(data, "nato") == [
        ("— choose a level —", 0), ("1 · Join", 1), ("2 · Path", 2), ("3 · Off table", 3), ("4 · Renounce", 4),
        ("no level (the words fit two levels)", -1)]


def test_the_lab_names_whose_words_a_quote_is(data) -> None:
    names = data.actors.set_index("actor_id")["name"]
    assert widgets._whose(pd.Series({"name": "Ukraine", "speaker_id": "ukraine"}), names) == "Ukraine"
    assert widgets._whose(pd.Series({"name": "US official B", "speaker_id": "us-a"}), names) == \
        "US official B (in the words of US official A)"


def test_fit_is_as_wide_as_the_text() -> None:
    plain, wide = widgets._fit(), widgets._fit("11em")
    assert (plain.width, plain.max_width, plain.min_width) == ("max-content", "100%", None)
    assert (wide.width, wide.max_width, wide.min_width) == ("max-content", "100%", "11em")


def lab_parts(tool: widgets.LiveOnly) -> SimpleNamespace:
    children = list(tool.widget.children)
    boxes = [c for c in children if isinstance(c, W.HBox)]
    return SimpleNamespace(children=children, boxes=boxes, levels=[b.children[0] for b in boxes],
                           stances=[b.children[1] for b in boxes], button=children[-2], result=children[-1],
                           texts=[c for c in children[:-2] if isinstance(c, W.HTML)])


def test_code_it_yourself_lays_out_one_quote_and_two_choosers_per_item(data) -> None:
    tool = widgets.code_it_yourself(data, ["2022-11-a-p01", "2025-02-b-p08"])
    parts = lab_parts(tool)
    assert len(parts.children) == 6 and tool.widget.layout.width == "100%"
    assert [t.value for t in parts.texts] == [
        "<p>Territory · <strong>Ukraine</strong>: “All of it back.”</p>",
        "<p>NATO · <strong>US official B (in the words of US official A)</strong>: "
        "“A freeze is realistic; pre-war lines would be best.”</p>"]
    assert all(t.layout.width == "100%" for t in parts.texts)
    assert all((b.layout.flex_flow, b.layout.grid_gap) == ("row wrap", "0 1.5em") for b in parts.boxes)
    first, second = parts.levels
    assert first.options[:2] == (("— choose a level —", 0), ("1 · All", 1)) and first.value == 0
    assert second.options == tuple(widgets._level_options(data, "nato"))
    assert (first.description, first.tooltip) == ("Level:", "Level on “Territory”")
    assert second.tooltip == "Level on “NATO”"
    assert first.style.description_width == "initial" and first.layout.min_width is None
    for stance in parts.stances:
        assert stance.options == (("— stance —", ""), ("goal", "goal"), ("red line", "red-line"),
                                  ("expectation", "expectation"))
        assert (stance.value, stance.description, stance.style.description_width) == ("", "Stance:", "initial")
        assert (stance.layout.width, stance.layout.min_width) == ("max-content", "11em")
    assert (parts.button.description, parts.button.button_style) == ("Compare with the book", "primary")
    assert parts.button.layout.width == "max-content" and parts.result.layout.width == "100%"
    assert parts.result.value == ""


def test_code_it_yourself_static_page_lists_the_quotes(data) -> None:
    tool = widgets.code_it_yourself(data, ["2022-11-a-p01", "2025-02-b-p08", "2025-02-b-p07"])
    assert tool.static_html == (
        LIVE
        + info("3 quotes on 2 issues to code: for each, choose a level of the issue&#x27;s scale (or “no level”) "
               "and a stance; the notebook then compares your coding with the book&#x27;s, issue by issue.")
        + "<ol class='book-coding-items'><li><strong>Territory</strong> — Ukraine: “All of it back.”</li>"
        "<li><strong>NATO</strong> — US official B (in the words of US official A): "
        "“A freeze is realistic; pre-war lines would be best.”</li>"
        "<li><strong>NATO</strong> — European allies: “Pre-war lines and an open door.”</li></ol>")


def test_code_it_yourself_compares_the_answers_given_and_clears_when_they_change(data) -> None:
    parts = lab_parts(widgets.code_it_yourself(data, LAB_ITEMS))
    parts.levels[0].value = 2                                  # no comparison yet: nothing to clear
    assert parts.result.value == ""
    for chooser, level in zip(parts.levels, (1, 4, 2, 3, widgets.NO_LEVEL)):
        chooser.value = level
    for chooser, stance in zip(parts.stances, ("goal", "red-line", "", "red-line", "goal")):
        chooser.value = stance
    assert parts.result.value == ""
    parts.button.click()
    assert parts.result.value == widgets.agreement_report(
        data, LAB_ITEMS, [1, 4, 2, 3, widgets.NO_LEVEL], ["goal", "red-line", "", "red-line", "goal"])
    assert "<td>Territory</td><td>4</td><td>3 of 4</td><td>0.98</td><td>0.69</td><td>2 of 4</td>" in parts.result.value
    stale = info("Your answers have changed: press “Compare with the book” again for a new comparison.")
    parts.stances[2].value = "expectation"
    assert parts.result.value == stale
    parts.button.click()
    assert "<td>Territory</td><td>4</td><td>3 of 4</td><td>0.98</td><td>0.69</td><td>3 of 4</td>" in parts.result.value
    parts.levels[4].value = 4
    assert parts.result.value == stale
    parts.button.click()
    parts.levels[0].disabled = True                            # not an answer: the comparison stands
    parts.stances[0].tooltip = "Your stance"
    assert "<td>NATO</td><td>1</td><td>1 of 1</td>" in parts.result.value and "Item by item" in parts.result.value
