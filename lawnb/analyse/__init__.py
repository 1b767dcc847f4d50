"""Stage 4, analysing: a ``Dataset`` (or a ``Report``) → comparison and audit tables.

``compare`` is where the comparisons are imported from: ``matching`` (when facts of two reports
are the same indicator; word lists in ``lawnb/rules/compare.yaml``), ``changes`` (year on year),
``series`` (trends), ``promises`` (last year's targets kept), ``district_tables`` (the units of
a district side by side), ``cells`` (the values and dtypes of their rows). ``audit`` finds
structure defects in a report, by the rules ``audit_rules`` reads from
``lawnb/rules/audit.yaml``; ``audit_tables`` audits a report held only as dataset tables.
Imports read, extract, store and the shared vocabulary; never exchange.
"""
