"""Security headers on every response: a strict Content-Security-Policy, nosniff, no framing, no referrer leak.

A request whose Host header is not a host name (or address) and port is refused with 400 before any router builds
a URL from it (RFC 9110 section 7.2, RFC 3986 section 3.2.2).

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


class SecurityHeadersMiddleware:
    """ASGI middleware adding the headers above to every HTTP response that does not set them itself."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        host = dict(scope.get("headers") or []).get(b"host", b"").decode("latin-1")
        if not _HOST.fullmatch(host):
            body = b"The Host header is not a host name and port (RFC 9110 section 7.2).\n"
            await send({"type": "http.response.start", "status": 400, "headers": [
                (b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(body)).encode()),
                (b"content-security-policy", CSP.encode()), *HEADERS]})
            await send({"type": "http.response.body", "body": body})
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
