"""The publication bundle: data in every format, ontology, shapes, mappings, questions, docs, tables, VoID/DCAT,
CITATION.cff, checksums and a zip, byte-identical across runs on the same inputs."""

import hashlib
import shutil
import tempfile
import zipfile
from pathlib import Path

from pyoxigraph import RdfFormat, Store, serialize

from imri_kg.errors import InputError
from imri_kg.namespaces import PREFIXES
from imri_kg.publish.description import to_description
from imri_kg.publish.docs import write_docs
from imri_kg.publish.paper_tables import write_tables
from imri_kg.publish.records import write_records
from imri_kg.publish.sources import source_papers
from imri_kg.publish.w3id import to_htaccess
from imri_kg.resources import CONTEXT_FILE, ROOT
from imri_kg.store import DEFAULT_BASE, write_graph

DATA_FORMATS = {".ttl": "text/turtle", ".jsonld": "application/ld+json", ".nt": "application/n-triples",
                ".rdf": "application/rdf+xml", ".trig": "application/trig"}
COPIED = (("shapes", "*.ttl"), ("mappings", "*.sssom.tsv"), ("queries/library", "*.rq"))
ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def write_release(store: Store, out: Path, *, version: str, issued: str, base: str = DEFAULT_BASE,
                  endpoint: str | None = None, host_url: str, server_url: str | None = None) -> Path:
    """Build the bundle in a scratch folder, then put it at `out` (replacing it). Returns the zip's path."""
    out = check_release_folder(Path(out))
    with tempfile.TemporaryDirectory(dir=out.parent if out.parent.exists() else None) as tmp:
        root = Path(tmp) / "release"
        _write_contents(store, root, version=version, issued=issued, base=base, endpoint=endpoint,
                        host_url=host_url, server_url=server_url)
        if out.exists():
            shutil.rmtree(out)
        shutil.move(str(root), out)
    return out / f"imri-kg-{version}.zip"


def check_release_folder(out: Path) -> Path:
    """`out` when a release may be put there: a new or empty folder, or an earlier release (every file in its
    SHA256SUMS, or its zip). Anything else is refused before a file is written: the folder is replaced whole."""
    if not out.exists():
        return out
    if not out.is_dir():
        raise InputError("is a file; give a folder for the release (it is replaced whole).", path=out)
    listed = {"SHA256SUMS"}
    if (out / "SHA256SUMS").is_file():
        listed |= {line.split("  ", 1)[-1].strip() for line in
                   (out / "SHA256SUMS").read_text(encoding="utf-8", errors="replace").splitlines()}
    for path in sorted(out.rglob("*")):
        rel = path.relative_to(out).as_posix()
        if (path.is_file() or path.is_symlink()) and rel not in listed and not ("/" not in rel and rel.endswith(".zip")):
            raise InputError(f'holds "{rel}", which no release wrote; the folder is replaced whole, so give a new or '
                             "empty folder (or an earlier release).", path=out)
    return out


def _write_contents(store: Store, root: Path, *, version: str, issued: str, base: str, endpoint: str | None,
                    host_url: str, server_url: str | None) -> None:
    (root / "data").mkdir(parents=True)
    (root / "ontology").mkdir()
    for ext in DATA_FORMATS:
        write_graph(store, root / "data" / f"imri-kg{ext}", base=base)
    for ext in (".ttl", ".jsonld", ".nt", ".rdf"):
        write_graph(store, root / "ontology" / f"imri{ext}", graph="ontology", base=base)
    shutil.copyfile(CONTEXT_FILE, root / "ontology" / "context.jsonld")
    write_graph(store, root / "ontology" / "shapes.ttl", graph="shapes", base=base)  # where shapes#X redirects
    for folder, pattern in COPIED:
        for path in sorted((ROOT / folder).glob(pattern)):
            (root / folder).mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, root / folder / path.name)
    write_docs(store, root / "docs")
    write_tables(store, root / "tables")
    write_records(store, root / "records", base=base)
    (root / "w3id").mkdir()
    (root / "w3id" / ".htaccess").write_text(to_htaccess(host_url=host_url, server_url=server_url), encoding="utf-8")
    (root / "CITATION.cff").write_text(to_citation_cff(version=version, issued=issued), encoding="utf-8")
    (root / "README.md").write_text(to_readme(version=version, issued=issued), encoding="utf-8")
    # One distribution per file, but not per record: records/ holds a description of each IRI for the w3id rules.
    files = {p.relative_to(root).as_posix(): DATA_FORMATS.get(p.suffix, _media_type(p))
             for p in sorted(root.rglob("*")) if p.is_file() and p.relative_to(root).parts[0] != "records"}
    description = to_description(store, base=base, version=version, issued=issued, files=files, endpoint=endpoint)
    (root / "void.ttl").write_bytes(serialize(sorted(description, key=str), format=RdfFormat.TURTLE,
                                              prefixes={**PREFIXES, "void": "http://rdfs.org/ns/void#",
                                                        "dcat": "http://www.w3.org/ns/dcat#"}) or b"")
    sums = "".join(f"{_sha256(p)}  {p.relative_to(root).as_posix()}\n" for p in sorted(root.rglob("*")) if p.is_file())
    (root / "SHA256SUMS").write_text(sums, encoding="utf-8")
    _zip(root, root / f"imri-kg-{version}.zip")


def _media_type(path: Path) -> str:
    return {".html": "text/html", ".csv": "text/csv", ".md": "text/markdown", ".tex": "application/x-tex",
            ".tsv": "text/tab-separated-values", ".rq": "application/sparql-query", ".cff": "application/x-yaml",
            ".json": "application/json"}.get(path.suffix, "text/plain")


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _zip(root: Path, target: Path) -> None:
    """A zip whose bytes depend only on the files: sorted names, fixed times and permissions."""
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(p for p in root.rglob("*") if p.is_file() and p != target):
            info = zipfile.ZipInfo(f"imri-kg/{path.relative_to(root).as_posix()}", date_time=ZIP_TIME)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, path.read_bytes())


def to_citation_cff(*, version: str, issued: str) -> str:
    lines = ["cff-version: 1.2.0", "message: If you use this dataset, please cite it and the two papers it is built from.",
             'title: "imri-kg: evidence on implementing mental-health recovery into services"', "type: dataset",
             f'version: "{version}"', f"date-released: {issued}", "license: CC-BY-4.0",
             "authors:", '  - name: "imri-kg contributors"', "references:"]
    for paper in source_papers():
        lines += ["  - type: article", f'    title: "{paper.title}"', "    authors:"]
        for author in paper.authors:
            family, _, given = author.strip().rpartition(" ")
            lines += [f'      - family-names: "{family}"', f'        given-names: "{given}"']
        if paper.journal:
            lines.append(f'    journal: "{paper.journal}"')
        lines.append(f"    year: {paper.year}")
        if paper.volume:
            lines.append(f'    volume: "{paper.volume}"')
        lines.append(f'    doi: "{paper.doi}"')
    return "\n".join(lines) + "\n"


def to_readme(*, version: str, issued: str) -> str:
    cites = "\n".join(f"- {', '.join(p.authors)} ({p.year}). {p.title}. {p.where}. https://doi.org/{p.doi}"
                      for p in source_papers())
    return f"""# imri-kg {version} ({issued})

Evidence on implementing mental-health recovery into services, as linked data. Built from:

{cites}

| folder or file | what |
|---|---|
| `data/imri-kg.*` | the whole graph: Turtle, JSON-LD (with `ontology/context.jsonld`), N-Triples, RDF/XML, TriG (named graphs) |
| `ontology/` | the OWL ontology in four formats and the JSON-LD context |
| `shapes/` | SHACL shapes for validating coded evidence |
| `mappings/` | SSSOM mapping sets to other frameworks |
| `queries/library/` | the reviewer questions, as SPARQL |
| `docs/` | HTML documentation of the ontology, concept schemes and shapes |
| `tables/` | Table 5, the theme x group matrix, Table 1 and the impacts, regenerated (CSV, Markdown, HTML, LaTeX) |
| `void.ttl` | VoID and DCAT description: counts, partitions, licence, provenance |
| `w3id/.htaccess` | redirect rules for https://w3id.org/imri/ |
| `CITATION.cff`, `SHA256SUMS` | how to cite; checksums of every file (`sha256sum -c SHA256SUMS`) |

Licence: data from the papers are CC BY 4.0 (attribute the papers above); every record links to its source table
or section.
"""
