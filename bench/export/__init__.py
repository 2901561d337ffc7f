"""Export the gold for other tools: Hugging Face `datasets`, CoNLL-2003 columns, JSON Lines.

Where it sits: beside the pipeline, reading what stage 1 (`bench.documents`: texts,
tokens, sentences) and the tasks' gold files give, and writing it out unchanged. It is
behind `bench export --format hf|conll|jsonl DIR` and `bench.load_dataset(name)`.

Layout. One table per configuration (`tables.py`), the same rows in every format:

| configuration | one row per | key fields |
|---|---|---|
| `documents` | article | `doc_id`, `text` (what every offset indexes into), `sha256`, metadata |
| `ner` | sentence | `id`, `doc_id`, `sentence`, `start`, `end`, `text`, `tokens`, `token_starts`, `token_ends`, `ner_tags`, `mentions` |
| `casualties` | gold casualty figure | `id`, `doc_id`, `sentence`, then the gold record's fields (`quantity`, `outcome`, `unit`, `victim`, ...) |
| `non_casualty` | annotated non-casualty number | `id`, `doc_id`, `sentence`, `start`, `end`, `text`, `kind` |
| `attribution` | gold relation | `id`, `doc_id`, `sentence`, then the gold record's fields (`source`, `cue`, `content`, `mode`, `parent`, ...) |

- Rows of `ner` are the benchmark's own sentences and tokens (`bench.documents.tokenize`),
  shaped like conll2003: `tokens`, and `ner_tags` as IOB2 tags, a `ClassLabel` over
  `bench.tasks.ner.export.TAG_NAMES` = O, B-PER, I-PER, B-ORG, I-ORG, B-GPE, I-GPE, B-LOC, I-LOC, B-FAC,
  I-FAC, B-NORP, I-NORP, B-EVENT, I-EVENT (fixed; "O" first, then the gold labels in
  `NerLabel` order). `token_starts`/`token_ends` are code-point offsets into the
  document's text, so a tag sequence gives back exact character spans; `mentions` keeps
  the gold mentions of the sentence with their ids, labels and entity ids, which IOB2
  cannot carry.
- IOB2 is lossless here: `bench validate` guarantees that every gold mention is
  token-aligned, inside one sentence and overlaps no other (see `bench.tasks.ner.bio`).
  Gold that breaks this (a tree given with `root`) stops the export with one line.
- Records are the gold's own nested shape (gold/README.md documents each field), plus
  `doc_id` and `sentence`: the sentence of the figure's quantity, the number, or the
  relation's cue (content may run over several sentences). `parent` keeps the enclosing
  relation's id; `casualties.attribution` and `attribution.figures` keep the links.
  A record without a `note` has `note: None`.
- Split: the benchmark is an evaluation set of two articles, so every configuration has
  one split, `test`, holding both documents. There is no train or validation split; two
  documents that share their entities would make any split leak.

Formats (`writer.py` picks one; `DIR/manifest.json` records the configurations, row
counts, document order, gold versions and the tag names):

- `hf` (`hf.py`): `DIR/<configuration>/`, a `DatasetDict.save_to_disk`, read with
  `datasets.load_from_disk`; beside them `DIR/data/<configuration>/test.parquet` (the same
  rows and features) and the dataset card `DIR/README.md` (`card.py`: YAML metadata with a
  `configs:` block over those Parquet files, then the description, tasks and label
  sets, sizes, source articles, annotation process, agreement quoted from
  gold/README.md, sensitive content, limitations, licence and citation), so that
  `datasets.load_dataset(DIR, "<configuration>")` reads the folder offline as the Hub
  would. Needs the `[hf]` extra.
- `jsonl` (`jsonl.py`): `DIR/<configuration>.jsonl`, one row per line, tags as strings.
- `conll` (`conll.py`): `DIR/<table>.conll`, CoNLL-2003 columns, for the tables of token
  rows with tags (NER's `ner`: `DIR/ner.conll`).

Nothing here touches the network.
"""

from bench.export.tables import DOCUMENTS, SPLIT
from bench.export.writer import ExportFormat, ExportSummary, export

__all__ = ["DOCUMENTS", "SPLIT", "ExportFormat", "ExportSummary", "export"]
