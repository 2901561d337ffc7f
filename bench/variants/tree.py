"""Build a variant of the benchmark tree: new article texts with gold that follows every edit.

Where it sits: variants, after the tasks (stage 2): a variant rewrites a benchmark tree
and asks each task how its gold follows. `build_variant(root, family, seed)` reads a benchmark tree (`seeds/` and
`gold/`) and returns a `VariantTree`: the bytes of every file of a new tree, which
`bench validate` accepts and every command reads through `--data DIR`.

For each article the chosen families give a list of character edits; the texts are
edited, and every gold offset of every task is mapped through the edits (each
`{start, end, text}` of a gold file), with each span's text re-read from the new
article. What else a family needs is each task's own (its `variants` hooks, in its
folder): `names` asks which entities there are and renames their records (NER) and the
sources' heads (attribution); `numbers` asks for the figures whose numerals it
resamples and writes their new values (casualties). Links between records are unchanged. Sentence boundaries and indices are checked to be
the same as the original's, so runs on an original and its variants pair sentence by
sentence. Family `none` is the identity: the original files, byte for byte.

The tree read is hostile input: its JSON is decoded with the caps of `bench.safejson`,
its doc ids must be plain names (`bench.documents.corpus.check_doc_id`), and a file it
cannot be built from is one line that says to run `bench validate`. `VariantTree.write`
checks every path it builds to lie inside the folder (`bench.paths.inside`) before it
writes anything.
"""

from __future__ import annotations

import hashlib
import json
import random
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any, Iterator, Mapping

from bench import safejson
from bench.documents.corpus import ARTICLES_FILE, check_doc_id
from bench.documents.tokenize import split_sentences
from bench.errors import BenchError, OutputError
from bench.paths import inside, read_regular
from bench.tasks.goldfiles import VERSIONS_FILE, canonical_json
from bench.documents.edits import EditError, apply_edits
from bench.variants.inventory import draw, load_inventory, record_name
from bench.variants.names import NameRewriter, surfaces

def _tasks() -> list:
    """The registered tasks: each has its gold folder, and its own hooks for the families (`variants`)."""
    from bench.tasks.registry import all_tasks

    return list(all_tasks())


def _hooks(method: str) -> list[tuple[str, object]]:
    """(task name, hooks) of the tasks whose variant hooks have `method`."""
    return [(t.name, t.variants) for t in _tasks() if hasattr(getattr(t, "variants", None), method)]


class _Names:
    """What a task's `rename` hook is told: an entity's new name, a surface form's replacement."""

    def __init__(self, rewriter: NameRewriter, inventory) -> None:
        self.rewriter, self.inventory = rewriter, inventory

    def entity(self, entity_id: str) -> str:
        return record_name(self.inventory.originals[entity_id], self.rewriter.replacements)

    def form(self, text: str) -> str | None:
        surface = self.rewriter.table.get(text)
        return None if surface is None else self.rewriter.new_form(surface)


class Family(str, Enum):
    NONE = "none"
    NAMES = "names"
    NUMBERS = "numbers"
    NAMES_NUMBERS = "names+numbers"

    @property
    def names(self) -> bool:
        return self in (Family.NAMES, Family.NAMES_NUMBERS)

    @property
    def numbers(self) -> bool:
        return self in (Family.NUMBERS, Family.NAMES_NUMBERS)


def parse_family(text: str) -> Family:
    try:
        return Family(text)
    except ValueError:
        import difflib

        known = [f.value for f in Family]
        close = difflib.get_close_matches(text, known, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise BenchError(f"unknown variant family {text!r}{hint}; families: {', '.join(known)}") from None


@dataclass(frozen=True)
class VariantTree:
    """Every file of a variant tree, by path relative to its root."""

    family: Family
    seed: int
    inventory_version: str
    files: Mapping[str, bytes]

    def texts_sha256(self) -> str:
        """sha256 over the article texts, in document order."""
        digest = hashlib.sha256()
        for path in sorted(p for p in self.files if p.startswith("seeds/") and p.endswith(".txt")):
            digest.update(self.files[path])
        return digest.hexdigest()

    def gold_sha256(self) -> str:
        """sha256 over every gold file, in path order."""
        digest = hashlib.sha256()
        for path in sorted(p for p in self.files if p.startswith("gold/")):
            digest.update(path.encode() + b"\0" + self.files[path])
        return digest.hexdigest()

    def describe(self) -> dict[str, Any]:
        """The `variant` block of a results record."""
        return {"family": self.family.value, "seed": self.seed, "inventory_version": self.inventory_version,
                "texts_sha256": self.texts_sha256(), "gold_sha256": self.gold_sha256()}

    def write(self, folder: Path) -> None:
        """Write every file under `folder`; each path is checked to lie inside it first."""
        folder = Path(folder)
        targets = [(inside(folder, path), data) for path, data in sorted(self.files.items())]
        for target, data in targets:
            try:
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
            except OSError as exc:
                raise OutputError(f"{target}: cannot write: {exc.strerror or exc}") from None


def _read_tree(root: Path) -> dict[str, bytes]:
    root = Path(root)
    files = {f"seeds/{ARTICLES_FILE}": read_regular(root / "seeds" / ARTICLES_FILE), f"gold/{VERSIONS_FILE}": read_regular(root / "gold" / VERSIONS_FILE)}
    for meta in safejson.loads(files[f"seeds/{ARTICLES_FILE}"])["articles"]:
        doc_id = check_doc_id(meta["id"], str(root / "seeds" / ARTICLES_FILE))
        files[f"seeds/{doc_id}.txt"] = read_regular(root / "seeds" / f"{doc_id}.txt")
        for task in _tasks():
            files[f"gold/{task.name}/{doc_id}.json"] = read_regular(root / "gold" / task.name / f"{doc_id}.json")
    return files


def _spans(node: Any) -> Iterator[dict]:
    """Every `{start, end, text}` dict inside a gold file."""
    if isinstance(node, dict):
        if isinstance(node.get("start"), int) and isinstance(node.get("end"), int) and "text" in node:
            yield node
        for value in node.values():
            yield from _spans(value)
    elif isinstance(node, list):
        for value in node:
            yield from _spans(value)


def _dump(value: Any) -> bytes:
    return (json.dumps(value, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def build_variant(root: Path, family: Family | str, seed: int) -> VariantTree:
    """The variant tree of `root` for a family and seed (deterministic)."""
    family = parse_family(family) if isinstance(family, str) else family
    inventory = load_inventory()
    try:
        files = _read_tree(root)
    except OSError as exc:
        raise BenchError(f"{root}: cannot read the benchmark tree: {exc.filename or root}: {exc.strerror or exc}") from None
    except safejson.UnsafeJSON as exc:
        raise BenchError(f"{root}: cannot read the benchmark tree: seeds/{ARTICLES_FILE}: {exc.problem}") from None
    except (ValueError, KeyError, TypeError) as exc:
        raise BenchError(f"{root}: cannot read the benchmark tree: seeds/{ARTICLES_FILE}: {type(exc).__name__}: {exc} (run `bench validate {root}`)") from None
    if family is Family.NONE:
        return VariantTree(family, seed, inventory.version, files)
    try:
        return _build(root, family, seed, inventory, files)
    except safejson.UnsafeJSON as exc:
        raise BenchError(f"{root}: cannot build a variant: {exc.problem} (run `bench validate {root}`)") from None
    except (ValueError, KeyError, TypeError, AttributeError, IndexError) as exc:
        raise BenchError(f"{root}: cannot build a variant ({type(exc).__name__}: {exc}): the tree is not valid (run `bench validate {root}`)") from None


def _decoded(files: Mapping[str, bytes], path: str) -> Any:
    try:
        return safejson.loads(files[path])  # capped depth and size, no lone surrogates
    except safejson.UnsafeJSON as exc:
        raise safejson.UnsafeJSON(f"{path}: {exc.problem}") from None


def _build(root: Path, family: Family, seed: int, inventory: Any, files: dict[str, bytes]) -> VariantTree:
    articles = _decoded(files, f"seeds/{ARTICLES_FILE}")
    gold = {path: _decoded(files, path) for path in files if path.startswith("gold/") and path.count("/") == 2}
    names = [t.name for t in _tasks()]
    rewriter = None
    if family.names:
        entities: set[str] = set()
        copies: set[str] = set()
        for task, hooks in _hooks("entity_ids"):
            for path, g in gold.items():
                if path.startswith(f"gold/{task}/"):
                    entities |= hooks.entity_ids(g)
                    copies |= hooks.name_copies(g)
        unknown = sorted(entities - set(inventory.originals))
        if unknown:
            raise BenchError(f"{root}: gold entities with no entry in bench/variants/data/originals.json, so no names variant: {', '.join(unknown)}")
        rewriter = NameRewriter(surfaces(inventory, copies), draw(seed, inventory))
    out: dict[str, bytes] = {}
    for meta in articles["articles"]:
        doc_id = meta["id"]
        text = files[f"seeds/{doc_id}.txt"].decode("utf-8")
        docs = {task: gold[f"gold/{task}/{doc_id}.json"] for task in names}
        edits, quantities = [], {}
        if rewriter is not None:
            edits += rewriter.edits(text)
        if family.numbers:
            for task, hooks in _hooks("number_edits"):
                more, found = hooks.number_edits(docs[task], text, random.Random(f"numbers:{seed}:{doc_id}"))
                edits += more
                quantities[task] = found
        new_text, offsets = apply_edits(text, edits)
        sha = hashlib.sha256(new_text.encode("utf-8")).hexdigest()
        try:
            for task, g in docs.items():
                for span in _spans(g):
                    span["start"], span["end"] = offsets.span(span["start"], span["end"])
                    span["text"] = new_text[span["start"] : span["end"]]
                g["text_sha256"] = sha
            headline_at = text.find(meta["headline"])
            if headline_at >= 0:
                start, end = offsets.span(headline_at, headline_at + len(meta["headline"]))
                meta["headline"] = new_text[start:end]
        except EditError as exc:
            raise BenchError(f"{doc_id}: a gold span boundary falls inside an edit: {exc}") from None
        for task, hooks in _hooks("renumber"):
            hooks.renumber(docs[task], quantities.get(task, {}))
        if rewriter is not None:
            renamed = _Names(rewriter, inventory)
            for task, hooks in _hooks("rename"):
                hooks.rename(docs[task], renamed)
            for key in ("byline", "notes"):
                if meta.get(key):
                    meta[key] = rewriter.rewrite(meta[key])
        _check_sentences(doc_id, text, new_text, offsets)
        meta["sha256"] = sha
        out[f"seeds/{doc_id}.txt"] = new_text.encode("utf-8")
        for task, g in docs.items():
            out[f"gold/{task}/{doc_id}.json"] = _dump(g)
    versions = _decoded(files, f"gold/{VERSIONS_FILE}")
    for task in names:
        digest = hashlib.sha256()
        for path in sorted(p for p in out if p.startswith(f"gold/{task}/")):
            digest.update(canonical_json(json.loads(out[path])) + b"\n")
        versions[task]["sha256"] = digest.hexdigest()
    out[f"gold/{VERSIONS_FILE}"] = _dump(versions)
    out[f"seeds/{ARTICLES_FILE}"] = _dump(articles)
    return VariantTree(family, seed, inventory.version, out)


def _check_sentences(doc_id: str, old: str, new: str, offsets) -> None:
    """The variant has the same sentences as the original, in the same places."""
    before, after = split_sentences(old), split_sentences(new)
    mapped = [offsets.span(s.start, s.end) for s in before]
    if mapped != [(s.start, s.end) for s in after]:
        raise BenchError(f"{doc_id}: the variant's sentences differ from the original's ({len(before)} -> {len(after)}); an edit changed a sentence boundary")
