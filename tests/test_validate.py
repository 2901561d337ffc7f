"""`bench validate` passes on the landed gold and rejects each corruption precisely."""

import json


from bench.tasks.validate import validate_tree
from conftest import run_bench

DOC = "000_5cf36fedf2077db3"


def _edit(root, change, doc=DOC):
    path = root / "gold" / "ner" / f"{doc}.json"
    raw = json.loads(path.read_text(encoding="utf-8"))
    change(raw)
    path.write_text(json.dumps(raw, ensure_ascii=False, indent=1), encoding="utf-8")


def _messages(root):
    return [str(p) for p in validate_tree(root)]


def test_landed_gold_is_valid():
    result = run_bench("validate")
    assert result.returncode == 0, result.stderr
    assert "ok" in result.stdout


def test_shifted_offset(tree_copy):
    def shift(raw):
        raw["mentions"][3]["start"] += 1
        raw["mentions"][3]["end"] += 1

    _edit(tree_copy, shift)
    result = run_bench("validate", str(tree_copy))
    assert result.returncode == 1
    assert "gold/ner/000_5cf36fedf2077db3.json: mentions[3] (id 000-m004): text 'SYRIA' does not match the article at [85, 90), which reads 'YRIA '" in result.stderr
    assert "Traceback" not in result.stderr


def test_wrong_span_text(tree_copy):
    def retext(raw):
        raw["mentions"][0]["text"] = "Asad"

    _edit(tree_copy, retext)
    msgs = _messages(tree_copy)
    assert any("mentions[0] (id 000-m001): text 'Asad' does not match the article at" in m and "which reads 'Assad'" in m for m in msgs), msgs


def test_unknown_label(tree_copy):
    def relabel(raw):
        raw["entities"][0]["label"] = "PERSON"

    _edit(tree_copy, relabel)
    msgs = _messages(tree_copy)
    assert any("entities[0] (id bashar_al_assad).label: schema: 'PERSON' is not one of" in m for m in msgs), msgs


def test_duplicate_mention_id(tree_copy):
    def dup(raw):
        raw["mentions"][5]["id"] = raw["mentions"][4]["id"]

    _edit(tree_copy, dup)
    msgs = _messages(tree_copy)
    assert any("mentions[5] (id 000-m005): duplicate mention id" in m for m in msgs), msgs


def test_duplicate_entity_id(tree_copy):
    def dup(raw):
        raw["entities"].append(dict(raw["entities"][0]))

    _edit(tree_copy, dup)
    assert any("(id bashar_al_assad): duplicate entity id" in m for m in _messages(tree_copy))


def test_dangling_entity_reference(tree_copy):
    def dangle(raw):
        raw["mentions"][0]["entity"] = "nobody"

    _edit(tree_copy, dangle)
    assert any("entity 'nobody' is not an entity record in this file" in m for m in _messages(tree_copy))


def test_token_misaligned_span(tree_copy):
    def cut(raw):
        m = raw["mentions"][0]  # "Assad" in "Pro-Assad"
        m["end"] -= 1
        m["text"] = m["text"][:-1]

    _edit(tree_copy, cut)
    assert any("does not start and end on token boundaries" in m for m in _messages(tree_copy))


def test_inconsistent_entity_across_documents(tree_copy):
    def rename(raw):
        for e in raw["entities"]:
            if e["id"] == "hts":
                e["name"] = "HTS"

    _edit(tree_copy, rename)
    msgs = _messages(tree_copy)
    assert any("(id hts): is 'Hayat Tahrir al-Sham' ORG, but gold/ner/000_5cf36fedf2077db3.json has 'HTS' ORG: one id, one entity" in m for m in msgs), msgs


def test_changed_gold_needs_a_version_bump(tree_copy):
    def drop(raw):
        raw["mentions"].pop()
        raw["entities"] = [e for e in raw["entities"] if any(m["entity"] == e["id"] for m in raw["mentions"])]

    _edit(tree_copy, drop)
    msgs = _messages(tree_copy)
    assert len(msgs) == 1 and "gold content changed" in msgs[0] and "bump gold_version" in msgs[0], msgs


def test_seed_hash_is_checked(tree_copy):
    path = tree_copy / "seeds" / f"{DOC}.txt"
    path.write_bytes(path.read_bytes().replace(b"Tartous", b"Tartus"))
    msgs = _messages(tree_copy)
    assert msgs and "sha256 is" in msgs[0] and "articles.json records" in msgs[0]


def test_not_a_tree(tmp_path):
    result = run_bench("validate", str(tmp_path))
    assert result.returncode == 2 and "not a benchmark tree" in result.stderr


def test_gold_readme_shows_the_package_schemas():
    import re

    from bench.documents import data_root
    from bench.cli.data import schemas

    readme = (data_root() / "gold" / "README.md").read_text(encoding="utf-8")
    for name, schema in schemas().items():
        match = re.search(rf"### Schema: {name}\n.*?```json\n(.*?)\n```", readme, re.S)
        assert match, f"gold/README.md lacks the {name} schema"
        assert json.loads(match.group(1)) == schema()
