"""Scoring at scale: bench against seqeval and nervaluate on synthetic data, in one run.

Run: python -m benchmarks.scale [--quick] [--markdown]
Every measurement runs in a fresh child process, so its peak RSS is its own: the peak
resident memory of that process while the measured call ran (data already built
included; Linux `VmHWM`, reset before the call). Times are one run each: wall clock,
and in brackets the process's CPU time, which a busy machine disturbs less. The ratio
is bench's time over the reference's. Libraries are imported before the clock starts.

What is generated (fixed seeds, so every run sees the same data):
- corpus N: N sentences of 8-20 words, one per line, 50 per document, about 1.9 gold
  mentions per sentence; predictions are the gold with some mentions dropped, cut or
  grown by a word, relabelled, and some spurious ones added (never overlapping, so
  that IOB2 tags can carry them). bench runs its full NER `score` (both label views,
  four schemes, error list, per-sentence units); seqeval runs `f1_score` in strict
  IOB2 mode, nervaluate `Evaluator(..., loader="list").evaluate()`; the floor is the
  cheapest strict count there is, one set intersection of the spans per document. "4 schemes" is bench's
  matching alone (`match_schemes` per document), the part nervaluate computes.
- long document M: one document with M gold mentions in chains of up to 8 overlapping
  or nested spans, predictions disturbed as above (and overlapping). bench scores all
  four schemes and classifies the errors; nervaluate (dict spans, one document) is
  quadratic in M and runs only up to `--nervaluate-max`; the dense matrix matcher that
  bench used before only up to `--dense-max`.
- attribution R: the first article repeated until its gold has R relations, the gold
  as predictions with a third of the contents cut by a few characters; bench's
  `align` against the dense one.
- bootstrap: 100k sentences of random tp/fp/fn, 10,000 resamples (R = 300 for the
  all-at-once matrix bench built before, which runs out of memory at 10,000).

"agree" compares what both sides compute: strict P/R/F1 with seqeval; the four schemes'
counts with nervaluate (which matches greedily in list order, so on overlapping spans it
may legitimately differ: then "differs" is printed with the schemes that do); for the
dense matcher and the all-at-once bootstrap, every count, error and interval.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import time
from pathlib import Path

LABELS = ("PER", "ORG", "GPE", "LOC")
SENTENCES_PER_DOC = 50
ROOT = Path(__file__).resolve().parent.parent  # the checkout: children run from it, as modules


# --- measuring ---------------------------------------------------------------------------


def _reset_peak() -> bool:
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def _peak_mb() -> float:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


CPU: dict[str, float] = {}


def measure(fn):
    """(result, wall seconds, peak RSS in MB) of one call; its CPU seconds go to CPU["last"]."""
    _reset_peak()
    c0, t0 = time.process_time(), time.perf_counter()
    result = fn()
    seconds = time.perf_counter() - t0
    CPU["last"] = time.process_time() - c0
    return result, seconds, _peak_mb()


# --- data ----------------------------------------------------------------------------------


def corpus_data(n_sentences: int, seed: int = 1):
    """(sentences, documents): each sentence (doc index, first char, word offsets, gold, pred),
    spans as (first word, last word + 1, label)."""
    rnd = random.Random(seed)
    sentences = []
    for k in range(n_sentences):
        n = rnd.randint(8, 20)
        gold, i = [], rnd.randint(0, 2)
        while i < n - 1:
            length = rnd.choice((1, 1, 2, 2, 3))
            if i + length >= n:
                break
            gold.append((i, i + length, rnd.choice(LABELS)))
            i += length + rnd.randint(2, 10)
        pred, taken = [], set()
        for s, e, label in gold:
            r = rnd.random()
            if r < 0.07:
                continue
            if r < 0.12 and e - s > 1:
                s += 1
            elif r < 0.17 and e < n and all(w not in taken for w in (e,)) and not any(g[0] == e for g in gold):
                e += 1
            elif r < 0.22:
                label = rnd.choice([x for x in LABELS if x != label])
            pred.append((s, e, label))
            taken.update(range(s, e))
        for _ in range(1 if rnd.random() < 0.1 else 0):
            w = rnd.randrange(n)
            if w not in taken and w - 1 not in taken and w + 1 not in taken and not any(g[0] <= w < g[1] for g in gold):
                pred.append((w, w + 1, rnd.choice(LABELS)))
        pred.sort()
        sentences.append((k // SENTENCES_PER_DOC, n, gold, pred))
    return sentences


def iob2(n: int, spans) -> list[str]:
    tags = ["O"] * n
    for s, e, label in spans:
        tags[s] = f"B-{label}"
        for k in range(s + 1, e):
            tags[k] = f"I-{label}"
    return tags


def bench_corpus(sentences):
    """A `Corpus` of synthetic documents and the NER scorer's inputs for it."""
    from bench.documents.corpus import ArticleMeta, Corpus, Document, sha256_bytes
    from bench.tasks.ner.scoring import DocumentInput
    from bench.tasks.ner.types import Span

    lines: dict[int, list[str]] = {}
    spans: dict[int, tuple[list, list]] = {}
    offsets: dict[int, int] = {}
    for doc, n, gold, pred in sentences:
        base = offsets.get(doc, 0)
        words = [f"W{i}" for i in range(n)]
        starts, pos = [], base
        for w in words:
            starts.append(pos)
            pos += len(w) + 1
        line = " ".join(words) + " ."
        lines.setdefault(doc, []).append(line)
        offsets[doc] = base + len(line) + 1
        g, p = spans.setdefault(doc, ([], []))
        g += [Span(starts[s], starts[e - 1] + len(words[e - 1]), label) for s, e, label in gold]
        p += [Span(starts[s], starts[e - 1] + len(words[e - 1]), label) for s, e, label in pred]
    documents, inputs = {}, {}
    for doc, doc_lines in lines.items():
        text = "\n".join(doc_lines)
        doc_id = f"doc{doc:06d}"
        meta = ArticleMeta(doc_id, None, "synthetic", "2025-03-06", "6 March 2025", None, sha256_bytes(text.encode()))
        documents[doc_id] = Document(doc_id, text, meta.sha256, meta)
        documents[doc_id].sentences  # tokenise before timing, as loading a corpus does
        inputs[doc_id] = DocumentInput(tuple(spans[doc][0]), tuple(spans[doc][1]))
    return Corpus(Path("."), documents), inputs


def long_document(n_mentions: int, seed: int = 2):
    """Gold and predicted spans of one document, in chains of overlapping and nested spans."""
    from bench.tasks.ner.types import Span

    rnd = random.Random(seed)
    gold, pos = [], 0
    while len(gold) < n_mentions:
        for _ in range(min(rnd.randint(1, 8), n_mentions - len(gold))):
            start = pos + rnd.randint(0, 4)
            gold.append(Span(start, start + rnd.randint(2, 12), rnd.choice(LABELS)))
            pos = start + rnd.randint(1, 5)
        pos += 20
    pred = []
    for s in gold:
        r = rnd.random()
        if r < 0.07:
            continue
        if r < 0.25:
            s = Span(max(0, s.start + rnd.randint(-2, 2)), s.end + rnd.randint(-1, 3), s.label)
        elif r < 0.3:
            s = Span(s.start, s.end, rnd.choice(LABELS))
        if s.end > s.start:
            pred.append(s)
        if rnd.random() < 0.05:
            pred.append(Span(s.start + 1, s.end + 2, rnd.choice(LABELS)))
    return gold, pred


def repeated_article(relations: int):
    """The first article repeated until its attribution gold has at least `relations`."""
    from dataclasses import replace

    from bench.documents import load_corpus
    from bench.documents.corpus import Document
    from bench.tasks.attribution.task import AttributionTask
    from bench.tasks.casualties.types import TextSpan

    corpus = load_corpus()
    task = AttributionTask()
    doc_id = sorted(corpus)[0]
    gold = task.load_gold(corpus.root, corpus)[doc_id]
    document = corpus[doc_id]
    copies = -(-relations // len(gold.relations))
    text = "\n".join([document.text] * copies)
    big = Document(doc_id, text, document.sha256, document.meta)
    big.tokens
    rnd = random.Random(3)

    def moved(span, shift, cut=0):
        return None if span is None or span.start is None else TextSpan(span.start + shift, span.end + shift - cut, None, span.entity)

    gold_out, pred_out = [], []
    for c in range(copies):
        shift = c * (len(document.text) + 1)
        for r in gold.relations:
            ids = lambda x: None if x is None else f"{x}.{c}"  # noqa: E731
            g = replace(r, id=ids(r.id), parent=ids(r.parent), cue=moved(r.cue, shift), content=tuple(moved(s, shift) for s in r.content),
                        source=replace(r.source, span=moved(r.source.span, shift)))
            gold_out.append(g)
            cut = rnd.choice((0, 0, 3))
            pred_out.append(replace(g, id=f"p{len(pred_out)}", content=tuple(moved(s, 0, cut) for s in g.content)))
    return big, gold_out[:relations], pred_out[:relations], gold.entity_names


def bootstrap_units(n_sentences: int, seed: int = 4):
    from bench.results.record import UnitCounts

    rnd = random.Random(seed)
    return [UnitCounts("ner", "gold", f"d{k // SENTENCES_PER_DOC}", k % SENTENCES_PER_DOC, rnd.randint(0, 3), rnd.randint(0, 1), rnd.randint(0, 1))
            for k in range(n_sentences)]


# --- jobs: each runs in its own process and prints one JSON line ---------------------------


def _rows_f1(score, metric_prefix: str) -> list[float]:
    return [round(score.row(f"{metric_prefix}_{m}", view="gold", label=None).value, 12) for m in ("precision", "recall", "f1")]


def _counts(c) -> list:
    return [c.correct, c.incorrect, c.partial, c.missed, c.spurious]


def job(kind: str, size: int) -> dict:
    import numpy  # noqa: F401  imported by every side before its clock starts
    import scipy.optimize  # noqa: F401

    if kind in ("ner-score", "ner-floor", "ner-schemes", "seqeval", "nervaluate"):
        sentences = corpus_data(size)
        if kind == "ner-floor":  # the cheapest strict count: one set intersection per document
            corpus, inputs = bench_corpus(sentences)
            tp, seconds, peak = measure(lambda: sum(len(set(i.gold) & set(i.pred)) for i in inputs.values()))
            n_gold, n_pred = sum(len(i.gold) for i in inputs.values()), sum(len(i.pred) for i in inputs.values())
            p, r = tp / n_pred, tp / n_gold
            out = {"strict": [round(p, 12), round(r, 12), round(2 * p * r / (p + r), 12)]}
        elif kind == "ner-score":
            from bench.tasks.ner.scoring import score

            corpus, inputs = bench_corpus(sentences)
            result, seconds, peak = measure(lambda: score(corpus, inputs))
            out = {"strict": _rows_f1(result, "strict")} | {s: _rows_f1(result, s) for s in ("exact", "partial", "type")}
        elif kind == "ner-schemes":
            from bench.tasks.ner.matching import Scheme, SchemeCounts, match_schemes

            corpus, inputs = bench_corpus(sentences)

            def run():
                total = {s: SchemeCounts() for s in Scheme}
                for item in inputs.values():
                    for s, c in match_schemes(item.gold, item.pred).items():
                        total[s] = total[s] + c
                return total

            result, seconds, peak = measure(run)
            out = {s.value: _counts(c) for s, c in result.items()}
        elif kind == "seqeval":
            from seqeval.metrics import f1_score, precision_score, recall_score
            from seqeval.scheme import IOB2

            y_true = [iob2(n, g) for _, n, g, _ in sentences]
            y_pred = [iob2(n, p) for _, n, _, p in sentences]
            kw = dict(mode="strict", scheme=IOB2, zero_division=0)
            f1, seconds, peak = measure(lambda: f1_score(y_true, y_pred, **kw))
            out = {"strict": [round(precision_score(y_true, y_pred, **kw), 12), round(recall_score(y_true, y_pred, **kw), 12), round(f1, 12)]}
        else:
            from nervaluate import Evaluator

            y_true = [iob2(n, g) for _, n, g, _ in sentences]
            y_pred = [iob2(n, p) for _, n, _, p in sentences]
            result, seconds, peak = measure(lambda: Evaluator(y_true, y_pred, tags=list(LABELS), loader="list").evaluate())
            out = _nervaluate_out(result)
        return {"seconds": seconds, "peak_mb": peak, "result": out}
    if kind in ("long-bench", "long-dense", "long-nervaluate"):
        gold, pred = long_document(size)
        if kind == "long-bench":
            from bench.tasks.ner.matching import align_spans, match_schemes

            (counts, alignment), seconds, peak = measure(lambda: (match_schemes(gold, pred), align_spans(gold, pred)))
            out = {s.value: _counts(c) for s, c in counts.items()} | {"errors": _digest(alignment.errors)}
        elif kind == "long-dense":
            from testkit import dense_reference as dense
            from bench.tasks.ner.matching import Scheme

            (counts, alignment), seconds, peak = measure(lambda: ({s: dense.match_scheme(gold, pred, s) for s in Scheme}, dense.align_spans(gold, pred)))
            out = {s.value: _counts(c) for s, c in counts.items()} | {"errors": _digest(alignment.errors)}
        else:
            from nervaluate import Evaluator

            as_dicts = lambda spans: [{"label": s.label, "start": s.start, "end": s.end - 1} for s in spans]  # noqa: E731
            result, seconds, peak = measure(lambda: Evaluator([as_dicts(gold)], [as_dicts(pred)], tags=list(LABELS), loader="dict").evaluate())
            out = {k: v for k, v in _nervaluate_out(result).items()}
        return {"seconds": seconds, "peak_mb": peak, "result": out}
    if kind in ("attr-bench", "attr-dense"):
        document, gold, pred, names = repeated_article(size)
        if kind == "attr-bench":
            from bench.tasks.attribution.alignment import align
        else:
            from testkit.dense_reference import align_relations as align
        (pairs, missed, spurious), seconds, peak = measure(lambda: align(document, gold, pred, names))
        out = {"pairs": _digest([(p.gold.id, p.pred.id, p.overlap) for p in pairs]), "missed": len(missed), "spurious": len(spurious)}
        return {"seconds": seconds, "peak_mb": peak, "result": out}
    if kind in BOOT_RESAMPLES:
        n, resamples = size, BOOT_RESAMPLES[kind]
        units = bootstrap_units(n)
        if kind != "boot-old":
            from bench.results.bootstrap import intervals

            result, seconds, peak = measure(lambda: intervals(units, {"ner": "strict_f1"}, resamples=resamples))
            out = {"interval": [round(result.rows[0].low, 12), round(result.rows[0].high, 12)], "resamples": resamples}
        else:
            import numpy as np

            from bench.results.bootstrap import SEED, percentiles, series

            def whole_matrix():  # what bench did before: every resample at once
                cells = next(iter(series(units, {"ner": "strict_f1"}).values()))
                raw = np.random.PCG64(SEED).random_raw(resamples * n)
                drawn = (raw % np.uint64(n)).astype(np.int64).reshape(resamples, n)
                flat = drawn + n * np.arange(resamples)[:, None]
                weights = np.bincount(flat.ravel(), minlength=resamples * n).reshape(resamples, n).astype(float)
                summed = weights @ np.asarray(list(cells.values()), dtype=float)
                f1 = 2 * summed[:, 0] / (2 * summed[:, 0] + summed[:, 1] + summed[:, 2])
                return percentiles(f1)

            result, seconds, peak = measure(whole_matrix)
            out = {"interval": [round(result[0], 12), round(result[1], 12)], "resamples": resamples}
        return {"seconds": seconds, "peak_mb": peak, "result": out}
    raise SystemExit(f"unknown job {kind}")


BOOT_RESAMPLES = {"boot-bench": 10_000, "boot-bench-300": 300, "boot-old": 300}


def _nervaluate_out(result) -> dict:
    overall = result["overall"]
    names = {"strict": "strict", "exact": "exact", "partial": "partial", "type": "ent_type"}
    out = {}
    for ours, theirs in names.items():
        r = overall[theirs]
        out[ours] = [r.correct, r.incorrect, r.partial, r.missed, r.spurious]
        out[ours + "_prf"] = [round(r.precision, 12), round(r.recall, 12), round(r.f1, 12)]
    return out


def _digest(items) -> str:
    import hashlib

    return hashlib.sha256(repr(list(items)).encode()).hexdigest()[:16]


# --- the run -------------------------------------------------------------------------------


def run_job(kind: str, size: int, timeout: float) -> dict | None:
    """One job in a fresh process; None when it failed or ran out of time or memory."""
    try:
        done = subprocess.run([sys.executable, "-m", "benchmarks.scale", "--job", kind, str(size)], capture_output=True, text=True, timeout=timeout, cwd=ROOT)
    except subprocess.TimeoutExpired:
        return {"error": f"over {timeout:.0f} s"}
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["failed"])[-1]
        return {"error": last[:60]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def _cell(r: dict | None) -> tuple[str, str]:
    if r is None:
        return "—", "—"
    if "error" in r:
        return r["error"], "—"
    return f"{r['seconds']:.3g} s ({r['cpu']:.3g} s CPU)", f"{r['peak_mb']:.0f} MB"


def _ratio(a: dict | None, b: dict | None) -> str:
    """Wall-time ratio, and the CPU-time ratio (steadier on a shared machine)."""
    if not a or not b or "error" in a or "error" in b or not b["seconds"] or not b["cpu"]:
        return "—"
    return f"{a['seconds'] / b['seconds']:.2f}× ({a['cpu'] / b['cpu']:.2f}× CPU)"


def _agree(a: dict | None, b: dict | None, keys) -> str:
    if not a or not b or "error" in a or "error" in b:
        return "—"
    differ = [k for k in keys if a["result"].get(k) != b["result"].get(k)]
    return "yes" if not differ else "differs: " + ", ".join(differ)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--job", nargs=2, metavar=("KIND", "SIZE"), help=argparse.SUPPRESS)
    parser.add_argument("--quick", action="store_true", help="small sizes only (a minute)")
    parser.add_argument("--nervaluate-max", type=int, default=5_000, help="largest long document given to nervaluate (it is quadratic)")
    parser.add_argument("--dense-max", type=int, default=5_000, help="largest long document given to the dense matcher")
    parser.add_argument("--timeout", type=float, default=600, help="seconds per measurement")
    parser.add_argument("--sections", default="corpus,long,attribution,bootstrap", help="which tables to run (comma-separated)")
    args = parser.parse_args()
    if args.job:
        print(json.dumps(job(args.job[0], int(args.job[1])) | {"cpu": CPU["last"]}))
        return
    corpus_sizes = (1_000, 10_000) if args.quick else (1_000, 10_000, 100_000)
    long_sizes = (1_000, 5_000) if args.quick else (1_000, 5_000, 10_000, 20_000, 50_000)
    attr_sizes = (28, 112) if args.quick else (28, 112, 448, 2_016)
    boot_n = 10_000 if args.quick else 100_000
    print("| data | bench | reference | time bench / ref | peak RSS bench / ref | ratio | agree |")
    print("|---|---|---|---|---|---|---|")

    def line(data, what, ref_name, ours, ref, keys):
        t, m = _cell(ours)
        rt, rm = _cell(ref)
        print(f"| {data} | {what} | {ref_name} | {t} / {rt} | {m} / {rm} | {_ratio(ours, ref)} | {_agree(ours, ref, keys)} |", flush=True)

    for n in corpus_sizes if "corpus" in args.sections else ():
        data = f"{n:,} sentences"
        full, seq = run_job("ner-score", n, args.timeout), run_job("seqeval", n, args.timeout)
        line(data, "full NER `score`", "seqeval `f1_score`", full, seq, ["strict"])
        line(data, "full NER `score`", "set intersection (strict count floor)", full, run_job("ner-floor", n, args.timeout), ["strict"])
        schemes, nerv = run_job("ner-schemes", n, args.timeout), run_job("nervaluate", n, args.timeout)
        line(data, "4 schemes", "nervaluate `evaluate()`", schemes, nerv, ["strict", "exact", "partial", "type"])
    for m in long_sizes if "long" in args.sections else ():
        data = f"1 document, {m:,} mentions"
        ours = run_job("long-bench", m, args.timeout)
        dense = run_job("long-dense", m, args.timeout) if m <= args.dense_max else None
        nerv = run_job("long-nervaluate", m, args.timeout) if m <= args.nervaluate_max else None
        if dense:
            line(data, "4 schemes + errors", "dense matcher (before)", ours, dense, ["strict", "exact", "partial", "type", "errors"])
        if nerv:
            line(data, "4 schemes + errors", "nervaluate `evaluate()`", ours, nerv, ["strict", "exact", "partial", "type"])
        if not dense and not nerv:
            line(data, "4 schemes + errors", "(references not run: quadratic)", ours, None, [])
    for r in attr_sizes if "attribution" in args.sections else ():
        ours = run_job("attr-bench", r, args.timeout)
        dense = run_job("attr-dense", r, args.timeout) if r <= 500 else None
        line(f"1 document, {r:,} relations", "attribution `align`", "dense align (before)" if dense else "(dense not run)", ours, dense, ["pairs", "missed", "spurious"])
    if "bootstrap" not in args.sections:
        return
    old, same = run_job("boot-old", boot_n, args.timeout), run_job("boot-bench-300", boot_n, args.timeout)
    line(f"bootstrap, {boot_n:,} sentences", "300 resamples, in blocks", "300 resamples, whole matrix (before)", same, old, ["interval"])
    ours = run_job("boot-bench", boot_n, args.timeout)
    line(f"bootstrap, {boot_n:,} sentences", "10,000 resamples, in blocks", "(whole matrix: over 7 GiB, not run)", ours, None, [])


if __name__ == "__main__":
    main()
