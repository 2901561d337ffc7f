"""`bench eval SYSTEM --variants FAMILY --seeds N` and `bench variants write`: counterfactual variants."""

from pathlib import Path
from typing import Optional

import typer

from bench.cli.common import DATA_HELP, fail, refuse_overwrite, select_tasks
from bench.errors import BenchError

app = typer.Typer(
    no_args_is_help=True,
    help="Counterfactual variants of the benchmark: the same articles with other names and numbers, and gold that follows every edit.",
)


def parse_seeds(text: str) -> tuple[int, ...]:
    """"5" -> seeds 1..5; "1,3,7" -> those seeds."""
    try:
        parts = [int(p) for p in text.split(",") if p.strip()]
    except ValueError:
        raise BenchError(f"--seeds {text!r}: give a count (5) or a comma-separated list of seeds (1,3,7)") from None
    if len(parts) == 1 and "," not in text:
        if parts[0] < 1:
            raise BenchError(f"--seeds {text!r}: the count must be at least 1")
        return tuple(range(1, parts[0] + 1))
    if not parts or len(set(parts)) != len(parts) or min(parts) < 0:
        raise BenchError(f"--seeds {text!r}: seeds must be distinct non-negative integers")
    return tuple(parts)


def eval_on_variants(system, family_text, seeds_text, task, out, save_predictions, as_json, force, data, fail_under, batch_size, options) -> None:
    from bench.documents.corpus import data_root
    from bench.harness.variants import evaluate_on_variants
    from bench.progress import progress_for
    from bench.results.make import record_of
    from bench.results.record import write_json_atomic
    from bench.results.robustness import summarise, summary_lines
    from bench.systems.base import SystemContext
    from bench.systems.registry import create_system
    from bench.variants.tree import Family, parse_family

    try:
        family = parse_family(family_text)
        if family is Family.NONE:
            raise BenchError("--variants none is the original itself; give names, numbers or names+numbers")
        if save_predictions is not None or fail_under:
            raise BenchError("--save-predictions and --fail-under do not go with --variants; run the original without --variants for those")
        seeds = parse_seeds(seeds_text)
        tasks = select_tasks(task)
        root = data_root() if data is None else data
        names = ["original.json", *(f"{family.value}-seed{s}.json" for s in seeds), "summary.json"]
        if out is not None:
            if out.exists() and not out.is_dir():
                raise BenchError(f"{out}: with --variants, --out is a folder (one results file per run)")
            refuse_overwrite([out / n for n in names], force)

        def make_system(tree: Path, progress):
            return create_system(system, SystemContext(tree, tasks, options, progress))

        runs = evaluate_on_variants(system, make_system, tasks, root, family, seeds, batch_size, lambda: progress_for(system))
        records = [record_of(r.run) for r in runs]
        summary = summarise(records[0], records[1:])
        if out is not None:
            for run, record in zip(runs, records):
                write_json_atomic(out / run.file_name, record.to_json())
            write_json_atomic(out / "summary.json", {"system": records[0].system.spec, **summary.to_json()})
    except BenchError as exc:
        fail(exc)
    except KeyboardInterrupt:
        typer.echo("bench: interrupted; answers that finished are kept in the prediction cache, so a rerun resumes", err=True)
        raise typer.Exit(130) from None
    if as_json:
        import json

        typer.echo(json.dumps({"system": records[0].system.spec, **summary.to_json()}, indent=2, ensure_ascii=False))
        return
    for line in summary_lines(summary, records[0].system.name or system):
        typer.echo(line)
    if out is not None:
        typer.echo(f"\nresults written to {out}/ ({', '.join(r.file_name for r in runs)}, summary.json)")


@app.command("write")
def write(
    folder: Path = typer.Argument(..., help="Where to write the variant tree (seeds/ and gold/); must not exist, or be empty."),
    variants: str = typer.Option(..., "--variants", help="Family: names, numbers, names+numbers, or none (the original, byte for byte)."),
    seed: int = typer.Option(0, "--seed", min=0, help="The seed: the same seed gives the same tree, byte for byte."),
    data: Optional[Path] = typer.Option(None, "--data", help=DATA_HELP),
) -> None:
    """Write a variant of the benchmark tree for other tools: `bench validate DIR` checks it,
    `bench eval --data DIR` and `bench score --data DIR` run on it.

    Example: `bench variants write --variants names --seed 3 out/names-3`.
    """
    from bench.documents.corpus import data_root
    from bench.variants.tree import build_variant, parse_family

    try:
        if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
            raise BenchError(f"{folder} exists and is not an empty folder; nothing written")
        tree = build_variant(data_root() if data is None else data, parse_family(variants), seed)
        tree.write(folder)
    except BenchError as exc:
        fail(exc)
    typer.echo(f"bench variants: wrote {tree.family.value} seed {seed} (inventory {tree.inventory_version}) to {folder}")
