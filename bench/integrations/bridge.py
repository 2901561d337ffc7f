"""The one bridge between a harness and bench: a task's requests as plain records, and
the answers a harness got for them back into bench's predictions and scores.

Where it sits: stage 8, integrations. It only calls the LLM adapter's own functions
(`bench.systems.llm.requests.requests` and `merge`, over the task's LLM protocol) and
the harness's scoring (`bench.harness.run.score_file`, as `bench score` does), so a
route through Inspect AI or lm-evaluation-harness gives the predictions `bench eval
openai:` gives for the same answers, scored by the same code:

- `plan(task, data, window, prompt_version, docs, limit, max_enum)`: every window of
  every document, in `LLMSystem.predict`'s order, as an `Asked`: the `WindowRequest` (a
  JSON-able record a harness carries with its sample), the chat messages and the
  window's answer schema. `max_enum` is `bench eval --max-enum` (default: OpenAI's
  caps, as for `openai:`; 0: none): a window over it is split or copy-checked as the
  prompt version says, and its parts are requests of their own (`part`);
- `collect(answers, spec, data)`: (request, raw answer, truncated) -> one
  `DocumentPrediction` per document, parsed, tagged with its window and deduplicated
  exactly as `LLMSystem.predict` does. A request is checked against this bench first:
  the same prompt identity (sha256), the same article (sha256), the same window and
  answer bound; a document with a window left unanswered is refused, or left out when
  asked (`complete=False`: a harness metric over a run cut short);
- `score(collected)`: bench's results record of the predictions (with intervals),
  written to a predictions file and read back as `bench score` reads it. A run over
  some documents of a tree is scored on a tree of those documents alone.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any, Mapping, Sequence

from bench.documents.corpus import ARTICLES_FILE, Corpus, load_corpus
from bench.documents.windows import WindowStrategy
from bench.errors import BenchError
from bench.systems.base import DocumentPrediction
from bench.systems.llm.prompts import Prompt, load_prompt
from bench.systems.llm.requests import Request, merge, place, requests
from bench.systems.llm.schema_limits import OPENAI, EnumLimit, Treatment, limit_for
from bench.tasks.base import Task

DEFAULT_WINDOW = WindowStrategy.PARAGRAPH  # smollm2's measured best (docs/history/2026-12-02-llm-prompts-and-windows.md)


@dataclass(frozen=True)
class WindowRequest:
    """One window's request as a harness carries it (sample metadata, a dataset row):
    what it asks and what bench needs to read its answer back."""

    task: str
    doc_id: str
    strategy: str  # document, paragraph or sentence
    index: int  # the window's index in its document
    start: int  # the window's span of the article
    end: int
    max_items: int | None  # the answer schema's bound (None: unbounded prompts)
    prompt_version: str
    prompt_sha256: str
    document_sha256: str
    data: str  # the benchmark tree (absolute path)
    part: int | None = None  # a part of the window, cut because its schema was over the enum limit
    treatment: str = Treatment.WHOLE.value  # whole, split or copy_check (bench.systems.llm.schema_limits)
    max_enum: int = OPENAI.max_values  # the limit it was planned under (0: none)

    @property
    def id(self) -> str:
        """A sample id: document and window (`003_a061056322098f3b-p004`, a part `-p004.2`); no `:`, which Inspect reads as a task selector."""
        return f"{self.doc_id}-{self.strategy[0]}{self.index:03d}" + ("" if self.part is None else f".{self.part}")

    @property
    def key(self) -> tuple[int, int | None]:
        """The window and part it asks for, unique in its document."""
        return (self.index, self.part)

    @property
    def schema_name(self) -> str:
        return f"{self.task}_answer"

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, raw: Any, where: str) -> "WindowRequest":
        """A request read back from a harness's log; one line naming `where` when it is not one."""
        if not isinstance(raw, Mapping):
            raise BenchError(f"{where}: no bench request (expected an object)")
        values = {}
        for f in fields(cls):
            if f.name in _LATER and f.name not in raw:
                if f.name == "max_enum":
                    values[f.name] = 0  # a log from before bench knew schema limits: planned with none
                continue
            value = raw.get(f.name)
            wanted = (int, type(None)) if f.name in ("max_items", "part") else (int if f.type in ("int", int) else str)
            if f.name not in raw or not isinstance(value, wanted) or isinstance(value, bool):
                raise BenchError(f"{where}: the bench request has no valid {f.name!r}; was this log made by bench's task?")
            values[f.name] = value
        return cls(**values)


_LATER = ("part", "treatment", "max_enum")  # fields a request may lack


def _number(value: Any, name: str, what: str, least: int) -> int:
    """A harness's option (a number or a string) as a whole number of at least `least`; one line when it is not."""
    try:
        count = int(value)
    except (TypeError, ValueError):
        raise BenchError(f"{name} must be a number of {what}, not {value!r}") from None
    if count < least:
        raise BenchError(f"{name} must be at least {least} ({what}), not {count}")
    return count


def enum_limit(max_enum: Any) -> EnumLimit | None:
    """`max_enum` as a harness passes it (a number, a string, or None for the default)."""
    if max_enum is None or max_enum == "":
        return OPENAI
    return limit_for(_number(max_enum, "max_enum", "enum values, 0: no limit", 0), OPENAI)


@dataclass(frozen=True)
class Asked:
    """A request with what is sent for it: the chat messages and the answer schema."""

    request: WindowRequest
    messages: list[dict[str, str]]
    schema: dict[str, Any]


@dataclass(frozen=True)
class Plan:
    task: Task
    prompt: Prompt
    corpus: Corpus
    strategy: WindowStrategy
    asked: tuple[Asked, ...]


def llm_task(name: str) -> Task:
    from bench.tasks.registry import get_task

    task = get_task(name)
    if getattr(task, "llm", None) is None:
        raise BenchError(f"the {name} task has no LLM protocol, so no harness can ask a model for it")
    return task


def strategy_of(window: str | None) -> WindowStrategy:
    try:
        return WindowStrategy(window or DEFAULT_WINDOW.value)
    except ValueError:
        raise BenchError(f"unknown window {window!r}; one of {', '.join(w.value for w in WindowStrategy)}") from None


def _doc_ids(docs: Any) -> list[str] | None:
    """`docs` as a list of ids: a comma-separated string or a list (Inspect parses `-T docs=a,b` as YAML, a list)."""
    if docs is None or docs == "":
        return None
    items = docs if isinstance(docs, (list, tuple)) else str(docs).split(",")
    return [str(d).strip() for d in items if str(d).strip()]


def choose(corpus: Corpus, docs: Any = None, limit: Any = None) -> list[str]:
    """The documents a run asks about: `docs` (ids), else all; then the first `limit`."""
    chosen = list(corpus)
    wanted = _doc_ids(docs)
    if wanted is not None:
        unknown = [d for d in wanted if d not in corpus]
        if unknown:
            raise BenchError(f"unknown document {unknown[0]!r}; documents: {', '.join(corpus)}")
        chosen = [d for d in chosen if d in wanted]
    if limit is not None and limit != "":
        chosen = chosen[: _number(limit, "limit", "documents", 1)]
    return chosen


def plan(task: str, data: str | Path | None = None, window: str | None = None, prompt_version: str | None = None, docs: Any = None, limit: Any = None,
         max_enum: Any = None) -> Plan:
    """Every request `LLMSystem` would send for `task`, in its order (document, then window)."""
    found = llm_task(task)
    strategy = strategy_of(window)
    schema_limit = enum_limit(max_enum)
    corpus = load_corpus(Path(data).resolve() if data else None)
    prompt = load_prompt(found, None, str(prompt_version) if prompt_version else None)
    asked = []
    for doc_id in choose(corpus, docs, limit):
        document = corpus[doc_id]
        for r in requests(found, prompt, document, strategy, schema_limit):
            w = r.window
            request = WindowRequest(r.task, doc_id, strategy.value, w.index, w.start, w.end, r.max_items, prompt.version, prompt.sha256, document.sha256, str(corpus.root),
                                    w.part, r.treatment.value, schema_limit.max_values if schema_limit else 0)
            asked.append(Asked(request, r.messages(prompt, document), r.schema(prompt, document)))
    return Plan(found, prompt, corpus, strategy, tuple(asked))


@dataclass(frozen=True)
class Collected:
    """A harness's answers for one task, read back: the predictions, one per answered document."""

    task: Task
    prompt: Prompt
    corpus: Corpus  # the tree the requests were made on
    strategy: WindowStrategy
    predictions: tuple[DocumentPrediction, ...]  # corpus order
    windows: int  # answers used
    duplicates_removed: int
    incomplete: tuple[str, ...] = ()  # documents left out: some window had no answer (complete=False)


def _same(answers: Sequence[tuple[WindowRequest, str, bool]], name: str) -> Any:
    values = {getattr(r, name) for r, _, _ in answers}
    if len(values) > 1:
        raise BenchError(f"the answers mix {name}s ({', '.join(map(str, sorted(values, key=str)))}); import one task, window and prompt at a time")
    return values.pop()


def collect(answers: Sequence[tuple[WindowRequest, str, bool]], spec: str, data: str | Path | None = None, complete: bool = True) -> Collected:
    """(request, raw answer text, truncated) -> predictions, as `LLMSystem.predict` makes them.

    `spec` names the system in a parse failure's message; `data` is the tree to read
    the articles from (default: the one the requests name)."""
    if not answers:
        raise BenchError("there are no answers to read")
    for name in ("task", "strategy", "prompt_version", "prompt_sha256", "data", "max_enum"):
        _same(answers, name)
    first = answers[0][0]
    schema_limit = enum_limit(first.max_enum)
    task, strategy = llm_task(first.task), strategy_of(first.strategy)
    prompt = load_prompt(task, None, first.prompt_version)
    if prompt.sha256 != first.prompt_sha256:
        raise BenchError(f"the answers were asked with {task.name} prompts {first.prompt_version} of sha256 {first.prompt_sha256[:12]}, but this bench's prompts {prompt.version} have sha256 {prompt.sha256[:12]}; read them with the bench version that asked them")
    root = Path(data) if data else Path(first.data)
    if not (root / "seeds" / ARTICLES_FILE).is_file():
        raise BenchError(f"{root}: the benchmark tree the answers were asked on is not here; give it with --data")
    corpus = load_corpus(root)
    by_doc: dict[str, dict[int, tuple[WindowRequest, str, bool]]] = {}
    for answer in answers:
        request = answer[0]
        if request.doc_id not in corpus:
            raise BenchError(f"{root}: no document {request.doc_id!r}, which the answers are for; give the tree they were asked on with --data")
        if request.document_sha256 != corpus[request.doc_id].sha256:
            raise BenchError(f"document {request.doc_id}: the answers were asked on a text of sha256 {request.document_sha256[:12]}, but {root} holds one of sha256 {corpus[request.doc_id].sha256[:12]}")
        windows = by_doc.setdefault(request.doc_id, {})
        if request.key in windows:
            raise BenchError(f"document {request.doc_id}: window {_label(request.key)} is answered twice")
        windows[request.key] = answer
    predictions, incomplete, used, removed = [], [], 0, 0
    for doc_id, document in corpus.items():
        got = by_doc.get(doc_id)
        if got is None:
            continue
        expected: list[Request] = requests(task, prompt, document, strategy, schema_limit, lambda _: None)  # warned when planned
        missing = [_label(_key(r)) for r in expected if _key(r) not in got]
        extra = sorted(set(got) - {_key(r) for r in expected}, key=lambda k: (k[0], -1 if k[1] is None else k[1]))
        if extra:
            raise BenchError(f"document {doc_id} has {len(expected)} {strategy.value} windows, but window {_label(extra[0])} is answered")
        if missing:
            if complete:
                shown = ", ".join(map(str, missing[:10])) + (" ..." if len(missing) > 10 else "")
                raise BenchError(f"document {doc_id}: {len(missing)} of its {len(expected)} windows have no answer ({strategy.value} window {shown}); a sample failed or the run was cut short: answer every window of a document, or leave the document out")
            incomplete.append(doc_id)
            continue
        answered = []
        for r in expected:
            request, text, truncated = got[_key(r)]
            if (request.start, request.end, request.max_items, request.treatment) != (r.window.start, r.window.end, r.max_items, r.treatment.value):
                raise BenchError(f"document {doc_id}, window {r.window.label}: asked for [{request.start}, {request.end}) with at most {request.max_items} items, but this bench's window is [{r.window.start}, {r.window.end}) with at most {r.max_items}")
            answered.append((r, text, truncated))
        merged = merge(task, prompt, document, strategy, answered, place(spec, document, task))
        used += merged.answers
        removed += merged.duplicates_removed
        predictions.append(DocumentPrediction(doc_id, {task.name: merged.items}, {task.name: merged.failures}, {task.name: merged.answers}))
    return Collected(task, prompt, corpus, strategy, tuple(predictions), used, removed, tuple(incomplete))


def _key(r: Request) -> tuple[int, int | None]:
    return (r.window.index, r.window.part)


def _label(key: tuple[int, int | None]) -> str:
    return f"{key[0]}" if key[1] is None else f"{key[0]} part {key[1]}"


def subtree(corpus: Corpus, doc_ids: Sequence[str], dest: Path) -> Path:
    """A benchmark tree of `doc_ids` alone (their articles and every task's gold for them),
    as `--data` takes; `gold/versions.json` keeps each version with the sha256 of this
    part of its gold. The tree's own gold should have passed its checks first."""
    from bench.tasks.goldfiles import VERSIONS_FILE, content_sha256, read_versions

    root, keep = corpus.root, set(doc_ids)
    (dest / "seeds").mkdir(parents=True)
    meta = json.loads((root / "seeds" / ARTICLES_FILE).read_text(encoding="utf-8"))
    meta["articles"] = [a for a in meta["articles"] if a.get("id") in keep]
    (dest / "seeds" / ARTICLES_FILE).write_text(json.dumps(meta, ensure_ascii=False, indent=2), encoding="utf-8")
    for doc_id in doc_ids:
        shutil.copyfile(root / "seeds" / f"{doc_id}.txt", dest / "seeds" / f"{doc_id}.txt")
    (dest / "gold").mkdir()
    for entry in sorted((root / "gold").iterdir()):
        if entry.is_dir():
            (dest / "gold" / entry.name).mkdir()
            for doc_id in doc_ids:
                if (entry / f"{doc_id}.json").is_file():
                    shutil.copyfile(entry / f"{doc_id}.json", dest / "gold" / entry.name / f"{doc_id}.json")
        elif entry.is_file() and entry.name != VERSIONS_FILE:
            shutil.copyfile(entry, dest / "gold" / entry.name)
    # the same gold versions, with the sha256 of these documents' gold (the content bench validate checks)
    versions = {task: {**entry, "sha256": content_sha256(dest, task, list(doc_ids))} if (dest / "gold" / task).is_dir() else entry for task, entry in read_versions(root).items()}
    (dest / "gold" / VERSIONS_FILE).write_text(json.dumps(versions, indent=2) + "\n", encoding="utf-8")
    return dest


def score(collected: Collected, predictions_path: Path | None = None):
    """bench's results record of `collected` (`bench.results.record.RunRecord`, with
    intervals): the predictions written to a file (`predictions_path`, else a temporary
    one) and scored from it as `bench score` scores a file, on the answered documents."""
    from bench.harness.predictions import read_predictions, write_predictions
    from bench.harness.run import load_checked_gold, score_file
    from bench.results.make import record_of

    if not collected.predictions:
        raise BenchError("no document has an answer for every window; there is nothing to score")
    with tempfile.TemporaryDirectory(prefix="bench-harness-") as tmp:
        corpus = collected.corpus
        answered = [p.doc_id for p in collected.predictions]
        if answered != list(corpus):
            load_checked_gold(corpus, [collected.task])  # the whole tree's gold passes its checks, then a part of it is taken
            corpus = load_corpus(subtree(corpus, answered, Path(tmp) / "tree"))
        path = predictions_path or Path(tmp) / "predictions.jsonl"
        write_predictions(path, collected.predictions, {})
        file = read_predictions(path, corpus, [collected.task])
        return record_of(score_file(file, corpus, [collected.task]))


@dataclass(frozen=True)
class Headline:
    """A task's headline in a record: value, interval, and the parse failures behind it."""

    metric: str
    view: str | None
    value: float
    low: float | None
    high: float | None
    parse_failures: int
    answers: int
    documents: int


def headline(record, task: str) -> Headline:
    metric, view = record.headline(task)
    row = record.row(task, metric, view)
    found = record.intervals.find(task, metric, view) if record.intervals is not None else None
    failures = record.row(task, "parse_failures")
    return Headline(metric, view, row.value if row else 0.0, found.low if found else None, found.high if found else None,
                    int(failures.value) if failures else 0, int(failures.support or 0) if failures else 0, len(record.documents))

