"""The second process of a big coding sheet's read, run by path by importers/coding_sheet.py (`Helper`), so that
the import's one idle core builds part of the rows' lines: `python read_worker.py ARGS.pickle`. Answers in pickles
on stdout, takes the digest on stdin; an error is ("error", text). It ends with the first process, however that
ends (SIGKILL too: Linux's parent-death signal).
"""

import os
import pickle
import signal
import sys


def _end_with(parent: int) -> None:
    """Have the kernel kill this process when its parent ends (Linux); end now if it has already."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # 1: PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # not Linux: the closed pipe ends it, later
        pass
    if os.getppid() != parent:
        os._exit(1)


def main(args: str, parent: str | None = None) -> int:
    if parent is not None:
        _end_with(int(parent))
    answers = sys.stdout.buffer
    try:
        from imri_kg.importers.coding_sheet import help_read

        help_read(args, answers, sys.stdin.buffer)
    except Exception as exc:  # noqa: BLE001 - every failure goes back to the first process, which reports it
        pickle.dump(("error", f"{type(exc).__name__}: {exc}"), answers)
        answers.flush()
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
