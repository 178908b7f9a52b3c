"""shacl-rust over the union of N-Triples/N-Quads files, run as its own process by validation/slices.py.

Run by path (`python rust_worker.py SHAPES FILE...`), so that it imports shacl-rust and nothing of imri_kg: a
worker starts in a few tens of milliseconds, and no lock of the parent (forked with its threads) can be inherited.
Prints the engine's results as one JSON list; a shapes graph the engine refuses is "error: <message>" on stderr,
exit 3.
"""

import io
import json
import sys


def main(shapes: str, files: list[str]) -> int:
    import shacl_rust

    data = io.BytesIO(b"".join(open(path, "rb").read() for path in files))  # noqa: SIM115 - read whole, closed by gc
    try:
        found = shacl_rust.validate_file(data, shapes, data_format="nq", shapes_format="nt", experimental_index=True)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 3
    json.dump(found["results"], sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2:]))
