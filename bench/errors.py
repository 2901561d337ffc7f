"""Errors a user can cause, each with its exit code.

The CLI turns a `BenchError` into one line on stderr and its exit code, with no
traceback, its control characters escaped by `printable`. Everything else is a bug and
keeps its traceback.

Where it sits: a small shared module at the top of `bench/`; every stage raises these.
"""

from __future__ import annotations

import re
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


class OutputError(BenchError):
    """A file cannot be written (a folder in the way, a read-only folder, a full disk):
    one line naming it; the file that was there is left as it was."""


# Control characters (C0, DEL, C1), line and paragraph separators, bidirectional
# overrides, and lone surrogates: what would move the cursor, recolour the terminal,
# break one message over two lines, or could not be written out at all.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def printable(text: str) -> str:
    """`text` safe for a terminal, one line: each control character is shown as an
    escape (`\\x1b`, `\\r`, `\\u2028`); everything else is kept as it is.

    Every string from outside that `bench` prints (an error line, a warning, a field of
    `bench cache list`) goes through here at the printing boundary."""
    return _UNPRINTABLE.sub(lambda m: ascii(m.group())[1:-1], text)
