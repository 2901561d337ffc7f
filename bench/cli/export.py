"""`bench export`: write the gold as Hugging Face datasets, CoNLL-2003 columns or JSON Lines.

A thin layer over `bench.export.export`; the layout of each format is documented in
`bench/export/__init__.py` and docs/export.md.
"""

from pathlib import Path
from typing import List, Optional

import typer

from bench.cli.common import DATA_HELP, fail, task_names
from bench.errors import BenchError


def export(
    out_dir: Path = typer.Argument(..., metavar="DIR", help="Folder to write into (created if missing; must be empty unless --force)."),
    fmt: str = typer.Option("jsonl", "--format", "-f", help="hf (datasets.DatasetDict.save_to_disk, needs the [hf] extra), conll (CoNLL-2003 columns, NER only), jsonl, or lm-eval (a task folder for lm-evaluation-harness: bench_<task>.yaml and bench_lmeval.py; see docs/harnesses.md)."),
    task: Optional[List[str]] = typer.Option(None, "--task", "-t", help="Tasks to export: comma-separated or repeatable (--task ner,casualties). Default: every task the format holds."),
    force: bool = typer.Option(False, "--force", help="Write into a non-empty folder, replacing an earlier export's files there."),
    data: Optional[Path] = typer.Option(None, "--data", help=DATA_HELP),
) -> None:
    """Export the gold, one row per sentence (NER), figure, number or relation, in one `test` split.

    Examples: `bench export --format hf out/hf`, then `datasets.load_from_disk("out/hf/ner")`;
    `bench export --format conll out/conll`; `bench export --format jsonl out/jsonl --task casualties`;
    `bench export --format lm-eval out/lmeval`, then `lm_eval --include_path out/lmeval --tasks bench_ner ...`
    (docs/harnesses.md has the whole line).
    Offline. DIR/manifest.json lists what was written, with row counts and gold versions.
    """
    from bench.export import export as run_export

    try:
        summary = run_export(fmt, out_dir, tuple(task_names(task)), root=data, force=force)
    except BenchError as exc:
        fail(exc)
    width = max([13, *map(len, summary.paths)])
    for config, path in summary.paths.items():
        typer.echo(f"{config:<{width}} {summary.rows[config]:>4} rows  {out_dir / path}")
    typer.echo(f"bench export: {summary.format.value} written to {out_dir}")
