"""Importing a project into a store (all or nothing; a new version replaces the old in one transaction and is
recorded in the project's history graph), and removing a project whole."""

import datetime as dt
import getpass
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from pyoxigraph import BlankNode, Literal, NamedNode, Quad, RdfFormat, Store, serialize

from imri_kg.errors import InputError
from imri_kg.namespaces import DCTERMS, IMRI, OWL, PROV, RDF, RDFS, XSD
from imri_kg.projects.checks import ProjectCheck, check_project
from imri_kg.projects.graph import family_prefix, project_graph, project_iri
from imri_kg.projects.lookup import slugify
from imri_kg.store import DEFAULT_BASE, graph_iri
from imri_kg.store.remote import RemoteStore

# Record kind -> (class, graph name) counted before and after an import.
KINDS = {"codes": (IMRI.Code, "data"), "cases": (IMRI.Case, "data"), "case attributes": (IMRI.CaseAttribute, "data"),
         "studies": (IMRI.Study, "data"), "excerpts": (IMRI.CodedExcerpt, "data"), "mappings": (OWL.Axiom, "mappings")}


@dataclass
class ProjectImported:
    """What an import did: nothing (rejected, or unchanged), or a new version with its counts."""

    check: ProjectCheck
    slug: str = ""
    number: int = 0  # the import's number in the project's history; 0 when nothing was written
    unchanged: bool = False
    before: dict[str, int] = field(default_factory=dict)
    after: dict[str, int] = field(default_factory=dict)

    @property
    def written(self) -> bool:
        return self.number > 0


def project_graphs(store: Store, slug: str, *, base: str = DEFAULT_BASE) -> list[NamedNode]:
    """Every graph of the project's family in the store."""
    prefix = family_prefix(slug, base=base)
    return sorted((g for g in store.named_graphs() if isinstance(g, NamedNode) and g.value.startswith(prefix)),
                  key=lambda g: g.value)


def projects_in(store: Store, *, base: str = DEFAULT_BASE) -> list[str]:
    """The slugs of the projects in the store."""
    prefix = f"{base.rstrip('/')}/graph/project/"
    return sorted({g.value[len(prefix):].split("/", 1)[0] for g in store.named_graphs()
                   if isinstance(g, NamedNode) and g.value.startswith(prefix)})


def _counts(quads: list[Quad], slug: str, base: str) -> dict[str, int]:
    """How many records of each kind `quads` type (in one pass), and how many quads."""
    kinds = {(cls, project_graph(slug, name, base=base)): kind for kind, (cls, name) in KINDS.items()}
    found: dict[str, set] = {kind: set() for kind in KINDS}
    rdf_type = RDF.type
    for q in quads:
        if q.predicate == rdf_type and (kind := kinds.get((q.object, q.graph_name))):
            found[kind].add(q.subject)
    counts = {kind: len(subjects) for kind, subjects in found.items()}
    counts["triples"] = len(quads)
    return counts


def import_project(store: Store, folder: Path, *, base: str = DEFAULT_BASE, by: str | None = None,
                   now: dt.datetime | None = None, engine: str = "rust",
                   progress: Callable[[str], None] | None = None, shapes: bool = True,
                   history: bool = True, replace: bool = False) -> ProjectImported:
    """Check the project folder and, when nothing violates a check, write it into its graph family in one
    transaction: its `data` and `mappings` graphs are replaced and one record is added to its `history` graph.
    A project whose graphs already hold exactly these quads is left alone (`unchanged`).

    `shapes=False` skips the SHACL shapes (the reader's checks still run) and `history=False` writes no history
    record: `build` imports the shipped examples so, keeping the built graph the same on every machine and run.
    A project already in the store under the slug with another title is taken for another project and the
    import is refused (a problem at project.yaml's slug) unless `replace`."""
    step = progress or (lambda _: None)
    step("read and check")
    check = check_project(folder, store=store, base=base, engine=engine, shapes=shapes)
    if not check.conforms or check.graph is None or check.project.meta is None:
        return ProjectImported(check)
    meta = check.project.meta
    slug = meta.slug
    if not replace and (other := _other_title(store, slug, meta.title, base)):
        check.problems.add(check.project.folder / "project.yaml",
                           f'the store holds another project under the slug "{slug}": "{other}", not "{meta.title}". '
                           "Give this project a slug of its own, or, if it is a new version of that one with a new "
                           "title, import it with --replace.", column="slug")
        return ProjectImported(check)
    names = [project_graph(slug, n, base=base) for n in ("data", "mappings", "view")]
    old = [q for g in names for q in store.quads_for_pattern(None, None, None, g)]
    # A view triple the store's knowledge base already states (a built store holds the shipped examples' views as
    # graph kb) is not written again, so that re-importing an example does not state the papers' facts twice.
    # (The build puts an example's view triples about a framework scheme in graph frameworks: build_store.)
    kb = graph_iri("kb", base=base)
    built = store.contains_named_graph(kb)
    stated = (kb, graph_iri("frameworks", base=base))
    view = [q for q in check.graph.view if not built or not any(
        next(iter(store.quads_for_pattern(q.subject, q.predicate, q.object, g)), None) for g in stated)]
    new = list(dict.fromkeys(check.graph.quads + view))
    result = ProjectImported(check, slug, before=_counts(old, slug, base), after=_counts(new, slug, base))
    if set(old) == set(new):
        result.unchanged = True
        return result
    step("write")
    history_graph = project_graph(slug, "history", base=base)
    number = 1 + len(list(store.quads_for_pattern(None, RDF.type, IMRI.ProjectImport, history_graph)))
    quads = list(new)
    if history:  # the shipped examples are built without one: every build then gives the same graph
        from imri_kg.findings.history import (
            evidence_history,  # each finding's evidence, per version (issue 19)
        )

        quads += _history(meta.slug, meta.version, number, result, new, by=by, now=now, base=base,
                          graph=history_graph)
        root = project_iri(slug, base=base).value
        quads += evidence_history(new, version=NamedNode(f"{root}/version/{number}"), graph=history_graph)
    write_replacing(store, names, quads, old=old)
    result.number = number
    return result


def _other_title(store: Store, slug: str, title: str, base: str) -> str:
    """The title of the project stored under `slug` when it is not `title` (spaces tidied); else ""."""
    found = [q.object.value for q in store.quads_for_pattern(project_iri(slug, base=base), DCTERMS.title, None,
                                                               project_graph(slug, "data", base=base))]
    return next((t for t in found if " ".join(t.split()) != " ".join(title.split())), "") if found else ""


def _history(slug: str, version: str, number: int, result: ProjectImported, quads: list[Quad], *, by: str | None,
             now: dt.datetime | None, base: str, graph: NamedNode) -> list[Quad]:
    """One PROV record: the import (when, by whom, counts before and after) and the version it generated."""
    p = project_iri(slug, base=base)
    activity = NamedNode(f"{p.value}/import/{number}")
    entity = NamedNode(f"{p.value}/version/{number}")
    who = by or _user()
    agent = NamedNode(f"{p.value}/agent/{slugify(who) or 'unnamed'}")
    started = (now or dt.datetime.now(dt.UTC)).replace(microsecond=0).isoformat()
    digest = hashlib.sha256(serialize(sorted(quads, key=str), format=RdfFormat.N_QUADS) or b"").hexdigest()
    out = [(activity, RDF.type, PROV.Activity), (activity, RDF.type, IMRI.ProjectImport),
           (activity, RDFS.label, Literal(f"Import {number} of project {slug}" + (f", version {version}" if version
                                                                                  else ""))),
           (activity, IMRI.project, p), (activity, PROV.startedAtTime, Literal(started, datatype=XSD.dateTime)),
           (activity, PROV.wasAssociatedWith, agent), (activity, PROV.generated, entity),
           (agent, RDF.type, PROV.Agent), (agent, RDFS.label, Literal(who)),
           (entity, RDF.type, PROV.Entity), (entity, RDFS.label, Literal(f"Project {slug}, import {number}")),
           (entity, DCTERMS.identifier, Literal(f"sha256:{digest}"))]
    if version:
        out.append((entity, OWL.versionInfo, Literal(version)))
    if number > 1:
        out.append((entity, PROV.wasRevisionOf, NamedNode(f"{p.value}/version/{number - 1}")))
    for kind in result.after:
        count = NamedNode(f"{activity.value}/count/{slugify(kind)}")
        out += [(activity, IMRI.recordCount, count), (count, RDF.type, IMRI.RecordCount),
                (count, RDFS.label, Literal(kind)),
                (count, IMRI.countBefore, Literal(str(result.before.get(kind, 0)), datatype=XSD.integer)),
                (count, IMRI.countAfter, Literal(str(result.after[kind]), datatype=XSD.integer))]
    return [Quad(s, pr, o, graph) for s, pr, o in out]


def _user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def write_replacing(store: Store, graphs: list[NamedNode], quads: list[Quad], *,
                    old: list[Quad] | None = None) -> None:
    """Drop `graphs` and add `quads` in one transaction, so readers (and a crash) see all or nothing.

    `old`, when the caller has read it (holding the store's write lock), is what `graphs` hold now. A pyoxigraph
    Store is then written without parsing the whole version as SPARQL text (which held the project several times
    in memory): into empty graphs by one `extend` (one transaction); over an older version by one update that
    deletes and inserts only the quads that differ, unless more than half of the old quads go or one of them has
    a blank node (not allowed in DELETE DATA): then, as without `old`, one update that drops the graphs and
    inserts every quad."""
    if isinstance(store, RemoteStore):
        store.replace_graphs(graphs, quads)
        return
    if isinstance(store, Store) and old is not None:
        if not old:
            store.extend(quads)
            return
        kept = set(quads)
        gone = [q for q in old if q not in kept]
        if 2 * len(gone) <= len(old) and not any(isinstance(t, BlankNode) for q in gone for t in (q.subject, q.object)):
            before = set(old)
            added = [q for q in dict.fromkeys(quads) if q not in before]
            parts = [f"{verb} DATA {{\n{_blocks(qs)}\n}}" for verb, qs in (("DELETE", gone), ("INSERT", added)) if qs]
            if parts:
                store.update(" ;\n".join(parts))
            return
    parts = [f"DROP SILENT GRAPH <{g.value}>" for g in graphs]
    if quads:
        parts.append(f"INSERT DATA {{\n{_blocks(quads)}\n}}")
    if parts:
        store.update(" ;\n".join(parts))


def _blocks(quads: list[Quad]) -> str:
    """`quads` as the GRAPH blocks of a SPARQL INSERT DATA or DELETE DATA, in N-Triples."""
    by_graph: dict[NamedNode, list[Quad]] = {}
    for q in quads:
        by_graph.setdefault(q.graph_name, []).append(q)  # type: ignore[arg-type]
    blocks = []
    for g, qs in by_graph.items():
        triples = (serialize([q.triple for q in qs], format=RdfFormat.N_TRIPLES) or b"").decode()
        blocks.append(f"GRAPH <{g.value}> {{\n{triples}}}")
    return "\n".join(blocks)


def remove_project(store: Store, slug: str, *, base: str = DEFAULT_BASE) -> dict[str, int]:
    """Drop every graph of the project's family in one transaction; the counts of what was there."""
    graphs = project_graphs(store, slug, base=base)
    if not graphs:
        known = projects_in(store, base=base)
        raise InputError(f'the store has no project "{slug}"; it has: {", ".join(known) or "none"}.')
    quads = [q for g in graphs for q in store.quads_for_pattern(None, None, None, g)]
    counts = _counts(quads, slug, base)
    write_replacing(store, graphs, [])
    return counts
