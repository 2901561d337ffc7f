"""The export as CoNLL-2003 columns: the tables of token rows with tags (NER's), `DIR/<table>.conll`.

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

from bench.export.tables import Tables, task_tables

PLACEHOLDER = "-X-"
DOCSTART = f"-DOCSTART- {PLACEHOLDER} {PLACEHOLDER} O"


def tagged_tables() -> list[str]:
    """The tables a CoNLL file can hold: token rows with a tag sequence."""
    return [name for name, (_, table) in task_tables().items() if table.tags]


def file_name(table: str) -> str:
    return f"{table}.conll"


def conll_lines(tables: Tables, table: str) -> list[str]:
    field = task_tables()[table][1].tag_field
    lines: list[str] = []
    current = None
    for row in tables.rows[table]:
        if row["doc_id"] != current:
            current = row["doc_id"]
            lines += [DOCSTART, ""]
        lines += [f"{token} {PLACEHOLDER} {PLACEHOLDER} {tag}" for token, tag in zip(row["tokens"], row[field])]
        lines.append("")
    return lines


def write_conll(tables: Tables, out_dir: Path) -> dict[str, str]:
    """Write `out_dir/<table>.conll` for each tagged table; returns table -> file name."""
    from bench.atomic import write_text

    written = {}
    for table in tables.rows:
        if table in tagged_tables():
            write_text(out_dir / file_name(table), "\n".join(conll_lines(tables, table)) + "\n")
            written[table] = file_name(table)
    return written
