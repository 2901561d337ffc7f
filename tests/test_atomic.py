"""bench.atomic: a write that is interrupted half-way leaves the old file (or none), never half
a file, and every writer of the CLI goes through it."""

from __future__ import annotations

import json

import pytest

from bench import atomic
from bench.errors import BenchError
from bench.harness.predictions import write_predictions
from bench.systems.base import DocumentPrediction
from bench.tasks.registry import TaskName
from bench.tasks.ner.types import PredictedMention


class Interrupt(BaseException):
    """Stands for Ctrl-C (KeyboardInterrupt) or a kill arriving mid-write."""


def _left(folder):
    return sorted(p.name for p in folder.iterdir())


def test_an_interrupted_streamed_write_leaves_the_old_file_and_no_temporary(tmp_path):
    target = tmp_path / "out.jsonl"
    target.write_text("old\n")
    with pytest.raises(Interrupt):
        with atomic.atomic_open(target) as handle:
            handle.write("first line\n" * 1000)
            handle.flush()  # bytes are on disk, in the temporary file only
            raise Interrupt
    assert target.read_text() == "old\n" and _left(tmp_path) == ["out.jsonl"]


def test_an_interrupted_predictions_write_leaves_nothing(tmp_path):
    target = tmp_path / "p.jsonl"

    def predictions():
        yield DocumentPrediction("d1", {TaskName.NER: (PredictedMention("GPE", 0, 5, "Syria"),)})
        raise Interrupt  # the second document never comes

    with pytest.raises(Interrupt):
        write_predictions(target, predictions())
    assert _left(tmp_path) == []


def test_an_interrupted_json_write_leaves_nothing(tmp_path, monkeypatch):
    target = tmp_path / "r.json"
    calls = []

    def fsync(fd):
        calls.append(fd)
        raise Interrupt  # the data is written, not yet renamed into place

    monkeypatch.setattr(atomic.os, "fsync", fsync)
    with pytest.raises(Interrupt):
        atomic.write_json(target, {"a": 1})
    assert calls and _left(tmp_path) == []


def test_unencodable_text_is_one_line_and_writes_nothing(tmp_path):
    for write in (lambda p: atomic.write_text(p, "ok \ud800"), lambda p: atomic.write_json(p, {"t": "\udfff"})):
        with pytest.raises(BenchError, match="lone surrogate"):
            write(tmp_path / "x.json")
    with pytest.raises(BenchError, match="lone surrogate"):
        with atomic.atomic_open(tmp_path / "y.jsonl") as handle:
            handle.write("fine\n")
            handle.write("\ud800\n")
    assert _left(tmp_path) == []


def test_a_complete_write_replaces_the_file(tmp_path):
    target = tmp_path / "sub" / "r.json"
    atomic.write_json(target, {"é": [1, 2]})
    assert json.loads(target.read_text(encoding="utf-8")) == {"é": [1, 2]} and _left(target.parent) == ["r.json"]
    with pytest.raises(ValueError):
        atomic.write_json(target, {"x": float("nan")})  # not JSON: refused, old file kept
    assert json.loads(target.read_text(encoding="utf-8")) == {"é": [1, 2]}



def test_an_interrupted_folder_write_leaves_the_old_folder(tmp_path):
    target = tmp_path / "ner"
    target.mkdir()
    (target / "old.arrow").write_text("old")
    with pytest.raises(Interrupt):
        with atomic.atomic_folder(target) as folder:
            (folder / "data.arrow").write_text("half")
            raise Interrupt
    assert _left(tmp_path) == ["ner"] and _left(target) == ["old.arrow"]
    with atomic.atomic_folder(target) as folder:
        (folder / "data.arrow").write_text("whole")
    assert _left(tmp_path) == ["ner"] and _left(target) == ["data.arrow"]
