"""Integrations: bench's tasks run from other evaluation harnesses.

Where it sits: the stage after reports (`tests/test_architecture.py` ranks it there): it
may import every stage below it, and nothing below imports it. Each module wraps the
tasks' LLM protocol (`bench.tasks.llm`) through the LLM adapter's `requests` and
`merge` (`bench.systems.llm.requests`), so a harness only sends the requests and
hands back the raw answers; bench parses, merges and scores them:

- `bridge`: a task's requests as plain records a harness carries, and the answers back
  into predictions and a results record; `perwindow`: one window's answer on its own;
- `inspect_tasks`: Inspect AI's `inspect eval bench/ner` (entry point `inspect_ai`);
- `lmeval`: the task class of the folder `bench export --format lm-eval DIR` writes;
- `importing`: `bench import inspect|lm-eval`, a harness's log back into a results record.
See docs/harnesses.md.
"""
