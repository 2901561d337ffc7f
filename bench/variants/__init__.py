"""Stage 1b of the pipeline: counterfactual variants of the benchmark tree.

A variant is a deterministic function of (benchmark tree, family, seed): new article
texts whose gold, for all three tasks, follows every edit exactly. Families:
`names` (every entity replaced by another of its kind, `names.py`), `numbers` (every
casualty figure resampled, `numbers.py`), `names+numbers`, and `none` (the identity).
`tree.build_variant` builds one; `summary` reads runs on the original and on its
variants and says how much a system's scores drop.

Why: the articles are public, so a model may remember them; a drop on unseen names
and numbers is evidence (not proof) of memorisation or of reliance on known entities.
"""
