"""The `rules` system: a model-free baseline for NER, casualty figures and attribution.

Where it sits: stage 3, systems. `system.py` is the system; `ner.py`, `casualties.py`
and `attribution.py` (with `attribution_text.py`, shared with the spaCy adapter) hold
the rules, each listed in its docstring. The rules never read gold files.
"""
