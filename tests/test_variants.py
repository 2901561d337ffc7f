"""Counterfactual variants: valid trees whose gold follows every edit, with no original
name left, the original's sentences, identity and determinism; the inventory's rules;
the paired gap; and the commands (`bench eval --variants`, `bench variants write`,
`bench compare`, the leaderboard's robustness table)."""

from __future__ import annotations

import json
import re
import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from conftest import REPO, run_bench
from bench.documents.corpus import load_corpus
from bench.documents.tokenize import split_sentences
from bench.harness.run import score_predictions
from bench.systems.simple import EmptySystem, OracleSystem
from bench.tasks import all_tasks
from bench.tasks.casualties.conventions import read_quantity
from bench.tasks.validate import validate_tree
from bench.documents.edits import Edit, EditError, apply_edits
from bench.variants.inventory import acronym, draw, load_inventory
from bench.variants.tree import Family, build_variant

FAMILIES = [Family.NAMES, Family.NUMBERS, Family.NAMES_NUMBERS]
ORIGINAL = load_corpus(REPO)
DOC_IDS = sorted(ORIGINAL)


def _gold(tree, task, doc_id):
    return json.loads(tree.files[f"gold/{task}/{doc_id}.json"])


def _original_gold(task, doc_id):
    return json.loads((REPO / "gold" / task / f"{doc_id}.json").read_text(encoding="utf-8"))


def _headlines(corpus, system):
    tasks = all_tasks()
    gold = {t.name: t.load_gold(corpus.root, corpus) for t in tasks}
    predictions = {p.doc_id: p for p in system(tasks, gold).predict(list(corpus.values()))}
    scores = score_predictions(corpus, tasks, gold, predictions, {d: d for d in corpus}, {})
    out = {}
    for t in tasks:
        view = {"view": "gold"} if t.name == "ner" else {}
        out[t.name] = scores[t.name].row(t.headline, label=None, **view).value
    return out


# --- the trees -------------------------------------------------------------------------

@pytest.mark.parametrize("family", FAMILIES, ids=lambda f: f.value)
def test_twenty_seeds_validate_and_bound_by_oracle_and_empty(family, tmp_path):
    for seed in range(20):
        folder = tmp_path / f"{seed}"
        build_variant(REPO, family, seed).write(folder)
        assert validate_tree(folder) == [], (family, seed)
        corpus = load_corpus(folder)
        assert _headlines(corpus, OracleSystem) == {"ner": 1.0, "casualties": 1.0, "attribution": 1.0}, (family, seed)
        assert _headlines(corpus, lambda tasks, gold: EmptySystem(tasks)) == {"ner": 0.0, "casualties": 0.0, "attribution": 0.0}


def _original_surfaces() -> set[str]:
    """Every string the original gold or the originals table uses for a name: annotated
    mention texts and every listed form, as written and in upper case."""
    forms = {m["text"] for d in DOC_IDS for m in _original_gold("ner", d)["mentions"]}
    for original in load_inventory().originals.values():
        forms |= set(original.forms) | {f.upper() for f in original.forms}
    return forms


@pytest.mark.parametrize("family", [Family.NAMES, Family.NAMES_NUMBERS], ids=lambda f: f.value)
def test_no_original_surface_form_survives_anywhere(family):
    forms = _original_surfaces()
    assert {"Assad", "assad", "SYRIA", "HTS", "SOHR", "SANA", "Alawites", "Syrian Arab Army", "Abu Mohammed al-Julani"} <= forms
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, sorted(forms, key=len, reverse=True))) + r")(?!\w)")
    for seed in range(20):
        tree = build_variant(REPO, family, seed)
        for doc_id in DOC_IDS:
            text = tree.files[f"seeds/{doc_id}.txt"].decode()
            assert pattern.findall(text) == [], (seed, doc_id)
        meta = json.loads(tree.files["seeds/articles.json"])["articles"]
        assert all(pattern.findall(m["headline"] + " " + (m["byline"] or "")) == [] for m in meta)


def test_names_are_consistent_across_articles_and_keep_case_and_ids():
    tree = build_variant(REPO, Family.NAMES, 7)
    new = draw(7)
    for doc_id in DOC_IDS:
        before, after = _original_gold("ner", doc_id), _gold(tree, "ner", doc_id)
        assert [e["id"] for e in before["entities"]] == [e["id"] for e in after["entities"]]
        for old, m in zip(before["mentions"], after["mentions"]):
            assert (old["id"], old["entity"]) == (m["id"], m["entity"])
            if old["text"].isupper() and len(old["text"]) > 4:  # "TARTUS", "SYRIA"
                assert m["text"] == m["text"].upper()
            text = ORIGINAL[doc_id].text
            line = text[text.rfind("\n", 0, old["start"]) + 1 : text.find("\n", old["start"])]
            if line.islower():  # the lower-case headline copy
                assert m["text"] == m["text"].lower()
    text = tree.files[f"seeds/{DOC_IDS[0]}.txt"].decode()
    assert f"{new['hts'].form('acronym')}-led" in text and f"Pro-{new['bashar_al_assad'].form('short')}" in text
    assert f"{new['bashar_al_assad'].form('short')}’s" in text  # the possessive
    assert f"{new['syria'].form('name').upper()} - MARCH 7" in text
    names = {e["id"]: e["name"] for d in DOC_IDS for e in _gold(tree, "ner", d)["entities"]}
    both = {e["id"] for e in _gold(tree, "ner", DOC_IDS[0])["entities"]} & {e["id"] for e in _gold(tree, "ner", DOC_IDS[1])["entities"]}
    for eid in both:
        assert len({e["name"] for d in DOC_IDS for e in _gold(tree, "ner", d)["entities"] if e["id"] == eid}) == 1
    assert names["syria_mod"].endswith(f"({new['syria'].form('name')})")


def test_derived_names_follow_their_country():
    """'Syrian' in 'Syrian Arab Army' and 'Syria' in the Military Council's name: the whole
    name is replaced, by a candidate that names the variant's country."""
    for seed in range(10):
        new = draw(seed)
        country, adjective = new["syria"].form("name"), new["syria"].form("adjective")
        assert new["syrians"].form("plural") == new["syria"].form("plural")
        assert adjective in new["syrian_arab_army"].form("name")
        assert country in new["mclsyria"].form("name")
        assert new["al_qaeda_in_syria"].form("name") == f"{new['al_qaeda'].form('name')} in {country}"


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10**6), family=st.sampled_from(FAMILIES))
def test_spans_read_the_new_text_and_sentences_match(seed, family):
    tree = build_variant(REPO, family, seed)
    for doc_id in DOC_IDS:
        text = tree.files[f"seeds/{doc_id}.txt"].decode()
        new_sentences = split_sentences(text)
        assert len(new_sentences) == len(ORIGINAL[doc_id].sentences)
        starts = [s.start for s in new_sentences]
        for task in ("ner", "casualties", "attribution"):
            stack = [_gold(tree, task, doc_id)]
            while stack:
                node = stack.pop()
                if isinstance(node, dict):
                    if isinstance(node.get("start"), int):
                        assert text[node["start"] : node["end"]] == node["text"]
                    stack += node.values()
                elif isinstance(node, list):
                    stack += node
        old = ORIGINAL[doc_id]
        for before, after in zip(_original_gold("ner", doc_id)["mentions"], _gold(tree, "ner", doc_id)["mentions"]):
            index = old.sentence_at(before["start"]).index
            assert starts[index] <= after["start"] and (index + 1 == len(starts) or after["end"] <= starts[index + 1])


def test_identity_is_byte_for_byte(tmp_path):
    tree = build_variant(REPO, Family.NONE, 3)
    tree.write(tmp_path)
    for path, data in tree.files.items():
        assert (REPO / path).read_bytes() == data == (tmp_path / path).read_bytes(), path
    assert len([p for p in tree.files if p.startswith("gold/") and p.endswith(".json")]) == 3 * len(DOC_IDS) + 1


@pytest.mark.parametrize("family", FAMILIES, ids=lambda f: f.value)
def test_the_same_seed_gives_the_same_bytes(family):
    assert build_variant(REPO, family, 11).files == build_variant(REPO, family, 11).files
    assert build_variant(REPO, family, 11).files != build_variant(REPO, family, 12).files


# --- numbers ---------------------------------------------------------------------------

def test_numbers_resample_figures_only_and_keep_their_shape():
    for seed in range(20):
        tree = build_variant(REPO, Family.NUMBERS, seed)
        for doc_id in DOC_IDS:
            before, after = _original_gold("casualties", doc_id), _gold(tree, "casualties", doc_id)
            assert [n["text"] for n in before["non_casualty"]] == [n["text"] for n in after["non_casualty"]]
            by_phrase: dict[str, set[str]] = {}
            for old, new in zip(before["figures"], after["figures"]):
                q, o = new["quantity"], old["quantity"]
                assert q["text"] != o["text"] or read_quantity(o["text"]) is None
                assert re.sub(r"\d", "0", q["text"]) == re.sub(r"\d", "0", o["text"]) or not any(c.isdigit() for c in o["text"])
                assert q["text"][0].isupper() == o["text"][0].isupper()
                read = read_quantity(q["text"]).bounds
                assert (q["kind"], q["low"], q["high"], q["point"]) == (read.kind.value, read.low, read.high, read.point)
                by_phrase.setdefault(o["text"].casefold(), set()).add(q["text"].casefold())
            assert all(len(v) == 1 for v in by_phrase.values())  # repeats stay consistent
            text_before, text_after = ORIGINAL[doc_id].text, tree.files[f"seeds/{doc_id}.txt"].decode()
            assert re.sub(r"\d+", "#", text_before).count("#") == re.sub(r"\d+", "#", text_after).count("#")


def test_resampled_phrases_keep_their_shape():
    from bench.tasks.casualties.numbers import resample_phrase

    rng = random.Random(0)
    for _ in range(50):
        assert re.fullmatch(r"over [1-9]\d", resample_phrase("over 70", rng))
        assert re.fullmatch(r"[1-9],\d{3}", resample_phrase("1,200", rng))
        word = resample_phrase("about thirteen", rng)
        assert word.startswith("about ") and word != "about thirteen" and read_quantity(word).bounds.kind.value == "approx"
        assert resample_phrase("Dozens", rng) in {"tens", "hundreds", "thousands", "scores"}
        assert resample_phrase("a lot", rng) == "lots"
        assert resample_phrase("between 5 and 8", rng) == "between 5 and 8"


# --- edits -----------------------------------------------------------------------------

def test_offset_map_moves_offsets_and_refuses_a_boundary_inside_an_edit():
    text, offsets = apply_edits("the cat sat", [Edit(4, 7, "tiger")])
    assert text == "the tiger sat" and offsets.span(4, 7) == (4, 9) and offsets.span(8, 11) == (10, 13) and offsets(0) == 0
    with pytest.raises(EditError):
        offsets(5)
    with pytest.raises(EditError):
        apply_edits("abc", [Edit(0, 2, "x"), Edit(1, 3, "y")])


@given(st.data())
def test_untouched_text_keeps_its_characters_under_random_edits(data):
    text = data.draw(st.text(alphabet="abc ", min_size=1, max_size=60))
    cuts = sorted(set(data.draw(st.lists(st.integers(0, len(text)), max_size=8))))
    edits = [Edit(a, b, data.draw(st.text(alphabet="XYZ", max_size=5))) for a, b in zip(cuts[::2], cuts[1::2])]
    new, offsets = apply_edits(text, edits)
    for i in range(len(text)):
        if not any(e.start <= i < e.end for e in edits):
            assert new[offsets(i)] == text[i]
    assert len(new) == len(text) + sum(e.delta for e in edits)


# --- the inventory ---------------------------------------------------------------------

def test_inventory_rules():
    inventory = load_inventory()
    words = " ".join(ORIGINAL[d].text for d in DOC_IDS)
    needed: dict[str, int] = {}
    for original in inventory.originals.values():
        if original.kind:
            needed[original.kind] = needed.get(original.kind, 0) + 1
    seen: dict[str, str] = {}
    for kind, candidates in inventory.kinds.items():
        assert len(candidates) >= 2 * needed.get(kind, 1), kind
        for candidate in candidates:
            for role, form in candidate.items():
                plain = re.sub(r"\{\w+:\w+\}", "", form).strip()
                assert "." not in form and form[:1].isupper() or form.startswith("{"), form
                if plain and "{" not in form:
                    assert not re.search(rf"(?<!\w){re.escape(plain)}(?!\w)", words, flags=re.IGNORECASE), f"{form!r} is in an article"
                    assert seen.setdefault(form, kind) == kind or role != "name", f"{form!r} in {seen[form]} and {kind}"
    assert len(inventory.provenance) > 200 and inventory.version
    # Table and gold agree: every annotated mention text is a listed form of its entity.
    for doc_id in DOC_IDS:
        for m in _original_gold("ner", doc_id)["mentions"]:
            forms = inventory.originals[m["entity"]].forms
            assert m["text"] in forms or m["text"].lower() in {f.lower() for f in forms}, m


def test_drawn_replacements_are_distinct_unseen_and_safe_for_the_sentence_splitter():
    forms = _original_surfaces()
    words = " ".join(ORIGINAL[d].text for d in DOC_IDS)
    originals = load_inventory().originals
    for seed in range(50):
        new = draw(seed)
        names = [r.form("name") for r in new.values()]
        assert len(set(names)) == len(names), seed
        for r in new.values():
            for role in ("name", "short", "acronym", "alias", "adjective", "plural"):
                form = r.form(role)
                assert form not in forms and "." not in form and "\n" not in form and form[:1].isupper(), (seed, r.entity, form)
            if "acronym" not in originals[r.entity].forms.values():
                continue
            assert len(r.form("acronym")) >= 2
            assert not re.search(rf"(?<!\w){re.escape(r.form('acronym'))}(?!\w)", words), (seed, r.form("acronym"))
    assert acronym("Supreme Council for the Salvation of Moldova") == "SCSM"


# --- the summary and the commands ------------------------------------------------------

def test_eval_on_variants_writes_records_and_a_zero_gap_for_the_oracle(tmp_path):
    out = tmp_path / "oracle"
    result = run_bench("eval", "oracle", "--variants", "names+numbers", "--seeds", "2", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "gap" in result.stdout and "no task's gap is significant" in result.stdout
    files = sorted(p.name for p in out.iterdir())
    assert files == ["names+numbers-seed1.json", "names+numbers-seed2.json", "original.json", "summary.json"]
    record = json.loads((out / "names+numbers-seed2.json").read_text())
    original = json.loads((out / "original.json").read_text())
    assert record["variant"]["family"] == "names+numbers" and record["variant"]["seed"] == 2
    assert record["variant"]["inventory_version"] == load_inventory().version
    assert record["variant"]["base_gold"]["ner"]["gold_sha256"] == original["tasks"]["ner"]["gold_sha256"] != record["tasks"]["ner"]["gold_sha256"]
    assert record["documents"] != original["documents"]
    summary = json.loads((out / "summary.json").read_text())
    assert all(t["gap"] == 0 and t["p_value"] == 1 and t["original"] == 1 for t in summary["tasks"])
    compared = run_bench("compare", str(out / "original.json"), str(out / "names+numbers-seed1.json"))
    assert compared.returncode == 0, compared.stderr
    refused = run_bench("eval", "oracle", "--variants", "names+numbers", "--seeds", "2", "--out", str(out))
    assert refused.returncode == 2 and "exists" in refused.stderr


def test_a_significant_drop_is_said_in_words():
    from bench.harness.metadata import RunInfo, SystemInfo, TaskHeader, VariantInfo
    from bench.results.record import RunRecord, MetricRow, UnitCounts
    from bench.results.robustness import summarise

    def record(tp_per_sentence, family, seed):
        units = tuple(UnitCounts("casualties", None, "d", i, tp, 1 - tp, 1 - tp) for i, tp in enumerate(tp_per_sentence))
        tp = sum(tp_per_sentence)
        n = len(tp_per_sentence)
        f1 = 2 * tp / (2 * tp + 2 * (n - tp)) if n else 1.0
        header = TaskHeader("1.0.0", "0" * 64, "1.0.0", "f1", 1)
        return RunRecord({}, SystemInfo("x", "x", "1"), {"casualties": header}, {}, {}, RunInfo(), (MetricRow("casualties", "f1", f1),), units,
                         variant=VariantInfo(family, seed, "t", "", ""))

    good = [1.0] * 30
    bad = [1.0 if i % 3 == 0 else 0.0 for i in range(30)]
    summary = summarise(record(good, "none", 0), [record(bad, "names", s) for s in (1, 2)])
    (row,) = summary.rows
    assert row.gap > 0.3 and row.significant and row.gap_low > 0
    assert "scores drop on unseen names: possible memorisation or reliance on known entities" in summary.verdicts()[0]
    same = summarise(record(good, "none", 0), [record(good, "names", 1)])
    assert same.rows[0].gap == 0 and same.rows[0].p_value == 1 and same.verdicts() == []


def test_variants_write_validate_and_eval_with_data(tmp_path):
    folder = tmp_path / "names-3"
    assert run_bench("variants", "write", "--variants", "names", "--seed", "3", str(folder)).returncode == 0
    assert run_bench("validate", str(folder)).returncode == 0
    again = run_bench("variants", "write", "--variants", "names", "--seed", "3", str(folder))
    assert again.returncode == 2 and "not an empty folder" in again.stderr
    unknown = run_bench("variants", "write", "--variants", "name", str(tmp_path / "x"))
    assert unknown.returncode == 2 and "did you mean 'names'" in unknown.stderr and "Traceback" not in unknown.stderr
    scored = run_bench("eval", "oracle", "--data", str(folder), "--json")
    assert scored.returncode == 0 and json.loads(scored.stdout)["metrics"]


def test_leaderboard_robustness_table_from_saved_variant_runs(tmp_path):
    results = tmp_path / "results"
    results.mkdir()
    for name in ("oracle.json", "empty.json"):
        (results / name).write_bytes((REPO / "results" / name).read_bytes())
    assert run_bench("eval", "oracle", "--variants", "names", "--seeds", "2", "--out", str(results / "variants" / "oracle")).returncode == 0
    out = tmp_path / "leaderboard.md"
    assert run_bench("leaderboard", "--results", str(results), "--out", str(out)).returncode == 0
    text = out.read_text()
    assert "## robustness on counterfactual variants" in text
    assert "| oracle | 1.0.0 | [names](results/variants/oracle/) | 1, 2 | ner | 1.0000 | 1.0000 [1.000, 1.000] | +0.0000 [+0.000, +0.000] | 1.0000 |" in text
    assert run_bench("leaderboard", "--results", str(results), "--out", str(out), "--check").returncode == 0
    (results / "variants" / "oracle" / "names-seed2.json").unlink()
    assert run_bench("leaderboard", "--results", str(results), "--out", str(out), "--check").returncode == 1
