"""Validating a big set of new records in slices: the same results as one run over the whole data graph.

A sheet's records are cut into disjoint slices of rows (the reader writes one N-Triples file per slice, and one
file of what every row shares: the import activity, the coders). shacl-rust checks the SHACL Core shapes on each
slice together with the shared file and the part of the store the records reach (every triple reachable from them
by following triples forwards), two slices at a time in two worker processes (rust_worker.py; shacl-rust holds
the GIL while it runs, so threads would take turns). The SPARQL rules run once, by Oxigraph, over the whole store and every slice
(an on-disk store when the data are big), in this process, meanwhile.

Why the results are those of one whole run: with no inverse path, no SPARQL left to shacl-rust and no SPARQL
target (`sliceable`), what SHACL Core says about a focus node depends only on the triples reachable from it, and
a slice holds everything reachable from its records. A node found in several slices (a coder, a theme) gets the
same results in each; they are kept once. Shapes that do not qualify are run whole (`run_rust`).
"""

import json
import signal
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from pyoxigraph import BlankNode, NamedNode, Quad, RdfFormat, Store, parse, serialize

from imri_kg.errors import InputError
from imri_kg.validation import engines, sparql
from imri_kg.validation.results import Result, sort_key
from imri_kg.validation.shapes import SH, Shapes

WORKERS = 2  # slices checked at once, each in a worker process (the machine's cores)
ON_DISK = 3 * 2**30  # data bytes (1.2 million rows) above which the rules store is on disk (a temporary folder)
FORBIDDEN = ("inversePath", "sparql", "target", "validator", "nodeValidator", "propertyValidator")


@dataclass
class Sliced:
    """New records as N-Triples files: `shared` (what several records use) and disjoint `slices` of records; each
    slice's records reach nothing in the other slices. `reached`: the IRIs of store nodes that the records name."""

    shared: Path
    slices: list[Path]
    reached: set[str] = field(default_factory=set)

    @property
    def files(self) -> list[Path]:
        return [self.shared, *self.slices]


def sliceable(core: Shapes) -> bool:
    """Whether the SHACL Core shapes only look forwards from a focus node (see the module's docstring)."""
    return not any(t.predicate.value in {SH + name for name in FORBIDDEN} for t in core.triples)


def run_sliced(store: Store, records: Sliced, shapes: Shapes, *, workers: int = WORKERS) -> list[Result]:
    """shacl-rust per slice and Oxigraph's rules once; one whole run when the shapes or records do not qualify."""
    if shapes._split is None:
        shapes._split = sparql.split(shapes)
    constraints, core = shapes._split
    if len(records.slices) < 2 or not sliceable(core):
        return engines.run_rust([store, *records.files], shapes)
    with tempfile.TemporaryDirectory(prefix="imri-slices-") as folder:
        reach = Path(folder) / "reach.nt"
        serialize(reached(store, records.reached), output=str(reach), format=RdfFormat.N_TRIPLES)
        shapes_file = Path(folder) / "shapes.nt"
        shapes_file.write_text(core.ntriples, encoding="utf-8")

        # Each slice in its own worker process (rust_worker.py); the threads here only wait for them.
        with ThreadPoolExecutor(max_workers=workers) as pool:
            runs = [pool.submit(check_slice, [reach, records.shared, part], shapes_file) for part in records.slices]
            results = _rules(store, records, constraints, shapes, Path(folder))
            try:
                found = [run.result() for run in runs]
            except ValueError as exc:  # a shapes graph the engine cannot use (SHACL 3.4 ill-formed shapes)
                raise InputError(f"the shapes cannot be used: {exc}") from None
    return sorted(results + merged(found, shapes), key=sort_key)


WORKER = Path(__file__).with_name("rust_worker.py")


def check_slice(files: list[Path], shapes_file: Path) -> list[dict]:
    """shacl-rust's results over the union of the files, from a worker process (validation/rust_worker.py)."""
    done = subprocess.run([sys.executable, str(WORKER), str(shapes_file), *map(str, files)], capture_output=True,
                          check=False)
    if done.returncode == 3:
        raise ValueError(done.stderr.decode(errors="replace").strip().removeprefix("error: "))
    if done.returncode < 0:  # killed (by a user, or by the kernel when memory ran out): one line, not a traceback
        raise ChildProcessError(f"the SHACL check stopped: its worker process was killed by "
                                f"{signal.Signals(-done.returncode).name}; nothing was written. Run it again.")
    if done.returncode != 0:
        raise ChildProcessError(f"the SHACL check failed in its worker process: "
                                f"{done.stderr.decode(errors='replace').strip()[-500:]}")
    return json.loads(done.stdout)


def merged(found: Sequence[list[dict]], shapes: Shapes) -> list[Result]:
    """Each focus node's results from the first slice that has any (they are the same in every slice it is in)."""
    owner: dict[str, int] = {}
    kept = []
    for i, results in enumerate(found):
        for r in results:
            if owner.setdefault(r["focusNode"], i) == i:
                kept.append(engines._from_rust(r, shapes.index))
    return kept


def reached(store: Store, iris: set[str], *, start: Sequence = ()) -> list[Quad]:
    """Every triple of the store reachable from the nodes `iris` (and `start`) by following triples forwards
    (graph names dropped, each triple once)."""
    seen: set = set()
    todo = [NamedNode(i) for i in iris] + list(start)
    triples: dict = {}
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        for q in store.quads_for_pattern(node, None, None, None):
            triples.setdefault(q.triple, None)
            if isinstance(q.object, NamedNode | BlankNode) and q.object not in seen:
                todo.append(q.object)
    return [Quad(t.subject, t.predicate, t.object) for t in triples]


def _rules(store: Store, records: Sliced, constraints: list, shapes: Shapes, folder: Path) -> list[Result]:
    """The SPARQL rules over the whole store and every record, in an Oxigraph store of the triples they read (on
    disk when the records are big). A rule whose query reads any predicate but only forwards from $this
    (sparql.reads_forward) reads the triples reachable from its focus nodes, not every triple."""
    if not constraints:
        return []
    files = engines.to_files([store], folder) + records.files
    big = sum(p.stat().st_size for p in files) > ON_DISK
    rules = Store(str(folder / "rules")) if big else Store()
    rules, live = engines._focus(files, constraints, shapes.index, rules)
    forward = [(c, focus) for c, focus in live if c.predicates is None and c.forward]
    rest = [(c, focus) for c, focus in live if not (c.predicates is None and c.forward)]
    results = engines._rules(rules, files, rest, shapes.index) if rest else []
    if forward:
        around = Store()
        around.bulk_extend(reachable(store, records, {n for _, focus in forward for n in focus}))
        results += sparql.run(around, forward, shapes.index)
    return results


def reachable(store: Store, records: Sliced, nodes: set) -> list[Quad]:
    """The triples of the store and the records reachable from `nodes` (graph names dropped): the store is
    walked by its index, the records' files are read once more for each step that reaches a node they describe."""
    found = dict.fromkeys(reached(store, {n.value for n in nodes if isinstance(n, NamedNode)}))
    found.update(dict.fromkeys(q for n in nodes if isinstance(n, BlankNode)
                               for q in reached(store, set(), start=[n])))
    known = {q.subject for q in found} | set(nodes)
    while True:
        wanted = {f"{t}".encode() + b" " for t in known}
        lines = []
        for part in records.files:
            with open(part, "rb") as f:
                while chunk := f.readlines(1 << 22):
                    lines += [line for line in chunk if line[:line.find(b" ") + 1] in wanted]
        new = [q for q in (Quad(t.subject, t.predicate, t.object) for t in
                           parse(b"".join(lines), format=RdfFormat.N_TRIPLES)) if q not in found]
        found.update(dict.fromkeys(new))
        more = {q.object for q in new if isinstance(q.object, NamedNode | BlankNode)} - known
        if not more:
            return list(found)
        known |= more
        for q in reached(store, {n.value for n in more if isinstance(n, NamedNode)}):
            if q not in found:
                found[q] = None
                known.add(q.subject)
