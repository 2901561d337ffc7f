"""`bench eval` and `bench score`: run a system, or score a predictions file."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from bench.cli.common import DATA_HELP, emit, fail, refuse_overwrite, refuse_same_file, select_tasks, with_predictions
from bench.cli.gating import FAIL_UNDER_HELP, enforce, parse_thresholds
from bench.errors import BenchError
from bench.systems.llm.settings import Decoding, ResponseFormat, RetryPolicy
from bench.documents.windows import WindowStrategy
from bench.systems.options import Device, HFOptions
from bench.systems.llm.settings import LLMOptions


def eval_(
    system: str = typer.Argument("rules", help="System spec: a built-in name (see `bench list`), an installed plugin name, or package.module:factory."),
    task: Optional[List[str]] = typer.Option(None, "--task", "-t", help="Task to run (repeatable). Default: every task the system supports."),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="Write the results JSON here."),
    save_predictions: Optional[Path] = typer.Option(None, "--save-predictions", help="Write the system's predictions here as JSON Lines (re-score them with `bench score`)."),
    as_json: bool = typer.Option(False, "--json", help="Print the results JSON instead of tables."),
    batch_size: int = typer.Option(8, "--batch-size", min=1, help="Documents per predict() call."),
    force: bool = typer.Option(False, "--force", help="Overwrite existing --out / --save-predictions files."),
    data: Optional[Path] = typer.Option(None, "--data", help=DATA_HELP),
    fail_under: Optional[List[str]] = typer.Option(None, "--fail-under", help=FAIL_UNDER_HELP),
    device: Device = typer.Option(HFOptions.device, "--device", help="hf: where the model runs.", rich_help_panel="Model options"),
    trust_remote_code: bool = typer.Option(HFOptions.trust_remote_code, "--trust-remote-code", help="hf: allow a model's own Python code from its repository to run. Off unless you ask.", rich_help_panel="Model options"),
    label_map: Optional[str] = typer.Option(None, "--label-map", help="hf: NER label map for a model whose labels are neither the gold's nor CoNLL's PER/ORG/LOC/MISC: a JSON file {\"space\": \"gold\", \"map\": {\"PERSON\": \"PER\", \"DATE\": null}}.", rich_help_panel="Model options"),
    concurrency: int = typer.Option(LLMOptions.concurrency, "--concurrency", min=1, help="openai: requests in flight at once.", rich_help_panel="LLM options"),
    timeout: float = typer.Option(RetryPolicy.timeout, "--timeout", min=0.1, help="openai: seconds to wait for one answer, all of it (connecting, the headers and the whole body); a slower one is retried like a timeout.", rich_help_panel="LLM options"),
    max_retries: int = typer.Option(RetryPolicy.max_retries, "--max-retries", min=0, help="openai: retries of a timeout, 5xx or 429 (exponential backoff from 1 s; a 429's Retry-After is honoured).", rich_help_panel="LLM options"),
    response_format: ResponseFormat = typer.Option(LLMOptions.response_format, "--response-format", help="openai: how the answer schema is sent; auto tries json_schema, then json_object, then none.", rich_help_panel="LLM options"),
    max_tokens: int = typer.Option(Decoding.max_tokens, "--max-tokens", min=1, help="LLM: most tokens per answer; an answer cut off here counts as a truncated parse failure.", rich_help_panel="LLM options"),
    temperature: float = typer.Option(Decoding.temperature, "--temperature", min=0.0, help="LLM: sampling temperature (0 = greedy).", rich_help_panel="LLM options"),
    seed: int = typer.Option(Decoding.seed, "--seed", help="LLM: sampling seed.", rich_help_panel="LLM options"),
    prompts: Optional[Path] = typer.Option(None, "--prompts", help="LLM: a folder of your own templates (ner.txt, casualties.txt, attribution.txt) instead of the packaged ones.", rich_help_panel="LLM options"),
    window: Optional[WindowStrategy] = typer.Option(None, "--window", help="LLM: what one prompt holds: the whole document, one paragraph, or one sentence (attribution sentences come with their neighbours as marked context). Default: the system's measured best (smollm2 and llama-cpp: paragraph; openai: document).", rich_help_panel="LLM options"),
    prompt_version: Optional[str] = typer.Option(None, "--prompt-version", help="LLM: the packaged prompts' version: 1.3.0 (default: NER names listed by label, three worked examples, names capitalised phrases of the window, attribution contents sentence prefixes or suffixes), 1.2.0 (worked examples, bounded answers, short fields copy-constrained to phrases of the window), 1.1.0 (the same with free-text fields) or 1.0.0 (the first, to reproduce old rows).", rich_help_panel="LLM options"),
    repeat_penalty: Optional[float] = typer.Option(None, "--repeat-penalty", min=0.0, help="LLM: repetition penalty (llama.cpp; sent to an endpoint only when given). Default: 1.1 in-process with prompts 1.1.0 or later, else the backend's own.", rich_help_panel="LLM options"),
    threads: Optional[int] = typer.Option(None, "--threads", min=1, help="smollm2, llama-cpp: CPU threads for llama.cpp (default: every core; on a busy machine 1 can be much faster).", rich_help_panel="LLM options"),
    max_enum: Optional[int] = typer.Option(None, "--max-enum", min=0, help="LLM: the most enum values one answer schema may hold (0: no limit). Default: OpenAI's caps for openai: (1,000 values, 15,000 characters in an enum of over 250), none in-process. A window over it is split or copy-checked as its prompt version says (docs/hostile-input.md).", rich_help_panel="LLM options"),
    trust_env: bool = typer.Option(False, "--trust-env", help="openai: honour the proxy variables (HTTP_PROXY, HTTPS_PROXY, ALL_PROXY, NO_PROXY), .netrc and SSL_CERT_FILE/SSL_CERT_DIR. Off: requests go straight to the endpoint named, and only there.", rich_help_panel="LLM options"),
    no_cache: bool = typer.Option(False, "--no-cache", help="LLM: neither read nor write the prediction cache (see `bench cache`).", rich_help_panel="LLM options"),
    variants: Optional[str] = typer.Option(None, "--variants", help="Also run on counterfactual variants: names, numbers or names+numbers (see README, Variants). Prints the original score, the variant mean and the gap with a paired interval; --out is then a folder.", rich_help_panel="Variants"),
    seeds: str = typer.Option("5", "--seeds", help="With --variants: a count N (seeds 1..N) or a comma-separated list of seeds (1,3,7).", rich_help_panel="Variants"),
) -> None:
    """Run a system through the shared harness and score it.

    Examples: `bench eval` (rules baseline), `bench eval spacy --out results/spacy.json`,
    `bench eval mypkg.mymodule:create --json`, `bench eval --task casualties`,
    `bench eval smollm2` (a small LLM, offline), `bench eval hf:dslim/bert-base-NER`,
    `bench eval openai:qwen2.5-7b@http://127.0.0.1:8000/v1 --concurrency 16`.

    LLM systems (smollm2, openai:, llama-cpp:) send one prompt per task per window
    (--window document|paragraph|sentence).
    An API key is read from the environment variable BENCH_API_KEY (else
    OPENAI_API_KEY). Answers are cached (see `bench cache`); a repeated run is served
    from the cache, and any change to the model, prompt, document or decoding misses
    it. An endpoint that cannot be reached stops the run with exit code 2. An answer
    that cannot be parsed (no JSON, invalid or truncated JSON, breaks the answer
    schema) is counted in the task's parse_failures row.

    Metrics: `bench metrics` lists every metric of every task (and docs/metrics.md
    explains them); all tasks count ungrounded (and surplus) text-only predictions
    that found no place in the article.
    """
    from bench.documents.corpus import load_corpus
    from bench.results.gates import check_threshold_tasks, check_thresholds
    from bench.harness.predictions import write_predictions
    from bench.harness.run import evaluate
    from bench.results.make import record_of
    from bench.systems.base import label_maps_of
    from bench.systems.base import SystemContext
    from bench.systems.registry import create_system

    from bench.progress import progress_for

    options = (
        HFOptions(device=device, batch_size=batch_size, trust_remote_code=trust_remote_code, label_map=label_map),
        LLMOptions(
            concurrency=concurrency,
            policy=RetryPolicy(timeout=timeout, max_retries=max_retries),
            response_format=response_format,
            decoding=Decoding(temperature=temperature, max_tokens=max_tokens, seed=seed, repeat_penalty=repeat_penalty),
            use_cache=not no_cache,
            prompts_dir=prompts,
            prompt_version=prompt_version,
            window=window.value if window else None,
            threads=threads,
            trust_env=trust_env,
            max_enum=max_enum,
        ),
    )
    if variants is not None:
        from bench.cli.variants import eval_on_variants

        return eval_on_variants(system, variants, seeds, task, out, save_predictions, as_json, force, data, fail_under, batch_size, options)
    try:
        refuse_overwrite([out, save_predictions], force)
        thresholds = parse_thresholds(fail_under)
        tasks = select_tasks(task)
        corpus = load_corpus(data)
        with progress_for(system) as progress:
            instance = create_system(system, SystemContext(corpus.root, tasks, options, progress))
            check_threshold_tasks(thresholds, {t.name for t in tasks if t.name in instance.tasks})
            run, answers = evaluate(instance, system, corpus, tasks, batch_size=batch_size, progress=progress)
        record = record_of(run)
        gates = check_thresholds(record, thresholds)
        if save_predictions is not None:
            write_predictions(save_predictions, answers, label_maps_of(instance))
        emit(with_predictions(record, save_predictions, out), as_json, out)
    except BenchError as exc:
        fail(exc)
    except KeyboardInterrupt:
        typer.echo("bench: interrupted; answers that finished are kept in the prediction cache, so a rerun resumes", err=True)
        raise typer.Exit(130) from None
    enforce(gates)


def score(
    predictions: Path = typer.Argument(..., help="Predictions file: JSON Lines, one object per document (see `bench schema predictions`)."),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="Write the results JSON here."),
    as_json: bool = typer.Option(False, "--json", help="Print the results JSON instead of tables."),
    label_map: Optional[str] = typer.Option(None, "--label-map", help="NER label map, when the file records none or to override it: `gold` (default), `conll` (PER/ORG/LOC/MISC, scored on the CoNLL projection), `spacy-ontonotes`, or a JSON file {\"space\": \"gold\"|\"conll\", \"map\": {\"PERSON\": \"PER\", \"DATE\": null}}. Files written by `bench eval --save-predictions` record their map, so they need no flag."),
    force: bool = typer.Option(False, "--force", help="Overwrite an existing --out file."),
    data: Optional[Path] = typer.Option(None, "--data", help=DATA_HELP),
    fail_under: Optional[List[str]] = typer.Option(None, "--fail-under", help=FAIL_UNDER_HELP),
    system_name: Optional[str] = typer.Option(None, "--system-name", help="The system's name in the record (the leaderboard's row). Default: the file's name."),
    system_version: Optional[str] = typer.Option(None, "--system-version", help="The system's version in the record. Default: unknown."),
) -> None:
    """Score a predictions file written by any system, in any language.

    A bad file gets one line, `file:line: problem`, and exit code 2; nothing is written.
    """
    from bench.documents.corpus import load_corpus
    from bench.results.gates import check_thresholds
    from bench.harness.predictions import read_predictions
    from bench.harness.run import score_file
    from bench.results.make import record_of

    try:
        refuse_overwrite([out], force)
        refuse_same_file(out, predictions)
        thresholds = parse_thresholds(fail_under)
        tasks = select_tasks(None)
        corpus = load_corpus(data)
        maps = {t.name: t.load_label_map(label_map) for t in tasks if t.label_map_schema() is not None} if label_map else {}
        file = read_predictions(predictions, corpus, tasks)
        run = named(score_file(file, corpus, tasks, maps), system_name, system_version)
        record = record_of(run)
        gates = check_thresholds(record, thresholds)
        emit(with_predictions(record, predictions, out), as_json, out)
    except BenchError as exc:
        fail(exc)
    enforce(gates)


def named(run, name: Optional[str], version: Optional[str]):
    """The run with the system name and version given (`--system-name`, `--system-version`)."""
    from dataclasses import replace

    from bench.errors import printable

    for flag, value in (("--system-name", name), ("--system-version", version)):
        if value is not None and (not value.strip() or printable(value) != value):
            raise BenchError(f"{flag} must be a non-empty line of printable text, not {printable(value)!r}")
    system = replace(run.system, name=name if name is not None else run.system.name, version=version if version is not None else run.system.version)
    return replace(run, system=system)
