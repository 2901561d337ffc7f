"""The input boundaries of `bench`, each with its contract, and a generator of hostile inputs.

Shared by the bounded fuzz tests (`tests/test_fuzz.py`, hypothesis) and the long runs
(`benchmarks/fuzz.py`). Every boundary is a function from the bytes of one outside
input to a result; `check` runs it and says whether the contract held:

- a result, or a `BenchError` whose message is one line of encodable text (the CLI turns
  it into one line on stderr and exit code 2; `bench validate` lists problems, exit 1);
- for a model's answer (in-process text, or an endpoint's HTTP body): never an error at
  all: a usable answer or a counted `ParseFailure` (a body that holds no chat completion
  is `NotACompletion`, which the client retries and then reports in one line);
- whatever comes back can be written as UTF-8 JSON.

Hostile inputs (`hostile`) are drawn from a `random.Random`, so hypothesis (through
`st.randoms()`) and a plain seeded loop share them: a valid sample of the boundary's
format with one value replaced by a hostile one (deep nesting, a lone surrogate, a huge
integer, NaN, a wrong type, a long string, a missing key), or its bytes mutated (flips,
cuts, insertions, repeats), or random bytes.
"""

from __future__ import annotations

import json
import random
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable

REPO = Path(__file__).resolve().parent.parent  # the checkout
DOC = "000_5cf36fedf2077db3"

HOSTILE_TEXTS = ["\ud800", "x\udfff", "\ud83d", "", " ", "\x00", "\ufeff", "é\u0301", "<script>alert(1)</script>", "\u202e", "a" * 10_000, "Syria", "SOHR"]
HOSTILE_NUMBERS = ["NaN", "-Infinity", "1e999", "-1", "0", "1" * 5000, "2" * 30, "1.5", "-0", "true", "null", '"3"']


def _deep(rng: random.Random) -> str:
    depth = rng.choice([65, 65, 1000, 1000, 10_000, 100_000])
    if rng.random() < 0.5:
        return "[" * depth + "]" * depth * rng.randint(0, 1)
    return '{"a": ' * depth + "1" + "}" * depth * rng.randint(0, 1)


def _hostile_value(rng: random.Random) -> str:
    """A JSON fragment (text) that may break whatever reads it."""
    pick = rng.random()
    if pick < 0.25:
        return json.dumps(rng.choice(HOSTILE_TEXTS))  # ASCII escapes: a surrogate becomes \ud800
    if pick < 0.5:
        return rng.choice(HOSTILE_NUMBERS)
    if pick < 0.6:
        return _deep(rng)
    return rng.choice(["[]", "{}", "[1, 2]", '{"text": 1}', '[{"text": "\\ud800"}]', "false", '"' + "\\u0000" * 3 + '"'])


def _paths(value: Any, path: tuple = ()) -> list[tuple]:
    out = [path]
    if isinstance(value, dict):
        for key, item in value.items():
            out += _paths(item, path + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value[:4]):
            out += _paths(item, path + (index,))
    return out


_MARK = "\u0007HOSTILE\u0007"


def _replace(value: Any, path: tuple, fragment: str, drop: bool) -> str:
    """`value` as JSON text with the node at `path` replaced by the raw `fragment` (or dropped)."""
    if not path:
        return fragment
    value = json.loads(json.dumps(value))
    node = value
    for part in path[:-1]:
        node = node[part]
    if drop and isinstance(node, dict):
        del node[path[-1]]
        return json.dumps(value)
    node[path[-1]] = _MARK
    return json.dumps(value).replace(json.dumps(_MARK), fragment, 1)


def _mutate_bytes(data: bytes, rng: random.Random) -> bytes:
    data = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        if not data:
            data += bytes([rng.randrange(256)])
        op, at = rng.random(), rng.randrange(len(data))
        if op < 0.3:
            data[at] = rng.randrange(256)
        elif op < 0.5:
            del data[at:]
        elif op < 0.7:
            data[at:at] = rng.choice([b"\xff", b"\xed\xa0\x80", b"\\ud800", b"[", b"{", b'"', b"\x00", b"\n", b"\xef\xbb\xbf"])
        elif op < 0.85:
            data[at:at] = data[at : at + rng.randint(1, 40)] * rng.randint(2, 50)
        else:
            del data[at : at + rng.randint(1, 20)]
    return bytes(data)


def hostile(samples: list[Any], rng: random.Random) -> bytes:
    """One hostile input built from the boundary's valid `samples` (JSON values, or bytes)."""
    sample = rng.choice(samples)
    raw = sample if isinstance(sample, bytes) else json.dumps(sample, ensure_ascii=False).encode("utf-8")
    pick = rng.random()
    if pick < 0.5 and not isinstance(sample, bytes):
        path = rng.choice(_paths(sample))
        return _replace(sample, path, _hostile_value(rng), drop=rng.random() < 0.15).encode("utf-8")
    if pick < 0.9:
        return _mutate_bytes(raw, rng)
    return bytes(rng.randrange(256) for _ in range(rng.randint(0, 64)))


class ContractBroken(AssertionError):
    """The boundary did something its contract forbids (a traceback a user would see)."""


def _one_line(message: str) -> None:
    if "\n" in message or "\r" in message:
        raise ContractBroken(f"a message of several lines: {message[:300]!r}")
    message.encode("utf-8")  # raises on a lone surrogate


def _writable(value: Any) -> None:
    json.dumps(value, ensure_ascii=False, allow_nan=False).encode("utf-8")


@lru_cache(maxsize=None)
def _corpus():
    from bench.documents.corpus import load_corpus

    corpus = load_corpus()
    for document in corpus.values():
        document.sentences  # tokenise once
    return corpus


@lru_cache(maxsize=None)
def _tasks():
    from bench.tasks import all_tasks

    return all_tasks()


@lru_cache(maxsize=None)
def _gold():
    return {t.name: t.load_gold(_corpus().root, _corpus()) for t in _tasks()}


def _scratch() -> Path:
    return Path(tempfile.mkdtemp(prefix="bench-fuzz-"))


# ---- the boundaries -------------------------------------------------------------------


def predictions_file(data: bytes, folder: Path) -> None:
    from bench.harness.predictions import prediction_to_json, read_predictions
    from bench.harness.run import score_predictions

    path = folder / "p.jsonl"
    path.write_bytes(data)
    file = read_predictions(path, _corpus(), _tasks())
    chosen = [t for t in _tasks() if t.name in file.tasks]
    scores = score_predictions(_corpus(), chosen, _gold(), file.predictions, file.where, {}, file.parsed_answers)
    for score in scores.values():
        _writable([row.to_json() for row in score.rows])
        _writable(list(score.errors))
    for prediction in file.predictions.values():
        _writable(prediction_to_json(prediction))


def model_answer(data: bytes, folder: Path) -> None:
    from bench.systems.llm.answers import parse_answer

    text = data.decode("utf-8", errors="surrogateescape")  # in-process text may hold anything
    task = _tasks()[len(data) % 3]  # one task and one finish reason per input, chosen by its length
    parsed = parse_answer(task, task.llm.answer_format("1.2.0"), text, _corpus()[DOC], "fuzz", truncated=len(data) // 3 % 2 == 1)
    if parsed.failure is not None:
        _one_line(parsed.failure.message)
        if parsed.items:
            raise ContractBroken("a failed answer kept items")
    for item in parsed.items:
        _writable(item.to_json() if hasattr(item, "to_json") else repr(item))


def endpoint_body(data: bytes, folder: Path) -> None:
    from bench.systems.llm.client import NotACompletion, completion_from_body

    try:
        completion = completion_from_body(data)
    except NotACompletion as exc:
        _one_line(str(exc))
        return
    model_answer(completion.text.encode("utf-8", errors="surrogatepass"), folder)


def results_file(data: bytes, folder: Path) -> None:
    from bench.reports.leaderboard import render
    from bench.results.record import read_record

    path = folder / "r.json"
    path.write_bytes(data)
    record = read_record(path)
    _writable(record.to_json())
    render({path: record}, folder / "leaderboard.md")


def _small_gold(task: str, doc_id: str) -> dict:
    """A gold file cut to its first few records, so that a check takes milliseconds."""
    raw = json.loads((REPO / "gold" / task / f"{doc_id}.json").read_text(encoding="utf-8"))
    for key, value in raw.items():
        if isinstance(value, list):
            raw[key] = value[:2]
    if task == "ner":
        used = {m["entity"] for m in raw["mentions"]}
        raw["entities"] = [e for e in json.loads((REPO / "gold" / task / f"{doc_id}.json").read_text(encoding="utf-8"))["entities"] if e["id"] in used]
    return raw


def benchmark_tree(data: bytes, folder: Path) -> None:
    """One file of a (small) benchmark tree replaced (articles.json, or a gold file), then checked."""
    import shutil

    from bench.documents.corpus import read_articles

    root = folder / "tree"
    if not root.exists():
        for part in ("seeds", "gold"):
            shutil.copytree(REPO / part, root / part)
        for task in ("ner", "casualties", "attribution"):
            for path in (root / "gold" / task).glob("*.json"):
                path.write_text(json.dumps(_small_gold(task, path.stem), indent=2), encoding="utf-8")
    target = root / ("seeds/articles.json" if data[:1] == b"A" else f"gold/{['ner', 'casualties', 'attribution'][data[-1:] and data[-1] % 3 or 0]}/{DOC}.json")
    original = target.read_bytes()
    target.write_bytes(data[1:] if data[:1] == b"A" else data)
    try:
        if target.name == "articles.json":
            read_articles(root)
        else:
            task = next(t for t in _tasks() if t.name == target.parent.name)
            for problem in task.check_gold(root, _corpus()):
                _one_line(str(problem))
    finally:
        target.write_bytes(original)


def label_map_file(data: bytes, folder: Path) -> None:
    from bench.tasks.ner.labels import load_label_map

    path = folder / "map.json"
    path.write_bytes(data)
    load_label_map(str(path))


def prompt_folder(data: bytes, folder: Path) -> None:
    from bench.systems.llm.prompts import load_prompt
    from bench.tasks import get_task

    (folder / "ner.txt").write_bytes(data)
    prompt = load_prompt(get_task("ner"), folder)
    _writable(prompt.messages(_corpus()[DOC].text))


def cache_file(data: bytes, folder: Path) -> None:
    from bench.systems.llm.cache import PredictionCache

    key = "ab" + "0" * 62
    (folder / "cache" / "ab").mkdir(parents=True, exist_ok=True)
    (folder / "cache" / "ab" / f"{key}.json").write_bytes(data)
    warnings: list[str] = []
    cache = PredictionCache(folder / "cache", warn=warnings.append)
    answer = cache.get(key)
    cache.list()
    for warning in warnings:
        _one_line(warning)
    if answer is not None:
        model_answer(answer.text.encode("utf-8", errors="surrogatepass"), folder)


def lmeval_samples_file(data: bytes, folder: Path) -> None:
    """`bench import lm-eval`: a `--log_samples` file (with lm-eval's results file beside it) read back into predictions."""
    from bench.harness.predictions import prediction_to_json
    from bench.integrations.importing import read_lmeval

    samples = folder / "samples_bench_ner_x.jsonl"
    samples.write_bytes(data)
    (folder / "results_x.json").write_text(json.dumps({"config": {"model": "local-chat-completions", "model_args": {"model": "m"}}, "model_name": "m", "lm_eval_version": "0.4.13"}), encoding="utf-8")
    imported = read_lmeval(samples)
    for prediction in imported.collected.predictions:
        _writable(prediction_to_json(prediction))
    _writable(imported.system.to_json())


# ---- valid samples of each format ------------------------------------------------------


def _lines(name: str) -> list[dict]:
    return [json.loads(line) for line in (REPO / "results" / name).read_text(encoding="utf-8").splitlines() if line.strip()]


def _predictions_samples() -> list[Any]:
    lines = _lines("oracle.predictions.jsonl")
    small = [{"doc_id": l["doc_id"], **{k: l[k][:3] for k in ("ner", "casualties", "attributions") if k in l}} for l in lines]
    two = (json.dumps(small[0]) + "\n" + json.dumps(small[-1]) + "\n").encode("utf-8")
    failures = {"doc_id": DOC, "ner": [], "failures": {"ner": [{"kind": "invalid_json", "message": "x"}]}}
    return small + [two, failures]


def _answer_samples() -> list[Any]:
    from testkit.llm_fakes import VALID

    return [json.dumps(v).encode("utf-8") + b" " * i for i, v in enumerate(VALID.values())] + [b"```json\n" + json.dumps(VALID["ner"]).encode() + b"\n```", b'Here it is: {"entities": []} Done.']


def _body_samples() -> list[Any]:
    from testkit.llm_fakes import VALID

    return [{"choices": [{"index": 0, "message": {"role": "assistant", "content": json.dumps(v)}, "finish_reason": "stop"}]} for v in VALID.values()] + [
        {"choices": [{"message": {"content": [{"type": "text", "text": json.dumps(VALID["ner"])}]}}]}
    ]


def _results_samples() -> list[Any]:
    record = json.loads((REPO / "results" / "rules.json").read_text(encoding="utf-8"))
    record["units"] = record["units"][:4]  # a small record: schema checks cost per node
    record["errors"] = {k: v[:1] for k, v in record["errors"].items()}
    record["metrics"] = [row for row in record["metrics"] if "label" not in row and row["metric"] in ("f1", "strict_f1", "parse_failures", "ungrounded")]
    record["intervals"]["rows"] = record["intervals"]["rows"][:4]
    return [record]


def _tree_samples() -> list[Any]:
    gold = [json.dumps(_small_gold(task, DOC), indent=2).encode("utf-8") for task in ("ner", "casualties", "attribution")]
    return [b"A" + (REPO / "seeds" / "articles.json").read_bytes()] + [g + b"\n" * i for i, g in enumerate(gold)]


def _label_map_samples() -> list[Any]:
    return [{"space": "gold", "map": {"PERSON": "PER", "DATE": None}}, {"space": "conll", "map": {"PER": "PER", "MISC": "MISC"}}]


def _prompt_samples() -> list[Any]:
    from bench.systems.llm.prompts import latest

    return [(REPO / "bench" / "tasks" / "ner" / "prompts" / f"{latest()}.txt").read_bytes()]


def _cache_samples() -> list[Any]:
    return [{"key": {"system": "smollm2", "task": "ner"}, "text": '{"entities": [{"text": "Syria", "label": "GPE"}]}', "finish_reason": "stop"}]


def _lmeval_samples() -> list[Any]:
    """One lm-eval sample line: a document's one window (whole-document prompts) and its answer."""
    from bench.integrations.bridge import plan
    from testkit.llm_fakes import VALID

    asked = next(a for a in plan("ner", REPO, "document").asked if a.request.doc_id == DOC)
    doc = {"id": asked.request.id, "doc_id": DOC, "window": 0, "request": json.dumps(asked.request.to_json())}
    arguments = {"gen_args_0": {"arg_0": "[]", "arg_1": {"until": [], "max_gen_toks": 1024, "response_format": {"type": "json_object"}}}}
    return [{"doc_id": 0, "doc": doc, "arguments": arguments, "resps": [[json.dumps(VALID["ner_by_label"])]], "filtered_resps": ["x"]}]


@dataclass(frozen=True)
class Boundary:
    name: str
    run: Callable[[bytes, Path], None]
    samples: Callable[[], list[Any]]
    answers: bool = False  # a model answer: parse failures, never errors


BOUNDARIES = (
    Boundary("predictions", predictions_file, _predictions_samples),
    Boundary("answer", model_answer, _answer_samples, answers=True),
    Boundary("endpoint_body", endpoint_body, _body_samples, answers=True),
    Boundary("results", results_file, _results_samples),
    Boundary("tree", benchmark_tree, _tree_samples),
    Boundary("label_map", label_map_file, _label_map_samples),
    Boundary("prompts", prompt_folder, _prompt_samples),
    Boundary("cache", cache_file, _cache_samples, answers=True),
    Boundary("lmeval_samples", lmeval_samples_file, _lmeval_samples),
)


def check(boundary: Boundary, data: bytes, folder: Path) -> None:
    """Run one input through `boundary`; raise `ContractBroken` when its contract breaks."""
    from bench.errors import BenchError

    try:
        boundary.run(data, folder)
    except ContractBroken:
        raise
    except BenchError as exc:
        if boundary.answers:
            raise ContractBroken(f"a model answer raised {type(exc).__name__}: {exc.message[:300]!r}") from exc
        try:
            _one_line(exc.message)
        except UnicodeEncodeError:
            raise ContractBroken(f"an unencodable message: {exc.message[:300]!r}") from exc
    except Exception as exc:  # anything else is a traceback the user would see
        raise ContractBroken(f"{type(exc).__name__}: {str(exc)[:300]}") from exc
