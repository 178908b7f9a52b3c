"""The one place that touches RDF stores and files: opening, loading and writing graphs (kb/build.py builds them)."""

import gc
import re
import shutil
from collections.abc import Iterable
from pathlib import Path

from pyoxigraph import CanonicalizationAlgorithm, Dataset, NamedNode, Quad, RdfFormat, Store, parse, serialize

from imri_kg.errors import InputError
from imri_kg.namespaces import PREFIXES
from imri_kg.resources import ONTOLOGY_FILE, SHAPES_DIR
from imri_kg.store.bulk import recover
from imri_kg.store.names import DEFAULT_BASE, FORMATS, graph_iri
from imri_kg.store.remote import RemoteStore, is_remote

NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")  # no XML 1.0 document holds them


def open_store(path: Path | str | None = None, *, base: str = DEFAULT_BASE) -> Store:
    """An Oxigraph store: in memory, or on disk in directory `path` (created when missing), opened for writing.

    A `path` that is an http(s) URL names a SPARQL engine's query endpoint instead (remote.py): the store is then
    the engine's named graphs under `<base>graph/`. A failed open leaves no directory behind that it created.
    """
    if path is None:
        return Store()
    if is_remote(path):
        return RemoteStore(str(path), scope=graph_iri("", base=base).value)  # type: ignore[return-value]
    recover(path)  # finish or forget a bulk load that was killed
    existed = Path(path).exists()
    try:
        return Store(str(path))
    except OSError:
        # A store dropped earlier in this process can still hold the lock: rdflib's SPARQL parser (used by pySHACL)
        # keeps pyparsing's packrat cache, whose cached exceptions hold frames, and so the stores those frames held.
        from pyparsing import ParserElement

        ParserElement.reset_cache()
        gc.collect()
    try:
        return Store(str(path))
    except OSError as exc:
        if not existed:
            shutil.rmtree(path, ignore_errors=True)  # no orphan files from an open that failed
        raise InputError(f"cannot open the store for writing: {_first_line(exc)}", path=path) from None


def open_read_only(path: Path | str, *, base: str = DEFAULT_BASE) -> Store:
    """An on-disk store opened read-only (a snapshot: later writes by others are not seen), or a remote engine.

    Works on a read-only or full disk and while another process writes; writes nothing, creates nothing.
    """
    if is_remote(path):
        return open_store(path, base=base)
    if not Path(path).is_dir():
        raise InputError(f"no store is here, so it holds no knowledge base; run: imri-kg build --store {path}", path=path)
    try:
        recover(path)
    except OSError:
        pass  # a read-only disk: a killed load cannot be tidied now, and the store itself is untouched by it
    import gc

    for attempt in (1, 2):
        try:
            return Store.read_only(str(path))
        except OSError as exc:
            raise InputError(f"cannot open the store read-only: {_first_line(exc)}", path=path) from None
        except RuntimeError as exc:  # RocksDB: a file set that a handle of this process, not yet freed, still names
            if attempt == 2:
                raise InputError(f"cannot open the store read-only: {_first_line(exc)}", path=path) from None
            gc.collect()
    raise AssertionError("unreachable")


def _first_line(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


def read_ontology(path: Path = ONTOLOGY_FILE, *, base: str = DEFAULT_BASE) -> list[Quad]:
    graph = graph_iri("ontology", base=base)
    try:
        return [Quad(t.subject, t.predicate, t.object, graph) for t in parse(path=str(path), format=RdfFormat.TURTLE)]
    except SyntaxError as exc:
        raise InputError(f"is not valid Turtle: {exc}", path=path) from None


def replace_graphs(store: Store, graphs: list[NamedNode], quads: list[Quad]) -> None:
    """Drop `graphs` and add `quads` in one update, hence one transaction: on any failure (a full disk included)
    the store keeps its old graphs, never none of them. A remote engine does the same in one request."""
    if isinstance(store, RemoteStore):
        store.replace_graphs(graphs, quads)
        return
    operations = [f"DROP SILENT GRAPH <{g.value}>" for g in graphs] + ([to_insert_data(quads)] if quads else [])
    if not operations:
        return
    try:
        store.update(" ;\n".join(operations))
    except OSError as exc:
        raise InputError(f"the store could not be written ({_first_line(exc)}); it is unchanged.") from None


def to_insert_data(quads: Iterable[Quad]) -> str:
    """One SPARQL `INSERT DATA` of `quads`, grouped by graph (terms in their N-Triples form, which SPARQL reads)."""
    graphs: dict[str, list[str]] = {}
    for q in quads:
        graphs.setdefault(str(q.graph_name), []).append(f"{q.subject} {q.predicate} {q.object} .")
    parts = [("\n".join(t) if g == "DEFAULT" else f"GRAPH {g} {{\n" + "\n".join(t) + "\n}")
             for g, t in graphs.items()]
    return "INSERT DATA {\n" + "\n".join(parts) + "\n}"


def canonical_quads(quads: Iterable[Quad]) -> list[Quad]:
    """Quads with canonical blank-node labels, in a fixed order, so that equal graphs serialise to equal bytes."""
    dataset = Dataset(quads)
    dataset.canonicalize(CanonicalizationAlgorithm.UNSTABLE)
    return sorted(dataset, key=str)


def graph_quads(store: Store, *, graph: str | None = None, base: str = DEFAULT_BASE) -> list[Quad]:
    """The quads of the whole store, or of some of its named graphs, by short name.

    'kb' names one graph; 'mappings' or 'import' name every graph under them ('mappings/<set>', 'import/<id>');
    'shapes' is the SHACL shapes of shapes/*.ttl, which validation reads from the files rather than the store.
    """
    if graph is None:
        return list(store)
    if graph == "shapes":
        target = graph_iri("shapes", base=base)
        return [Quad(t.subject, t.predicate, t.object, target) for path in sorted(SHAPES_DIR.glob("*.ttl"))
                for t in parse(path=str(path), format=RdfFormat.TURTLE)]
    names = {g.value.rsplit("/graph/", 1)[-1]: g for g in store.named_graphs()
             if isinstance(g, NamedNode) and "/graph/" in g.value}
    chosen = [iri for name, iri in names.items() if name == graph or name.startswith(graph + "/")]
    if not chosen:
        raise InputError(f'the store has no graph "{graph}"; it has: {", ".join(sorted(names))}, and shapes.')
    return [q for iri in chosen for q in store.quads_for_pattern(None, None, None, iri)]


def write_graph(store: Store, path: Path, *, graph: str | None = None, base: str = DEFAULT_BASE) -> Path:
    """Write the store (or one named graph) to `path`, in the format its extension names, deterministically.

    Triple formats (Turtle, N-Triples, RDF/XML, JSON-LD) get the union of the graphs; TriG and N-Quads keep them.
    JSON-LD is compacted with ontology/context.jsonld so that it reads as plain JSON.
    """
    path = Path(path)
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise InputError(f"unknown extension; use one of {', '.join(FORMATS)}.", path=path)
    quads = canonical_quads(graph_quads(store, graph=graph, base=base))
    triples = list(dict.fromkeys(q.triple for q in quads))
    if fmt == RdfFormat.RDF_XML:
        _refuse_what_xml_cannot_hold(triples, path)
    if fmt == RdfFormat.JSON_LD:
        from imri_kg.publish.jsonld import dumps, to_jsonld  # pyld is only needed here

        data = dumps(to_jsonld(triples, base=base))
    elif fmt.supports_datasets:
        data = serialize(quads, format=fmt, prefixes=PREFIXES) or b""
    else:
        data = serialize(triples, format=fmt, prefixes=PREFIXES) or b""
    tmp = path.with_name(path.name + ".part")
    tmp.write_bytes(data)
    tmp.replace(path)
    return path


def _refuse_what_xml_cannot_hold(triples: list, path: Path) -> None:
    """RDF/XML is XML 1.0, which cannot hold most control characters even escaped: name the first such term."""
    for t in triples:
        for term in (t.subject, t.predicate, t.object):
            if (bad := NOT_XML.search(term.value)):
                raise InputError(f"<{t.subject.value}> <{t.predicate.value}> holds the control character "
                                 f"U+{ord(bad.group()):04X}, which RDF/XML (XML 1.0) cannot hold; remove it from the "
                                 "source files, or export as Turtle, N-Triples, TriG or JSON-LD. Nothing written.",
                                 path=path)


