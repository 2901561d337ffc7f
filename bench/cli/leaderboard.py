"""`bench leaderboard`: render `leaderboard.md` from the results files, or check it is current."""

from pathlib import Path
from typing import List, Optional

import typer

from bench.cli.common import fail
from bench.errors import BenchError, ExitCode, printable


def leaderboard(
    results: Path = typer.Option(Path("results"), "--results", help="Folder of results files (*.json) to read."),
    out: Path = typer.Option(Path("leaderboard.md"), "--out", "-o", help="The markdown file to write (bench owns it: it is overwritten)."),
    variants: Optional[Path] = typer.Option(None, "--variants", help="Folder of variant runs (<system>/original.json, <system>/<family>-seed<k>.json) for the robustness table. Default: RESULTS/variants; skipped when absent."),
    ceiling: Optional[Path] = typer.Option(None, "--ceiling", help="The LLM ceiling table (`bench ceiling --out`) shown beside the LLM rows. Default: RESULTS/ceiling/llm-ceiling.json; a dash on every row when absent."),
    write: Optional[List[Path]] = typer.Option(None, "--write", help="Also replace the generated headline block of this Markdown page (repeatable). Default: the README.md beside --out, when it has the block."),
    check: bool = typer.Option(False, "--check", help="Write nothing; exit 1 when the file (or a page's headline block) differs from what would be rendered."),
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

    The README's headline table (one row per results file, each task's headline) sits
    between two marker lines; it is rendered with the leaderboard and checked with it.
    """
    from bench.reports.leaderboard import README_START, load_results, load_variant_runs, page_with_headline_table, render, stale_hint
    from bench.results.ceiling import DEFAULT_PATH, read_table

    try:
        records = load_results(results, lambda path, why: typer.echo(f"bench leaderboard: skipped {printable(str(path))}: {why}", err=True))
        table_path = results / DEFAULT_PATH if ceiling is None else ceiling
        table = read_table(table_path) if ceiling is not None or table_path.is_file() else None
        text = render(records, out, load_variant_runs(results / "variants" if variants is None else variants), table)
        pages = list(write) if write else [page for page in [out.parent / "README.md"] if page.is_file() and README_START in _read(page)]
        page_texts = {page: page_with_headline_table(_read(page, strict=True), records, page, table) for page in pages}
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
        stale = False
        for path, wanted in [(out, text), *page_texts.items()]:
            current = path.read_bytes().decode("utf-8", errors="replace") if path.is_file() else None  # bad bytes: stale
            if current == wanted:
                typer.echo(f"bench leaderboard: {path} is up to date")
                continue
            stale = True
            why = f"{path} does not exist" if current is None else stale_hint(current, wanted, path)
            typer.echo(f"bench leaderboard: {path} is out of date ({why}); run `bench leaderboard` and commit it", err=True)
        if stale:
            raise typer.Exit(int(ExitCode.GATE_FAILED))
        return
    from bench.atomic import write_text

    try:
        write_text(out, text)
        for page, page_text in page_texts.items():
            write_text(page, page_text)
    except BenchError as exc:  # a folder in the way, a read-only folder, a full disk
        fail(exc)
    typer.echo(f"bench leaderboard: wrote {out}")
    for page in page_texts:
        typer.echo(f"bench leaderboard: wrote the headline table in {page}")


def _read(path: Path, strict: bool = False) -> str:
    """A page's text; unreadable: empty (no block to look for), or with strict an error naming it."""
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        if strict:
            raise BenchError(f"{path}: cannot read: {getattr(exc, 'strerror', None) or 'not UTF-8 text'}") from None
        return ""
