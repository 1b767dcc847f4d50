"""Charts: fonts (system and bundled), house style, and the data each chart draws.

Every figure is rendered with warnings turned into errors, so a glyph missing from the font
("Glyph ... missing from font(s)") fails the test. All units and figures are fictional.
"""

from __future__ import annotations

import io
import math
import os
import subprocess
import sys
import time
import warnings

import matplotlib as mpl
import numpy as np
import pandas as pd
import pytest
from factories import fact
from matplotlib import font_manager as fm
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from matplotlib.text import Text

from lawnb.bundled import bundled_path
from lawnb.present import charts
from lawnb.present.charts import fonts, style
from lawnb.schema import DIMENSIONS, FACT_COLUMNS, PARTS

SAMPLE = bundled_path("sample") / "facts.csv"
SOURCE = charts.source_line("青石镇", 2023, demo=True)
BUNDLED_NAME = charts.BUNDLED_FONT[1]


# --------------------------------------------------------------------------- helpers


def render(fig: Figure) -> Figure:
    """Draw the figure to PNG; any warning (a missing glyph above all) is an error."""
    assert isinstance(fig, Figure)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig.savefig(io.BytesIO(), format="png", dpi=72)
    return fig


def texts(fig: Figure) -> list[str]:
    """Every visible, non-empty text in the figure, line breaks removed."""
    out = []
    for t in fig.findobj(Text):
        if t.get_visible() and t.get_text():
            out.append(t.get_text().replace("\n", ""))
    return out


def ticks(ax) -> list[str]:
    return [t.get_text().replace("\n", "") for t in ax.get_yticklabels()]


def bars(ax) -> list[Rectangle]:
    return [p for p in ax.patches if isinstance(p, Rectangle)]


@pytest.fixture
def facts() -> pd.DataFrame:
    rows = [
        fact("检查企业", 412, "家次"),
        fact("排查隐患", 1250, "条"),
        fact("下达整改通知书", 230, "份"),
        fact("培训法律明白人", 600, "名", "approx", dimension="society"),
        fact("应急演练", 20, "次", "approx", dimension="emergencies"),
        fact("调解矛盾纠纷", 86, "件", dimension="disputes"),
        fact("执法队伍", 40, "人", kind="status", dimension="enforcement"),
        fact("本科", 12, "人", kind="composition", dimension="enforcement", of="执法队伍"),
        fact("大专", 18, "人", kind="composition", dimension="enforcement", of="执法队伍"),
        fact(
            "高中及以下",
            10,
            "人",
            kind="composition",
            dimension="enforcement",
            of="执法队伍",
            origin="derived",
        ),
        fact("开展法治教育", 8, "次", "at_least", kind="target", dimension="society"),
        fact("未分类的一项", 3, "件", dimension=None),
    ]
    return pd.DataFrame(rows)


@pytest.fixture
def trend_table() -> pd.DataFrame:
    rows = [
        (2020, "检查企业", 300, "家次"),
        (2021, "检查企业", 356, "家次"),
        (2023, "检查企业", 412, "家次"),
        (2023, "调解矛盾纠纷", 86, "件"),
    ]
    return pd.DataFrame(rows, columns=["year", "label", "value", "measure"])


@pytest.fixture
def yoy_table() -> pd.DataFrame:
    rows = [
        ("检查企业", 356, 412, "家次"),
        ("下达整改通知书", None, 230, "份"),
        ("调解矛盾纠纷", 70, np.nan, "份"),
    ]
    return pd.DataFrame(rows, columns=["label", "previous", "current", "measure"])


@pytest.fixture
def targets_table() -> pd.DataFrame:
    rows = [
        ("开展法治教育", 8, "at_least", 11, "已完成", "次"),
        ("调解员培训", 4, "exact", 3, "未完成", "次"),
        ("中心组学法", 12, "exact", None, "无可比数据", "次"),
    ]
    cols = ["label", "target", "qualifier", "result", "status", "measure"]
    return pd.DataFrame(rows, columns=cols)


UNITS = ["青石镇", "柳岸街道", "云溪乡"]


@pytest.fixture
def coverage_table() -> pd.DataFrame:
    data = {
        "functions": [4, 0, np.nan],
        "enforcement": [2, 5, np.nan],
        "society": [0, 1, np.nan],
    }
    return pd.DataFrame(data, index=UNITS)


@pytest.fixture
def parts_table() -> pd.DataFrame:
    data = {code: [True, True, None] for code in PARTS}
    data["shortcomings"] = [True, False, None]
    return pd.DataFrame(data, index=UNITS)


def every_chart(facts, trend_table, yoy_table, targets_table, coverage_table, parts_table):
    return {
        "by_dimension": charts.by_dimension(facts, source=SOURCE),
        "indicator_bars": charts.indicator_bars(facts, title="全部指标", source=SOURCE),
        "composition": charts.composition(facts, of="执法队伍", source=SOURCE),
        "trend": charts.trend(trend_table, source=SOURCE),
        "year_on_year": charts.year_on_year(yoy_table, source=SOURCE),
        "targets_vs_results": charts.targets_vs_results(targets_table, source=SOURCE),
        "coverage_heatmap": charts.coverage_heatmap(coverage_table, source=SOURCE),
        "parts_present": charts.parts_present(parts_table, source=SOURCE),
    }


@pytest.fixture
def all_figures(facts, trend_table, yoy_table, targets_table, coverage_table, parts_table):
    return every_chart(facts, trend_table, yoy_table, targets_table, coverage_table, parts_table)


@pytest.fixture(autouse=True)
def _restore_fonts():
    """Each test starts from matplotlib's own rcParams and leaves no font choice behind."""
    with mpl.rc_context():
        yield
    fonts._font.clear()
    fm.fontManager._findfont_cached.cache_clear()


def resolved(family: str) -> str:
    return str(fm.fontManager.findfont(fm.FontProperties(family=family)))


def system_cjk_available() -> bool:
    names = {f.name for f in fm.fontManager.ttflist if BUNDLED_NAME not in f.fname}
    return any(name in names for name in charts.SYSTEM_FONTS)


# --------------------------------------------------------------------------- fonts


@pytest.mark.skipif(not system_cjk_available(), reason="no system CJK font installed")
@pytest.mark.slow
def test_default_setup_uses_the_system_font_and_renders_every_chart(all_figures):
    family = charts.setup()
    assert family in charts.SYSTEM_FONTS
    assert mpl.rcParams["font.sans-serif"][0] == family
    assert mpl.rcParams["axes.unicode_minus"] is False
    assert BUNDLED_NAME not in resolved(family)
    for fig in all_figures.values():
        render(fig)


@pytest.mark.slow
def test_bundled_font_wins_over_a_system_font_of_the_same_name(
    facts, trend_table, yoy_table, targets_table, coverage_table, parts_table
):
    family = charts.setup(prefer_system=False)
    path = resolved(family)
    assert path.endswith(BUNDLED_NAME)
    assert charts.BUNDLED_FONT[0] in path
    figures = every_chart(facts, trend_table, yoy_table, targets_table, coverage_table, parts_table)
    for fig in figures.values():
        render(fig)
    assert resolved(mpl.rcParams["font.sans-serif"][0]).endswith(BUNDLED_NAME)


@pytest.mark.slow
def test_bundled_font_is_the_fallback_when_the_system_has_no_cjk_font(
    monkeypatch, facts, trend_table, yoy_table, targets_table, coverage_table, parts_table
):
    kept = [
        f
        for f in fm.fontManager.ttflist
        if not any(
            k in f.name for k in ("CJK", "Han", "WenQuanYi", "YaHei", "PingFang", "Noto Sans SC")
        )
    ]
    monkeypatch.setattr(fm.fontManager, "ttflist", kept)
    fm.fontManager._findfont_cached.cache_clear()
    fonts._font.clear()
    family = charts.setup(prefer_system=True)
    assert resolved(family).endswith(BUNDLED_NAME)
    figures = every_chart(facts, trend_table, yoy_table, targets_table, coverage_table, parts_table)
    for fig in figures.values():
        render(fig)


def test_a_missing_glyph_does_fail_the_render(monkeypatch):
    """The warnings-as-errors net catches what it is meant to: Chinese in a Latin font."""
    monkeypatch.setattr(fm.fontManager, "ttflist", list(fm.fontManager.ttflist))
    fig = Figure()
    fig.text(0.5, 0.5, "青石镇", family="DejaVu Sans")
    with pytest.raises(UserWarning, match="missing from font"):
        render(fig)


def test_setup_never_uses_simhei():
    charts.setup(prefer_system=False)
    assert "SimHei" not in mpl.rcParams["font.sans-serif"]
    assert not any("SimHei" in f.fname for f in fm.fontManager.ttflist[:3])
    assert "SimHei" not in charts.BUNDLED_FONT[1]


def test_setup_is_idempotent_and_cheap():
    first = charts.setup()
    n_fonts = len(fm.fontManager.ttflist)
    start = time.perf_counter()
    for _ in range(2000):
        assert charts.setup() == first
    assert time.perf_counter() - start < 1.0
    assert len(fm.fontManager.ttflist) == n_fonts  # nothing registered twice
    charts.setup(prefer_system=False)
    n_fonts = len(fm.fontManager.ttflist)
    charts.setup(prefer_system=False)
    assert len(fm.fontManager.ttflist) == n_fonts


def test_chart_functions_set_up_fonts_lazily(facts):
    fonts._font.clear()
    mpl.rcParams["font.sans-serif"] = ["DejaVu Sans"]
    render(charts.by_dimension(facts))
    assert fonts._font["family"] == mpl.rcParams["font.sans-serif"][0]


@pytest.mark.slow
def test_import_is_light_and_no_pyplot_state_leaks():
    code = (
        "import sys, io, pandas as pd\n"
        "import lawnb.present.charts as c\n"
        "assert 'matplotlib' not in sys.modules, 'importing lawnb.present.charts imported matplotlib'\n"
        "t = pd.DataFrame({'label': ['甲'], 'previous': [1.0], 'current': [2.0],"
        " 'measure': ['次']})\n"
        "c.year_on_year(t).savefig(io.BytesIO(), format='png')\n"
        "assert 'matplotlib.pyplot' not in sys.modules, 'pyplot was imported'\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "MPLBACKEND"}
    subprocess.run([sys.executable, "-c", code], check=True, env=env)


def test_figures_display_inline_in_ipython_without_pyplot(facts):
    """Jupyter shows a returned chart as an image, not as ``<Figure size ...>`` text."""
    import IPython
    from IPython.core.interactiveshell import InteractiveShell
    from traitlets.config import Config

    config = Config()
    # No history file: the shell's exit hook would write to ~/.ipython, which a notebook
    # running beside the tests may hold (``attempt to write a readonly database``).
    config.HistoryManager.hist_file = ":memory:"
    shell = InteractiveShell.instance(config=config)
    try:
        assert IPython.get_ipython() is shell
        fig = charts.by_dimension(facts)
        data, metadata = shell.display_formatter.format(fig)
        assert data["image/png"][:8] == b"\x89PNG\r\n\x1a\n"
        assert metadata["image/png"]["width"] > 300
    finally:
        InteractiveShell.clear_instance()


# --------------------------------------------------------------------------- house style


def test_house_style_size_fonts_and_source(all_figures):
    charts.setup()
    for name, fig in all_figures.items():
        render(fig)
        width_cm = fig.get_figwidth() * 2.54
        assert math.isclose(width_cm, 16.0, abs_tol=0.01), name
        assert fig.get_figheight() * 2.54 >= 5.0, name  # grids of few units are shorter
        for t in fig.findobj(Text):
            if t.get_visible() and t.get_text():
                assert t.get_fontsize() >= 9, (name, t.get_text(), t.get_fontsize())
        assert any(t.endswith(SOURCE) for t in texts(fig)), name


def test_source_line():
    assert charts.source_line("青石镇", 2023) == "数据来源：青石镇2023年度法治政府建设情况报告"
    assert charts.source_line("青石镇", 2023, demo=True) == (
        "数据来源：青石镇2023年度法治政府建设情况报告（虚构示例数据）"
    )


def test_measure_on_every_value_axis(facts):
    fig = render(charts.indicator_bars(facts, title="全部指标"))
    measures = list(dict.fromkeys(facts["measure"]))
    assert len(fig.axes) == len(measures)  # one panel per measure, never two on one axis
    for ax, m in zip(fig.axes, measures, strict=True):
        assert f"（{m}）" in ax.get_xlabel()
    assert any("计量单位不同" in t for t in texts(fig))


def test_long_labels_wrap():
    long = "规范性文件合法性审核和备案审查工作覆盖率"
    table = pd.DataFrame([fact(long, 90, "%")])
    fig = render(charts.indicator_bars(table, title="长标签"))
    (label,) = fig.axes[0].get_yticklabels()
    lines = label.get_text().split("\n")
    assert len(lines) >= 2
    assert all(len(line) <= style.WRAP for line in lines)
    assert "".join(lines) == long


EMPTY_CALLS = {
    "by_dimension": lambda: charts.by_dimension(pd.DataFrame(columns=list(FACT_COLUMNS))),
    "indicator_bars": lambda: charts.indicator_bars(
        pd.DataFrame(columns=list(FACT_COLUMNS)), title="空"
    ),
    "composition": lambda: charts.composition(pd.DataFrame(columns=list(FACT_COLUMNS)), of="队伍"),
    "composition_no_parts": lambda: charts.composition(
        pd.DataFrame([fact("甲", 1, "件")]), of="乙"
    ),
    "trend": lambda: charts.trend(pd.DataFrame(columns=["year", "label", "value"])),
    "year_on_year": lambda: charts.year_on_year(pd.DataFrame()),
    "targets_vs_results": lambda: charts.targets_vs_results(pd.DataFrame()),
    "coverage_heatmap": lambda: charts.coverage_heatmap(pd.DataFrame()),
    "parts_present": lambda: charts.parts_present(pd.DataFrame(index=["青石镇"])),
}


@pytest.mark.parametrize("name", list(EMPTY_CALLS))
def test_empty_input_gives_a_no_data_figure(name):
    fig = render(EMPTY_CALLS[name]())
    notes = [t for t in fig.axes[0].texts if t.get_text() == "无数据"]
    assert len(notes) == 1
    assert notes[0].get_position() == (0.5, 0.5)
    assert notes[0].get_ha() == "center"


# --------------------------------------------------------------------------- data drawn


def test_by_dimension_draws_the_counts(facts):
    fig = render(charts.by_dimension(facts, source=SOURCE))
    ax = fig.axes[0]
    labels = ticks(ax)
    assert labels == [*DIMENSIONS.values(), "未归类"]
    counts = facts["dimension"].value_counts()
    expected = [int(counts.get(code, 0)) for code in DIMENSIONS] + [1]
    drawn = {round(b.get_y() + b.get_height() / 2): b.get_width() for b in bars(ax)}
    for y, n in enumerate(expected):
        if n:
            assert drawn[y] == n, labels[y]
        else:
            assert y not in drawn, f"{labels[y]} drawn as a bar"
    no_data = [t for t in ax.texts if t.get_text() == "无数据"]
    assert len(no_data) == sum(1 for n in expected if n == 0)
    assert "青石镇2023年度" in fig.get_suptitle()


def test_indicator_bars_values_and_qualifiers(facts):
    fig = render(charts.indicator_bars(facts, title="全部指标", source=SOURCE))
    for ax, (measure, group) in zip(fig.axes, facts.groupby("measure", sort=False), strict=True):
        assert ticks(ax) == [
            s + ("（推算）" if o == "derived" else "")
            for s, o in zip(group["subject"], group["origin"], strict=True)
        ], measure
        assert [b.get_width() for b in bars(ax)] == group["value"].tolist()
    drawn = texts(fig)
    assert "约600" in drawn and "约20" in drawn and "≥8" in drawn and "412" in drawn
    derived = [b for ax in fig.axes for b in bars(ax) if b.get_hatch() == style.DERIVED_HATCH]
    assert [b.get_width() for b in derived] == [10.0]
    assert any("推算" in t for t in drawn)


def test_composition_parts_and_shares(facts):
    fig = render(charts.composition(facts, of="执法队伍", source=SOURCE))
    ax = fig.axes[0]
    assert ticks(ax) == ["本科", "大专", "高中及以下（推算）"]
    assert [b.get_width() for b in bars(ax)] == [12.0, 18.0, 10.0]
    assert bars(ax)[2].get_hatch() == style.DERIVED_HATCH
    assert bars(ax)[0].get_hatch() in (None, "")
    labels = [t.get_text() for t in ax.texts]
    assert labels == ["12人（30%）", "18人（45%）", "10人（25%）"]
    assert "共40人" in fig.get_suptitle()
    assert any(t.startswith("推算：高中及以下") for t in texts(fig))


def test_composition_without_a_stated_whole_and_with_a_gap():
    parts = pd.DataFrame(
        [
            fact("本科", 3, "人", kind="composition", of="队伍"),
            fact("大专", 1, "人", kind="composition", of="队伍"),
        ]
    )
    fig = render(charts.composition(parts, of="队伍"))
    assert [t.get_text() for t in fig.axes[0].texts] == ["3人（75%）", "1人（25%）"]
    assert any("未给出队伍总数" in t for t in texts(fig))
    with_whole = pd.concat([parts, pd.DataFrame([fact("队伍", 8, "人", kind="status")])])
    fig = render(charts.composition(with_whole, of="队伍"))
    assert [t.get_text() for t in fig.axes[0].texts] == ["3人（38%）", "1人（13%）"]
    assert any("各部分合计4人，少于总数8人" in t for t in texts(fig))


def test_trend_gaps_not_zeros(trend_table):
    fig = render(charts.trend(trend_table, source=SOURCE))
    assert len(fig.axes) == 2  # 家次 and 件 apart
    (line,) = fig.axes[0].get_lines()
    assert list(line.get_xdata()) == [2020, 2021, 2022, 2023]
    y = np.asarray(line.get_ydata(), dtype=float)
    assert y[0] == 300 and y[1] == 356 and y[3] == 412
    assert math.isnan(y[2])  # 2022 missing: a gap
    (single,) = fig.axes[1].get_lines()
    ys = np.asarray(single.get_ydata(), dtype=float)
    assert np.isnan(ys[:3]).all() and ys[3] == 86
    assert fig.axes[0].get_ylabel() == "数量（家次）"
    assert any("仅有一年数据" in t and "调解矛盾纠纷（2023年）" in t for t in texts(fig))
    assert [t.get_text() for t in fig.axes[1].get_xticklabels()] == [
        "2020年",
        "2021年",
        "2022年",
        "2023年",
    ]


def test_year_on_year_pairs_and_missing_sides(yoy_table):
    fig = render(charts.year_on_year(yoy_table, source=SOURCE))
    first, second = fig.axes  # 家次, 份
    prev, cur = first.containers
    assert prev.get_label() == "上年" and cur.get_label() == "本年"
    assert list(prev.datavalues) == [356] and list(cur.datavalues) == [412]
    prev, cur = second.containers
    assert list(prev.datavalues) == [70]  # 下达整改通知书 has no previous: no bar
    assert list(cur.datavalues) == [230]  # 调解矛盾纠纷 has no current: no bar
    notes = [t.get_text() for t in second.texts]
    assert "上年无数据" in notes and "本年无数据" in notes
    assert all(b.get_width() > 0 for ax in fig.axes for b in bars(ax))
    assert ticks(second) == ["下达整改通知书", "调解矛盾纠纷"]


def test_targets_vs_results(targets_table):
    fig = render(charts.targets_vs_results(targets_table, source=SOURCE))
    ax = fig.axes[0]
    target, result = ax.containers
    assert list(target.datavalues) == [8, 4, 12]
    assert list(result.datavalues) == [11, 3]
    drawn = [t.get_text() for t in ax.texts]
    assert "≥8" in drawn and "无实际数据" in drawn
    status = [t for t in ax.texts if t.get_text() in ("已完成", "未完成", "无可比数据")]
    assert [t.get_text() for t in status] == ["已完成", "未完成", "无可比数据"]
    assert [t.get_position()[1] for t in status] == [0, 1, 2]


def cell_texts(ax) -> dict[tuple[int, int], str]:
    """Texts at cell centres of a grid chart, by (row, column)."""
    out = {}
    for t in ax.texts:
        x, y = t.get_position()
        out[(int(y), int(x))] = t.get_text()
    return out


def test_coverage_heatmap_cells(coverage_table):
    fig = render(charts.coverage_heatmap(coverage_table, source=SOURCE))
    ax = fig.axes[0]
    cells = cell_texts(ax)
    assert ticks(ax) == UNITS
    cols = [t.get_text().replace("\n", "") for t in ax.get_xticklabels()]
    assert cols == [DIMENSIONS[c] for c in coverage_table.columns]
    for r, unit in enumerate(UNITS):
        for c, code in enumerate(coverage_table.columns):
            v = coverage_table.loc[unit, code]
            assert cells[(r, c)] == ("—" if pd.isna(v) else str(int(v))), (unit, code)
    # 0 and missing look different: a missing cell is hatched, a 0 cell is not
    patches = {(int(p.get_y()), int(p.get_x())): p for p in ax.patches}
    assert patches[(0, 2)].get_hatch() in (None, "")  # 青石镇 society = 0
    assert patches[(2, 0)].get_hatch()  # 云溪乡: no data


def test_parts_present_marks(parts_table):
    fig = render(charts.parts_present(parts_table, source=SOURCE))
    ax = fig.axes[0]
    cells = cell_texts(ax)
    cols = [t.get_text().replace("\n", "") for t in ax.get_xticklabels()]
    assert cols == list(PARTS.values())
    for r, unit in enumerate(UNITS):
        for c, code in enumerate(PARTS):
            v = parts_table.loc[unit, code]
            expected = "—" if v is None or pd.isna(v) else ("有" if v else "缺")
            assert cells[(r, c)] == expected, (unit, code)
    assert cells[(1, 1)] == "缺"


# --------------------------------------------------------------------------- bundled sample


@pytest.mark.slow
def test_charts_render_on_the_bundled_sample():
    sample = pd.read_csv(SAMPLE, encoding="utf-8-sig")
    for rid, facts in sample.groupby("report_id"):
        render(charts.by_dimension(facts))
        for dim, group in facts.groupby("dimension"):
            render(charts.indicator_bars(group, title=f"{rid} {dim}"))
        comp = facts[facts["kind"] == "composition"]
        for whole in comp["of"].dropna().unique():
            render(charts.composition(facts, of=whole))
