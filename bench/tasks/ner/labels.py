"""NER label sets, the CoNLL-2003 projection, and system label maps.

Two label views are scored:
- `gold`: the gold's own seven labels;
- `conll`: a projection to CoNLL-2003 (PER, ORG, LOC <- GPE/LOC/FAC, MISC <- NORP/EVENT),
  so that models trained on CoNLL can be compared fairly.

A system declares a `LabelMap` from its own labels to one of these label spaces.
A label with no entry is an error that names it; it is never dropped silently.
Mapping a label to `None` ignores it on purpose (e.g. spaCy's DATE).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Iterable, Mapping

from bench.errors import PredictionError


class NerLabel(str, Enum):
    PER = "PER"
    ORG = "ORG"
    GPE = "GPE"
    LOC = "LOC"
    FAC = "FAC"
    NORP = "NORP"
    EVENT = "EVENT"


class ConllLabel(str, Enum):
    PER = "PER"
    ORG = "ORG"
    LOC = "LOC"
    MISC = "MISC"


class LabelView(str, Enum):
    """Which label set a score is computed in."""

    GOLD = "gold"
    CONLL = "conll"

    @property
    def labels(self) -> tuple[str, ...]:
        enum = NerLabel if self is LabelView.GOLD else ConllLabel
        return tuple(label.value for label in enum)


CONLL_PROJECTION: Mapping[str, str] = {
    NerLabel.PER: ConllLabel.PER,
    NerLabel.ORG: ConllLabel.ORG,
    NerLabel.GPE: ConllLabel.LOC,
    NerLabel.LOC: ConllLabel.LOC,
    NerLabel.FAC: ConllLabel.LOC,
    NerLabel.NORP: ConllLabel.MISC,
    NerLabel.EVENT: ConllLabel.MISC,
}
CONLL_PROJECTION = {k.value: v.value for k, v in CONLL_PROJECTION.items()}


def project(label: str, view: LabelView) -> str:
    """A gold-space label seen in `view`."""
    return label if view is LabelView.GOLD else CONLL_PROJECTION[label]


def views_for(space: LabelView) -> tuple[LabelView, ...]:
    """Views a prediction in `space` can be scored in: gold-space predictions in both."""
    return (LabelView.GOLD, LabelView.CONLL) if space is LabelView.GOLD else (LabelView.CONLL,)


@dataclass(frozen=True)
class LabelMap:
    """Explicit map from a system's labels to a label space; `None` = ignore on purpose."""

    mapping: Mapping[str, str | None]
    space: LabelView = LabelView.GOLD
    name: str = "identity"

    def __post_init__(self) -> None:
        allowed = set(self.space.labels)
        bad = sorted(str(v) for v in self.mapping.values() if v is not None and v not in allowed)
        if bad:
            raise ValueError(f"label map {self.name!r} maps to labels not in the {self.space.value} set: {', '.join(bad)}")

    def apply(self, label: str, where: str) -> str | None:
        try:
            return self.mapping[label]
        except KeyError:
            known = ", ".join(sorted(self.mapping))
            raise PredictionError(
                f"{where}: unknown NER label {label!r} (label map {self.name!r} knows: {known}){accepting_hint([label])}"
            ) from None

    def to_json(self) -> dict[str, object]:
        """The map as a predictions file records it (`label_maps` in `bench schema predictions`)."""
        return {"name": self.name, "space": self.space.value, "map": dict(sorted(self.mapping.items()))}

    @classmethod
    def from_json(cls, raw: Mapping[str, object]) -> "LabelMap":
        """Inverse of `to_json`; raises ValueError for a map that names labels outside its space."""
        mapping = raw["map"]
        if not isinstance(mapping, dict):
            raise ValueError('"map" must be an object')
        return cls(dict(mapping), LabelView(raw.get("space", "gold")), name=str(raw.get("name", "recorded")))

    def first_unknown(self, labels: "Iterable[str]") -> str | None:
        return next((label for label in labels if label not in self.mapping), None)


def identity_map(space: LabelView = LabelView.GOLD) -> LabelMap:
    return LabelMap({label: label for label in space.labels}, space, name=f"{space.value} labels")


SPACY_ONTONOTES_MAP = LabelMap(
    name="spacy-ontonotes",
    mapping={
        "PERSON": "PER",
        "ORG": "ORG",
        "GPE": "GPE",
        "LOC": "LOC",
        "FAC": "FAC",
        "NORP": "NORP",
        "EVENT": "EVENT",
        # Not names in this benchmark's sense, or outside its label set: ignored on purpose.
        "DATE": None,
        "TIME": None,
        "CARDINAL": None,
        "ORDINAL": None,
        "QUANTITY": None,
        "MONEY": None,
        "PERCENT": None,
        "PRODUCT": None,
        "WORK_OF_ART": None,
        "LAW": None,
        "LANGUAGE": None,
    },
)


def named_label_maps() -> dict[str, LabelMap]:
    return {
        "gold": identity_map(LabelView.GOLD),
        "conll": identity_map(LabelView.CONLL),
        SPACY_ONTONOTES_MAP.name: SPACY_ONTONOTES_MAP,
    }


def accepting_hint(labels: Iterable[str]) -> str:
    """`; --label-map X accepts ...` naming the built-in maps that know every label, or ''."""
    wanted = set(labels)
    names = [name for name, m in named_label_maps().items() if wanted <= set(m.mapping)]
    if not names:
        return "; no built-in label map knows it: give --label-map FILE"
    return f"; {' or '.join(f'--label-map {n}' for n in names)} accepts {'it' if len(wanted) == 1 else 'these labels'}"


def load_label_map(spec: str) -> LabelMap:
    """A named map (`gold`, `conll`, `spacy-ontonotes`) or a JSON file
    `{"space": "gold" | "conll", "map": {"PERSON": "PER", "DATE": null, ...}}`."""
    from pathlib import Path

    from bench import safejson

    named = named_label_maps()
    if spec in named:
        return named[spec]
    path = Path(spec)
    if not path.is_file():
        raise PredictionError(f"label map {spec!r}: not a file, nor one of {', '.join(named)}")
    try:
        raw = safejson.loads(path.read_bytes())  # capped depth and size, no lone surrogates
        if not isinstance(raw, dict):
            raise ValueError("expected a JSON object with \"space\" and \"map\"")
        space = LabelView(raw.get("space", "gold"))
        mapping = raw["map"]
        if not isinstance(mapping, dict) or not all(isinstance(k, str) and (v is None or isinstance(v, str)) for k, v in mapping.items()):
            raise ValueError('"map" must map label strings to label strings or null')
        return LabelMap(mapping, space, name=path.name)
    except OSError as exc:
        raise PredictionError(f"{path}: cannot read the label map: {exc.strerror}") from None
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise PredictionError(f"{path}: bad label map: {exc}") from None
