"""The export as JSON Lines: one file per configuration, one JSON object per row.

`DIR/<config>.jsonl`, UTF-8, one row of `bench.export.tables` per line, keys in the
same order as the Hugging Face features. Unlike the `hf` format, `ner_tags` are the tag
strings ("B-PER"), not ClassLabel ids, so a line reads on its own.
"""

from __future__ import annotations

import json
from pathlib import Path

from bench.atomic import atomic_open
from bench.export.tables import Tables


def write_jsonl(tables: Tables, out_dir: Path) -> dict[str, str]:
    """Write `out_dir/<config>.jsonl` per configuration; returns config -> file name."""
    written = {}
    for config, rows in tables.rows.items():
        name = f"{config}.jsonl"
        with atomic_open(out_dir / name) as handle:
            for row in rows:
                handle.write(json.dumps(row, ensure_ascii=False) + "\n")
        written[config] = name
    return written
