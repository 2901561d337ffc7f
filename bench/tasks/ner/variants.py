"""How the NER gold follows a variant's edits (`bench.variants`).

Where it sits: stage 2, the NER task. The `names` family replaces every gold entity by
another of its kind: it asks this task which entities there are and which strings the
gold annotates for them (a lower-case copy is replaced in lower case), and, after the
edits, renames each entity record. Spans are remapped by the variant builder itself.
"""

from __future__ import annotations

from typing import Any


class NerVariants:
    def entity_ids(self, gold: dict[str, Any]) -> set[str]:
        return {e["id"] for e in gold["entities"]}

    def name_copies(self, gold: dict[str, Any]) -> set[str]:
        return {m["text"] for m in gold["mentions"]}

    def rename(self, gold: dict[str, Any], names: Any) -> None:
        """`names.entity(id)`: the replacement's name of an entity."""
        for entity in gold["entities"]:
            entity["name"] = names.entity(entity["id"])


VARIANTS = NerVariants()
