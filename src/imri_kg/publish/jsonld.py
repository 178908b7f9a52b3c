"""JSON-LD that reads as plain JSON: triples compacted with the project's shipped context.jsonld."""

import copy
import json
from collections.abc import Iterable
from typing import Any

from pyld import jsonld
from pyoxigraph import RdfFormat, Triple, serialize

from imri_kg.resources import CONTEXT_FILE

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def read_context(*, base: str) -> dict[str, Any]:
    """The shipped context, with @base set to the data's base IRI so that record IRIs come out short."""
    context = json.loads(CONTEXT_FILE.read_text(encoding="utf-8"))["@context"]
    context = copy.deepcopy(context)
    context["@base"] = base
    return context


def _no_remote_documents(url: str, options: dict[str, Any] | None = None) -> dict[str, Any]:
    raise jsonld.JsonLdError(f"imri-kg never fetches remote JSON-LD documents ({url}).", "loading document failed")


def to_jsonld(triples: Iterable[Triple], *, base: str) -> dict[str, Any]:
    """A compacted JSON-LD document, nodes sorted by @id so that output is deterministic."""
    # Oxigraph writes expanded JSON-LD fast (pyld's own N-Quads reader is about 40 times slower here); rdf:type
    # becomes @type so that compaction can give it the short key "type".
    nodes: dict[str, dict[str, Any]] = {}
    for node in json.loads(serialize(triples, format=RdfFormat.JSON_LD) or b"[]"):
        merged = nodes.setdefault(node["@id"], {"@id": node["@id"]})  # Oxigraph may split a subject's node
        for key, values in node.items():
            if key == RDF_TYPE:
                merged.setdefault("@type", []).extend(v["@id"] for v in values)
            elif key != "@id":
                merged.setdefault(key, []).extend(values)
    expanded = list(nodes.values())
    context = read_context(base=base)
    doc = jsonld.compact(expanded, {"@context": context},
                         {"documentLoader": _no_remote_documents, "base": base, "graph": True})
    doc["@graph"] = sorted(doc.get("@graph", []), key=lambda node: str(node.get("id", "")))
    return doc


def dumps(doc: dict[str, Any]) -> bytes:
    return (json.dumps(doc, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")
