"""`bench report`: the HTML error-analysis page.

What the page shows is recomputed with the scorers' own alignment, so it must agree
with the results record; it refuses inputs that do not match (one line, exit 2); every
string a predictions file can carry is escaped; and, rendered in headless Chromium, the
page shows the legend, the tables, the chart and the error markers, and a `<script>`
from a prediction as text, never as an element. The browser test writes a screenshot
to test-artifacts/report.png.
"""

from __future__ import annotations

import json
import re
import subprocess
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bench.tasks.ner.types import Span
from conftest import REPO, require_chromium, run_bench

DOC = "000_5cf36fedf2077db3"
SCRIPT = "<script>alert(1)</script>"  # an NER text-only prediction: ungrounded, listed as text
TITLE_SCRIPT = "<script>document.title='PWNED'</script>"  # attribution content: ungrounded
IMG = '"><img src=x onerror=alert(2)>'  # a casualty victim text: unchecked free text
BOLD = "<b>bold</b> monitors"  # an attribution source text


# --- the alignment the page shows -----------------------------------------------------------

span_st = st.builds(
    lambda start, length, label: Span(start, start + length, label),
    st.integers(0, 12),
    st.integers(1, 4),
    st.sampled_from(["PER", "ORG"]),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(span_st, max_size=6), st.lists(span_st, max_size=6))
def test_align_spans_accounts_for_every_span_once(gold, pred):
    from bench.tasks.ner.matching import align_spans, classify_errors
    from bench.tasks.ner.scoring import strict_counts

    alignment = align_spans(gold, pred)
    assert list(alignment.errors) == classify_errors(gold, pred)
    assert len(alignment.correct) == strict_counts(gold, pred).tp
    gold_seen = list(alignment.correct) + [e.gold for e in alignment.errors if e.gold is not None]
    pred_seen = list(alignment.correct) + [e.pred for e in alignment.errors if e.pred is not None]
    assert Counter(gold_seen) == Counter(gold) and Counter(pred_seen) == Counter(pred)


def test_overlapping_predictions_are_listed_not_lost():
    from bench.reports.html.text_view import Drawn, marked_text
    from bench.tasks.alignment import Mark
    from bench.tasks.ner.alignment import PRESENTATION

    text = "a <b> Syrian Arab Army c"
    correct, spurious = PRESENTATION.status("correct"), PRESENTATION.status("spurious")
    outer, inner = Drawn(Mark(6, 22, "ORG"), correct, None), Drawn(Mark(6, 12, "NORP"), spurious, 1)
    body, left_out = marked_text(text, [inner, outer])
    assert left_out == [inner] and body.count("<mark") == 1
    assert body.startswith("a &lt;b&gt; <mark") and body.endswith("</mark> c")


def _payload(corpus) -> list[dict]:
    """The gold as predictions, with one error of each kind and hostile strings in DOC."""
    from bench.harness.predictions import prediction_to_json
    from bench.systems.base import DocumentPrediction
    from bench.tasks import all_tasks

    tasks = all_tasks()
    lines = []
    for doc_id, document in corpus.items():
        items = {t.name: t.gold_as_predictions(t.load_gold(corpus.root, corpus)[doc_id]) for t in tasks}
        line = prediction_to_json(DocumentPrediction(doc_id, items))
        if doc_id == DOC:
            ner = sorted(line["ner"], key=lambda m: m["start"])
            ner.pop(0)  # missed
            ner[0]["label"] = "ORG" if ner[0]["label"] != "ORG" else "PER"  # type
            long = next(m for m in ner[1:] if m["end"] - m["start"] > 3)
            long["end"] -= 1  # boundary
            del long["text"]
            taken = [(m["start"], m["end"]) for m in line["ner"]]
            free = next(t for t in document.tokens if t.text.isalpha() and not any(s < t.end and t.start < e for s, e in taken))
            ner.append({"start": free.start, "end": free.end, "label": "LOC"})  # spurious
            ner.append({"text": SCRIPT, "label": "PER"})  # ungrounded
            line["ner"] = ner
            line["casualties"].pop(0)  # missed
            quantity = line["casualties"][0]["quantity"]
            quantity["low"] += 1  # half credit: another interval that overlaps
            quantity.pop("point", None)
            victim = line["casualties"][0]["victim"]
            victim["category"] = "armed_group"  # not part of the credit, shown as a mismatch
            victim["text"] = IMG
            parents = {r.get("parent") for r in line["attributions"]}
            drop = next(r for r in line["attributions"] if r["id"] not in parents)
            line["attributions"].remove(drop)  # missed
            named = next(r for r in line["attributions"] if r["source"].get("text") == "The National")
            named["source"] = {"text": "The Emirati newspaper The National", "type": "media"}  # right by its head
            line["attributions"].append(
                {"id": "x1", "source": {"text": BOLD, "type": "monitor"}, "cue": {"text": "said"}, "content": [{"text": TITLE_SCRIPT}], "mode": "direct"}
            )
        lines.append(line)
    return lines


@pytest.fixture()
def scored(tmp_path, corpus):
    """(results, predictions): the payload scored by `bench score --out`."""
    predictions = tmp_path / "payload.jsonl"
    predictions.write_text("".join(json.dumps(line) + "\n" for line in _payload(corpus)), encoding="utf-8")
    results = tmp_path / "payload.json"
    result = run_bench("score", str(predictions), "--out", str(results), "--json")
    assert result.returncode == 0, result.stderr
    return results, predictions


def test_the_page_shows_what_the_scorer_counted(scored):
    from bench.results.rescore import rescore
    from bench.tasks.attribution.alignment import RecordStatus as RelationStatus
    from bench.tasks.casualties.alignment import RecordStatus
    from bench.tasks.ner.alignment import SpanStatus

    results, _ = scored
    inputs = rescore(results, keep_rows=True)  # what `bench report` draws: the one scoring's rows
    record = json.loads(results.read_text())
    rows = {task: [r for a in score.alignments.values() for r in a.rows] for task, score in inputs.scores.items()}
    ner = rows["ner"]
    listed = Counter(e["kind"] for e in record["errors"]["ner"] if e["view"] == "gold")
    shown = Counter(r.status.value for r in ner if r.status is not SpanStatus.CORRECT)
    assert shown == listed and {"missed", "spurious", "type", "boundary", "ungrounded"} <= set(shown)
    headline = next(r for r in inputs.metrics if r.task == "ner" and r.metric == "strict_f1" and r.view == "gold" and r.label is None)
    assert sum(r.status is SpanStatus.CORRECT for r in ner) == headline.tp
    for task in ("casualties", "attribution"):
        f1 = next(r for r in inputs.metrics if r.task == task and r.metric == "f1" and r.label is None)
        assert sum(r.credit for r in rows[task]) == f1.tp
        assert sum(r.gold is not None for r in rows[task]) == f1.support and sum(r.pred is not None for r in rows[task]) == f1.predicted
    statuses = {r.status.value for r in rows["casualties"] + rows["attribution"]}
    assert {"partial_credit", "missed", "ungrounded", "correct"} <= statuses
    aligned = [r for r in rows["attribution"] if r.gold is not None and r.pred is not None]
    assert all(r.source_check for r in aligned)  # every aligned pair says which heads were compared
    (national,) = [r for r in aligned if r.pred.source.text == "The Emirati newspaper The National"]
    assert national.status is RelationStatus.CORRECT and "compared 'national' (the_national)" in national.source_check
    (half,) = [r for r in rows["casualties"] if r.status is RecordStatus.PARTIAL_CREDIT]
    assert half.mismatch == ("value", "victim")


# --- finding and checking the inputs --------------------------------------------------------


def test_eval_and_score_record_their_predictions_file(tmp_path):
    results, predictions = tmp_path / "r.json", tmp_path / "p.jsonl"
    assert run_bench("eval", "empty", "--out", str(results), "--save-predictions", str(predictions)).returncode == 0
    run = json.loads(results.read_text())["run"]
    assert run["predictions"] == "p.jsonl" and len(run["predictions_sha256"]) == 64
    rescored = tmp_path / "sub" / "r2.json"
    assert run_bench("score", str(predictions), "--out", str(rescored)).returncode == 0
    assert json.loads(rescored.read_text())["run"]["predictions"] == "../p.jsonl"
    html = tmp_path / "report.html"
    result = run_bench("report", str(rescored), "--html", str(html))
    assert result.returncode == 0, result.stderr
    assert "<svg" in html.read_text(encoding="utf-8")


def _fresh_rules(tmp_path) -> tuple[Path, Path]:
    results, predictions = tmp_path / "rules.json", tmp_path / "rules.jsonl"
    assert run_bench("eval", "rules", "--out", str(results), "--save-predictions", str(predictions)).returncode == 0
    return results, predictions


def _edit_record(path: Path, change) -> None:
    record = json.loads(path.read_text())
    change(record)
    path.write_text(json.dumps(record))


def test_bad_inputs_are_refused_with_one_line(tmp_path):
    from bench.errors import BenchError
    from bench.reports.html.inputs import load_inputs

    results, predictions = _fresh_rules(tmp_path)
    empty = tmp_path / "empty.jsonl"
    assert run_bench("eval", "empty", "--save-predictions", str(empty)).returncode == 0

    def refused(expected: str, *args, **kwargs) -> None:
        with pytest.raises(BenchError) as caught:
            load_inputs(*args, **kwargs)
        assert expected in caught.value.message and "\n" not in caught.value.message, caught.value.message

    (tmp_path / "junk.json").write_text("[1, 2]")
    refused("not a results file", tmp_path / "junk.json")
    refused("empty.jsonl: not the predictions file", results, predictions=empty)  # the recorded sha256
    moved = tmp_path / "moved.json"  # a record that does not name its predictions
    moved.write_text(results.read_text())
    _edit_record(moved, lambda r: [r["run"].pop(k) for k in ("predictions", "predictions_sha256")])
    refused("names no predictions file; pass --predictions", moved)
    refused("these predictions do not give the scores in", moved, predictions=empty)  # recomputed scores
    load_inputs(moved, predictions=predictions)  # the right file is accepted
    _edit_record(moved, lambda r: r["tasks"]["ner"].update(gold_sha256="0" * 64))
    refused("ner was scored on gold 1.0.0 (sha256 000000000000…), but the installed gold is", moved, predictions=predictions)
    predictions.write_text(predictions.read_text().replace('"label": "GPE"', '"label": "LOC"', 1))
    refused("not the predictions file", results)


def test_cli_refuses_with_exit_2_and_never_overwrites(tmp_path):
    results, predictions = _fresh_rules(tmp_path)
    predictions.unlink()
    html = tmp_path / "out.html"
    result = run_bench("report", str(results), "--html", str(html))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines() == [f"bench: error: {results}: its predictions file rules.jsonl is not there ({predictions}); pass --predictions P.jsonl"]
    assert not html.exists()
    results, predictions = _fresh_rules(tmp_path / "again")
    html.write_text("keep me")
    result = run_bench("report", str(results), "--html", str(html))
    assert result.returncode == 2 and "--force" in result.stderr and html.read_text() == "keep me"
    assert run_bench("report", str(results), "--html", str(html), "--force").returncode == 0
    assert "Error analysis: rules" in html.read_text(encoding="utf-8")


def test_a_conll_file_is_reported_in_the_conll_view(tmp_path):
    predictions = tmp_path / "conll.jsonl"
    predictions.write_text(json.dumps({"doc_id": DOC, "ner": [{"text": "Syria", "label": "LOC"}, {"text": "HTS", "label": "ORG"}]}) + "\n")
    results, html = tmp_path / "conll.json", tmp_path / "conll.html"
    assert run_bench("score", str(predictions), "--label-map", "conll", "--out", str(results)).returncode == 0
    result = run_bench("report", str(results), "--html", str(html))
    assert result.returncode == 0, result.stderr
    page = html.read_text(encoding="utf-8")
    assert "NER strict F1 per label (conll labels)" in page and 'class="chip lab-MISC"' in page


# --- escaping, then the page as Chromium shows it -------------------------------------------


def test_every_prediction_string_is_escaped_and_nothing_is_loaded(scored, tmp_path):
    results, _ = scored
    html = tmp_path / "report.html"
    assert run_bench("report", str(results), "--html", str(html)).returncode == 0
    page = html.read_text(encoding="utf-8")
    for hostile in (SCRIPT, TITLE_SCRIPT, IMG, BOLD):
        assert hostile not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "&quot;&gt;&lt;img src=x onerror=alert(2)&gt;" in page
    assert "<script" not in page.lower() and not re.search(r"<[a-z][^>]*\s(src|href|on\w+)=", page, re.IGNORECASE)
    assert "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src &#x27;none&#x27;; style-src &#x27;unsafe-inline&#x27;; img-src data:\">" in page


class _Dom(HTMLParser):
    """The elements (tag, attributes) and the text of a serialised DOM."""

    def __init__(self, markup: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict]] = []
        self.text: list[str] = []
        self.titles: list[str] = []  # the page's <title> first, then the SVG titles
        self._in_title = False
        self.feed(markup)

    @property
    def title(self) -> str:
        return self.titles[0] if self.titles else ""

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))
        self._in_title = tag == "title"
        if self._in_title:
            self.titles.append("")

    def handle_endtag(self, tag):
        self._in_title = False

    def handle_data(self, data):
        self.text.append(data)
        if self._in_title:
            self.titles[-1] += data

    def with_class(self, tag: str, css: str) -> list[dict]:
        return [a for t, a in self.elements if t == tag and css in (a.get("class") or "").split()]


def _chromium(browser: str, page: Path, profile: Path, *args: str) -> subprocess.CompletedProcess:
    command = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", f"--user-data-dir={profile}", *args, page.as_uri()]
    return subprocess.run(command, capture_output=True, text=True, timeout=120)


def test_report_renders_in_headless_chromium(scored, tmp_path):
    browser = require_chromium()
    # Control: this harness does see a script that runs (so the check below can fail).
    control = tmp_path / "control.html"
    control.write_text("<!DOCTYPE html><html><head><title>before</title></head><body><script>document.title='RAN'</script></body></html>")
    assert _Dom(_chromium(browser, control, tmp_path / "p0", "--dump-dom").stdout).title == "RAN"

    results, _ = scored
    html = tmp_path / "report.html"
    assert run_bench("report", str(results), "--html", str(html)).returncode == 0
    dumped = _chromium(browser, html, tmp_path / "p1", "--dump-dom")
    assert dumped.returncode == 0, dumped.stderr[-2000:]
    dom = _Dom(dumped.stdout)
    text = "".join(dom.text)
    # Hostile strings are text on the page, no element came from them, no script ran.
    for hostile in (SCRIPT, TITLE_SCRIPT, IMG, BOLD):
        assert hostile in text, hostile
    tags = Counter(tag for tag, _ in dom.elements)
    assert tags["script"] == 0 and tags["img"] == 0 and tags["b"] == 0
    assert not [a for _, a in dom.elements if any(k.startswith("on") for k in a)]
    assert dom.title == "Error analysis: file:payload.jsonl"
    # The legend, the chart, the tables and the markers are there.
    assert "Legend" in text and len(dom.with_class("span", "chip")) >= 7
    assert len(dom.with_class("svg", "chart")) == 2 and len(dom.with_class("rect", "bar")) >= 7 + 1
    assert "NER strict F1 per label (gold labels)" in text
    for css in ("ner-errors", "casualties", "attribution", "headlines"):
        assert dom.with_class("table", css), css
    for status in ("missed", "spurious", "boundary", "type", "correct"):
        assert dom.with_class("mark", f"k-{status}"), status
    for status in ("partial_credit", "missed", "ungrounded", "correct"):
        assert dom.with_class("tr", f"k-{status}"), status
    # The screenshot, kept as a test artefact.
    artefacts = REPO / "test-artifacts"
    artefacts.mkdir(exist_ok=True)
    shot = artefacts / "report.png"
    shot.unlink(missing_ok=True)
    taken = _chromium(browser, html, tmp_path / "p2", f"--screenshot={shot}", "--window-size=1280,2000")
    assert taken.returncode == 0 and shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


# Injected into a copy of the report: for each article column, its text (every text node
# the browser laid out: a badge's label is CSS-generated, so it is not text), the count of
# characters that got no box, and every character box that a badge's box overlaps.
_GEOMETRY = """<script>
(function () {
  const out = {texts: [], tags: 0, covered: [], unrendered: 0};
  const range = document.createRange();
  for (const col of document.querySelectorAll('.article-text')) {
    const tags = Array.from(col.querySelectorAll('.tag')).map(t => t.getBoundingClientRect());
    out.tags += tags.length;
    const walker = document.createTreeWalker(col, NodeFilter.SHOW_TEXT);
    let node, text = '';
    while ((node = walker.nextNode())) {
      text += node.data;
      for (let i = 0; i < node.data.length; i++) {
        if (/\\s/.test(node.data[i])) continue;
        range.setStart(node, i); range.setEnd(node, i + 1);
        const rects = Array.from(range.getClientRects()).filter(r => r.width > 0 && r.height > 0);
        if (!rects.length) out.unrendered++;
        for (const r of rects) {
          if (tags.some(t => r.left < t.right && t.left < r.right && r.top < t.bottom && t.top < r.bottom)) {
            out.covered.push(node.data[i]);
          }
        }
      }
    }
    out.texts.push(text);
  }
  document.title = JSON.stringify(out);
})();
</script>"""


def _geometry(browser: str, html: Path, tmp_path: Path, name: str, extra_css: str = "") -> dict:
    page = html.read_text(encoding="utf-8")
    page = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", page)  # let the probe run
    page = page.replace("</head>", f"<style>{extra_css}</style></head>").replace("</body>", _GEOMETRY + "</body>")
    probe = tmp_path / f"{name}.html"
    probe.write_text(page, encoding="utf-8")
    dumped = _chromium(browser, probe, tmp_path / f"profile-{name}", "--dump-dom", "--window-size=1280,2000")
    assert dumped.returncode == 0, dumped.stderr[-2000:]
    return json.loads(_Dom(dumped.stdout).title)


def test_badges_hide_no_character_of_the_article(corpus, tmp_path):
    """Rendered in Chromium, each article column reads exactly as the article (badges are
    not text), and no badge box overlaps any character box."""
    browser = require_chromium()
    # The rules baseline's real errors (many badges, "TARTUS" and "Pro-Assad" among them).
    results, saved = tmp_path / "rules.json", tmp_path / "rules.jsonl"
    assert run_bench("eval", "rules", "--out", str(results), "--save-predictions", str(saved)).returncode == 0
    html = tmp_path / "report.html"
    assert run_bench("report", str(results), "--html", str(html)).returncode == 0
    seen = _geometry(browser, html, tmp_path, "as-built")
    articles = {doc.text for doc in corpus.documents.values()}
    assert seen["tags"] >= 20
    assert seen["texts"] and all(text in articles for text in seen["texts"])
    assert set(seen["texts"]) == articles
    assert seen["covered"] == [] and seen["unrendered"] == 0
    # Control: the same probe sees badges drawn over the text (as the old inline badges were).
    control = _geometry(browser, html, tmp_path, "control", ".tag { bottom: 0 !important; }")
    assert len(control["covered"]) > 10
