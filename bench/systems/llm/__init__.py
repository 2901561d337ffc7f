"""LLM extraction systems (stage 3 of the pipeline): one prompt per task per window.

Generic over each task's LLM protocol (`bench.tasks.llm`, in the task's folder: its
templates, answer formats, parser and dedupe key):

- `prompts`: a task's template of a prompt version, hashed with its answer format into the prompt identity;
- `requests`: one task's prompts for one document (a window each: `bench.documents.windows`),
  and their answers merged into its predictions;
- `answers`: parsing an answer into prediction items (fences stripped, leading prose
  tolerated, never `eval`; failures counted, never hidden);
- `client`: the OpenAI-compatible chat-completions client (timeouts, retries, 429s);
- `local`: llama.cpp in-process, with JSON-schema constrained output (`lazy_grammar`: the
  grammar asked about the greedy token first; `prefix_states`: the shared prompt prefix kept);
- `cache`: the prediction cache (raw answers, keyed by everything that shapes them);
- `settings`: the options a user gives (decoding, retries, windows, the cache);
- `specs`: the factories of `smollm2`, `openai:` and `llama-cpp:`;
- `system`: the `System` that ties them together and runs requests concurrently.

Nothing here imports llama.cpp or an HTTP library at module level.
"""
