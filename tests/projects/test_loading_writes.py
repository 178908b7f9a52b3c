"""write_replacing's quick ways (one extend into empty graphs; one update of only the quads that differ) leave the
store exactly as the one update that drops the graphs and inserts every quad, and a reader sees a replacement
all old or all new."""

import threading

import pytest
from pyoxigraph import BlankNode, Literal, NamedNode, Quad, RdfFormat, Store, serialize

from imri_kg.projects.loading import write_replacing

EX = "http://example.org/"
G, H, OTHER = NamedNode(EX + "g/data"), NamedNode(EX + "g/history"), NamedNode(EX + "g/other")


def quads(n: int, tag: str, graph: NamedNode = G) -> list[Quad]:
    """n records, each with a plain, a language-tagged and a typed literal."""
    out = []
    for i in range(n):
        s = NamedNode(f"{EX}r{i}")
        out += [Quad(s, NamedNode(EX + "label"), Literal(f"{tag} {i}"), graph),
                Quad(s, NamedNode(EX + "note"), Literal(f"note {i}", language="en-GB"), graph),
                Quad(s, NamedNode(EX + "n"), Literal(str(i), datatype=NamedNode("http://www.w3.org/2001/XMLSchema#integer")),
                     graph)]
    return out


def store_with(*parts: list[Quad]) -> Store:
    store = Store()
    store.add(Quad(NamedNode(EX + "x"), NamedNode(EX + "p"), Literal("outside"), OTHER))
    for part in parts:
        store.extend(part)
    return store


def dump(store: Store) -> list[bytes]:
    return sorted((serialize(store, format=RdfFormat.N_QUADS) or b"").splitlines())


def both_ways(old: list[Quad], new: list[Quad]) -> tuple[list[bytes], list[bytes]]:
    """The store after write_replacing told what the graphs hold (quick ways) and not told (drop and insert)."""
    quick, full = store_with(old), store_with(old)
    read = [q for g in (G,) for q in quick.quads_for_pattern(None, None, None, g)]
    write_replacing(quick, [G], new, old=read)
    write_replacing(full, [G], new)
    return dump(quick), dump(full)


@pytest.mark.parametrize("old, new", [
    ([], quads(5, "a") + quads(1, "h", H)),  # first import: one extend
    (quads(5, "a"), quads(4, "a") + quads(1, "b")[:1] + quads(1, "h", H)),  # a small change: the difference
    (quads(5, "a"), quads(5, "b")),  # every label changes: a third goes
    (quads(6, "a"), quads(2, "b")),  # most goes: drop and insert
    (quads(3, "a"), quads(3, "a") + quads(1, "h", H)),  # only history added
    (quads(3, "a"), []),  # everything goes
])
def test_the_quick_ways_leave_the_store_as_drop_and_insert(old, new):
    quick, full = both_ways(old, new)
    assert quick == full
    assert len(full) == 1 + len(set(new))  # the quad outside the graphs stays


def test_old_blank_nodes_fall_back_to_drop_and_insert():
    b = BlankNode()
    old = quads(3, "a") + [Quad(b, NamedNode(EX + "label"), Literal("blank"), G)]
    quick, full = both_ways(old, quads(3, "a"))
    assert quick == full
    assert not any(line.startswith(b"_:") for line in full)


def test_a_reader_sees_a_replacement_all_old_or_all_new():
    """Two versions replace each other over and over while a thread reads the graph: every read finds one whole
    version (their labels never mix), so the write cannot be a removal followed by an addition."""
    a, b = quads(300, "a"), quads(200, "a") + quads(120, "b")[-20:]
    versions = {frozenset(q.object.value for q in v if q.predicate.value == EX + "label") for v in (a, b)}
    store = store_with(a)
    seen, done = [], threading.Event()

    def read() -> None:
        while not done.is_set():
            seen.append(frozenset(q.object.value for q in store.quads_for_pattern(None, NamedNode(EX + "label"),
                                                                                 None, G)))

    reader = threading.Thread(target=read)
    reader.start()
    try:
        for i in range(40):
            new = b if i % 2 == 0 else a
            write_replacing(store, [G], new, old=list(store.quads_for_pattern(None, None, None, G)))
    finally:
        done.set()
        reader.join()
    assert seen and set(seen) <= versions
