"""LLM extraction systems (stage 3 of the pipeline): one prompt per task per window.

- `windows`: what one prompt holds (the document, a paragraph or a sentence), answer
  bounds, and merging the windows' records per document (their strings are grounded
  inside their window);
- `prompts`: versioned templates kept in the package (`prompts/<version>/<task>.txt`), hashed into the results;
- `copying`: the phrases of a window that an answer's names, number phrases, sources and
  cues may hold (prompts 1.2.0: an `enum` in the answer schema);
- `answers`: each task's answer JSON Schema, and parsing an answer into prediction items
  (fences stripped, leading prose tolerated, never `eval`; failures counted, never hidden);
- `client`: the OpenAI-compatible chat-completions client (timeouts, retries, 429s);
- `local`: llama.cpp in-process, with JSON-schema constrained output;
- `cache`: the prediction cache (raw answers, keyed by everything that shapes them);
- `system`: the `System` that ties them together and runs requests concurrently.

Nothing here imports llama.cpp or an HTTP library at module level.
"""
