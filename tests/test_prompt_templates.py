"""The packaged prompt templates: their worked examples are invented, never the articles'."""

from __future__ import annotations

import re
from importlib import resources

import pytest

from bench.documents.corpus import Document
from bench.systems.llm.copying import choices
from bench.systems.llm.prompts import PROMPT_VERSIONS, load_prompt
from bench.tasks.attribution.task import AttributionTask
from bench.tasks.base import TaskName
from bench.tasks.ner.task import NerTask


def gold_names(corpus) -> set[str]:
    """Every name the gold knows: NER entity names and mention texts, and named attribution sources."""
    names: set[str] = set()
    for gold in NerTask().load_gold(corpus.root, corpus).values():
        names |= {e.name for e in gold.entities} | {m.text for m in gold.mentions}
    for gold in AttributionTask().load_gold(corpus.root, corpus).values():
        names |= {r.source.text for r in gold.relations if r.source.text and r.source.entity}
    return names


def templates():
    root = resources.files("bench.systems.llm").joinpath("prompts")
    return [(version, task, root.joinpath(version, f"{task.value}.txt").read_text(encoding="utf-8")) for version in PROMPT_VERSIONS for task in TaskName]


@pytest.mark.parametrize("version, task, text", templates(), ids=lambda v: getattr(v, "value", v) if not isinstance(v, str) or len(v) < 20 else "text")
def test_no_name_from_the_gold_appears_in_any_template(corpus, version, task, text):
    names = gold_names(corpus)
    assert len(names) > 50
    # a name counts when it stands as a whole word, in its own case ("US" is a name, "us" is not)
    found = sorted(n for n in names if re.search(r"(?<!\w)" + re.escape(n) + r"(?!\w)", text))
    assert not found, f"prompts/{version}/{task.value}.txt uses names from the articles: {found}"


def test_every_bounded_template_has_a_worked_example_in_the_answer_schema():
    from jsonschema import Draft202012Validator

    from bench.systems.llm.answers import answer_schema, extract_json

    for version in ("1.2.0", "1.3.0"):
        for task in TaskName:
            prompt = load_prompt(task, version=version)
            assert prompt.version == version and prompt.examples and prompt.copies, task
            for question, answer in prompt.examples:
                value = extract_json(answer)
                assert isinstance(value, dict) and any(value.values()), task
                Draft202012Validator(answer_schema(task, by_label=prompt.by_label)).validate(value)
                # the example obeys the copy rules its own answers are held to
                passage = question.split("Text:", 1)[1].strip()
                example = Document("example", passage, "0" * 64, None)  # type: ignore[arg-type]
                offered = choices(task, example, 0, len(passage), prompt.capitalised, prompt.clauses)
                if prompt.by_label:
                    assert all(name in offered["text"] for names in value.values() for name in names), (version, task, value)
                    continue
                for record in next(iter(value.values())):
                    for field, allowed in offered.items():
                        assert record[field] in allowed, (version, task, field, record[field])
            messages = prompt.messages("PASSAGE")
            assert [m["role"] for m in messages] == ["system"] + ["user", "assistant"] * len(prompt.examples) + ["user"]
            assert messages[-1]["content"].endswith("PASSAGE")
    assert not load_prompt(TaskName.NER, version="1.0.0").examples


def test_the_invented_development_set_shares_no_name_with_the_articles(corpus):
    """benchmarks/devset is where prompts are developed; it must owe nothing to the articles."""
    from pathlib import Path

    texts = sorted((Path(__file__).resolve().parents[1] / "benchmarks" / "devset" / "seeds").glob("*.txt"))
    assert len(texts) >= 4
    names = gold_names(corpus)
    for path in texts:
        text = path.read_text(encoding="utf-8")
        found = sorted(n for n in names if re.search(r"(?<!\w)" + re.escape(n) + r"(?!\w)", text, re.IGNORECASE))
        assert not found, f"{path.name} uses names from the articles: {found}"
