"""The export as CoNLL-2003 columns: NER only, one file, `DIR/ner.conll`.

Each token line has four space-separated columns, as in CoNLL-2003:
`token POS chunk NER`. The benchmark has no POS or chunk annotation, so those two
columns hold the CoNLL-2003 placeholder `-X-`. The NER column is IOB2 (a "B-" tag opens
every entity, as in the Hugging Face conll2003 dataset, not the original IOB1) over the
gold's seven labels. Tokens come from the benchmark's tokenizer and never contain
whitespace. A `-DOCSTART- -X- -X- O` line and a blank line open each document; a blank
line ends each sentence. Documents follow the order of `manifest.json` (sorted ids).

The columns carry no character offsets: re-tokenising the article with
`bench.documents.tokenize` gives the same tokens in the same order, and their offsets.
Casualty and attribution records do not fit token columns; export them as `hf` or `jsonl`.
"""

from __future__ import annotations

from pathlib import Path

from bench.export.tables import Config, Tables

FILE = "ner.conll"
PLACEHOLDER = "-X-"
DOCSTART = f"-DOCSTART- {PLACEHOLDER} {PLACEHOLDER} O"


def conll_lines(tables: Tables) -> list[str]:
    lines: list[str] = []
    current = None
    for row in tables.rows[Config.NER]:
        if row["doc_id"] != current:
            current = row["doc_id"]
            lines += [DOCSTART, ""]
        lines += [f"{token} {PLACEHOLDER} {PLACEHOLDER} {tag}" for token, tag in zip(row["tokens"], row["ner_tags"])]
        lines.append("")
    return lines


def write_conll(tables: Tables, out_dir: Path) -> dict[Config, str]:
    """Write `out_dir/ner.conll`; returns {ner: file name}."""
    from bench.atomic import write_text

    write_text(out_dir / FILE, "\n".join(conll_lines(tables)) + "\n")
    return {Config.NER: FILE}
