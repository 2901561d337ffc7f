"""`bench leaderboard`: render `leaderboard.md` from the results files, or check it is current."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from bench.cli.common import fail
from bench.errors import BenchError, ExitCode, printable


def leaderboard(
    results: Path = typer.Option(Path("results"), "--results", help="Folder of results files (*.json) to read."),
    out: Path = typer.Option(Path("leaderboard.md"), "--out", "-o", help="The markdown file to write (bench owns it: it is overwritten)."),
    variants: Optional[Path] = typer.Option(None, "--variants", help="Folder of variant runs (<system>/original.json, <system>/<family>-seed<k>.json) for the robustness table. Default: RESULTS/variants; skipped when absent."),
    ceiling: Optional[Path] = typer.Option(None, "--ceiling", help="The LLM ceiling table (`bench ceiling --out`) shown beside the LLM rows. Default: RESULTS/ceiling/llm-ceiling.json; a dash on every row when absent."),
    check: bool = typer.Option(False, "--check", help="Write nothing; exit 1 when the file differs from what would be rendered."),
    verify: bool = typer.Option(False, "--verify", help="Also re-score every row from its saved predictions file (run.predictions), and recompute the ceiling table from the gold, and fail (exit 2) on any difference in a metric, a count, a per-sentence unit or a ceiling."),
) -> None:
    """Render the leaderboard (one table per task, headline with its 95% interval) from saved results alone.

    Variant runs in RESULTS/variants/<system>/ (`bench eval SYSTEM --variants FAMILY --out
    results/variants/SYSTEM`) add a robustness table: original, variant mean and gap per task.

    LLM rows show their ceiling (the headline a perfect model reaches through the row's
    prompt version and window) from the committed ceiling table; other rows a dash.

    Never runs a system. Refuses (exit 2) results made on different gold or scorer
    versions, naming the files, and a ceiling table made on other gold or prompts. A JSON
    file in RESULTS that is no results record (none of format, metrics, system) is skipped
    with a line naming it; a results file that is malformed is an error. With --check: exit 0 when the file is current, 1 when it
    is stale or missing (CI runs this).
    """
    from bench.reports.leaderboard import load_results, load_variant_runs, render, stale_hint
    from bench.results.ceiling import DEFAULT_PATH, read_table

    try:
        records = load_results(results, lambda path, why: typer.echo(f"bench leaderboard: skipped {printable(str(path))}: {why}", err=True))
        table_path = results / DEFAULT_PATH if ceiling is None else ceiling
        table = read_table(table_path) if ceiling is not None or table_path.is_file() else None
        text = render(records, out, load_variant_runs(results / "variants" if variants is None else variants), table)
        if verify and table is not None:
            from bench.results.ceiling import verify_table

            verify_table(table, table_path)
            typer.echo(f"bench leaderboard: {table_path} recomputed from the gold, every ceiling as recorded")
        if verify:
            from bench.results.rescore import rescore

            checked = [path for path, record in records.items() if record.run.predictions]
            for path in checked:
                rescore(path, strict=True)
            unverifiable = [path.name for path, record in records.items() if not record.run.predictions]
            typer.echo(f"bench leaderboard: {len(checked)} rows re-scored from their predictions, every number as recorded"
                       + (f"; {printable(', '.join(unverifiable))} name no predictions file, so they were not re-scored" if unverifiable else ""))
    except BenchError as exc:
        fail(exc)
    if check:
        current = out.read_bytes().decode("utf-8", errors="replace") if out.is_file() else None  # bad bytes: stale
        if current == text:
            typer.echo(f"bench leaderboard: {out} is up to date")
            return
        why = f"{out} does not exist" if current is None else stale_hint(current, text, out)
        typer.echo(f"bench leaderboard: {out} is out of date ({why}); run `bench leaderboard` and commit it", err=True)
        raise typer.Exit(int(ExitCode.GATE_FAILED))
    from bench.atomic import write_text

    try:
        write_text(out, text)
    except BenchError as exc:  # a folder in the way, a read-only folder, a full disk
        fail(exc)
    typer.echo(f"bench leaderboard: wrote {out}")
