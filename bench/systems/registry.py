"""The system registry: spec string -> a ready `System`.

A spec is one of:
- a built-in name, listed explicitly in `BUILTINS` (`rules`, `spacy`, `oracle`, `empty`);
- a name that a third-party package registers in the entry-point group `bench.systems`
  (the entry point names a factory called with no arguments);
- `package.module:factory` for a user's own Python system (the factory is called with
  no arguments and returns an object with `name`, `version`, `tasks` and `predict`).

Unknown names fail with a "did you mean" suggestion. Nothing registers itself on
import: this module lists everything.
"""

from __future__ import annotations

import difflib
import importlib
from dataclasses import dataclass
from importlib.metadata import entry_points
from pathlib import Path
from typing import Callable, Sequence

from bench.errors import SystemLoadError, UnknownSystemError
from bench.systems.base import System
from bench.tasks.base import Task

ENTRY_POINT_GROUP = "bench.systems"


@dataclass(frozen=True)
class SystemContext:
    """What a built-in factory may use: the data root and the tasks being run."""

    root: Path
    tasks: tuple[Task, ...]


@dataclass(frozen=True)
class Builtin:
    name: str
    summary: str
    needs: str  # the optional stack it needs, "" when none
    factory: Callable[[SystemContext], System]


def _rules(ctx: SystemContext) -> System:
    from baselines.rules import create

    return create()


def _spacy(ctx: SystemContext) -> System:
    from bench.systems.spacy_ner import create

    return create()


def _oracle(ctx: SystemContext) -> System:
    from bench.documents.corpus import load_corpus
    from bench.systems.simple import OracleSystem

    corpus = load_corpus(ctx.root)
    return OracleSystem(ctx.tasks, {task.name: task.load_gold(ctx.root, corpus) for task in ctx.tasks})


def _empty(ctx: SystemContext) -> System:
    from bench.systems.simple import EmptySystem

    return EmptySystem(ctx.tasks)


BUILTINS: tuple[Builtin, ...] = (
    Builtin("rules", "model-free baseline: rules for NER, casualty figures and attribution (the default)", "", _rules),
    Builtin("spacy", "spaCy en_core_web_sm 3.8.0: NER (OntoNotes labels mapped explicitly) and attribution from its parse", "spacy", _spacy),
    Builtin("oracle", "returns the gold: must score 1.0 (a sanity check)", "", _oracle),
    Builtin("empty", "returns nothing: recall 0 (a lower bound)", "", _empty),
)


def plugin_names() -> list[str]:
    return sorted(ep.name for ep in entry_points(group=ENTRY_POINT_GROUP))


def known_names() -> list[str]:
    return [b.name for b in BUILTINS] + plugin_names()


def _check(system: object, spec: str) -> System:
    missing = [attr for attr in ("name", "version", "tasks", "predict") if not hasattr(system, attr)]
    if missing:
        raise SystemLoadError(f"system {spec!r} lacks {', '.join(missing)}: a system needs name, version, tasks and predict(documents)")
    return system  # type: ignore[return-value]


def _from_factory_path(spec: str) -> System:
    module_name, _, attr = spec.partition(":")
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise UnknownSystemError(f"system {spec!r}: cannot import module {module_name!r}: {exc}") from None
    factory = getattr(module, attr, None)
    if not callable(factory):
        raise UnknownSystemError(f"system {spec!r}: module {module_name!r} has no callable {attr!r}")
    return _check(factory(), spec)


def create_system(spec: str, ctx: SystemContext) -> System:
    """Build the system a spec names, or fail with a one-line, suggesting error."""
    for builtin in BUILTINS:
        if builtin.name == spec:
            return _check(builtin.factory(ctx), spec)
    if ":" in spec:
        return _from_factory_path(spec)
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        if ep.name == spec:
            try:
                factory = ep.load()
            except Exception as exc:  # a broken plugin is the plugin's problem: say which
                raise SystemLoadError(f"system {spec!r} (entry point {ep.value}) failed to load: {exc}") from None
            return _check(factory(), spec)
    names = known_names()
    close = difflib.get_close_matches(spec, names, n=3, cutoff=0.6)
    hint = f"did you mean {' or '.join(repr(c) for c in close)}? " if close else ""
    raise UnknownSystemError(
        f"unknown system {spec!r}: {hint}known systems: {', '.join(names)} "
        "(or package.module:factory for your own; see `bench list`)"
    )


def describe(tasks: Sequence[Task]) -> list[tuple[str, str, str]]:
    """(name, kind, summary) for `bench list`."""
    rows = [(b.name, "built-in" + (f" [{b.needs}]" if b.needs else ""), b.summary) for b in BUILTINS]
    rows += [(name, "plugin", f"entry point in {ENTRY_POINT_GROUP}") for name in plugin_names()]
    return rows
