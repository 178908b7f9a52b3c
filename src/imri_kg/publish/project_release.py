"""One review project released on its own as a citable dataset: its graphs in every format, its matrix tables, its
networks (GraphML), VoID/DCAT, CITATION.cff, a README, SHA256SUMS and a zip, byte-identical across runs on the same store."""

import shutil
import tempfile
from pathlib import Path

from pyoxigraph import Literal, NamedNode, RdfFormat, Store, Triple, serialize

from imri_kg.errors import InputError
from imri_kg.namespaces import DCTERMS, PREFIXES, RDF, XSD
from imri_kg.publish.description import COUNTS, DCAT, VOID, _curie_slug
from imri_kg.publish.release import DATA_FORMATS, _media_type, _sha256, _zip, check_release_folder
from imri_kg.questions import rows, run
from imri_kg.store import DEFAULT_BASE, graph_quads, write_graph

META = """
SELECT ?title ?year ?doi ?licence ?version ?description ?fictional (GROUP_CONCAT(?creator; separator="\\n") AS ?authors)
WHERE {
  ?project a imri:ReviewProject ; dcterms:title ?title .
  OPTIONAL { ?project dcterms:issued ?year } OPTIONAL { ?project bibo:doi ?doi }
  OPTIONAL { ?project dcterms:license ?licence } OPTIONAL { ?project owl:versionInfo ?version }
  OPTIONAL { ?project dcterms:description ?description } OPTIONAL { ?project imri:fictional ?fictional }
  OPTIONAL { ?project dcterms:creator ?creator }
} GROUP BY ?title ?year ?doi ?licence ?version ?description ?fictional
"""


def write_project_release(store: Store, slug: str, out: Path, *, issued: str, base: str = DEFAULT_BASE,
                          version: str | None = None) -> Path:
    """Build the bundle of project `slug` in a scratch folder, then put it at `out` (replacing it); returns the zip.
    The version is the project's own (project.yaml) unless given."""
    out = check_release_folder(Path(out))
    quads = _project_quads(store, slug, base=base)
    project = Store()
    project.extend(quads)
    meta = rows(run(project, META, bindings={"project": NamedNode(f"{base}project/{slug}")}))
    if not meta:
        raise InputError(f'the graphs of "{slug}" hold no imri:ReviewProject with a title.')
    m = meta[0]
    version = version or m["version"] or "1.0"
    out = Path(out)
    with tempfile.TemporaryDirectory(dir=out.parent if out.parent.exists() else None) as tmp:
        root = Path(tmp) / "release"
        (root / "data").mkdir(parents=True)
        for ext in DATA_FORMATS:
            write_graph(project, root / "data" / f"{slug}{ext}", base=base)
        _write_tables(store, slug, root / "tables", base=base)
        _write_networks(store, slug, root / "networks", base=base)
        (root / "CITATION.cff").write_text(to_project_citation_cff(m, slug=slug, version=version, issued=issued),
                                           encoding="utf-8")
        (root / "README.md").write_text(_readme(m, slug=slug, version=version, issued=issued), encoding="utf-8")
        files = {p.relative_to(root).as_posix(): DATA_FORMATS.get(p.suffix, _media_type(p))
                 for p in sorted(root.rglob("*")) if p.is_file()}
        description = to_project_description(project, m, slug=slug, base=base, version=version, issued=issued,
                                             files=files)
        (root / "void.ttl").write_bytes(serialize(sorted(description, key=str), format=RdfFormat.TURTLE, prefixes={
            **PREFIXES, "void": VOID.iri, "dcat": DCAT.iri}) or b"")
        sums = "".join(f"{_sha256(p)}  {p.relative_to(root).as_posix()}\n"
                       for p in sorted(root.rglob("*")) if p.is_file())
        (root / "SHA256SUMS").write_text(sums, encoding="utf-8")
        _zip(root, root / f"{slug}-{version}.zip")
        if out.exists():
            shutil.rmtree(out)
        shutil.move(str(root), out)
    return out / f"{slug}-{version}.zip"


def _project_quads(store: Store, slug: str, *, base: str) -> list:
    try:
        return graph_quads(store, graph=f"project/{slug}", base=base)
    except InputError:
        raise InputError(f'the store holds no project "{slug}"; import it first: imri-kg import DIR --store S') from None


def _write_tables(store: Store, slug: str, folder: Path, *, base: str) -> None:
    """Each code level × each case dimension of the project, as the matrix (Markdown, CSV and LaTeX)."""
    from imri_kg.matrix import to_bytes, to_matrix

    p = NamedNode(f"{base}project/{slug}")
    levels = rows(run(store, "SELECT DISTINCT ?name ?project WHERE { ?l a imri:CodeLevel ; rdfs:label ?name ; "
                             "imri:project ?project } ORDER BY ?name", bindings={"project": p}))
    dims = rows(run(store, "SELECT DISTINCT ?d ?project WHERE { ?d a imri:CaseDimension ; imri:project ?project } "
                           "ORDER BY ?d", bindings={"project": p}))
    for level in levels:
        for dim in dims:
            name = dim["d"].rsplit("/", 1)[-1]
            try:
                m = to_matrix(store, rows=f"level:{level['name']}", cols=f"dimension:{name}", projects=[slug],
                              excerpts=True, base=base)
            except InputError:
                continue
            folder.mkdir(parents=True, exist_ok=True)
            for fmt, ext in (("markdown", "md"), ("csv", "csv"), ("latex", "tex")):
                (folder / f"matrix-{level['name']}-by-{name}.{ext}").write_bytes(to_bytes(m, fmt))


def _write_networks(store: Store, slug: str, folder: Path, *, base: str) -> None:
    """The project's networks (code-case, code-cooccurrence, study-code) as GraphML."""
    from imri_kg.analytics.exporters import to_graphml
    from imri_kg.analytics.project_views import PROJECT_VIEWS, read_links

    links = read_links(store, projects=[slug], base=base)
    folder.mkdir(parents=True, exist_ok=True)
    for view, build in PROJECT_VIEWS.items():
        (folder / f"{view}.graphml").write_bytes(to_graphml(build(links)))


def _authors(m: dict[str, str]) -> list[str]:
    return sorted(a for a in m["authors"].split("\n") if a)  # the graph holds authors as a set, not a list


def to_project_citation_cff(m: dict[str, str], *, slug: str, version: str, issued: str) -> str:
    def q(text: str) -> str:
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'

    lines = ["cff-version: 1.2.0", "message: If you use this dataset, please cite it.", f"title: {q(m['title'])}",
             "type: dataset", f"version: {q(version)}", f"date-released: {issued}", "authors:"]
    lines += [f"  - name: {q(a)}" for a in _authors(m)] or ['  - name: "unknown"']
    if m["doi"]:
        lines.append(f"doi: {q(m['doi'])}")
    if m["licence"]:
        lines.append(f"license-url: {q(m['licence'])}")
    if m["description"]:
        lines.append(f"abstract: {q(' '.join(m['description'].split()))}")
    if m["fictional"] == "true":
        lines.append('keywords: ["fictional test data"]')
    lines.append(f'identifiers:\n  - type: other\n    value: "{slug}"\n    description: "imri-kg project slug"')
    return "\n".join(lines) + "\n"


def to_project_description(project: Store, m: dict[str, str], *, slug: str, base: str, version: str, issued: str,
                           files: dict[str, str]) -> list[Triple]:
    """VoID + DCAT triples for one project's release."""
    ds = NamedNode(f"{base}project/{slug}/dataset")
    out: list[Triple] = []

    def add(s: NamedNode, p: NamedNode, o: NamedNode | Literal) -> None:
        out.append(Triple(s, p, o))

    for cls in (VOID.Dataset, DCAT.Dataset):
        add(ds, RDF.type, cls)
    add(ds, DCTERMS.title, Literal(m["title"]))
    add(ds, DCTERMS.source, NamedNode(f"{base}project/{slug}"))
    for author in _authors(m):
        add(ds, DCTERMS.creator, Literal(author))
    if m["licence"]:
        add(ds, DCTERMS.license, NamedNode(m["licence"]))
    if m["doi"]:
        add(ds, DCTERMS.identifier, Literal("https://doi.org/" + m["doi"]))
    add(ds, DCTERMS.hasVersion, Literal(version))
    add(ds, DCTERMS.issued, Literal(issued, datatype=XSD.date))
    add(ds, VOID.uriSpace, Literal(f"{base}project/{slug}/"))
    add(ds, VOID.triples, Literal(str(len({q.triple for q in project})), datatype=XSD.integer))
    for r in rows(run(project, COUNTS)):  # type: ignore[arg-type]
        part = NamedNode(f"{base}project/{slug}/dataset/{r['kind']}-partition/{_curie_slug(r['term'])}")
        if r["kind"] == "class":
            add(ds, VOID.classPartition, part)
            add(part, NamedNode(VOID.iri + "class"), NamedNode(r["term"]))
            add(part, VOID.entities, Literal(r["n"], datatype=XSD.integer))
        else:
            add(ds, VOID.propertyPartition, part)
            add(part, VOID.property, NamedNode(r["term"]))
            add(part, VOID.triples, Literal(r["n"], datatype=XSD.integer))
    for name, media_type in sorted(files.items()):
        dist = NamedNode(f"{base}project/{slug}/dataset/distribution/{name}")
        add(ds, DCAT.distribution, dist)
        add(dist, RDF.type, DCAT.Distribution)
        add(dist, DCAT.downloadURL, NamedNode(f"{base}project/{slug}/dataset/files/{name}"))
        add(dist, DCAT.mediaType, NamedNode(f"https://www.iana.org/assignments/media-types/{media_type}"))
    return out


def _readme(m: dict[str, str], *, slug: str, version: str, issued: str) -> str:
    fictional = "\n**Fictional test data.**\n" if m["fictional"] == "true" else ""
    return f"""# {m['title']} ({slug} {version}, {issued})
{fictional}
{', '.join(_authors(m))}{f" ({m['year']})" if m['year'] else ""}.{f" https://doi.org/{m['doi']}" if m['doi'] else ""}

| folder or file | what |
|---|---|
| `data/{slug}.*` | the project's graphs (data, mappings, history): Turtle, JSON-LD, N-Triples, RDF/XML, TriG |
| `tables/` | every code level × case dimension matrix, with each cell's excerpts and references |
| `networks/` | code × case, code co-occurrence and study × code networks (GraphML; edge weight = excerpts) |
| `void.ttl` | VoID and DCAT description: counts, partitions, licence, files |
| `CITATION.cff`, `SHA256SUMS` | how to cite; checksums of every file (`sha256sum -c SHA256SUMS`) |
"""
