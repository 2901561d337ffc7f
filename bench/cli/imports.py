"""`bench import inspect LOG` and `bench import lm-eval SAMPLES`: a harness's run back into bench.

A thin layer over `bench.integrations.importing`: the raw answers in the log are parsed,
merged and scored by bench, and the record carries the harness's account of the run.
"""

from pathlib import Path
from typing import Optional

import typer

from bench.cli.common import DATA_HELP, emit, fail, refuse_overwrite, refuse_same_file, with_predictions
from bench.errors import BenchError

app = typer.Typer(
    no_args_is_help=True,
    help="Read a harness's log back into bench: its raw answers parsed, merged and scored by bench "
    "(never the harness's own scores), as a results record for `bench leaderboard` and `bench compare`. See docs/harnesses.md.",
)

OUT_HELP = "Write the results JSON here (results/NAME.json puts the row on the leaderboard)."
PREDICTIONS_HELP = "Write the predictions bench made of the answers here (JSON Lines; `bench score` gives the same numbers)."


def _run(kind: str, log: Path, out: Optional[Path], save_predictions: Optional[Path], as_json: bool, force: bool, data: Optional[Path]) -> None:
    from bench.integrations.importing import read_inspect, read_lmeval, to_record

    try:
        refuse_overwrite([out, save_predictions], force)
        refuse_same_file(out, log)
        refuse_same_file(save_predictions, log)
        imported = (read_inspect if kind == "inspect" else read_lmeval)(log, data)
        record = to_record(imported, save_predictions)
        emit(with_predictions(record, save_predictions, out), as_json, out)
    except BenchError as exc:
        fail(exc)


@app.command("inspect")
def inspect_(
    log: Path = typer.Argument(..., metavar="LOG", help="An Inspect log of `inspect eval bench/<task>` (logs/<date>_bench-ner_<id>.eval)."),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help=OUT_HELP),
    save_predictions: Optional[Path] = typer.Option(None, "--save-predictions", help=PREDICTIONS_HELP),
    as_json: bool = typer.Option(False, "--json", help="Print the results JSON instead of tables."),
    force: bool = typer.Option(False, "--force", help="Overwrite existing --out / --save-predictions files."),
    data: Optional[Path] = typer.Option(None, "--data", help=DATA_HELP + " Default: the tree the run asked about (its -T data)."),
) -> None:
    """Import an Inspect AI run: `bench import inspect logs/X.eval --out results/NAME.json --save-predictions results/NAME.predictions.jsonl`."""
    _run("inspect", log, out, save_predictions, as_json, force, data)


@app.command("lm-eval")
def lm_eval(
    samples: Path = typer.Argument(..., metavar="SAMPLES", help="lm-eval's --log_samples file (OUT/<model>/samples_bench_ner_<date>.jsonl), with its results_<date>.json beside it."),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help=OUT_HELP),
    save_predictions: Optional[Path] = typer.Option(None, "--save-predictions", help=PREDICTIONS_HELP),
    as_json: bool = typer.Option(False, "--json", help="Print the results JSON instead of tables."),
    force: bool = typer.Option(False, "--force", help="Overwrite existing --out / --save-predictions files."),
    data: Optional[Path] = typer.Option(None, "--data", help=DATA_HELP + " Default: the tree the run asked about (its data option)."),
) -> None:
    """Import an lm-evaluation-harness run: `bench import lm-eval OUT/smollm2/samples_bench_ner_DATE.jsonl --out results/NAME.json`."""
    _run("lm-eval", samples, out, save_predictions, as_json, force, data)
