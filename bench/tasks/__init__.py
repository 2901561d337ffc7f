"""Stage 2 of the pipeline: tasks. Each task owns its gold and prediction types,
its gold checks and its scorer. The registry below is an explicit list."""

from __future__ import annotations

from bench.tasks.base import Problem, Task, TaskName


def all_tasks() -> tuple[Task, ...]:
    """Every task, in report order. Add a task by adding it here."""
    from bench.tasks.attribution.task import AttributionTask
    from bench.tasks.casualties.task import CasualtyTask
    from bench.tasks.ner.task import NerTask

    return (NerTask(), CasualtyTask(), AttributionTask())


def get_task(name: TaskName | str) -> Task:
    wanted = TaskName(name)
    for task in all_tasks():
        if task.name is wanted:
            return task
    raise KeyError(name)


__all__ = ["Problem", "Task", "TaskName", "all_tasks", "get_task"]
