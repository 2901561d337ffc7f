"""The harness: between systems (stage 3) and results (stage 4).

- `run.py`: run a system over the corpus, or read a predictions file, and score every
  task into a `Run` (`evaluate`, `score_file`);
- `metadata.py`: what a run records about itself (system, run, tasks, variant);
- `predictions.py`: the predictions file (JSON Lines), the one format every system's
  output takes on disk, read strictly and written atomically, and its schema;
- `variants.py`: a system on the original tree and on its counterfactual variants.
"""
