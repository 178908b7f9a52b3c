"""Matrix exports: exact CSV, Markdown and LaTeX for a small matrix of the school-meals fixture; XLSX read back."""

import io
import json

import pytest
from openpyxl import load_workbook
from pyoxigraph import RdfFormat, Store

from imri_kg.errors import InputError
from imri_kg.matrix import to_bytes, to_matrix
from tests.conftest import FIXTURE_PROJECT

SM = "https://w3id.org/imri/project/school-meals/"


@pytest.fixture(scope="module")
def small():
    store = Store()
    store.load(path=FIXTURE_PROJECT, format=RdfFormat.TRIG)
    return to_matrix(store, rows="codes:cook-hours;acceptance", cols="dimension:school_type", excerpts=True)


def test_csv_one_line_per_cell_excerpt_and_study(small):
    lines = to_bytes(small, "csv").decode().splitlines()
    assert lines[0] == "row,row_label,col,col_label,project,excerpts,studies,excerpt,text,location,study,reference,citation,doi_link"
    assert lines[1] == (f"{SM}code/cook-hours,Cook hours,{SM}case/school_type/primary,Primary schools,{SM[:-1]},1,2,"
                        f"{SM}excerpt/x2,A grant paid the cook for two extra hours a week.,p. 5,{SM}study/ochieng2018,1,"
                        "\"Ochieng A, Wanjiru B (2018). A fictional trial of school gardens. Journal of Fictional "
                        "Nutrition. doi:10.5555/sm.1\",https://doi.org/10.5555/sm.1")
    assert len(lines) == 1 + 2 + 1 + 1 + 3  # x2 (2 studies); empty cell; empty cell; x4 (2 studies) + x5 (1 study)
    assert lines[4].endswith(",0,0,,,,,,,")


def test_markdown(small):
    text = to_bytes(small, "markdown").decode()
    assert text.splitlines()[:5] == [
        ("Matrix: codes:cook-hours;acceptance × dimension:school_type. A cell reads E (S): E coded excerpts, citing "
         "S distinct studies."), "",
        "| | Primary schools | Secondary schools |", "|---|---|---|", "| Cook hours | 1 (2) |  |"]
    assert "| Pupil acceptance |  | 2 (2) |" in text
    assert "  - [4] Rojas F (2021). Secondary school canteens that never were. Test Health Reports. doi:10.5555/sm.4 " \
           "<https://doi.org/10.5555/sm.4>" in text


def test_latex_escapes_and_links(small):
    text = to_bytes(small, "latex").decode()
    assert r"\caption{codes:cook-hours;acceptance × dimension:school\_type. A cell reads" in text
    assert r"Cook hours & 1 (2) &  \\" in text
    assert r"\item {}[1] Ochieng A, Wanjiru B (2018)." in text and r"\url{https://doi.org/10.5555/sm.1}" in text


def test_xlsx_read_back(small):
    book = load_workbook(io.BytesIO(to_bytes(small, "xlsx")))
    assert book.sheetnames == ["excerpts", "studies", "cell excerpts"]
    assert [[c.value for c in row] for row in book["excerpts"].iter_rows()] == [
        ["codes:cook-hours;acceptance × dimension:school_type: number of excerpts", "Primary schools",
         "Secondary schools"], ["Cook hours", 1, 0], ["Pupil acceptance", 0, 2]]
    assert [[c.value for c in row] for row in book["studies"].iter_rows()][1:] == [["Cook hours", 2, 0],
                                                                                  ["Pupil acceptance", 0, 2]]
    assert book["cell excerpts"].max_row == 1 + 5


def test_json(small):
    data = json.loads(to_bytes(small, "json"))
    assert [(c["row"].rsplit("/", 1)[-1], c["col"].rsplit("/", 1)[-1], c["excerpts"], c["studies"])
            for c in data["cells"]] == [("cook-hours", "primary", 1, 2), ("acceptance", "secondary", 2, 2)]
    assert data["cells"][1]["items"][0]["studies"][0]["doi_link"] == "https://doi.org/10.5555/sm.2"


def test_unknown_format(small):
    with pytest.raises(InputError, match='"pdf" is not a matrix format'):
        to_bytes(small, "pdf")


def test_network_and_heatmap(small):
    from imri_kg.matrix.views import to_network

    g = to_network(small)
    assert sorted(g.nodes[n]["label"] for n in g) == ["Cook hours", "Primary schools", "Pupil acceptance",
                                                     "Secondary schools"]
    assert sorted((g.nodes[a]["label"], g.nodes[b]["label"], d["weight"], d["studies"])
                  for a, b, d in g.edges(data=True)) == [("Cook hours", "Primary schools", 1, 2),
                                                         ("Pupil acceptance", "Secondary schools", 2, 2)]
    assert to_bytes(small, "png")[:8] == b"\x89PNG\r\n\x1a\n"
    assert to_bytes(small, "svg") == to_bytes(small, "svg")
    assert b"<graphml" in to_bytes(small, "graphml")


def test_xlsx_keeps_excerpt_text_starting_with_equals_as_text():
    """openpyxl stores a string that starts with "=" as a formula: an excerpt must stay the words it quotes."""
    store = Store()
    store.load(path=FIXTURE_PROJECT, format=RdfFormat.TRIG)
    store.update(f"""PREFIX imri: <https://w3id.org/imri/ontology#>
        DELETE {{ GRAPH ?g {{ <{SM}excerpt/x2> imri:text ?t }} }}
        INSERT {{ GRAPH ?g {{ <{SM}excerpt/x2> imri:text '=HYPERLINK("http://example.org/","more cooks")' }} }}
        WHERE {{ GRAPH ?g {{ <{SM}excerpt/x2> imri:text ?t }} }}""")
    m = to_matrix(store, rows="codes:cook-hours;acceptance", cols="dimension:school_type", excerpts=True)
    sheet = load_workbook(io.BytesIO(to_bytes(m, "xlsx")))["cell excerpts"]
    texts = [(c.value, c.data_type) for row in sheet.iter_rows(min_row=2) for c in row[3:4]]
    assert ('=HYPERLINK("http://example.org/","more cooks")', "s") in texts
    assert all(data_type != "f" for row in sheet.iter_rows() for data_type in [c.data_type for c in row])


def test_two_projects_of_one_title_are_told_apart_by_their_slugs():
    from imri_kg.matrix.model import Item, Matrix

    a, b, c = (f"https://w3id.org/imri/project/{s}" for s in ("hh", "hh-v2", "other"))
    m = Matrix(rows=[Item(f"{a}/code/t1", "Leadership", a, "Hand hygiene"),
                     Item(f"{b}/code/t1", "Leadership", b, "Hand hygiene"),
                     Item(f"{c}/code/t1", "Leadership", c, "Another review")],
               cols=[Item(f"{a}/case/w/icu", "ICU", a, "Hand hygiene")], cells={})
    lines = to_bytes(m, "csv").decode().splitlines()
    assert [line.split(",")[1] for line in lines[1:]] == ["Leadership [hh]", "Leadership [hh-v2]",
                                                          "Leadership [Another review]"]


def test_an_excerpt_that_reads_as_a_formula_stays_text_in_csv_and_xlsx():
    store = Store()
    store.load(path=FIXTURE_PROJECT, format=RdfFormat.TRIG)
    store.update('PREFIX imri: <https://w3id.org/imri/ontology#> '
                 'DELETE { GRAPH ?g { ?x imri:text ?t } } INSERT { GRAPH ?g { ?x imri:text "=1+1"@en } } '
                 f'WHERE {{ GRAPH ?g {{ ?x imri:text ?t }} FILTER(?x = <{SM}excerpt/x2>) }}')
    m = to_matrix(store, rows="codes:cook-hours", cols="dimension:school_type", excerpts=True)
    lines = to_bytes(m, "csv").decode().splitlines()
    assert lines[1].startswith(f"{SM}code/cook-hours,Cook hours,{SM}case/school_type/primary,Primary schools,"
                               f"{SM[:-1]},1,2,{SM}excerpt/x2,'=1+1,p. 5,")
    cell = load_workbook(io.BytesIO(to_bytes(m, "xlsx")))["cell excerpts"]["D2"]
    assert (cell.value, cell.data_type, cell.quotePrefix) == ("=1+1", "s", True)


def test_xlsx_of_text_with_control_characters_is_written_with_them_shown_as_replacement():
    """A control character (text pasted from a PDF or a terminal) cannot be stored in a workbook: openpyxl raised,
    `imri-kg matrix --out m.xlsx` printed a traceback and /api/matrix?format=xlsx answered 500."""
    store = Store()
    store.load(path=FIXTURE_PROJECT, format=RdfFormat.TRIG)
    store.update('PREFIX imri: <https://w3id.org/imri/ontology#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#> '
                 'DELETE { GRAPH ?g { ?x imri:text ?t } } INSERT { GRAPH ?g { ?x imri:text "Cook\\u0001s\\u001b[31m paid"@en } } '
                 f'WHERE {{ GRAPH ?g {{ ?x imri:text ?t }} FILTER(?x = <{SM}excerpt/x2>) }} ;'
                 'DELETE { GRAPH ?g { ?c skos:prefLabel ?l } } INSERT { GRAPH ?g { ?c skos:prefLabel "Cook\\u000bhours"@en } } '
                 f'WHERE {{ GRAPH ?g {{ ?c skos:prefLabel ?l }} FILTER(?c = <{SM}code/cook-hours>) }}')
    m = to_matrix(store, rows="codes:cook-hours", cols="dimension:school_type", excerpts=True)
    book = load_workbook(io.BytesIO(to_bytes(m, "xlsx")))
    assert book["excerpts"]["A2"].value == "Cook\ufffdhours"
    assert [c.value for c in book["cell excerpts"][2]][:4] == ["Cook\ufffdhours", "Primary schools",
                                                              f"{SM}excerpt/x2", "Cook\ufffds\ufffd[31m paid"]


def test_markdown_keeps_html_in_text_as_text_and_a_sici_doi_as_one_link():
    """An old Wiley DOI (SICI: <, >, #) broke the Markdown autolink and the CSV/LaTeX link, and an excerpt's "<b>" or
    "<script>" went into the Markdown as HTML a renderer would run."""
    store = Store()
    store.load(path=FIXTURE_PROJECT, format=RdfFormat.TRIG)
    doi = "10.1002/(SICI)1099-1050(199905)8:3<197::AID-HEC412>3.0.CO;2-#"
    store.update('PREFIX imri: <https://w3id.org/imri/ontology#> PREFIX bibo: <http://purl.org/ontology/bibo/> '
                 'DELETE { GRAPH ?g { ?x imri:text ?t } } INSERT { GRAPH ?g { ?x imri:text "Cooks <script>x()</script> & *all*"@en } } '
                 f'WHERE {{ GRAPH ?g {{ ?x imri:text ?t }} FILTER(?x = <{SM}excerpt/x2>) }} ;'
                 f'DELETE {{ GRAPH ?g {{ <{SM}study/ochieng2018> bibo:doi ?d }} }} '
                 f'INSERT {{ GRAPH ?g {{ <{SM}study/ochieng2018> bibo:doi "{doi}" }} }} '
                 f'WHERE {{ GRAPH ?g {{ <{SM}study/ochieng2018> bibo:doi ?d }} }}')
    m = to_matrix(store, rows="codes:cook-hours", cols="dimension:school_type", excerpts=True)
    link = "https://doi.org/10.1002/(SICI)1099-1050(199905)8:3%3C197::AID-HEC412%3E3.0.CO;2-%23"
    text = to_bytes(m, "markdown").decode()
    assert r"- Cooks \<script\>x()\</script\> \& \*all\* (p. 5)" in text
    assert f"<{link}>" in text
    in_tex = link.replace("%", "\\%")
    assert "\\url{" + in_tex + "}" in to_bytes(m, "latex").decode()
    assert f",{link}" in to_bytes(m, "csv").decode()
