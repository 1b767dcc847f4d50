"""lawnb: annual rule-of-law government reports into a tidy dataset and per-year notebook reports.

The public API is imported lazily, so ``import lawnb`` stays cheap in every notebook kernel.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from lawnb.errors import DatasetError, LawnbError, ParamsError, ReportReadError, RunError

__version__ = "0.1.0"

_LAZY: dict[str, str] = {
    "read_report": "lawnb.read.reader",
    "Report": "lawnb.read.reader",
    "Section": "lawnb.read.reader",
    "extract_facts": "lawnb.extract.facts",
    "load_dataset": "lawnb.store.dataset",
    "save_dataset": "lawnb.store.dataset",
    "import_reports": "lawnb.store.dataset",
    "Dataset": "lawnb.store.dataset",
    "evaluate": "lawnb.extract.evaluate",
    "indicators": "lawnb.extract.catalog",
    "validate_notebook_parameters": "lawnb.present.parameters",
    "check_dataset": "lawnb.store.dataset",
    "export_xlsx": "lawnb.exchange.excel",
    "import_corrections": "lawnb.exchange.excel",
    "import_table": "lawnb.exchange.tables",
    "set_report": "lawnb.store.report_metadata",
    "remove_report": "lawnb.store.report_metadata",
    "DatasetValidationError": "lawnb.store.validation",
    "audit": "lawnb.analyse.audit",
    "year_on_year": "lawnb.analyse.compare",
    "trends": "lawnb.analyse.compare",
    "targets": "lawnb.analyse.compare",
    "district": "lawnb.analyse.compare",
    "run_jobs": "lawnb.run.runner",
    "Job": "lawnb.run.runner",
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
    from lawnb.analyse.compare import district, targets, trends, year_on_year
    from lawnb.exchange.excel import export_xlsx, import_corrections
    from lawnb.exchange.tables import import_table
    from lawnb.extract.catalog import indicators
    from lawnb.extract.evaluate import evaluate
    from lawnb.extract.facts import extract_facts
    from lawnb.present.parameters import validate_notebook_parameters
    from lawnb.read.reader import Report, Section, read_report
    from lawnb.run.runner import Job, run_jobs
    from lawnb.store.dataset import (
        Dataset,
        check_dataset,
        import_reports,
        load_dataset,
        save_dataset,
    )
    from lawnb.store.report_metadata import remove_report, set_report
    from lawnb.store.validation import DatasetValidationError


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'lawnb' has no attribute {name!r}")
