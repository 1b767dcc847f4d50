"""Tables and text prepared for the notebooks: what to show, chosen from the dataset.

Notebooks call ``views.<name>(...)`` and hold no logic of their own; nothing here draws or
reads files. The views live in ``annual`` (one unit-year), ``years`` (one unit across years),
``district`` (all units of a district-year) and ``findings`` (the structure audit); this
package gives them all under one name.
"""

from __future__ import annotations

from lawnb.labels import KIND_LABELS, ORIGIN_LABELS
from lawnb.present.display import text
from lawnb.present.parts import PART_ORDER
from lawnb.present.views.annual import (
    AnnualView,
    annual_view,
    chart_groups,
    charts_note,
    compositions,
    coverage_figure,
    coverage_table,
    dimension_md,
    figures_section,
    figures_table,
    for_display,
    guessed_sentence,
    heading_md,
    headline_md,
    part_outline,
    parts_md,
    parts_missing,
    review_md,
    table_or_none,
    targets,
    targets_section,
)
from lawnb.present.views.district import (
    UNIT_GROUPS,
    DistrictView,
    district_findings,
    district_heading_md,
    district_note_md,
    district_view,
    key_indicators_table,
    parts_missing_md,
)
from lawnb.present.views.findings import SEVERITY_LABELS, findings, findings_md
from lawnb.present.views.years import (
    Comparison,
    Promises,
    comparison,
    comparison_figure,
    promises,
    promises_figure,
    trend_section,
)

__all__ = [
    "KIND_LABELS",
    "ORIGIN_LABELS",
    "PART_ORDER",
    "SEVERITY_LABELS",
    "UNIT_GROUPS",
    "AnnualView",
    "Comparison",
    "DistrictView",
    "Promises",
    "annual_view",
    "chart_groups",
    "charts_note",
    "comparison",
    "comparison_figure",
    "compositions",
    "coverage_figure",
    "coverage_table",
    "dimension_md",
    "district_findings",
    "district_heading_md",
    "district_note_md",
    "district_view",
    "figures_section",
    "figures_table",
    "findings",
    "findings_md",
    "for_display",
    "guessed_sentence",
    "heading_md",
    "headline_md",
    "key_indicators_table",
    "part_outline",
    "parts_md",
    "parts_missing",
    "parts_missing_md",
    "promises",
    "promises_figure",
    "review_md",
    "table_or_none",
    "targets",
    "targets_section",
    "text",
    "trend_section",
]
