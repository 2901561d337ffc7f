"""Versioned prompt templates: one per task, kept in the package next to this module.

A template file has a system part and a user part:

    === system ===
    You are an information-extraction system ...
    === user ===
    List every ... {{ARTICLE}}

`{{ARTICLE}}` is replaced by the article's text. The results record each template's
version and the sha256 of its text together with the task's answer schema, and the
prediction cache keys on that hash, so an edited template never reuses old answers.
`--prompts DIR` reads `DIR/<task>.txt` instead (for prompt experiments); a template
that differs from the packaged one is reported with the version `custom`.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from bench.errors import BenchError
from bench.tasks.base import TaskName

# Bump a task's version whenever its template or answer schema changes.
PROMPT_VERSIONS: dict[TaskName, str] = {
    TaskName.NER: "1.0.0",
    TaskName.CASUALTIES: "1.0.0",
    TaskName.ATTRIBUTION: "1.0.0",
}
PLACEHOLDER = "{{ARTICLE}}"
_SYSTEM, _USER = "=== system ===", "=== user ==="


@dataclass(frozen=True)
class Prompt:
    task: TaskName
    version: str
    system: str
    user: str  # with the placeholder
    sha256: str  # of the template text and the answer schema

    def messages(self, article: str) -> list[dict[str, str]]:
        return [{"role": "system", "content": self.system}, {"role": "user", "content": self.user.replace(PLACEHOLDER, article)}]

    def describe(self) -> dict[str, str]:
        return {"version": self.version, "sha256": self.sha256}


def _parse(text: str, origin: str) -> tuple[str, str]:
    if not text.lstrip().startswith(_SYSTEM) or _USER not in text:
        raise BenchError(f"{origin}: a prompt template starts with a line '{_SYSTEM}' and has a line '{_USER}'")
    system, _, user = text.lstrip()[len(_SYSTEM) :].partition(_USER)
    if PLACEHOLDER not in user:
        raise BenchError(f"{origin}: the user part has no {PLACEHOLDER} placeholder for the article")
    return system.strip(), user.strip()


MAX_TEMPLATE_CHARS = 200_000  # a template is a few KB; the article is added to it


def _read_template(path: Path) -> str:
    """A template file's text: UTF-8, not too long; else one line naming the file."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise BenchError(f"{path}: cannot read the prompt template: {exc.strerror}") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BenchError(f"{path}: the prompt template is not UTF-8 (byte {exc.start + 1} is 0x{data[exc.start]:02x})") from None
    if len(text) > MAX_TEMPLATE_CHARS:
        raise BenchError(f"{path}: the prompt template has {len(text):,} characters (the limit is {MAX_TEMPLATE_CHARS:,})")
    return text


def load_prompt(task: TaskName, directory: Path | None = None) -> Prompt:
    """The task's template: the package's own, or `directory/<task>.txt` when given."""
    from bench.systems.llm.answers import answer_schema

    packaged = resources.files(__package__).joinpath("prompts", f"{task.value}.txt").read_text(encoding="utf-8")
    origin, text, version = f"bench/systems/llm/prompts/{task.value}.txt", packaged, PROMPT_VERSIONS[task]
    if directory is not None:
        path = Path(directory) / f"{task.value}.txt"
        text = _read_template(path)
        origin, version = str(path), (version if text == packaged else "custom")
    system, user = _parse(text, origin)
    schema = json.dumps(answer_schema(task), sort_keys=True)
    digest = hashlib.sha256((text + "\0" + schema).encode("utf-8")).hexdigest()
    return Prompt(task, version, system, user, digest)
