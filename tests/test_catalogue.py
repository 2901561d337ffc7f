"""Each task's metric catalogue describes exactly what its scorer writes, and every
presentation is drawn from it (docs/metrics.md, `bench metrics`)."""

from __future__ import annotations

import pytest

from bench.harness.run import score_predictions
from bench.systems.base import DocumentPrediction
from bench.tasks import all_tasks
from bench.tasks.metrics import PARSE_FAILURES, MetricKind
from conftest import REPO, run_bench


def _scores(corpus, items_of):
    tasks = all_tasks()
    gold = {t.name: t.load_gold(corpus.root, corpus) for t in tasks}
    predictions = {d: DocumentPrediction(d, {t.name: items_of(t, gold[t.name][d]) for t in tasks}) for d in corpus}
    where = {d: f"document {d}" for d in corpus}
    return score_predictions(corpus, tasks, gold, predictions, where, {}, parsed_answers=True)


@pytest.mark.parametrize("which", ["oracle", "empty"])
def test_the_catalogue_lists_every_metric_the_scorer_writes(corpus, which):
    items = (lambda t, g: t.gold_as_predictions(g)) if which == "oracle" else (lambda t, g: ())
    scores = _scores(corpus, items)
    for task in all_tasks():
        catalogue = task.catalogue
        known = {PARSE_FAILURES}
        for spec in catalogue.metrics:
            known.add(spec.name)
            if spec.kind is MetricKind.F1:
                known |= {f"{spec.prefix}precision", f"{spec.prefix}recall"}
        written = {row.metric for row in scores[task.name].rows}
        assert written <= known, f"{task.name}: metrics missing from its catalogue: {sorted(written - known)}"
        for spec in catalogue.metrics:
            rows = [r for r in scores[task.name].rows if r.metric == spec.name]
            if spec.kind is not MetricKind.CONFUSION or which == "oracle":
                assert rows, f"{task.name}.{spec.name} is catalogued but not written"
            assert {r.view for r in rows} <= set(spec.views), spec.name
            if spec.per_label and which == "oracle":
                assert any(r.label is not None for r in rows), f"{task.name}.{spec.name} has no per-{spec.per_label} rows"


def test_catalogues_are_consistent():
    for task in all_tasks():
        catalogue = task.catalogue
        assert catalogue.headline.name == task.headline
        names = {m.name for m in catalogue.metrics}
        for spec in catalogue.metrics:
            assert set(spec.leaderboard) <= set(spec.views), spec.name
            assert set(spec.view_titles) <= set(spec.views), spec.name
        for table in catalogue.tables:
            assert {name for name, _ in table.rows} <= names, table.title
            if table.extra:
                assert table.extra[0] in names


def test_docs_metrics_page_is_generated_from_the_catalogues():
    result = run_bench("metrics", "--write", str(REPO / "docs" / "metrics.md"), "--check")
    assert result.returncode == 0, result.stderr
    printed = run_bench("metrics")
    for task in all_tasks():
        for spec in task.catalogue.metrics:
            assert f"`{spec.name}`" in printed.stdout


def test_a_stale_metrics_page_fails_the_check(tmp_path):
    page = tmp_path / "metrics.md"
    page.write_text((REPO / "docs" / "metrics.md").read_text(encoding="utf-8").replace("| `exact_f1`", "| `exakt_f1`"), encoding="utf-8")
    result = run_bench("metrics", "--write", str(page), "--check")
    assert result.returncode == 1 and "out of date" in result.stderr
    assert run_bench("metrics", "--write", str(page)).returncode == 0
    assert run_bench("metrics", "--write", str(page), "--check").returncode == 0
