"""lm-evaluation-harness tasks for the benchmark: the class the task folder of
`bench export --format lm-eval DIR` names (`class: !function bench_lmeval.BenchTask`).

    lm_eval --include_path DIR --tasks bench_ner --model local-chat-completions \
        --model_args base_url=http://127.0.0.1:8000/v1/chat/completions,model=NAME \
        --apply_chat_template --log_samples --output_path OUT

Where it sits: stage 8, integrations; imported by lm-eval only (it imports lm_eval).
One lm-eval doc per window (`bridge.plan`), its bench request, messages and answer
schema as JSON strings (a `datasets` column of nested objects would be rewritten by
Arrow). `BenchTask` is a ConfigurableTask subclass because only a subclass can give each
request its own generation kwargs: the window's answer schema as `response_format`
(local-chat-completions passes every generation kwarg into the request body). lm-eval
hands the whole YAML to the class, `class` key included, which TaskConfig refuses, so
`__init__` drops it. Options come from the task's `metadata`, which lm-eval merges with
`--metadata` and `--model_args`: bench_task, data, docs, limit, window, prompt_version,
response_format (`auto`, the default, asks the endpoint once through bench's own client,
which falls back json_schema -> json_object -> none: lm-eval cannot fall back per request).

The score is bench's: `process_results` keeps each window's raw answer under every
metric name, and each metric's aggregation parses and scores them all together (the
names must match, or lm-eval silently averages: lm-eval issue #3314). lm-eval computes no
standard error for such an aggregation, so the interval comes as `ci_low`/`ci_high`;
`bench import lm-eval` reads the samples back into a full results record.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from lm_eval.api.instance import Instance
from lm_eval.api.task import ConfigurableTask

EXTRA_METRICS = ("ci_low", "ci_high", "parse_failures", "documents")
_FOUND: dict[tuple[Any, ...], str] = {}  # (base_url, model) -> the response_format form the endpoint takes


def _fail(exc: Exception) -> SystemExit:
    """A bench error as one line and exit status 1, not a traceback."""
    return SystemExit(f"bench: {getattr(exc, 'message', exc)}")


class BenchTask(ConfigurableTask):
    VERSION = 0

    def __init__(self, data_dir=None, cache_dir=None, download_mode=None, config: dict | None = None) -> None:
        config = dict(config or {})
        config.pop("class", None)  # lm_eval/tasks/_factory.py passes it along; TaskConfig(**config) would raise TypeError
        super().__init__(data_dir, cache_dir, download_mode, config)

    def _option(self, key: str, default: Any = None) -> Any:
        value = (self.config.metadata or {}).get(key)
        return default if value is None or value == "" else value

    @property
    def bench_task(self) -> str:
        return str(self._option("bench_task") or self.config.task.removeprefix("bench_"))

    def download(self, dataset_kwargs=None, **kwargs) -> None:
        import datasets

        from bench.errors import BenchError
        from bench.integrations.bridge import plan

        try:
            found = plan(self.bench_task, self._option("data"), self._option("window"), self._option("prompt_version"), self._option("docs"), self._option("limit"))
        except BenchError as exc:
            raise _fail(exc) from None
        rows = [{"id": a.request.id, "doc_id": a.request.doc_id, "window": a.request.index, "request": json.dumps(a.request.to_json()),
                 "messages": json.dumps(a.messages, ensure_ascii=False), "schema": json.dumps(a.schema, ensure_ascii=False)} for a in found.asked]
        self.dataset = datasets.DatasetDict({"test": datasets.Dataset.from_list(rows)})

    def has_training_docs(self) -> bool:
        return False

    def has_validation_docs(self) -> bool:
        return False

    def has_test_docs(self) -> bool:
        return True

    def test_docs(self):
        return self.dataset["test"]

    def doc_to_text(self, doc, doc_to_text=None):
        return doc["id"]

    def doc_to_target(self, doc, doc_to_target=None):
        return ""

    def fewshot_context(self, doc, num_fewshot, system_instruction=None, apply_chat_template=False, fewshot_as_multiturn=False, chat_template=None, gen_prefix=None):
        """bench's own chat (system prompt, worked examples, the window), sent as it is."""
        if not apply_chat_template or chat_template is None:
            raise SystemExit(f"bench: {self.config.task} is a chat (system prompt, worked examples, the window): run lm_eval with --apply_chat_template")
        if num_fewshot or system_instruction:
            raise SystemExit(f"bench: {self.config.task} brings its own worked examples and system prompt (its prompt_version): drop --num_fewshot and --system_instruction")
        return chat_template(json.loads(doc["messages"]))

    def _form(self, doc: dict[str, Any]) -> str:
        form = str(self._option("response_format", "auto"))
        if form != "auto":
            return form
        key = (self._option("base_url"), self._option("model"))
        if key not in _FOUND:  # once per endpoint and model, with the first window's request
            _FOUND[key] = _probe(key[0], key[1], doc)
        return _FOUND[key]

    def construct_requests(self, doc, ctx, **kwargs):
        from bench.systems.llm.settings import ResponseFormat, response_format_body

        kwargs.pop("apply_chat_template", None)
        kwargs.pop("chat_template", None)
        gen_kwargs = dict(self.config.generation_kwargs or {})
        try:
            form = ResponseFormat(self._form(doc))
        except ValueError:
            raise SystemExit(f"bench: response_format must be auto, json_schema, json_object or none, not {self._option('response_format')!r}") from None
        body = response_format_body(form, json.loads(doc["schema"]), json.loads(doc["request"])["task"] + "_answer")
        if body is not None:
            gen_kwargs["response_format"] = body
        return Instance(request_type="generate_until", doc=doc, arguments=(ctx, gen_kwargs), idx=0, **kwargs)

    def _metrics(self) -> tuple[str, ...]:
        from bench.tasks.registry import get_task

        return (get_task(self.bench_task).headline, *EXTRA_METRICS)

    def process_results(self, doc, results):
        item = json.dumps({"request": json.loads(doc["request"]), "text": results[0]}, ensure_ascii=False)
        return {name: item for name in self._metrics()}

    def aggregation(self) -> dict:
        return {name: _aggregate(name) for name in self._metrics()}

    def higher_is_better(self) -> dict:
        return {name: name != "parse_failures" for name in self._metrics()}


def _probe(base_url: Any, model: Any, doc: dict[str, Any]) -> str:
    """The form bench's client settles on for this endpoint, found with one short request."""
    from bench.errors import BenchError
    from bench.systems.llm.client import ChatClient
    from bench.systems.llm.settings import Decoding, ResponseFormat

    if not base_url or not model:
        raise SystemExit("bench: response_format auto needs base_url and model in --model_args; or pass --metadata '{\"response_format\": \"json_object\"}'")
    client = ChatClient(str(base_url).rstrip("/").removesuffix("/chat/completions"), str(model), response_format=ResponseFormat.AUTO)
    try:
        client.complete(json.loads(doc["messages"]), json.loads(doc["schema"]), json.loads(doc["request"])["task"] + "_answer", Decoding(max_tokens=1))
        return client.response_format.value
    except BenchError as exc:
        raise _fail(exc) from None
    finally:
        client.close()


@lru_cache(maxsize=8)
def _scored(items: tuple[str, ...]) -> dict[str, float]:
    from bench.integrations.bridge import WindowRequest, collect, headline, score

    answers = []
    for item in items:
        raw = json.loads(item)
        # lm-eval keeps no finish_reason (openai_completions.py parse_generations): a cut-off answer is judged from its text
        answers.append((WindowRequest.from_json(raw["request"], "an lm-eval result"), raw["text"], False))
    collected = collect(answers, "lm-eval", complete=False)
    if not collected.predictions:
        return {"documents": 0.0}
    found = headline(score(collected), collected.task.name)
    nan = float("nan")
    return {found.metric: found.value, "ci_low": nan if found.low is None else found.low, "ci_high": nan if found.high is None else found.high,
            "parse_failures": float(found.parse_failures), "documents": float(found.documents)}


def _aggregate(name: str):
    def aggregate(items: list[str]) -> float:
        return _scored(tuple(items)).get(name, float("nan"))

    aggregate.__name__ = f"bench_{name}"
    return aggregate


def main() -> None:
    """`lm_eval` with the same arguments, without indexing lm-eval's ~14,700 bundled task
    files first (10-25 s on two cores): `python -m bench.integrations.lmeval --include_path
    DIR --tasks bench_ner ...`. lm-eval's CLI has no flag for it: it builds its TaskManager
    with include_defaults=True (lm_eval/config/evaluate_config.py), which this turns off."""
    import lm_eval.tasks.manager as manager

    init = manager.TaskManager.__init__

    def without_bundled_tasks(self, *args, include_defaults=False, **kwargs):
        init(self, *args, include_defaults=include_defaults, **kwargs)

    manager.TaskManager.__init__ = without_bundled_tasks
    from lm_eval.__main__ import cli_evaluate

    cli_evaluate()


if __name__ == "__main__":
    main()
