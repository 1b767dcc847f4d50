"""The one exception family of lawnb: every error a user can fix is a ``LawnbError``."""

from __future__ import annotations


class LawnbError(Exception):
    """An error in the user's input or environment, with a message saying where and how to fix it.

    The CLI prints the message without a traceback and exits with status 2.
    """


class ReportReadError(LawnbError):
    """A report file that cannot be read (missing, empty, binary, mis-encoded, no text layer)."""


class DatasetError(LawnbError):
    """A dataset folder or table that is missing or fails validation."""


class ParamsError(LawnbError):
    """A params file or notebook parameter that is invalid (bad YAML, unknown unit or year)."""


class RunError(LawnbError):
    """A notebook run or export that failed."""
