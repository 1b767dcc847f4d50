"""The structure audit on fictional reports written here, and on the founding report."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from lawnb.analyse.audit import AUDIT_COLUMNS, audit, audit_table
from lawnb.analyse.audit_rules import SEVERITIES
from lawnb.errors import LawnbError
from lawnb.extract.facts import extract_facts
from lawnb.read.reader import read_report

TITLE = "青禾县枫林镇2023年度法治政府建设情况报告"
OPENING = "2023年，枫林镇党委、政府坚持依法行政，扎实推进法治政府建设。现将有关情况报告如下。"
MEASURES = """一、主要举措和成效
（一）依法履行政府职能
全年办理便民服务事项1200件，办结率100%。
（二）严格规范公正文明执法
开展联合执法检查15次，下达整改通知书23份。
（三）化解矛盾纠纷
全镇调解各类纠纷86件，调解成功率98%。"""
FIRST = """二、党政主要负责人履行推进法治建设第一责任人职责情况
镇党委书记、镇长带头学法，主持召开法治建设专题会议4次。"""
SHORTCOMINGS = """三、存在的不足及原因
一是部分干部法治意识不强；二是执法力量相对薄弱。"""
NEXT = """四、下一年度工作安排
计划开展普法宣传活动不少于10场，力争调解成功率保持在98%以上。"""
SIGNATURE = "青禾县枫林镇人民政府\n2024年1月8日"


def compose(*blocks: str, title: str | None = TITLE, opening: str = OPENING) -> str:
    """A report text from its title, opening and blocks, with blank lines between them."""
    head = [title] if title else []
    return "\n\n".join([*head, opening, *blocks, SIGNATURE]) + "\n"


def findings(text: str, **read_options) -> tuple[pd.DataFrame, str]:
    report = read_report(text, **read_options)
    return audit(report), report.text


def codes(frame: pd.DataFrame) -> list[str]:
    return list(frame["code"])


def only(frame: pd.DataFrame, code: str) -> pd.Series:
    rows = frame[frame["code"] == code]
    assert len(rows) == 1, frame[["code", "section", "message"]].to_string()
    return rows.iloc[0]


def points_at(text: str, row: pd.Series, heading: str) -> None:
    """The finding's offsets cover exactly the heading line ``heading``."""
    assert text[row["start"] : row["end"]] == heading, text[row["start"] : row["end"]]


def test_a_well_formed_report_has_no_finding():
    frame, _ = findings(compose(MEASURES, FIRST, SHORTCOMINGS, NEXT))
    assert list(frame.columns) == list(AUDIT_COLUMNS)
    assert frame.empty, frame.to_string()


def test_first_responsible_first_is_an_accepted_layout():
    first = FIRST.replace("二、", "一、")
    measures = MEASURES.replace("一、主要", "二、主要")
    frame, _ = findings(compose(first, measures, SHORTCOMINGS, NEXT))
    assert frame.empty, frame.to_string()


def test_first_responsible_after_the_shortcomings_is_accepted():
    shortcomings = SHORTCOMINGS.replace("三、", "二、")
    first = FIRST.replace("二、", "三、")
    frame, _ = findings(compose(MEASURES, shortcomings, first, NEXT))
    assert frame.empty, frame.to_string()


@pytest.mark.parametrize(
    ("left_out", "part", "name"),
    [
        (SHORTCOMINGS, "shortcomings", "存在的不足及原因"),
        (FIRST, "first_responsible", "第一责任人"),
        (NEXT, "next_steps", "下一年度工作安排"),
    ],
)
def test_a_missing_mandated_part_is_an_error(left_out, part, name):
    blocks = [b for b in (MEASURES, FIRST, SHORTCOMINGS, NEXT) if b is not left_out]
    renumbered = []
    for number, block in zip("一二三", blocks, strict=True):
        renumbered.append(re.sub(r"^[一二三四]、", f"{number}、", block))
    frame, _ = findings(compose(*renumbered))
    row = only(frame, "missing_part")
    assert row["severity"] == "error"
    assert name in row["message"] and "请核对" in row["message"]
    assert (row["section"], row["start"], row["end"]) == ("", -1, -1)
    assert "numbering_gap" not in codes(frame)


def test_the_other_part_is_optional_and_may_come_last():
    other = "五、其他需要报告的事项\n本年度无其他需要报告的事项。"
    frame, _ = findings(compose(MEASURES, FIRST, SHORTCOMINGS, NEXT, other))
    assert frame.empty, frame.to_string()


def test_shortcomings_after_next_steps_are_out_of_order():
    next_steps = NEXT.replace("四、", "三、")
    shortcomings = SHORTCOMINGS.replace("三、", "四、")
    frame, text = findings(compose(MEASURES, FIRST, next_steps, shortcomings))
    row = only(frame, "part_order")
    assert row["severity"] == "warning"
    assert row["section"] == "四、"
    assert "存在的不足及原因" in row["message"] and "下一年度工作安排" in row["message"]
    points_at(text, row, "四、存在的不足及原因")


def test_next_steps_before_the_measures_are_out_of_order():
    next_steps = NEXT.replace("四、", "一、")
    measures = MEASURES.replace("一、主要", "二、主要")
    first = FIRST.replace("二、", "三、")
    shortcomings = SHORTCOMINGS.replace("三、", "四、")
    frame, text = findings(compose(next_steps, measures, first, shortcomings))
    flagged = frame[frame["code"] == "part_order"]
    # The measures, the first-responsible duties and the shortcomings all follow the plan.
    assert list(flagged["section"]) == ["二、", "三、", "四、"]
    points_at(text, flagged.iloc[0], "二、主要举措和成效")


def test_an_empty_subsection_is_flagged_at_its_heading():
    measures = MEASURES.replace("（三）化解矛盾纠纷", "（三）加强法治宣传教育\n（四）化解矛盾纠纷")
    frame, text = findings(compose(measures, FIRST, SHORTCOMINGS, NEXT))
    row = only(frame, "empty_section")
    assert row["severity"] == "warning"
    assert row["section"] == "一、/（三）"
    points_at(text, row, "（三）加强法治宣传教育")


def test_an_empty_mandated_part_is_an_error():
    frame, text = findings(compose(MEASURES, FIRST, "三、存在的不足及原因", NEXT))
    row = only(frame, "empty_part")
    assert row["severity"] == "error"
    assert row["section"] == "三、"
    points_at(text, row, "三、存在的不足及原因")
    assert "empty_section" not in codes(frame)


def test_a_last_section_with_only_the_signature_is_empty():
    frame, text = findings(compose(MEASURES, FIRST, SHORTCOMINGS, NEXT, "五、其他事项"))
    row = only(frame, "empty_section")
    points_at(text, row, "五、其他事项")


def test_an_outline_of_empty_headings_gives_one_finding_per_parent():
    outline = """一、主要举措和成效
（一）依法履行政府职能
1.梳理公布镇级权责清单
2.优化便民服务流程
（二）严格规范执法
开展联合执法检查15次。"""
    frame, text = findings(compose(outline, FIRST, SHORTCOMINGS, NEXT))
    row = only(frame, "empty_subsections")
    assert row["section"] == "一、/（一）" and "2个小标题" in row["message"]
    assert text[row["start"] :].startswith("1.梳理公布镇级权责清单")
    assert "empty_section" not in codes(frame)


def test_a_numbered_one_sentence_paragraph_is_not_empty():
    shortcomings = """三、存在的不足及原因
（一）部分干部法治意识不强，依法办事能力有待提高。
（二）执法力量相对薄弱，专业人员偏少。"""
    frame, _ = findings(compose(MEASURES, FIRST, shortcomings, NEXT))
    assert frame.empty, frame.to_string()


def test_a_gap_in_top_level_numbers():
    frame, text = findings(
        compose(MEASURES, FIRST, SHORTCOMINGS.replace("三、", "四、"), NEXT.replace("四、", "五、"))
    )
    row = only(frame, "numbering_gap")
    assert row["severity"] == "warning" and row["section"] == "四、"
    assert "应为3" in row["message"]
    points_at(text, row, "四、存在的不足及原因")


def test_a_gap_in_bracketed_numbers():
    measures = MEASURES.replace("（三）化解矛盾纠纷", "（四）化解矛盾纠纷")
    frame, text = findings(compose(measures, FIRST, SHORTCOMINGS, NEXT))
    row = only(frame, "numbering_gap")
    assert row["section"] == "一、/（四）"
    points_at(text, row, "（四）化解矛盾纠纷")


def test_a_repeated_number():
    measures = MEASURES.replace("（三）化解矛盾纠纷", "（二）化解矛盾纠纷")
    frame, text = findings(compose(measures, FIRST, SHORTCOMINGS, NEXT))
    row = only(frame, "numbering_repeat")
    assert "（二）严格规范公正文明执法" in row["message"]
    # Paths repeat too: the offsets tell the two （二） apart.
    points_at(text, row, "（二）化解矛盾纠纷")


def test_a_sub_level_restarting_in_the_middle():
    measures = MEASURES.replace("（三）化解矛盾纠纷", "（一）化解矛盾纠纷")
    frame, text = findings(compose(measures, FIRST, SHORTCOMINGS, NEXT))
    row = only(frame, "numbering_restart")
    points_at(text, row, "（一）化解矛盾纠纷")
    assert "numbering_gap" not in codes(frame)


def test_swapped_headings_give_one_gap_and_one_restart():
    first = FIRST.replace("二、", "三、")
    shortcomings = SHORTCOMINGS.replace("三、", "二、")
    frame, _ = findings(compose(MEASURES, first, shortcomings, NEXT))
    assert sorted(codes(frame)) == ["numbering_gap", "numbering_restart"]
    assert only(frame, "numbering_restart")["section"] == "二、"


def test_numbers_running_on_across_parents_are_accepted():
    measures = """一、主要举措和成效
（一）依法履职
1.办理服务事项。全年办理便民服务事项1200件。
2.规范决策。集体研究重大事项12项。
（二）严格执法
3.联合执法。开展联合执法检查15次。
4.安全监管。排查整改隐患36处。"""
    frame, _ = findings(compose(measures, FIRST, SHORTCOMINGS, NEXT))
    assert frame.empty, frame.to_string()


def test_a_sub_level_starting_at_two_is_a_gap():
    measures = MEASURES.replace("（一）依法", "（二）依法", 1).replace("（二）严格", "（三）严格")
    measures = measures.replace("（三）化解", "（四）化解")
    frame, text = findings(compose(measures, FIRST, SHORTCOMINGS, NEXT))
    row = only(frame, "numbering_gap")
    assert "应为1" in row["message"]
    points_at(text, row, "（二）依法履行政府职能")


def test_the_parent_style_reused_one_level_down():
    measures = (
        MEASURES.replace("（一）", "一、").replace("（二）", "二、").replace("（三）", "三、")
    )
    frame, text = findings(compose(measures, FIRST, SHORTCOMINGS, NEXT))
    row = only(frame, "numbering_style")
    assert row["section"] == "一、/一、"
    points_at(text, row, "一、依法履行政府职能")


def test_measures_without_a_figure():
    measures = """一、主要举措和成效
（一）依法履行政府职能
深化放管服改革，优化营商环境，便民服务水平不断提升。
（二）严格规范公正文明执法
全面落实行政执法三项制度，执法行为更加规范。"""
    frame, text = findings(compose(measures, FIRST, SHORTCOMINGS, NEXT))
    row = only(frame, "measures_without_figures")
    assert row["severity"] == "warning" and row["section"] == "一、"
    assert text[row["start"] :].startswith("一、主要举措和成效")
    assert text[row["start"] : row["end"]].rstrip().endswith("执法行为更加规范。")


def test_next_steps_without_a_measurable_target():
    next_steps = "四、下一年度工作安排\n继续深化法治宣传教育，进一步提升依法行政水平。"
    frame, text = findings(compose(MEASURES, FIRST, SHORTCOMINGS, next_steps))
    row = only(frame, "next_steps_without_target")
    assert row["section"] == "四、"
    assert text[row["start"] :].startswith("四、下一年度工作安排")


def test_facts_given_by_the_caller_are_used():
    report = read_report(compose(MEASURES, FIRST, SHORTCOMINGS, NEXT))
    facts = extract_facts(report)
    assert audit(report, facts).empty
    no_targets = facts[facts["kind"] != "target"]
    assert codes(audit(report, no_targets)) == ["next_steps_without_target"]
    other_report = facts.assign(report_id="青禾县/石桥乡/2023")
    assert audit(report, pd.concat([other_report, no_targets])).shape[0] == 1
    with pytest.raises(LawnbError, match="kind"):
        audit(report, facts.drop(columns=["kind"]))


def test_a_report_without_title():
    frame, _ = findings(compose(MEASURES, FIRST, SHORTCOMINGS, NEXT, title=None))
    assert "missing_title" in codes(frame)
    assert only(frame, "missing_title")["severity"] == "warning"


def test_a_title_without_the_year():
    frame, text = findings(
        compose(MEASURES, FIRST, SHORTCOMINGS, NEXT, title="枫林镇法治政府建设情况报告")
    )
    row = only(frame, "title_without_year")
    assert "2023年" in row["message"]
    assert text[row["start"] : row["end"]] == "枫林镇法治政府建设情况报告"
    assert "missing_year" not in codes(frame)


def test_a_title_without_the_unit_and_nothing_naming_it():
    frame, text = findings(
        compose(
            MEASURES,
            FIRST,
            SHORTCOMINGS,
            NEXT,
            title="2023年度法治政府建设情况报告",
            opening="一年来，我们坚持依法行政。现将有关情况报告如下。",
        )
    )
    assert only(frame, "title_without_unit")["severity"] == "warning"
    row = only(frame, "missing_unit")
    assert row["severity"] == "error"
    assert text[row["start"] : row["end"]] == "2023年度法治政府建设情况报告"


def test_a_title_opening_with_guanyu_names_no_unit():
    text = compose(
        MEASURES,
        FIRST,
        SHORTCOMINGS,
        NEXT,
        title="关于2023年度法治政府建设情况的报告",
        opening="一年来，我们坚持依法行政。现将有关情况报告如下。",
    )
    frame, _ = findings(text)
    assert {"title_without_unit", "missing_unit"} <= set(codes(frame))


def test_unit_and_year_given_when_reading_silence_the_metadata_errors():
    text = compose(
        MEASURES,
        FIRST,
        SHORTCOMINGS,
        NEXT,
        title="法治政府建设情况报告",
        opening="一年来，我们坚持依法行政。现将有关情况报告如下。",
    )
    frame, _ = findings(text)
    assert {"missing_unit", "missing_year"} <= set(codes(frame))
    frame, _ = findings(text, unit="枫林镇", district="青禾县", year=2023)
    assert not {"missing_unit", "missing_year"} & set(codes(frame))
    assert {"title_without_unit", "title_without_year"} <= set(codes(frame))


def test_a_prose_only_report_gives_one_warning():
    prose = (
        "这一年，镇里开展普法活动20场，调解纠纷86件。\n\n"
        "工作中还存在一些不足，执法力量相对薄弱。\n\n"
        "新的一年，计划开展普法活动不少于10场。"
    )
    frame, text = findings(compose(prose))
    assert codes(frame) == ["no_sections"]
    row = frame.iloc[0]
    assert row["severity"] == "warning" and (row["start"], row["end"]) == (0, len(text))


def test_a_wrong_year_in_the_next_steps_heading():
    next_steps = NEXT.replace("下一年度工作安排", "2023年工作安排")
    frame, text = findings(compose(MEASURES, FIRST, SHORTCOMINGS, next_steps))
    row = only(frame, "heading_year")
    assert "2024年" in row["message"]
    points_at(text, row, "四、2023年工作安排")
    good, _ = findings(compose(MEASURES, FIRST, SHORTCOMINGS, NEXT.replace("下一年度", "2024年")))
    assert good.empty, good.to_string()


def test_first_responsible_nested_in_the_measures_is_noted():
    measures = MEASURES + "\n（四）履行推进法治建设第一责任人职责情况\n镇党委书记带头学法4次。"
    shortcomings = SHORTCOMINGS.replace("三、", "二、")
    next_steps = NEXT.replace("四、", "三、")
    frame, text = findings(compose(measures, shortcomings, next_steps))
    assert codes(frame) == ["nested_part"]
    row = frame.iloc[0]
    assert row["severity"] == "info"
    points_at(text, row, "（四）履行推进法治建设第一责任人职责情况")


def test_errors_come_first():
    frame, _ = findings(compose(MEASURES, "二、存在的不足及原因", NEXT.replace("四、", "三、")))
    ranks = [SEVERITIES.index(s) for s in frame["severity"]]
    assert ranks == sorted(ranks)
    assert frame.iloc[0]["severity"] == "error"


def test_audit_table_adds_the_report_id():
    good = read_report(compose(MEASURES, FIRST, SHORTCOMINGS, NEXT))
    bad = read_report(
        compose(MEASURES, FIRST, SHORTCOMINGS, title="青禾县石桥乡2023年度法治政府建设情况报告")
    )
    table = audit_table([good, bad])
    assert list(table.columns) == ["report_id", *AUDIT_COLUMNS]
    assert set(table["report_id"]) == {"青禾县/石桥乡/2023"}
    assert "missing_part" in set(table["code"])
    assert list(audit_table([]).columns) == ["report_id", *AUDIT_COLUMNS]


def test_the_founding_report_has_no_error(founding_report):
    report = read_report(founding_report)
    frame = audit(report)
    assert not (frame["severity"] == "error").any(), frame.to_string()
    # It has no 其他 part, which is optional.
    assert "other" not in {s.part for s in report.sections}
    assert frame.empty, frame.to_string()
