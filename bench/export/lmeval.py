"""`bench export --format lm-eval DIR`: a task folder for lm-evaluation-harness.

Where it sits: the export stage, generic over the tasks: one YAML file per task an LLM
can be asked for (`bench_<task>.yaml`, from the registry, never a task named here) and
one Python module, `bench_lmeval.py`, that imports the class doing the work from the
installed bench (`bench.integrations.lmeval.BenchTask`), so the folder holds no copy of
bench's prompts, parser or scorer and never goes stale against the bench installed:

    lm_eval --include_path DIR --tasks bench_ner --model local-chat-completions \
        --model_args base_url=http://127.0.0.1:8000/v1/chat/completions,model=NAME \
        --apply_chat_template --log_samples --output_path OUT

Each YAML sets `bench eval`'s decoding (temperature 0, top_p 1, seed 0, 1024 tokens, no
stop sequence: without `until: []` lm-eval would stop at its few-shot delimiter, a
blank line) and, in `metadata`, the window, prompt version, answer format and data tree,
which `--metadata '{"window": "sentence"}'` overrides at run time.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Sequence

from bench.atomic import write_text
from bench.errors import BenchError
from bench.tasks.base import Task

MODULE = "bench_lmeval.py"

_MODULE_TEXT = '''"""lm-evaluation-harness tasks of the benchmark, written by `bench export --format lm-eval` (bench {version}).

The work is done by the installed bench (bench.integrations.lmeval): its prompts, answer
schemas, parser and scorer. See docs/harnesses.md.
"""

from bench.integrations.lmeval import BenchTask  # noqa: F401
'''


def task_file(task: str) -> str:
    return f"bench_{task}.yaml"


def lmeval_tasks(requested: Sequence[str]) -> list[Task]:
    """The tasks to write: those asked for (each must have an LLM protocol), else every one that has one."""
    from bench.tasks.registry import all_tasks, get_task

    if requested:
        chosen = [get_task(name) for name in requested]
        without = [str(t.name) for t in chosen if getattr(t, "llm", None) is None]
        if without:
            raise BenchError(f"the lm-eval format holds tasks an LLM can be asked for; {', '.join(without)} has no LLM protocol")
        return chosen
    return [t for t in all_tasks() if getattr(t, "llm", None) is not None]


def task_yaml(task: Task, data: Path | None, version: str) -> str:
    """One task's lm-eval configuration (YAML; every scalar written as JSON, which YAML reads as it is)."""
    from bench.documents.windows import WindowStrategy
    from bench.systems.llm.prompts import latest
    from bench.systems.llm.settings import Decoding, ResponseFormat

    name, d = str(task.name), Decoding()
    q = json.dumps
    return "\n".join([
        f"# bench's {name} task for lm-evaluation-harness, written by `bench export --format lm-eval` (bench {version}).",
        "# One lm-eval doc per window, bench's prompt and answer schema, bench's corpus-level scorer (bench_lmeval.py).",
        f"task: {q('bench_' + name)}",
        "class: !function bench_lmeval.BenchTask",
        "output_type: generate_until",
        "test_split: test",
        "doc_to_text: id",
        'doc_to_target: ""',
        "# bench eval's decoding; until [] = no stop sequence (lm-eval's default stops at a blank line)",
        "generation_kwargs:",
        "  until: []",
        f"  max_gen_toks: {d.max_tokens}",
        f"  temperature: {d.temperature}",
        f"  top_p: {d.top_p}",
        f"  seed: {d.seed}",
        "  do_sample: false",
        "# bench's options; --metadata '{\"window\": \"sentence\", \"docs\": \"ID,ID\", \"limit\": 1, \"data\": \"TREE\"}' overrides them",
        "metadata:",
        "  version: 1.0",
        f"  bench_task: {q(name)}",
        f"  window: {q(WindowStrategy.PARAGRAPH.value)}",
        f"  prompt_version: {q(latest([task]))}",
        f"  response_format: {q(ResponseFormat.AUTO.value)}",
        f"  data: {q(str(data)) if data is not None else 'null'}",
        "",
    ])


def write_lmeval(tasks: Sequence[Task], out_dir: Path, root: Path | None) -> tuple[dict[str, str], dict[str, int]]:
    """Write the folder: (configuration -> file written, relative to `out_dir`; configuration
    -> its lm-eval docs, the windows of the tree with the default window). The module is
    written last, `MODULE`."""
    from bench.about import __version__
    from bench.documents.corpus import load_corpus
    from bench.documents.windows import WindowStrategy
    from bench.systems.llm.requests import windows

    corpus = load_corpus(root)
    data = Path(root).resolve() if root is not None else None
    paths, rows = {}, {}
    for task in tasks:
        name = f"bench_{task.name}"
        write_text(out_dir / task_file(str(task.name)), task_yaml(task, data, __version__))
        paths[name] = task_file(str(task.name))
        rows[name] = sum(len(windows(task, doc, WindowStrategy.PARAGRAPH)) for doc in corpus.values())
    write_text(out_dir / MODULE, _MODULE_TEXT.format(version=__version__))
    return paths, rows
