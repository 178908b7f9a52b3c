"""Studies, their parts (tables, sections), numbered citations and the works they point to."""

from pathlib import Path

from pyoxigraph import NamedNode

from imri_kg.kb.builder import GraphBuilder
from imri_kg.kb.tables import Row, read_table
from imri_kg.namespaces import BIBO, CITO, DCTERMS, IMRI, RDF, RDFS, SKOS

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


def citation(g: GraphBuilder, study: str, number: int) -> NamedNode:
    """The numbered reference `number` of `study`, and the work it points to (idempotent)."""
    c = g.iri("citation", study, str(number))
    work = g.iri("work", f"{study}-ref-{number}")
    g.add(c, RDF.type, IMRI.Citation)
    g.add_text(c, RDFS.label, f"[{number}] in {study}")
    g.add_int(c, IMRI.referenceNumber, number)
    g.add(c, CITO.hasCitingEntity, g.iri("study", study))
    g.add(c, CITO.hasCitedEntity, work)
    g.add(work, RDF.type, BIBO.Document)
    g.add_text(work, RDFS.label, f"Work cited as [{number}] in {study}")
    g.derived_from(c, study)
    g.derived_from(work, study)
    return c


def add_imri_citations(g: GraphBuilder, data: Path, sources: set[str]) -> None:
    """Every reference number the IMRI paper cites, and what the text says of the named ones."""
    for row in read_table(data / "imri_citations.csv", required=("number", "source")):
        g.derived_from(citation(g, "piat2022", row.integer("number")), check_source(row, sources))
    for row in read_table(data / "imri_cited_works.csv", required=("number", "named_in_text_as", "source")):
        number = row.integer("number")
        work = g.iri("work", f"piat2022-ref-{number}")
        g.add_text(work, SKOS.note, f"Named in the text as: {row.need('named_in_text_as')}")
        g.add_text(work, DCTERMS.identifier, row.get("identifier"), lang=None)
        g.add_text(work, IMRI.basis, row.get("identifier_basis"))
        g.derived_from(work, check_source(row, sources))
