"""Keeping the endpoint from reaching out: refusing SERVICE and LOAD, and a socket guard for the worker processes.

Oxigraph evaluates `SERVICE <url>` by fetching the URL and `LOAD <url>` by downloading it, and pyoxigraph has no
switch to turn that off. The real defence is below the parser: the worker processes have no network at all
(sandbox.py). This module is the second layer, which tells the user why: the query is parsed (rdflib's SPARQL
grammar) and refused when its syntax tree holds a SERVICE pattern or a LOAD operation, however it is spelled.
A query that names either word but that rdflib cannot parse is refused too, when a token check finds the keyword
or the tree cannot be had: what cannot be checked is not run. `FROM` and `FROM NAMED` only select graphs already in
the store (Oxigraph never fetches them), so they are allowed.
"""

import ipaddress
import re
import socket
import threading
from typing import Any

# Text that cannot hold a keyword: comments, IRIs, and the four string forms (SPARQL 1.1 Query, section 19.8).
OPAQUE = re.compile(r"""
    \#[^\n\r]*                                  # comment
  | <[^<>"{}|^`\\\x00-\x20]*>                   # IRIREF
  | '''(?:[^'\\]|\\.|'(?!''))*'''               # STRING_LITERAL_LONG1
  | \"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"         # STRING_LITERAL_LONG2
  | '(?:[^'\\\n\r]|\\.)*'                       # STRING_LITERAL1
  | "(?:[^"\\\n\r]|\\.)*"                       # STRING_LITERAL2
  | \\.                                         # PN_LOCAL_ESC (e:p\#): not a comment, not a quote
""", re.VERBOSE | re.DOTALL)
# A keyword is a whole token: not part of a variable, prefixed name, blank node label or language tag.
_FORBIDDEN = {
    "SERVICE": "SERVICE (federated query) is disabled on this endpoint: it would make the server fetch a URL",
    "LOAD": "LOAD is disabled on this endpoint: it would make the server fetch a URL",
}
_KEYWORD = re.compile(r"(?<![\w?$:.@\-\\%])(SERVICE|LOAD)(?![\w:.\-])", re.IGNORECASE)


def has_keyword(sparql: str, keyword: str) -> bool:
    """Whether `keyword` occurs as a keyword token, outside comments, IRIs and strings."""
    pattern = r"(?<![\w?$:.@\-\\%])" + re.escape(keyword) + r"(?![\w:.\-])"
    return re.search(pattern, OPAQUE.sub(" ", sparql), re.IGNORECASE) is not None


def outbound_reason(sparql: str, *, update: bool | None = None) -> str | None:
    """Why the query or update is refused, or None: its syntax tree holds SERVICE or LOAD.

    `update`: parse as an update (True), a query (False), or whichever parses (None).
    """
    lowered = sparql.lower()
    if "service" not in lowered and "load" not in lowered:
        return None  # neither keyword can be spelled without its letters (SPARQL has no escapes in keywords)
    found = _KEYWORD.search(OPAQUE.sub(" ", sparql))
    if found:
        return _FORBIDDEN[found.group(1).upper()]
    names = _tree_names(sparql, update)
    if names is None:
        return ("The query names SERVICE or LOAD in a form this server cannot check, so it is refused: "
                "federated queries and LOAD are disabled here.")
    if "ServiceGraphPattern" in names:
        return _FORBIDDEN["SERVICE"]
    if "Load" in names:
        return _FORBIDDEN["LOAD"]
    return None


_PARSE_LOCK = threading.Lock()  # pyparsing's packrat cache is not thread-safe


def _tree_names(sparql: str, update: bool | None) -> set[str] | None:
    """The names of the nodes of the syntax tree of `sparql`, or None when rdflib cannot parse it."""
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    parsers = {True: [parseUpdate], False: [parseQuery], None: [parseQuery, parseUpdate]}[update]
    with _PARSE_LOCK:
        for parse in parsers:
            try:
                tree = parse(sparql)
            except Exception:  # noqa: BLE001, S112 - ParseException, RecursionError...: not checkable this way
                continue
            return _names(tree, set())
    return None


def _names(node: Any, found: set[str]) -> set[str]:
    """Walk the tree without recursion (its depth is bounded by limits.py, but a stack costs nothing)."""
    from rdflib.plugins.sparql.parserutils import CompValue

    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, CompValue):
            found.add(item.name)
            stack.extend(item.values())
        elif isinstance(item, (list, tuple)) or hasattr(item, "asList"):
            stack.extend(item)
    return found


def is_loopback(address: Any) -> bool:
    if isinstance(address, tuple) and address:
        host = address[0]
        try:
            return ipaddress.ip_address(host).is_loopback
        except ValueError:
            return host == "localhost"
    return True  # Unix sockets and the like never leave the machine.


class OutboundConnection(ConnectionRefusedError):
    """A socket tried to reach a non-loopback address from a process that must not."""


def install_socket_guard() -> None:
    """Refuse every connection from Python code in this process to a non-loopback address."""
    original = socket.socket.connect

    def connect(self: socket.socket, address: Any) -> Any:
        if not is_loopback(address):
            raise OutboundConnection(f"outbound connection to {address!r} refused: the endpoint never fetches")
        return original(self, address)

    socket.socket.connect = connect  # type: ignore[method-assign]
