"""`bench compare A.json B.json`: B - A per metric, with a paired bootstrap, and the `--max-drop` gate."""

from pathlib import Path
from typing import List, Optional

import typer

from bench.cli.common import fail
from bench.cli.gating import enforce
from bench.errors import BenchError


def compare(
    base: Path = typer.Argument(..., help="Results file A, the baseline (written by `bench eval --out` or `bench score --out`)."),
    new: Path = typer.Argument(..., help="Results file B, the new run."),
    max_drop: Optional[float] = typer.Option(None, "--max-drop", min=0.0, help="Gate: exit 1 when a gated metric of B is more than this below A (e.g. 0.02)."),
    significant_only: bool = typer.Option(False, "--significant-only", help="With --max-drop: fail only on drops the paired bootstrap calls significant (p < 0.05)."),
    metric: Optional[List[str]] = typer.Option(None, "--metric", "-m", help="Metric to gate, as TASK.METRIC[@VIEW] (repeatable), e.g. casualties.strict_f1 or ner.strict_f1@conll. Default: every task's headline (NER in the gold view)."),
    as_json: bool = typer.Option(False, "--json", help="Print the comparison as JSON instead of a table."),
) -> None:
    """Compare two runs metric by metric: B - A, the 95% interval of the difference and a p-value.

    Method: a paired bootstrap over sentences (10,000 resamples, fixed seed): both runs
    are resampled on the same (document, sentence) keys, a key missing from one run
    counting zero there. The interval is the 2.5th-97.5th percentile of the resampled
    differences; the two-sided p-value is twice the smaller share of resamples on either
    side of zero; a difference is significant when p < 0.05. Every metric with
    per-sentence counts is shown (the headlines, NER's CoNLL view, casualties strict and
    detection F1, attribution cue, content-strict and nesting F1).

    Runs scored on different gold or scorer versions are refused (exit 2). Exit codes:
    0 ok, 1 a --max-drop gate failed, 2 bad input or usage.
    """
    from bench.results.compat import ensure_comparable
    from bench.results.gates import check_drops, default_refs
    from bench.results.metricref import MetricRef
    from bench.reports.tables import difference_table, print_tables
    from bench.results.record import read_record
    from bench.results.bootstrap import settings
    from bench.results.paired import P_VALUE_RULE, compare_records

    gates = []
    try:
        refs = [MetricRef.parse(text) for text in metric or ()]
        a, b = read_record(base), read_record(new)
        ensure_comparable({str(base): a, str(new): b})
        shared = [task for task in a.tasks if task in b.tasks]
        if not shared:
            raise BenchError(f"{base} and {new} share no task ({', '.join(a.tasks)} vs {', '.join(b.tasks)}); nothing to compare")
        differences = compare_records(a, b)
        if max_drop is not None:
            gates = check_drops(a, b, differences, refs or default_refs(a), max_drop, significant_only)
        elif significant_only or refs:
            raise BenchError("--significant-only and --metric go with --max-drop")
    except BenchError as exc:
        fail(exc)
    lead = f"A = {base} ({_who(a)})   B = {new} ({_who(b)})"
    only = [f"{task} only in {'A' if task in a.tasks else 'B'}" for task in dict.fromkeys([*a.tasks, *b.tasks]) if task not in shared]
    if as_json:
        method = {**settings().to_json(), "p_value": P_VALUE_RULE}
        import json

        typer.echo(json.dumps({"a": str(base), "b": str(new), "method": method, "differences": [d.to_json() for d in differences],
                               "gates": [{"metric": str(g.ref), "passed": g.passed, "detail": g.detail} for g in gates], "not_compared": only},
                              indent=2, ensure_ascii=False))
    else:
        print_tables(lead + (f"   ({'; '.join(only)}: not compared)" if only else ""), [difference_table(differences)])
    enforce(gates)


def _who(record) -> str:
    return f"{record.system.name or '?'} {record.system.version or '?'}"
