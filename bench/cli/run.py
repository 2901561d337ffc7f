"""`bench eval` and `bench score`: run a system, or score a predictions file."""

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


# Which kind of option (bench.systems.registry's HF_OPTIONS, ...) each of `bench eval`'s
# system-specific parameters is; a system's spec says which kinds it takes.
OPTION_KINDS = {
    "device": "hf", "trust_remote_code": "hf", "label_map": "hf",
    "max_tokens": "llm", "temperature": "llm", "seed": "llm", "prompts": "llm", "window": "llm",
    "prompt_version": "llm", "repeat_penalty": "llm", "no_cache": "llm", "max_enum": "llm",
    "threads": "llama-cpp",
    "concurrency": "endpoint", "timeout": "endpoint", "max_retries": "endpoint", "response_format": "endpoint", "trust_env": "endpoint",
}
KIND_NAMES = {"hf": "Hugging Face", "llm": "LLM", "llama-cpp": "in-process llama.cpp", "endpoint": "OpenAI-compatible endpoint"}


def warn_ignored(ctx: typer.Context, system: str, with_variants: bool) -> None:
    """One warning line on stderr naming the options given that this run will not use."""
    from bench.errors import printable
    from bench.systems.registry import options_taken

    given = {p.name: p.opts[-1] if p.opts[-1].startswith("--") else p.opts[0] for p in ctx.command.params
             if p.name and getattr(ctx.get_parameter_source(p.name), "name", None) == "COMMANDLINE"}  # typer may vendor click: by name
    parts = []
    taken = options_taken(system)
    if taken is not None:
        kinds: dict[str, list[str]] = {}
        for name, flag in given.items():
            kind = OPTION_KINDS.get(name)
            if kind is not None and kind not in taken:
                kinds.setdefault(kind, []).append(flag)
        if kinds:
            parts.append(f"{printable(system)} ignores " + " and ".join(f"{', '.join(flags)} ({KIND_NAMES[kind]} options)" for kind, flags in kinds.items()))
    if "seeds" in given and not with_variants:
        parts.append(f"{given['seeds']} is ignored without --variants")
    if parts:
        typer.echo(f"bench: warning: {'; '.join(parts)}", err=True)


def show_every_option(ctx: typer.Context, value: bool) -> None:
    """`--help-all`: the command's help with its hidden (model and LLM) options shown."""
    if not value or ctx.resilient_parsing:
        return
    for param in ctx.command.params:
        param.hidden = False
    typer.echo(ctx.get_help())
    raise typer.Exit()


def eval_(
    ctx: typer.Context,
    system: str = typer.Argument("rules", help="System spec: a built-in name (see `bench list`), an installed plugin name, or package.module:factory."),
    task: Optional[List[str]] = typer.Option(None, "--task", "-t", help="Tasks, comma-separated (ner,casualties). Default: all the system does."),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="Write the results JSON here."),
    save_predictions: Optional[Path] = typer.Option(None, "--save-predictions", help="Write the predictions here (JSON Lines, for `bench score`)."),
    as_json: bool = typer.Option(False, "--json", help="Print the results JSON instead of tables."),
    batch_size: int = typer.Option(8, "--batch-size", min=1, help="Documents per predict() call."),
    force: bool = typer.Option(False, "--force", help="Overwrite --out / --save-predictions files."),
    data: Optional[Path] = typer.Option(None, "--data", help="A benchmark tree (seeds/, gold/) to run on instead."),
    fail_under: Optional[List[str]] = typer.Option(None, "--fail-under", help="Gate: exit 1 below MIN, as TASK.METRIC[@VIEW]=MIN (e.g. ner.strict_f1=0.8; repeatable; see `bench score --help`)."),
    device: Device = typer.Option(HFOptions.device, "--device", help="hf: where the model runs.", rich_help_panel="Model options", hidden=True),
    trust_remote_code: bool = typer.Option(HFOptions.trust_remote_code, "--trust-remote-code", help="hf: allow a model's own Python code from its repository to run. Off unless you ask.", rich_help_panel="Model options", hidden=True),
    label_map: Optional[str] = typer.Option(None, "--label-map", help="hf: NER label map for a model whose labels are neither the gold's nor CoNLL's PER/ORG/LOC/MISC: a JSON file {\"space\": \"gold\", \"map\": {\"PERSON\": \"PER\", \"DATE\": null}}.", rich_help_panel="Model options", hidden=True),
    concurrency: int = typer.Option(LLMOptions.concurrency, "--concurrency", min=1, help="openai: requests in flight at once.", rich_help_panel="LLM options", hidden=True),
    timeout: float = typer.Option(RetryPolicy.timeout, "--timeout", min=0.1, help="openai: seconds to wait for one answer, all of it (connecting, the headers and the whole body); a slower one is retried like a timeout.", rich_help_panel="LLM options", hidden=True),
    max_retries: int = typer.Option(RetryPolicy.max_retries, "--max-retries", min=0, help="openai: retries of a timeout, 5xx or 429 (exponential backoff from 1 s; a 429's Retry-After is honoured).", rich_help_panel="LLM options", hidden=True),
    response_format: ResponseFormat = typer.Option(LLMOptions.response_format, "--response-format", help="openai: how the answer schema is sent; auto tries json_schema, then json_object, then none.", rich_help_panel="LLM options", hidden=True),
    max_tokens: int = typer.Option(Decoding.max_tokens, "--max-tokens", min=1, help="LLM: most tokens per answer; an answer cut off here counts as a truncated parse failure.", rich_help_panel="LLM options", hidden=True),
    temperature: float = typer.Option(Decoding.temperature, "--temperature", min=0.0, help="LLM: sampling temperature (0 = greedy).", rich_help_panel="LLM options", hidden=True),
    seed: int = typer.Option(Decoding.seed, "--seed", help="LLM: sampling seed.", rich_help_panel="LLM options", hidden=True),
    prompts: Optional[Path] = typer.Option(None, "--prompts", help="LLM: a folder of your own templates (ner.txt, casualties.txt, attribution.txt) instead of the packaged ones.", rich_help_panel="LLM options", hidden=True),
    window: Optional[WindowStrategy] = typer.Option(None, "--window", help="LLM: what one prompt holds: the whole document, one paragraph, or one sentence (attribution sentences come with their neighbours as marked context). Default: the system's measured best (smollm2 and llama-cpp: paragraph; openai: document).", rich_help_panel="LLM options", hidden=True),
    prompt_version: Optional[str] = typer.Option(None, "--prompt-version", help="LLM: the packaged prompts' version: 1.3.0 (default: NER names listed by label, three worked examples, names capitalised phrases of the window, attribution contents sentence prefixes or suffixes), 1.2.0 (worked examples, bounded answers, short fields copy-constrained to phrases of the window), 1.1.0 (the same with free-text fields) or 1.0.0 (the first, to reproduce old rows).", rich_help_panel="LLM options", hidden=True),
    repeat_penalty: Optional[float] = typer.Option(None, "--repeat-penalty", min=0.0, help="LLM: repetition penalty (llama.cpp; sent to an endpoint only when given). Default: 1.1 in-process with prompts 1.1.0 or later, else the backend's own.", rich_help_panel="LLM options", hidden=True),
    threads: Optional[int] = typer.Option(None, "--threads", min=1, help="smollm2, llama-cpp: CPU threads for llama.cpp (default: every core; on a busy machine 1 can be much faster).", rich_help_panel="LLM options", hidden=True),
    max_enum: Optional[int] = typer.Option(None, "--max-enum", min=0, help="LLM: the most enum values one answer schema may hold (0: no limit). Default: OpenAI's caps for openai: (1,000 values, 15,000 characters in an enum of over 250), none in-process. A window over it is split or copy-checked as its prompt version says (docs/hostile-input.md).", rich_help_panel="LLM options", hidden=True),
    trust_env: bool = typer.Option(False, "--trust-env", help="openai: honour the proxy variables (HTTP_PROXY, HTTPS_PROXY, ALL_PROXY, NO_PROXY), .netrc and SSL_CERT_FILE/SSL_CERT_DIR. Off: requests go straight to the endpoint named, and only there.", rich_help_panel="LLM options", hidden=True),
    no_cache: bool = typer.Option(False, "--no-cache", help="LLM: neither read nor write the prediction cache (see `bench cache`).", rich_help_panel="LLM options", hidden=True),
    variants: Optional[str] = typer.Option(None, "--variants", help="Also run on variants: names, numbers or names+numbers (the gap, with a paired interval; --out is a folder).", rich_help_panel="Variants"),
    seeds: str = typer.Option("5", "--seeds", help="With --variants: a count N (seeds 1..N) or a list (1,3,7).", rich_help_panel="Variants"),
    help_all: bool = typer.Option(False, "--help-all", is_eager=True, expose_value=False, callback=show_every_option, help="Show every option, the model and LLM ones too, and exit."),
) -> None:
    """Run a system through the shared harness and score it.

    Examples: `bench eval` (the rules baseline), `bench eval spacy --out r.json`,
    `bench eval mypkg.mymodule:create`, `bench eval smollm2 --task ner,casualties`,
    `bench eval openai:qwen2.5-7b@http://127.0.0.1:8000/v1 --concurrency 16`.

    Options of one kind of system (`bench eval --help-all` explains each):
    hf: --device --trust-remote-code --label-map;
    LLM (smollm2, openai:, llama-cpp:): --window --prompt-version --prompts
    --max-tokens --temperature --seed --repeat-penalty --threads --max-enum --no-cache;
    openai: --concurrency --timeout --max-retries --response-format --trust-env.
    An option the system does not use is ignored with a warning.

    The metrics: `bench metrics`. An LLM endpoint's key: BENCH_API_KEY (else
    OPENAI_API_KEY); answers are cached (`bench cache`).
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

    warn_ignored(ctx, system, variants is not None)
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
            write_predictions(save_predictions, answers, label_maps_of(instance), {"spec": system, "name": instance.name, "version": instance.version})
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
    system_name: Optional[str] = typer.Option(None, "--system-name", help="The system's name in the record (the leaderboard's row). Default: the name the file records (`bench eval --save-predictions` writes it), else the file's name."),
    system_version: Optional[str] = typer.Option(None, "--system-version", help="The system's version in the record. Default: the version the file records, else unknown."),
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
        run = named(score_file(file, corpus, tasks, maps), system_name, system_version, predictions)
        record = record_of(run)
        gates = check_thresholds(record, thresholds)
        emit(with_predictions(record, predictions, out), as_json, out)
    except BenchError as exc:
        fail(exc)
    enforce(gates)


def named(run, name: Optional[str], version: Optional[str], source: Path):
    """The run with the system name and version given (`--system-name`, `--system-version`);
    its spec is then the file it was scored from (`file:NAME`), not the spec the file records."""
    from dataclasses import replace

    from bench.errors import printable

    for flag, value in (("--system-name", name), ("--system-version", version)):
        if value is not None and (not value.strip() or printable(value) != value):
            raise BenchError(f"{flag} must be a non-empty line of printable text, not {printable(value)!r}")
    if name is None and version is None:
        return run
    system = replace(run.system, spec=f"file:{source.name}", name=name if name is not None else run.system.name,
                     version=version if version is not None else run.system.version)
    return replace(run, system=system)
