"""`rapport <args>` that says on stderr how long each phase of a batch took, for
bench/batch.py: a line `phase <name> <seconds>` for the command's start (interpreter and
imports), `ready` (every client's check for new exports and its reports' fingerprints),
`fresh` (which reports are up to date), `builds` (the workers' start, every build) and
`index`. The phases are rapport.cli's own steps, timed from the outside: the command runs
unchanged.

    .venv/bin/python bench/phases.py reports --force --jobs 2
"""

from __future__ import annotations

import sys
import time

STARTED = time.perf_counter()

import rapport.cli as cli  # noqa: E402 - the imports are the first phase
from rapport.publish import index  # noqa: E402

STEPS = {
    "ready": (cli, "_ready_all"),
    "fresh": (cli, "_up_to_date"),
    "builds": (cli, "_run"),
    "index": (index, "write"),
}


def timed(name: str, step):
    def step_timed(*args, **kwargs):
        started = time.perf_counter()
        try:
            return step(*args, **kwargs)
        finally:
            print(f"phase {name} {time.perf_counter() - started:.2f}", file=sys.stderr, flush=True)

    return step_timed


if __name__ == "__main__":  # not in the processes the batch spawns, which import this file
    print(f"phase start {time.perf_counter() - STARTED:.2f}", file=sys.stderr, flush=True)
    for name, (module, attribute) in STEPS.items():
        setattr(module, attribute, timed(name, getattr(module, attribute)))
    sys.exit(cli.main(sys.argv[1:]))
