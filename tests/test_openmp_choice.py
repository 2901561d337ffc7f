"""bench.systems.llm.openmp: llama.cpp's threads wait passively unless the machine is idle,
and the user's own OpenMP settings are never touched."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest

from bench.systems.llm import openmp


@pytest.fixture
def clean_env(monkeypatch):
    for name in openmp.USER_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


@pytest.mark.parametrize("cores,expected", [(0.0, {}), (0.2, {}), (0.3, openmp.PASSIVE), (1.7, openmp.PASSIVE), (None, openmp.PASSIVE)])
def test_passive_unless_idle(clean_env, cores, expected):
    import os

    clean_env.setattr(openmp, "others_cores", lambda sample_s=openmp.SAMPLE_S: cores)
    assert openmp.choose() == expected
    assert os.environ.get("OMP_WAIT_POLICY") == expected.get("OMP_WAIT_POLICY")


@pytest.mark.parametrize("name,value", [("OMP_WAIT_POLICY", "ACTIVE"), ("GOMP_SPINCOUNT", "1000")])
def test_the_users_setting_stands(clean_env, name, value):
    import os

    clean_env.setenv(name, value)
    clean_env.setattr(openmp, "others_cores", lambda sample_s=openmp.SAMPLE_S: 5.0)
    assert openmp.choose() == {}
    assert os.environ[name] == value and all(os.environ.get(n) in (None, value) for n in openmp.USER_VARIABLES)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/stat")
def test_another_busy_process_is_seen():
    burner = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    try:
        time.sleep(0.3)
        assert openmp.others_cores(0.5) > openmp.IDLE_CORES
    finally:
        burner.kill()
        burner.wait()
