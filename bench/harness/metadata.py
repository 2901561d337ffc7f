"""What a run records about itself: the system, the run, each task's gold and scorer, a variant.

Where it sits: the harness (`bench/harness/`). The harness fills these when it runs a
system or scores a file; the results record (`bench.results.record.RunRecord`, stage 4)
holds them and writes them as the `system`, `run`, `tasks` and `variant` blocks of a
results file. Each is a frozen class with the fields every record has; a block may
carry more (what an adapter says about itself: an LLM's model, prompts, window and
decoding; what an importer says about the harness a run came from), kept as they are
in `extra`, in their order, so a file read and written again is the same file.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any, Mapping


def _split(raw: Mapping[str, Any], cls: type) -> tuple[dict[str, Any], dict[str, Any]]:
    """(the fields of `cls` found in `raw`, everything else in order)."""
    known = {f.name for f in fields(cls) if f.name != "extra"}
    return {k: v for k, v in raw.items() if k in known}, {k: v for k, v in raw.items() if k not in known}


def _mapping(value: Any, what: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise TypeError(f"{what} must be an object")
    return value


@dataclass(frozen=True)
class SystemInfo:
    """The `system` block: the spec it was run as, its name and version, its label maps."""

    spec: str
    name: str
    version: str
    label_maps: Mapping[str, str] = field(default_factory=dict)  # task -> the name of the label map it was scored with
    extra: Mapping[str, Any] = field(default_factory=dict)

    @property
    def window(self) -> str | None:
        """An LLM system's window strategy (part of its prompt identity)."""
        value = self.extra.get("window")
        return value if isinstance(value, str) else None

    def prompt_version(self, task: str) -> str | None:
        """An LLM system's prompt version for `task`."""
        prompts = self.extra.get("prompts")
        entry = prompts.get(task) if isinstance(prompts, Mapping) else None
        version = entry.get("version") if isinstance(entry, Mapping) else None
        return version if isinstance(version, str) else None

    def to_json(self) -> dict[str, Any]:
        return {"spec": self.spec, "name": self.name, "version": self.version, "label_maps": dict(self.label_maps), **self.extra}

    @classmethod
    def from_json(cls, raw: Mapping[str, Any]) -> "SystemInfo":
        known, extra = _split(_mapping(raw, "system"), cls)
        return cls(str(known.get("spec", "")), str(known.get("name", "")), str(known.get("version", "")), dict(known.get("label_maps") or {}), extra)


@dataclass(frozen=True)
class RunInfo:
    """The `run` block: when it started, how long predicting and scoring took, and the
    predictions file it was scored from (relative to the results file's folder)."""

    started: str | None = None
    predict_seconds: float | None = None
    score_seconds: float | None = None
    batch_size: int | None = None
    predictions: str | None = None
    predictions_sha256: str | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        out = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "extra" and getattr(self, f.name) is not None}
        return {**out, **self.extra}

    @classmethod
    def from_json(cls, raw: Mapping[str, Any]) -> "RunInfo":
        known, extra = _split(_mapping(raw, "run"), cls)
        return cls(**known, extra=extra)


@dataclass(frozen=True)
class TaskHeader:
    """A task's entry in `tasks`: the gold and scorer it was scored with, its headline."""

    gold_version: str
    gold_sha256: str
    scorer_version: str
    headline: str
    documents: int
    extra: Mapping[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {"gold_version": self.gold_version, "gold_sha256": self.gold_sha256, "scorer_version": self.scorer_version, "headline": self.headline, "documents": self.documents, **self.extra}

    @classmethod
    def from_json(cls, raw: Mapping[str, Any]) -> "TaskHeader":
        known, extra = _split(_mapping(raw, "a task's header"), cls)
        return cls(str(known.get("gold_version")), str(known.get("gold_sha256")), str(known.get("scorer_version")), str(known.get("headline", "f1")), int(known.get("documents", 0)), extra)


@dataclass(frozen=True)
class GoldRef:
    gold_version: str
    gold_sha256: str

    def to_json(self) -> dict[str, str]:
        return {"gold_version": self.gold_version, "gold_sha256": self.gold_sha256}


@dataclass(frozen=True)
class VariantInfo:
    """The `variant` block of a run on a counterfactual variant tree (`bench.variants`):
    the family (`none` for the original), the seed, the inventory version, the sha256 of
    its texts and gold, and the gold of the original it was derived from (by which
    results files are compared)."""

    family: str
    seed: int
    inventory_version: str
    texts_sha256: str
    gold_sha256: str
    base_gold: Mapping[str, GoldRef] = field(default_factory=dict)
    extra: Mapping[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {"family": self.family, "seed": self.seed, "inventory_version": self.inventory_version, "texts_sha256": self.texts_sha256,
                "gold_sha256": self.gold_sha256, "base_gold": {task: ref.to_json() for task, ref in self.base_gold.items()}, **self.extra}

    @classmethod
    def from_json(cls, raw: Mapping[str, Any]) -> "VariantInfo":
        known, extra = _split(_mapping(raw, "variant"), cls)
        base = {task: GoldRef(str(ref["gold_version"]), str(ref["gold_sha256"])) for task, ref in _mapping(known.get("base_gold") or {}, "variant.base_gold").items()}
        return cls(str(known.get("family")), int(known.get("seed", -1)), str(known.get("inventory_version")), str(known.get("texts_sha256")), str(known.get("gold_sha256")), base, extra)
