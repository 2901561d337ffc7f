"""How the attribution gold follows a variant's edits (`bench.variants`).

Where it sits: stage 2, the attribution task. After the `names` family's edits, a
source's head that was a replaced name takes the replacement's form. Spans are
remapped by the variant builder itself.
"""

from __future__ import annotations

from typing import Any


class AttributionVariants:
    def rename(self, gold: dict[str, Any], names: Any) -> None:
        """`names.form(text)`: the replacement of a surface form, or None when it is not one."""
        for relation in gold["relations"]:
            head = relation["source"].get("head")
            new = names.form(head) if head is not None else None
            if new is not None:
                relation["source"]["head"] = new


VARIANTS = AttributionVariants()
