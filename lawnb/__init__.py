"""lawnb: annual rule-of-law government reports into a tidy dataset and per-year notebook reports.

The public API is imported lazily, so ``import lawnb`` stays cheap in every notebook kernel.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from lawnb.errors import DatasetError, LawnbError, ParamsError, ReportReadError, RunError

__version__ = "0.1.0"

_LAZY: dict[str, str] = {
    "read_report": "lawnb.reader",
    "Report": "lawnb.reader",
    "Section": "lawnb.reader",
    "extract_facts": "lawnb.facts",
    "load_dataset": "lawnb.dataset",
    "save_dataset": "lawnb.dataset",
    "import_reports": "lawnb.dataset",
    "Dataset": "lawnb.dataset",
    "evaluate": "lawnb.evaluate",
    "indicators": "lawnb.catalog",
    "validate_notebook_parameters": "lawnb.params",
    "check_dataset": "lawnb.dataset",
    "export_xlsx": "lawnb.excel",
    "import_corrections": "lawnb.excel",
    "import_table": "lawnb.tables",
    "set_report": "lawnb.report_metadata",
    "remove_report": "lawnb.report_metadata",
    "DatasetValidationError": "lawnb.validation",
    "audit": "lawnb.audit",
    "year_on_year": "lawnb.compare",
    "trends": "lawnb.compare",
    "targets": "lawnb.compare",
    "district": "lawnb.compare",
    "run_jobs": "lawnb.runner",
    "Job": "lawnb.runner",
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
    from lawnb.audit import audit
    from lawnb.catalog import indicators
    from lawnb.compare import district, targets, trends, year_on_year
    from lawnb.dataset import Dataset, check_dataset, import_reports, load_dataset, save_dataset
    from lawnb.evaluate import evaluate
    from lawnb.excel import export_xlsx, import_corrections
    from lawnb.facts import extract_facts
    from lawnb.params import validate_notebook_parameters
    from lawnb.reader import Report, Section, read_report
    from lawnb.report_metadata import remove_report, set_report
    from lawnb.runner import Job, run_jobs
    from lawnb.tables import import_table
    from lawnb.validation import DatasetValidationError


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'lawnb' has no attribute {name!r}")
