"""The file-system, terminal, endpoint and resource boundaries (issue 25): each case a
probe of a hostile tree, endpoint, output folder or file once broke, kept as a regression
test. Every bad case gives one line on stderr, its exit code, no traceback, and leaves
what was on disk as it was.

The full-disk and read-only cases need a tmpfs (root and mount(8)); where none can be
mounted they are skipped, loudly, saying why."""

from __future__ import annotations

import json
import os
import resource
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from bench.errors import BenchError, DataError, OutputError, printable
from conftest import REPO
from llm_fakes import Fault, FakeServer

DOC = "000_5cf36fedf2077db3"
PREDICTIONS = REPO / "results" / "oracle.predictions.jsonl"


def bench(*args: str, env: dict[str, str] | None = None, timeout: float = 300, limit_mb: int | None = None) -> subprocess.CompletedProcess:
    """The CLI in a subprocess, with no API key unless `env` gives one; `limit_mb` caps
    its address space (a run that needs more memory fails)."""
    full = {k: v for k, v in os.environ.items() if k not in ("BENCH_API_KEY", "OPENAI_API_KEY")}
    full.update(env or {})

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (limit_mb << 20, limit_mb << 20))

    return subprocess.run(
        [sys.executable, "-m", "bench", *args], capture_output=True, text=True, cwd=REPO, env=full, timeout=timeout, preexec_fn=cap if limit_mb else None
    )


def one_line(result, code: int = 2, *expected: str) -> str:
    assert result.returncode == code, (result.returncode, result.stderr[-3000:])
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("bench: error: "), lines
    for part in expected:
        assert part in lines[0], lines[0]
    return lines[0]


def with_articles(tree: Path, change) -> None:
    path = tree / "seeds" / "articles.json"
    raw = json.loads(path.read_text())
    change(raw["articles"])
    path.write_text(json.dumps(raw))


# ---------------------------------------------------------------- 1. paths


@pytest.mark.parametrize("doc_id", ["../../escape", "/etc/passwd", ".", "..", "a/b", "a\\b", "", "a" * 201, "a\x00b", "caf\u00e9", "x\ny"])
def test_a_doc_id_that_is_not_a_plain_name_is_refused_where_the_tree_is_loaded(tree_copy, doc_id):
    from bench.documents.corpus import load_corpus

    with_articles(tree_copy, lambda articles: articles[0].update(id=doc_id))
    with pytest.raises(DataError) as caught:
        load_corpus(tree_copy)
    assert "articles.json" in caught.value.message and "not a plain name" in caught.value.message
    assert "\n" not in caught.value.message and "\x00" not in caught.value.message


def test_a_plain_doc_id_is_accepted():
    from bench.documents.corpus import doc_id_problem

    assert doc_id_problem("000_5cf36fedf2077db3") is None and doc_id_problem("a.b-c_D9") is None and doc_id_problem("a" * 200) is None


def test_variants_write_never_writes_outside_its_folder(tree_copy, tmp_path):
    """`../../escape` made `bench variants write OUT` write OUT/../escape.txt (exit 0)."""
    tree = tmp_path / "t" / "tree"
    shutil.move(str(tree_copy / "seeds"), tree / "seeds")
    shutil.move(str(tree_copy / "gold"), tree / "gold")
    shutil.copy(tree / "seeds" / f"{DOC}.txt", tmp_path / "t" / "escape.txt")  # what seeds/../../escape.txt names
    shutil.copy(tree / "gold" / "ner" / f"{DOC}.json", tree / "escape.json")  # and gold/<task>/../../escape.json
    with_articles(tree, lambda articles: next(a for a in articles if a["id"] == DOC).update(id="../../escape"))
    out = tmp_path / "o" / "out"
    for family in ("none", "names"):
        one_line(bench("variants", "write", "--variants", family, "--seed", "1", "--data", str(tree), str(out)), 2, "not a plain name")
    assert not out.exists() and not (tmp_path / "o" / "escape.txt").exists()
    one_line(bench("eval", "oracle", "--data", str(tree), "--variants", "names", "--seeds", "1"), 2, "not a plain name")


def test_an_absolute_doc_id_copies_nothing_from_elsewhere(tree_copy, tmp_path):
    secret = tmp_path / "secret"
    secret.write_text("not for the tree")
    with_articles(tree_copy, lambda articles: articles[0].update(id=str(secret)))
    out = tmp_path / "out"
    one_line(bench("variants", "write", "--variants", "none", "--data", str(tree_copy), str(out)), 2, "not a plain name")
    assert not out.exists()


def test_every_path_a_variant_tree_builds_is_checked_before_anything_is_written(tmp_path):
    from bench.paths import inside
    from bench.variants.tree import Family, VariantTree

    folder = tmp_path / "out"
    folder.mkdir()
    (folder / "link").symlink_to(tmp_path)
    for bad in ("../escape.txt", "/tmp/absolute.txt", "link/escape.txt", "seeds/../../escape.txt"):
        with pytest.raises(BenchError, match="leads outside the folder"):
            inside(folder, bad)
        tree = VariantTree(Family.NONE, 0, "1.0.0", {"seeds/a.txt": b"first", bad: b"x"})
        with pytest.raises(BenchError, match="leads outside the folder"):
            tree.write(folder)
        assert not (folder / "seeds").exists()  # refused before the first file
    assert not (tmp_path / "escape.txt").exists()
    assert inside(folder, "seeds/a.txt") == (folder / "seeds" / "a.txt").resolve()


# ---------------------------------------------------------------- 2. secrets and terminals


# ---------------------------------------------------------------- 3. endpoints


def _raw_server(mode: str) -> tuple[int, threading.Event]:
    """A socket server of its own: `trickle` sends headers, then one byte of the body every
    0.3 s for at most 8 s; `mute` accepts and says nothing for 8 s."""
    listener = socket.create_server(("127.0.0.1", 0))
    stop = threading.Event()

    def serve(conn: socket.socket) -> None:
        with conn:
            conn.settimeout(1.0)
            try:
                conn.recv(65536)
                if mode == "trickle":
                    conn.sendall(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n")
                deadline = time.monotonic() + 8
                while time.monotonic() < deadline and not stop.is_set():
                    time.sleep(0.3)
                    if mode == "trickle":
                        conn.sendall(b" ")
            except OSError:
                pass

    def accept() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except OSError:
                continue
            threading.Thread(target=serve, args=(conn,), daemon=True).start()
        listener.close()

    threading.Thread(target=accept, daemon=True).start()
    return listener.getsockname()[1], stop


# ---------------------------------------------------------------- 4. failures as lines, memory bounded


def test_a_fifo_in_a_tree_is_refused(tree_copy):
    article = tree_copy / "seeds" / f"{DOC}.txt"
    article.unlink()
    os.mkfifo(article)
    one_line(bench("eval", "rules", "--data", str(tree_copy), timeout=60), 2, f"{DOC}.txt", "a FIFO")
    one_line(bench("variants", "write", "--variants", "none", "--data", str(tree_copy), str(tree_copy / "out"), timeout=60), 2, "a FIFO")


def test_a_nul_in_a_doc_id_is_one_line(tree_copy):
    with_articles(tree_copy, lambda articles: articles[0].update(id="000\x00x"))
    one_line(bench("eval", "rules", "--data", str(tree_copy)), 2, "not a plain name", "000\\x00x")
    one_line(bench("score", str(PREDICTIONS), "--data", str(tree_copy)), 2, "not a plain name")
    result = bench("validate", str(tree_copy))
    assert result.returncode == 1 and "Traceback" not in result.stderr and "not a plain name" in result.stderr


@pytest.mark.parametrize("where", ["gold", "articles"])
@pytest.mark.parametrize("hostile", ["deep", "surrogate"])
def test_variants_write_on_deep_or_surrogate_holding_files_is_one_line(tree_copy, tmp_path, where, hostile):
    path = tree_copy / "gold" / "ner" / f"{DOC}.json" if where == "gold" else tree_copy / "seeds" / "articles.json"
    if hostile == "deep":
        path.write_text("[" * 100_000 + "]" * 100_000)
    else:
        raw = json.loads(path.read_text())
        if where == "gold":
            raw["entities"][0]["name"] += "\ud800"
        else:
            raw["articles"][0]["headline"] += "\ud800"
        path.write_text(json.dumps(raw))  # ensure_ascii: the escape \ud800
    out = tmp_path / "out"
    one_line(bench("variants", "write", "--variants", "names", "--seed", "1", "--data", str(tree_copy), str(out)), 2, "nested" if hostile == "deep" else "lone surrogate")
    assert not out.exists()


# ---------------------------------------------------------------- 6. full disks and read-only folders (tmpfs)


def _mount(where: Path, *options: str) -> None:
    """Mount a tmpfs at `where`, or skip loudly saying why none can be mounted here."""
    where.mkdir(parents=True, exist_ok=True)
    if sys.platform != "linux" or os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("TMPFS CANNOT BE MOUNTED HERE (the full-disk and read-only tests need Linux, root and mount(8)); SKIPPED")
    result = subprocess.run(["mount", "-t", "tmpfs", "-o", ",".join(options), "tmpfs", str(where)], capture_output=True, text=True)
    if result.returncode != 0:
        pytest.skip(f"TMPFS CANNOT BE MOUNTED HERE (mount said: {result.stderr.strip() or result.returncode}); full-disk and read-only tests SKIPPED")


@pytest.fixture()
def tmpfs(tmp_path):
    """mount(where, size) -> where; every mount is undone at the end."""
    mounted: list[Path] = []

    def mount(name: str, size: str = "4m") -> Path:
        where = tmp_path / name
        _mount(where, f"size={size}")
        mounted.append(where)
        return where

    yield mount
    for where in reversed(mounted):
        subprocess.run(["umount", "-l", str(where)], capture_output=True)


def _fill(folder: Path) -> None:
    """Fill the file system under `folder` to the last byte."""
    with (folder / "filler").open("wb") as handle:
        try:
            while True:
                handle.write(b"\0" * 65536)
                handle.flush()
        except OSError:
            pass
    try:
        (folder / "filler").open("ab").close()
    except OSError:
        pass


def _read_only(folder: Path) -> None:
    result = subprocess.run(["mount", "-o", "remount,ro", str(folder)], capture_output=True, text=True)
    if result.returncode != 0:
        pytest.skip(f"TMPFS CANNOT BE REMOUNTED READ-ONLY HERE ({result.stderr.strip()}); SKIPPED")


