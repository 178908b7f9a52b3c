"""CFIR 2009 and the constructs the review (Piat et al. 2021) added to it; label and slug helpers. The review's own facts
(groups, themes, Table 5) are stated by examples/piat2021/views/."""

import re
import unicodedata
from pathlib import Path

from pyoxigraph import NamedNode

from imri_kg.kb.bibliography import check_source
from imri_kg.kb.builder import GraphBuilder
from imri_kg.kb.tables import Row, read_table
from imri_kg.namespaces import BIBO, DCTERMS, IMRI, PROV, SKOS

REVIEW = "piat2021"


def label_key(label: str) -> str:
    """How labels are compared: case, dashes, punctuation spacing and runs of spaces do not matter."""
    text = unicodedata.normalize("NFKC", label).casefold()
    text = re.sub(r"[\u2010-\u2015-]", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def scheme(g: GraphBuilder, slug: str, label: str, *, source: str) -> NamedNode:
    s = g.entity(g.iri("scheme", slug), SKOS.ConceptScheme, label)
    g.add_text(s, DCTERMS.title, label)
    g.derived_from(s, source)
    return s


def in_scheme(g: GraphBuilder, concept: NamedNode, scheme_iri: NamedNode, *, top: bool = True) -> None:
    g.add(concept, SKOS.inScheme, scheme_iri)
    if top:
        g.add(concept, SKOS.topConceptOf, scheme_iri)
        g.add(scheme_iri, SKOS.hasTopConcept, concept)


def add_alt_labels(g: GraphBuilder, s: NamedNode, row: Row) -> None:
    for alt in row.get("alt_labels").split(";"):
        g.add_text(s, SKOS.altLabel, alt.strip())


def slugify(label: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", label_key(label).replace("&", "and")).strip("-")


def add_cfir2009(g: GraphBuilder, data: Path) -> dict[str, NamedNode]:
    """CFIR 2009 domains and constructs (reference/cfir2009.tsv), keyed by code such as 'III.D.6'."""
    source = g.entity(g.iri("work", "damschroder2009"), BIBO.Document, "Damschroder et al. 2009 (CFIR)")
    cfir = g.entity(g.iri("scheme", "cfir2009"), SKOS.ConceptScheme,
                    "Consolidated Framework for Implementation Research (2009)")
    g.add(cfir, PROV.wasDerivedFrom, source)
    g.add_text(source, DCTERMS.identifier, "doi:10.1186/1748-5908-4-50", lang=None)
    by_code: dict[str, NamedNode] = {}
    rows = read_table(data / "reference" / "cfir2009.tsv", required=(
        "code", "level", "parent_code", "label", "short_definition_own_words", "status", "confidence"))
    for row in rows:
        level, code = row.need("level"), row.need("code")
        cls = IMRI.CFIRDomain if level == "domain" else IMRI.CFIRConstruct
        c = g.entity(g.iri("cfir2009", slugify(row.need("label"))), cls, row.need("label"), concept=True)
        g.add_text(c, SKOS.notation, code, lang=None)
        g.add_text(c, SKOS.definition, row.need("short_definition_own_words"))
        g.add_text(c, IMRI.status, row.need("status"), lang=None)
        g.add_text(c, IMRI.confidence, row.need("confidence"), lang=None)
        g.add_text(c, SKOS.note, row.get("notes"))
        g.add(c, PROV.wasDerivedFrom, source)
        in_scheme(g, c, cfir, top=level == "domain")
        if level != "domain":
            parent = by_code.get(row.need("parent_code"))
            if parent is None:
                raise row.error("parent_code", f'"{row.get("parent_code")}" is not a code listed above this row.')
            g.add(c, SKOS.broader, parent)
            g.add(c, IMRI.cfirDomain, by_code[code.split(".")[0]])
        by_code[code] = c
    return by_code


def add_new_constructs(g: GraphBuilder, data: Path, sources: dict[str, str], cfir: dict[str, NamedNode]) -> None:
    """The constructs the review added to CFIR 2009 (its Table 3)."""
    for row in read_table(data / "new_constructs.csv", required=("slug", "label", "domain", "definition", "source")):
        c = g.entity(g.iri("construct", row.need("slug")), IMRI.CFIRConstruct, row.need("label"), concept=True)
        g.add_text(c, SKOS.definition, row.need("definition"))
        g.add(c, IMRI.cfirDomain, _cfir(row, "domain", cfir))
        if row.get("broader"):
            g.add(c, SKOS.broader, _cfir(row, "broader", cfir))
        g.add(c, IMRI.addedBy, g.iri("study", REVIEW))
        g.derived_from(c, check_source(row, sources))
        cfir["new:" + row.need("slug")] = c


def _cfir(row: Row, column: str, cfir: dict[str, NamedNode]) -> NamedNode:
    key = row.need(column).removeprefix("cfir09:")
    if key not in cfir:
        raise row.error(column, f'"{row.need(column)}" is not a CFIR 2009 code (like cfir09:III.D.6) or new:<slug>.')
    return cfir[key]


