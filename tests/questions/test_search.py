"""Full-text search: the index holds labels, definitions, excerpts and references, ranked and exact."""

import pytest

from imri_kg.kb.build import build_store
from imri_kg.questions.search import CLOSE, OPEN, to_clauses, to_search_index, to_snippet, to_words

B = "https://w3id.org/imri/"


@pytest.fixture(scope="module")
def index():
    return to_search_index(build_store())


def test_a_label_ranks_first_and_every_word_must_occur(index):
    hits = index.read_hits("staff turnover")
    assert hits[0].iri == B + "theme/staff-turnover" and hits[0].kind == "implementation theme"
    examples = {h.iri for h in hits if h.kind == "example"}
    assert examples == {B + "evidence/table5/staff-training/staff-turnover",
                        B + "evidence/table5/service-navigation-and-coordination/staff-turnover",
                        B + "evidence/table5/personal-recovery-planning/staff-turnover"}


def test_an_excerpt_is_found_by_a_word_of_its_text_with_the_word_marked(index):
    hits = index.read_hits("motivated")
    assert [h.kind for h in hits] == ["quote"]
    assert f"super {OPEN}motivated{CLOSE} about this project" in hits[0].snippet


def test_words_are_prefixes_and_accents_do_not_matter(index):
    assert B + "site/quebec" in {h.iri for h in index.read_hits("quebe")}


def test_operators_and_quotes_are_plain_words():
    assert to_words('a"b OR NOT ( Québec_City') == ["a", "b", "or", "not", "quebec", "city"]
    assert to_words("  ,;  ") == []


def test_a_snippet_marks_word_starts_around_the_most_words():
    body = " ".join(f"w{i}" for i in range(40)) + " Staff turnover was 21% during training."
    assert to_snippet(body, ["staff", "turn"]) == (
        f"…w38 w39 {OPEN}Staff{CLOSE} {OPEN}turnover{CLOSE} was 21% during training.")
    assert to_snippet("short text", ["zzz"]) == "short text"


def test_nothing_typed_finds_nothing(index):
    assert index.read_hits("") == [] and index.read_hits("zzzqqq") == []
    assert index.read_hits("staff zzzqqq") == []  # every word must occur


def test_ties_go_by_iri_and_limit_keeps_the_best(index):
    every = index.read_hits("staff", limit=500)
    assert [(h.score, h.iri) for h in every] == sorted((h.score, h.iri) for h in every)
    assert index.read_hits("staff", limit=3) == every[:3]


def test_or_between_words_needs_either_and_the_default_stays_and(index):
    # "motivated" is in one quote only, "stigma" in four records (a CHIME mapping row and three concepts); none
    # holds both
    either = {h.iri.removeprefix(B) for h in index.read_hits("motivated OR stigma", limit=500)}
    assert either == {"evidence/quote/super-motivated", "mapping/recovery-narratives-chime/bb62151054bd",
                      "chime/overcoming-stigma", "recovery-narrative-change-model/stigma-reduction",
                      "chime/culturally-specific-facilitating-factors"}
    assert index.read_hits("motivated stigma") == []  # without OR every word must occur
    # OR joins only its two neighbours: "quote motivated OR stigma" is quote AND (motivated OR stigma)
    assert [h.iri.removeprefix(B) for h in index.read_hits("quote motivated OR stigma", limit=500)] == [
        "evidence/quote/super-motivated"]
    # a word that matches nothing does not sink its OR clause
    assert {h.iri.removeprefix(B) for h in index.read_hits("zzzqqq OR motivated")} == {"evidence/quote/super-motivated"}


def test_or_in_capitals_between_two_words_joins_them_else_it_is_a_word():
    assert to_clauses("staff peer OR worker") == [["staff"], ["peer", "worker"]]
    assert to_clauses("a OR b OR c d") == [["a", "b", "c"], ["d"]]
    assert to_clauses("a or b") == [["a"], ["or"], ["b"]]
    assert to_clauses("OR a") == [["or"], ["a"]] and to_clauses("a OR") == [["a"], ["or"]]
