"""Network exports: GraphML, GEXF (Gephi), node-link JSON and Cytoscape.js JSON, in memory or to a file.

GraphML and GEXF have no list type, so list attributes (such as an edge's `citations`) are written there as text
joined by "; "; the JSON formats keep them as lists.
"""

import io
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import networkx as nx

from imri_kg.errors import InputError


def _flat(g: nx.Graph) -> nx.Graph:
    """A copy whose attribute values are all str, int, float or bool (what GraphML and GEXF can hold)."""
    def flat(data: dict[str, Any]) -> dict[str, Any]:
        out = {}
        for k, v in data.items():
            if isinstance(v, list | tuple | set | frozenset):
                out[k] = "; ".join(map(str, v))
            elif v is None:
                continue
            elif isinstance(v, str | int | float | bool):
                out[k] = v
            else:
                out[k] = str(v)
        return out

    h = g.__class__()
    h.graph.update(flat(g.graph))
    h.add_nodes_from((n, flat(d)) for n, d in g.nodes(data=True))
    h.add_edges_from((a, b, flat(d)) for a, b, d in g.edges(data=True))
    return h


def to_graphml(g: nx.Graph) -> bytes:
    buffer = io.BytesIO()
    nx.write_graphml(_flat(g), buffer, encoding="utf-8", prettyprint=True)
    return buffer.getvalue()


def to_gexf(g: nx.Graph) -> bytes:
    buffer = io.BytesIO()
    nx.write_gexf(_flat(g), buffer, encoding="utf-8", prettyprint=True)
    # The writer stamps today's date; drop it so that the same graph always gives the same bytes.
    return re.sub(rb' lastmodifieddate="[^"]*"', b"", buffer.getvalue(), count=1)


def to_node_link(g: nx.Graph) -> dict[str, Any]:
    """networkx node-link data: {"directed", "multigraph", "graph", "nodes": [{"id", ...}], "links": [...]}."""
    return nx.node_link_data(g, edges="links")


def to_cytoscape(g: nx.Graph) -> dict[str, Any]:
    """Cytoscape.js elements: {"data", "elements": {"nodes": [{"data": {"id", "name", ...}}], "edges": [...]}}.

    `name` is the node's label; edges get ids e0, e1, ... in edge order.
    """
    data = nx.cytoscape_data(g, name="label")
    data["data"] = dict(g.graph)  # networkx gives a list of pairs; Cytoscape.js reads an object
    for i, edge in enumerate(data["elements"]["edges"]):
        edge["data"]["id"] = f"e{i}"
    return data


def _json(data: dict[str, Any]) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode()


ENCODERS: dict[str, Callable[[nx.Graph], bytes]] = {
    "graphml": to_graphml,
    "gexf": to_gexf,
    "node-link": lambda g: _json(to_node_link(g)),
    "cytoscape": lambda g: _json(to_cytoscape(g)),
}
EXTENSIONS = {"graphml": ".graphml", "gexf": ".gexf", "node-link": ".json", "cytoscape": ".cyjs"}


def to_bytes(g: nx.Graph, fmt: str) -> bytes:
    """The graph in one of the export formats (see ENCODERS)."""
    if fmt not in ENCODERS:
        raise InputError(f'"{fmt}" is not a network format; use one of {", ".join(ENCODERS)}.')
    return ENCODERS[fmt](g)


def _write(g: nx.Graph, path: Path, fmt: str) -> Path:
    path = Path(path)
    tmp = path.with_name(path.name + ".part")
    try:
        tmp.write_bytes(to_bytes(g, fmt))
        tmp.replace(path)
    except OSError as exc:
        raise InputError(f"cannot write the network: {exc}", path=path) from None
    return path


def write_graphml(g: nx.Graph, path: Path) -> Path:
    return _write(g, path, "graphml")


def write_gexf(g: nx.Graph, path: Path) -> Path:
    return _write(g, path, "gexf")


def write_node_link(g: nx.Graph, path: Path) -> Path:
    return _write(g, path, "node-link")


def write_cytoscape(g: nx.Graph, path: Path) -> Path:
    return _write(g, path, "cytoscape")


WRITERS: dict[str, Callable[[nx.Graph, Path], Path]] = {
    "graphml": write_graphml, "gexf": write_gexf, "node-link": write_node_link, "cytoscape": write_cytoscape,
}
