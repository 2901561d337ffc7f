"""How the casualty gold follows a variant's edits (`bench.variants`).

Where it sits: stage 2, the casualty task. The `numbers` family resamples each casualty
figure's numeral (`numbers.py`): this task gives the edits, and after them writes each
figure's new quantity values (recomputed by the conventions table). Spans are
remapped by the variant builder itself.
"""

from __future__ import annotations

import random
from typing import Any, Mapping

from bench.documents.edits import Edit
from bench.tasks.casualties.numbers import number_edits


class CasualtyVariants:
    def number_edits(self, gold: dict[str, Any], text: str, rng: random.Random) -> tuple[list[Edit], dict[str, dict[str, Any]]]:
        """The edits that resample each figure's numeral, and each figure's new quantity fields (`numbers.py`)."""
        return number_edits(gold["figures"], text, rng)

    def renumber(self, gold: dict[str, Any], quantities: Mapping[str, Mapping[str, Any]]) -> None:
        """`quantities`: figure id -> its quantity's new fields."""
        for figure in gold["figures"]:
            figure["quantity"].update(quantities.get(figure["id"], {}))


VARIANTS = CasualtyVariants()
