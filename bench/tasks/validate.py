"""`bench validate`: check a benchmark tree (seeds and gold) and list every problem.

Checks: the articles' metadata against its schema; each seed's sha256; then each
task's gold (schema, span texts against the seed, token alignment, unique ids,
references between records, versions). Each problem names the file, the record and
what is wrong.

Where it sits: stage 2, tasks: each task checks its own gold (`Task.check_gold`); this
module walks a whole benchmark tree (the installed one, or a `ROOT` a user edits).
"""

from __future__ import annotations

from pathlib import Path

from bench import safejson
from bench.documents.corpus import ARTICLES_FILE, load_corpus
from bench.errors import DataError
from bench.paths import read_regular
from bench.tasks import Problem, Task, all_tasks


def validate_tree(root: Path, tasks: tuple[Task, ...] | None = None) -> list[Problem]:
    from jsonschema import Draft202012Validator

    from bench.documents.corpus import articles_schema

    root = Path(root)
    shown = f"seeds/{ARTICLES_FILE}"
    try:
        raw = safejson.loads(read_regular(root / "seeds" / ARTICLES_FILE))  # a regular file only
    except OSError as exc:
        return [Problem(shown, "", f"cannot read: {exc.strerror}")]
    except safejson.UnsafeJSON as exc:
        return [Problem(shown, "", exc.problem)]
    problems = [
        Problem(shown, "/".join(map(str, e.absolute_path)) or "(top level)", f"schema: {e.message}")
        for e in Draft202012Validator(articles_schema()).iter_errors(raw)
    ]
    if problems:
        return problems
    try:
        corpus = load_corpus(root)
    except DataError as exc:
        return [Problem(shown, "", exc.message)]
    for task in tasks or all_tasks():
        problems += task.check_gold(root, corpus)
    return problems
