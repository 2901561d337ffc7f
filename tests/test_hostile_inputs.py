"""Hostile files at the CLI: each gives one line on stderr, exit code 2, no traceback, and
nothing written (the contract of docs/usage.md, "Exit codes"). Cases found by fuzzing are kept here."""

from __future__ import annotations

import json
import shutil

import pytest

from bench.errors import PredictionError, ResultsError
from conftest import REPO, run_bench

DOC = "000_5cf36fedf2077db3"


def _one_line_exit_2(result, *expected: str) -> str:
    assert result.returncode == 2, (result.returncode, result.stderr[-2000:])
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("bench: error: "), lines
    for part in expected:
        assert part in lines[0], lines[0]
    return lines[0]


@pytest.mark.parametrize(
    "line",
    [
        "[" * 100_000 + "]" * 100_000,
        '{"doc_id": "%s", "ner": ' % DOC + '{"a": ' * 100_000 + "1" + "}" * 100_000 + "}",
        '{"doc_id": "%s", "ner": [' % DOC + "[" * 100_000,
    ],
    ids=["arrays", "objects", "unclosed"],
)
def test_deep_nesting_in_a_predictions_file(tmp_path, line):
    bad = tmp_path / "deep.jsonl"
    bad.write_text(line + "\n")
    out = tmp_path / "out.json"
    result = run_bench("score", str(bad), "--out", str(out))
    _one_line_exit_2(result, f"{bad}:1: nested 100,0")
    assert not out.exists()


def _oracle_line(key: str) -> dict:
    """The oracle's first record of one task, as a predictions line."""
    lines = [json.loads(l) for l in (REPO / "results" / "oracle.predictions.jsonl").read_text().splitlines()]
    line = next(l for l in lines if l.get(key))
    return {"doc_id": line["doc_id"], key: line[key][:2]}


def _string_paths(value, path=()):
    if isinstance(value, str):
        yield path
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _string_paths(item, path + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _string_paths(item, path + (index,))


def _with_surrogate(value, path):
    value = json.loads(json.dumps(value))
    node = value
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = node[path[-1]] + "\ud800"
    return value


def _cases():
    for key in ("ner", "casualties", "attributions"):
        line = _oracle_line(key)
        for path in _string_paths(line):
            yield pytest.param(line, path, id=f"{key}:" + ".".join(map(str, path)))
    failures = {"doc_id": DOC, "ner": [], "failures": {"ner": [{"kind": "no_json", "message": "no JSON"}]}}
    yield pytest.param(failures, ("failures", "ner", 0, "message"), id="failures.message")


@pytest.mark.parametrize("line,path", list(_cases()))
def test_a_lone_surrogate_in_any_text_field_is_refused_naming_it(tmp_path, corpus, line, path):
    from bench.harness.predictions import read_predictions
    from bench.tasks import all_tasks

    bad = tmp_path / "s.jsonl"
    bad.write_text(json.dumps(_with_surrogate(line, path)) + "\n")  # ensure_ascii: the escape "\ud800"
    with pytest.raises(PredictionError) as err:
        read_predictions(bad, corpus, all_tasks())
    shown = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path).lstrip(".")
    assert err.value.message == f"{bad}:1: {shown}: a string holds a lone surrogate (an escape such as \\ud800 that is no character), which no UTF-8 file can hold"


@pytest.mark.parametrize("key", ["ner", "casualties", "attributions"])
def test_a_lone_surrogate_at_the_cli_is_one_line_and_nothing_written(tmp_path, key):
    line = _oracle_line(key)
    path = next(iter(p for p in _string_paths(line) if p[-1] == "text"))
    bad = tmp_path / "s.jsonl"
    bad.write_text(json.dumps(_with_surrogate(line, path)) + "\n")
    out = tmp_path / "out.json"
    _one_line_exit_2(run_bench("score", str(bad), "--out", str(out)), "lone surrogate")
    assert not out.exists()


def _results_copy(tmp_path, name="rules.json"):
    record = json.loads((REPO / "results" / name).read_text())
    return record


@pytest.mark.parametrize(
    "change,problem",
    [
        (lambda r: r["metrics"][0].__setitem__("value", "abc"), "metrics[0].value: 'abc' is not of type 'number'"),
        (lambda r: r["metrics"][0].__setitem__("tp", -1), "metrics[0]"),
        (lambda r: r["units"][0].__setitem__("fn", None), "units[0].fn: None is not of type 'number'"),
        (lambda r: r.__setitem__("metrics", {"a": 1}), "metrics: {'a': 1} is not of type 'array'"),
        (lambda r: r["tasks"]["ner"].pop("scorer_version"), "tasks.ner: 'scorer_version' is a required property"),
        (lambda r: r["intervals"]["rows"][0].__setitem__("low", "0.1"), "intervals.rows[0].low"),
    ],
    ids=["string_value", "negative_count", "null_count", "metrics_object", "no_scorer_version", "string_bound"],
)
def test_a_results_file_that_breaks_the_schema_is_refused_by_compare(tmp_path, change, problem):
    record = _results_copy(tmp_path)
    change(record)
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(record))
    result = run_bench("compare", str(REPO / "results" / "rules.json"), str(bad))
    _one_line_exit_2(result, f"{bad}: not a valid results file (see `bench schema results`): {problem}")


def test_a_metric_too_large_for_a_float_is_refused(tmp_path):
    """Found by benchmarks/fuzz.py: `1e999` decodes to infinity, which no JSON file can hold."""
    text = (REPO / "results" / "rules.json").read_text()
    bad = tmp_path / "bad.json"
    bad.write_text(text.replace('"value": 0.0', '"value": 1e999', 1))
    assert bad.read_text() != text
    result = run_bench("compare", str(REPO / "results" / "rules.json"), str(bad), "--json")
    _one_line_exit_2(result, f"{bad}: not a results file: the number 1e999 is too large for a float")


def test_hostile_results_files_are_refused_by_compare_leaderboard_and_report(tmp_path):
    folder = tmp_path / "results"
    folder.mkdir()
    for name in ("rules.json", "rules.predictions.jsonl"):
        shutil.copy(REPO / "results" / name, folder / name)
    deep = folder / "deep.json"
    deep.write_text("[" * 100_000 + "]" * 100_000)
    _one_line_exit_2(run_bench("compare", str(folder / "rules.json"), str(deep)), f"{deep}: not a results file: nested")
    _one_line_exit_2(run_bench("leaderboard", "--results", str(folder), "--out", str(tmp_path / "lb.md")), "deep.json")
    assert not (tmp_path / "lb.md").exists()
    record = json.loads((folder / "rules.json").read_text())
    record["system"]["name"] = "x\ud800"
    (folder / "rules.json").write_text(json.dumps(record))
    html = tmp_path / "r.html"
    _one_line_exit_2(run_bench("report", str(folder / "rules.json"), "--html", str(html)), "system.name: a string holds a lone surrogate")
    assert not html.exists()


def test_committed_results_validate_against_the_schema():
    from bench.results.record import read_raw_record, schema_problem

    for path in sorted((REPO / "results").glob("*.json")):
        assert schema_problem(json.loads(path.read_text(encoding="utf-8"))) is None, path
        read_raw_record(path)


def test_bench_schema_results_prints_the_schema():
    schema = json.loads(run_bench("schema", "results").stdout)
    assert schema["properties"]["metrics"]["items"]["properties"]["value"] == {"type": "number"}


def test_read_record_names_the_file(tmp_path):
    from bench.results.record import read_record

    for content in (b"\xff\xfe", b"{}", b"[1]", b'{"format": 2}'):
        path = tmp_path / "r.json"
        path.write_bytes(content)
        with pytest.raises(ResultsError) as err:
            read_record(path)
        assert err.value.message.startswith(f"{path}: ")


@pytest.mark.parametrize(
    "content,problem",
    [
        ('{"space": "gold", "map": ' + "[" * 50_000 + "]" * 50_000 + "}", "nested"),
        ('{"space": "gold", "map": {"X\\ud800": "PER"}}', "lone surrogate"),
        (b'{"map": {"\xff": "PER"}}', "not UTF-8"),
        ("[1]", "expected a JSON object"),
        ('{"space": "klingon", "map": {}}', "'klingon' is not a valid LabelView"),
    ],
)
def test_hostile_label_map_files(tmp_path, content, problem):
    from bench.tasks.ner.labels import load_label_map

    path = tmp_path / "map.json"
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    with pytest.raises(PredictionError) as err:
        load_label_map(str(path))
    assert err.value.message.startswith(f"{path}: bad label map: ") and problem in err.value.message


@pytest.mark.parametrize(
    "where,content,problem",
    [
        ("seeds/articles.json", "[" * 100_000, "nested"),
        ("seeds/articles.json", '{"articles": [{"id": "\\udc00"}]}', "lone surrogate"),
        ("gold/ner/000_5cf36fedf2077db3.json", "{" * 100_000, "nested"),
        ("gold/ner/000_5cf36fedf2077db3.json", b"\xff", "not UTF-8"),
        ("gold/versions.json", "[" * 100_000, "no entry for this task"),
    ],
)
def test_hostile_benchmark_trees_are_reported_by_validate(tree_copy, where, content, problem):
    from bench.tasks.validate import validate_tree

    path = tree_copy / where
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    problems = validate_tree(tree_copy)
    assert problems and any(problem in str(p) for p in problems), problems


def test_hostile_prompt_folders(tmp_path):
    from bench.errors import BenchError
    from bench.systems.llm.prompts import load_prompt
    from bench.tasks import get_task

    (tmp_path / "ner.txt").write_bytes(b"=== system ===\n\xff\n=== user ===\n{{ARTICLE}}")
    with pytest.raises(BenchError, match="not UTF-8"):
        load_prompt(get_task("ner"), tmp_path)
    (tmp_path / "ner.txt").write_text("=== system ===\n" + "x" * 300_000 + "\n=== user ===\n{{ARTICLE}}")
    with pytest.raises(BenchError, match="300,0"):
        load_prompt(get_task("ner"), tmp_path)


def test_a_python_system_that_returns_a_lone_surrogate_is_one_error(corpus):
    from bench.harness.run import evaluate
    from bench.systems.base import DocumentPrediction
    from bench.tasks import all_tasks
    from bench.tasks.registry import TaskName
    from bench.tasks.ner.types import PredictedMention

    class Bad:
        name, version, tasks = "bad", "1", frozenset({TaskName.NER})

        def predict(self, documents):
            return [DocumentPrediction(d.id, {TaskName.NER: (PredictedMention("GPE", None, None, "Syria\ud800"),)}) for d in documents]

    with pytest.raises(PredictionError) as err:
        evaluate(Bad(), "bad", corpus, all_tasks())
    assert err.value.message == f"system 'bad', document {DOC}: ner[0].text: a string holds a lone surrogate (an escape such as \\ud800 that is no character), which no UTF-8 file can hold"
