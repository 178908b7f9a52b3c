"""gaps.in_files / in_store: which predicates have a literal object, read from the files and the store."""

from pathlib import Path

from pyoxigraph import Literal, NamedNode, Quad, Store

from imri_kg.validation import gaps

EX = "http://example.org/ns#"


def _store(*triples: tuple[str, str, object]) -> Store:
    store = Store()
    store.extend(Quad(NamedNode(EX + s), NamedNode(EX + p), o) for s, p, o in triples)
    return store


def test_in_files_finds_the_predicates_with_a_literal(tmp_path: Path):
    path = tmp_path / "d.nt"
    path.write_text(f'<{EX}a> <{EX}p> "1" .\n<{EX}a> <{EX}q> <{EX}b> .\n', encoding="utf-8")
    assert gaps.in_files([path])({EX + "p", EX + "q", EX + "r"}) == {EX + "p"}


def test_in_files_asked_nothing_answers_nothing(tmp_path: Path):
    path = tmp_path / "d.nt"
    path.write_text(f'<{EX}a> <{EX}p> "1" .\n', encoding="utf-8")
    assert gaps.in_files([path])(set()) == set()


def test_in_store_answered_by_the_store_alone_reads_no_file(tmp_path: Path):
    """Every predicate asked has a stored literal: nothing is left to look for in the files (this raised once)."""
    path = tmp_path / "d.nt"
    path.write_text(f'<{EX}a> <{EX}q> <{EX}b> .\n', encoding="utf-8")
    store = _store(("a", "p", Literal("x")))
    assert gaps.in_store(store, [path])({EX + "p"}) == {EX + "p"}


def test_in_store_joins_the_store_and_the_files(tmp_path: Path):
    path = tmp_path / "d.nt"
    path.write_text(f'<{EX}a> <{EX}q> "2" .\n', encoding="utf-8")
    store = _store(("a", "p", Literal("x")), ("a", "r", NamedNode(EX + "b")))
    assert gaps.in_store(store, [path])({EX + "p", EX + "q", EX + "r"}) == {EX + "p", EX + "q"}
