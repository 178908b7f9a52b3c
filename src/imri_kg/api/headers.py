"""Security headers on every response: a strict Content-Security-Policy, nosniff, no framing, no referrer leak.

A request whose Host header is not one host name (or address) and port (none at all in HTTP/1.1, or two) is refused
with 400 before any router builds a URL from it (RFC 9112 section 3.2, RFC 3986 section 3.2.2); one that names a
host the server does not answer for (`Settings.allowed_hosts`) with 421 Misdirected Request (RFC 9110 section
15.5.20).

The web interface loads only its own CSS and JS from /ui/static, with no inline script or style, so the policy
allows nothing else: an IRI or label that slipped past escaping still could not run script. The API
documentation pages (/docs, /redoc) load Swagger UI and ReDoc from this server (the fastapi-offline package) with an
inline bootstrap script and inline styles; they get a policy that allows exactly that and no other host.
"""

import re

from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
DOCS_CSP = ("default-src 'none'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
            "img-src 'self' data:; font-src 'self' data:; worker-src 'self' blob:; connect-src 'self'; "
            "base-uri 'none'; frame-ancestors 'none'")
_HOST = re.compile(r"(?:[A-Za-z0-9\-._~%!$&'()*+,;=]*|\[[0-9A-Fa-f:.]+\])(?::[0-9]{0,5})?")
HEADERS = [(b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"no-referrer"),
           (b"x-frame-options", b"DENY"), (b"cross-origin-opener-policy", b"same-origin")]


LOOPBACK_NAMES = ("localhost", "127.0.0.1", "[::1]")


def host_name(host: str) -> str:
    """The name (or address) of a Host header's value, without its port, in lower case: "[::1]" for "[::1]:8000"."""
    name = host[:host.find("]") + 1] or host if host.startswith("[") else host.partition(":")[0]
    return name.lower().rstrip(".")


def answered_names(allowed: tuple[str, ...] | None) -> frozenset[str] | None:
    """`Settings.allowed_hosts` as `host_name` gives them, or None for any ("*" among them too)."""
    return None if allowed is None or "*" in allowed else frozenset(host_name(name) for name in allowed)


def host_allowed(host: str, names: frozenset[str] | None) -> bool:
    """Whether a server answering for `names` (`answered_names`; None: any) answers a request with this Host value
    (none at all, as HTTP/1.0 allows, is no browser's: answered)."""
    return names is None or not host or host_name(host) in names


class SecurityHeadersMiddleware:
    """ASGI middleware adding the headers above to every HTTP response that does not set them itself, and refusing
    a request whose Host header is not a host and port (400), or names a host not `allowed_hosts` (421)."""

    def __init__(self, app: ASGIApp, allowed_hosts: tuple[str, ...] | None = None) -> None:
        self.app = app
        self.allowed, self.names = allowed_hosts, answered_names(allowed_hosts)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        hosts = [value for name, value in scope.get("headers") or [] if name == b"host"]
        host = hosts[0].decode("latin-1") if hosts else ""
        if len(hosts) > 1 or (not hosts and scope.get("http_version") != "1.0") or not _HOST.fullmatch(host):
            await _refuse(send, 400, "The Host header is not one host name and port (RFC 9112 section 3.2).")
            return
        if not host_allowed(host, self.names):
            names = ", ".join(self.allowed or ())
            await _refuse(send, 421, f"This server does not answer for the host this request names ({host}). Ask "
                                     f"it as {names}; its operator can add a name with --allowed-host.")
            return
        path = scope.get("path", "")
        csp = DOCS_CSP if path in ("/docs", "/redoc") or path.startswith("/docs/") else CSP

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {k.lower() for k, _ in headers}
                extra = [(b"content-security-policy", csp.encode()), *HEADERS]
                headers += [(k, v) for k, v in extra if k not in present]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, with_headers)


async def _refuse(send: Send, status: int, text: str) -> None:
    body = (text + "\n").encode("utf-8")
    await send({"type": "http.response.start", "status": status, "headers": [
        (b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(body)).encode()),
        (b"content-security-policy", CSP.encode()), *HEADERS]})
    await send({"type": "http.response.body", "body": body})
