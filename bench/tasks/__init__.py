"""Stage 2 of the pipeline: tasks. Each task owns, in its own folder, its gold and
prediction types, its gold checks, how its predictions pair with the gold, its metrics
and how an LLM is asked for it. The list of tasks is `bench.tasks.registry.TASKS`."""

from __future__ import annotations

from bench.tasks.base import Problem, ScoringContext, Task
from bench.tasks.registry import TaskName, all_tasks, get_task, task_names

__all__ = ["Problem", "ScoringContext", "Task", "TaskName", "all_tasks", "get_task", "task_names"]
