"""Integrations: bench's tasks run from other evaluation harnesses.

Where it sits: the stage after reports (`tests/test_architecture.py` ranks it there): it
may import every stage below it, and nothing below imports it. Each module wraps the
tasks' LLM protocol (`bench.tasks.llm`) through the LLM adapter's `requests` and
`merge` (`bench.systems.llm.requests`), so a harness only sends the requests and
hands back the raw answers; bench parses, merges and scores them:

- `inspect_tasks`: Inspect AI's `inspect eval bench/ner` (entry point `inspect_ai`);
- `lmeval`: the task folder `bench export --format lm-eval DIR` writes;
- `windows`: the requests of a task as plain records, and their answers back into
  predictions, shared by both;
- `importing`: `bench import inspect|lm-eval`, a harness's log back into a results record.
"""
