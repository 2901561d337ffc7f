"""The route a command takes through the pipeline's stage folders ("rooms").

Not a test and not a timing: it traces one command in-process (`sys.setprofile`) and
lists, in order, the first call of every function of `bench` (not the module and
class bodies that importing runs), each tagged with its
room: the stage folder under `bench/` (documents, variants, tasks, systems, harness,
results, reports, export, cli) or `shared` for the top-level modules (errors, atomic,
safejson, progress, scoring). From that sequence, with consecutive calls in one room
merged, it counts:

- moves: changes of room;
- climbs back up: moves to an earlier stage of the pipeline (documents, tasks,
  systems, harness, results, reports, in that order; cli, export and shared are not
  stages and never count);
- returns: moves into a room that the route had already left before.

A command that reads its inputs once and hands them down the pipeline has few climbs
and returns; one that re-reads and re-computes what an earlier stage already did has
many. Usage, from the repository root:

    python -m benchmarks.route report results/rules.json --html /tmp/r.html --force
"""

from __future__ import annotations

import inspect
import sys
from pathlib import Path

STAGES = ("documents", "tasks", "systems", "harness", "results", "reports")
PACKAGE = Path(__file__).resolve().parent.parent / "bench"


def room_of(filename: str) -> str | None:
    path = Path(filename)
    try:
        parts = path.resolve().relative_to(PACKAGE).parts
    except ValueError:
        return None
    return parts[0] if len(parts) > 1 else "shared"


def trace(argv: list[str]) -> list[tuple[str, str]]:
    """(room, function) of every bench function, in the order of its first call."""
    seen: set[tuple[str, int]] = set()
    route: list[tuple[str, str]] = []

    def profile(frame, event, arg):  # noqa: ANN001
        if event != "call":
            return
        code = frame.f_code
        where = (code.co_filename, code.co_firstlineno)
        if where in seen:
            return
        seen.add(where)
        room = room_of(code.co_filename)
        if room is not None and code.co_flags & inspect.CO_OPTIMIZED:  # functions, not module or class bodies run on import
            route.append((room, code.co_qualname))

    from bench.cli import main

    sys.argv = ["bench", *argv]
    sys.setprofile(profile)
    try:
        main()
    except SystemExit:
        pass
    finally:
        sys.setprofile(None)
    return route


def summarise(route: list[tuple[str, str]]) -> dict[str, object]:
    rooms = [room for room, _ in route]
    merged = [r for i, r in enumerate(rooms) if i == 0 or rooms[i - 1] != r]
    moves = len(merged) - 1
    climbs = sum(1 for a, b in zip(merged, merged[1:]) if a in STAGES and b in STAGES and STAGES.index(b) < STAGES.index(a))
    left: set[str] = set()
    returns = 0
    for a, b in zip(merged, merged[1:]):
        left.add(a)
        returns += b in left
    return {"functions": len(route), "moves": moves, "climbs_back_up": climbs, "returns": returns, "rooms": merged}


def main() -> None:
    route = trace(sys.argv[1:])
    summary = summarise(route)
    print(f"functions first called: {summary['functions']}", file=sys.stderr)
    print(f"moves between rooms: {summary['moves']}, climbs back up: {summary['climbs_back_up']}, returns to rooms already left: {summary['returns']}", file=sys.stderr)
    print("route: " + " -> ".join(summary["rooms"]), file=sys.stderr)


if __name__ == "__main__":
    main()
