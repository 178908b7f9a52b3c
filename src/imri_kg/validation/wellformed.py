"""A reviewer's shapes file checked before it is used: an ill-formed shapes graph is an input error (SHACL 3.4: a
processor must signal a failure, not give a report), so that a typo in a shape never becomes a verdict.

The check is W3C's "SHACL for SHACL" shapes graph, as pySHACL installs it (pyshacl/assets/shacl-shacl.ttl), run by
the same engine as any validation, plus what it leaves out: a path must not be a literal, a count or length must not
be negative, and a sh:pattern must be a regular expression (read as pySHACL reads it, with Python's re and its
sh:flags).
"""

import io
import re
from importlib.resources import files
from pathlib import Path

from pyoxigraph import Literal, RdfFormat, parse

from imri_kg.errors import InputError
from imri_kg.validation.engines import _from_rust, _term
from imri_kg.validation.shapes import SH, Shapes, shape_name

COUNTS = ("minCount", "maxCount", "minLength", "maxLength", "qualifiedMinCount", "qualifiedMaxCount")
FLAGS = {"i": re.IGNORECASE, "m": re.MULTILINE, "s": re.DOTALL, "x": re.VERBOSE}
SHOWN = 5  # problems named in the error; the rest are counted

_SHSH: Shapes | None = None


def shacl_shacl() -> Shapes:
    """W3C's shapes graph for shapes graphs, read once per process."""
    global _SHSH
    if _SHSH is None:
        text = (files("pyshacl") / "assets" / "shacl-shacl.ttl").read_bytes()
        _SHSH = Shapes.of(q.triple for q in parse(text, format=RdfFormat.TURTLE))
    return _SHSH


def check_well_formed(shapes: Shapes, source: Path | str | None = None) -> None:
    """Raise an InputError naming the first problems when the shapes graph is ill-formed (once per Shapes)."""
    if shapes.well_formed:
        return
    index = shapes.index
    problems = []
    for (node, p), objects in index.out.items():
        name = p.removeprefix(SH)
        for o in objects:
            if name == "path" and isinstance(o, Literal):  # SHACL 2.3.1: an IRI or a blank node
                problems.append(f"{shape_name(index, node)}: sh:path {o} is a literal, not a property path")
            elif name in COUNTS and isinstance(o, Literal) and _negative(o):
                problems.append(f"{shape_name(index, node)}: sh:{name} {o.value} is negative")
            elif name == "pattern" and isinstance(o, Literal):
                flags = index.value(node, SH + "flags")
                try:
                    re.compile(o.value, _flags(flags.value if isinstance(flags, Literal) else ""))
                except re.error as exc:
                    problems.append(f"{shape_name(index, node)}: sh:pattern \"{o.value}\" is no regular "
                                    f"expression ({exc})")
    for r in _meta_results(shapes):
        where = shape_name(index, _term(r.focus_nt))
        what = f" {r.path_text}" if r.path_text else ""
        value = f" (value {r.value_nt})" if r.value_nt else ""
        problems.append(f"{where}{what}{value}: {r.message or r.constraint}")
    if problems:
        more = f" (and {len(problems) - SHOWN} more)" if len(problems) > SHOWN else ""
        raise InputError("the shapes cannot be used: they are not a well-formed SHACL shapes graph (SHACL 3.4): "
                         + "; ".join(problems[:SHOWN]) + more + ".",
                         path=Path(source) if isinstance(source, (str, Path)) else None)
    shapes.well_formed = True


def _meta_results(shapes: Shapes) -> list:
    """shacl-rust's results for the shapes graph as data, in this process (a graph of a few hundred triples: no
    worker process is worth starting for it)."""
    import shacl_rust

    meta = shacl_shacl()
    found = shacl_rust.validate_file(io.BytesIO(shapes.ntriples.encode()), io.BytesIO(meta.ntriples.encode()),
                                     data_format="nt", shapes_format="nt", experimental_index=True)
    return [_from_rust(r, meta.index) for r in found["results"]]


def _negative(literal: Literal) -> bool:
    try:
        return int(literal.value) < 0
    except ValueError:
        return False  # not an integer: SHACL for SHACL says so


def _flags(text: str) -> int:
    found = 0
    for c in text:
        found |= FLAGS.get(c, 0)
    return found
