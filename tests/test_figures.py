"""Figures: titled, labelled, described by an alt text, and byte-identical when redrawn."""

from __future__ import annotations

from pathlib import Path

import pytest

from utils import analysis, figures, load_data

FIXTURE = Path(__file__).parent / "fixtures" / "analysis"


@pytest.fixture(scope="module")
def data():
    return load_data(FIXTURE)


DRAWINGS = {
    "heatmap": lambda d: figures.position_heatmap(d, analysis.position_matrix(d), "Latest positions"),
    "timeline": lambda d: figures.position_timeline_chart(d, "territory"),
    "range": lambda d: figures.bargaining_range_chart(d, "territory"),
    "voices": lambda d: figures.voices_chart(d),
}


@pytest.mark.parametrize("name", sorted(DRAWINGS))
def test_chart_is_accessible_svg(data, name) -> None:
    chart = DRAWINGS[name](data)
    assert chart.svg.startswith("<svg") and "<?xml" not in chart.svg
    assert 'aria-hidden="true"' in chart.svg
    assert len(chart.alt) > 40
    html = chart._repr_html_()
    assert html.startswith('<figure class="book-chart" role="img" aria-label="')


@pytest.mark.parametrize("name", sorted(DRAWINGS))
def test_chart_is_deterministic(data, name) -> None:
    first, second = DRAWINGS[name](data), DRAWINGS[name](data)
    assert first.svg == second.svg
    assert "<dc:date>" not in first.svg


def test_chart_text_is_kept_as_text_with_titles_and_axis_labels(data) -> None:
    svg = DRAWINGS["timeline"](data).svg
    assert "Territory: coded positions across the sources" in svg
    assert "Level on the scale" in svg and "Source (year-month)" in svg


def test_range_chart_states_the_verdict(data) -> None:
    chart = DRAWINGS["range"](data)
    assert "limits one scale step apart" in chart.alt
    assert "Ukraine asks 1, red line at 3" in chart.alt
    assert "Russia asks 5, red line at 4" in chart.alt


def test_alt_text_is_escaped(data) -> None:
    chart = figures.Chart(svg="<svg></svg>", alt='a "quoted" <b>alt</b>')
    assert 'aria-label="a &quot;quoted&quot; &lt;b&gt;alt&lt;/b&gt;"' in chart.html()


def test_svg_coordinates_are_shortened_and_only_they() -> None:
    from utils.figures import shorter_numbers

    assert shorter_numbers('<path d="M 12.345678 0.5 L 3.14159 100"/>') == '<path d="M 12.34 0.5 L 3.14 100"/>'
    assert shorter_numbers("<text>41%</text><text>2.5</text>") == "<text>41%</text><text>2.5</text>"


def test_a_few_sources_are_named_on_the_axis_and_many_by_year(data) -> None:
    from utils.figures import NAMED_SOURCES, source_axis

    ids = list(data.sources.sort_values("published")["source_id"])
    ticks, labels = source_axis(data, ids)
    assert ticks == list(range(len(ids))) and labels[0] == "Outlet A\nNov 2022"
    many = (ids * NAMED_SOURCES)[: NAMED_SOURCES + 1]  # more sources than can be named
    ticks, labels = source_axis(data, sorted(many, key=ids.index))
    assert labels == ["2022", "2025"] and ticks[0] == 0
