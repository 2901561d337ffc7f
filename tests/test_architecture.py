"""The layout's rules (docs/architecture.md): a task's knowledge lives in its folder, and
the import graph follows the pipeline.

1. Outside `bench/tasks/`, no module names a specific task (`TaskName.X`, or a string
   that is a task's name or predictions key), except the allow-listed systems whose whole
   purpose is a task (the rules baseline, spaCy, Hugging Face token classifiers).
2. The import graph has no circle, and the only import from a lower stage to a higher
   one is the lazy `bench.load_dataset` (the package's public API reaching the export).
   `bench/tasks/` never imports `bench/results/`.
3. A fourth task defined here, in a folder of its own with one registry entry, appears in
   `bench eval`'s tables, the leaderboard and the HTML report, with no other file touched.
"""

from __future__ import annotations

import ast
import json
import shutil
import sys
import textwrap
from pathlib import Path

import pytest

from conftest import REPO

BENCH = REPO / "bench"

# Modules outside bench/tasks/ allowed to name a task, and why (docs/architecture.md).
ALLOWED = {
    "bench/systems/rules/": "the rules baseline: rules written for each task",
    "bench/systems/spacy/": "spaCy's NER and attribution from its parse",
    "bench/systems/hf_ner.py": "Hugging Face token classifiers are NER models",
    "bench/scoring.py": "the public span-scoring API: NER's schemes for any spans",
    "bench/systems/textacy_quotes.py": "textacy's direct quotations are attribution",
    "bench/systems/quantulum.py": "quantulum3's numbers read as casualty figures",
    "bench/__init__.py": "the public API for writing a system re-exports NER's PredictedMention, lazily",
}

# The pipeline's order; a module may import its own stage and the stages below it.
STAGES = {
    "about": 0, "errors": 0, "atomic": 0, "safejson": 0, "schemafit": 0, "prettyjson": 0, "progress": 0, "paths": 0, "terminal": 0, "__init__": 0,
    "documents": 1, "tasks": 2, "variants": 3, "systems": 4, "harness": 5, "results": 6,
    "reports": 7, "export": 7, "integrations": 8, "scoring": 8, "testing": 9, "cli": 9, "__main__": 10,
}
# bench.load_dataset, and the public API for writing a system (System, Document, ...), lazily
UPWARD_ALLOWED = {("bench", "bench.export.hf"), ("bench", "bench.systems.base"), ("bench", "bench.documents.corpus"),
                  ("bench", "bench.tasks.registry"), ("bench", "bench.tasks.ner.types")}


def _modules() -> dict[str, Path]:
    out = {}
    for path in BENCH.rglob("*.py"):
        parts = path.relative_to(REPO).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        out[name] = path
    return out


def _task_words() -> set[str]:
    from bench.tasks import all_tasks

    return {t.name for t in all_tasks()} | {t.predictions_key for t in all_tasks()}


def _docstrings(tree: ast.AST) -> set[int]:
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                out.add(id(first.value))
    return out


def test_no_module_outside_the_tasks_names_a_task():
    words = _task_words()
    found = []
    for name, path in sorted(_modules().items()):
        shown = path.relative_to(REPO).as_posix()
        if shown.startswith("bench/tasks/") or any(shown.startswith(prefix) for prefix in ALLOWED):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        skip = _docstrings(tree)
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "TaskName":
                found.append(f"{shown}:{node.lineno}: TaskName.{node.attr}")
            elif isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip and node.value in words:
                found.append(f"{shown}:{node.lineno}: {node.value!r}")
            elif isinstance(node, (ast.Import, ast.ImportFrom)):
                targets = [node.module] if isinstance(node, ast.ImportFrom) and node.module else [a.name for a in node.names]
                found += [f"{shown}:{node.lineno}: imports {t}" for t in targets if t and any(t.startswith(f"bench.tasks.{w}") for w in words)]
    assert not found, "a module outside bench/tasks/ names a task:\n" + "\n".join(found)


def _imports() -> dict[tuple[str, str], int]:
    """(importer, imported) -> line, for every import of a bench module, lazy ones included;
    imports under `if TYPE_CHECKING:` are annotations, not imports, and are left out."""
    modules = _modules()

    def resolve(target: str) -> str:
        while target not in modules and "." in target:
            target = target.rsplit(".", 1)[0]
        return target

    edges = {}
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        typing_only = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.If) and getattr(node.test, "id", getattr(node.test, "attr", None)) == "TYPE_CHECKING":
                typing_only |= {id(n) for child in node.body for n in ast.walk(child)}
        for node in ast.walk(tree):
            if id(node) in typing_only:
                continue
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                targets = [f"{node.module}.{a.name}" if f"{node.module}.{a.name}" in modules else node.module for a in node.names]
            elif isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            else:
                continue
            for target in targets:
                if target.startswith("bench"):
                    edges.setdefault((name, resolve(target)), node.lineno)
    return edges


def _stage(module: str) -> str:
    parts = module.split(".")
    return "__init__" if len(parts) == 1 else parts[1]


def test_the_import_graph_follows_the_pipeline():
    edges = _imports()
    upward = [f"{a} -> {b} (line {line})" for (a, b), line in sorted(edges.items())
              if _stage(a) != _stage(b) and STAGES[_stage(b)] > STAGES[_stage(a)] and (a, b) not in UPWARD_ALLOWED]
    assert not upward, "imports against the pipeline:\n" + "\n".join(upward)
    assert not [a for a, b in edges if _stage(a) == "tasks" and _stage(b) == "results"]
    # no circle, module by module (Tarjan)
    graph: dict[str, set[str]] = {}
    for a, b in edges:
        if a != b:
            graph.setdefault(a, set()).add(b)
    index, low, stack, on, circles = {}, {}, [], set(), []
    sys.setrecursionlimit(10_000)

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            part = []
            while True:
                w = stack.pop()
                on.discard(w)
                part.append(w)
                if w == v:
                    break
            if len(part) > 1:
                circles.append(sorted(part))

    for v in list(graph):
        if v not in index:
            visit(v)
    assert not circles, f"import circles: {circles}"


# --- a fourth task, defined here --------------------------------------------------------

TOY = '''
"""A toy task for the architecture test: every numeral of an article, by exact span."""

import json, re
from importlib import resources

from bench.tasks.alignment import NOWHERE, DocumentAlignment, Layout, Mark, Presentation, Shown, Status, Verdict
from bench.tasks.base import NoLabelMaps, Problem, ScoringContext
from bench.tasks.goldfiles import check_version, read_gold_files
from bench.tasks.metrics import Catalogue, MetricKind, MetricSpec, TableKind, TableSpec
from bench.tasks.score import Counts, MetricRow, TaskScore, sentence_units
from dataclasses import dataclass


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    label: str = "NUM"

    def to_json(self):
        return {"start": self.start, "end": self.end}


@dataclass(frozen=True)
class Row:
    status: Status
    gold: Span | None
    pred: Span | None

    @property
    def credit(self):
        return 1.0 if self.gold and self.pred else 0.0

    @property
    def start(self):
        return (self.gold or self.pred).start

    def shown(self, presentation):
        mark = lambda s: None if s is None else Mark(s.start, s.end, s.label)
        return Shown(presentation.status(self.status.value), self.credit, mark(self.gold), mark(self.pred))


import enum


class S(str, enum.Enum):
    HIT = "hit"
    MISSED = "missed"
    SPURIOUS = "spurious"


PRESENTATION = Presentation("Numerals", "Numerals", Layout.TEXT, (
    Status("hit", "hit", Verdict.CORRECT), Status("missed", "missed", Verdict.MISSED, "a numeral not found"),
    Status("spurious", "spurious", Verdict.SPURIOUS, "not a numeral of the gold")))
CATALOGUE = Catalogue(
    (MetricSpec("f1", MetricKind.F1, "numeral F1", "Exact numeral spans.", headline=True, chart="Numerals"),),
    (TableSpec("{task}", TableKind.METRICS, (("f1", "f1"),)),),
)


class ToyTask(NoLabelMaps):
    name = "toy"
    predictions_key = "numerals"
    scorer_version = "0.1.0"
    headline = "f1"
    presentation = PRESENTATION
    catalogue = CATALOGUE

    def gold_schema(self):
        return {"type": "object", "required": ["doc_id", "text_sha256", "gold_version", "spans"]}

    def predictions_schema(self):
        return {"type": "array", "items": {"type": "object", "required": ["start", "end"]}}

    def check_gold(self, root, corpus):
        problems = []
        files = list(read_gold_files(root, self.name, corpus, problems))
        check_version(root, self.name, {raw["gold_version"] for _, raw, _ in files}, list(corpus), problems)
        return problems

    def load_gold(self, root, corpus):
        return {d.id: tuple(Span(s["start"], s["end"]) for s in raw["spans"]) for d, raw, _ in read_gold_files(root, self.name, corpus, [])}

    def gold_as_predictions(self, gold):
        return tuple(gold)

    def parse_predictions(self, raw, document, where):
        return tuple(Span(item["start"], item["end"]) for item in raw)

    def align(self, document, gold, predictions, context=ScoringContext()):
        g, p = set(gold), set(predictions)
        rows = [Row(S.HIT, s, s) for s in sorted(g & p, key=lambda s: s.start)]
        rows += [Row(S.MISSED, s, None) for s in sorted(g - p, key=lambda s: s.start)]
        rows += [Row(S.SPURIOUS, None, s) for s in sorted(p - g, key=lambda s: s.start)]
        return DocumentAlignment(document.id, tuple(rows), "gold", ("NUM",))

    def score(self, corpus, gold, predictions, context=ScoringContext()):
        total, units, alignments = Counts(), [], {}
        for doc_id, spans in gold.items():
            document = corpus[doc_id]
            alignment = self.align(document, spans, predictions.get(doc_id, ()), context)
            if context.keep_rows:
                alignments[doc_id] = alignment
            per = {}
            for row in alignment.rows:
                c = Counts(1, 0, 0) if row.status is S.HIT else Counts(0, 0, 1) if row.status is S.MISSED else Counts(0, 1, 0)
                total += c
                key = (None, document.sentence_at(row.start).index)
                per[key] = per.get(key, Counts()) + c
            units += sentence_units(self.name, doc_id, document.sentences, per, (None,))
        rows = total.rows(self.name, "f1") + [r for r in total.rows(self.name, "f1", label="NUM")]
        return TaskScore(self.name, tuple(rows), tuple(units), (), alignments)
'''


@pytest.fixture()
def toy(tmp_path, monkeypatch, tree_copy):
    """The toy task's folder on the path, its registry entry, and a tree with its gold."""
    from bench.documents import load_corpus
    from bench.tasks import registry
    from bench.tasks.goldfiles import canonical_json

    package = tmp_path / "toytask"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "task.py").write_text(textwrap.dedent(TOY), encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(registry, "TASKS", (*registry.TASKS, "toytask.task:ToyTask"))
    monkeypatch.setattr(registry, "_LOADED", {})
    corpus = load_corpus(tree_copy)
    (tree_copy / "gold" / "toy").mkdir()
    import hashlib
    import re

    digest = hashlib.sha256()
    for doc_id, document in corpus.items():
        spans = [{"start": m.start(), "end": m.end(), "text": m.group()} for m in re.finditer(r"\d+", document.text)]
        raw = {"doc_id": doc_id, "text_sha256": document.sha256, "gold_version": "0.1.0", "spans": spans}
        (tree_copy / "gold" / "toy" / f"{doc_id}.json").write_text(json.dumps(raw), encoding="utf-8")
        digest.update(canonical_json(raw) + b"\n")
    versions = json.loads((tree_copy / "gold" / "versions.json").read_text())
    versions["toy"] = {"version": "0.1.0", "sha256": digest.hexdigest()}
    (tree_copy / "gold" / "versions.json").write_text(json.dumps(versions))
    yield tree_copy
    sys.modules.pop("toytask.task", None)
    sys.modules.pop("toytask", None)


def _bench(*args: str) -> str:
    from typer.testing import CliRunner

    from bench.cli import app

    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, (result.output, result.exception)
    return result.output


def test_a_fourth_task_appears_everywhere_with_only_its_folder_and_a_registry_entry(toy, tmp_path):
    results = tmp_path / "results"
    results.mkdir()
    for system in ("oracle", "empty"):
        printed = _bench("eval", system, "--data", str(toy), "--out", str(results / f"{system}.json"), "--save-predictions", str(results / f"{system}.predictions.jsonl"))
        assert "toy.f1=" in printed and "\ntoy\n" in printed  # the headline line and its table
    oracle = json.loads((results / "oracle.json").read_text())
    assert oracle["tasks"]["toy"]["headline"] == "f1" and any(r["task"] == "toy" and r["metric"] == "f1" and r["value"] == 1.0 for r in oracle["metrics"])
    assert '"numerals"' in (results / "oracle.predictions.jsonl").read_text()
    # the leaderboard, from those files alone
    _bench("leaderboard", "--results", str(results), "--out", str(tmp_path / "lb.md"))
    board = (tmp_path / "lb.md").read_text()
    toy_table = board.split("## toy")[1]
    assert "numeral F1 [95% interval]" in toy_table and "[oracle](" in toy_table and "**1.0000**" in toy_table
    # the HTML report: the toy's section, spans drawn on the text, and its chart
    _bench("report", str(results / "empty.json"), "--html", str(tmp_path / "r.html"), "--data", str(toy))
    page = (tmp_path / "r.html").read_text()
    assert "<h3>Numerals</h3>" in page and "Numerals in the gold label view" in page and "k-missed" in page and "<figcaption>Numerals</figcaption>" in page
    # and the files it wrote pass the predictions schema assembled from every task
    _bench("score", str(results / "oracle.predictions.jsonl"), "--data", str(toy))
    assert json.loads(_bench("schema", "toy_gold"))["required"][-1] == "spans"
