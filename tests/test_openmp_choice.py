"""bench.systems.llm.openmp: llama.cpp's threads wait passively unless the machine is idle,
and the user's own OpenMP settings are never touched."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

from bench.systems.llm import openmp

ORIGINAL = {k: v for k, v in os.environ.items() if k in openmp.USER_VARIABLES}  # before any test here


@pytest.fixture
def clean_env(monkeypatch):
    for name in openmp.USER_VARIABLES:
        monkeypatch.setenv(name, "recorded")  # so that what choose() sets is undone after the test
        monkeypatch.delenv(name)
    monkeypatch.delitem(sys.modules, "llama_cpp", raising=False)  # as before the backend's first load
    return monkeypatch


@pytest.mark.parametrize("cores,expected", [(0.0, {}), (0.2, {}), (0.3, openmp.PASSIVE), (1.7, openmp.PASSIVE), (None, openmp.PASSIVE)])
def test_passive_unless_idle(clean_env, cores, expected):
    clean_env.setattr(openmp, "others_cores", lambda sample_s=openmp.SAMPLE_S: cores)
    assert openmp.choose() == expected
    assert os.environ.get("OMP_WAIT_POLICY") == expected.get("OMP_WAIT_POLICY")


@pytest.mark.parametrize("name,value", [("OMP_WAIT_POLICY", "ACTIVE"), ("GOMP_SPINCOUNT", "1000")])
def test_the_users_setting_stands(clean_env, name, value):
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


def test_nothing_is_set_once_llama_cpp_is_loaded(clean_env):
    def unexpected(sample_s=openmp.SAMPLE_S):
        raise AssertionError("no need to look at the load: libgomp reads nothing more")

    clean_env.setitem(sys.modules, "llama_cpp", object())
    clean_env.setattr(openmp, "others_cores", unexpected)
    assert openmp.choose() == {} and "OMP_WAIT_POLICY" not in os.environ


def test_the_fixture_undoes_what_choose_sets():
    assert os.environ.get("OMP_WAIT_POLICY") != "PASSIVE" or "OMP_WAIT_POLICY" in ORIGINAL
