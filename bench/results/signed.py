"""A signed difference as text: `+0.0123`, `-0.0040`, and `+0.0000` for anything that
rounds to zero (never `-0.0000`, which reads as a drop that is not there).

Where it sits: stage 5, results; the gates, the robustness summary, `bench compare`'s
table and the leaderboard's variants table all write their gaps and differences with it."""

from __future__ import annotations


def signed(value: float, digits: int = 4) -> str:
    """`value` with its sign and `digits` decimals; a value that rounds to zero is `+0.0...`."""
    text = f"{value:+.{digits}f}"
    return "+" + text[1:] if text.startswith("-") and float(text) == 0 else text
