"""The README Quickstart and CI agree, and the package declares what it ships."""

import re
import tomllib

from conftest import REPO


def _quickstart_commands():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Quickstart", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```bash\n(.*?)\n```", section, re.S)


def test_ci_runs_exactly_the_quickstart_test_command():
    install_and_eval, tests = _quickstart_commands()[:2]
    assert install_and_eval.endswith("bench eval")
    ci_lines = [l for l in (REPO / ".ci" / "run").read_text().splitlines() if l and not l.startswith(("#", "set ", "cd "))]
    assert ci_lines == [tests]


def test_pyproject_packages_code_and_data():
    meta = tomllib.loads((REPO / "pyproject.toml").read_text())
    wheel = meta["tool"]["hatch"]["build"]["targets"]["wheel"]
    assert wheel["packages"] == ["bench"]
    assert wheel["force-include"] == {"seeds": "bench/_data/seeds", "gold": "bench/_data/gold"}
    assert {"spacy", "hf", "llm", "test"} <= set(meta["project"]["optional-dependencies"])
    assert "torch==2.13.0" in meta["project"]["optional-dependencies"]["hf"]


def test_the_harness_extras_are_pinned_and_inspect_finds_the_tasks():
    meta = tomllib.loads((REPO / "pyproject.toml").read_text())
    extras = meta["project"]["optional-dependencies"]
    assert extras["inspect"] == ["inspect-ai==0.3.285"] and extras["lmeval"] == ["lm-eval[api]==0.4.13"]
    assert meta["project"]["entry-points"]["inspect_ai"] == {"bench": "bench.integrations.inspect_tasks"}
    install_and_eval, tests = _quickstart_commands()[:2]
    assert "'.[spacy,hf,llm,test,inspect,lmeval]'" in tests  # CI tests both harnesses
