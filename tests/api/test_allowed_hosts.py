"""DNS rebinding: a server on loopback answers only requests that name a loopback host (or one its operator
allows), 421 Misdirected Request otherwise, on every path, the short way to /sparql included (headers.py, fast.py)."""

import socket

import pytest
from fastapi.testclient import TestClient

from imri_kg.api import create_app
from imri_kg.api.headers import LOOPBACK_NAMES, answered_names, host_allowed, host_name
from imri_kg.api.settings import Settings

POINT = "/sparql?query=SELECT%20%3Fl%20WHERE%20%7B%20%3Chttps%3A%2F%2Fw3id.org%2Fimri%2Ftheme%2Fstaff-turnover%3E%20" \
        "%3Chttp%3A%2F%2Fwww.w3.org%2F2004%2F02%2Fskos%2Fcore%23prefLabel%3E%20%3Fl%20%7D"
PATHS = [POINT, "/sparql?query=ASK%7B%7D", "/api/queries", "/ui/", "/theme/staff-turnover"]


@pytest.fixture(scope="module")
def loopback() -> TestClient:
    with TestClient(create_app(Settings(timeout=10, allowed_hosts=LOOPBACK_NAMES))) as c:
        yield c


@pytest.mark.parametrize(("host", "name"), [("127.0.0.1:8000", "127.0.0.1"), ("LocalHost.", "localhost"),
                                            ("[::1]:8000", "[::1]"), ("[::1]", "[::1]"), ("evil.example:80", "evil.example"),
                                            ("localhost.evil.example", "localhost.evil.example")])
def test_the_host_name_is_the_header_without_its_port(host, name):
    assert host_name(host) == name


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("host", ["127.0.0.1:8000", "localhost", "LOCALHOST.:80", "[::1]:8000"])
def test_a_loopback_host_is_answered(loopback, path, host):
    assert loopback.get(path, headers={"Host": host, "Accept": "text/html, */*"}).status_code == 200


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("host", ["evil.example", "evil.example:8000", "127.0.0.1.evil.example", "localhost.evil.example",
                                  "[::2]:8000", "127.0.0.2"])
def test_another_host_is_misdirected_with_the_way_out(loopback, path, host):
    r = loopback.get(path, headers={"Host": host})
    assert r.status_code == 421
    assert r.text == (f"This server does not answer for the host this request names ({host}). Ask it as localhost, "
                      "127.0.0.1, [::1]; its operator can add a name with --allowed-host.\n")
    assert r.headers["x-content-type-options"] == "nosniff" and r.headers["content-security-policy"]


def test_a_post_query_naming_another_host_is_misdirected(loopback):
    r = loopback.post("/sparql", content="ASK {}", headers={"Host": "evil.example",
                                                            "Content-Type": "application/sparql-query"})
    assert r.status_code == 421


def test_any_host_unless_told(client):
    assert client.get("/sparql?query=ASK%7B%7D", headers={"Host": "kg.example.org"}).status_code == 200
    assert host_allowed("anything.example", None) and answered_names(("*", "localhost")) is None
    assert answered_names(("KG.Example.org.", "[::1]:8000")) == {"kg.example.org", "[::1]"}
    assert host_allowed("", answered_names(LOOPBACK_NAMES))  # no Host header at all (HTTP/1.0; HTTP/1.1 is a 400 before)


def _raw(port: int, host: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: " + host + b"\r\nConnection: close\r\n\r\n")
        out = b""
        while chunk := s.recv(65536):
            out += chunk
    return out


def test_serve_on_loopback_refuses_a_rebound_name_in_its_own_protocol(server_url):
    """`imri-kg serve` answers a short query in its protocol (onewrite.py) before the app: not for another host."""
    port = int(server_url.rsplit(":", 1)[1])
    assert _raw(port, b"evil.example:%d" % port).startswith(b"HTTP/1.1 421 ")
    assert _raw(port, b"localhost:%d" % port).startswith(b"HTTP/1.1 200 ")
