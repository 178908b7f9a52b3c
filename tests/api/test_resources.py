"""Entity pages: meaning first, then the evidence with full references, related records once each, raw last."""

import re

import pytest

from imri_kg.api.resources import describe
from imri_kg.kb.build import build_store
from imri_kg.projects.loading import import_project
from tests.projects.helpers import HAND_HYGIENE

B = "https://w3id.org/imri/"


@pytest.fixture(scope="module")
def store():
    s = build_store()
    import_project(s, HAND_HYGIENE)
    return s


def _page(store, path: str) -> str:
    return describe(store, B + path, base=B).html


def _shown(html: str) -> str:
    """The page before the folded raw properties."""
    return html[html.index("<main"):html.index('<details class="raw">')]


def _text(html: str) -> str:
    return re.sub(r"<[^>]+>", "", html)


def test_sections_come_in_reading_order_and_raw_properties_are_folded(store):
    html = _page(store, "theme/staff-turnover")
    order = [html.index(s) for s in ("<h1>Staff turnover</h1>", "Also called: Staff turn-over",
                                     "<h2>Where it sits</h2>", "<h2>Evidence (3)</h2>", "<h2>Related records",
                                     '<details class="raw">', "Other formats")]
    assert order == sorted(order)
    sits = html[html.index("<h2>Where it sits</h2>"):html.index("<h2>Evidence")]
    assert "<dt>CFIR domain</dt>" in sits and ">Inner Setting</a>" in sits
    assert ">Structural Characteristics</a>" in sits
    assert sits.count('href="/group/') == 3  # personal recovery planning, service navigation, staff training


def test_a_papers_cited_work_is_said_to_be_known_only_by_its_number(store):
    html = _text(_shown(_page(store, "theme/staff-turnover")))
    assert "Reference [135] of Piat et al. 2021; the seeds do not give its details." in html
    assert "Reference [139] of Piat et al. 2021; the seeds do not give its details." in html
    assert "Cites [" not in html


def test_citation_lists_are_sorted_by_number(store):
    html = _shown(_page(store, "group/peer-workers"))
    refs = html[html.index("<h2>Studies and references (22)</h2>"):]
    numbers = [int(n) for n in re.findall(r"Reference \[(\d+)\] of Piat et al\. 2021", refs)]
    assert numbers == list(range(94, 116))  # the group's 22 included studies, [94]-[115], in order


def test_a_known_cited_work_shows_its_doi_link(store):
    html = _shown(_page(store, "work/piat2022-ref-2"))
    assert _text(html).count("Reference [2] of Piat et al. 2022. Named in the text as “the CHIME framework for personal "
            "recovery”.") == 1
    assert 'href="https://doi.org/10.1192/bjp.bp.110.083733"' in html
    assert "the seeds do not give its details" not in html


def test_a_source_paper_shows_title_venue_and_doi(store):
    html = _shown(_page(store, "study/piat2021"))
    assert ("Factors influencing the implementation of mental health recovery into services: a systematic mixed "
            "studies review. Systematic Reviews 2021;10:134.") in html
    assert 'href="https://doi.org/10.1186/s13643-021-01646-0"' in html


def test_a_project_excerpt_shows_its_studies_full_references(store):
    html = _shown(_page(store, "project/hand-hygiene/code/T1.1"))
    evidence = html[html.index("<h2>Evidence"):]
    assert "Hospital directors funded dispensers at every bed." in evidence
    assert "<blockquote>" in evidence
    assert 'href="https://doi.org/10.5555/hh.2019.001"' in evidence
    assert "Dispensers at the bedside: a controlled trial" in evidence
    assert 'href="https://doi.org/10.5555/hh.2020.002"' in evidence


def test_the_themes_page_lists_each_theme_once_before_the_raw_properties(store):
    html = _shown(_page(store, "scheme/themes"))
    links = re.findall(r'href="(/theme/[^"]+)"', html)
    assert len(links) == 13 and len(set(links)) == 13
    assert "<h3>Concept in this scheme, top concept (13)</h3>" in html


def test_a_group_page_names_its_themes_where_it_sits(store):
    html = _shown(_page(store, "group/peer-workers"))
    sits = html[html.index("<h2>Where it sits</h2>"):html.index("<h2>Evidence (4)</h2>")]
    themes = sits[sits.index("<dt>Themes found in this group</dt>"):]
    assert re.findall(r'href="/theme/([^"]+)"', themes) == [
        "information-gaps", "interpersonal-relationships", "organizational-and-policy-commitment",
        "biomedical-vs-recovery-oriented-approach"]


def test_an_evidence_page_shows_its_text_where_it_sits_and_its_references(store):
    html = _shown(_page(store, "evidence/table5/staff-training/staff-turnover"))
    assert ('<blockquote class="excerpt"><p>In one study staff turnover was 21% during the training program '
            "[135],") in html
    sits = html[html.index("<h2>Where it sits</h2>"):html.index("<h2>Studies and references (2)</h2>")]
    assert '<dt>Theme</dt><dd><a href="/theme/staff-turnover"' in sits
    refs = _text(html[html.index("<h2>Studies and references (2)</h2>"):])
    assert refs.index("Reference [135] of Piat et al. 2021") < refs.index("Reference [139] of Piat et al. 2021")


def test_a_404_page_is_in_the_layout_with_title_lang_navigation_and_a_search(client):
    r = client.get("/theme/no-such-theme", headers={"Accept": "text/html"})
    assert r.status_code == 404 and r.headers["content-type"].startswith("text/html")
    assert '<html lang="en">' in r.text and "<title>Not found · imri-kg</title>" in r.text
    assert '<nav aria-label="Main">' in r.text
    assert 'id="not-found-q" name="q" value="theme no such theme"' in r.text
    odd = client.get("/theme/a b<c>", headers={"Accept": "text/html"})
    assert odd.status_code == 404 and "<h1>Not found</h1>" in odd.text and "<c>" not in odd.text
    plain = client.get("/theme/no-such-theme", headers={"Accept": "text/turtle"})
    assert plain.status_code == 404 and plain.text == f"Nothing is known about <{B}theme/no-such-theme>.\n"
