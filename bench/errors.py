"""Errors a user can cause, each with its exit code.

The CLI turns a `BenchError` into one line on stderr and its exit code, with no
traceback. Everything else is a bug and keeps its traceback.

Where it sits: a small shared module at the top of `bench/`; every stage raises these.
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    GATE_FAILED = 1  # a check ran and the data failed it (validate, later gates)
    BAD_INPUT = 2  # bad predictions file, unknown system, malformed model output, usage


class BenchError(Exception):
    """A problem with the user's input: reported as one line, never a traceback."""

    exit_code: ExitCode = ExitCode.BAD_INPUT

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class PredictionError(BenchError):
    """A predictions file or a system's output is malformed; names where."""


class UnknownSystemError(BenchError):
    """A system spec names nothing we can load."""


class SystemLoadError(BenchError):
    """A system exists but cannot be loaded (missing optional dependency, bad factory)."""


class DataError(BenchError):
    """The benchmark data (seeds or gold) cannot be read."""


class ResultsError(BenchError):
    """A results file cannot be read, or results files cannot be compared (different gold or scorer)."""
