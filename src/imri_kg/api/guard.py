"""Keeping the endpoint from reaching out: refusing SERVICE and LOAD, and a socket guard for the worker processes.

Oxigraph evaluates `SERVICE <url>` by fetching the URL and `LOAD <url>` by downloading it, and pyoxigraph has no
switch to turn that off, so queries naming them are refused before they reach the store. `FROM` and
`FROM NAMED` only select graphs already in the store (Oxigraph never fetches them), so they are allowed.
"""

import ipaddress
import re
import socket
from typing import Any

# Text that cannot hold a keyword: comments, IRIs, and the four string forms (SPARQL 1.1 Query, section 19.8).
_OPAQUE = re.compile(r"""
    \#[^\n\r]*                                  # comment
  | <[^<>"{}|^`\\\x00-\x20]*>                   # IRIREF
  | '''(?:[^'\\]|\\.|'(?!''))*'''               # STRING_LITERAL_LONG1
  | \"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"         # STRING_LITERAL_LONG2
  | '(?:[^'\\\n\r]|\\.)*'                       # STRING_LITERAL1
  | "(?:[^"\\\n\r]|\\.)*"                       # STRING_LITERAL2
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
    return re.search(pattern, _OPAQUE.sub(" ", sparql), re.IGNORECASE) is not None


def outbound_reason(sparql: str) -> str | None:
    """Why the query or update is refused, or None: it names SERVICE or LOAD as a keyword."""
    code = _OPAQUE.sub(" ", sparql)
    found = _KEYWORD.search(code)
    return _FORBIDDEN[found.group(1).upper()] if found else None


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
