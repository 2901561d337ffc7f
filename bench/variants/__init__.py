"""Counterfactual variants of the benchmark tree, after the tasks (stage 2) in the pipeline.

A variant is a deterministic function of (benchmark tree, family, seed): new article
texts whose gold, for every task, follows every edit exactly. Families: `names`
(every entity replaced by another of its kind, `names.py`), `numbers` (every casualty
figure's numeral resampled, by the casualty task's own `numbers.py`),
`names+numbers`, and `none` (the identity). `tree.build_variant` builds one, asking
each task's `variants` hooks how its gold follows; `bench.results.robustness` reads
runs on the original and on its variants and says how much a system's scores drop.

Why: the articles are public, so a model may remember them; a drop on unseen names
and numbers is evidence (not proof) of memorisation or of reliance on known entities.
"""
