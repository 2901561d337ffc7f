"""Family `names`: every gold entity becomes another entity of the same kind.

Where it sits: variants (after the tasks). Given the replacements of one seed
(`inventory.draw`), `NameRewriter` finds every surface form of every original
entity in a text, annotated or not, and returns one `Edit` per occurrence.

Rules:
- A form is matched as whole words (no letter or digit on either side), so
  possessives ("Assad's"), hyphenated modifiers ("HTS-led", "Pro-Assad",
  "Al-Qaeda-linked") and plurals listed as forms all change.
- The longest form wins where forms overlap, so names that contain another name
  ("Syrian Arab Army", "Military Council for the Liberation of Syria", "Al-Qaeda in
  Syria") are replaced whole, by a candidate of their own kind. Candidates that
  should name the variant's country say so with a template ("{syria:adjective}
  National Army"), so the derived text stays coherent instead of keeping "Syria".
- Case style is kept: a form written in upper case ("TARTUS, SYRIA") is replaced in
  upper case; a lower-case copy that the gold annotates ("pro assad") in lower case.
- "a"/"an" before a replaced word is changed to fit the new word ("an Islamist" ->
  "a Maronite").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum
from typing import Iterable, Mapping

from bench.documents.edits import Edit
from bench.variants.inventory import Inventory, Replacement


class Case(str, Enum):
    AS_WRITTEN = "as_written"
    UPPER = "upper"
    LOWER = "lower"

    def apply(self, text: str) -> str:
        return text.upper() if self is Case.UPPER else text.lower() if self is Case.LOWER else text


@dataclass(frozen=True, slots=True)
class Surface:
    """One string the articles use for an entity."""

    text: str
    entity: str
    role: str
    case: Case


def surfaces(inventory: Inventory, lower_case_copies: Iterable[str] = ()) -> dict[str, Surface]:
    """Every original surface string: each form as written, in upper case, and in lower
    case where `lower_case_copies` (annotated mention texts) holds that copy."""
    lowered = set(lower_case_copies)
    out: dict[str, Surface] = {}

    def add(surface: Surface) -> None:
        other = out.get(surface.text)
        if other is not None and other.entity != surface.entity:
            raise ValueError(f"surface form {surface.text!r} belongs to both {other.entity} and {surface.entity}")
        out.setdefault(surface.text, surface)

    for original in inventory.originals.values():
        for form, role in original.forms.items():
            add(Surface(form, original.id, role, Case.AS_WRITTEN))
            if form.upper() != form:
                add(Surface(form.upper(), original.id, role, Case.UPPER))
            if form.lower() != form and form.lower() in lowered:
                add(Surface(form.lower(), original.id, role, Case.LOWER))
    return out


_ARTICLE = re.compile(r"(?<![\w-])(an?|An?|AN?)(\s+)$")


class NameRewriter:
    """Edits that replace every original surface form by its replacement."""

    def __init__(self, table: Mapping[str, Surface], replacements: Mapping[str, Replacement]) -> None:
        self.table = table
        self.replacements = replacements
        alternatives = "|".join(re.escape(s) for s in sorted(table, key=lambda s: (-len(s), s)))
        self.pattern = re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")

    def new_form(self, surface: Surface) -> str:
        return surface.case.apply(self.replacements[surface.entity].form(surface.role))

    def edits(self, text: str) -> list[Edit]:
        out: list[Edit] = []
        for match in self.pattern.finditer(text):
            surface = self.table[match.group()]
            new = self.new_form(surface)
            out.append(Edit(match.start(), match.end(), new))
            article = _ARTICLE.search(text, max(0, match.start() - 4), match.start())
            if article is not None and surface.role != "acronym":
                word = article.group(1)
                wanted = "an" if new[:1].lower() in "aeiou" else "a"
                if word.lower() != wanted:
                    fixed = wanted.upper() if word.isupper() and len(word) > 1 else (wanted.capitalize() if word[0].isupper() else wanted)
                    out.append(Edit(article.start(1), article.end(1), fixed))
        return out

    def rewrite(self, text: str) -> str:
        from bench.documents.edits import apply_edits

        return apply_edits(text, self.edits(text))[0]

    def leftovers(self, text: str) -> list[str]:
        """Original surface forms still in `text` (none, in any variant)."""
        return [m.group() for m in self.pattern.finditer(text)]
