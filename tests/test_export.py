"""`bench export` and `bench.load_dataset`: every format read back gives the gold exactly.

Each export is written by the CLI (offline: the Hugging Face hub is switched off), read
back with the format's own reader (`datasets.load_from_disk`, the CoNLL columns parsed
here, `json`), and compared with the gold files read directly: NER spans decoded from the
IOB2 tags and the exported offsets equal the gold mentions (start, end, label); casualty,
non-casualty and attribution rows equal the gold records field for field.
"""

import json
import os
import sys
from unittest import mock

import pytest

from bench.documents import data_root, tokenize
from bench.tasks.ner.export import TAG_NAMES as NER_TAG_NAMES
from conftest import require_stack, run_bench

OFFLINE = {"HF_HUB_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
RECORDS = {"casualties": ("casualties", "figures"), "non_casualty": ("casualties", "non_casualty"), "attribution": ("attribution", "relations")}


# --- the gold, read straight from the files -------------------------------------------------


def _gold_files(task):
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted((data_root() / "gold" / task).glob("*.json"))]


def gold_spans():
    spans = []
    for raw in _gold_files("ner"):
        labels = {e["id"]: e["label"] for e in raw["entities"]}
        spans += [(raw["doc_id"], m["start"], m["end"], labels[m["entity"]]) for m in raw["mentions"]]
    return sorted(spans)


def gold_records(config):
    task, key = RECORDS[config]
    return [record for raw in _gold_files(task) for record in raw[key]]


def texts():
    root = data_root()
    return {p.stem: p.read_bytes().decode("utf-8") for p in sorted((root / "seeds").glob("*.txt"))}


# --- decoding what an export holds ----------------------------------------------------------


def spans_from_iob2(doc_id, tags, starts, ends):
    """Strict IOB2: B-X opens, I-X continues an open X; any other I- is an error."""
    spans, open_at, label = [], None, None
    for k, tag in enumerate([*tags, "O"]):
        if tag.startswith("I-") and open_at is not None and tag[2:] == label:
            continue
        if open_at is not None:
            spans.append((doc_id, starts[open_at], ends[k - 1], label))
            open_at = None
        if tag.startswith("B-"):
            open_at, label = k, tag[2:]
        else:
            assert tag == "O", f"invalid IOB2 tag {tag!r} in {doc_id}"
    return spans


def ner_spans(rows, text_of):
    spans = []
    for row in rows:
        assert len(row["tokens"]) == len(row["ner_tags"]) == len(row["token_starts"]) == len(row["token_ends"])
        text = text_of[row["doc_id"]]
        assert [text[s:e] for s, e in zip(row["token_starts"], row["token_ends"])] == row["tokens"]
        assert text[row["start"] : row["end"]] == row["text"]
        spans += spans_from_iob2(row["doc_id"], row["ner_tags"], row["token_starts"], row["token_ends"])
    return sorted(spans)


def as_gold_record(row):
    record = {k: v for k, v in row.items() if k not in ("doc_id", "sentence")}
    if record.get("note", "absent") is None:
        del record["note"]
    return record


def check_round_trip(rows, text_of):
    """Everything an export must give back: spans, mentions, records, texts."""
    assert ner_spans(rows["ner"], text_of) == gold_spans()
    mentions = sorted((r["doc_id"], m["start"], m["end"], m["label"]) for r in rows["ner"] for m in r["mentions"])
    assert mentions == gold_spans()
    for config in RECORDS:
        assert [as_gold_record(r) for r in rows[config]] == gold_records(config), config
    assert {r["doc_id"]: r["text"] for r in rows["documents"]} == text_of


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    """Export in each format once, through the CLI, with the hub switched off."""

    def run(fmt):
        out = tmp_path_factory.mktemp(fmt) / "export"
        with mock.patch.dict(os.environ, OFFLINE):
            result = run_bench("export", "--format", fmt, str(out))
        assert result.returncode == 0, result.stderr
        return out

    return run


def read_jsonl(out):
    return {p.stem: [json.loads(line) for line in p.read_text(encoding="utf-8").splitlines()] for p in out.glob("*.jsonl")}


# --- the round trips ------------------------------------------------------------------------


def test_jsonl_round_trips_to_the_gold(exported):
    out = exported("jsonl")
    rows = read_jsonl(out)
    assert set(rows) == {"documents", "ner", "casualties", "non_casualty", "attribution"}
    check_round_trip(rows, texts())
    manifest = json.loads((out / "manifest.json").read_text())
    assert {c: v["rows"] for c, v in manifest["configurations"].items()} == {c: len(r) for c, r in rows.items()}
    assert manifest["ner_tags"] == list(NER_TAG_NAMES) and manifest["split"] == "test"


def test_hf_round_trips_to_the_gold(exported):
    require_stack("hf")
    import datasets

    out = exported("hf")
    rows = {}
    for config in ("documents", "ner", "casualties", "non_casualty", "attribution"):
        loaded = datasets.load_from_disk(str(out / config))
        assert list(loaded) == ["test"]
        rows[config] = loaded["test"].to_list()
    names = datasets.load_from_disk(str(out / "ner"))["test"].features["ner_tags"].feature.names
    assert names == list(NER_TAG_NAMES)
    for row in rows["ner"]:
        row["ner_tags"] = [names[i] for i in row["ner_tags"]]
    check_round_trip(rows, texts())
    # the two formats hold the same rows
    assert rows == read_jsonl(exported("jsonl"))


def parse_conll(path):
    """CoNLL-2003 columns -> documents -> sentences -> (token, NER tag); checks the layout."""
    documents = []
    sentence = []
    for number, line in enumerate(path.read_text(encoding="utf-8").split("\n"), start=1):
        if not line:
            if sentence:
                documents[-1].append(sentence)
                sentence = []
            continue
        columns = line.split(" ")
        assert len(columns) == 4, f"line {number}: {line!r}"
        token, pos, chunk, tag = columns
        assert (pos, chunk) == ("-X-", "-X-"), f"line {number}"
        if token == "-DOCSTART-":
            assert tag == "O" and not sentence
            documents.append([])
        else:
            sentence.append((token, tag))
    assert not sentence, "the file must end with a blank line"
    return documents


def test_conll_round_trips_ner(exported):
    out = exported("conll")
    assert sorted(p.name for p in out.iterdir()) == ["manifest.json", "ner.conll"]
    order = json.loads((out / "manifest.json").read_text())["documents"]
    documents = parse_conll(out / "ner.conll")
    text_of = texts()
    assert len(documents) == len(order) == len(text_of)
    spans = []
    for doc_id, sentences in zip(order, documents):
        tokens = tokenize(text_of[doc_id])  # the tokens, in order, give back the offsets
        flat = [pair for sentence in sentences for pair in sentence]
        assert [token for token, _ in flat] == [t.text for t in tokens]
        k = 0
        for sentence in sentences:  # decoded per sentence: an entity never runs over a blank line
            window = tokens[k : k + len(sentence)]
            spans += spans_from_iob2(doc_id, [tag for _, tag in sentence], [t.start for t in window], [t.end for t in window])
            k += len(sentence)
    assert sorted(spans) == gold_spans()


def test_round_trip_check_can_fail(exported):
    rows = read_jsonl(exported("jsonl"))
    text_of = texts()
    row = next(r for r in rows["ner"] if "B-PER" in r["ner_tags"])
    k = row["ner_tags"].index("B-PER")
    row["ner_tags"][k] = "B-ORG"  # one wrong label
    with pytest.raises(AssertionError):
        check_round_trip(rows, text_of)
    row["ner_tags"][k] = "B-PER"
    rows["attribution"][3]["parent"] = "000-a99"  # one wrong nesting link
    with pytest.raises(AssertionError):
        check_round_trip(rows, text_of)


# --- load_dataset ---------------------------------------------------------------------------


def test_load_dataset_is_shaped_like_conll2003():
    require_stack("hf")
    import datasets

    import bench

    ner = bench.load_dataset("ner")
    assert isinstance(ner, datasets.DatasetDict) and list(ner) == ["test"]
    features = ner["test"].features
    assert features["tokens"] == datasets.Sequence(datasets.Value("string"))
    assert features["ner_tags"] == datasets.Sequence(datasets.ClassLabel(names=list(NER_TAG_NAMES)))
    assert features["ner_tags"].feature.names[0] == "O" and len(NER_TAG_NAMES) == 15
    assert ner["test"].num_rows == 54 and len(set(ner["test"]["id"])) == 54
    casualties = bench.load_dataset("casualties")["test"]
    assert casualties.num_rows == 10 and casualties[0]["quantity"]["text"] == "Dozens"
    attribution = bench.load_dataset("attribution")["test"]
    assert attribution.num_rows == 39 and sum(p is not None for p in attribution["parent"]) == 9


def test_load_dataset_unknown_name_and_missing_datasets_are_one_line(monkeypatch):
    import bench
    from bench.errors import BenchError

    with pytest.raises(BenchError, match="unknown configuration 'nerr'"):
        bench.load_dataset("nerr")
    monkeypatch.setitem(sys.modules, "datasets", None)  # as if not installed
    with pytest.raises(BenchError) as caught:
        bench.load_dataset("ner")
    assert "pip install torch==2.13.0 && pip install '.[hf]'" in caught.value.message and "\n" not in caught.value.message


def test_import_bench_loads_no_datasets():
    import subprocess

    probe = "import sys, bench, bench.cli; bench.load_dataset; print([m for m in ('datasets', 'torch', 'transformers') if m in sys.modules])"
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


# --- the command's refusals -----------------------------------------------------------------


def _one_line_error(result):
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("bench: error:"), result.stderr
    return lines[0]


def test_export_never_overwrites_without_force(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("mine")
    assert "not empty" in _one_line_error(run_bench("export", "--format", "jsonl", str(out)))
    assert sorted(p.name for p in out.iterdir()) == ["keep.txt"]
    (out / "ner.jsonl").write_text("stale\n")
    result = run_bench("export", "--format", "jsonl", "--task", "ner", "--force", str(out))
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["documents.jsonl", "keep.txt", "manifest.json", "ner.jsonl"]
    assert (out / "keep.txt").read_text() == "mine" and "stale" not in (out / "ner.jsonl").read_text()


def test_export_bad_input_is_one_line(tmp_path):
    out = tmp_path / "out"
    assert "holds token tags only (ner), not casualties" in _one_line_error(run_bench("export", "--format", "conll", "--task", "casualties", str(out)))
    assert "unknown export format 'xml'" in _one_line_error(run_bench("export", "--format", "xml", str(out)))
    assert "unknown task 'nerr'" in _one_line_error(run_bench("export", "--task", "nerr", str(out)))
    assert not out.exists()


# --- the dataset card -----------------------------------------------------------------------

CONFIGS = ("documents", "ner", "casualties", "non_casualty", "attribution")


def _card(out):
    import yaml

    text = (out / "README.md").read_text(encoding="utf-8")
    assert text.startswith("---\n")
    _, front, body = text.split("---\n", 2)
    return yaml.safe_load(front), body


def _section(text, heading, level="##"):
    marker = f"{level} {heading}\n"
    assert marker in text, heading
    return text.split(marker, 1)[1].split(f"\n{level} ", 1)[0].split("\n## ", 1)[0].strip("\n")


def test_hf_export_loads_with_load_dataset_offline(exported, tmp_path):
    """`datasets.load_dataset(DIR, CONFIG)` reads the export through the card's configs: block,
    with the hub switched off, and gives what `load_from_disk` gives."""
    require_stack("hf")
    import subprocess

    out = exported("hf")
    probe = (
        "import datasets, json, sys; out, cache = sys.argv[1], sys.argv[2]; rows = {}\n"
        f"for config in {CONFIGS!r}:\n"
        "    loaded = datasets.load_dataset(out, config, cache_dir=cache)\n"
        "    disk = datasets.load_from_disk(out + '/' + config)\n"
        "    assert list(loaded) == ['test'] and loaded['test'].features == disk['test'].features, config\n"
        "    assert loaded['test'].to_list() == disk['test'].to_list(), config\n"
        "    rows[config] = loaded['test'].num_rows\n"
        "print(json.dumps(rows))"
    )
    env = {**os.environ, **OFFLINE, "HF_HOME": str(tmp_path / "hf-home")}
    result = subprocess.run([sys.executable, "-c", probe, str(out), str(tmp_path / "cache")], capture_output=True, text=True, env=env, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    rows = json.loads(result.stdout.strip().splitlines()[-1])
    manifest = json.loads((out / "manifest.json").read_text())
    assert rows == {c: v["rows"] for c, v in manifest["configurations"].items()}
    assert all(v["data_file"] == f"data/{c}/test.parquet" for c, v in manifest["configurations"].items()) and manifest["card"] == "README.md"


def test_the_card_has_its_metadata_and_sections(exported):
    require_stack("hf")
    out = exported("hf")
    front, body = _card(out)
    assert [c["config_name"] for c in front["configs"]] == list(CONFIGS)
    assert all(c["data_files"] == [{"split": "test", "path": f"data/{c['config_name']}/test.parquet"}] for c in front["configs"])
    assert front["language"] == ["en"] and front["license"] == "other" and "MIT" in front["license_details"]
    assert "named-entity-recognition" in front["task_ids"] and front["size_categories"] == ["n<1K"]
    sizes = {info["config_name"]: info["splits"][0]["num_examples"] for info in front["dataset_info"]}
    assert sizes == {"documents": 2, "ner": 54, "casualties": 10, "non_casualty": 15, "attribution": 39}
    for heading in ("Dataset description", "Tasks", "Configurations and sizes", "Loading", "Source articles", "Annotation process",
                    "Agreement", "Sensitive content", "Known limitations", "Licence", "Citation"):
        assert f"\n## {heading}\n" in body, heading
    labels = _section(body, "Tasks")
    for label in ("`PER`", "`EVENT`", "`lower_bound`", "`kidnapped`", "`state_forces`", "`crowd_size`", "`unnamed_group`", "`mixed`"):
        assert label in labels, label
    assert "article texts" in _section(body, "Licence") and "publishers" in _section(body, "Licence")
    assert "@misc{" in _section(body, "Citation")


def test_the_cards_agreement_figures_are_gold_readmes(exported):
    """Quoted, never retyped: each task's agreement section is gold/README.md's, word for word and figure for figure."""
    import re

    require_stack("hf")
    from bench.tasks.registry import all_tasks

    readme = (data_root() / "gold" / "README.md").read_text(encoding="utf-8")
    _, body = _card(exported("hf"))
    agreement = _section(body, "Agreement")
    headings = [task.card.agreement for task in all_tasks() if getattr(task, "card", None)]
    assert len(headings) == 3
    for heading in headings:
        quoted = _section(agreement, heading, "###")
        original = _section(readme, heading)
        assert quoted == original, heading
        figures = re.findall(r"\d+(?:\.\d+)?", original)
        assert figures and re.findall(r"\d+(?:\.\d+)?", quoted) == figures


def test_a_jsonl_export_over_an_hf_one_removes_its_card(tmp_path):
    require_stack("hf")
    out = tmp_path / "out"
    with mock.patch.dict(os.environ, OFFLINE):
        assert run_bench("export", "--format", "hf", "--task", "ner", str(out)).returncode == 0
        assert (out / "README.md").is_file() and (out / "data" / "ner" / "test.parquet").is_file()
        assert not (out / "data" / "casualties").exists()
        result = run_bench("export", "--format", "jsonl", "--force", str(out))
    assert result.returncode == 0, result.stderr
    assert not (out / "README.md").exists() and not (out / "data").exists()


def test_datasheet_and_licence_notes():
    """docs/datasheet.md answers each part of Gebru et al.'s datasheet, sensitive content
    included; the licence note (annotations MIT, texts their publishers') is in the card, the
    datasheet and gold/README.md, and the licence is the project's."""
    import tomllib

    from bench.about import LICENCE
    from bench.export.card import LICENCE_NOTE, SENSITIVE
    from conftest import REPO

    assert tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["license"]["text"] == LICENCE == "MIT"
    sheet = (REPO / "docs" / "datasheet.md").read_text(encoding="utf-8")
    for part in ("Motivation", "Composition", "Collection process", "Preprocessing, cleaning, labelling", "Uses", "Distribution", "Maintenance"):
        assert f"\n## {part}\n" in sheet, part
    for topic in ("real people", "religious, ethnic and political groups", "killings"):
        assert topic in sheet.replace("Real people", "real people"), topic
    licence = (data_root() / "gold" / "README.md").read_text(encoding="utf-8").split("\n## Licence\n", 1)[1].split("\n## ", 1)[0]
    for text in (LICENCE_NOTE, _section(sheet, "Distribution"), licence):
        assert "MIT" in text and "publishers" in text and "copyright" in text
    assert "real people" in SENSITIVE and "groups" in SENSITIVE
