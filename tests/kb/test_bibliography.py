"""Studies and citations: the two papers, and every reference number the IMRI paper uses."""

import re

from tests.conftest import select

B = "https://w3id.org/imri/"


def test_the_two_papers_with_dois(kb):
    rows = select(kb, "SELECT ?s ?doi ?kind WHERE { ?s bibo:doi ?doi ; a ?kind VALUES ?kind { imri:Review imri:PrimaryStudy } }")
    assert {(r["s"], r["doi"], r["kind"].rsplit("#")[1]) for r in rows} == {
        (f"{B}study/piat2021", "10.1186/s13643-021-01646-0", "Review"),
        (f"{B}study/piat2022", "10.1186/s13033-022-00559-2", "PrimaryStudy"),
    }


def test_every_imri_reference_number_in_the_text_is_a_citation(kb, imri_text):
    in_text: set[int] = set()
    for group in re.findall(r"\[(\d[\d,\s–-]*)\]", imri_text):
        for part in re.split(r",\s*", group.strip()):
            a, _, b = part.replace("–", "-").partition("-")
            in_text.update(range(int(a), int(b or a) + 1))
    rows = select(kb, f"SELECT ?n WHERE {{ ?c cito:hasCitingEntity <{B}study/piat2022> ; imri:referenceNumber ?n }}")
    assert {int(r["n"]) for r in rows} == in_text == set(range(1, 54))


def test_named_works_carry_identifiers_only_where_the_references_give_them(kb):
    rows = select(kb, f"""SELECT ?n ?id WHERE {{ ?c cito:hasCitingEntity <{B}study/piat2022> ; imri:referenceNumber ?n ;
                          cito:hasCitedEntity/dcterms:identifier ?id }}""")
    assert {int(r["n"]): r["id"] for r in rows} == {
        2: "doi:10.1192/bjp.bp.110.083733", 13: "isbn:978-0-9880506-3-1", 27: "doi:10.3389/fpsyt.2021.712026",
        28: "doi:10.1176/appi.ps.001312011"}
