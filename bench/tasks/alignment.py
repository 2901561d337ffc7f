"""Gold against prediction, item by item: what a task's alignment gives, for every task.

Where it sits: stage 2, tasks. Each task aligns one document's predictions with its
gold in its own `alignment.py`, into rows: one per gold or predicted item (or per
pair), with its status, the item it paired with, the credit it earned and why. The
task's scorer counts from those rows, and the error-analysis report draws the same
rows: nothing is aligned twice.

A row's display is data, not markup: its fields are `Part`s of text (plain, quoted
with its offsets, or "none"), and the task's `Presentation` says how its rows are
shown (`Layout.TEXT`: spans drawn on the article, gold beside predicted; or
`Layout.RECORDS`: one table row per item) and what each status means. The reports
(stage 5) turn this into HTML; they never look at a task's item types.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any, Protocol


class Verdict(str, Enum):
    """What a status amounts to, whatever the task: the report colours by it when it
    has no colour for the status itself."""

    CORRECT = "correct"
    PARTIAL = "partial"  # paired, some credit
    WRONG = "wrong"  # paired, no credit (or the wrong source, label, boundary)
    MISSED = "missed"
    SPURIOUS = "spurious"
    UNPLACED = "unplaced"  # a text-only prediction that found no place in the article


@dataclass(frozen=True)
class Status:
    """One kind of row: its name (in the results' errors), how it is shown, what it means."""

    name: str
    shown: str
    verdict: Verdict
    meaning: str = ""


class Layout(str, Enum):
    TEXT = "text"  # rows are spans (start, end, label), drawn on the article side by side
    RECORDS = "records"  # rows are records, one table row each, their fields listed


class PartStyle(str, Enum):
    PLAIN = "plain"
    QUOTED = "quoted"  # text of the article (or of a prediction), with its offsets when it has them
    NONE = "none"  # an absent value, shown greyed


@dataclass(frozen=True)
class Part:
    text: str
    style: PartStyle = PartStyle.PLAIN
    start: int | None = None
    end: int | None = None


def plain(text: Any) -> Part:
    return Part(str(text))


def quoted(text: Any, start: int | None = None, end: int | None = None) -> Part:
    return Part("" if text is None else str(text), PartStyle.QUOTED, start, end)


def absent(text: str = "none") -> Part:
    return Part(text, PartStyle.NONE)


@dataclass(frozen=True)
class Field:
    """One named field of an item as a report lists it: `quantity "over 70" [12, 19)`."""

    name: str
    parts: tuple[Part, ...]


@dataclass(frozen=True)
class Presentation:
    """How a report shows a task's rows."""

    title: str  # the article section's heading: "Named entities"
    what: str  # what the rows are, in a summary line: "NER", "Casualty figures"
    layout: Layout
    statuses: tuple[Status, ...]  # every status a row can have, in legend order
    columns: tuple[str, ...] = ()  # RECORDS: the note columns after status, credit, gold and predicted
    empty: str = "Nothing in the gold or the predictions of this article."

    def status(self, name: str) -> Status:
        return next(s for s in self.statuses if s.name == name)


@dataclass(frozen=True)
class Mark:
    """A span drawn on the article (TEXT layout)."""

    start: int
    end: int
    label: str


@dataclass(frozen=True)
class Shown:
    """One row as a report shows it, whatever the task: its status and credit, and for
    TEXT layouts the spans (and the text and label of a prediction with no place), for
    RECORDS layouts each side's fields and the note columns."""

    status: Status
    credit: float
    gold_mark: Mark | None = None
    pred_mark: Mark | None = None
    text: str | None = None
    label: str | None = None
    gold: tuple[Field, ...] | None = None
    pred: tuple[Field, ...] | None = None
    notes: tuple[tuple[Part, ...], ...] = ()



class Row(Protocol):
    """One row of an alignment: its status (an Enum whose value is a `Status.name` of the
    task's presentation), the gold and predicted items (either may be None) and the
    credit; `start` orders rows in the text; `shown` describes it for a report."""

    status: Any
    gold: Any
    pred: Any
    credit: float

    @property
    def start(self) -> int:
        """Where the row sits in the text, for ordering (a large number for no place)."""
        ...

    def shown(self, presentation: Presentation) -> Shown: ...


NOWHERE = 1 << 62  # the `start` of a row with no place in the text: such rows go last


@dataclass(frozen=True)
class DocumentAlignment:
    """One document's rows for one task, in the order the scorer counted them; `view`:
    the label view they are in, when the task has views, with that view's `labels`."""

    doc_id: str
    rows: tuple[Any, ...]
    view: str | None = None
    labels: tuple[str, ...] = ()

    def in_text_order(self) -> tuple[Any, ...]:
        """The rows by position, a gold row before a prediction at the same place."""
        return tuple(sorted(self.rows, key=lambda r: (r.start, r.gold is None)))


@dataclass(frozen=True)
class DocumentView:
    """One document's rows of one task as a report shows them, in text order."""

    doc_id: str
    rows: tuple[Shown, ...]
    view: str | None = None
    labels: tuple[str, ...] = ()


def present(alignment: DocumentAlignment, presentation: Presentation) -> DocumentView:
    """An alignment as a report shows it: every row described, in text order."""
    return DocumentView(alignment.doc_id, tuple(row.shown(presentation) for row in alignment.in_text_order()), alignment.view, alignment.labels)
