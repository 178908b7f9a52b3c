"""A progress line on a terminal for validating and importing big files: which stage, and for how long."""

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

STAGES = {"validating": "checking against the shapes", "validated": "checked", "writing": "writing to the store"}


@contextmanager
def progress_bar(name: str) -> Iterator[Callable[[str], None] | None]:
    """Yield a callback that shows each stage on stderr when stderr is a terminal (else None: nothing shown)."""
    if not sys.stderr.isatty():
        yield None
        return
    from tqdm import tqdm

    bar = tqdm(total=len(STAGES), desc=name, unit="stage", file=sys.stderr, leave=False, ncols=100, mininterval=0,
               bar_format="{desc}: {n}/{total} stages |{bar}| {elapsed} {postfix}")
    started = time.perf_counter()

    def stage(what: str) -> None:
        bar.set_postfix_str(STAGES.get(what, what))
        bar.update(1)

    try:
        yield stage
    finally:
        bar.close()
        if time.perf_counter() - started > 2:
            print(f"{name}: {time.perf_counter() - started:.1f} s", file=sys.stderr)
