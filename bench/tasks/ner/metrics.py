"""The NER task's metric catalogue (`bench.tasks.metrics`): what `ner/scoring.py` writes.

Where it sits: stage 2, the NER task. Every metric comes in two label views: `gold`
(the gold's seven labels) and `conll` (the CoNLL-2003 projection: PER, ORG, LOC <-
GPE/LOC/FAC, MISC <- NORP/EVENT); a system predicting CoNLL labels has the `conll`
view only.
"""

from __future__ import annotations

from bench.tasks.metrics import Catalogue, MetricKind, MetricSpec, TableKind, TableSpec

VIEWS = ("gold", "conll")
F1, COUNT = MetricKind.F1, MetricKind.COUNT

CATALOGUE = Catalogue(
    metrics=(
        MetricSpec(
            "strict_f1", F1, "strict F1",
            "Exact span and label; micro precision, recall and F1 from tp/fp/fn summed over documents. Equal to seqeval's "
            "strict IOB2 score on the BIO view. Also per label, with the gold support and the predicted count side by side.",
            headline=True, views=VIEWS, view_titles={"gold": "strict F1 (gold labels)", "conll": "strict F1 (CoNLL view)"},
            leaderboard=("conll",), per_label="label", chart="NER strict F1 per label",
        ),
        MetricSpec(
            "exact_f1", F1, "exact F1",
            "SemEval-2013 Task 9.1 `exact` (as nervaluate names it): the same span, any label, by an optimal one-to-one pairing.",
            views=VIEWS, leaderboard=("gold",),
        ),
        MetricSpec(
            "partial_f1", F1, "partial F1",
            "SemEval-2013 `partial`: any overlap, any label; an exact span is full credit, an overlap half credit.",
            views=VIEWS, leaderboard=("gold",),
        ),
        MetricSpec(
            "type_f1", F1, "type F1",
            "SemEval-2013 `type` (nervaluate's ent_type): any overlap and the same label.",
            views=VIEWS, leaderboard=("gold",),
        ),
        MetricSpec(
            "ungrounded", COUNT, "ungrounded",
            "Text-only predictions whose string is not in the article (or not in their window): false positives.",
            higher_is_better=False, views=VIEWS, leaderboard=("gold",),
        ),
        MetricSpec(
            "surplus", COUNT, "surplus",
            "Text-only predictions repeated more often than the article has the string: false positives.",
            higher_is_better=False, views=VIEWS, leaderboard=("gold",),
        ),
    ),
    tables=(
        TableSpec("{task} ({view} labels)", TableKind.METRICS, (("strict_f1", "strict"), ("exact_f1", "exact"), ("partial_f1", "partial"), ("type_f1", "type")),
                  first_column="scheme", per_view=True, notes=True),
        TableSpec("{task} per label, strict ({view} labels)", TableKind.LABELS, (("strict_f1", ""),), first_column="label", per_view=True),
    ),
)
