"""lawnb: annual rule-of-law government reports into a tidy dataset and per-year notebook reports.

The public API is imported lazily, so ``import lawnb`` stays cheap in every notebook kernel.
Each name comes from the module that defines it (docs/architecture.md maps the stages).
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from lawnb.errors import DatasetError, LawnbError, ParamsError, ReportReadError, RunError

__version__ = "0.1.0"

_LAZY: dict[str, str] = {
    "read_report": "lawnb.read.reader",
    "Report": "lawnb.read.reader",
    "Section": "lawnb.read.headings",
    "extract_facts": "lawnb.extract.facts",
    "load_dataset": "lawnb.store.loading",
    "save_dataset": "lawnb.store.saving",
    "import_reports": "lawnb.store.importing.reports",
    "Dataset": "lawnb.store.dataset",
    "evaluate": "lawnb.extract.evaluate",
    "indicators": "lawnb.extract.catalog",
    "validate_notebook_parameters": "lawnb.present.parameters",
    "validate_overview_parameters": "lawnb.present.parameters",
    "check_dataset": "lawnb.store.loading",
    "export_xlsx": "lawnb.exchange.excel",
    "import_corrections": "lawnb.exchange.corrections_workbook",
    "import_table": "lawnb.exchange.tables",
    "set_report": "lawnb.store.report_metadata.edits",
    "remove_report": "lawnb.store.report_metadata.edits",
    "DatasetValidationError": "lawnb.store.validation",
    "audit": "lawnb.analyse.audit",
    "year_on_year": "lawnb.analyse.changes",
    "trends": "lawnb.analyse.series",
    "targets": "lawnb.analyse.promises",
    "district": "lawnb.analyse.district_tables",
    "run_jobs": "lawnb.run.runner",
    "Job": "lawnb.run.jobs",
}

__all__ = [
    "DatasetError",
    "LawnbError",
    "ParamsError",
    "ReportReadError",
    "RunError",
    "__version__",
    *_LAZY,
]

if TYPE_CHECKING:  # pragma: no cover
    from lawnb.analyse.audit import audit
    from lawnb.analyse.changes import year_on_year
    from lawnb.analyse.district_tables import district
    from lawnb.analyse.promises import targets
    from lawnb.analyse.series import trends
    from lawnb.exchange.corrections_workbook import import_corrections
    from lawnb.exchange.excel import export_xlsx
    from lawnb.exchange.tables import import_table
    from lawnb.extract.catalog import indicators
    from lawnb.extract.evaluate import evaluate
    from lawnb.extract.facts import extract_facts
    from lawnb.present.parameters import validate_notebook_parameters, validate_overview_parameters
    from lawnb.read.headings import Section
    from lawnb.read.reader import Report, read_report
    from lawnb.run.jobs import Job
    from lawnb.run.runner import run_jobs
    from lawnb.store.dataset import Dataset
    from lawnb.store.importing.reports import import_reports
    from lawnb.store.loading import check_dataset, load_dataset
    from lawnb.store.report_metadata.edits import remove_report, set_report
    from lawnb.store.saving import save_dataset
    from lawnb.store.validation import DatasetValidationError


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'lawnb' has no attribute {name!r}")
