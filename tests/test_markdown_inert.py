"""System names, versions and file names from results files render as inert text in
leaderboard.md (bench.reports.markdown): checked by rendering with markdown-it, a
CommonMark parser, with GitHub's tables and strikethrough on."""

from __future__ import annotations

import html
import json
import re
import shutil

from hypothesis import given, settings, strategies as st
from markdown_it import MarkdownIt

from bench.errors import printable
from bench.reports.markdown import inert, link_target

from conftest import REPO, run_bench

MD = MarkdownIt("commonmark").enable(["table", "strikethrough"])
HOSTILE = "x\n# Owned\n[click](http://evil.example) <script>alert(1)</script> ![i](a.png) www.evil.com a@b.co *em* `code` | cell ~~s~~ &amp; \x1b[31m"


def _expected(text: str) -> str:
    return printable(re.sub(r"[\r\n\u2028\u2029\x0b\x0c\x85]+", " ", text))


def _text_of(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", fragment))


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_inert_text_renders_as_itself_in_a_paragraph(text):
    rendered = MD.render("lead " + inert(text))
    tags = set(re.findall(r"</?([a-z0-9]+)", rendered))
    assert tags <= {"p"}, rendered
    assert _text_of(rendered).strip() == ("lead " + _expected(text)).strip()


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_inert_text_stays_one_table_cell(text):
    rendered = MD.render(f"| a | b |\n|---|---|\n| {inert(text)} | z |\n")
    body = rendered.split("<tbody>")[1].split("</tbody>")[0] if "<tbody>" in rendered else ""
    cells = re.findall(r"<td>(.*?)</td>", body, flags=re.S)
    if _expected(text).strip():
        assert len(cells) == 2 and _text_of(cells[0]).strip() == _expected(text).strip() and cells[1] == "z", rendered
    assert not set(re.findall(r"</?([a-z0-9]+)", body)) - {"tr", "td"}, rendered


def test_link_target_keeps_a_file_name_inside_its_link():
    rendered = MD.render(f"[name]({link_target('results/a (b) [c] d.json')})")
    assert rendered.count("<a ") == 1 and 'href="results/a%20%28b%29%20%5Bc%5D%20d.json"' in rendered


def test_a_hostile_system_name_adds_no_heading_link_or_html_to_the_leaderboard(tmp_path):
    folder = tmp_path / "results"
    folder.mkdir()
    for name in ("empty.json", "rules.json"):
        shutil.copy(REPO / "results" / name, folder / name)
    record = json.loads((folder / "empty.json").read_text(encoding="utf-8"))
    record["system"] |= {"name": HOSTILE, "version": HOSTILE}
    record["run"].pop("predictions", None)
    (folder / "hostile (1).json").write_text(json.dumps(record), encoding="utf-8")
    out = tmp_path / "leaderboard.md"
    result = run_bench("leaderboard", "--results", str(folder), "--out", str(out))
    assert result.returncode == 0, result.stderr
    text = out.read_text(encoding="utf-8")
    assert "\x1b" not in text
    rendered = MD.render(text)
    headings = re.findall(r"<h[1-6]>(.*?)</h[1-6]>", rendered)
    assert headings == ["Leaderboard", "ner", "casualties", "attribution"]
    links = re.findall(r'<a href="([^"]*)"', rendered)
    assert links and all(link.startswith("results/") for link in links), links
    assert "<script" not in rendered and "<img" not in rendered and "<em>" not in rendered and "<del>" not in rendered
    assert _text_of(rendered).count("[click](http://evil.example)") == 6  # shown, as text: name and version in each task's table
