"""Auditing from dataset tables gives the findings of auditing the report itself."""

from __future__ import annotations

from pathlib import Path

import pytest

from lawnb.analyse.audit import audit
from lawnb.analyse.audit_tables import audit_from_tables
from lawnb.read.reader import read_report
from lawnb.store.importing.rows import report_tables

REPORTS = sorted((Path(__file__).parents[1] / "fixtures" / "reports").glob("*.txt"))


@pytest.mark.parametrize("path", REPORTS, ids=lambda p: p.stem)
def test_table_audit_matches_the_text_audit(path):
    report = read_report(path)
    tables = report_tables(report)
    from_text = audit(report, tables.facts)
    from_tables = audit_from_tables(tables.reports.iloc[0], tables.sections, tables.facts)
    assert sorted(from_tables["code"]) == sorted(from_text["code"])
    assert sorted(from_tables["section"]) == sorted(from_text["section"])


def test_findings_are_found_from_tables(founding_report):
    report = read_report(founding_report)
    tables = report_tables(report)
    sections = tables.sections[tables.sections["part"] != "shortcomings"]
    findings = audit_from_tables(tables.reports.iloc[0], sections, tables.facts)
    assert "missing_part" in set(findings["code"])
