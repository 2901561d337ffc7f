"""The predictions file: JSON Lines, one object per document, any language can write it.

    {"doc_id": "000_5cf36fedf2077db3", "ner": [{"start": 0, "end": 5, "label": "GPE"}, {"text": "SOHR", "label": "ORG"}],
     "casualties": [{"quantity": {"text": "over 70", "kind": "lower_bound", "low": 71, "high": null},
                     "outcome": "killed", "unit": "persons", "victim": {"category": "unknown"}}]}

`bench schema predictions` prints the JSON Schema of a line. Reading is strict: the
first problem stops it with `file:line: problem` (exit code 2), naming invalid JSON,
wrong types, unknown document ids, repeated documents and non-UTF-8 bytes. Offsets,
span texts and labels are checked when scoring, with the same `file:line` prefix.

A system with its own labels for a task (spaCy's PERSON, DATE, ... for NER) records its
label map on each line (`label_maps`, by task key), so the file is self-describing:
`bench score` re-reads it with that map unless `--label-map` is given.

The file is read as a stream, a chunk at a time, so memory is bounded by the longest
line allowed (`MAX_LINE_BYTES`), never by the file: a line longer than that is refused
as soon as it is seen, and a file of nothing but newlines costs nothing. Only a regular
file is read (a FIFO or a device such as `/dev/zero` is refused before a byte is read),
and a line's schema check stops at its first error.

Where it sits: the harness (`bench/harness/`): `bench eval --save-predictions` writes
this file and `bench score` reads it, so a run can be scored again without its system.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Iterator, Mapping, Sequence

from bench import atomic, safejson
from bench.documents.corpus import Corpus
from bench.errors import PredictionError
from bench.paths import open_regular
from bench.systems.base import DocumentPrediction, FailureKind, ParseFailure
from bench.tasks.base import Task


def predictions_schema() -> dict[str, Any]:
    """The JSON Schema of one predictions line (`bench schema predictions`): the envelope
    shipped beside this module, with every task's key, label map, failures and answers."""
    from importlib import resources

    from bench.tasks.registry import all_tasks

    schema = json.loads(resources.files(__package__).joinpath("predictions.schema.json").read_text(encoding="utf-8"))
    envelope = schema["properties"]
    properties: dict[str, Any] = {"doc_id": envelope["doc_id"], "label_maps": envelope["label_maps"], "system": envelope["system"]}
    for task in all_tasks():
        key = task.predictions_key
        properties[key] = task.predictions_schema()
        label_map = task.label_map_schema()
        if label_map is not None:
            envelope["label_maps"]["properties"][key] = label_map
        envelope["failures"]["properties"][key] = {"$ref": "#/$defs/failures"}
        envelope["answers"]["properties"][key] = {"type": "integer", "minimum": 1}
    properties["failures"], properties["answers"] = envelope["failures"], envelope["answers"]
    schema["properties"] = properties
    return schema


PREDICTIONS_KEY = "predictions"  # in a record's `run`: the predictions file, relative to the results file's folder
PREDICTIONS_SHA_KEY = "predictions_sha256"


def file_sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def predictions_entry(predictions: Path, results: Path) -> dict[str, str]:
    """The `run` entries that tie a results file to its predictions file (`bench report` finds it so)."""
    folder = Path(results).resolve().parent
    try:
        shown = Path(os.path.relpath(Path(predictions).resolve(), folder)).as_posix()
    except ValueError:  # another drive (Windows): keep the absolute path
        shown = Path(predictions).resolve().as_posix()
    return {PREDICTIONS_KEY: shown, PREDICTIONS_SHA_KEY: file_sha256(predictions)}


@dataclass(frozen=True)
class PredictionsFile:
    path: Path
    predictions: Mapping[str, DocumentPrediction]  # doc_id -> prediction
    where: Mapping[str, str]  # doc_id -> "file:line"
    tasks: frozenset[str]  # the names of the tasks whose keys the file uses
    parsed_answers: bool = False  # the file has a `failures` key (an LLM system wrote it)
    label_maps: Mapping[str, Any] = field(default_factory=dict)  # task name -> the label map recorded by the system that wrote it
    system: Mapping[str, str] | None = None  # the system that wrote it (spec, name, version), when the file records it


MAX_LINE_BYTES = safejson.DEFAULT_LIMITS.max_chars  # the longest line read (64 MiB); no honest line comes near it
_CHUNK = 1 << 20
_TEXT = re.compile(rb"[^\r\n]+")  # the text of a line: what lies between line breaks


def _breaks(data: bytes, start: int, end: int) -> int:
    """Line breaks in data[start:end] (\n, \r\n or a lone \r, as `bytes.splitlines` counts them)."""
    return data.count(b"\n", start, end) + data.count(b"\r", start, end) - data.count(b"\r\n", start, end)


def _lines(handle: IO[bytes], path: Path, limit: int = MAX_LINE_BYTES) -> Iterator[tuple[int, bytes]]:
    """(line number, bytes) of every non-empty line, numbered as `bytes.splitlines` would,
    reading `_CHUNK` bytes at a time; a line longer than `limit` bytes is refused before
    more of it is read."""
    number = 0  # line breaks before `pending`
    pending = b""
    while True:
        chunk = handle.read(_CHUNK)
        data = pending + chunk
        cut = len(data)
        if chunk:  # complete lines only: up to the last break, keeping a final \r (its \n may follow)
            end = cut - 1 if data.endswith(b"\r") else cut
            since = max(0, len(pending) - 1)  # `pending` holds no break but perhaps a final \r
            cut = max(data.rfind(b"\n", since, end), data.rfind(b"\r", since, end)) + 1
        done, pending = data[:cut], data[cut:]
        position = 0
        texts = _TEXT.finditer(done) if done.translate(None, b"\r\n") else ()  # a run of blank lines: nothing to look for
        for match in texts:
            number += _breaks(done, position, match.start())
            if match.end() - match.start() > limit:
                raise PredictionError(f"{path}:{number + 1}: a line longer than {limit:,} bytes (the most a line may hold)")
            yield number + 1, match.group()
            position = match.end()
        number += _breaks(done, position, len(done))
        if len(pending) > limit:
            raise PredictionError(f"{path}:{number + 1}: a line longer than {limit:,} bytes (the most a line may hold)")
        if not chunk:
            return


def _schema_message(error: Any) -> str:
    path = ""
    for part in error.absolute_path:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return f"{path}: {error.message}" if path else error.message


def read_predictions(path: Path, corpus: Corpus, tasks: Sequence[Task]) -> PredictionsFile:
    path = Path(path)
    try:
        handle = open_regular(path)
    except OSError as exc:
        raise PredictionError(f"{path}: cannot read: {exc.strerror}") from None
    try:
        with handle:
            return _read(handle, path, corpus, tasks)
    except OSError as exc:
        raise PredictionError(f"{path}: cannot read: {exc.strerror}") from None


def _read(handle: IO[bytes], path: Path, corpus: Corpus, tasks: Sequence[Task]) -> PredictionsFile:
    from bench.schemafit import compile_schema

    schema = predictions_schema()
    fit = compile_schema(schema)  # jsonschema only for a line this cannot clear, for its message
    validator = None
    by_key = {task.predictions_key: task for task in tasks}
    predictions: dict[str, DocumentPrediction] = {}
    where: dict[str, str] = {}
    used: set[str] = set()
    parsed_answers = False
    recorded_maps: dict[str, tuple[Any, str]] = {}  # task key -> (raw map, where first seen)
    system: tuple[dict[str, str], str] | None = None  # (the recorded system, where first seen)
    for number, line_bytes in _lines(handle, path):
        place = f"{path}:{number}"
        try:
            line = line_bytes.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise PredictionError(f"{place}: not UTF-8 (byte {exc.start + 1} of the line is 0x{line_bytes[exc.start]:02x})") from None
        if not line.strip():
            continue
        try:
            raw = safejson.loads(line)
        except safejson.UnsafeJSON as exc:
            if not predictions:
                _refuse_a_results_file(path)
            raise PredictionError(f"{place}: {exc.problem}") from None
        if not isinstance(raw, dict):
            raise PredictionError(f"{place}: expected a JSON object with doc_id, got {type(raw).__name__}")
        if not predictions and "doc_id" not in raw and _is_results(raw):
            _refuse_a_results_file(path)
        if fit(raw) is not True:
            if validator is None:
                from jsonschema import Draft202012Validator

                validator = Draft202012Validator(schema)
            error = next(validator.iter_errors(raw), None)  # the first only: a line may hold 100,000
            if error is not None:
                raise PredictionError(f"{place}: {_schema_message(error)}")
        doc_id = raw["doc_id"]
        if doc_id not in corpus:
            close = difflib.get_close_matches(doc_id, list(corpus), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else f" (known: {', '.join(corpus)})"
            raise PredictionError(f"{place}: unknown doc_id {doc_id!r}{hint}")
        if doc_id in predictions:
            raise PredictionError(f"{place}: doc_id {doc_id!r} again (first at line {where[doc_id].rsplit(':', 1)[1]})")
        for key, value in raw.get("label_maps", {}).items():
            if key not in recorded_maps:
                recorded_maps[key] = (value, place)
            elif value != recorded_maps[key][0]:
                raise PredictionError(f"{place}: label_maps.{key} differs from the one at {recorded_maps[key][1]} (one file, one label map)")
        if "system" in raw:
            if system is None:
                system = (raw["system"], place)
            elif raw["system"] != system[0]:
                raise PredictionError(f"{place}: system differs from the one at {system[1]} (one file, one system)")
        items = {}
        for key, value in raw.items():
            if key == "doc_id" or key not in by_key:
                continue
            task = by_key[key]
            items[task.name] = task.parse_predictions(value, corpus[doc_id], place)
            used.add(task.name)
        failures = {}
        if "failures" in raw:
            parsed_answers = True
            for key, listed in raw["failures"].items():
                if key not in by_key:
                    continue
                failures[by_key[key].name] = tuple(ParseFailure(FailureKind(f["kind"]), f["message"]) for f in listed)
                used.add(by_key[key].name)
        answers = {}
        for key, n in raw.get("answers", {}).items():
            if key not in by_key:
                continue
            if n < len(failures.get(by_key[key].name, ())):
                raise PredictionError(f"{place}: answers.{key} is {n}, fewer than its {len(failures[by_key[key].name])} failures")
            answers[by_key[key].name] = n
        predictions[doc_id] = DocumentPrediction(doc_id, items, failures, answers)
        where[doc_id] = place
    if not predictions:
        raise PredictionError(f"{path}: no predictions (the file has no JSON lines)")
    label_maps = {}
    for key, (value, place) in recorded_maps.items():
        task = by_key.get(key)
        if task is None:
            continue
        try:
            label_maps[task.name] = task.read_label_map(value)
        except ValueError as exc:
            raise PredictionError(f"{place}: label_maps.{key}: {exc}") from None
    return PredictionsFile(path, predictions, where, frozenset(used), parsed_answers, label_maps, system[0] if system else None)


_RESULTS_KEYS = frozenset({"benchmark", "system", "tasks", "metrics"})  # what every run record holds (bench/results/record.py)


def _is_results(raw: Any) -> bool:
    return isinstance(raw, dict) and _RESULTS_KEYS <= raw.keys()


def _refuse_a_results_file(path: Path) -> None:
    """When the file is one JSON object that is a run record (`bench eval --out`), say so
    in one line instead of the JSON Lines reader's error on its first line."""
    try:
        with open_regular(path) as handle:
            data = handle.read(MAX_LINE_BYTES + 1)
        raw = safejson.loads(data.decode("utf-8")) if len(data) <= MAX_LINE_BYTES else None
    except (OSError, UnicodeDecodeError, safejson.UnsafeJSON):
        return
    if _is_results(raw):
        raise PredictionError(
            f"{path}: a results file (a run record, as `bench eval --out` writes), not predictions; "
            "`bench score` wants the predictions file, JSON Lines, one object per document (`bench eval --save-predictions FILE`)"
        )


def _keys() -> dict[str, str]:
    """task name -> its key in a predictions line."""
    from bench.tasks.registry import all_tasks

    return {task.name: task.predictions_key for task in all_tasks()}


def prediction_to_json(prediction: DocumentPrediction, label_maps: Mapping[str, Any] | None = None, system: Mapping[str, str] | None = None) -> dict[str, Any]:
    keys = _keys()
    out: dict[str, Any] = {"doc_id": prediction.doc_id}
    if system:
        out["system"] = dict(system)
    if label_maps:
        out["label_maps"] = {keys[task]: label_map.to_json() for task, label_map in label_maps.items()}
    for task, items in prediction.items.items():
        out[keys[task]] = [{k: v for k, v in _item_json(item).items() if v is not None} for item in items]
    if prediction.failures:
        out["failures"] = {keys[task]: [f.to_json() for f in listed] for task, listed in prediction.failures.items()}
    if prediction.answers:
        out["answers"] = {keys[task]: n for task, n in prediction.answers.items()}
    return out


def _item_json(item: Any) -> dict[str, Any]:
    from dataclasses import asdict, is_dataclass

    if hasattr(item, "to_json"):
        return item.to_json()
    if is_dataclass(item):
        return asdict(item)
    return dict(item)


def write_predictions(path: Path, predictions: Sequence[DocumentPrediction], label_maps: Mapping[str, Any] | None = None,
                      system: Mapping[str, str] | None = None) -> None:
    """Write JSON Lines atomically (`bench.atomic`: whole or not at all).

    The system's label maps and its spec, name and version (`system`) go on every line,
    so `bench score` re-reads the file as the system was scored, with no flag, names it
    as it was named, and each line stands alone."""
    with atomic.atomic_open(Path(path)) as handle:
        for prediction in predictions:
            handle.write(json.dumps(prediction_to_json(prediction, label_maps, system), ensure_ascii=False) + "\n")
