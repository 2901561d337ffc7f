"""The CLI's paper cuts (issue #24, item 4): each one a small promise of the command line."""

import json

from conftest import run_bench


def test_version_prints_the_installed_version_and_nothing_else():
    from importlib.metadata import version

    result = run_bench("--version")
    assert result.returncode == 0 and result.stdout == f"syria-coast-ie {version('syria-coast-ie')}\n"


def test_task_takes_a_comma_list_and_still_suggests():
    record = json.loads(run_bench("eval", "empty", "--task", "ner,casualties", "--json").stdout)
    assert list(record["tasks"]) == ["ner", "casualties"]
    record = json.loads(run_bench("eval", "empty", "--task", "attribution, ner", "-t", "ner", "--json").stdout)
    assert list(record["tasks"]) == ["ner", "attribution"]
    bad = run_bench("eval", "empty", "--task", "ner,casualtys")
    assert bad.returncode == 2 and bad.stderr.splitlines() == [
        "bench: error: unknown task 'casualtys' (did you mean 'casualties'?); tasks: attribution, casualties, ner"
    ]
    assert run_bench("eval", "empty", "--task", ",").returncode == 2


def test_every_task_option_takes_a_comma_list(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from bench.cli import app

    out = tmp_path / "jsonl"
    result = run_bench("export", "--format", "jsonl", "--task", "ner,casualties", str(out))
    assert result.returncode == 0, result.stderr
    assert set(json.loads((out / "manifest.json").read_text())["configurations"]) == {"documents", "ner", "casualties", "non_casualty"}
    result = run_bench("ceiling", "--prompt-version", "1.3.0", "--window", "sentence", "--task", "ner,casualties", "--json")
    assert result.returncode == 0, result.stderr
    assert list(json.loads(result.stdout)["tasks"]) == ["ner", "casualties"]
    monkeypatch.setenv("BENCH_CACHE_DIR", str(tmp_path / "cache"))
    listed = CliRunner().invoke(app, ["cache", "list", "--task", "ner,casualties"])
    assert listed.exit_code == 0, listed.output
    bad = CliRunner().invoke(app, ["cache", "remove", "--task", "ner,nerr"])
    assert bad.exit_code == 2 and "did you mean 'ner'" in bad.output


def test_score_given_a_results_file_says_so_in_one_line(tmp_path):
    results = tmp_path / "empty.json"
    assert run_bench("eval", "empty", "--out", str(results)).returncode == 0
    compact = tmp_path / "compact.json"
    compact.write_text(json.dumps(json.loads(results.read_text())))  # the same record on one line
    for path in (results, compact):
        result = run_bench("score", str(path))
        assert result.returncode == 2 and "Traceback" not in result.stderr
        assert result.stderr.splitlines() == [
            f"bench: error: {path}: a results file (a run record, as `bench eval --out` writes), not predictions; "
            "`bench score` wants the predictions file, JSON Lines, one object per document (`bench eval --save-predictions FILE`)"
        ]


def test_a_gap_that_rounds_to_zero_is_plus_zero_everywhere():
    from bench.reports.tables import difference_table
    from bench.results.metricref import MetricRef
    from bench.results.paired import Difference
    from bench.results.robustness import RobustnessSummary, TaskGap, summary_lines
    from bench.results.signed import signed

    assert [signed(v) for v in (-0.0, -0.00004, 0.0, -0.00006, 0.01234)] == ["+0.0000", "+0.0000", "+0.0000", "-0.0001", "+0.0123"]
    assert signed(-0.0004, 3) == "+0.000"
    # compare: B - A of equal scores reached by different sums is -5.6e-17
    _, _, body = difference_table([Difference(MetricRef("ner", "strict_f1", "gold"), 0.1 + 0.2, 0.3, -0.0, -0.0, 1.0)])
    assert body[0][5:7] == ["+0.0000", "[+0.000, +0.000]"]
    # variants: original - the mean over variants, likewise
    gap = TaskGap("ner", "strict_f1", "gold", 0.3, 0.1 + 0.2, 0.3, 0.3, -0.0, 0.0, 1.0, 3)
    assert gap.gap < 0
    lines = summary_lines(RobustnessSummary("names", (1, 2, 3), "1", (gap,)), "rules")
    assert "-0.0000" not in "\n".join(lines) and "+0.0000 [+0.0000, +0.0000]" in lines[2]


def test_eval_repeats_a_labelled_summary_as_its_last_line(tmp_path):
    out = tmp_path / "rules.json"
    lines = run_bench("eval", "rules", "--out", str(out)).stdout.splitlines()
    first, last = lines[0], lines[-1]
    assert last.startswith("summary: ner[gold] ") and len(last) <= 100 and all(len(line) <= 100 for line in lines[-4:])
    record = json.loads(out.read_text())
    for task in record["tasks"]:
        assert f" {task}" in last or last.startswith(f"summary: {task}")
    ner = [r for r in record["metrics"] if r["task"] == "ner" and r["metric"] == "strict_f1" and r["view"] == "gold" and "label" not in r][0]
    assert f"ner[gold] {ner['value']:.3f} [" in last and f"ner.strict_f1[gold]={ner['value']:.4f}" in first
    legend = " ".join(lines[lines.index(f"results written to {out}") + 1 : -1])
    assert "95% bootstrap interval in brackets" in legend and "[gold] strict F1 (gold labels)" in legend and "[conll] strict F1 (CoNLL view)" in legend


def test_the_summary_is_last_in_the_rich_tables_too(capsys):
    from bench.reports.tables import print_record
    from bench.results.record import read_record
    from conftest import REPO

    record = read_record(next((REPO / "results").glob("rules*.json")))
    print_record(record, rich=True)
    assert capsys.readouterr().out.rstrip("\n").splitlines()[-1].startswith("summary: ")


def test_eval_help_is_short_and_help_all_has_every_option():
    import os
    import subprocess
    import sys

    from conftest import REPO

    def helped(flag):
        env = {**os.environ, "COLUMNS": "80"}
        result = subprocess.run([sys.executable, "-m", "bench", "eval", flag], capture_output=True, text=True, cwd=REPO, env=env, timeout=120)
        assert result.returncode == 0, result.stderr
        return result.stdout

    short, full = helped("--help"), helped("--help-all")
    assert len(short.splitlines()) < 60, len(short.splitlines())
    family = ("--device", "--label-map", "--window", "--prompt-version", "--threads", "--concurrency", "--trust-env", "--no-cache")
    listed = short.split("\nOptions:\n", 1)[1]
    assert all(option not in listed and option in short for option in family)  # named in the index, not listed one by one
    assert all(f"\n  {option} " in full.split("\nOptions:\n", 1)[1] for option in family) and "bench metrics" in short


def test_an_option_the_system_ignores_gets_one_warning_line():
    result = run_bench("eval", "rules", "--task", "ner", "--window", "sentence", "--prompt-version", "1.3.0", "--threads", "2", "--seeds", "3", "--json")
    assert result.returncode == 0 and json.loads(result.stdout)["system"]["spec"] == "rules"
    assert result.stderr.splitlines() == [
        "bench: warning: rules ignores --window, --prompt-version (LLM options) and --threads (in-process llama.cpp options); "
        "--seeds is ignored without --variants"
    ]
    assert run_bench("eval", "empty", "--task", "ner", "--batch-size", "2", "--json").stderr == ""  # the harness's own option
    # an endpoint takes the LLM and endpoint options, not the Hugging Face ones nor llama.cpp's threads
    result = run_bench("eval", "openai:m@http://127.0.0.1:9/v1", "--task", "ner", "--window", "sentence", "--concurrency", "2",
                       "--max-retries", "0", "--no-cache", "--device", "cpu", "--threads", "1")
    assert result.stderr.splitlines()[0] == "bench: warning: openai:m@http://127.0.0.1:9/v1 ignores --device (Hugging Face options) and --threads (in-process llama.cpp options)"


def test_every_system_declares_the_options_it_takes():
    from bench.cli.run import KIND_NAMES, OPTION_KINDS
    from bench.systems import registry

    kinds = {registry.HF_OPTIONS, registry.LLM_OPTIONS, registry.LLAMA_CPP_OPTIONS, registry.ENDPOINT_OPTIONS}
    assert set(OPTION_KINDS.values()) == kinds == set(KIND_NAMES)
    for entry in (*registry.BUILTINS, *registry.PREFIXES):
        assert entry.options <= kinds
    assert registry.options_taken("smollm2") == {registry.LLM_OPTIONS, registry.LLAMA_CPP_OPTIONS}
    assert registry.options_taken("hf:some/model") == {registry.HF_OPTIONS}
    assert registry.options_taken("rules") == registry.options_taken("mypkg.mod:create") == frozenset()
    assert registry.options_taken("rulez") is None


MY_SYSTEM = '''
from bench.systems.base import DocumentPrediction


class Mine:
    name = "mine"
    version = "0.1"
    tasks = frozenset({"ner"})

    def predict(self, documents):
        return [DocumentPrediction(d.id, {"ner": ()}) for d in documents]


def create():
    return Mine()
'''


def _as_the_console_script(*args, cwd):
    """`bench ...` as the installed script runs it: the current folder is not on sys.path
    (`python -P`), the package comes from this checkout."""
    import os
    import subprocess
    import sys

    from conftest import REPO

    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run([sys.executable, "-P", "-m", "bench", *args], capture_output=True, text=True, cwd=cwd, env=env, timeout=300)


def test_a_factory_spec_finds_its_module_in_the_current_folder(tmp_path):
    (tmp_path / "mysys.py").write_text(MY_SYSTEM)
    (tmp_path / "broken.py").write_text("import no_such_dependency_here\n")
    result = _as_the_console_script("eval", "mysys:create", "--json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["system"]["name"] == "mine"
    missing = _as_the_console_script("eval", "nothere.mod:create", cwd=tmp_path)
    assert missing.returncode == 2 and missing.stderr.splitlines() == [
        "bench: error: system 'nothere.mod:create': cannot import module 'nothere.mod': No module named 'nothere' "
        "(looked on sys.path and in the current folder: run from the folder that holds it, `pip install -e` its project, or add its folder to PYTHONPATH)"
    ]
    broken = _as_the_console_script("eval", "broken:create", cwd=tmp_path)  # found, but its own import fails: said as it is
    assert broken.returncode == 2 and broken.stderr.splitlines() == [
        "bench: error: system 'broken:create': cannot import module 'broken': No module named 'no_such_dependency_here'"
    ]


def test_score_names_the_system_the_predictions_file_records(tmp_path):
    preds, out = tmp_path / "rules.jsonl", tmp_path / "rules.json"
    assert run_bench("eval", "rules", "--task", "ner", "--save-predictions", str(preds), "--out", str(out)).returncode == 0
    evaluated = json.loads(out.read_text())["system"]
    lines = [json.loads(line) for line in preds.read_text().splitlines()]
    assert all(line["system"] == {"spec": "rules", "name": "rules", "version": evaluated["version"]} for line in lines)
    result = run_bench("score", str(preds), "--json")
    scored = json.loads(result.stdout)["system"]
    assert (scored["spec"], scored["name"], scored["version"]) == ("rules", "rules", evaluated["version"])
    shown = run_bench("score", str(preds)).stdout.splitlines()[0]
    assert shown.startswith(f"rules (version {evaluated['version']})") and "unknown" not in shown
    # --system-name and --system-version still override; the spec is then the file
    renamed = json.loads(run_bench("score", str(preds), "--system-name", "mine", "--json").stdout)["system"]
    assert (renamed["spec"], renamed["name"], renamed["version"]) == ("file:rules.jsonl", "mine", evaluated["version"])
    # one file, one system
    lines[1]["system"] = {**lines[1]["system"], "version": "other"}
    mixed = tmp_path / "mixed.jsonl"
    mixed.write_text("".join(json.dumps(line) + "\n" for line in lines))
    result = run_bench("score", str(mixed))
    assert result.returncode == 2 and result.stderr.splitlines() == [f"bench: error: {mixed}:2: system differs from the one at {mixed}:1 (one file, one system)"]


USER_SYSTEM = '''
from bench import Document, DocumentPrediction, PredictedMention, System, TaskName


class Capitals:
    """Every capitalised word a PER: a system written with the public API alone."""

    name = "capitals"
    version = "0.0.1"
    tasks = frozenset({TaskName.NER})

    def predict(self, documents: "list[Document]") -> "list[DocumentPrediction]":
        out = []
        for doc in documents:
            assert doc.doc_id == doc.id
            mentions = tuple(PredictedMention("PER", t.start, t.end) for t in doc.tokens if t.text[:1].isupper())
            out.append(DocumentPrediction(doc.doc_id, {TaskName.NER: mentions}))
        return out


def create() -> System:
    system = Capitals()
    assert isinstance(system, System)
    return system
'''


def test_the_public_api_writes_a_system_that_bench_eval_runs(tmp_path):
    import subprocess
    import sys

    (tmp_path / "capitals.py").write_text(USER_SYSTEM)
    result = _as_the_console_script("eval", "capitals:create", "--json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    record = json.loads(result.stdout)
    assert record["system"]["name"] == "capitals" and list(record["tasks"]) == ["ner"]
    per = [r for r in record["metrics"] if r["metric"] == "strict_f1" and r.get("label") == "PER" and r["view"] == "gold"][0]
    assert per["predicted"] > 0 and per["tp"] > 0
    # `import bench` stays cheap: the API loads on first use, and dir() and __all__ list it
    probe = "import sys, bench; names = dir(bench); print(sorted(bench.__all__)); print([m for m in ('bench.systems.base', 'bench.documents.corpus', 'bench.tasks', 'jsonschema') if m in sys.modules])"
    shown = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60).stdout.splitlines()
    assert shown == ["['BENCHMARK_NAME', 'Document', 'DocumentPrediction', 'PredictedMention', 'System', 'TaskName', '__version__', 'load_dataset']", "[]"]


def test_a_document_answers_to_doc_id_too(corpus):
    import bench

    document = next(iter(corpus.values()))
    assert document.doc_id == document.id and "System" in dir(bench) and bench.TaskName.NER == "ner"
    try:
        document.doc_id = "x"
    except AttributeError:
        pass
    else:
        raise AssertionError("doc_id must be read-only")
