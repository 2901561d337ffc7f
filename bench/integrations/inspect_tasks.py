"""Inspect AI tasks for the benchmark: `inspect eval bench/ner --model ...`, one task for
every task an LLM can be asked for (`bench/casualties`, `bench/attribution`).

Where it sits: stage 8, integrations. Registered in Inspect's `inspect_ai` entry-point
group under the name `bench` (pyproject.toml): Inspect loads it when it meets a task
name `bench/...`, and at the start of every `inspect` command. So at import this module
loads Inspect and the task registry only; bench's parsing, scoring and data load inside
the task, solver, scorer and metric.

One sample per window (`bridge.plan`: the messages as input, the request and its answer
schema as metadata). The solver sends the schema as `response_format` through
`extra_body`, never through Inspect's `response_schema`, which drops `maxItems` (its
JSONSchema model has no such field) and, for OpenAI-compatible providers, the string
bounds; and it falls back as bench's client does (`auto`: json_schema, then json_object
with the schema, then none), because llama-cpp-python's server answers HTTP 500 to
`json_schema`. The scorer shows, per window, bench's parsed items, its parse failure and
the scorer's errors inside the window (Score.metadata, explanation); the task's metric
is bench's corpus-level headline with its bootstrap interval, never a mean of windows.
Task arguments (`-T`): window, prompt_version, response_format, data (another tree,
e.g. a variant), docs (document ids, comma-separated) and limit (the first N documents).
`bench import inspect LOG.eval` reads the log back into a results record.
"""

from __future__ import annotations

from typing import Any

from inspect_ai import Task, task
from inspect_ai.dataset import MemoryDataset, Sample
from inspect_ai.model import ChatMessageAssistant, ChatMessageSystem, ChatMessageUser, GenerateConfig
from inspect_ai.scorer import SampleScore, Score, Target, metric, scorer
from inspect_ai.solver import Generate, TaskState, solver

from bench.systems.llm.settings import FALLBACK_ORDER, Decoding, ResponseFormat

FORMS = tuple(form.value for form in FALLBACK_ORDER)
TRUNCATED = ("max_tokens", "model_length")  # Inspect's stop reasons for an answer cut off
_WORKING_FORM: dict[str, str] = {}  # model -> the form `auto` found to work
_PROBE_LOCKS: dict[str, Any] = {}  # model -> a lock: one sample tries the forms, the others wait for its answer


def _namespaced(short: str) -> str:
    """The name to register so that the task is `bench/<short>` however bench is installed.

    Inspect prefixes a task with its module's top-level package only when it takes the
    package for an installed one (inspect_ai/_util/package.py, get_installed_package_name:
    in site-packages, or an editable install of a distribution named like the package;
    ours is `syria-coast-ie`), so after `pip install -e` it would register `ner`, and
    `inspect eval bench/ner` would find nothing. Private API of the pinned version."""
    package = __name__.split(".")[0]
    try:
        from inspect_ai._util.package import get_installed_package_name

        return short if get_installed_package_name(_namespaced) == package else f"{package}/{short}"
    except Exception:  # another Inspect: register the full name
        return f"{package}/{short}"


def _refuse(exc: Exception) -> Exception:
    """A bench error as Inspect's own one-line error (no traceback)."""
    from inspect_ai._util.error import PrerequisiteError

    return PrerequisiteError(f"bench: {getattr(exc, 'message', exc)}")


def _chat(messages: list[dict[str, str]]) -> list[Any]:
    kinds = {"system": ChatMessageSystem, "user": ChatMessageUser, "assistant": ChatMessageAssistant}
    return [kinds[m["role"]](content=m["content"]) for m in messages]


def _rejected(exc: BaseException) -> bool:
    """The endpoint refused the response_format sent. With its retries spent Inspect raises
    tenacity's RetryError around the SDK's error (model/_model.py: @retry without reraise)."""
    from bench.systems.llm.client import rejects_response_format

    last = getattr(exc, "last_attempt", None)
    if last is not None and last.exception() is not None:
        exc = last.exception()
    return rejects_response_format(getattr(exc, "status_code", None), str(exc))


@solver
def bench_generate(response_format: str = "auto"):
    """generate() with the sample's own answer schema, falling back like bench's client."""
    if response_format not in ("auto", *FORMS):
        raise _refuse(ValueError(f"response_format must be auto or one of {', '.join(FORMS)}, not {response_format!r}"))

    async def attempt(state: TaskState, generate: Generate, model: str, forms: tuple[str, ...], probe: bool) -> TaskState:
        from bench.systems.llm.settings import response_format_body

        for i, form in enumerate(forms):
            body = response_format_body(ResponseFormat(form), state.metadata["schema"], f"{state.metadata['task']}_answer")
            config: dict[str, Any] = {"extra_body": {"response_format": body}} if body else {}
            probing = probe and i < len(forms) - 1
            if probing:
                # Inspect retries a 5xx for ever by default (model/_retry.py: no max_retries):
                # a form the server refuses must fail at once to fall back
                config["max_retries"] = 0
            try:
                state = await generate(state, tool_calls="none", **config)
            except Exception as exc:
                if not probing:
                    raise
                if _rejected(exc):
                    continue
                del config["max_retries"]  # a passing failure, not a refusal: asked again with Inspect's retries
                state = await generate(state, tool_calls="none", **config)
            if probe:
                _WORKING_FORM[model] = form
            state.metadata["response_format"] = form
            return state
        return state

    async def solve(state: TaskState, generate: Generate) -> TaskState:
        import anyio

        model = str(state.model)
        if response_format != "auto":
            return await attempt(state, generate, model, (response_format,), probe=False)
        if model not in _WORKING_FORM:
            async with _PROBE_LOCKS.setdefault(model, anyio.Lock()):
                if model not in _WORKING_FORM:
                    return await attempt(state, generate, model, FORMS, probe=True)
        return await attempt(state, generate, model, (_WORKING_FORM[model],), probe=False)

    return solve


def _spec(model: Any) -> str:
    """The system spec an Inspect run is recorded under (and parse failures name)."""
    return f"inspect:{model}"


@scorer(metrics=[])
def bench_scorer():
    """Per window: bench's parsed items, parse failure and the scorer's errors inside the
    window; the value is the window's headline counts (tp, fp, fn). The run's score is
    the task's metric, `bench_headline`, over every sample."""

    async def score(state: TaskState, target: Target) -> Score:
        import json

        from bench.integrations.bridge import WindowRequest
        from bench.integrations.perwindow import window_report

        request = WindowRequest.from_json(state.metadata, f"sample {state.sample_id}")
        text, truncated = state.output.completion, state.output.stop_reason in TRUNCATED
        report = window_report(request, text, truncated, _spec(state.model))
        lines = [f"{len(report.items)} items; errors: {', '.join(f'{k} {n}' for k, n in report.error_kinds.items()) or 'none'}"]
        lines += [f"parse failure ({f['kind']}): {f['message']}" for f in report.failures]
        lines += [json.dumps({k: e.get(k) for k in ("kind", "gold", "pred") if k in e}, ensure_ascii=False) for e in report.errors[:50]]
        return Score(
            value=dict(report.counts),
            answer=text,
            explanation="\n".join(lines),
            metadata={"spec": _spec(state.model), "truncated": truncated, "items": list(report.items), "failures": list(report.failures),
                      "errors": list(report.errors), "error_kinds": report.error_kinds},
        )

    return score


@metric
def bench_headline():
    """bench's corpus-level headline with its 95% bootstrap interval, from every sample's
    raw answer parsed and scored by bench (documents with a window unanswered are left out)."""

    def compute(scores: list[SampleScore]) -> dict[str, float]:
        from bench.integrations.bridge import WindowRequest, collect, headline
        from bench.integrations.bridge import score as score_collected

        answers = [(WindowRequest.from_json(s.sample_metadata or {}, f"sample {s.sample_id}"), s.score.answer or "", bool((s.score.metadata or {}).get("truncated")))
                   for s in scores]
        if not answers:
            return {"documents": 0.0}
        collected = collect(answers, (scores[0].score.metadata or {}).get("spec", "inspect"), complete=False)
        if not collected.predictions:
            return {"documents": 0.0}
        found = headline(score_collected(collected), collected.task.name)
        out = {found.metric: found.value, "parse_failures": float(found.parse_failures), "documents": float(found.documents)}
        if found.low is not None:
            out.update(ci_low=found.low, ci_high=found.high)
        return out

    return compute


def _task(name: str, window: str, prompt_version: str | None, response_format: str, data: str | None, docs: Any, limit: Any) -> Task:
    from bench.about import __version__
    from bench.errors import BenchError
    from bench.integrations.bridge import plan

    try:
        found = plan(name, data, window, prompt_version, docs, limit)
    except BenchError as exc:
        raise _refuse(exc) from None
    samples = [Sample(id=a.request.id, input=_chat(a.messages), metadata={**a.request.to_json(), "schema": a.schema}) for a in found.asked]
    decoding = Decoding()  # bench eval's defaults: the same answers for the same model
    return Task(
        dataset=MemoryDataset(samples, name=f"bench-{name}"),
        solver=bench_generate(response_format),
        scorer=bench_scorer(),
        metrics=[bench_headline()],
        config=GenerateConfig(temperature=decoding.temperature, top_p=decoding.top_p, max_tokens=decoding.max_tokens, seed=decoding.seed),
        metadata={"bench": {"version": __version__, "task": name, "window": found.strategy.value, "prompts": {name: found.prompt.describe()},
                            "data": str(found.corpus.root), "documents": len({a.request.doc_id for a in found.asked}), "response_format": response_format}},
    )


def _register(name: str) -> Any:
    def bench_task(window: str = "paragraph", prompt_version: str | None = None, response_format: str = "auto",
                   data: str | None = None, docs: str | None = None, limit: int | None = None) -> Task:
        return _task(name, window, prompt_version, response_format, data, docs, limit)

    bench_task.__name__ = bench_task.__qualname__ = name
    bench_task.__doc__ = f"bench's {name} task: one sample per window, bench's prompt, answer schema and scorer."
    return task(name=_namespaced(name))(bench_task)


def _tasks() -> dict[str, Any]:
    from bench.tasks.registry import all_tasks

    return {str(t.name): _register(str(t.name)) for t in all_tasks() if getattr(t, "llm", None) is not None}


globals().update(_tasks())  # `inspect eval bench/<task>`, or this file's `@<task>`
