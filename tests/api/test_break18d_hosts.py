"""Breaker 18d: holes in the DNS-rebinding protection of `imri-kg serve` (commit e59d779), one test each.

Every test here fails on e59d779 and names, in its docstring, why it matters and the fix it asks for. The servers
are real `imri-kg serve` processes on free loopback ports, asked over raw sockets so that the Host header lines are
exactly the ones written here (an HTTP client would normalise or merge them).
"""

import socket
from collections.abc import Iterator

import pytest

from imri_kg.api.headers import host_allowed
from imri_kg.cli.server import answered_hosts, bind_warnings
from imri_kg.errors import InputError
from tests.api.conftest import served

SERVICE = b"GET /sparql HTTP/1.1\r\n"  # the service description: it names the endpoint's URL, made of the Host


def _raw(port: int, head: bytes) -> bytes:
    """The whole answer to `head` (request line and header lines, without the blank line) on a new connection."""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as s:
        s.sendall(head + b"Accept: */*\r\nConnection: close\r\n\r\n")
        out = b""
        while chunk := s.recv(65536):
            out += chunk
    return out


def _status(answer: bytes) -> bytes:
    return answer.split(b"\r\n", 1)[0]


# --- 1. A loopback --host that the ipaddress module does not parse turns the protection off ------------------------

# Each binds 127.0.0.1 (socket.bind and uvicorn resolve them with getaddrinfo / inet_aton), checked on this machine:
# "127.1" and "2130706433" and "0x7f.0.0.1" are the classic short forms of 127.0.0.1, "LOCALHOST" is localhost.
LOOPBACK_SPELLINGS = ["127.1", "2130706433", "0x7f.0.0.1", "LOCALHOST"]


@pytest.mark.parametrize("host", LOOPBACK_SPELLINGS)
def test_break18d_a_loopback_host_spelled_otherwise_still_refuses_a_rebound_name(host):
    """`imri-kg serve --host 127.1` listens on 127.0.0.1 only, yet `cli/server.py::_loopback` asks
    `ipaddress.ip_address`, which knows no short form (and compares "localhost" case-sensitively): the host is taken
    for a public one, `answered_hosts` gives None (any name) and a DNS-rebound page reads the review, the very
    attack e59d779 closes; the operator is also warned, wrongly, that the server is "not loopback".
    Fix (cli/server.py; checked: with it every test in this file and tests/api/test_allowed_hosts.py,
    tests/cli/test_server.py, tests/test_cli_serve_and_params.py pass), decide loopback as bind() and uvicorn
    resolve the name, as Jupyter Server's `_default_allow_remote` does:

        def _loopback(host: str) -> bool:
            # whether every address `host` binds (resolved as bind() and uvicorn resolve it) is a loopback one
            try:
                found = socket.getaddrinfo(host.strip("[]"), None, type=socket.SOCK_STREAM)
            except OSError:
                return False
            return bool(found) and all(ipaddress.ip_address(info[4][0].split("%")[0]).is_loopback for info in found)
    """
    answered = answered_hosts(host, ())
    assert answered is not None, f"--host {host} binds loopback but answers any Host"
    assert not host_allowed("evil.example:8000", answered)
    assert host_allowed("127.0.0.1:8000", answered) and host_allowed("localhost:8000", answered)
    assert bind_warnings(host, writable=False) == []


@pytest.fixture(scope="module")
def short_form_port() -> Iterator[int]:
    server = served("--host", "127.1", "--workers", "1")
    try:
        yield int(next(server).rsplit(":", 1)[1])
    finally:
        server.close()


def test_break18d_serve_on_127_1_answers_a_rebound_name(short_form_port):
    """End to end, the finding above: `imri-kg serve --host 127.1` (listening on 127.0.0.1) answers a request
    naming evil.example, on the short way to /sparql and on the whole app alike. Want: 421, as for --host 127.0.0.1."""
    port = short_form_port
    short = _raw(port, b"GET /sparql?query=ASK%%7B%%7D HTTP/1.1\r\nHost: evil.example:%d\r\n" % port)
    whole = _raw(port, b"GET /api/queries HTTP/1.1\r\nHost: evil.example:%d\r\n" % port)
    assert (_status(short), _status(whole)) == (b"HTTP/1.1 421 Misdirected Request",) * 2
    assert _status(_raw(port, b"GET /api/queries HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n" % port)) == b"HTTP/1.1 200 OK"


# --- 2. Two Host header lines: the check reads the last, the app builds its URLs from the first ---------------------

def test_break18d_two_host_headers_are_a_bad_request(server_url):
    """`SecurityHeadersMiddleware` takes `dict(scope["headers"])[b"host"]`, the LAST Host line; Starlette's
    `request.url` (and `checks.endpoint_of`) the FIRST. httptools passes both, so `Host: evil.example` then
    `Host: 127.0.0.1` passes the check and the service description names http://evil.example/sparql as the
    endpoint (the base IRI of the request's query too). A browser cannot send two Host lines, but a proxy or cache in
    front may pass them on; RFC 9112 section 3.2: a server MUST answer 400 to a request with more than one Host
    header field line. Fix (headers.py, in `SecurityHeadersMiddleware.__call__`):

        hosts = [v for k, v in scope.get("headers") or [] if k == b"host"]
        host = hosts[0].decode("latin-1") if hosts else ""
        if len(hosts) > 1 or not _HOST.fullmatch(host):
            await _refuse(send, 400, "The Host header is not one host name and port (RFC 9112 section 3.2).")
            return
    (fast.py's `wanted` already hands a request with two Host lines to the app. In the other order, evil.example
    last, the answer is 421 today: safe, though the RFC's answer is 400.)"""
    port = int(server_url.rsplit(":", 1)[1])
    answer = _raw(port, SERVICE + b"Host: evil.example\r\nHost: 127.0.0.1:%d\r\n" % port)
    assert _status(answer) == b"HTTP/1.1 400 Bad Request", answer[:400]


# --- 3. A wildcard --allowed-host is taken, then never matches ---------------------------------------------------

def test_break18d_a_wildcard_allowed_host_is_refused_or_matches():
    r"""`--allowed-host '*.example.org'` (Starlette's TrustedHostMiddleware syntax; Django writes '.example.org') is
    accepted: `_HOST` allows '*' in a name. It is then compared as the literal name "*.example.org", so every
    request through the operator's proxy (Host: kg.example.org) gets 421, and the error does not say why.
    Fix (cli/server.py), refuse what can never match, with the error it gives today:

        _NAME = re.compile(r"[A-Za-z0-9._\-]+|\[[0-9A-Fa-f:.]+\]")  # a name or address: no wildcard, no percent
        ...
        if not name or not _HOST.fullmatch(name) or not _NAME.fullmatch(host_name(name)):
            raise InputError(f'--allowed-host "{name}" is not a host name (or address, IPv6 in brackets).')
    (or support a '*.' prefix in `host_allowed`; either way the operator is not left with a silent 421)."""
    try:
        answered = answered_hosts("127.0.0.1", ("*.example.org",))
    except InputError:
        return
    assert host_allowed("kg.example.org:443", answered), \
        f"--allowed-host '*.example.org' was accepted as {answered} and matches no host"


# --- 4. HTTP/1.1 without Host ----------------------------------------------------------------------------------

def test_break18d_an_http_1_1_request_without_host_is_a_bad_request(server_url):
    """headers.py answers a request with no Host at all ("as HTTP/1.0 allows"), but RFC 9112 section 3.2: a server
    MUST answer 400 to an HTTP/1.1 request without Host. No browser omits it, so this is conformance, not
    rebinding. Fix (headers.py): `if not hosts and scope.get("http_version") != "1.0": refuse 400` (and in
    fast.py's `wanted`, hand a Host-less request to the app). HTTP/1.0 without Host stays answered."""
    port = int(server_url.rsplit(":", 1)[1])
    assert _status(_raw(port, b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\n")) == b"HTTP/1.1 400 Bad Request"
    assert _status(_raw(port, b"GET /api/queries HTTP/1.1\r\n")) == b"HTTP/1.1 400 Bad Request"
    assert _status(_raw(port, b"GET /api/queries HTTP/1.0\r\n")) == b"HTTP/1.1 200 OK"
