"""A progress line on a terminal for validating and importing big files: which stage, and for how long.

`validate` has two stages (reading the file, checking it), `import` three (then writing to the store). The engine
reports the moments between them ("validating": the file is read; "validated": it is checked; "writing"), and the
sheet's reader the rows read so far ("reading", rows); the line shows the stage under way, and reaches its last
stage only when the command has done it. A project folder (validate DIR, import DIR) is read and checked in one
call, so its first stage is named for both (`first`).
"""

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

READING, CHECKING, WRITING = "reading the file", "checking against the shapes", "writing to the store"
READING_FOLDER = "reading and checking the folder"
# What each moment starts: (stages done by then, the stage under way or None when all are done).
MOMENTS = {"validating": (1, CHECKING), "validated": (2, None), "writing": (2, WRITING)}


@contextmanager
def progress_bar(name: str, *, writes: bool = False, first: str = READING) -> Iterator[Callable[[str], None] | None]:
    """Yield a callback that shows each stage on stderr when stderr is a terminal (else None: nothing shown).
    `writes`: the command also writes to the store (import: three stages); `first`: what the first stage does."""
    if not sys.stderr.isatty():
        yield None
        return
    from tqdm import tqdm

    total = 3 if writes else 2
    # miniters=1: every stage is drawn (tqdm's own choice skips one drawn after a jump of two, as import DIR makes)
    bar = tqdm(total=total, desc=name, unit="stage", file=sys.stderr, leave=False, ncols=100, mininterval=0,
               miniters=1, bar_format="{desc}: {n}/{total} stages |{bar}| {elapsed} {postfix}")
    bar.set_postfix_str(first)
    started = time.perf_counter()

    def stage(what: str, rows: int | None = None) -> None:
        if what == "reading" and rows is not None:  # a big sheet: how far the reading is
            bar.set_postfix_str(f"{READING}: {rows:,} rows")
            return
        done, under_way = MOMENTS.get(what, (bar.n, what))
        if under_way is None and done < total:  # checked, and the write is still to come
            under_way = "checked"
        bar.set_postfix_str(under_way or "done", refresh=done == bar.n)
        bar.update(done - bar.n)

    try:
        yield stage
        bar.set_postfix_str("done", refresh=False)
        bar.update(total - bar.n)
    finally:
        bar.close()
        if time.perf_counter() - started > 2:
            print(f"{name}: {time.perf_counter() - started:.1f} s", file=sys.stderr)
