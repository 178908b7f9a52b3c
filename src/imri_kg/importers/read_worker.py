"""The second process of a big coding sheet's read, run by path by importers/coding_sheet.py (`Helper`), so that
the import's one idle core builds part of the rows' lines: `python read_worker.py ARGS.pickle`. Answers in pickles
on stdout, takes the digest on stdin; an error is ("error", text).
"""

import pickle
import sys


def main(args: str) -> int:
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
    sys.exit(main(sys.argv[1]))
