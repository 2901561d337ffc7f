"""`bench ceiling`: the LLM protocol's ceiling, computed from the gold; the table file and the docs page.

Where it sits: the CLI, a thin layer over `bench.harness.ceiling` (the computation),
`bench.results.ceiling` (the table file the leaderboard reads) and
`bench.reports.ceiling` (its markdown, for docs/llm-ceiling.md).
"""

from pathlib import Path
from typing import List, Optional

import typer

from bench.cli.common import DATA_HELP, fail, select_tasks
from bench.documents.windows import WindowStrategy
from bench.errors import BenchError, ExitCode

WARNING = "It reads the gold by design: it measures the harness and its answer formats, not a model. Never use it to choose or tune prompts."


def ceiling(
    prompt_version: Optional[List[str]] = typer.Option(None, "--prompt-version", help="Prompt version (repeatable). Default: every version (1.0.0 to the latest)."),
    window: Optional[List[WindowStrategy]] = typer.Option(None, "--window", help="Window strategy (repeatable). Default: document, paragraph and sentence."),
    task: Optional[List[str]] = typer.Option(None, "--task", "-t", help="Tasks: comma-separated or repeatable (--task ner,casualties). Default: every task with an LLM protocol."),
    data: Optional[Path] = typer.Option(None, "--data", help=DATA_HELP),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="Write the table as JSON here (bench owns the file: it is overwritten). The leaderboard reads RESULTS/ceiling/llm-ceiling.json."),
    write: Optional[Path] = typer.Option(None, "--write", help="Replace the generated block of this Markdown page (docs/llm-ceiling.md) with the table."),
    check: bool = typer.Option(False, "--check", help="With --out or --write: write nothing; exit 1 when a file differs from what would be written."),
    as_json: bool = typer.Option(False, "--json", help="Print the table as JSON instead of Markdown."),
) -> None:
    """The LLM protocol's ceiling: the headline a perfect model reaches through each prompt version's answer format and window.

    For every task, prompt version and window strategy it writes the gold as a perfect
    model would, window by window, through the answer format and copy rule (only the
    phrases the enum offers, contents as the rule allows, within the bounds), sends each
    answer through the same parser, window tagging, dedupe, grounding and scorer as a
    model's, and reports the headline reached and the gold items no answer can hold,
    counted by reason (docs/llm-ceiling.md).

    It reads the gold by design: it measures the harness and its answer formats, not a
    model. Never use it to choose or tune prompts.
    """
    from bench.documents.corpus import load_corpus
    from bench.harness.ceiling import ceilings, gold_of
    from bench.reports.ceiling import markdown, page_with
    from bench.results.ceiling import CeilingTable

    if check and out is None and write is None:
        fail(BenchError("--check needs --out FILE or --write PAGE: the file to compare"))
    try:
        corpus = load_corpus(data)
        tasks = select_tasks(task)
        table = CeilingTable(gold_of(corpus, tasks), tuple(ceilings(corpus, tasks, prompt_version, window)))
        if not table.ceilings:
            raise BenchError("none of these tasks has an LLM protocol that can give an ideal answer")
        outputs = []
        if out is not None:
            outputs.append((out, table.text(), f"bench ceiling --out {out}"))
        if write is not None:
            try:
                page = write.read_text(encoding="utf-8")
            except OSError as exc:
                raise BenchError(f"{write}: cannot read: {exc.strerror}") from None
            except UnicodeDecodeError:
                raise BenchError(f"{write}: not UTF-8 text") from None
            outputs.append((write, page_with(page, table, write), f"bench ceiling --write {write}"))
        if check:
            stale = [(path, command) for path, text, command in outputs if _current(path) != text]
            for path, command in stale:
                typer.echo(f"bench ceiling: {path} is out of date; run `{command}` and commit it", err=True)
            if stale:
                raise typer.Exit(int(ExitCode.GATE_FAILED))
            typer.echo("bench ceiling: " + ", ".join(str(path) for path, _, _ in outputs) + " up to date")
            return
        from bench.atomic import write_text

        for path, text, _ in outputs:
            write_text(path, text)
            typer.echo(f"bench ceiling: wrote {path}", err=as_json)
    except BenchError as exc:
        fail(exc)
    if not outputs or as_json:
        typer.echo(table.text().rstrip("\n") if as_json else markdown(table).rstrip("\n"))
    if not as_json and not outputs:
        typer.echo("\n" + WARNING)


def _current(path: Path) -> str | None:
    try:
        return path.read_bytes().decode("utf-8", errors="replace")
    except OSError:
        return None
