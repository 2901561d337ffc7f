"""The packaged prompt templates: their worked examples are invented, never the articles'."""

from __future__ import annotations

import re

import pytest

from bench.documents.corpus import Document
from bench.documents.windows import Window
from bench.systems.llm.prompts import load_prompt, prompt_versions
from bench.tasks import all_tasks
from bench.tasks.attribution.task import AttributionTask
from bench.tasks.llm import choices
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
    return [(version, task.name, task.llm.template(version)) for task in all_tasks() for version in task.llm.versions]


@pytest.mark.parametrize("version, task, text", templates(), ids=lambda v: getattr(v, "value", v) if not isinstance(v, str) or len(v) < 20 else "text")
def test_no_name_from_the_gold_appears_in_any_template(corpus, version, task, text):
    names = gold_names(corpus)
    assert len(names) > 50
    # a name counts when it stands as a whole word, in its own case ("US" is a name, "us" is not)
    found = sorted(n for n in names if re.search(r"(?<!\w)" + re.escape(n) + r"(?!\w)", text))
    assert not found, f"{task}/prompts/{version}.txt uses names from the articles: {found}"


def test_every_bounded_template_has_a_worked_example_in_the_answer_schema():
    from jsonschema import Draft202012Validator

    from bench.systems.llm.answers import extract_json

    for version in ("1.2.0", "1.3.0"):
        for task in all_tasks():
            prompt = load_prompt(task, version=version)
            assert prompt.version == version and prompt.examples and prompt.format.copy is not None, task
            by_label = "entities" not in prompt.format.schema()["properties"] and task.name == "ner"
            for question, answer in prompt.examples:
                value = extract_json(answer)
                assert isinstance(value, dict) and any(value.values()), task
                Draft202012Validator(prompt.format.schema()).validate(value)
                # the example obeys the copy rules its own answers are held to
                passage = question.split("Text:", 1)[1].strip()
                example = Document("example", passage, "0" * 64, None)  # type: ignore[arg-type]
                offered = choices(prompt.format, Window(0, 0, len(passage), 0, len(passage)), example)
                if by_label:
                    assert all(name in offered["text"] for names in value.values() for name in names), (version, task, value)
                    continue
                for record in next(iter(value.values())):
                    for field, allowed in offered.items():
                        assert record[field] in allowed, (version, task, field, record[field])
            messages = prompt.messages("PASSAGE")
            assert [m["role"] for m in messages] == ["system"] + ["user", "assistant"] * len(prompt.examples) + ["user"]
            assert messages[-1]["content"].endswith("PASSAGE")
    assert not load_prompt(NerTask(), version="1.0.0").examples


def test_the_invented_development_set_shares_no_name_with_the_articles(corpus):
    """devset/ is where prompts are developed; it must owe nothing to the articles."""
    from pathlib import Path

    texts = sorted((Path(__file__).resolve().parents[1] / "devset" / "seeds").glob("*.txt"))
    assert len(texts) >= 4
    names = gold_names(corpus)
    for path in texts:
        text = path.read_text(encoding="utf-8")
        found = sorted(n for n in names if re.search(r"(?<!\w)" + re.escape(n) + r"(?!\w)", text, re.IGNORECASE))
        assert not found, f"{path.name} uses names from the articles: {found}"
