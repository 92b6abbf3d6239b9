"""A real HTTP server on 127.0.0.1 for fetcher tests: routes, redirect chains, slow and endless pages."""

from __future__ import annotations

import contextlib
import gzip
import ssl
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PAGE = b"<html><head><title>Talks resume</title></head><body><p>Talks resumed in Vienna.</p></body></html>"
# A page long enough for extraction to file a story from it (``/story``).
STORY = (
    b"<html><head><title>Talks resume in Vienna</title></head><body><article>"
    b"<h1>Talks resume in Vienna</h1>"
    b"<p>VIENNA, Oct 5 (KUNA) -- Negotiators resumed talks in Vienna on Monday after a pause of "
    b"three weeks, diplomats from both delegations said.</p>"
    b"<p>The talks are expected to last until Friday, when ministers will meet to review the "
    b"progress made by their teams on the remaining questions.</p>"
    b"</article></body></html>"
)


@dataclass
class Seen:
    """One request the server answered: its path, Host header, other headers and when (monotonic)."""

    path: str
    host: str
    headers: dict[str, str] = field(default_factory=dict)
    at: float = 0.0


@dataclass
class Published:
    """A document ``LocalWebServer.publish`` serves: its bytes, and how the server answers for it.

    With an ``etag`` or ``last_modified`` a request whose ``If-None-Match`` or
    ``If-Modified-Since`` matches gets 304 and no body, as a well-behaved feed server answers.
    ``status`` other than 200 answers that status with ``headers`` (a 429 with ``Retry-After``).
    """

    body: bytes
    content_type: str = "text/html; charset=utf-8"
    etag: str = ""
    last_modified: str = ""
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class LocalWebServer:
    """Serves on 127.0.0.1 at a free port until ``close``; ``seen`` lists every request received.

    Routes: ``/page`` (a small HTML page), ``/story`` (a page extraction makes a story of), ``/sized/N`` (N bytes, declared), ``/endless`` (bytes
    until the client hangs up, no length), ``/declared-huge`` (a length of 10 GB, then bytes),
    ``/gzip-bomb/N`` (N zero bytes gzipped), ``/drip`` (a byte every 0.1 s of body),
    ``/drip-headers`` (headers a byte at a time), ``/silent`` (never answers), ``/status/N``,
    ``/hop/K?to=URL`` (a redirect chain: K more hops through this server, then to URL). Paths
    given to ``publish`` (feeds, sitemaps, story pages) answer before the routes.
    """

    tls: ssl.SSLContext | None = None
    seen: list[Seen] = field(default_factory=list)
    published: dict[str, Published] = field(default_factory=dict)

    def publish(self, path: str, body: bytes, content_type: str = "text/html; charset=utf-8", **options):
        """Serve ``body`` at ``path`` (query included) from now on; ``options`` as ``Published`` has them."""
        self.published[path] = Published(body, content_type, **options)

    def asked(self, path: str) -> list[Seen]:
        """The requests received for ``path``, in order."""
        return [seen for seen in self.seen if seen.path == path]

    def __post_init__(self):
        self.stopping = threading.Event()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.httpd.daemon_threads = True
        if self.tls is not None:
            self.httpd.socket = self.tls.wrap_socket(self.httpd.socket, server_side=True)
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        scheme = "https" if self.tls else "http"
        return f"{scheme}://{host}:{self.port}{path}"

    def close(self):
        self.stopping.set()
        self.httpd.shutdown()
        self.httpd.server_close()


def _handler(server: LocalWebServer):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def do_GET(self):
            server.seen.append(
                Seen(self.path, self.headers.get("Host", ""), dict(self.headers.items()), time.monotonic())
            )
            if self.path in server.published:
                with contextlib.suppress(OSError):
                    self.send_published(server.published[self.path])
                return
            path, _, query = self.path.partition("?")
            parts = path.strip("/").split("/")
            route = getattr(self, f"route_{parts[0].replace('-', '_')}", self.route_missing)
            with contextlib.suppress(OSError):  # the client hung up, as a refusing fetcher does
                route(*parts[1:], query=query)

        def send_body(self, body: bytes, content_type: str = "text/html; charset=utf-8", **headers):
            self.send_response(200)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            for name, value in headers.items():
                self.send_header(name.replace("_", "-"), value)
            self.end_headers()
            self.wfile.write(body)

        def send_published(self, doc: Published):
            validators = {"ETag": doc.etag, "Last-Modified": doc.last_modified}
            validators = {name: value for name, value in validators.items() if value}
            if doc.status != 200:
                self.send_response(doc.status)
                for name, value in doc.headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            unchanged = (doc.etag and self.headers.get("If-None-Match") == doc.etag) or (
                doc.last_modified and self.headers.get("If-Modified-Since") == doc.last_modified
            )
            if unchanged:
                self.send_response(304)
                for name, value in validators.items():
                    self.send_header(name, value)
                self.end_headers()
                return
            self.send_body(doc.body, doc.content_type, **validators, **doc.headers)

        def route_page(self, query=""):
            self.send_body(PAGE)

        def route_story(self, query=""):
            self.send_body(STORY)

        def route_sized(self, size, query=""):
            self.send_body(b"a" * int(size), "text/plain")

        def route_endless(self, query=""):
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Connection", "close")
            self.end_headers()
            chunk = b"z" * 65536
            while not server.stopping.is_set():
                self.wfile.write(chunk)

        def route_declared_huge(self, query=""):
            self.send_response(200)
            self.send_header("Content-Length", str(10 * 1024**3))
            self.end_headers()
            self.wfile.write(b"z" * 65536)

        def route_gzip_bomb(self, size, query=""):
            self.send_body(gzip.compress(bytes(int(size))), "text/plain", Content_Encoding="gzip")

        def route_drip(self, query=""):
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Connection", "close")
            self.end_headers()
            self._drip(b"<p>" + b"x" * 10_000)

        def route_drip_headers(self, query=""):
            self.wfile.write(b"HTTP/1.1 200 OK\r\n")
            self._drip(b"X-Slow: " + b"y" * 10_000)

        def route_silent(self, query=""):
            server.stopping.wait(30)

        def route_status(self, code, query=""):
            self.send_response(int(code))
            self.send_header("Content-Length", "0")
            self.end_headers()

        def route_hop(self, left, query=""):
            target = query.removeprefix("to=")
            left = int(left)
            location = f"/hop/{left - 1}?to={target}" if left > 0 else target
            self.send_response(302)
            self.send_header("Location", location)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def route_missing(self, *args, query=""):
            self.route_status("404")

        def _drip(self, data: bytes):
            for index in range(len(data)):
                if server.stopping.is_set():
                    return
                self.wfile.write(data[index : index + 1])
                self.wfile.flush()
                time.sleep(0.1)

    return Handler
