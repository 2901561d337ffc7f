"""`bench import`: a harness's log back into bench, as a results record like any other.

Where it sits: stage 8, integrations. Each reader takes the raw answers out of a log (an
Inspect AI `.eval` log, or the `--log_samples` JSON Lines of lm-evaluation-harness),
with the bench request each sample carried, and hands them to `bridge.collect`: bench's
own parser, window tags and dedupe. The harness's scores and aggregates are never read.
`to_record` scores the predictions as `bench score` does and puts the harness's account
of the run in the record's `system` block: the harness and its version, the model as
the harness names it, the generate config, the response format that answered, the
prompt identity (`prompts`, `window`, `windows`, which the leaderboard's version column
reads) and the log's sha256.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Mapping

from bench.errors import BenchError
from bench.harness.metadata import SystemInfo
from bench.integrations.bridge import Collected, WindowRequest, collect, score

_SECRET_WORDS = ("key", "token", "secret", "password", "auth")
TRUNCATED_STOPS = ("max_tokens", "model_length")  # Inspect's stop reasons for an answer cut off


@dataclass(frozen=True)
class Imported:
    """A harness's run read back: the predictions bench made of its answers, and what the log says about the run."""

    collected: Collected
    system: SystemInfo
    started: str | None
    predict_seconds: float | None


def _public(args: Any) -> dict[str, Any]:
    """Model arguments (an object, or lm-eval's `key=value,key=value`) without anything that
    looks like a credential: a key named like one, or a URL with a user or password."""
    from bench.systems.llm.client import has_credentials

    if isinstance(args, str):
        args = dict(part.split("=", 1) for part in args.split(",") if "=" in part)
    if not isinstance(args, Mapping):
        return {}
    return {str(k): v for k, v in args.items()
            if not any(word in str(k).lower() for word in _SECRET_WORDS) and not (isinstance(v, str) and "://" in v and has_credentials(v))}


def _url(url: Any) -> Any:
    from bench.systems.llm.client import has_credentials

    return "(a URL with credentials, not recorded)" if isinstance(url, str) and has_credentials(url) else url


def _file(path: Path) -> dict[str, str]:
    return {"file": path.name, "sha256": hashlib.sha256(path.read_bytes()).hexdigest()}


def _regular(path: Path, what: str) -> Path:
    path = Path(path)
    if not path.is_file():
        raise BenchError(f"{path}: no such {what}" if not path.exists() else f"{path}: not a regular file")
    return path


def _system(collected: Collected, spec: str, name: str, version: str, extra: Mapping[str, Any]) -> SystemInfo:
    task = collected.task.name
    identity = {"prompts": {task: collected.prompt.describe()}, "window": collected.strategy.value,
                "windows": {task: collected.windows}, "duplicates_removed": {task: collected.duplicates_removed}}
    return SystemInfo(spec, name, version, {}, {**extra, **identity})


def _seconds(start: str, end: str) -> float | None:
    try:
        return round((datetime.fromisoformat(end) - datetime.fromisoformat(start)).total_seconds(), 3)
    except (TypeError, ValueError):
        return None


def _raw_answer(sample: Any) -> tuple[str, bool, bool]:
    """(answer text, truncated, whether Inspect's completion differs from it): the content of
    the last successful model call's raw chat completion, where the provider logged one
    (what `bench eval openai:` parses), else Inspect's completion."""
    text = sample.output.completion if sample.output is not None else ""
    stop = sample.output.stop_reason if sample.output is not None else None
    truncated = stop in TRUNCATED_STOPS
    calls = [e for e in (sample.events or []) if getattr(e, "event", None) == "model" and getattr(e, "error", None) is None]
    response = calls[-1].call.response if calls and calls[-1].call is not None else None
    choices = response.get("choices") if isinstance(response, Mapping) else None
    if isinstance(choices, list) and choices and isinstance(choices[0], Mapping):
        content = (choices[0].get("message") or {}).get("content")
        if isinstance(content, str):
            finish = choices[0].get("finish_reason")
            return content, finish == "length" if isinstance(finish, str) else truncated, content != text
    return (text if isinstance(text, str) else ""), truncated, False


def read_inspect(path: Path, data: Path | None = None) -> Imported:
    """An Inspect `.eval` (or `.json`) log of `inspect eval bench/<task>`."""
    path = _regular(path, "Inspect log")
    try:
        from inspect_ai import __version__ as reader_version  # noqa: F401  (the reader must be there)
        from inspect_ai.log import read_eval_log
    except ImportError:
        raise BenchError("reading an Inspect log needs Inspect AI: pip install 'syria-coast-ie[inspect]'") from None
    try:
        log = read_eval_log(str(path), resolve_attachments=True)
    except Exception as exc:  # a zip or JSON that is not a log: Inspect's own error, on one line
        raise BenchError(f"{path}: not an Inspect log ({type(exc).__name__}: {' '.join(str(exc).split())[:200]})") from None
    if log.status != "success":
        raise BenchError(f"{path}: the run's status is {log.status!r}; only a finished run is imported (inspect eval-retry finishes it)")
    answers, forms, differs = [], set(), 0
    for sample in log.samples or []:
        where = f"{path}: sample {sample.id}"
        if sample.error is not None:
            raise BenchError(f"{where}: failed ({' '.join(str(sample.error.message).split())[:200]}); only answered samples are imported")
        request = WindowRequest.from_json(sample.metadata, where)
        text, truncated, changed = _raw_answer(sample)
        differs += changed
        answers.append((request, text, truncated))
        forms.add(str((sample.metadata or {}).get("response_format", "unknown")))
    if not answers:
        raise BenchError(f"{path}: the log holds no samples of a bench task")
    spec = f"inspect:{log.eval.model}"
    collected = collect(answers, spec, data)
    packages = log.eval.packages or {}
    generate = {**log.plan.config.model_dump(exclude_none=True), **log.eval.model_generate_config.model_dump(exclude_none=True)}
    harness = {"name": "inspect_ai", "version": packages.get("inspect_ai", "unknown"), "task": log.eval.task, "task_args": dict(log.eval.task_args or {}),
               "eval_id": log.eval.eval_id, "run_id": log.eval.run_id, "created": log.eval.created, "completion_differs_from_raw_answer": differs}
    extra = {"harness": harness, "model": log.eval.model, "model_base_url": _url(log.eval.model_base_url), "model_args": _public(log.eval.model_args),
             "decoding": generate, "response_format": ", ".join(sorted(forms)), "log": _file(path)}
    system = _system(collected, spec, log.eval.model, f"inspect_ai {harness['version']}", extra)
    return Imported(collected, system, log.eval.created, _seconds(log.stats.started_at, log.stats.completed_at))


def _lines(path: Path):
    from bench import safejson
    from bench.paths import open_regular

    with open_regular(path) as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                raw = safejson.loads(line.decode("utf-8"))
            except (UnicodeDecodeError, safejson.UnsafeJSON) as exc:
                raise BenchError(f"{path}:{number}: not a JSON line ({getattr(exc, 'problem', exc)})") from None
            yield f"{path}:{number}", raw


def _lmeval_results(samples: Path) -> tuple[Path, dict[str, Any]]:
    """The `results_<date>.json` lm-eval writes beside `samples_<task>_<date>.jsonl`."""
    from bench import safejson
    from bench.paths import read_regular

    stamp = samples.stem.rsplit("_", 1)[-1]
    path = samples.with_name(f"results_{stamp}.json")
    if not samples.stem.startswith("samples_") or not path.is_file():
        raise BenchError(f"{samples}: lm-eval's results_{stamp}.json is not beside it; bench import lm-eval reads the model's name and the run's config there (pass the samples_<task>_<date>.jsonl file of --log_samples)")
    try:
        raw = safejson.loads(read_regular(path))
    except (OSError, safejson.UnsafeJSON) as exc:
        raise BenchError(f"{path}: not lm-eval's results file ({getattr(exc, 'problem', exc)})") from None
    if not isinstance(raw, dict) or not isinstance(raw.get("config"), dict):
        raise BenchError(f"{path}: not lm-eval's results file (no config)")
    return path, raw


def read_lmeval(path: Path, data: Path | None = None) -> Imported:
    """The `--log_samples` file of `lm_eval --tasks bench_<task>` (`samples_bench_<task>_<date>.jsonl`)."""
    path = _regular(path, "lm-eval samples file")
    results_path, results = _lmeval_results(path)
    answers, forms, kwargs = [], set(), set()
    for where, line in _lines(path):
        doc = line.get("doc") if isinstance(line, dict) else None
        if not isinstance(doc, dict) or not isinstance(doc.get("request"), str):
            raise BenchError(f"{where}: no bench request in the sample's doc; was this written by bench's lm-eval task (bench export --format lm-eval)?")
        try:
            request = WindowRequest.from_json(json.loads(doc["request"]), where)
        except json.JSONDecodeError:
            raise BenchError(f"{where}: the sample's bench request is not JSON") from None
        resps = line.get("resps")
        if not (isinstance(resps, list) and resps and isinstance(resps[0], list) and resps[0] and isinstance(resps[0][0], str)):
            raise BenchError(f"{where}: no answer text in resps")
        # lm-eval keeps no finish_reason (openai_completions.py parse_generations): a cut-off answer is judged from its text
        answers.append((request, resps[0][0], False))
        sent = (((line.get("arguments") or {}).get("gen_args_0") or {}).get("arg_1")) or {}
        if isinstance(sent, dict):
            forms.add(str((sent.get("response_format") or {}).get("type", "none")))
            kwargs.add(json.dumps({k: v for k, v in sent.items() if k != "response_format"}, sort_keys=True))
    if not answers:
        raise BenchError(f"{path}: no samples")
    config = results["config"]
    model_args = _public(config.get("model_args"))
    name = str(results.get("model_name") or model_args.get("model") or config.get("model") or "unknown")
    spec = f"lm-eval:{config.get('model', 'unknown')}/{name}"
    collected = collect(answers, spec, data)
    version = str(results.get("lm_eval_version") or "unknown")
    task = f"bench_{collected.task.name}"
    harness = {"name": "lm-eval", "version": version, "task": task, "task_hash": (results.get("task_hashes") or {}).get(task), "results": _file(results_path)}
    decoding = json.loads(kwargs.pop()) if len(kwargs) == 1 else sorted(kwargs)
    extra = {"harness": harness, "model": name, "model_type": config.get("model"), "model_args": model_args,
             "decoding": decoding, "response_format": ", ".join(sorted(forms)), "log": _file(path)}
    started = None
    if isinstance(results.get("date"), (int, float)):
        started = datetime.fromtimestamp(results["date"], timezone.utc).isoformat(timespec="seconds")
    try:
        seconds = round(float(results.get("total_evaluation_time_seconds")), 3)
    except (TypeError, ValueError):
        seconds = None
    return Imported(collected, _system(collected, spec, name, f"lm-eval {version}", extra), started, seconds)


def to_record(imported: Imported, predictions_path: Path | None = None):
    """The results record of an imported run: scored by bench from its predictions
    (written to `predictions_path` when given), with the harness's account as its system."""
    record = score(imported.collected, predictions_path)
    run = replace(record.run, started=imported.started or record.run.started, predict_seconds=imported.predict_seconds)
    return replace(record, system=imported.system, run=run)
