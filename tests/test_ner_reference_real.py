"""On the real gold with real system output, strict scores equal seqeval's strict IOB2.

Each system's predictions go through the harness (label map, checks), are written
as IOB2 tags per sentence with the benchmark tokenizer, and scored by seqeval; the
benchmark's own strict rows must agree, overall and per label, in both label views.
"""

import pytest
from seqeval.metrics import classification_report, f1_score, precision_score, recall_score
from seqeval.scheme import IOB2

from bench.harness.run import run_system, score_predictions
from bench.systems.base import label_maps_of
from bench.systems.registry import SystemContext, create_system
from bench.tasks import TaskName
from bench.tasks.ner.bio import to_bio
from bench.tasks.ner.labels import LabelView, identity_map, project
from bench.tasks.ner.task import NerTask, prepare
from bench.tasks.ner.types import Span
from conftest import require_stack

TASK = NerTask()


def _system(name, corpus):
    if name == "spacy":
        require_stack("spacy")
    return create_system(name, SystemContext(corpus.root, (TASK,)))


@pytest.mark.parametrize("name", ["rules", "spacy", "oracle", "empty"])
def test_strict_equals_seqeval_on_real_data(name, corpus, ner_gold):
    system = _system(name, corpus)
    answers = {a.doc_id: a for a in run_system(system, corpus)}
    label_map = label_maps_of(system).get(TaskName.NER, identity_map())
    score = score_predictions(corpus, [TASK], {TaskName.NER: ner_gold}, answers, {}, label_maps_of(system))[TaskName.NER]
    for view in (LabelView.GOLD, LabelView.CONLL):
        y_true, y_pred = [], []
        for doc_id, document in corpus.items():
            item = prepare(document, ner_gold[doc_id], answers[doc_id].for_task(TaskName.NER), label_map, doc_id)
            assert not item.unplaced
            gold = [Span(s.start, s.end, project(s.label, view)) for s in item.gold]
            pred = [Span(s.start, s.end, project(s.label, view)) for s in item.pred]
            y_true += to_bio(document, gold)
            y_pred += to_bio(document, pred)
        ours = score.row("strict_f1", view=view.value, label=None)
        assert ours.tp + ours.fp == sum(len([t for t in s if t.startswith("B-")]) for s in y_pred)
        assert score.row("strict_precision", view=view.value, label=None).value == pytest.approx(precision_score(y_true, y_pred, mode="strict", scheme=IOB2, zero_division=0))
        assert score.row("strict_recall", view=view.value, label=None).value == pytest.approx(recall_score(y_true, y_pred, mode="strict", scheme=IOB2, zero_division=0))
        assert ours.value == pytest.approx(f1_score(y_true, y_pred, mode="strict", scheme=IOB2, zero_division=0))
        report = classification_report(y_true, y_pred, mode="strict", scheme=IOB2, output_dict=True, zero_division=0)
        for label in view.labels:
            row = score.row("strict_f1", view=view.value, label=label)
            if label in report:
                assert row.support == report[label]["support"]
                assert row.value == pytest.approx(report[label]["f1-score"])
            else:
                assert row.support == 0 and row.predicted == 0


def test_real_systems_give_real_scores(corpus, ner_gold):
    """rules is a real baseline: better than nothing, worse than the oracle."""
    system = _system("rules", corpus)
    answers = {a.doc_id: a for a in run_system(system, corpus)}
    score = score_predictions(corpus, [TASK], {TaskName.NER: ner_gold}, answers, {}, {})[TaskName.NER]
    f1 = score.row("strict_f1", view="gold", label=None).value
    assert 0.2 < f1 < 1.0


@pytest.mark.parametrize("name", ["rules", "empty", "oracle"])
def test_counts_add_up(name, corpus, ner_gold):
    """Per-sentence units and per-label counts both sum to the strict totals, in each view."""
    system = _system(name, corpus)
    answers = {a.doc_id: a for a in run_system(system, corpus)}
    score = score_predictions(corpus, [TASK], {TaskName.NER: ner_gold}, answers, {}, {})[TaskName.NER]
    for view in ("gold", "conll"):
        total = score.row("strict_f1", view=view, label=None)
        units = [u for u in score.units if u.view == view]
        assert (sum(u.tp for u in units), sum(u.fp for u in units), sum(u.fn for u in units)) == (total.tp, total.fp, total.fn)
        labels = [r for r in score.rows if r.metric == "strict_f1" and r.view == view and r.label is not None]
        assert (sum(r.tp for r in labels), sum(r.fp for r in labels), sum(r.fn for r in labels)) == (total.tp, total.fp, total.fn)
        assert len({(u.doc_id, u.sentence) for u in units}) == len(units) == sum(len(d.sentences) for d in corpus.values())
