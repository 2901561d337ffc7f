"""The error-analysis report (`bench report R.json --html out.html`): one static HTML page.

Where it sits: stage 5, reports, beside the terminal tables (`bench/reports/tables.py`)
and the leaderboard (`bench/reports/leaderboard.py`).

One concept per module, in the order the data flows:

- `inputs.py`: the run scored again from its predictions file and checked against its
  record (`bench.results.rescore`), each document's alignment kept from that one
  scoring, and its rows as each task's `Presentation` shows them;
- `markup.py`: escaping and small HTML helpers (every piece of text goes through them);
- `chart.py`: the per-label F1 bar chart, inline SVG;
- `text_view.py`: an article with gold and predicted spans side by side (layout TEXT);
- `records_view.py`: records, gold against prediction, with their fields (layout RECORDS);
- `page.py`: the page itself, with its stylesheet and a strict Content-Security-Policy.

Nothing here is imported by `bench.cli` at start-up, so `bench --help` stays fast.
"""
