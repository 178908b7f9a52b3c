"""The IMRI framework (Piat et al. 2022): impact categories, scopes and impacts."""

from pathlib import Path

from pyoxigraph import NamedNode

from imri_kg.kb.bibliography import check_source
from imri_kg.kb.builder import GraphBuilder
from imri_kg.kb.review import in_scheme, scheme
from imri_kg.kb.tables import read_table
from imri_kg.namespaces import IMRI, SKOS

SCOPE_CONFIDENCE = ("high", "medium", "low")


def add_framework(g: GraphBuilder, data: Path, sources: dict[str, str]) -> dict[str, NamedNode]:
    """Categories (top concepts) and impacts (narrower) of one scheme; returns impacts by slug."""
    imri = scheme(g, "imri-framework", "IMpacts of Recovery Innovations (IMRI) framework, version 1",
                  source="piat2022#findings")
    categories: dict[str, NamedNode] = {}
    for row in read_table(data / "impact_categories.csv", required=("slug", "label", "order", "definition", "source")):
        c = g.entity(g.iri("impact-category", row.need("slug")), IMRI.ImpactCategory, row.need("label"), concept=True)
        g.add_int(c, IMRI.order, row.integer("order"))
        g.add_text(c, SKOS.definition, row.need("definition"))
        in_scheme(g, c, imri)
        g.derived_from(c, check_source(row, sources))
        categories[row.need("slug")] = c
    scopes_scheme = scheme(g, "impact-scopes", "Scopes of IMRI impacts", source="piat2022#findings")
    scopes: dict[str, NamedNode] = {}
    for row in read_table(data / "impact_scopes.csv", required=("slug", "label", "definition", "source")):
        s = g.entity(g.iri("impact-scope", row.need("slug")), IMRI.ImpactScope, row.need("label"), concept=True)
        g.add_text(s, SKOS.definition, row.need("definition"))
        in_scheme(g, s, scopes_scheme)
        g.derived_from(s, check_source(row, sources))
        scopes[row.need("slug")] = s
    impacts: dict[str, NamedNode] = {}
    for row in read_table(data / "impacts.csv", required=(
            "slug", "label", "category", "scope", "scope_confidence", "scope_basis", "named_as", "definition",
            "source")):
        i = g.entity(g.iri("impact", row.need("slug")), IMRI.Impact, row.need("label"), concept=True)
        category = categories.get(row.need("category"))
        if category is None:
            raise row.error("category", f'"{row.need("category")}" is not one of {", ".join(categories)}.')
        given = row.need("scope").split()
        for value in given:
            if value not in scopes:
                raise row.error("scope", f'"{value}" is not one of {", ".join(scopes)}.')
        if row.need("scope_confidence") not in SCOPE_CONFIDENCE:
            raise row.error("scope_confidence", f"must be one of {', '.join(SCOPE_CONFIDENCE)}.")
        g.add(i, IMRI.category, category)
        g.add(i, SKOS.broader, category)
        g.add(i, SKOS.inScheme, imri)
        # One scope when the text states it; otherwise the scopes it may have, none of them asserted.
        for value in given:
            g.add(i, IMRI.scope if len(given) == 1 else IMRI.possibleScope, scopes[value])
        g.add_text(i, IMRI.scopeConfidence, row.need("scope_confidence"), lang=None)
        g.add_text(i, IMRI.scopeBasis, row.need("scope_basis"))
        g.add_text(i, IMRI.asPrinted, row.need("named_as"), lang=None)
        g.add_text(i, SKOS.definition, row.need("definition"))
        g.derived_from(i, check_source(row, sources))
        impacts[row.need("slug")] = i
    return impacts

