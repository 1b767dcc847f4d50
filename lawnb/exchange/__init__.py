"""Stage 4, exchanging: what analysts send and receive, between a dataset folder and Excel/CSV.

``excel`` writes the dataset as a workbook (its layout in ``workbook``) and
``corrections_workbook`` reads a colleague's edits of it back as corrections; ``wide_table``
reads an analyst's own wide table (shapes, labels mapped to the catalogue; "no figure" marks in
``lawnb/rules/tables.yaml``) and ``tables`` adds its figures to a dataset (``lawnb
import-table``). Imports read, extract, store and the shared vocabulary; never analyse.
"""
