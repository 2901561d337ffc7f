"""`bench cache info|list|remove|clear`: the LLM prediction cache (see
`bench.systems.llm.cache` for what it keys on and where it lives)."""

from typing import List, Optional

import typer

from bench.cli.common import fail, task_names
from bench.errors import BenchError, printable

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    rich_markup_mode=None,
    help="The prediction cache of the LLM systems: raw answers keyed by system, model, prompt "
    "template hash, document and decoding parameters. Location: the platform's user cache "
    "folder, or BENCH_CACHE_DIR when set. A damaged entry is a miss with a warning: the model is asked again.",
)

SYSTEM_HELP = "Only the answers of this system spec, as given to `bench eval` (e.g. smollm2, openai:qwen@http://127.0.0.1:8000/v1)."
TASK_HELP = "Only the answers for these tasks: comma-separated or repeatable (--task ner,casualties)."
DOCUMENT_HELP = "Only the answers for this article: its doc_id (see `bench export`), or the sha256 of its text."


def _document_sha(document: Optional[str]) -> Optional[str]:
    """A doc_id of the installed articles -> its text's sha256; a sha256 is kept as given."""
    if document is None:
        return None
    from bench.documents.corpus import load_corpus

    corpus = load_corpus()
    if document in corpus:
        return corpus[document].sha256
    if len(document) == 64 and all(c in "0123456789abcdef" for c in document):
        return document
    import difflib

    close = difflib.get_close_matches(document, list(corpus), n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else f" (known: {', '.join(corpus)})"
    raise BenchError(f"unknown document {document!r}{hint}; give a doc_id or a text sha256")


def _doc_names() -> dict[str, str]:
    from bench.documents.corpus import load_corpus

    try:
        return {doc.sha256: doc_id for doc_id, doc in load_corpus().items()}
    except BenchError:
        return {}


@app.command()
def info() -> None:
    """Print where the cache is and how many answers it holds."""
    from bench.systems.llm.cache import PredictionCache

    cache = PredictionCache()
    typer.echo(f"{cache.directory}: {cache.entries()} entries")


@app.command("list")
def list_(
    system: Optional[str] = typer.Option(None, "--system", "-s", help=SYSTEM_HELP),
    task: Optional[List[str]] = typer.Option(None, "--task", "-t", help=TASK_HELP),
    document: Optional[str] = typer.Option(None, "--document", "-d", help=DOCUMENT_HELP),
) -> None:
    """List cached answers, one line each: system, task, document, model, size.

    Example: `bench cache list --system smollm2 --task ner`.
    """
    from bench.systems.llm.cache import PredictionCache

    try:
        cache = PredictionCache()
        sha = _document_sha(document)
        entries = [entry for name in task_names(task) or [None] for entry in cache.list(system, name, sha)]
    except BenchError as exc:
        fail(exc)
    names = _doc_names()
    for entry in entries:
        parts = entry.parts
        sha = str(parts.get("document_sha256", "?"))
        fields = (parts.get("system", "?"), parts.get("task", "?"), names.get(sha, sha[:12]), parts.get("model", "?"))
        # an entry's fields are outside text: control characters (a tab, a newline, ESC) escaped, one entry one line
        typer.echo("\t".join(printable(str(field)) for field in fields) + f"\t{entry.size} bytes")
    typer.echo(f"{len(entries)} cached answers in {cache.directory}", err=True)


@app.command()
def remove(
    system: Optional[str] = typer.Option(None, "--system", "-s", help=SYSTEM_HELP),
    task: Optional[List[str]] = typer.Option(None, "--task", "-t", help=TASK_HELP),
    document: Optional[str] = typer.Option(None, "--document", "-d", help=DOCUMENT_HELP),
) -> None:
    """Delete the cached answers that match every filter given (at least one; `bench cache clear` deletes all).

    Example: `bench cache remove --system openai:m@http://127.0.0.1:8000/v1 --task casualties`
    (the next run asks the model again for those answers only).
    """
    from bench.systems.llm.cache import PredictionCache

    try:
        if system is None and not task and document is None:
            raise BenchError("give --system, --task or --document (or use `bench cache clear` to delete every answer)")
        cache = PredictionCache()
        sha = _document_sha(document)
        removed = sum(cache.remove(system, name, sha) for name in task_names(task) or [None])
    except BenchError as exc:
        fail(exc)
    typer.echo(f"removed {removed} cached answers from {cache.directory}")


@app.command()
def clear() -> None:
    """Delete every cached answer (the next LLM run asks the model again)."""
    from bench.systems.llm.cache import PredictionCache
    from bench.systems.llm.prefix_states import STATES_FOLDER, clear_states

    cache = PredictionCache()
    removed = cache.clear()
    clear_states(cache.directory / STATES_FOLDER)  # the llama.cpp backend's kept prompt prefixes
    typer.echo(f"removed {removed} cached answers from {cache.directory}")
