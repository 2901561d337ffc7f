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
from testkit.llm_fakes import Fault, FakeServer

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


def test_cache_clear_and_remove_delete_only_the_caches_own_entries(tmp_path):
    """`bench cache clear` deleted the whole BENCH_CACHE_DIR, other programs' files too."""
    from bench.systems.llm.cache import CachedAnswer, PredictionCache, cache_key

    shared = tmp_path / "shared"
    others = [shared / "other-app" / "important.db", shared / "notes.json", shared / "ab" / "notes.txt", shared / "ab" / "mine.json", shared / "xy" / ("0" * 64 + ".json")]
    for path in others:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("keep me")
    cache = PredictionCache(shared)
    keys = []
    for task in ("ner", "casualties"):
        parts = {"system": "s", "task": task, "document_sha256": "0" * 64}
        keys.append(cache_key(parts))
        cache.put(keys[-1], CachedAnswer("{}", "stop"), parts)
    stale = shared / keys[0][:2] / f".{keys[0]}.json.999.tmp"  # left by a killed write
    stale.write_text("half")
    env = {"BENCH_CACHE_DIR": str(shared)}
    listed = bench("cache", "list", env=env)
    assert listed.returncode == 0 and len(listed.stdout.splitlines()) == 2 and "warning" not in listed.stderr, listed.stderr
    removed = bench("cache", "remove", "--task", "ner", env=env)
    assert removed.returncode == 0 and "removed 1 cached answers" in removed.stdout
    cleared = bench("cache", "clear", env=env)
    assert cleared.returncode == 0 and "removed 1 cached answers" in cleared.stdout, cleared.stdout
    assert all(path.read_text() == "keep me" for path in others)
    assert not stale.exists() and not (shared / keys[1][:2] / f"{keys[1]}.json").exists()
    assert shared.is_dir() and "0 entries" in bench("cache", "info", env=env).stdout


def test_out_and_save_predictions_may_not_name_the_same_file(tmp_path):
    """`--out X --save-predictions X` lost the predictions (exit 0)."""
    target = tmp_path / "same.json"
    one_line(bench("eval", "empty", "--out", str(target), "--save-predictions", str(target)), 2, "name the same file")
    (tmp_path / "link.json").symlink_to(target)
    one_line(bench("eval", "empty", "--out", str(target), "--save-predictions", f"{tmp_path}/./link.json"), 2, "name the same file")
    assert not target.exists()


def test_an_output_that_is_a_folder_is_refused_before_the_run(tmp_path):
    """`--out`/`--html` on an existing folder ended in a traceback after the whole run."""
    folder = tmp_path / "folder"
    folder.mkdir()
    one_line(bench("eval", "rules", "--out", str(folder), "--force"), 2, "is a folder")
    one_line(bench("eval", "rules", "--save-predictions", str(folder), "--force"), 2, "is a folder")
    one_line(bench("score", str(PREDICTIONS), "--out", str(folder), "--force"), 2, "is a folder")
    one_line(bench("report", str(REPO / "results" / "oracle.json"), "--html", str(folder), "--force"), 2, "is a folder")
    assert list(folder.iterdir()) == []


def test_score_may_not_write_over_its_own_input(tmp_path):
    copy = tmp_path / "p.jsonl"
    shutil.copy(PREDICTIONS, copy)
    one_line(bench("score", str(copy), "--out", str(copy), "--force"), 2, "is the input file itself")
    assert copy.read_bytes() == PREDICTIONS.read_bytes()


# ---------------------------------------------------------------- 2. secrets and terminals


@pytest.mark.parametrize("key", ["sk-secret-4711\r", "sk-secret-4711\r\nX-Injected: 1", "sk-secret-\u00fc4711", "sk-secret-4711\x1b"])
def test_an_api_key_that_is_no_header_value_is_refused_before_any_request(key):
    with FakeServer() as server:
        result = bench("eval", f"openai:m@{server.url}", "--task", "ner", "--window", "paragraph", "--no-cache", env={"BENCH_API_KEY": key})
        assert not server.requests
    line = one_line(result, 2, "BENCH_API_KEY", "printable ASCII")
    assert "4711" not in result.stderr + result.stdout and "secret" not in line


def test_credentials_in_the_url_are_refused_without_echoing_them():
    result = bench("eval", "openai:m@http://alice:hunter2@127.0.0.1:9/v1", "--task", "ner", "--no-cache")
    line = one_line(result, 2, "credentials")
    assert "hunter2" not in result.stderr + result.stdout and "alice" not in line
    assert "write openai:MODEL@URL" not in line


def test_the_client_refuses_credentials_and_bad_keys_itself(monkeypatch):
    from bench.systems.llm.client import ChatClient, EndpointError

    with pytest.raises(EndpointError) as caught:
        ChatClient("https://bob:pa55word@api.example/v1", "m")
    assert "pa55word" not in caught.value.message
    monkeypatch.setenv("BENCH_API_KEY", "sk-top-secret\r")
    with pytest.raises(EndpointError) as caught:
        ChatClient("http://127.0.0.1:9/v1", "m")
    assert "top-secret" not in caught.value.message and "carriage return" in caught.value.message


def test_proxy_variables_are_ignored_unless_trust_env(monkeypatch):
    """HTTP_PROXY took the key to the proxy, without a word."""
    from bench.systems.llm.client import ChatClient, Decoding, RetryPolicy

    messages = [{"role": "system", "content": "You list named entities."}, {"role": "user", "content": "Syria"}]
    with FakeServer() as server, FakeServer() as proxy:
        for name in ("NO_PROXY", "no_proxy"):
            monkeypatch.delenv(name, raising=False)
        for name in ("HTTP_PROXY", "http_proxy", "ALL_PROXY"):
            monkeypatch.setenv(name, f"http://127.0.0.1:{proxy.port}")
        monkeypatch.setenv("BENCH_API_KEY", "sk-for-the-endpoint-only")
        ChatClient(server.url, "m", policy=RetryPolicy(timeout=5, max_retries=0)).complete(messages, {"type": "object"}, "ner_answer", Decoding())
        assert len(server.requests) == 1 and not proxy.requests
        ChatClient(server.url, "m", policy=RetryPolicy(timeout=5, max_retries=0), trust_env=True).complete(messages, {"type": "object"}, "ner_answer", Decoding())
        assert len(server.requests) == 1 and len(proxy.requests) == 1  # asked for: through the proxy
    assert "--trust-env" in bench("eval", "--help").stdout


def test_printable_escapes_control_characters_and_keeps_text():
    assert printable("a\x1b[2Jb\r\nc\td\x7f\x9b\u2028\u202e\ud800") == "a\\x1b[2Jb\\r\\nc\\td\\x7f\\x9b\\u2028\\u202e\\ud800"
    assert printable("Caf\u00e9 \u2013 \u0627\u0644\u0644\u0627\u0630\u0642\u064a\u0629, C:\\path") == "Caf\u00e9 \u2013 \u0627\u0644\u0644\u0627\u0630\u0642\u064a\u0629, C:\\path"


def test_an_endpoints_error_body_reaches_the_terminal_escaped(tmp_path):
    body = json.dumps({"error": {"message": "bad \x1b[31mred\x1b[0m\rfake: ok\x07 \u2028 end"}})
    with FakeServer() as server:
        server.faults = [Fault(status=404, raw_body=body)]
        result = bench("eval", f"openai:m@{server.url}", "--task", "ner", "--window", "paragraph", "--no-cache")
    line = one_line(result, 2, "HTTP 404", "\\x1b[31mred")
    assert not any(c in result.stderr for c in "\x1b\r\x07\u2028")


def test_cache_list_prints_one_escaped_line_per_entry(tmp_path):
    from bench.systems.llm.cache import CachedAnswer, PredictionCache, cache_key

    parts = {"system": "evil\x1b]0;owned\x07\nsecond line", "task": "ner\t\r", "document_sha256": "\x1b[2J" * 4, "model": "m\u2028x"}
    PredictionCache(tmp_path).put(cache_key(parts), CachedAnswer("{}", None), parts)
    listed = bench("cache", "list", env={"BENCH_CACHE_DIR": str(tmp_path)})
    assert listed.returncode == 0 and len(listed.stdout.splitlines()) == 1, listed.stdout
    assert not any(c in listed.stdout for c in "\x1b\x07\r\u2028") and listed.stdout.count("\t") == 4
    assert "evil\\x1b]0;owned\\x07\\nsecond line" in listed.stdout


def test_a_file_name_in_an_error_line_is_escaped(tmp_path):
    name = tmp_path / "bad\x1b[2Jname\rx.jsonl"
    result = bench("score", str(name))
    one_line(result, 2, "bad\\x1b[2Jname\\rx.jsonl")
    assert "\x1b" not in result.stderr and "\r" not in result.stderr


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


@pytest.mark.parametrize("mode", ["trickle", "mute"])
def test_timeout_bounds_the_whole_answer(mode):
    """A body trickling one byte a second was still being read after 30 s with --timeout 3."""
    from bench.systems.llm.client import ChatClient, Decoding, EndpointError, RetryPolicy

    port, stop = _raw_server(mode)
    try:
        client = ChatClient(f"http://127.0.0.1:{port}/v1", "m", policy=RetryPolicy(timeout=1.5, max_retries=0))
        started = time.monotonic()
        with pytest.raises(EndpointError, match="no answer within 1.5 s"):
            client.complete([{"role": "user", "content": "x"}], {"type": "object"}, "ner_answer", Decoding())
        assert time.monotonic() - started < 2.5
    finally:
        stop.set()


def test_ctrl_c_during_eval_returns_at_once_and_keeps_the_cache(tmp_path):
    """Ctrl-C took up to --timeout x (retries + 1): the pool waited for answers in flight."""
    from bench.systems.llm.cache import PredictionCache

    cache = tmp_path / "cache"
    env = {k: v for k, v in os.environ.items() if k not in ("BENCH_API_KEY", "OPENAI_API_KEY")}
    env["BENCH_CACHE_DIR"] = str(cache)
    with FakeServer() as server:
        server.faults = [Fault(), Fault(), Fault()] + [Fault(delay=60)] * 200
        args = ["eval", f"openai:m@{server.url}", "--task", "ner", "--window", "paragraph", "--concurrency", "3", "--timeout", "100"]
        child = subprocess.Popen([sys.executable, "-m", "bench", *args], cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            deadline = time.monotonic() + 60
            while len(server.requests) < 6 and time.monotonic() < deadline:  # 3 answered, 3 hanging in flight
                time.sleep(0.05)
            assert len(server.requests) >= 6
            time.sleep(0.3)
            interrupted = time.monotonic()
            child.send_signal(signal.SIGINT)
            _, stderr = child.communicate(timeout=30)
            took = time.monotonic() - interrupted
        finally:
            child.kill()
        assert child.returncode == 130, stderr
        assert took < 2.0, took
        assert "Traceback" not in stderr and "interrupted" in stderr
        warnings: list[str] = []
        entries = PredictionCache(cache, warn=warnings.append).list()
        assert len(entries) == 3 and not warnings  # the answers that finished, each whole
        server.faults = []
        asked = len(server.requests)
        rerun = subprocess.run([sys.executable, "-m", "bench", *args], cwd=REPO, env=env, capture_output=True, text=True, timeout=300)
        assert rerun.returncode == 0, rerun.stderr
        windows = len(PredictionCache(cache).list())
        assert len(server.requests) - asked == windows - 3  # resumed: the 3 cached answers not asked again


# ---------------------------------------------------------------- 4. failures as lines, memory bounded


def test_bench_score_refuses_devices_and_fifos_before_reading(tmp_path):
    """`bench score /dev/zero` ended in MemoryError; a FIFO named x.json hung the leaderboard."""
    one_line(bench("score", "/dev/zero", timeout=60, limit_mb=800), 2, "/dev/zero", "character device")
    fifo = tmp_path / "p.jsonl"
    os.mkfifo(fifo)
    one_line(bench("score", str(fifo), timeout=60), 2, "a FIFO")
    board = tmp_path / "results"
    board.mkdir()
    shutil.copy(REPO / "results" / "rules.json", board / "rules.json")
    os.mkfifo(board / "x.json")
    one_line(bench("leaderboard", "--results", str(board), "--out", str(tmp_path / "lb.md"), timeout=60), 2, "x.json", "a FIFO")
    assert not (tmp_path / "lb.md").exists()


def test_a_fifo_in_a_tree_is_refused(tree_copy):
    article = tree_copy / "seeds" / f"{DOC}.txt"
    article.unlink()
    os.mkfifo(article)
    one_line(bench("eval", "rules", "--data", str(tree_copy), timeout=60), 2, f"{DOC}.txt", "a FIFO")
    one_line(bench("variants", "write", "--variants", "none", "--data", str(tree_copy), str(tree_copy / "out"), timeout=60), 2, "a FIFO")


def test_predictions_are_read_as_a_stream(tmp_path):
    """200 MB of newlines took 1.7 GB: now memory follows the longest line, not the file."""
    path = tmp_path / "newlines.jsonl"
    with path.open("wb") as handle:
        for _ in range(200):
            handle.write(b"\n" * (1 << 20))
        handle.write(b'{"doc_id": "nope"}\n')
    line = one_line(bench("score", str(path), limit_mb=700, timeout=120), 2, "unknown doc_id")
    assert f"{path}:{200 * (1 << 20) + 1}:" in line  # numbered as before


def test_a_line_longer_than_the_limit_is_refused_before_it_is_read_whole():
    from bench.errors import PredictionError
    from bench.harness.predictions import MAX_LINE_BYTES, _lines

    class Endless:
        served = 0

        def read(self, size: int) -> bytes:
            self.served += size
            return b"x" * size

    source = Endless()
    with pytest.raises(PredictionError, match="a line longer than 1,000,000 bytes"):
        list(_lines(source, Path("p.jsonl"), limit=1_000_000))
    assert source.served <= 3_000_000
    assert MAX_LINE_BYTES == 64 * 1024 * 1024


def test_line_numbers_follow_every_kind_of_line_break(tmp_path):
    import io

    from bench.harness.predictions import _lines

    data = b"a\r\n\r\nb\rc\n\n\nd"
    for chunk in (1, 2, 3, 1 << 20):
        import bench.harness.predictions as module

        old, module._CHUNK = module._CHUNK, chunk
        try:
            assert list(_lines(io.BytesIO(data), Path("p"))) == [(i, l) for i, l in enumerate(data.splitlines(), 1) if l]
        finally:
            module._CHUNK = old


def test_schema_validation_stops_at_a_records_first_error(tmp_path):
    """A 1.2 MB file of 100k schema errors took 4.8 GB and 36 s before the first was said."""
    path = tmp_path / "errors.jsonl"
    path.write_text(json.dumps({"doc_id": DOC, "ner": [{"label": 1}] * 100_000}) + "\n")
    assert 1_000_000 < path.stat().st_size < 1_500_000
    started = time.monotonic()
    one_line(bench("score", str(path), limit_mb=700, timeout=120), 2, f"{path}:1: ner[0]")
    assert time.monotonic() - started < 30


def test_results_files_share_one_size_bound_between_writer_and_readers(tmp_path, monkeypatch):
    """`bench eval` wrote an 85 MB results file that `compare` refused."""
    from bench.errors import ResultsError
    from bench.results import record

    payload = json.loads((REPO / "results" / "rules.json").read_text())
    size = len((json.dumps(payload, indent=2, ensure_ascii=False) + "\n").encode())
    monkeypatch.setattr(record, "MAX_RESULTS_BYTES", size - 1)
    target = tmp_path / "r.json"
    with pytest.raises(OutputError, match="more than the"):
        record.write_json_atomic(target, payload)
    assert not target.exists()
    shutil.copy(REPO / "results" / "rules.json", target)
    with pytest.raises(ResultsError, match="larger than"):
        record.read_raw_record(target)
    monkeypatch.setattr(record, "MAX_RESULTS_BYTES", size)
    record.write_json_atomic(target, payload)
    assert record.read_raw_record(target)["system"]["name"] == payload["system"]["name"]


def test_a_systems_name_and_version_are_checked_as_strings_when_it_loads(tmp_path):
    """A user system whose name was a number gave a results file its readers refused."""
    (tmp_path / "oddsystems.py").write_text(
        "from bench.systems.simple import EmptySystem\n"
        "from bench.tasks import all_tasks\n"
        "def numbered():\n    s = EmptySystem(all_tasks()); s.name = 42; return s\n"
        "def unversioned():\n    s = EmptySystem(all_tasks()); s.version = None; return s\n"
    )
    env = {"PYTHONPATH": f"{tmp_path}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"}
    out = tmp_path / "r.json"
    one_line(bench("eval", "oddsystems:numbered", "--out", str(out), env=env), 2, "its name must be a non-empty string, not int")
    one_line(bench("eval", "oddsystems:unversioned", "--out", str(out), env=env), 2, "its version must be a non-empty string, not NoneType")
    assert not out.exists()


def test_eval_and_score_refuse_gold_that_validate_fails(tree_copy, tmp_path):
    """Gold offsets past the text: `bench validate` failed, `bench eval`/`score` exited 0."""
    path = tree_copy / "gold" / "ner" / f"{DOC}.json"
    raw = json.loads(path.read_text())
    raw["mentions"][0]["end"] = 10**6
    path.write_text(json.dumps(raw))
    assert bench("validate", str(tree_copy)).returncode == 1
    out = tmp_path / "r.json"
    one_line(bench("eval", "oracle", "--data", str(tree_copy), "--out", str(out)), 2, "out of range", "bench validate")
    one_line(bench("score", str(PREDICTIONS), "--data", str(tree_copy), "--out", str(out)), 2, "out of range")
    assert not out.exists()


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


def test_a_full_disk_is_one_line_and_leaves_every_old_file(tmpfs, tmp_path):
    disk = tmpfs("full", "8m")
    export = disk / "export"
    assert bench("export", "--format", "jsonl", str(export)).returncode == 0
    before = {p.name: p.read_bytes() for p in export.iterdir()}
    old = {name: disk / name for name in ("r.json", "lb.md", "r.html")}
    for path in old.values():
        path.write_text("the old file\n")
    _fill(disk)
    one_line(bench("score", str(PREDICTIONS), "--out", str(old["r.json"]), "--force"), 2, "r.json", "the disk is full")
    one_line(bench("leaderboard", "--out", str(old["lb.md"])), 2, "lb.md", "the disk is full")
    one_line(bench("report", str(REPO / "results" / "oracle.json"), "--html", str(old["r.html"]), "--force"), 2, "r.html", "the disk is full")
    one_line(bench("export", "--format", "jsonl", str(export), "--force"), 2, "the disk is full")
    assert {p.name: p.read_bytes() for p in export.iterdir()} == before  # manifest.json included
    assert all(path.read_text() == "the old file\n" for path in old.values())
    assert not [p for p in disk.rglob(".*.tmp")]  # no temporary file left behind


def test_a_full_or_read_only_cache_folder_is_one_line(tmpfs):
    full, readonly = tmpfs("cache-full", "256k"), tmpfs("cache-ro", "256k")
    _fill(full)
    _read_only(readonly)
    with FakeServer() as server:
        for folder in (full, readonly / "cache"):
            result = bench("eval", f"openai:m@{server.url}", "--task", "ner", "--window", "paragraph", env={"BENCH_CACHE_DIR": str(folder)})
            one_line(result, 2, "cannot write")


def test_a_read_only_folder_is_one_line_and_leaves_the_old_file(tmpfs):
    folder = tmpfs("ro", "1m")
    old = folder / "r.json"
    old.write_text("the old file\n")
    _read_only(folder)
    one_line(bench("score", str(PREDICTIONS), "--out", str(old), "--force"), 2, "Read-only file system")
    one_line(bench("score", str(PREDICTIONS), "--out", str(folder / "new" / "r.json")), 2, "Read-only file system")
    one_line(bench("variants", "write", "--variants", "none", str(folder / "tree")), 2, "Read-only file system")
    one_line(bench("export", "--format", "conll", str(folder / "export")), 2, "Read-only file system")
    assert old.read_text() == "the old file\n"
