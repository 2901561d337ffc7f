"""The task registry: every task of the benchmark, listed here and nowhere else.

Where it sits: stage 2, tasks. The other stages ask this module for the tasks and
never name one: a task's knowledge (its gold, pairing, metrics and LLM protocol)
lives in its own folder, `bench/tasks/<name>/`, and adding a task is that folder and
one line in `TASKS` below (docs/architecture.md).

`TaskName` names the built-in tasks for the systems that declare what they predict
(`tasks = frozenset({TaskName.NER})`); a task name is a plain string everywhere else.
"""

from __future__ import annotations

import difflib
import importlib
from enum import Enum
from typing import TYPE_CHECKING

from bench.errors import BenchError

if TYPE_CHECKING:
    from bench.tasks.base import Task


class TaskName(str, Enum):
    """The names of the built-in tasks (a `str`: `TaskName.NER == "ner"`)."""

    NER = "ner"
    CASUALTIES = "casualties"
    ATTRIBUTION = "attribution"

    def __str__(self) -> str:
        return self.value


# Every task, in report order, as "module:class". The class is created with no arguments.
TASKS: tuple[str, ...] = (
    "bench.tasks.ner.task:NerTask",
    "bench.tasks.casualties.task:CasualtyTask",
    "bench.tasks.attribution.task:AttributionTask",
)

_LOADED: dict[str, "Task"] = {}


def _load(entry: str) -> "Task":
    task = _LOADED.get(entry)
    if task is None:
        module, _, name = entry.partition(":")
        task = _LOADED[entry] = getattr(importlib.import_module(module), name)()
    return task


def all_tasks() -> tuple["Task", ...]:
    """Every task, in report order."""
    return tuple(_load(entry) for entry in TASKS)


def task_names() -> list[str]:
    """The tasks' names, in report order."""
    return [str(task.name) for task in all_tasks()]


def get_task(name: str) -> "Task":
    """The task called `name`; an unknown name is one line with a "did you mean"."""
    for task in all_tasks():
        if task.name == name:
            return task
    raise UnknownTaskError(unknown_task_message(str(name)))


def unknown_task_message(name: str) -> str:
    known = sorted(task_names())
    close = difflib.get_close_matches(name, known, n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    return f"unknown task {name!r}{hint}; tasks: {', '.join(known)}"


class UnknownTaskError(BenchError, KeyError):
    """A task name that no registered task has."""

    def __str__(self) -> str:
        return self.message
