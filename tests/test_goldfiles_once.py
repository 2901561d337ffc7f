"""`read_gold_files` (bench/tasks/goldfiles.py) checks the schema of the same bytes once a
process, and the bytes, not the path, decide: an edited file is checked again."""

from __future__ import annotations

import json

from bench.documents.corpus import load_corpus
from bench.tasks import goldfiles


def read(tree, problems):
    return list(goldfiles.read_gold_files(tree, "ner", load_corpus(tree), problems))


def test_the_schema_check_runs_once_for_the_same_bytes_and_again_for_edited_ones(tree_copy, monkeypatch):
    from jsonschema import Draft202012Validator

    from bench import schemafit

    fits, messages = [], []
    stock_compile, stock_errors = schemafit.compile_schema, Draft202012Validator.iter_errors

    def counting_compile(schema):
        check = stock_compile(schema)
        return lambda instance: fits.append(1) or check(instance)

    monkeypatch.setattr(schemafit, "compile_schema", counting_compile)
    monkeypatch.setattr(Draft202012Validator, "iter_errors", lambda self, instance: messages.append(1) or stock_errors(self, instance))
    monkeypatch.setattr(goldfiles, "_FIT_SCHEMA", set())
    problems: list = []
    first = read(tree_copy, problems)
    checked = len(fits)
    assert checked == len(first) > 0 and problems == [] and messages == []  # the fast check cleared every file
    assert [raw for _, raw, _ in read(tree_copy, problems)] == [raw for _, raw, _ in first] and len(fits) == checked
    (path,) = sorted((tree_copy / "gold" / "ner").glob("*.json"))[:1]
    raw = json.loads(path.read_text())
    raw["mentions"] = "not a list"
    path.write_text(json.dumps(raw))
    for _ in range(2):  # a file that fails is failed every time, with jsonschema's message
        problems = []
        read(tree_copy, problems)
        assert any("schema:" in p.message for p in problems)
    assert len(fits) == checked + 2 and len(messages) == 2
