"""Chinese charts from tables: every chart function takes tables and returns a Figure.

Nothing here reads files or touches pyplot state (figures are built with ``Figure`` directly
and display inline in Jupyter all the same). Importing it is cheap: matplotlib and pandas are
imported inside the functions. The notebooks call ``charts.<name>(...)``; the functions live in
``fonts`` (:func:`setup`), ``style`` (the house style, :func:`figure_png`), ``annual`` (one
unit-year's report), ``years`` (one unit across years) and ``district`` (all units of a
district-year). Empty input gives a figure saying 无数据; the source line under each chart is
:func:`source_line`.
"""

from __future__ import annotations

from lawnb.present.charts.annual import by_dimension, composition, indicator_bars
from lawnb.present.charts.annual import dimension_coverage as dimension_coverage
from lawnb.present.charts.district import coverage_heatmap, parts_present
from lawnb.present.charts.fonts import BUNDLED_FONT, SYSTEM_FONTS, setup
from lawnb.present.charts.style import figure_png as figure_png
from lawnb.present.charts.years import targets_vs_results, trend, year_on_year
from lawnb.present.sources import source_line

__all__ = [
    "BUNDLED_FONT",
    "SYSTEM_FONTS",
    "by_dimension",
    "composition",
    "coverage_heatmap",
    "indicator_bars",
    "parts_present",
    "setup",
    "source_line",
    "targets_vs_results",
    "trend",
    "year_on_year",
]
