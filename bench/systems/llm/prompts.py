"""Versioned prompts: a task's template and answer format of one version, and its identity.

Where it sits: stage 3, the LLM adapter. Each task keeps its templates in its own
folder (`bench/tasks/<task>/prompts/<version>.txt`) and says what each version's
answer looks like (`bench.tasks.llm`); this module reads a template, and hashes it
with the answer format into the prompt's identity: the one sha256 that the results
record and the prediction cache key on, so an edited template or rule never reuses
old answers.

A template file has a system part, optional worked examples (a user turn and the
assistant's answer, sent as earlier turns of the chat), and a user part:

    === system ===
    You are an information-extraction system ...
    === example user ===
    Text: (an invented passage)
    === example assistant ===
    {"entities": [...]}
    === user ===
    Text: {{ARTICLE}}

`{{ARTICLE}}` is replaced by the article's text, or by one window of it
(`bench.documents.windows`). `--prompts DIR` reads `DIR/<task>.txt` instead (for prompt
experiments); a template that differs from the packaged one of the chosen version is
reported with the version `custom`.

Versions (`--prompt-version`): 1.0.0, the first, without examples and with unbounded
answers (kept so that its rows can be reproduced); 1.1.0 adds a worked example per
task (an invented passage with its full answer, using no name that occurs in the
articles) and bounded answers; 1.2.0 also copy-constrains the short text fields;
1.3.0, the default, asks for NER names by label with three worked examples, a name
must look like one, and an attribution content is a sentence prefix or suffix (each
task's `llm.py` says what its answer is in each version).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Sequence

from bench.errors import BenchError
from bench.paths import read_regular

if TYPE_CHECKING:
    from bench.tasks.base import Task
    from bench.tasks.llm import AnswerFormat

PLACEHOLDER = "{{ARTICLE}}"
_SYSTEM, _USER = "=== system ===", "=== user ==="
_EXAMPLE_USER, _EXAMPLE_ASSISTANT = "=== example user ===", "=== example assistant ==="
MAX_TEMPLATE_CHARS = 200_000  # a template is a few KB; the article is added to it


def prompt_versions(tasks: Sequence[Task] | None = None) -> tuple[str, ...]:
    """The prompt versions every one of `tasks` (default: every task an LLM can be asked for) has, oldest first."""
    from bench.tasks.registry import all_tasks

    protocols = [t.llm for t in (tasks if tasks is not None else all_tasks()) if getattr(t, "llm", None) is not None]
    if not protocols:
        return ()
    return tuple(v for v in protocols[0].versions if all(v in p.versions for p in protocols[1:]))


def latest(tasks: Sequence[Task] | None = None) -> str:
    versions = prompt_versions(tasks)
    if not versions:
        raise BenchError("none of these tasks can be asked of an LLM (no task has an LLM protocol)")
    return versions[-1]


@dataclass(frozen=True)
class Prompt:
    """One task's prompt of one version: the template's parts, the answer format, the identity."""

    task: str
    version: str  # the packaged version, or "custom" for a template of one's own
    system: str
    user: str  # with the placeholder
    sha256: str  # of the template text, the answer schema and the format's rules
    format: AnswerFormat
    examples: tuple[tuple[str, str], ...] = ()  # worked examples: (user turn, assistant turn)

    @property
    def bounded(self) -> bool:
        """At most a window-scaled number of records per answer, and duplicates removed."""
        return self.format.bounds is not None

    def messages(self, article: str) -> list[dict[str, str]]:
        turns = [{"role": "system", "content": self.system}]
        for question, answer in self.examples:
            turns += [{"role": "user", "content": question}, {"role": "assistant", "content": answer}]
        return turns + [{"role": "user", "content": self.user.replace(PLACEHOLDER, article)}]

    def describe(self) -> dict[str, str]:
        """The prompt identity as the results and the cache record it."""
        return {"version": self.version, "sha256": self.sha256}


def _parse(text: str, origin: str) -> tuple[str, tuple[tuple[str, str], ...], str]:
    if not text.lstrip().startswith(_SYSTEM) or _USER not in text:
        raise BenchError(f"{origin}: a prompt template starts with a line '{_SYSTEM}' and has a line '{_USER}'")
    head, _, user = text.lstrip()[len(_SYSTEM) :].partition(_USER)
    if PLACEHOLDER not in user:
        raise BenchError(f"{origin}: the user part has no {PLACEHOLDER} placeholder for the article")
    system, *parts = head.split(_EXAMPLE_USER)
    examples = []
    for part in parts:
        if _EXAMPLE_ASSISTANT not in part:
            raise BenchError(f"{origin}: each '{_EXAMPLE_USER}' line needs an '{_EXAMPLE_ASSISTANT}' line after it")
        question, _, answer = part.partition(_EXAMPLE_ASSISTANT)
        examples.append((question.strip(), answer.strip()))
    return system.strip(), tuple(examples), user.strip()


def _read_template(path: Path) -> str:
    """A template file's text: UTF-8, not too long; else one line naming the file."""
    try:
        data = read_regular(path, 4 * MAX_TEMPLATE_CHARS)  # a regular file only (a FIFO would block)
    except OSError as exc:
        raise BenchError(f"{path}: cannot read the prompt template: {exc.strerror}") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BenchError(f"{path}: the prompt template is not UTF-8 (byte {exc.start + 1} is 0x{data[exc.start]:02x})") from None
    if len(text) > MAX_TEMPLATE_CHARS:
        raise BenchError(f"{path}: the prompt template has {len(text):,} characters (the limit is {MAX_TEMPLATE_CHARS:,})")
    return text


def load_prompt(task: Task, directory: Path | None = None, version: str | None = None) -> Prompt:
    """The task's prompt of `version` (default: the latest): the package's own template, or
    `directory/<task>.txt` when given, hashed with the version's answer format."""
    from bench.tasks.llm import identity_hash_text

    protocol = getattr(task, "llm", None)
    if protocol is None:
        raise BenchError(f"the {task.name} task has no LLM protocol: an LLM system cannot be asked for it")
    version = version or protocol.versions[-1]
    if version not in protocol.versions:
        raise BenchError(f"unknown prompt version {version!r} for {task.name}; one of {', '.join(protocol.versions)}")
    packaged = protocol.template(version)
    origin, text = f"bench/tasks/{task.name}/prompts/{version}.txt", packaged
    if directory is not None:
        path = Path(directory) / f"{task.name}.txt"
        text = _read_template(path)
        origin = str(path)
    system, examples, user = _parse(text, origin)
    fmt = protocol.answer_format(version)
    digest = hashlib.sha256((text + "\0" + identity_hash_text(fmt)).encode("utf-8")).hexdigest()
    return Prompt(str(task.name), version if text == packaged else "custom", system, user, digest, fmt, examples)


def bounded_version(version: str | None, tasks: Sequence[Task]) -> bool:
    """Whether `version` (None: the latest) bounds the answers of any of `tasks`."""
    asked = [t for t in tasks if getattr(t, "llm", None) is not None]
    version = version or (latest(asked) if asked else None)
    return any(version in t.llm.versions and t.llm.answer_format(version).bounds is not None for t in asked)


__all__ = ["PLACEHOLDER", "Prompt", "bounded_version", "latest", "load_prompt", "prompt_versions"]
