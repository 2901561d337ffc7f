"""`bench cache info` and `bench cache clear`: the LLM prediction cache (see
`bench.systems.llm.cache` for what it keys on and where it lives)."""

from __future__ import annotations

import typer

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    rich_markup_mode=None,
    help="The prediction cache of the LLM systems: raw answers keyed by system, model, prompt "
    "template hash, document and decoding parameters. Location: the platform's user cache "
    "folder, or BENCH_CACHE_DIR when set.",
)


@app.command()
def info() -> None:
    """Print where the cache is and how many answers it holds."""
    from bench.systems.llm.cache import PredictionCache

    cache = PredictionCache()
    typer.echo(f"{cache.directory}: {cache.entries()} entries")


@app.command()
def clear() -> None:
    """Delete every cached answer (the next LLM run asks the model again)."""
    from bench.systems.llm.cache import PredictionCache

    cache = PredictionCache()
    typer.echo(f"removed {cache.clear()} cached answers from {cache.directory}")
