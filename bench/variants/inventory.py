"""The replacement inventory and the table of the articles' own names (package data).

Where it sits: variants (after the tasks). The `names` family reads two files in `data/`:

- `originals.json`: every gold NER entity with the surface forms the articles use
  for it, each with a role (name, short, acronym, alias, adjective, plural), the
  kind of replacement it takes, or how it derives from others ("Syrians" follows
  "Syria"), and the template of its gold record's name.
- `inventory.json`: the candidates per kind, curated by hand (its `provenance` field
  says how), versioned (`INVENTORY_VERSION` goes into every variant record).

`draw(seed)` gives each entity a replacement: distinct candidates of its kind, drawn
with a seeded generator, with `{entity:role}` templates filled in from the other
replacements. A role a candidate lacks falls back to its name; a missing acronym is
the initials of the name's capitalised words ("Northern Liberation Front" -> "NLF").
"""

from __future__ import annotations

import json
import random
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Mapping

DATA = Path(__file__).resolve().parent / "data"
_SLOT = re.compile(r"\{(?:(\w+):)?(\w+)\}")


@dataclass(frozen=True)
class Original:
    """One gold entity as the articles write it."""

    id: str
    forms: Mapping[str, str]  # surface form -> role
    kind: str | None  # inventory kind to draw from; None when derived
    derive: Mapping[str, str]  # role -> template over other entities' replacements
    record: str  # template of the gold record's name over this entity's roles


@dataclass(frozen=True)
class Inventory:
    version: str
    provenance: str
    kinds: Mapping[str, tuple[Mapping[str, str], ...]]
    originals: Mapping[str, Original]


@lru_cache(maxsize=1)
def load_inventory() -> Inventory:
    raw = json.loads((DATA / "inventory.json").read_text(encoding="utf-8"))
    table = json.loads((DATA / "originals.json").read_text(encoding="utf-8"))["entities"]
    originals = {
        eid: Original(eid, dict(e["forms"]), e.get("kind"), dict(e.get("derive", {})), e.get("record", "{name}"))
        for eid, e in table.items()
    }
    kinds = {kind: tuple(dict(c) for c in cands) for kind, cands in raw["kinds"].items()}
    return Inventory(raw["version"], raw["provenance"], kinds, originals)


def acronym(name: str) -> str:
    """Initials of the capitalised words: "Supreme Council for the Salvation of Moldova" -> "SCSM"."""
    return "".join(w[0] for w in re.split(r"[\s-]+", name) if w[:1].isupper())


@dataclass(frozen=True)
class Replacement:
    """An entity's replacement: a text per role."""

    entity: str
    roles: Mapping[str, str]

    def form(self, role: str) -> str:
        if role in self.roles:
            return self.roles[role]
        if role == "acronym":
            return acronym(self.roles["name"])
        return self.roles["name"]


def draw(seed: int | str, inventory: Inventory | None = None) -> dict[str, Replacement]:
    """Entity id -> its replacement for this seed (same seed, same replacements)."""
    inventory = inventory or load_inventory()
    rng = random.Random(f"names:{seed}")
    raw: dict[str, dict[str, str]] = {}
    by_kind: dict[str, list[str]] = {}
    for eid, original in sorted(inventory.originals.items()):
        if original.kind is not None:
            by_kind.setdefault(original.kind, []).append(eid)
        else:
            raw[eid] = dict(original.derive)
    for kind, ids in sorted(by_kind.items()):
        candidates = inventory.kinds[kind]
        for eid, index in zip(ids, rng.sample(range(len(candidates)), len(ids))):
            raw[eid] = dict(candidates[index])

    resolved: dict[str, dict[str, str]] = {}

    def value(eid: str, role: str, depth: int = 0) -> str:
        if depth > 5:
            raise ValueError(f"inventory templates loop at {eid}:{role}")
        roles = raw[eid]
        text = roles.get(role) or roles.get("name") or ""
        if role == "acronym" and "acronym" not in roles:
            return acronym(value(eid, "name", depth + 1))
        return _SLOT.sub(lambda m: value(m.group(1) or eid, m.group(2), depth + 1), text)

    for eid, roles in raw.items():
        resolved[eid] = {role: value(eid, role) for role in roles}
    return {eid: Replacement(eid, roles) for eid, roles in sorted(resolved.items())}


def record_name(original: Original, replacements: Mapping[str, Replacement]) -> str:
    """The gold entity record's new name, from the entity's `record` template."""
    own = replacements[original.id]
    return _SLOT.sub(lambda m: replacements[m.group(1)].form(m.group(2)) if m.group(1) else own.form(m.group(2)), original.record)
