"""System specs: built-ins, package.module:factory, entry-point plugins, did-you-mean."""

import json
import os

from conftest import REPO, run_bench

PLUGIN = '''
from bench.systems.base import DocumentPrediction
from bench.tasks.registry import TaskName
from bench.tasks.ner.types import PredictedMention


class Echo:
    name = "echo"
    version = "0.0.1"
    tasks = frozenset({TaskName.NER})

    def predict(self, documents):
        # Tags every "SOHR" by text, to show text-only predictions through the harness.
        return [DocumentPrediction(d.id, {TaskName.NER: (PredictedMention("ORG", text="SOHR"),) if "SOHR" in d.text else ()}) for d in documents]


def create():
    return Echo()


def broken():
    return object()
'''


def _plugin_dir(tmp_path, entry_point=True):
    (tmp_path / "myplugin.py").write_text(PLUGIN)
    if entry_point:
        info = tmp_path / "myplugin-0.1.dist-info"
        info.mkdir()
        (info / "METADATA").write_text("Metadata-Version: 2.1\nName: myplugin\nVersion: 0.1\n")
        (info / "entry_points.txt").write_text("[bench.systems]\necho = myplugin:create\n")
    return tmp_path


def _env(path):
    return {**os.environ, "PYTHONPATH": f"{path}{os.pathsep}{REPO}"}


def _run(tmp_path, *args):
    import subprocess
    import sys

    return subprocess.run([sys.executable, "-m", "bench", *args], capture_output=True, text=True, env=_env(tmp_path), cwd=tmp_path, timeout=300)


def test_module_factory_spec(tmp_path):
    _plugin_dir(tmp_path, entry_point=False)
    result = _run(tmp_path, "eval", "myplugin:create", "--json")
    assert result.returncode == 0, result.stderr
    record = json.loads(result.stdout)
    assert record["system"] == {"spec": "myplugin:create", "name": "echo", "version": "0.0.1", "label_maps": {}}
    strict = [r for r in record["metrics"] if r["metric"] == "strict_f1" and r["view"] == "gold" and "label" not in r][0]
    assert strict["tp"] == 2 and strict["fp"] == 0  # one SOHR grounded per document


def test_entry_point_plugin_is_listed_and_runs(tmp_path):
    _plugin_dir(tmp_path)
    assert "echo" in _run(tmp_path, "list").stdout
    result = _run(tmp_path, "eval", "echo", "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["system"]["name"] == "echo"


def test_bad_factories_fail_in_one_line(tmp_path):
    _plugin_dir(tmp_path, entry_point=False)
    for spec, expected in [
        ("myplugin:broken", "system 'myplugin:broken' lacks name, version, tasks, predict"),
        ("myplugin:nothing", "module 'myplugin' has no callable 'nothing'"),
        ("nomodule:create", "cannot import module 'nomodule'"),
    ]:
        result = _run(tmp_path, "eval", spec)
        assert result.returncode == 2
        assert len(result.stderr.strip().splitlines()) == 1 and expected in result.stderr, result.stderr


def test_unknown_task():
    result = run_bench("eval", "empty", "--task", "nre")
    assert result.returncode == 2 and "unknown task 'nre' (did you mean 'ner'?); tasks: attribution, casualties, ner" in result.stderr
