"""The exported dataset's card: `DIR/README.md`, YAML metadata and a `configs:` block over data files.

Where it sits: the export (`bench/export/`), generic over the tasks: what the card says
about a task is the task's `TaskCard` (`bench.tasks.exporting`, in each task's
`export.py`); this module assembles the card and names no task. `bench export --format
hf DIR` writes it beside the `save_to_disk` folders and the Parquet data files
(`hf.py`), so that `datasets.load_dataset(DIR, CONFIG)` reads the export offline as the
Hugging Face Hub would.

Sections: the YAML front matter (language, licence, Hub task tags, size category, a
`configs:` entry per configuration naming its data file, and `dataset_info` with the
features and split sizes), then the description, the tasks with their label sets and
headline metrics, the configurations and their sizes, how to load them, the source
articles (what their texts state about themselves: outlet, headline, date, byline,
address, copyright), the annotation process, each task's inter-annotator agreement
(quoted whole from `gold/README.md`, never retyped), sensitive content, known
limitations, the licence and a citation.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping, Sequence

from bench.about import BENCHMARK_NAME, DESCRIPTION, LICENCE, __version__
from bench.documents.corpus import Corpus
from bench.tasks.base import Task

CARD = "README.md"
UNKNOWN = "unknown (the text does not state it)"
LICENCE_NOTE = (
    f"The annotations (the gold files and every field of this export that is not article text) are under the {BENCHMARK_NAME} "
    f"project's licence, {LICENCE}. The article texts (`documents.text`, and the `text`, `tokens` and span texts copied from "
    "them) remain the copyright of their publishers; the texts name no publisher and carry no copyright notice or licence "
    "(seeds/articles.json: `copyright.status` unknown). They are included, byte for byte, so that the character offsets can be "
    "checked, for research evaluation; they are not relicensed, and redistributing them is up to you and their publishers."
)
GENERIC_LIMITATIONS = (
    "Two articles about one episode, both dated 6 March 2025, from unnamed outlets: the scores say how a system reads these two "
    "texts, not news in general. Intervals are bootstrapped over sentences for that reason.",
    "An evaluation set only: one split, `test`. There is no training or validation data, and the two articles share their "
    "entities, so any split of them would leak.",
    "The guidelines decide their hard cases with worked examples taken from these same articles, and the second annotators "
    "worked from those guidelines: the agreement figures show that the guidelines determine the gold, not that independent "
    "annotators would agree without them.",
    "The texts are kept as published, typos, a truncated caption and partisan wording included (\"jihadist regime\", "
    "\"Al-Qaeda-linked government\"). Annotations describe what the texts say, never whether it is true.",
)
SENSITIVE = (
    "The articles report a violent episode as it unfolded: killings, field executions, kidnappings and ambushes, with counts of "
    "the dead. They name real people (heads of state and government, a military commander, a human-rights group's "
    "director, a journalist, a photographer) and quote unnamed residents and fighters, and they name religious, ethnic and "
    "political groups (Alawite, Sunni and Shiite communities, Islamist and jihadist groups) in the context of sectarian violence, in the outlets' own, sometimes loaded, words. Nothing was anonymised: every name is as "
    "published. Do not use the annotations to profile people or groups."
)


def agreement_section(root: Path, heading: str) -> str | None:
    """The body of the section `## {heading}` of `root/gold/README.md`, verbatim (None when absent)."""
    try:
        text = (Path(root) / "gold" / "README.md").read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    marker = f"## {heading}\n"
    if marker not in text:
        return None
    body = text.split(marker, 1)[1]
    return body.split("\n## ", 1)[0].strip("\n")


def metadata(tasks: Sequence[Task], data_files: Mapping[str, str], rows: Mapping[str, int], dataset_info: list[dict[str, Any]]) -> dict[str, Any]:
    """The card's YAML front matter, as a mapping (keys in the Hub's usual order)."""
    cards = [task.card for task in tasks if getattr(task, "card", None) is not None]
    largest = max(rows.values(), default=0)
    size = "n<1K" if largest < 1_000 else "1K<n<10K" if largest < 10_000 else "10K<n<100K"
    return {
        "pretty_name": BENCHMARK_NAME,
        "language": ["en"],
        "license": "other",
        "license_name": f"{LICENCE.lower()}-annotations-publishers-texts",
        "license_details": LICENCE_NOTE,
        "annotations_creators": ["expert-generated"],
        "language_creators": ["found"],
        "multilinguality": ["monolingual"],
        "size_categories": [size],
        "source_datasets": ["original"],
        "task_categories": sorted({c for card in cards for c in card.task_categories}),
        "task_ids": sorted({i for card in cards for i in card.task_ids}),
        "tags": ["information-extraction", "news", "evaluation"],
        "configs": [{"config_name": config, "data_files": [{"split": split, "path": path}]} for config, (split, path) in _files(data_files)],
        "dataset_info": dataset_info,
    }


def _files(data_files: Mapping[str, str]) -> list[tuple[str, tuple[str, str]]]:
    from bench.export.tables import SPLIT

    return [(config, (SPLIT, path)) for config, path in data_files.items()]


def _cell(value: Any) -> str:
    return (UNKNOWN if value is None else str(value)).replace("|", "\\|").replace("\n", " ")


def _task_section(task: Task, configs: Sequence[str]) -> list[str]:
    card = task.card
    spec = task.catalogue.headline
    lines = [f"### {card.title}", "", card.summary, "", f"Configurations: {', '.join(f'`{c}`' for c in configs)}. "
             f"Headline metric: {spec.titled(spec.views[0] if spec.views else None)} (`{spec.name}`, scorer {task.scorer_version}).", ""]
    for name, labels in card.labels.items():
        lines.append(f"- {name}: {', '.join(f'`{label}`' for label in labels)}")
    return lines + [""]


def card_text(corpus: Corpus, tasks: Sequence[Task], tables: Mapping[str, tuple[str, int]], folders: Mapping[str, str],
              gold: Mapping[str, Mapping[str, str]], front_matter: Mapping[str, Any]) -> str:
    """The whole card: `tables` config -> (its task's name, or "" for the articles; rows),
    `folders` config -> its `save_to_disk` folder, `gold` task -> version and sha256."""
    import yaml  # comes with `datasets` (the hf export's extra)

    from bench.export.tables import DOCUMENTS

    data_files = {c["config_name"]: c["data_files"][0]["path"] for c in front_matter["configs"]}
    carded = [task for task in tasks if getattr(task, "card", None) is not None]
    lines = ["---", yaml.safe_dump(dict(front_matter), sort_keys=False, allow_unicode=True, width=10_000).rstrip("\n"), "---", "",
             f"# {BENCHMARK_NAME}", "", f"{DESCRIPTION} Version {__version__}, exported by `bench export --format hf`.", ""]
    lines += ["## Dataset description", "",
              "Each task is one or more configurations; every configuration has one split, `test`. Every offset is a half-open "
              "`[start, end)` range of Unicode code points into `documents.text` (the article as published), and every span keeps "
              "its text. Tasks:", ""]
    lines += [f"- **{task.card.title}** (`{task.name}`)" for task in carded] + ["", "## Tasks", ""]
    for task in carded:
        lines += _task_section(task, [c for c, (owner, _) in tables.items() if owner == task.name])
    lines += ["## Configurations and sizes", "", "| configuration | task | rows (test) | data file | `save_to_disk` folder |", "|---|---|---|---|---|"]
    lines += [f"| `{c}` | {f'`{owner}`' if owner else 'the articles'} | {n} | `{data_files.get(c, '')}` | `{folders.get(c, c)}/` |" for c, (owner, n) in tables.items()]
    sentences = sum(len(d.sentences) for d in corpus.values())
    tokens = sum(len(d.tokens) for d in corpus.values())
    lines += ["", f"{len(corpus)} articles, {sentences} sentences and {tokens:,} tokens of the benchmark's own splitter and tokenizer.", ""]
    first = next((c for c, (owner, _) in tables.items() if owner), next(iter(tables), DOCUMENTS))
    lines += ["## Loading", "", "```python", "import datasets", "",
              f'ds = datasets.load_dataset("DIR", "{first}")        # the configs: block above; works offline',
              f'ds = datasets.load_from_disk("DIR/{folders.get(first, first)}")   # the save_to_disk folder', "```", "",
              "Both give the same rows and features (`DIR` is this folder). `bench.load_dataset(NAME)` builds them from the gold.", ""]
    lines += ["## Source articles", "", "What each text states about itself (seeds/articles.json); anything it does not state is unknown.", "",
              "| doc_id | headline | date | outlet | byline | source URL | copyright |", "|---|---|---|---|---|---|---|"]
    for document in corpus.values():
        m = document.meta
        rights = m.copyright.notice if m.copyright.status == "stated" else "unknown: no notice in the text; the publisher's"
        lines.append(f"| `{document.id}` | {_cell(m.headline)} | {_cell(m.date)} | {_cell(m.outlet)} | {_cell(m.byline)} | {_cell(m.source_url)} | {_cell(rights)} |")
    lines += ["", "## Annotation process", "",
              "The gold was written by hand against annotation guidelines (gold/GUIDELINES.md in the benchmark, one section per task), "
              "checked by `bench validate` (offsets, texts, token boundaries, links between tasks), and versioned per task:", "",
              "| task | gold version | sha256 |", "|---|---|---|"]
    lines += [f"| `{name}` | {ref.get('version', '')} | `{str(ref.get('sha256', ''))[:16]}…` |" for name, ref in gold.items()] + [""]
    for task in carded:
        lines += [f"### {task.card.title}", "", task.card.annotation, ""]
    lines += ["## Agreement", "", "Quoted whole from gold/README.md.", ""]
    for task in carded:
        body = agreement_section(corpus.root, task.card.agreement)
        lines += [f"### {task.card.agreement}", "", body if body is not None else f"(gold/README.md of this tree has no section `## {task.card.agreement}`.)", ""]
    lines += ["## Sensitive content", "", SENSITIVE, "", "## Known limitations", ""]
    lines += [f"- {item}" for item in GENERIC_LIMITATIONS] + [f"- {task.card.title}: {item}" for task in carded for item in task.card.limitations]
    lines += ["", "## Licence", "", LICENCE_NOTE, "", "## Citation", "", "```bibtex",
              f"@misc{{{BENCHMARK_NAME.replace('-', '_')},",
              f"  title        = {{{{{BENCHMARK_NAME}}}: a small, deep information-extraction benchmark on reporting of the March 2025 clashes on Syria's coast}},",
              f"  author       = {{{{{BENCHMARK_NAME} contributors}}}},",
              f"  note         = {{Version {__version__}; gold " + ", ".join(f"{name} {ref.get('version', '')}" for name, ref in gold.items()) + "}",
              "}", "```", ""]
    return "\n".join(lines)


__all__ = ["CARD", "LICENCE_NOTE", "agreement_section", "card_text", "metadata"]
