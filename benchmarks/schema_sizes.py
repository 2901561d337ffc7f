"""How many of a run's requests are over an endpoint's schema limit, per prompt version,
task and window strategy, on the installed articles.

Run: python -m benchmarks.schema_sizes [--max-enum N]
For each (prompt version with a copy rule, task, window strategy) it builds the requests
`bench eval` builds with no limit and counts those whose answer schema is over OpenAI's
caps (or `--max-enum N` with OpenAI's character cap), with the most enum values any one
holds. docs/hostile-input.md quotes its output.
"""

from __future__ import annotations

import argparse

from bench.documents.corpus import load_corpus
from bench.documents.windows import WindowStrategy
from bench.systems.llm.prompts import load_prompt
from bench.systems.llm.requests import requests
from bench.systems.llm.schema_limits import OPENAI, _enums, limit_for
from bench.tasks.llm import OVER_LIMIT
from bench.tasks.registry import all_tasks


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-enum", type=int, default=None)
    limit = limit_for(parser.parse_args().max_enum, OPENAI)
    corpus = load_corpus()
    print(f"limit: {limit.describe() if limit else 'none'}")
    print("prompts  task          window     over / requests  most enum values")
    for version in OVER_LIMIT:
        for task in all_tasks():
            if getattr(task, "llm", None) is None:
                continue
            prompt = load_prompt(task, None, version)
            for strategy in WindowStrategy:
                asked = [(r, d) for d in corpus.values() for r in requests(task, prompt, d, strategy)]
                schemas = [r.schema(prompt, d) for r, d in asked]
                over = sum(limit is not None and limit.problem(s) is not None for s in schemas)
                most = max(sum(len(e) for e in _enums(s)) for s in schemas)
                print(f"{version:8} {task.name:13} {strategy.value:10} {over:4} / {len(asked):<8}  {most:,}")


if __name__ == "__main__":
    main()
