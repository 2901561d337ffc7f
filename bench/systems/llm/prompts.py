"""Versioned prompt templates: one per task and version, kept in the package next to
this module (`prompts/<version>/<task>.txt`).

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

`{{ARTICLE}}` is replaced by the article's text, or by one window of it (see
`windows.py`). The results record each template's version and the sha256 of its text
together with the task's answer schema, and the prediction cache keys on that hash, so
an edited template never reuses old answers. `--prompts DIR` reads `DIR/<task>.txt`
instead (for prompt experiments); a template that differs from the packaged one of the
chosen version is reported with the version `custom`.

Versions (`--prompt-version`): 1.0.0, the first, without examples and with unbounded
answers (kept so that its rows can be reproduced); 1.1.0 adds a worked example per
task (an invented passage with its full answer, using no name that occurs in the
articles) and bounded answers (`maxItems` scaled to the window, duplicates removed
before scoring); 1.2.0 also copy-constrains the short text fields (a name, a number
phrase, a source, a cue may only be a phrase of the window; see `copying.py`); 1.3.0,
the default, asks for NER names by label (one list per label, `answers.BY_LABEL_KEYS`)
with three worked examples, a name must look like one (capitalised), and an
attribution content is a sentence prefix or suffix. The casualty template and rules of
1.3.0 are 1.2.0's, so the two share a prompt hash and cached answers.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from bench.errors import BenchError
from bench.paths import read_regular
from bench.tasks.base import TaskName

# Add a version (a new folder) whenever a template or the answer schema changes.
PROMPT_VERSIONS: tuple[str, ...] = ("1.0.0", "1.1.0", "1.2.0", "1.3.0")
LATEST = PROMPT_VERSIONS[-1]
UNBOUNDED = frozenset({"1.0.0"})  # versions whose answers have no maxItems and keep duplicates
FREE_TEXT = frozenset({"1.0.0", "1.1.0"})  # versions whose short text fields are not copy-constrained
FLAT_NER = frozenset({"1.0.0", "1.1.0", "1.2.0"})  # versions whose NER answer is one list of labelled names, and any phrase may be a name
FREE_CONTENT = frozenset({"1.0.0", "1.1.0", "1.2.0"})  # versions whose attribution content is free text
PLACEHOLDER = "{{ARTICLE}}"
_SYSTEM, _USER = "=== system ===", "=== user ==="
_EXAMPLE_USER, _EXAMPLE_ASSISTANT = "=== example user ===", "=== example assistant ==="


@dataclass(frozen=True)
class Prompt:
    task: TaskName
    version: str
    system: str
    user: str  # with the placeholder
    sha256: str  # of the template text and the answer schema
    bounded: bool = True  # maxItems per window, duplicates removed
    examples: tuple[tuple[str, str], ...] = ()  # worked examples: (user turn, assistant turn)
    copies: bool = True  # short text fields only accept phrases of the window (copying.py)
    by_label: bool = False  # NER: one list of names per label (answers.BY_LABEL_KEYS)
    capitalised: bool = False  # NER: a name phrase starts and ends with a capitalised word (copying.py)
    clauses: bool = False  # attribution: a content is a sentence prefix or suffix (copying.py)

    def messages(self, article: str) -> list[dict[str, str]]:
        turns = [{"role": "system", "content": self.system}]
        for question, answer in self.examples:
            turns += [{"role": "user", "content": question}, {"role": "assistant", "content": answer}]
        return turns + [{"role": "user", "content": self.user.replace(PLACEHOLDER, article)}]

    def describe(self) -> dict[str, str]:
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


MAX_TEMPLATE_CHARS = 200_000  # a template is a few KB; the article is added to it


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


def load_prompt(task: TaskName, directory: Path | None = None, version: str = LATEST) -> Prompt:
    """The task's template of `version`: the package's own, or `directory/<task>.txt` when given."""
    from bench.systems.llm.answers import answer_schema

    if version not in PROMPT_VERSIONS:
        raise BenchError(f"unknown prompt version {version!r}; one of {', '.join(PROMPT_VERSIONS)}")
    packaged = resources.files(__package__).joinpath("prompts", version, f"{task.value}.txt").read_text(encoding="utf-8")
    origin, text = f"bench/systems/llm/prompts/{version}/{task.value}.txt", packaged
    if directory is not None:
        path = Path(directory) / f"{task.value}.txt"
        text = _read_template(path)
        origin = str(path)
    system, examples, user = _parse(text, origin)
    bounded, copies = version not in UNBOUNDED, version not in FREE_TEXT
    by_label = capitalised = task is TaskName.NER and version not in FLAT_NER
    clauses = task is TaskName.ATTRIBUTION and version not in FREE_CONTENT
    schema = json.dumps(answer_schema(task, by_label=by_label), sort_keys=True)
    if bounded:  # the bounds rule is part of what the model is asked for
        from bench.systems.llm.windows import bounds_rule

        schema += "\0" + json.dumps(bounds_rule(task), sort_keys=True)
    if copies:  # and so is the copy rule
        from bench.systems.llm.copying import copy_rule

        schema += "\0" + json.dumps(copy_rule(task, capitalised, clauses), sort_keys=True)
    digest = hashlib.sha256((text + "\0" + schema).encode("utf-8")).hexdigest()
    return Prompt(task, version if text == packaged else "custom", system, user, digest, bounded, examples, copies, by_label, capitalised, clauses)
