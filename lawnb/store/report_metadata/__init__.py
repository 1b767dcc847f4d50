"""Reports' metadata: where each field came from, and analysts' fixes that survive re-import.

Every reports row says where its title, unit, district, level and year were read from
(``meta_source``) and which of unit, district and year are guesses (``guessed``):
``provenance``. An analyst fixes a report's metadata with ``lawnb reports set`` or removes a
report with ``lawnb reports remove`` (``edits``, the values checked by ``values``); a fix is
recorded in ``manual_reports.csv``, keyed by the report's content, so that importing the same
content again gives the fixed report (``fixes``).
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from lawnb.store.report_metadata.edits import list_reports, remove_report, set_report
    from lawnb.store.report_metadata.provenance import (
        duplicate_sources,
        field_names,
        guessed_groups,
        guessed_of,
        guessed_warnings,
        meta_source_text,
        parse_meta_source,
    )

# Names importers outside lawnb.store take from here, until they import them from their
# modules. Resolved on first use: the edits load and save datasets, whose model imports
# ``fixes`` from this package.
_MOVED = {
    "list_reports": "lawnb.store.report_metadata.edits",
    "set_report": "lawnb.store.report_metadata.edits",
    "remove_report": "lawnb.store.report_metadata.edits",
    "duplicate_sources": "lawnb.store.report_metadata.provenance",
    "field_names": "lawnb.store.report_metadata.provenance",
    "guessed_groups": "lawnb.store.report_metadata.provenance",
    "guessed_of": "lawnb.store.report_metadata.provenance",
    "guessed_warnings": "lawnb.store.report_metadata.provenance",
    "meta_source_text": "lawnb.store.report_metadata.provenance",
    "parse_meta_source": "lawnb.store.report_metadata.provenance",
}
__all__ = [
    "duplicate_sources",
    "field_names",
    "guessed_groups",
    "guessed_of",
    "guessed_warnings",
    "list_reports",
    "meta_source_text",
    "parse_meta_source",
    "remove_report",
    "set_report",
]


def __getattr__(name: str) -> object:
    if name in _MOVED:
        return getattr(import_module(_MOVED[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
