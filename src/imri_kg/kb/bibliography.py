"""The IMRI study's record and its parts (tables, sections). Its numbered citations are stated by
examples/piat2022/views/ from references.csv."""

from pathlib import Path

from pyoxigraph import NamedNode

from imri_kg.kb.builder import GraphBuilder
from imri_kg.kb.tables import Row, read_table
from imri_kg.namespaces import BIBO, DCTERMS, IMRI, RDF

STUDY_CLASS = {"review": IMRI.Review, "primary-study": IMRI.PrimaryStudy}


def add_studies(g: GraphBuilder, data: Path, *, skip: set[str] = frozenset()) -> set[str]:  # type: ignore[assignment]
    """The two source papers and their named parts (but those of the papers in `skip`); returns the known
    'study#part' sources."""
    studies = set()
    real = g
    for row in read_table(data / "studies.csv", required=("slug", "kind", "short_label", "title", "doi")):
        g = GraphBuilder(real.base, real.graph) if row.need("slug") in skip else real
        kind = row.need("kind")
        if kind not in STUDY_CLASS:
            raise row.error("kind", f'"{kind}" is not one of {", ".join(STUDY_CLASS)}.')
        s = g.entity(g.iri("study", row.need("slug")), STUDY_CLASS[kind], row.need("short_label"))
        g.add(s, RDF.type, BIBO.AcademicArticle)
        g.add_text(s, DCTERMS.title, row.need("title"))
        for author in row.get("authors").split(";"):
            g.add_text(s, DCTERMS.creator, author.strip(), lang=None)
        g.add_text(s, DCTERMS.bibliographicCitation, f'{row.get("journal")} {row.get("year")};{row.get("volume")}:'
                   f'{row.get("article")}', lang=None)
        g.add_text(s, DCTERMS.date, row.get("year"), lang=None)
        g.add_text(s, BIBO.doi, row.need("doi"), lang=None)
        if row.get("licence"):
            g.add(s, DCTERMS.license, NamedNode(row.get("licence")))
        studies.add(row.need("slug"))
    g = real
    sources = set(studies)
    for row in read_table(data / "document_parts.csv", required=("study", "part", "label")):
        study = _known(row, "study", studies)
        if study in skip:
            sources.add(f"{study}#{row.need('part')}")
            continue
        part = g.entity(g.iri("study", study, row.need("part")), IMRI.DocumentPart, row.need("label"))
        g.add(part, DCTERMS.isPartOf, g.iri("study", study))
        sources.add(f"{study}#{row.need('part')}")
    return sources


def check_source(row: Row, sources: set[str], column: str = "source") -> str:
    """The row's provenance, which must name a known study part."""
    return _known(row, column, sources)


def _known(row: Row, column: str, known: set[str]) -> str:
    value = row.need(column)
    if value not in known:
        raise row.error(column, f'"{value}" is not a known source; known: {", ".join(sorted(known))}.')
    return value
