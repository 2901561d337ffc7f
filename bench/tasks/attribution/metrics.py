"""The attribution task's metric catalogue (`bench.tasks.metrics`): what `attribution/scoring.py` writes.

Where it sits: stage 2, the attribution task. The rules are GUIDELINES.md section 3.6.
"""

from __future__ import annotations

from bench.tasks.metrics import Catalogue, MetricKind, MetricSpec, TableKind, TableSpec

F1, ACCURACY, COUNT, CONFUSION = MetricKind.F1, MetricKind.ACCURACY, MetricKind.COUNT, MetricKind.CONFUSION

CATALOGUE = Catalogue(
    metrics=(
        MetricSpec(
            "f1", F1, "F1 (who said what)",
            "Relations pair on content word-token F1 >= 0.5 (an optimal one-to-one assignment); a pair is correct when its "
            "source names the same source, judged by its head, not its extent: a named source when the head of the phrase is a "
            "mention of the gold entity (any alias) and nothing in it is headed by another entity; an unnamed one when its head "
            "noun is the gold's, singular or plural. The source type is not part of it.",
            headline=True,
        ),
        MetricSpec("content_partial_f1", F1, "content partial F1", "PARC partial credit on content word tokens (quotation marks do not count), over aligned pairs; also per mode.", leaderboard=(None,), per_label="mode"),
        MetricSpec("content_strict_f1", F1, "content strict F1", "Aligned pairs whose content has exactly the gold's word tokens; also per mode.", leaderboard=(None,), per_label="mode"),
        MetricSpec("cue_f1", F1, "cue F1", "The cue's exact span.", leaderboard=(None,)),
        MetricSpec("cue_head_f1", F1, "cue head F1", "The cue holds the gold cue's head word (\"have called\" for \"called\"), or the reverse.", leaderboard=(None,)),
        MetricSpec("source_accuracy", ACCURACY, "source acc.", "Over aligned pairs: the source is right (as in f1).", leaderboard=(None,)),
        MetricSpec("source_type_accuracy", ACCURACY, "source type acc.", "Over aligned pairs: the same source type.", leaderboard=(None,)),
        MetricSpec("source_type_confusion", CONFUSION, "source type confusion", "The gold's source type against the predicted one, per aligned pair (`gold->predicted`)."),
        MetricSpec("nesting_f1", F1, "nesting F1", "Parent links between aligned relations that match the gold's nesting.", leaderboard=(None,)),
        MetricSpec("figure_source_accuracy", ACCURACY, "figure source acc.", "With casualties scored too: each gold casualty figure is reported by the right source (the innermost predicted relation holding it).", leaderboard=(None,)),
        MetricSpec("ungrounded", COUNT, "ungrounded", "Predicted relations whose content is not in the article (or their window): false positives.", higher_is_better=False, leaderboard=(None,)),
    ),
    tables=(
        TableSpec("{task}", TableKind.METRICS, (("f1", "who-said-what f1"), ("cue_f1", "cue_f1 (exact span)"), ("cue_head_f1", "cue_head_f1"), ("nesting_f1", "nesting_f1")), notes=True),
        TableSpec("{task} content (PARC partial credit)", TableKind.LABELS, (("content_partial_f1", ""),), first_column="mode", total=True, extra=("content_strict_f1", "strict f1")),
        TableSpec("{task} source type (not part of who-said-what)", TableKind.CONFUSION, (("source_type_confusion", ""),)),
    ),
)
