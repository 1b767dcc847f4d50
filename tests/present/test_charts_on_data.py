"""Every chart on the real founding report and on the demo district, with missing glyphs as errors."""

from __future__ import annotations

import io
import warnings

import matplotlib
import pytest
from matplotlib.patches import Rectangle

from lawnb.analyse.district_tables import district
from lawnb.analyse.promises import targets
from lawnb.analyse.series import trends
from lawnb.present import charts, views
from lawnb.store.loading import load_dataset


def _render(fig) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # "Glyph … missing from font" is a UserWarning
        fig.savefig(io.BytesIO(), format="png")


def _bar_lengths(fig) -> set[float]:
    lengths = set()
    for ax in fig.axes:
        for patch in ax.patches:
            if isinstance(patch, Rectangle):
                lengths.add(round(abs(patch.get_width()), 6))
                lengths.add(round(abs(patch.get_height()), 6))
    return lengths


def _tick_texts(fig) -> str:
    return " ".join(
        t.get_text() for ax in fig.axes for t in ax.get_yticklabels() + ax.get_xticklabels()
    )


@pytest.fixture(scope="module", params=["bundled", "system"])
def font(request):
    return charts.setup(prefer_system=request.param == "system")


@pytest.fixture(scope="module")
def demo():
    return load_dataset("demo")


@pytest.mark.slow
def test_founding_report_charts(font):
    view = views.annual_view(load_dataset(), "齐村镇", 2020)
    fig = charts.by_dimension(view.facts, source=view.source)
    _render(fig)
    counts = view.facts["dimension"].value_counts()
    assert {float(n) for n in counts[counts > 0]} <= _bar_lengths(fig)
    for title, rows in views.chart_groups(view.facts):
        fig = charts.indicator_bars(rows, title=title, source=view.source)
        _render(fig)
        assert {float(v) for v in rows["value"]} <= _bar_lengths(fig)
    [whole] = views.compositions(view.facts)
    fig = charts.composition(view.facts, of=whole, source=view.source)
    _render(fig)
    assert {4.0, 19.0, 18.0, 25.0} <= _bar_lengths(fig)  # 本科 大专 中专 and the derived remainder


@pytest.mark.slow
def test_demo_district_charts(font, demo):
    view = views.annual_view(demo, "东湖镇", 2022)
    changes = views.comparison(demo, view)
    fig = views.comparison_figure(changes, view)
    _render(fig)
    assert {float(v) for v in changes.changes["current"]} <= _bar_lengths(fig)
    kept = views.promises(demo, view)
    fig = views.promises_figure(kept, view)
    _render(fig)
    assert {float(v) for v in kept.chart["target"]} <= _bar_lengths(fig)
    trend = trends(demo, "东湖镇")
    fig = charts.trend(trend.head(12), source=view.source)
    _render(fig)
    drawn = {
        float(y) for ax in fig.axes for line in ax.get_lines() for y in line.get_ydata() if y == y
    }
    assert {float(v) for v in trend.head(12)["value"].dropna()} <= drawn
    tables = district(demo, 2022)
    fig = charts.coverage_heatmap(tables["coverage"], source=view.source)
    _render(fig)
    assert "东湖镇" in _tick_texts(fig)
    fig = charts.parts_present(tables["parts"], source=view.source)
    _render(fig)
    assert "西山镇" in _tick_texts(fig)


def test_the_font_in_use_has_every_glyph_of_the_data(font, demo):
    from matplotlib.font_manager import findfont, get_font

    path = findfont(matplotlib.font_manager.FontProperties(family=font))
    cmap = get_font(path).get_charmap()
    text = "".join(demo.facts["subject"].dropna()) + "".join(demo.sections["title"].dropna())
    missing = {ch for ch in text if ord(ch) not in cmap and not ch.isspace()}
    assert not missing, missing


def test_a_table_with_wrong_columns_is_an_error_not_an_empty_chart():
    import pandas as pd

    from lawnb.errors import LawnbError

    with pytest.raises(LawnbError, match="缺少列：label"):
        charts.trend(
            pd.DataFrame({"year": [2021], "indicator": ["x"], "value": [1.0], "measure": ["次"]})
        )


@pytest.mark.parametrize(
    ("dataset", "unit", "year"), [("sample", "齐村镇", 2020), ("demo", "西山镇", 2023)]
)
@pytest.mark.slow
def test_every_chart_function_on_both_bundled_datasets(font, dataset, unit, year):
    data = load_dataset(dataset)
    view = views.annual_view(data, unit, year)
    tables = district(data, year)
    changes = views.comparison(data, view).changes
    kept = targets(data, unit, year).rename(columns={"target_qualifier": "qualifier"})
    figures = [
        charts.by_dimension(view.facts, source=view.source),
        charts.indicator_bars(view.facts.head(6), title="数据", source=view.source),
        charts.trend(trends(data, unit), source=view.source),
        charts.year_on_year(changes, source=view.source),
        charts.targets_vs_results(kept, source=view.source),
        charts.coverage_heatmap(tables["coverage"], source=view.source),
        charts.parts_present(tables["parts"], source=view.source),
        *(
            charts.composition(view.facts, of=w, source=view.source)
            for w in views.compositions(view.facts)
        ),
    ]
    for fig in figures:
        _render(fig)
    bars = _bar_lengths(figures[1])
    assert {float(v) for v in view.facts.head(6)["value"]} <= bars
