"""Draw every lawnb chart from a fictional example table and save them as PNG.

Usage: python docs/gallery.py [OUTDIR]   (default: docs/img/ next to this script)

All units, figures and sentences here are invented (虚构示例数据); no real report is used.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

from lawnb.present import charts, narrative

DISTRICT = "虚构区"
UNIT = "青石镇"
YEAR = 2024
SOURCE = charts.source_line(UNIT, YEAR, demo=True)
DISTRICT_SOURCE = charts.source_line(DISTRICT, YEAR, demo=True)


def example_facts() -> pd.DataFrame:
    """One fictional town report's facts, in the DESIGN.md facts columns."""
    rid = f"{DISTRICT}/{UNIT}/{YEAR}"
    rows = [
        # part, dimension, subject, value, measure, qualifier, kind, of, origin
        ("measures", "functions", "检查企业", 412, "家次", "exact", "achievement", None),
        ("measures", "functions", "排查安全隐患", 1250, "条", "exact", "achievement", None),
        ("measures", "functions", "下达责令整改通知书", 230, "份", "exact", "achievement", None),
        ("measures", "functions", "食品经营单位检查", 1500, "家次", "approx", "achievement", None),
        ("measures", "rules", "规范性文件合法性审核", 6, "件", "exact", "achievement", None),
        ("measures", "decisions", "重大行政决策合法性审查", 3, "件", "exact", "achievement", None),
        (
            "measures",
            "enforcement",
            "执法人员参加执法检查",
            2100,
            "人次",
            "exact",
            "achievement",
            None,
        ),
        ("measures", "emergencies", "应急演练", 20, "次", "approx", "achievement", None),
        ("measures", "disputes", "调解矛盾纠纷", 86, "件", "exact", "achievement", None),
        ("measures", "disputes", "调解成功率", 96.5, "%", "exact", "achievement", None),
        ("measures", "oversight", "督查通报", 24, "期", "exact", "achievement", None),
        (
            "first_responsible",
            "leadership",
            "党委理论学习中心组学法",
            10,
            "次",
            "exact",
            "achievement",
            None,
        ),
        ("first_responsible", "society", "普法宣传讲座", 36, "场次", "exact", "achievement", None),
        (
            "first_responsible",
            "society",
            "培训法律明白人",
            600,
            "名",
            "approx",
            "achievement",
            None,
        ),
        ("shortcomings", "enforcement", "持证执法人员", 9, "人", "exact", "status", None),
        ("shortcomings", "enforcement", "综合执法队伍", 52, "人", "exact", "status", None),
        ("shortcomings", "enforcement", "本科", 8, "人", "exact", "composition", "综合执法队伍"),
        ("shortcomings", "enforcement", "大专", 17, "人", "exact", "composition", "综合执法队伍"),
        ("shortcomings", "enforcement", "中专", 12, "人", "exact", "composition", "综合执法队伍"),
        (
            "shortcomings",
            "enforcement",
            "高中及以下",
            15,
            "人",
            "exact",
            "composition",
            "综合执法队伍",
        ),
        ("next_steps", "society", "开展法治教育", 10, "次", "at_least", "target", None),
        ("next_steps", "disputes", "调解员法律知识培训", 4, "次", "exact", "target", None),
    ]
    records = []
    for i, (part, dim, subject, value, measure, qual, kind, of) in enumerate(rows, start=1):
        derived = subject == "高中及以下"
        records.append(
            {
                "report_id": rid,
                "fact_id": f"f{i:03d}",
                "part": part,
                "section": "",
                "dimension": dim,
                "indicator": "",
                "subject": subject,
                "value": float(value),
                "measure": measure,
                "qualifier": qual,
                "kind": kind,
                "of": of,
                "start": None,
                "end": None,
                "sentence": "",
                "origin": "derived" if derived else "extracted",
            }
        )
    return pd.DataFrame.from_records(records)


def example_trend() -> pd.DataFrame:
    rows = [
        (2021, "检查企业", 300, "家次"),
        (2022, "检查企业", 356, "家次"),
        (2024, "检查企业", 412, "家次"),  # 2023 missing: a gap, not a zero
        (2021, "食品经营单位检查", 1100, "家次"),
        (2022, "食品经营单位检查", 1280, "家次"),
        (2023, "食品经营单位检查", 1420, "家次"),
        (2024, "食品经营单位检查", 1500, "家次"),
        (2023, "调解矛盾纠纷", 70, "件"),
        (2024, "调解矛盾纠纷", 86, "件"),
        (2024, "规范性文件合法性审核", 6, "件"),  # a single year: noted below the chart
    ]
    return pd.DataFrame(rows, columns=["year", "label", "value", "measure"])


def example_year_on_year() -> pd.DataFrame:
    rows = [
        ("检查企业", 356, 412, "家次"),
        ("食品经营单位检查", 1420, 1500, "家次"),
        ("下达责令整改通知书", None, 230, "份"),
        ("调解矛盾纠纷", 70, 86, "件"),
        ("重大行政决策合法性审查", 5, 3, "件"),
    ]
    return pd.DataFrame(rows, columns=["label", "previous", "current", "measure"])


def example_targets() -> pd.DataFrame:
    rows = [
        ("开展法治教育", 8, "at_least", 11, "已完成", "次"),
        ("调解员法律知识培训", 4, "exact", 3, "未完成", "次"),
        ("党委理论学习中心组学法", 12, "exact", None, "无可比数据", "次"),
        ("规范性文件合法性审核覆盖率", 100, "exact", 100, "已完成", "%"),
    ]
    cols = ["label", "target", "qualifier", "result", "status", "measure"]
    return pd.DataFrame(rows, columns=cols)


UNITS = ["青石镇", "柳岸街道", "云溪乡", "松林镇", "明湖街道", "白沙镇经济开发区管理委员会"]


def example_coverage() -> pd.DataFrame:
    data = {
        "functions": [4, 7, 0, 3, None, 2],
        "rules": [1, 2, 0, 1, None, 0],
        "decisions": [1, 0, 1, 2, None, 1],
        "enforcement": [4, 6, 2, 3, None, 5],
        "emergencies": [1, 3, 0, 0, None, 1],
        "disputes": [3, 4, 2, 1, None, 2],
        "oversight": [1, 2, 0, 0, None, 1],
        "digital": [0, 1, 0, 0, None, 0],
        "leadership": [1, 3, 2, 2, None, 1],
        "society": [3, 5, 1, 2, None, 2],
    }
    return pd.DataFrame(data, index=pd.Index(UNITS, name="unit"))


def example_parts() -> pd.DataFrame:
    data = {
        "measures": [True, True, True, True, None, True],
        "shortcomings": [True, True, False, True, None, True],
        "first_responsible": [True, False, True, True, None, True],
        "next_steps": [True, True, True, False, None, True],
        "other": [False, False, False, True, None, False],
    }
    return pd.DataFrame(data, index=pd.Index(UNITS, name="unit"))


def draw_all() -> dict[str, object]:
    """Every chart of the gallery, by file stem."""
    facts = example_facts()
    achievements = facts[facts["dimension"] == "functions"]
    return {
        "by_dimension": charts.by_dimension(facts, source=SOURCE),
        "indicator_bars": charts.indicator_bars(
            achievements, title="政府职能方面的量化指标", source=SOURCE
        ),
        "indicator_bars_mixed": charts.indicator_bars(
            facts[facts["dimension"].isin(["society", "disputes", "enforcement"])],
            title="法治社会、矛盾纠纷化解和行政执法方面的量化指标",
            source=SOURCE,
        ),
        "composition": charts.composition(facts, of="综合执法队伍", source=SOURCE),
        "trend": charts.trend(example_trend(), source=SOURCE),
        "year_on_year": charts.year_on_year(example_year_on_year(), source=SOURCE),
        "targets_vs_results": charts.targets_vs_results(example_targets(), source=SOURCE),
        "coverage_heatmap": charts.coverage_heatmap(example_coverage(), source=DISTRICT_SOURCE),
        "parts_present": charts.parts_present(example_parts(), source=DISTRICT_SOURCE),
        "empty": charts.indicator_bars(facts.iloc[0:0], title="没有数据时", source=SOURCE),
    }


def main(argv: list[str]) -> int:
    outdir = Path(argv[1]) if len(argv) > 1 else Path(__file__).resolve().parent / "img"
    outdir.mkdir(parents=True, exist_ok=True)
    family = charts.setup()
    for stem, fig in draw_all().items():
        path = outdir / f"{stem}.png"
        tmp = path.with_suffix(".png.tmp")
        fig.savefig(tmp, dpi=200, format="png")  # type: ignore[attr-defined]
        tmp.replace(path)
        print(path)
    facts = example_facts()
    print(narrative.headline(facts, unit=UNIT, year=YEAR))
    print(f"font: {family}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
