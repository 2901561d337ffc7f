"""The error-analysis report (`bench report R.json --html out.html`): one static HTML page.

Where it sits: stage 5, reports, beside the terminal tables (`bench/reports/tables.py`)
and the leaderboard (`bench/reports/leaderboard.py`).

One concept per module, in the order the data flows:

- `inputs.py`: find and check what a report needs: the results record, the predictions
  file it was scored from (and that they match each other and the installed gold);
- `alignment.py`: re-read gold and predictions with each task's own code and align them
  exactly as the scorers do, item by item;
- `markup.py`: escaping and small HTML helpers (every piece of text goes through them);
- `chart.py`: the per-label F1 bar chart, inline SVG;
- `text_view.py`: an article with gold and predicted spans side by side;
- `records_view.py`: casualty and attribution records, gold against prediction;
- `page.py`: the page itself, with its stylesheet and a strict Content-Security-Policy.

Nothing here is imported by `bench.cli` at start-up, so `bench --help` stays fast.
"""
