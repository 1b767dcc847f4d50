"""Reports' metadata: where each field came from, and analysts' fixes that survive re-import.

Every reports row says where its title, unit, district, level and year were read from
(``meta_source``) and which of unit, district and year are guesses (``guessed``):
``provenance``. An analyst fixes a report's metadata with ``lawnb reports set`` or removes a
report with ``lawnb reports remove`` (``edits``, the values checked by ``values``); a fix is
recorded in ``manual_reports.csv``, keyed by the report's content, so that importing the same
content again gives the fixed report (``fixes``).
"""

from __future__ import annotations
