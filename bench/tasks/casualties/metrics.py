"""The casualty task's metric catalogue (`bench.tasks.metrics`): what `casualties/scoring.py` writes.

Where it sits: stage 2, the casualty task. The rules are GUIDELINES.md section 2.6.
"""

from __future__ import annotations

from bench.tasks.metrics import Catalogue, MetricKind, MetricSpec, TableKind, TableSpec

F1, ACCURACY, COUNT, CONFUSION = MetricKind.F1, MetricKind.ACCURACY, MetricKind.COUNT, MetricKind.CONFUSION

CATALOGUE = Catalogue(
    metrics=(
        MetricSpec(
            "f1", F1, "F1 (figure credit, victim not scored)",
            "Figures pair when their outcomes match and their quantity spans overlap (an optimal one-to-one assignment). "
            "Credit 1 when kind, low, high, outcome and unit match; 0.5 when the intervals overlap or the predicted point lies "
            "in the gold interval; else 0. P = credit / predicted, R = credit / gold. The victim category is not part of it. "
            "Also per outcome.",
            headline=True, per_label="outcome", chart="Casualty figures: F1 (credit) per outcome",
        ),
        MetricSpec("strict_f1", F1, "strict F1 (with victim)", "Credit 1 only for a full match that also has the gold's own victim category.", leaderboard=(None,)),
        MetricSpec("detection_f1", F1, "detection F1", "Quantity span overlap and outcome only: every aligned pair is a hit.", leaderboard=(None,)),
        MetricSpec("value_accuracy", ACCURACY, "value acc.", "Over aligned pairs: kind, low and high all match.", leaderboard=(None,)),
        MetricSpec("victim_accuracy", ACCURACY, "victim acc. (any defensible)", "Over aligned pairs: a victim category the gold accepts (its category or a listed defensible alternative).", leaderboard=(None,)),
        MetricSpec("victim_exact_accuracy", ACCURACY, "victim acc. (gold's own)", "Over aligned pairs: the gold's own victim category.", leaderboard=(None,)),
        MetricSpec("unit_accuracy", ACCURACY, "unit acc.", "Over aligned pairs: the same unit (persons or incidents)."),
        MetricSpec("victim_confusion", CONFUSION, "victim category confusion", "The gold's victim category against the predicted one, one row per pair of categories (`gold->predicted`)."),
        MetricSpec("spurious_on_negatives", COUNT, "spurious on negatives", "Unaligned predictions on an annotated non-casualty number (crowd sizes, dates, durations, other counts).", higher_is_better=False, leaderboard=(None,)),
        MetricSpec("ungrounded", COUNT, "ungrounded", "Text-only quantities not found in the article (or their window): false positives.", higher_is_better=False, leaderboard=(None,)),
        MetricSpec("surplus", COUNT, "surplus", "Text-only quantities repeated more often than the article has them: false positives.", higher_is_better=False, leaderboard=(None,)),
    ),
    tables=(
        TableSpec("{task}", TableKind.METRICS, (("f1", "f1 (figure credit, victim not scored)"), ("strict_f1", "strict_f1 (all fields, gold victim category)"), ("detection_f1", "detection_f1")), notes=True),
        TableSpec("{task} per outcome (credit)", TableKind.LABELS, (("f1", ""),), first_column="outcome"),
        TableSpec("{task} victim category (gold's own category; victim_accuracy also accepts its defensible alternatives)", TableKind.CONFUSION, (("victim_confusion", ""),)),
    ),
)
