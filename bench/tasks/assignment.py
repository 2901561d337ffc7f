"""Optimal one-to-one pairing of gold and predicted items, solved one overlap group at a time.

Where it sits: stage 2, tasks, shared by every scorer that pairs gold with predictions:
the NER schemes and error classes (`ner/matching.py`), casualty figures and attribution
relations (their `scoring.py`). Each of them lets two items pair only when their text
spans overlap, and wants the pairing that maximises a total weight.

Why sparse. Solving one |gold| x |predicted| matrix per document costs memory quadratic
and time cubic in the number of items, although almost every entry is "may not pair".
Items that can pair are linked by overlap, so the matrix is block-diagonal once rows
and columns are grouped into connected components of the overlap graph. A sweep over
the intervals sorted by start finds those groups in O(n log n); each group is solved on
its own: a 1 x 1 group directly, a larger one with scipy's Hungarian solver
(`linear_sum_assignment`). The optimum is the same as the dense one's, since no weight
links two groups.

Ties. Where several pairings reach the same total weight, a solver picks one by the
order it happens to visit rows in, which would make the reported errors depend on how
the items were grouped. So in a group with more than one possible pair, every allowed
entry gets a small preference added (`Ties.value`), scaled so that all of them together
stay below `resolution`, the smallest difference in weight the scorer cares about. The
preference favours closer pairs first (the scorer's `closeness`, such as the overlap of
two spans over their union), then a checksum of the two items' keys (text made of their
own values, never their positions). The chosen pairing is then the same for the dense
matrix, for any grouping and for any input order (the tests check this against the
dense solver).
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Sequence

if TYPE_CHECKING:
    import numpy as np

Interval = tuple[int, int]  # [start, end) in characters
Group = tuple[list[int], list[int]]  # (gold indices, predicted indices), each ascending
# weight(gold indices, predicted indices) -> a len(gold) x len(pred) matrix (nested
# lists or an array); an entry > 0 may pair, 0 may not.
WeightFn = Callable[[list[int], list[int]], "Sequence[Sequence[float]] | np.ndarray"]
ManyWeightFn = Callable[[list[int], list[int]], "Sequence[Sequence[Sequence[float]] | np.ndarray]"]


def overlap_groups(gold: Sequence[Sequence[Interval]], pred: Sequence[Sequence[Interval]]) -> list[Group]:
    """The groups that hold at least one gold and one predicted item.

    Each item has one or more intervals (a relation's content can be split). Two
    intervals overlap when each starts before the other ends. A sweep over all
    intervals sorted by start opens a new group whenever an interval starts at or after
    the furthest end seen so far; an item with intervals in several groups joins them.
    A group may hold items that overlap nothing of the other side: they weigh 0.
    """
    events = [(s, e, side, i) for side, items in ((0, gold), (1, pred)) for i, spans in enumerate(items) for s, e in spans]
    events.sort()
    first: list[list[int]] = [[-1] * len(gold), [-1] * len(pred)]  # side -> item -> its first group
    parent: list[int] = []  # union-find over sweep groups, for items with several intervals
    joined = False

    def root(g: int) -> int:
        while parent[g] != g:
            parent[g] = parent[parent[g]]
            g = parent[g]
        return g

    reach = None
    for start, end, side, i in events:
        if reach is None or start >= reach:
            parent.append(len(parent))
            reach = end
        elif end > reach:
            reach = end
        g = len(parent) - 1
        seen = first[side][i]
        if seen < 0:
            first[side][i] = g
        elif seen != g:
            a, b = root(seen), root(g)
            if a != b:
                parent[max(a, b)] = min(a, b)
                joined = True
    members: dict[int, Group] = {}
    for side in (0, 1):
        for i, g in enumerate(first[side]):
            if g >= 0:
                members.setdefault(root(g) if joined else g, ([], []))[side].append(i)
    return [group for _, group in sorted(members.items()) if group[0] and group[1]]


def tie_break(gold_key: str, pred_key: str) -> float:
    """A pair's fixed pseudo-random preference in [0, 1): a 20-bit checksum of the two
    items' keys, the same in every run (20 bits keep it exact in a float64 weight)."""
    return (zlib.crc32(("\0" + pred_key).encode("utf-8"), zlib.crc32(gold_key.encode("utf-8"))) >> 12) / 2**20


def tie_scale(resolution: float, n_gold: int, n_pred: int) -> float:
    """What each tie break is multiplied by: at most min(n_gold, n_pred) pairs, each below
    resolution / (that + 1), sum to less than `resolution`."""
    return resolution / (min(n_gold, n_pred) + 1)


def solve_dense(weight: "Sequence[Sequence[float]] | np.ndarray") -> list[tuple[int, int]]:
    """(row, column) pairs of a maximum-weight assignment that uses entries > 0 only."""
    import numpy as np
    from scipy.optimize import linear_sum_assignment

    matrix = np.asarray(weight, dtype=float)
    if matrix.size == 0:
        return []
    rows, cols = linear_sum_assignment(matrix, maximize=True)
    # The solver pairs every row or every column; drop pairs that may not be matched.
    return [(int(i), int(j)) for i, j in zip(rows, cols) if matrix[i, j] > 0]


CLOSENESS_STEPS = 255  # closeness is rounded to this many steps, above the checksum


@dataclass(frozen=True)
class Ties:
    """How a scorer breaks ties: one key per gold and per predicted item, the smallest
    difference in weight that matters to it, and optionally how close a pair is
    (`closeness(gold index, predicted index)` in [0, 1], from the items' values only)."""

    gold_keys: Sequence[str]
    pred_keys: Sequence[str]
    resolution: float = 1.0
    closeness: Callable[[int, int], float] | None = None

    def value(self, i: int, j: int) -> float:
        """The pair's preference in [0, 1): rounded closeness first, the checksum below it."""
        near = 0 if self.closeness is None else round(self.closeness(i, j) * CLOSENESS_STEPS)
        return (near + tie_break(self.gold_keys[i], self.pred_keys[j])) / (CLOSENESS_STEPS + 1)


def assign(gold: Sequence[Sequence[Interval]], pred: Sequence[Sequence[Interval]], weight: WeightFn, ties: Ties) -> list[tuple[int, int]]:
    """(gold index, predicted index) pairs of a maximum-weight one-to-one assignment,
    solved per overlap group; sorted. `weight` is asked once per group."""
    return assign_groups(overlap_groups(gold, pred), weight, ties)


def assign_groups(groups: Sequence[Group], weight: WeightFn, ties: Ties) -> list[tuple[int, int]]:
    """`assign` on groups found before."""
    return assign_many(groups, lambda rows, cols: (weight(rows, cols),), ties, 1)[0]


def assign_many(groups: Sequence[Group], weights: ManyWeightFn, ties: Ties, count: int) -> list[list[tuple[int, int]]]:
    """Several weightings of the same items, solved in one pass over the groups (the NER
    schemes share their groups and tie breaks): one sorted pair list per weighting.
    `weights(rows, cols)` gives `count` matrices, one per weighting."""
    out: list[list[tuple[int, int]]] = [[] for _ in range(count)]
    for rows, cols in groups:
        matrices = weights(rows, cols)
        if len(rows) == 1 and len(cols) == 1:
            for pairs, w in zip(out, matrices):
                if w[0][0] > 0:
                    pairs.append((rows[0], cols[0]))
            continue
        scale = tie_scale(ties.resolution, len(rows), len(cols))
        tie = [[ties.value(i, j) * scale for j in cols] for i in rows]
        solved: dict[tuple, list[tuple[int, int]]] = {}  # weightings that coincide are solved once
        for pairs, w in zip(out, matrices):
            seen = tuple(map(tuple, w))
            if seen not in solved:
                broken = [[x + t if x > 0 else 0 for x, t in zip(line, tie_line)] for line, tie_line in zip(w, tie)]
                if len(rows) == 1 or len(cols) == 1:  # one pair at most: the best entry
                    best = max(((x, a, b) for a, line in enumerate(broken) for b, x in enumerate(line)), default=(0, 0, 0))
                    solved[seen] = [(rows[best[1]], cols[best[2]])] if best[0] > 0 else []
                else:
                    solved[seen] = [(rows[a], cols[b]) for a, b in solve_dense(broken)]
            pairs += solved[seen]
    return [sorted(pairs) for pairs in out]
