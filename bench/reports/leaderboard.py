"""The leaderboard: `leaderboard.md`, rendered from the results files in `results/` alone.

Where it sits: stage 5, reports (`bench/reports/`). HELM's rule: a run writes files, the
presentation reads only those; nothing here runs or imports a system. Any results file
in the folder becomes a row (`bench eval SYSTEM --out results/SYSTEM.json`, or `bench
import inspect|lm-eval LOG --out results/NAME.json`, then `bench leaderboard`), so the
list of systems is never written down here. A JSON file there that is no results
record (none of `format`, `metrics`, `system`) is skipped and named.

One table per task, rows sorted by the headline (best first, then by name and file):
the headline with its 95% bootstrap interval, key sub-metrics, `parse_failures` (LLM
systems add that row; a dash otherwise), ungrounded counts, the system version (for an
LLM, with its prompt version and window strategy), the run date and the gold version. Files made on different gold or scorer versions are
refused (`bench.results.compat`). The output holds no time but the run dates inside the files,
so rendering the same files twice gives the same bytes (`bench leaderboard --check`).

Robustness: runs on counterfactual variants (`bench eval SYSTEM --variants FAMILY --out
results/variants/SYSTEM`) sit in `results/variants/<system>/`, one file per run
(`original.json`, `<family>-seed<k>.json`). They add a table built from those files
alone: per system, family and task, the original score, the variant mean with its
interval and the gap with its paired interval (`bench.results.robustness`).

LLM ceiling: beside each LLM row, the headline a perfect model reaches through that
row's prompt version and window strategy, read from the committed ceiling table
(`results/ceiling/llm-ceiling.json`, written by `bench ceiling --out`; a file too, so
the leaderboard still renders from files alone); a dash for other rows.
"""

from __future__ import annotations

import difflib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Mapping

from bench.reports.markdown import inert, link_target
from bench.results.compat import ensure_comparable, versions
from bench.errors import ResultsError
from bench.reports.tables import format_count, format_score
from bench.results.record import RunRecord, read_record

if TYPE_CHECKING:
    from bench.results.ceiling import CeilingTable

DASH = "—"


@dataclass(frozen=True, slots=True)
class Column:
    title: str
    metric: str
    view: str | None = None
    count: bool = False  # a number of items (3), not a score (0.1234)


def columns(task: str) -> tuple[Column, ...]:
    """A task's columns after the headline, from its catalogue: each metric's leaderboard views."""
    from bench.tasks.metrics import MetricKind
    from bench.tasks.registry import get_task

    catalogue = get_task(task).catalogue
    return tuple(
        Column(spec.titled(view), spec.name, view, spec.kind is MetricKind.COUNT)
        for spec in catalogue.metrics
        for view in spec.leaderboard
    )


def headline_title(task: str, metric: str, view: str | None) -> str:
    from bench.tasks.registry import get_task

    spec = get_task(task).catalogue.get(metric)
    if spec is None:
        return metric + (f" ({view} labels)" if view else "")
    return spec.titled(view)


PARSE_FAILURES = Column("parse failures", "parse_failures", count=True)
CEILING_TITLE = "LLM ceiling"


RECORD_KEYS = ("format", "metrics", "system")  # a JSON object with any of these claims to be a results record


def not_a_record(path: Path) -> str | None:
    """Why the JSON file `path` is no results record (it claims none of a record's keys),
    or None when it claims to be one (and so must read as one). A file that is not JSON
    at all is left to `read_record`: a results file cut short is an error, not a stray."""
    from bench.paths import read_regular
    from bench.results.record import MAX_RESULTS_BYTES
    from bench.safejson import UnsafeJSON, loads

    try:
        raw = loads(read_regular(path, MAX_RESULTS_BYTES))
    except (OSError, UnsafeJSON):
        return None
    if not isinstance(raw, dict):
        return f"not a results record (a JSON {type(raw).__name__}, not an object)"
    if not any(key in raw for key in RECORD_KEYS):
        return f"not a results record (it has none of {', '.join(RECORD_KEYS)})"
    return None


def load_results(folder: Path, on_skip: Callable[[Path, str], None] | None = None) -> dict[Path, RunRecord]:
    """Every results record among the `*.json` files in `folder`, by path, in name order.

    A JSON file that is not a results record (a sidecar, a harness's own output) is
    skipped, and `on_skip(path, why)` told; a file that claims to be one and is
    malformed is an error naming it."""
    folder = Path(folder)
    if not folder.is_dir():
        raise ResultsError(f"{folder}: no such folder of results files")
    records = {}
    for path in sorted(folder.glob("*.json")):
        why = not_a_record(path)
        if why is None:
            records[path] = read_record(path)
        elif on_skip is not None:
            on_skip(path, why)
    if not records:
        raise ResultsError(f"{folder}: no results files (*.json); write one with `bench eval SYSTEM --out {folder}/SYSTEM.json`")
    return records


def _cell(record: RunRecord, task: str, column: Column) -> str:
    row = record.row(task, column.metric, column.view)
    if row is None:
        return DASH
    return format_count(row.value) if column.count else format_score(row.value)


def _headline_cell(record: RunRecord, task: str, table_view: str | None) -> tuple[float, str]:
    """The headline value (for sorting) and its cell; a CoNLL-space system has only the
    CoNLL view of NER, and its cell says so."""
    from bench.results.bootstrap import add_intervals

    metric, view = record.headline(task)
    row = record.row(task, metric, view)
    if row is None:
        return float("-inf"), DASH
    intervals = (record if record.intervals is not None else add_intervals(record)).intervals
    found = intervals.find(task, metric, view)
    interval = f" [{found.low:.3f}, {found.high:.3f}]" if found is not None else " (no interval: the file has no per-sentence units)"
    note = f" ({view} view)" if view != table_view else ""
    return row.value, f"**{row.value:.4f}**{interval}{note}"


def _link(path: Path, relative_to: Path) -> str:
    return Path(os.path.relpath(path, relative_to)).as_posix()


def _ceiling_cell(record: RunRecord, task: str, path: Path, ceiling: "CeilingTable | None") -> str:
    """The row's LLM ceiling (`bench.results.ceiling`): a dash for a row that is no LLM run,
    uses a template of its own, or has no entry in the table."""
    found = ceiling.for_row(record, task, str(path)) if ceiling is not None else None
    return DASH if found is None else f"{found.value:.4f}"


def _task_table(task: str, records: Mapping[Path, RunRecord], base: Path, ceiling: "CeilingTable | None" = None) -> list[str]:
    mine = {path: record for path, record in records.items() if task in record.tasks}
    first = next(iter(mine.values()))
    metric, view = first.headline(task)
    if any(record.headline(task)[1] == "gold" for record in mine.values()):
        view = "gold"
    title = headline_title(task, metric, view)
    shown = columns(task)
    header = ["system", "version", f"{title} [95% interval]", CEILING_TITLE, *(c.title for c in shown), PARSE_FAILURES.title, "run date", "gold"]
    rows = []
    for path, record in mine.items():
        value, headline = _headline_cell(record, task, view)
        name = inert(record.system.name or path.stem)
        cells = [f"[{name}]({link_target(_link(path, base))})", inert(_version(record, task)), headline, _ceiling_cell(record, task, path, ceiling)]
        cells += [_cell(record, task, c) for c in shown]
        cells += [_cell(record, task, PARSE_FAILURES), inert((record.run.started or DASH)[:10]), inert(versions(record, task).gold_version)]
        rows.append(((-value, name, path.as_posix()), cells))
    rows.sort(key=lambda item: item[0])
    v = versions(first, task)
    lines = [f"## {task}", "", f"Headline `{metric}`{f' ({inert(view)} view)' if view else ''}; {inert(str(v))}.", ""]
    lines.append("| " + " | ".join(header) + " |")
    lines.append("|" + "|".join("---" for _ in header) + "|")
    lines += ["| " + " | ".join(cells) + " |" for _, cells in rows]
    return lines + [""]


def load_variant_runs(folder: Path) -> dict[Path, RunRecord]:
    """Every variant run under `folder` (`<system>/*.json`), by path; none when the folder is absent."""
    folder = Path(folder)
    if not folder.is_dir():
        return {}
    return {path: read_record(path) for path in sorted(folder.glob("*/*.json")) if path.name != "summary.json"}


def robustness_table(runs: Mapping[Path, RunRecord], base: Path) -> list[str]:
    """One row per system folder, family and task: original, variant mean [interval], gap [interval], p."""
    from bench.results.robustness import summarise

    groups: dict[Path, list[tuple[Path, RunRecord]]] = {}
    for path, record in runs.items():
        groups.setdefault(path.parent, []).append((path, record))
    rows = []
    for folder, members in sorted(groups.items()):
        originals = [(p, r) for p, r in members if r.variant is not None and r.variant.family == "none"]
        if len(originals) != 1:
            raise ResultsError(f"{folder}: variant runs need exactly one original run (family none, original.json); found {len(originals)}")
        original = originals[0][1]
        families = sorted({r.variant.family if r.variant else "None" for _, r in members} - {"none"})
        for family in families:
            summary = summarise(original, [r for _, r in members if r.variant is not None and r.variant.family == family])
            name = inert(original.system.name or folder.name)
            for row in summary.rows:
                rows.append([name, inert(_version(original, row.task)), f"[{inert(family)}]({link_target(_link(folder, base))}/)", ", ".join(map(str, summary.seeds)), row.task,
                             f"{row.original:.4f}", f"{row.variant_mean:.4f} [{row.mean_low:.3f}, {row.mean_high:.3f}]",
                             f"{row.gap:+.4f} [{row.gap_low:+.3f}, {row.gap_high:+.3f}]", f"{row.p_value:.4f}" + (" *" if row.significant else "")])
    if not rows:
        return []
    header = ["system", "version", "variants", "seeds", "task", "original", "variant mean [95% interval]", "gap [95% interval]", "p"]
    lines = ["## robustness on counterfactual variants", "",
             "Each task's headline on the original articles and on variants with other names and numbers "
             "(`bench eval SYSTEM --variants FAMILY --seeds 5 --out results/variants/SYSTEM`; README, Variants). "
             "Gap = original - variant mean, paired over the same sentences; * p < 0.05. "
             "A drop is evidence, not proof, of memorisation or of reliance on known entities.", ""]
    lines.append("| " + " | ".join(header) + " |")
    lines.append("|" + "|".join("---" for _ in header) + "|")
    lines += ["| " + " | ".join(cells) + " |" for cells in rows]
    return lines + [""]


def _version(record: RunRecord, task: str) -> str:
    """The system version; for an LLM row also its prompt identity: prompt version and window strategy."""
    version = record.system.version or DASH
    window = record.system.window
    if window:
        prompt = record.system.prompt_version(task)
        version += f"; prompts {prompt}, {window} windows" if prompt else f"; {window} windows"
    return version


def render(records: Mapping[Path, RunRecord], output: Path, variant_runs: Mapping[Path, RunRecord] | None = None, ceiling: "CeilingTable | None" = None) -> str:
    """The markdown of `leaderboard.md` (written at `output`; links are relative to its folder);
    `ceiling`: the LLM ceiling table its LLM rows are shown beside (`bench.results.ceiling`)."""
    variant_runs = variant_runs or {}
    ensure_comparable({str(path): record for path, record in {**records, **variant_runs}.items()})
    base = Path(output).parent
    from bench.tasks.registry import get_task, task_names

    tasks = list(dict.fromkeys(task for record in records.values() for task in record.tasks))
    for task in tasks:
        get_task(task)  # a task this bench does not know is an error, not a table drawn as another
    order = [t for t in task_names() if t in tasks]
    methods = sorted({_method(record) for record in records.values()})
    lines = [
        "# Leaderboard",
        "",
        "Rendered by `bench leaderboard` from the results files alone (no system is run); "
        "`bench leaderboard --check` fails when this file is out of date. Add a row with "
        "`bench eval SYSTEM --out results/SYSTEM.json --save-predictions results/SYSTEM.predictions.jsonl`, "
        "then `bench leaderboard`.",
        "",
        f"Intervals: {'; '.join(methods)}. Rows are sorted by the headline, best first; "
        f"`bench compare A.json B.json` tests whether two rows really differ. {DASH}: the run has no such metric.",
        "",
        f"{CEILING_TITLE}: the headline a perfect model reaches through an LLM row's prompt version and window, "
        "computed from the gold by `bench ceiling` (docs/llm-ceiling.md); it measures the answer format, not a model. "
        f"{DASH} for a row that is no LLM run.",
        "",
    ]
    for task in order:
        lines += _task_table(task, records, base, ceiling)
    lines += robustness_table(variant_runs, base)
    return "\n".join(lines).rstrip("\n") + "\n"


def _method(record: RunRecord) -> str:
    if record.intervals is None:
        from bench.results.bootstrap import settings

        s = settings()
    else:
        s = record.intervals.settings
    return f"{round(s.level * 100)}% {s.method.value.replace('_', ' ')} over {s.unit.value}s ({s.resamples:,} resamples, seed {s.seed})"


def stale_hint(current: str, wanted: str, path: Path) -> str:
    """One line saying where `path` first differs from what would be rendered."""
    have, want = current.splitlines(), wanted.splitlines()
    for number, (a, b) in enumerate(zip(have, want), start=1):
        if a != b:
            return f"{path}:{number}: is {a[:80]!r}, would be {b[:80]!r}"
    diff = list(difflib.unified_diff(have, want, lineterm="", n=0))
    return f"{path}: {len(have)} lines, would be {len(want)} lines" + (f" ({diff[-1][:80]!r})" if diff else "")
