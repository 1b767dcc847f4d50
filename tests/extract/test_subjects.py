"""Subjects (事项) are whole words: never cut inside a word, no list marker, no cue word.

Checked on every subject the extractor gives for every fictional fixture, the demo district's
reports, the founding report and the bundled datasets, and on the scorer: a truncated subject
never counts as a match.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from lawnb.extract.evaluate import subjects_match
from lawnb.extract.facts import extract_facts
from lawnb.extract.subjects import strip_markers, subject_problems
from lawnb.read.reader import read_report
from lawnb.store.loading import load_dataset

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).parents[1] / "fixtures"


def _report_files(shared_dir: Path) -> list[Path]:
    files = [p for p in sorted((FIXTURES / "reports").iterdir()) if p.suffix in (".txt", ".html")]
    files += sorted((FIXTURES / "pages").glob("*.txt"))
    files += sorted((ROOT / "lawnb" / "data" / "demo_reports").glob("*.txt"))
    return [*files, shared_dir / "reports" / "市中区齐村镇-2020.txt"]


def test_every_extracted_subject_is_whole_words(shared_dir: Path):
    broken, total = [], 0
    for path in _report_files(shared_dir):
        report = read_report(path)
        for row in extract_facts(report).to_dict("records"):
            total += 1
            context = report.plain[max(0, row["start"] - 60) : row["end"] + 5]
            problems = subject_problems(row["subject"], context)
            if problems:
                broken.append((path.name, row["subject"], problems))
    assert total > 900
    assert not broken, broken


@pytest.mark.parametrize("name", ["sample", "demo"])
def test_bundled_subjects_have_no_marker_or_cue(name: str):
    facts = load_dataset(name).extracted_facts
    broken = [s for s in facts["subject"].dropna() if subject_problems(s)]
    assert len(facts) > 30 and not broken, broken


@pytest.mark.parametrize(
    ("subject", "context", "problem"),
    [
        ("信公众号和村务公开栏", "通过微信公众号和村务公开栏公布", "cut_word"),
        ("合行政执法办公室", "镇综合行政执法办公室持证人员21人", "cut_word"),
        ("违法行", "查处违法行为12起", "cut_word"),
        ("里街在全市法治镇街培育验", "三元里街在全市法治镇街培育验收中", "cut_word"),
        ("二是推动依法行政", "", "list_marker"),
        ("（三）法律顾问", "", "list_marker"),
        ("力争调解成功率", "", "cue_word"),
        ("使持证执法人员", "", "cue_word"),
        ("计划新建法治广场", "", "cue_word"),
        ("法律进社区”活动", "", "unbalanced"),
        ("", "", "empty"),
    ],
)
def test_broken_subjects_are_flagged(subject: str, context: str, problem: str):
    assert problem in subject_problems(subject, context)


@pytest.mark.parametrize(
    ("subject", "context"),
    [
        ("执法人员持证率", "全镇执法人员持证率达100%"),
        ("使用执法记录仪", "全年使用执法记录仪120次"),
        ("法律明白人", "培养法律明白人96名"),
        ("调解成功率", "调解成功率96.6%"),
    ],
)
def test_whole_subjects_pass(subject: str, context: str):
    assert subject_problems(subject, context) == []


def test_markers_and_cues_are_stripped_as_whole_words():
    assert strip_markers("二是推动依法行政") == "依法行政"
    assert strip_markers("力争调解成功率") == "调解成功率"
    assert strip_markers("使持证执法人员") == "持证执法人员"
    assert strip_markers("使用执法记录仪") == "使用执法记录仪"  # 使 inside 使用 stays


def test_the_scorer_refuses_a_truncated_subject():
    context = "通过微信公众号发布通知12条"
    assert subjects_match("微信公众号", "微信公众号", context)
    assert not subjects_match("微信公众号", "信公众号", context)
    assert not subjects_match("调解成功率", "力争调解成功率", "力争调解成功率达到98%")


def test_a_subject_that_stays_broken_is_marked_for_review(monkeypatch):
    import lawnb.extract.facts

    text = "柳溪乡2022年法治政府建设情况报告\n一、主要举措和成效\n全年举办法治讲座12场，发放资料3000份。"
    assert extract_facts(read_report(text))["review"].isna().all()
    monkeypatch.setattr(
        lawnb.extract.facts, "subject_problems", lambda subject, context="": ["cut_word"]
    )
    facts = extract_facts(read_report(text))
    assert list(facts["review"]) == ["subject", "subject"]


def test_figures_awaiting_review_stay_out_of_the_headline():
    import pandas as pd

    from lawnb.present.narrative import headline

    facts = pd.DataFrame(
        [
            {
                "subject": "法治讲座",
                "value": 12.0,
                "measure": "场",
                "qualifier": "exact",
                "kind": "achievement",
                "indicator": None,
                "origin": "extracted",
                "review": None,
            },
            {
                "subject": "信公众号推送",
                "value": 90.0,
                "measure": "条",
                "qualifier": "exact",
                "kind": "achievement",
                "indicator": None,
                "origin": "extracted",
                "review": "subject",
            },
        ]
    )
    text = headline(facts, unit="柳溪乡", year=2022)
    assert "法治讲座" in text and "信公众号" not in text
