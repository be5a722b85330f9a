"""`review --serve`: the review pages on 127.0.0.1, where a reviewer edits translations.

    GET  /?token=T                          the index
    GET  /post?path=SOURCE&locale=L&token=T  a post's page, with an editor per unit
    POST /api/check   {source, locale, unit, msgid, text}         the checks, and the preview
    POST /api/save    {source, locale, unit, msgid, text, base}   save as reviewed (save.py)

Bound to the loopback address only. Every request needs the session token (random, in
the address printed on start; the pages send it back in `X-Review-Token`), a `Host` of
this server (a page of another site cannot reach it through DNS rebinding), and for a
write, JSON from a page of this server. Only posts the configuration translates are
served, named by their path in the repository: no other file can be read or written.
Requests are handled one at a time (one lock): the server is for one reviewer's tabs, and
saves must not interleave.
"""

from __future__ import annotations

import hmac
import json
import secrets
import threading
from collections.abc import Callable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, quote, urlsplit

from ..errors import I18nPostsError
from .collect import BLOCKING, collect_post
from .page import Live, counts, index_page, percent, post_page, translation_html, unit_update
from .render import display_parser
from .save import EditRefused, check_edit, find_unit, save_edit

if TYPE_CHECKING:
    from ..sync import SyncContext

MAX_BODY = 1 << 20
"""Bytes: a translation of a unit is far smaller."""


class ReviewServer:
    """The server; `start()` runs it in a thread (tests), `serve()` in the caller's."""

    def __init__(self, ctx: SyncContext, sources: list[str], locales: list[str], port: int = 0) -> None:
        self.ctx = ctx
        self.sources = list(sources)
        self.locales = list(locales)
        self.token = secrets.token_urlsafe(24)
        self.lock = threading.Lock()
        self.md = display_parser()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", port), _handler(self))
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.hosts = {f"127.0.0.1:{self.port}", f"localhost:{self.port}"}
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        """The index's address, token included."""
        return f"http://127.0.0.1:{self.port}/?token={self.token}"

    def post_url(self, source: str, locale: str) -> str:
        return f"/post?path={quote(source)}&locale={quote(locale)}&token={self.token}"

    def serve(self) -> None:
        try:
            self.httpd.serve_forever()
        finally:
            self.httpd.server_close()

    def start(self) -> ReviewServer:
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self._thread.start()
        return self

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        if self._thread is not None:
            self._thread.join()

    # -- the routes (called with the lock held) -----------------------------------------------

    def index(self) -> str:
        reviews = [
            (collect_post(self.ctx, s, loc), self.post_url(s, loc))
            for s in self.sources
            for loc in self.locales
        ]
        return index_page(reviews, Live(self.token))

    def page(self, source: str, locale: str) -> str:
        r = collect_post(self.ctx, source, locale)
        return post_page(r, f"/?token={self.token}", Live(self.token), self.md)

    def check(self, req: dict[str, str]) -> dict[str, Any]:
        source, locale = req["source"], req["locale"]
        post, unit = find_unit(self.ctx, source, req["unit"], req["msgid"])
        issues = check_edit(self.ctx, source, locale, unit, req["text"])
        return {
            "issues": [i.message for i in issues],
            "blocking": any(i.code in BLOCKING for i in issues),
            "html": translation_html(self.md, post, self.ctx.glossary(locale), unit, req["text"]),
        }

    def save(self, req: dict[str, str]) -> dict[str, Any]:
        saved = save_edit(
            self.ctx, req["source"], req["locale"], req["unit"], req["msgid"], req["text"], req["base"]
        )
        r = saved.review
        c = counts(r)
        return {
            "unit": unit_update(self.md, r, req["unit"]),
            "output": saved.message,
            "reviewed": percent(c["reviewed"], c["units"]),
            "issues": f"{c['issues']} with issues",
        }


def serve_forever(
    ctx: SyncContext, sources: list[str], locales: list[str], port: int, started: Callable[[str], None]
) -> None:
    """Serve until interrupted (Ctrl-C, SIGTERM); `started(url)` once listening."""
    server = ReviewServer(ctx, sources, locales, port)
    started(server.url)
    server.serve()


_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
    "X-Frame-Options": "DENY",
}


def _handler(server: ReviewServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "i18n-posts-review"
        sys_version = ""

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass  # the token is in every address: nothing is logged

        def _send(self, status: int, body: str, kind: str) -> None:
            data = body.encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", f"{kind}; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            for k, v in _HEADERS.items():  # the pages carry their own CSP, with their nonce
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(data)

        def _json(self, status: int, value: dict[str, Any]) -> None:
            self._send(status, json.dumps(value, ensure_ascii=False), "application/json")

        def _refuse(self, status: int, message: str, as_json: bool) -> None:
            if as_json:
                self._json(status, {"error": message})
            else:
                self._send(
                    status, f"<!doctype html><title>refused</title><p>{_esc(message)}</p>", "text/html"
                )

        def _allowed(self, token: str | None, as_json: bool) -> bool:
            if self.headers.get("Host", "") not in server.hosts:
                self._refuse(
                    HTTPStatus.FORBIDDEN, "unknown Host: open the address the server printed", as_json
                )
                return False
            if not token or not hmac.compare_digest(token.encode(), server.token.encode()):
                self._refuse(
                    HTTPStatus.FORBIDDEN,
                    "missing or wrong session token: open the address printed on start",
                    as_json,
                )
                return False
            return True

        def do_GET(self) -> None:  # noqa: N802
            url = urlsplit(self.path)
            q = {k: v[0] for k, v in parse_qs(url.query).items()}
            if not self._allowed(q.get("token"), False):
                return
            try:
                with server.lock:
                    if url.path == "/":
                        return self._send(HTTPStatus.OK, server.index(), "text/html")
                    if url.path == "/post":
                        source, locale = q.get("path", ""), q.get("locale", "")
                        if source not in server.sources or locale not in server.locales:
                            return self._refuse(HTTPStatus.NOT_FOUND, "not a post of this review", False)
                        return self._send(HTTPStatus.OK, server.page(source, locale), "text/html")
            except I18nPostsError as exc:
                return self._refuse(HTTPStatus.CONFLICT, str(exc), False)
            self._refuse(HTTPStatus.NOT_FOUND, "no such page", False)

        def do_POST(self) -> None:  # noqa: N802
            url = urlsplit(self.path)
            if not self._allowed(self.headers.get("X-Review-Token"), True):
                return
            origin = self.headers.get("Origin")
            if origin is not None and urlsplit(origin).netloc not in server.hosts:
                return self._refuse(HTTPStatus.FORBIDDEN, "a write from another site is refused", True)
            if not self.headers.get("Content-Type", "").startswith("application/json"):
                return self._refuse(HTTPStatus.UNSUPPORTED_MEDIA_TYPE, "JSON expected", True)
            req = self._body()
            if req is None:
                return
            route = {"/api/check": server.check, "/api/save": server.save}.get(url.path)
            if route is None:
                return self._refuse(HTTPStatus.NOT_FOUND, "no such endpoint", True)
            try:
                with server.lock:
                    return self._json(HTTPStatus.OK, route(req))
            except EditRefused as exc:
                return self._refuse(HTTPStatus.CONFLICT, str(exc), True)
            except I18nPostsError as exc:
                return self._refuse(HTTPStatus.CONFLICT, f"not saved: {exc}", True)
            except OSError as exc:
                return self._refuse(
                    HTTPStatus.INTERNAL_SERVER_ERROR, f"not saved: {exc.strerror or exc}", True
                )

        def _body(self) -> dict[str, str] | None:
            try:
                size = int(self.headers.get("Content-Length", "0"))
            except ValueError:
                size = -1
            if not 0 < size <= MAX_BODY:
                self._refuse(HTTPStatus.BAD_REQUEST, "a JSON body of at most 1 MB is expected", True)
                return None
            try:
                req = json.loads(self.rfile.read(size))
            except ValueError:
                self._refuse(HTTPStatus.BAD_REQUEST, "the body is not JSON", True)
                return None
            need = ("source", "locale", "unit", "msgid", "text")
            if not isinstance(req, dict) or not all(isinstance(req.get(k), str) for k in need):
                self._refuse(HTTPStatus.BAD_REQUEST, f"expected strings {', '.join(need)}", True)
                return None
            if req["source"] not in server.sources or req["locale"] not in server.locales:
                self._refuse(HTTPStatus.NOT_FOUND, "not a post of this review", True)
                return None
            if self.path.startswith("/api/save") and not isinstance(req.get("base"), str):
                self._refuse(HTTPStatus.BAD_REQUEST, "expected a string base", True)
                return None
            return req

    return Handler


def _esc(text: str) -> str:
    import html  # noqa: PLC0415

    return html.escape(text)
