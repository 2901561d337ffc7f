"""How llama.cpp's CPU threads wait for each other, chosen from how busy the machine is.

Where it sits: a helper of the in-process llama.cpp backend (`local.py`), called before
llama_cpp (and libgomp with it) loads, since libgomp reads its settings once, then.

llama.cpp's threads meet at an OpenMP barrier many times a token. libgomp's default
spins there for a while before sleeping. Measured on a 2-core machine, 2 threads, the
first two NER prompts (`python -m benchmarks.llm --child ...`, docs/history/2026-12-04-speed.md):

- idle: spinning 6.0 s, waiting passively 10.6 s (decode 69 against 24 tokens/s);
- one other busy process: spinning 19.7 s, passively 13.4 s;
- four: spinning 74.3 s, passively 24.9 s.

So neither is right everywhere: a spinning thread holds the core its partner needs as
soon as anything else runs. `choose()` looks at what the other processes use right now
(the machine's CPU time less this process's, over `SAMPLE_S`) and waits passively unless
the machine is idle. It sets nothing when the user has set `OMP_WAIT_POLICY` or
`GOMP_SPINCOUNT`. The choice changes only speed, never a token: the thread count and the
arithmetic are the same either way.
"""

from __future__ import annotations

import os
import sys
import time

PASSIVE = {"OMP_WAIT_POLICY": "PASSIVE"}
USER_VARIABLES = ("OMP_WAIT_POLICY", "GOMP_SPINCOUNT")
SAMPLE_S = 0.1
IDLE_CORES = 0.25  # other processes using less than a quarter of one core: idle


def _busy_jiffies() -> tuple[int, int] | None:
    """(busy, total) CPU jiffies of the whole machine since boot, from /proc/stat; None off Linux."""
    try:
        with open("/proc/stat", encoding="ascii") as handle:
            fields = [int(x) for x in handle.readline().split()[1:]]
    except (OSError, ValueError):
        return None
    if len(fields) < 5:
        return None
    idle = fields[3] + fields[4]  # idle + iowait
    return sum(fields[:8]) - idle, sum(fields[:8])


def others_cores(sample_s: float = SAMPLE_S) -> float | None:
    """How many cores other processes keep busy now, over `sample_s`; None when unknown."""
    first, own = _busy_jiffies(), time.process_time()
    start = time.monotonic()
    time.sleep(sample_s)
    second, own_after, elapsed = _busy_jiffies(), time.process_time(), time.monotonic() - start
    if first is None or second is None or elapsed <= 0:
        return None
    ticks = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    busy_s = (second[0] - first[0]) / ticks
    return max(0.0, busy_s - (own_after - own)) / elapsed


def choose() -> dict[str, str]:
    """The OpenMP variables to set (and sets them): none when the user set one, when
    llama_cpp is loaded already (a second backend in the process), or when the machine
    is idle; else passive waiting. Unknown load counts as busy."""
    if any(name in os.environ for name in USER_VARIABLES) or "llama_cpp" in sys.modules:
        return {}  # the user's choice; or libgomp is loaded already and reads nothing more
    cores = others_cores()
    if cores is not None and cores < IDLE_CORES:
        return {}
    os.environ.update(PASSIVE)
    return dict(PASSIVE)
