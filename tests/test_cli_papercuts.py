"""The CLI's paper cuts (issue #24, item 4): each one a small promise of the command line."""

import json

from conftest import run_bench


def test_version_prints_the_installed_version_and_nothing_else():
    from importlib.metadata import version

    result = run_bench("--version")
    assert result.returncode == 0 and result.stdout == f"syria-coast-ie {version('syria-coast-ie')}\n"
