"""A built wheel carries the data: a plain install has a working `bench eval`.

Builds the wheel, installs it into a fresh virtual environment (no editable install,
no checkout on the path), and runs `bench validate` and `bench eval` from elsewhere.
"""

import json
import subprocess
import sys
import venv
import zipfile

import pytest

from conftest import REPO


@pytest.mark.slow
def test_wheel_installs_and_evaluates(tmp_path):
    dist = tmp_path / "dist"
    subprocess.run([sys.executable, "-m", "build", "--wheel", "--outdir", str(dist), str(REPO)], check=True, capture_output=True, timeout=600)
    (wheel,) = dist.glob("*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "bench/_data/seeds/000_5cf36fedf2077db3.txt" in names
    assert "bench/_data/gold/ner/003_a061056322098f3b.json" in names
    assert "bench/systems/rules/system.py" in names
    env_dir = tmp_path / "env"
    venv.create(env_dir, with_pip=True)
    pip = env_dir / "bin" / "pip"
    subprocess.run([str(pip), "install", "-q", str(wheel)], check=True, capture_output=True, timeout=600)
    bench = str(env_dir / "bin" / "bench")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    validate = subprocess.run([bench, "validate"], capture_output=True, text=True, cwd=elsewhere, timeout=300)
    assert validate.returncode == 0, validate.stderr
    assert "_data" in validate.stdout
    result = subprocess.run([bench, "eval", "--json"], capture_output=True, text=True, cwd=elsewhere, timeout=300)
    assert result.returncode == 0, result.stderr
    record = json.loads(result.stdout)
    assert record["system"]["spec"] == "rules"
    assert any(r["metric"] == "strict_f1" and r["view"] == "gold" for r in record["metrics"])
