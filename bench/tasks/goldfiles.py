"""Reading and checking gold files, shared by every task.

Each task keeps one file per document, `gold/<task>/<doc_id>.json`, carrying the
document id, the text's sha256 and the task's gold version. `gold/versions.json`
records, per task, the current version and the sha256 of the task's gold content;
`bench validate` fails when the content changes and the version does not, so every
change bumps the version.

The content hash is over canonical JSON (sorted keys, no whitespace), file by file
in document order, so reformatting a file does not change it.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any, Iterator

from bench import safejson
from bench.documents.corpus import Corpus, Document
from bench.paths import read_regular
from bench.tasks.base import Problem

VERSIONS_FILE = "versions.json"
# (task, sha256 of a file's bytes) of the gold files that fit their task's schema in this
# process: `bench score` and `bench eval` read each file twice (`check_gold`, then
# `load_gold`), and the schema check of a large file takes seconds; the same bytes fit
# the same schema, so the second read skips it.
_FIT_SCHEMA: set[tuple[str, bytes]] = set()
_CONTENT_SHA256: dict[tuple[str, tuple[bytes, ...]], str] = {}  # (task, each file's sha256) -> content sha256


def canonical_json(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def rel(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)


def read_gold_files(root: Path, task: str, corpus: Corpus, problems: list[Problem]) -> Iterator[tuple[Document, dict, str]]:
    """Yield (document, parsed JSON, display path) per gold file that parses and fits its schema."""
    from bench.schemafit import compile_schema
    from bench.tasks.registry import get_task

    folder = root / "gold" / task
    schema = get_task(task).gold_schema()
    fit = compile_schema(schema)  # jsonschema only for a file this cannot clear, for its messages
    if not folder.is_dir():
        problems.append(Problem(rel(folder, root), "", "missing gold folder"))
        return
    for extra in sorted(folder.glob("*.json")):
        if extra.stem not in corpus:
            problems.append(Problem(rel(extra, root), "", f"no article seeds/{extra.stem}.txt for this gold file"))
    for doc_id, document in corpus.items():
        path = folder / f"{doc_id}.json"
        shown = rel(path, root)
        if not path.is_file():
            problems.append(Problem(shown, "", "missing gold file for this article"))
            continue
        try:
            data = read_regular(path)
            raw = safejson.loads(data)  # a regular file; capped depth and size, no lone surrogates
        except OSError as exc:
            problems.append(Problem(shown, "", f"cannot read: {exc.strerror}"))
            continue
        except safejson.UnsafeJSON as exc:
            problems.append(Problem(shown, "", exc.problem))
            continue
        seen = (task, hashlib.sha256(data).digest())
        errors = [] if seen in _FIT_SCHEMA or fit(raw) is True else schema_errors(schema, raw)
        if not errors:
            _FIT_SCHEMA.add(seen)
        for error in errors:
            where = record_name(raw, list(error.absolute_path))
            problems.append(Problem(shown, where, f"schema: {error.message}"))
        if errors:
            continue
        if raw["doc_id"] != doc_id:
            problems.append(Problem(shown, "doc_id", f"is {raw['doc_id']!r}, but the file is for {doc_id!r}"))
        if raw["text_sha256"] != document.sha256:
            problems.append(Problem(shown, "text_sha256", f"is {raw['text_sha256']}, but the article's sha256 is {document.sha256}"))
        yield document, raw, shown


def schema_errors(schema: dict, raw: Any) -> list:
    """Every way `raw` breaks `schema`, in the order of their places in the file."""
    from jsonschema import Draft202012Validator

    return sorted(Draft202012Validator(schema).iter_errors(raw), key=lambda e: list(e.absolute_path))


def record_name(raw: Any, path: list) -> str:
    """A JSON path as a reader finds it: `mentions[4] (id 000-m005).start`."""
    if not path:
        return "(top level)"
    out = str(path[0])
    node = raw.get(path[0]) if isinstance(raw, dict) else None
    for i, part in enumerate(path[1:], start=1):
        if isinstance(part, int):
            out += f"[{part}]"
            node = node[part] if isinstance(node, list) and part < len(node) else None
            if i == 1 and isinstance(node, dict) and isinstance(node.get("id"), str):
                out += f" (id {node['id']})"
        else:
            out += f".{part}"
            node = node.get(part) if isinstance(node, dict) else None
    return out


def read_versions(root: Path) -> dict[str, dict[str, str]]:
    path = root / "gold" / VERSIONS_FILE
    try:
        raw = safejson.loads(read_regular(path))
    except (OSError, ValueError):
        return {}
    return raw if isinstance(raw, dict) and all(isinstance(v, dict) for v in raw.values()) else {}


def content_sha256(root: Path, task: str, doc_ids: list[str]) -> str:
    """sha256 of a task's gold content, canonical JSON per document in id order.

    Kept per process by the files' bytes (`bench score` asks twice: the version check and
    the results' fingerprint), so the same bytes are parsed and re-encoded once."""
    files = [read_regular(root / "gold" / task / f"{doc_id}.json") for doc_id in sorted(doc_ids)]
    key = (task, tuple(hashlib.sha256(data).digest() for data in files))
    if key not in _CONTENT_SHA256:
        digest = hashlib.sha256()
        for data in files:
            digest.update(canonical_json(safejson.loads(data)))
            digest.update(b"\n")
        _CONTENT_SHA256[key] = digest.hexdigest()
    return _CONTENT_SHA256[key]


def check_version(root: Path, task: str, versions_in_files: set[str], doc_ids: list[str], problems: list[Problem]) -> None:
    """The files agree on one version, which is the one gold/versions.json records with this content's hash."""
    shown = f"gold/{VERSIONS_FILE}"
    if len(versions_in_files) > 1:
        problems.append(Problem(f"gold/{task}/", "gold_version", f"files disagree: {', '.join(sorted(versions_in_files))}"))
        return
    record = read_versions(root).get(task)
    if record is None:
        problems.append(Problem(shown, task, "no entry for this task"))
        return
    (version,) = versions_in_files or {record.get("version")}
    if record.get("version") != version:
        problems.append(Problem(shown, task, f"records version {record.get('version')}, but the gold files say {version}"))
        return
    actual = content_sha256(root, task, doc_ids)
    if record.get("sha256") != actual:
        problems.append(
            Problem(
                shown,
                task,
                f"gold content changed (sha256 {actual}) but version {version} records {record.get('sha256')}: "
                "bump gold_version in every file and record the new version and sha256 here",
            )
        )


def gold_fingerprint(root: Path, task: str, corpus: Corpus) -> tuple[str, str]:
    """(gold version, content sha256) for results files."""
    record = read_versions(root).get(task, {})
    return record.get("version", "unknown"), content_sha256(root, task, list(corpus))


def check_span(document: Document, span: dict, where: str, shown: str, problems: list[Problem]) -> bool:
    """A gold span `{start, end, text}` is in range, equals the article's text and is token-aligned."""
    start, end, text = span["start"], span["end"], document.text
    if not start < end <= len(text):
        problems.append(Problem(shown, where, f"offsets [{start}, {end}) out of range for a text of {len(text)} code points"))
        return False
    if text[start:end] != span["text"]:
        problems.append(Problem(shown, where, f"text {span['text']!r} does not match the article at [{start}, {end}), which reads {text[start:end]!r}"))
        return False
    if not document.is_token_aligned(start, end):
        problems.append(Problem(shown, where, f"span [{start}, {end}) {span['text']!r} does not start and end on token boundaries"))
        return False
    return True
