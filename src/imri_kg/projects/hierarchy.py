"""Checks of a hierarchy of parents (the codebook's codes, the cases of one dimension): each cycle and each chain
deeper than MAX_LEVELS is a problem at its row, so that nothing downstream (the matrix's skos:broader*, the shapes'
property paths, which recurse once per level) meets a loop or an unbounded depth."""

from pathlib import Path
from typing import Protocol

from imri_kg.projects.model import Origin
from imri_kg.projects.problems import Problems

MAX_LEVELS = 64


class Node(Protocol):
    parent: str
    origin: Origin


def check_parents(nodes: dict[str, Node], problems: Problems, path: Path, *, whole: str, item: str,
                  have: str = "has") -> None:
    """Report each cycle once, at the row of its first node (its nodes lose their parent), then the first node
    (by row) deeper than MAX_LEVELS, whose parent is cut. `whole` names the hierarchy ("the codebook"), `item` a
    node ("code")."""
    seen: set[str] = set()
    for start in nodes:
        chain: list[str] = []
        node = start
        while node and node not in seen and node not in chain:
            chain.append(node)
            node = nodes[node].parent
        if node in chain:
            cycle = chain[chain.index(node):]
            first = min(cycle, key=lambda c: nodes[c].origin.row)
            loop = cycle[cycle.index(first):] + cycle[:cycle.index(first)] + [first]
            problems.add(path, f"{whole} {have} a cycle: " + " -> ".join(loop) + f" (each {item}'s parent is the "
                         f"next); a {item} cannot be its own ancestor.", row=nodes[first].origin.row, column="parent")
            for c in cycle:
                nodes[c].parent = ""
        seen.update(chain)
    depth: dict[str, int] = {}
    for start in sorted(nodes, key=lambda n: nodes[n].origin.row):
        path_up: list[str] = []
        node = start
        while node and node not in depth:
            path_up.append(node)
            node = nodes[node].parent
        above = depth.get(node, 0) if node else 0
        for i, n in enumerate(reversed(path_up)):
            depth[n] = above + i + 1
        if depth[start] > MAX_LEVELS:
            too_deep = next(n for n in reversed(path_up) if depth[n] == MAX_LEVELS + 1) if path_up else start
            chain = [too_deep]
            while nodes[chain[-1]].parent:
                chain.append(nodes[chain[-1]].parent)
            chain.reverse()
            shown = " > ".join(chain[:3] + ["..."] + chain[-2:]) if len(chain) > 6 else " > ".join(chain)
            problems.add(path, f"{item} {too_deep} is {len(chain)} levels deep ({shown}); {whole} is taken with at "
                         f"most {MAX_LEVELS} levels.", row=nodes[too_deep].origin.row, column="parent")
            nodes[too_deep].parent = ""
            return
