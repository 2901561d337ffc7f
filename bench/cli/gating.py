"""What `--fail-under` and `--max-drop` share on the command line: parsing the option
text and turning gate results into lines on stderr and exit code 1."""

from typing import List, Optional, Sequence

import typer

from bench.errors import ExitCode

FAIL_UNDER_HELP = (
    "Gate: exit 1 when a metric is below a minimum, as TASK.METRIC[@VIEW]=MIN (repeatable), e.g. "
    "ner.strict_f1=0.80, ner.strict_f1@conll=0.75, casualties.f1=0.5, attribution.cue_f1=0.6. Any aggregate "
    "metric of the results can be gated; NER without @VIEW means the gold view. An unknown metric is "
    "a usage error (exit 2) with a suggestion. The results are still written when a gate fails."
)


def parse_thresholds(texts: Optional[List[str]]):
    """The `--fail-under` options as Thresholds; a malformed one raises MetricError (exit 2)."""
    from bench.results.gates import Threshold

    return [Threshold.parse(text) for text in texts or ()]


def enforce(results: Sequence) -> None:
    """Print each gate's line on stderr; exit 1 when any failed."""
    for result in results:
        typer.echo(f"bench: {result}", err=True)
    failed = [r for r in results if not r.passed]
    if failed:
        typer.echo(f"bench: {len(failed)} of {len(results)} gate(s) failed: {', '.join(str(r.ref) for r in failed)}", err=True)
        raise typer.Exit(int(ExitCode.GATE_FAILED))
