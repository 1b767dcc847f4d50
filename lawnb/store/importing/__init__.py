"""Report files into a dataset folder: ``rows`` (a report's table rows), ``session`` (one import's
files read and accepted chunk by chunk), ``reports`` (``import_reports``, the folder saved once).

The only part of ``lawnb.store`` that reads reports (``lawnb.read``) and extracts their facts
(``lawnb.extract``).
"""
