"""The llama.cpp backend's kept prompt-prefix states (bench/systems/llm/prefix_states.py),
without a model: what is written, what is read back, the size bound, and that the store
deletes and follows nothing it did not write."""

from __future__ import annotations

import os

from bench.systems.llm.prefix_states import STATES_FOLDER, PrefixStates, clear_states

IDENTITY = {"model": "gguf-sha256:00", "llama_cpp_python": "0", "system_info": "test"}
TOKENS = list(range(100))


def store(directory, warnings, **kwargs):
    return PrefixStates(IDENTITY, directory, warnings.append, **kwargs)


def test_a_state_comes_back_from_memory_then_from_disk_in_a_later_run(tmp_path):
    warnings: list[str] = []
    first = store(tmp_path, warnings)
    first.put(TOKENS, b"state" * 10)
    assert first.get(TOKENS) == b"state" * 10 and first.hits == {"memory": 1, "disk": 0}
    later = store(tmp_path, warnings)
    assert later.get(TOKENS) == b"state" * 10 and later.hits == {"memory": 0, "disk": 1}
    assert later.get(TOKENS[:-1]) is None  # another prefix
    other = PrefixStates({**IDENTITY, "model": "gguf-sha256:11"}, tmp_path, warnings.append)
    assert other.get(TOKENS) is None  # another model
    assert warnings == []


def test_a_damaged_state_is_a_miss_with_a_warning_and_is_rewritten(tmp_path):
    warnings: list[str] = []
    first = store(tmp_path, warnings)
    first.put(TOKENS, b"x" * 64)
    (path,) = tmp_path.glob("*.state")
    path.write_bytes(path.read_bytes()[:-1] + b"y")
    later = store(tmp_path, warnings)
    assert later.get(TOKENS) is None and len(warnings) == 1 and "unusable" in warnings[0]
    later.put(TOKENS, b"x" * 64)
    assert store(tmp_path, warnings).get(TOKENS) == b"x" * 64


def test_the_folder_is_bounded_least_recently_used_first_and_others_files_are_kept(tmp_path):
    warnings: list[str] = []
    foreign = tmp_path / "notes.state"
    foreign.write_bytes(b"not ours" * 1000)
    states = store(tmp_path, warnings, max_disk_bytes=4000)
    for n in range(3):
        states.put(TOKENS + [n], bytes([n]) * 1000)
        for path in tmp_path.glob("*.state"):
            os.utime(path, (n, n)) if path != foreign else None
    ours = [p for p in tmp_path.glob("*.state") if p != foreign]
    assert len(ours) == 2 and foreign.exists()
    assert store(tmp_path, warnings).get(TOKENS + [0]) is None
    assert store(tmp_path, warnings).get(TOKENS + [2]) == b"\x02" * 1000


def test_symbolic_links_are_not_followed(tmp_path):
    warnings: list[str] = []
    outside = tmp_path / "outside"
    outside.mkdir()
    linked = tmp_path / "linked"
    linked.symlink_to(outside, target_is_directory=True)
    states = store(linked, warnings)
    states.put(TOKENS, b"z" * 64)
    assert list(outside.iterdir()) == [] and len(warnings) == 1
    real = tmp_path / "real"
    store(real, warnings).put(TOKENS, b"z" * 64)
    (path,) = real.glob("*.state")
    moved = outside / "elsewhere"
    path.rename(moved)
    path.symlink_to(moved)
    assert store(real, warnings).get(TOKENS) is None
    assert clear_states(real) == 0 and moved.exists()


def test_cache_clear_removes_the_states_and_nothing_else(tmp_path):
    """`bench cache clear` clears the answers and the kept states (the cache module itself
    knows nothing of the states: they import it for their keys)."""
    import os
    import subprocess
    import sys

    def clear() -> None:
        env = dict(os.environ, BENCH_CACHE_DIR=str(tmp_path))
        assert subprocess.run([sys.executable, "-m", "bench", "cache", "clear"], env=env, capture_output=True, timeout=120).returncode == 0

    warnings: list[str] = []
    states_dir = tmp_path / STATES_FOLDER
    store(states_dir, warnings).put(TOKENS, b"s" * 64)
    keep = states_dir / "README"
    keep.write_text("someone else's")
    clear()
    assert list(states_dir.iterdir()) == [keep]
    keep.unlink()
    store(states_dir, warnings).put(TOKENS, b"s" * 64)
    clear()
    assert not states_dir.exists()
