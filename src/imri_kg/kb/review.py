"""The review (Piat et al. 2021): innovation groups with their studies, themes with CFIR codes, and Table 5."""

import re
import unicodedata
from pathlib import Path

from pyoxigraph import NamedNode

from imri_kg.kb.bibliography import check_source, citation, parse_numbers
from imri_kg.kb.builder import GraphBuilder
from imri_kg.kb.tables import Row, read_table
from imri_kg.namespaces import BIBO, DCTERMS, IMRI, PROV, RDF, RDFS, SKOS

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


def add_groups(g: GraphBuilder, data: Path, sources: set[str]) -> dict[str, NamedNode]:
    """Innovation groups (review Table 2) and the included studies of each; keyed by label."""
    groups_scheme = scheme(g, "innovation-groups", "Innovation groups of the review", source="piat2021#table-2")
    groups: dict[str, NamedNode] = {}
    rows = read_table(data / "innovation_groups.csv",
                      required=("number", "slug", "label", "definition", "studies_as_printed", "synthesised", "source"))
    for row in rows:
        grp = g.entity(g.iri("group", row.need("slug")), IMRI.InnovationGroup, row.need("label"), concept=True)
        in_scheme(g, grp, groups_scheme)
        if row.get("number"):
            g.add_int(grp, IMRI.number, row.integer("number"))
        g.add_text(grp, SKOS.definition, row.get("definition"))
        g.add_text(grp, SKOS.note, row.get("note"))
        synthesised = row.need("synthesised")
        if synthesised not in ("yes", "no"):
            raise row.error("synthesised", f'"{synthesised}" must be yes or no.')
        g.add_bool(grp, IMRI.synthesised, synthesised == "yes")
        g.add_text(grp, IMRI.asPrinted, row.get("studies_as_printed"), lang=None)
        source = check_source(row, sources)
        g.derived_from(grp, source)
        for number in parse_numbers(row.get("studies_as_printed"), row=row, column="studies_as_printed"):
            study = included_study(g, number)
            g.add(study, IMRI.innovationGroup, grp)
            g.derived_from(study, source)
        groups[label_key(row.need("label"))] = grp
    for row in read_table(data / "review_unassigned_studies.csv", required=("studies_as_printed", "note", "source")):
        for number in parse_numbers(row.need("studies_as_printed"), row=row, column="studies_as_printed"):
            study = included_study(g, number)
            g.add_text(study, SKOS.note, row.need("note"))
            g.derived_from(study, check_source(row, sources))
    return groups


def included_study(g: GraphBuilder, number: int) -> NamedNode:
    """The study the review cites as [number] among its included studies."""
    citation(g, REVIEW, number)
    work = g.iri("work", f"{REVIEW}-ref-{number}")
    g.add(work, RDF.type, IMRI.Study)
    g.add(g.iri("study", REVIEW), IMRI.includedStudy, work)
    return work


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


def add_new_constructs(g: GraphBuilder, data: Path, sources: set[str], cfir: dict[str, NamedNode]) -> None:
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


def add_themes(g: GraphBuilder, data: Path, sources: set[str], cfir: dict[str, NamedNode]) -> dict[str, NamedNode]:
    """The review's 13 themes, their CFIR domain and the constructs they were coded to; keyed by label."""
    themes_scheme = scheme(g, "themes", "Implementation themes of the review", source="piat2021#table-3")
    add_new_constructs(g, data, sources, cfir)
    themes: dict[str, NamedNode] = {}
    by_slug: dict[str, NamedNode] = {}
    for order, row in enumerate(read_table(data / "themes.csv", required=("slug", "label", "cfir_domain", "source")), 1):
        t = g.entity(g.iri("theme", row.need("slug")), IMRI.Theme, row.need("label"), concept=True)
        g.add_int(t, IMRI.order, order)  # Table 3's order, which Table 5 follows within each group
        add_alt_labels(g, t, row)
        in_scheme(g, t, themes_scheme)
        g.add(t, IMRI.cfirDomain, _cfir(row, "cfir_domain", cfir))
        g.derived_from(t, check_source(row, sources))
        themes[label_key(row.need("label"))] = t
        for alt in row.get("alt_labels").split(";"):
            if alt.strip():
                themes[label_key(alt)] = t
        by_slug[row.need("slug")] = t
    for row in read_table(data / "theme_constructs.csv", required=("theme", "construct_as_printed", "construct")):
        theme = by_slug.get(row.need("theme"))
        if theme is None:
            raise row.error("theme", f'"{row.need("theme")}" is not a theme slug in themes.csv.')
        construct = _cfir(row, "construct", cfir)
        g.add(theme, IMRI.codedToConstruct, construct)
        if row.get("match") != "exact":
            g.add_text(construct, SKOS.hiddenLabel, row.need("construct_as_printed"))
        if row.get("note"):
            note = g.entity(g.iri("note", f"construct-{row.need('theme')}-{slugify(row.need('construct_as_printed'))}"),
                            IMRI.EditorialNote, f"Coding of {row.need('theme')} to {row.need('construct_as_printed')}")
            g.add_text(note, RDFS.comment, row.need("note"))
            g.add_text(note, IMRI.asPrinted, row.need("construct_as_printed"), lang=None)
            g.add(note, IMRI.about, theme)
            g.add(note, IMRI.about, construct)
            g.derived_from(note, check_source(row, sources))
    return themes


def _cfir(row: Row, column: str, cfir: dict[str, NamedNode]) -> NamedNode:
    key = row.need(column).removeprefix("cfir09:")
    if key not in cfir:
        raise row.error(column, f'"{row.need(column)}" is not a CFIR 2009 code (like cfir09:III.D.6) or new:<slug>.')
    return cfir[key]


def add_table5(g: GraphBuilder, data: Path, sources: set[str], groups: dict[str, NamedNode],
               themes: dict[str, NamedNode]) -> None:
    """Table 5 of the review: one Example per (innovation group, theme) cell, with its citations and its footnote."""
    table = g.iri("study", REVIEW, "table-5")
    for order, row in enumerate(read_table(data / "table5_notes.csv", required=("key", "mark", "text", "source")), 1):
        note = g.entity(g.iri("table-note", REVIEW, "table-5", row.need("key")), IMRI.TableNote,
                        f"Table 5 note {row.need('mark')}")
        g.add_text(note, IMRI.text, row.need("text"))
        g.add_text(note, IMRI.asPrinted, row.need("mark"), lang=None)
        g.add_int(note, IMRI.order, order)
        g.derived_from(note, check_source(row, sources))
        g.add(table, IMRI.hasNote, note)
    seen: set[tuple[str, str]] = set()
    for row in read_table(data / "table5.csv",
                          required=("innovation_group", "theme_as_printed", "example", "citations", "source")):
        group = _lookup(row, "innovation_group", groups, "innovation group")
        theme = _lookup(row, "theme_as_printed", themes, "theme")
        cell = (group.value, theme.value)
        if cell in seen:
            raise row.error("theme_as_printed", "repeats a (group, theme) cell given on an earlier row.")
        seen.add(cell)
        group_slug, theme_slug = group.value.rsplit("/", 1)[1], theme.value.rsplit("/", 1)[1]
        ex = g.entity(g.iri("evidence", "table5", group_slug, theme_slug), IMRI.Example,
                      f"Table 5 example: {row.need('innovation_group')}, {row.need('theme_as_printed')}")
        g.add(ex, IMRI.innovationGroup, group)
        g.add(ex, IMRI.theme, theme)
        g.add_text(ex, IMRI.text, row.need("example"))
        g.add_text(ex, IMRI.asPrinted, row.need("theme_as_printed"), lang=None)
        printed = parse_numbers(" ".join(re.findall(r"\[([^\]]*)\]", row.need("example"))), row=row, column="example")
        listed = parse_numbers(row.need("citations"), row=row, column="citations")
        if printed != listed:
            raise row.error("citations", f"lists {listed} but the example text cites {printed}.")
        for number in listed:
            g.add(ex, IMRI.citation, citation(g, REVIEW, number))
        g.derived_from(ex, check_source(row, sources))


def _lookup(row: Row, column: str, known: dict[str, NamedNode], what: str) -> NamedNode:
    value = row.need(column)
    found = known.get(label_key(value))
    if found is None:
        raise row.error(column, f'"{value}" is not a known {what}.')
    return found
