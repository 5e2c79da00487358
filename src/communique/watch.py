"""Watch feeds: poll RSS/Atom URLs, code the entries not seen before, store them.

One poll of one feed:

1. ``GET`` the URL with a timeout and a size limit, conditionally (``If-None-Match`` /
   ``If-Modified-Since`` from the ETag and Last-Modified of the last answer);
2. ``304 Not Modified``, or a body identical to the last one: nothing to do;
3. else the entries (``ingest.feed_entries``) not seen before are checked for language,
   those already in the store (same content hash) are passed over, the rest are coded
   (``Pipeline.code``) and stored (``Store.add_many``);
4. the ETag, Last-Modified and entry keys go to the state file (JSON, written
   atomically), so that a restart resumes where the last run stopped.

Hostile servers are bounded: ``timeout`` is a deadline for the whole request (connection,
redirects, headers and body: a server trickling a byte a second is cut off there and the poll
fails); ``max_bytes`` counts the body as it is decompressed, layer by layer and 64 KB at a
time (``Content-Encoding: gzip, gzip`` cannot inflate past the limit); redirects are followed
(at most 5) to public addresses, and to a loopback, private or link-local address only when
the feed's own address is of the same kind (a public feed cannot send the watcher to
``127.0.0.1`` or ``169.254.169.254``; a feed on the local network may move within it). The
address is checked when the redirect is read (a host name is resolved then). A state file that
cannot be written is a ConfigError before anything is polled; if saving fails later, the
error is logged and counted (``state_errors``) and what was stored stays stored.

A failed poll (network error, timeout, HTTP error, an answer too large or not a feed,
a redirect refused, a database in use) is logged and never raises: the feed is tried again after a
backoff that doubles from ``backoff`` up to ``max_backoff`` seconds (longer if the
server asks so with ``Retry-After``); its entries are not marked seen, and the
store's content-hash check keeps a retry from storing anything twice.

    >>> from communique.watch import Watcher
    >>> with Watcher(["https://news.example/rss"], db="news.duckdb") as w:
    ...     w.run(once=True)
"""

from __future__ import annotations

import hashlib
import ipaddress
import json
import logging
import os
import socket
import stat
import tempfile
import threading
import time
import zlib
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import urlparse, urlsplit

import httpx

from .errors import ConfigError, InputError, StoreError
from .ingest import SUPPORTED_LANGUAGES, check_language, feed_entries
from .records import Article, CodedArticle
from .settings import Settings

if TYPE_CHECKING:
    from .pipeline import Report


class Coder(Protocol):
    """What codes articles: ``communique.pipeline.Pipeline`` (or a stand-in)."""

    def code(self, articles: Iterable[Article], report: Report | None = None) -> Iterator[CodedArticle]: ...

__all__ = ["Coder", "FeedState", "PollResult", "WatchState", "Watcher", "default_state_path", "watch"]

logger = logging.getLogger("communique.watch")

USER_AGENT = "communique/0.1.0 (feed watcher)"
ACCEPT = "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"
STATE_VERSION = 1
# Entry keys remembered per feed: far more than a feed shows at once.
MAX_SEEN = 5000
# A server's Retry-After is honoured up to a day.
MAX_RETRY_AFTER = 86_400.0
MAX_REDIRECTS = 5
# Content-Encoding layers decoded (``gzip, gzip`` is two); more is not an honest answer.
MAX_ENCODINGS = 3
_INFLATE_CHUNK = 65_536
_REDIRECTS = frozenset({301, 302, 303, 307, 308})


def default_state_path(db: str | Path) -> Path:
    """The state file beside a database: ``news.duckdb`` → ``news.watch.json``."""
    path = Path("communique.duckdb" if str(db) == ":memory:" else db)
    return path.with_name(path.stem + ".watch.json")


# --- state -------------------------------------------------------------------------------------------------


@dataclass
class FeedState:
    """What the watcher remembers of one feed between polls and runs."""

    etag: str | None = None
    last_modified: str | None = None
    body_hash: str | None = None
    seen: list[str] = field(default_factory=list)
    failures: int = 0
    next_poll: float = 0.0
    last_poll: str | None = None
    last_error: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "etag": self.etag, "last_modified": self.last_modified, "body_hash": self.body_hash,
            "failures": self.failures, "next_poll": self.next_poll, "last_poll": self.last_poll,
            "last_error": self.last_error, "seen": self.seen,
        }  # fmt: skip

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> FeedState:
        return cls(
            etag=d.get("etag"),
            last_modified=d.get("last_modified"),
            body_hash=d.get("body_hash"),
            seen=[str(k) for k in d.get("seen") or ()],
            failures=int(d.get("failures") or 0),
            next_poll=float(d.get("next_poll") or 0.0),
            last_poll=d.get("last_poll"),
            last_error=d.get("last_error"),
        )


class WatchState:
    """Every feed's ``FeedState``, kept in one JSON file."""

    def __init__(self, path: str | Path, feeds: dict[str, FeedState] | None = None) -> None:
        self.path = Path(path)
        self.feeds: dict[str, FeedState] = feeds or {}

    @classmethod
    def load(cls, path: str | Path) -> WatchState:
        """The state in ``path``; an empty state if the file does not exist yet.

        Raises ConfigError if the file is not a state file."""
        p = Path(path)
        try:
            raw = p.read_text(encoding="utf-8")
        except FileNotFoundError:
            return cls(p)
        except OSError as e:
            raise ConfigError(f"cannot read the watch state file {p}: {e.strerror or e}") from e
        try:
            data = json.loads(raw)
            if not isinstance(data, dict) or not isinstance(data.get("feeds"), dict):
                raise ValueError("no 'feeds' object")
            feeds = {str(url): FeedState.from_dict(d) for url, d in data["feeds"].items()}
        except (ValueError, TypeError, AttributeError, RecursionError) as e:
            raise ConfigError(
                f"{p} is not a communique watch state file ({e}); give another --state file, "
                "or delete it to start afresh (items already stored are still not stored twice)"
            ) from e
        return cls(p, feeds)

    def feed(self, url: str) -> FeedState:
        return self.feeds.setdefault(url, FeedState())

    def save(self) -> None:
        """Write the state atomically (a temporary file, then a rename)."""
        data = {"version": STATE_VERSION, "feeds": {url: fs.to_dict() for url, fs in self.feeds.items()}}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=self.path.name + ".", suffix=".tmp", dir=self.path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                json.dump(data, f, ensure_ascii=False, indent=1)
                f.write("\n")
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise


# --- one poll ----------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PollResult:
    """What one poll of one feed did.

    ``outcome``: ``new`` (the feed was read), ``not-modified`` (HTTP 304),
    ``unchanged`` (the same body as last time), ``error`` (see ``error``; tried again
    in ``retry_in`` seconds) or ``backoff`` (not polled: still waiting after errors)."""

    url: str
    outcome: str
    status: int | None = None
    entries: int = 0
    new: int = 0
    stored: int = 0
    already: int = 0
    skipped: int = 0
    error: str | None = None
    retry_in: float | None = None
    seconds: float = 0.0

    def summary(self) -> str:
        if self.outcome == "new":
            parts = [f"{self.entries} entries", f"{self.new} new", f"{self.stored} stored"]
            if self.already:
                parts.append(f"{self.already} already stored")
            if self.skipped:
                parts.append(f"{self.skipped} skipped")
            return f"{self.url}: {', '.join(parts)} ({self.seconds:.1f}s)"
        if self.outcome == "not-modified":
            return f"{self.url}: not modified (HTTP 304)"
        if self.outcome == "unchanged":
            return f"{self.url}: unchanged since the last poll"
        retry = f"; next try in {self.retry_in:.0f}s" if self.retry_in is not None else ""
        if self.outcome == "backoff":
            return f"{self.url}: waiting after errors{retry}"
        return f"{self.url}: {self.error}{retry}"


class _FetchFailed(Exception):
    def __init__(self, reason: str, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry_after = retry_after


@dataclass(frozen=True, slots=True)
class _Fetched:
    status: int
    body: bytes
    etag: str | None
    last_modified: str | None


def _retry_after(value: str | None, now: float) -> float | None:
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return min(float(value), MAX_RETRY_AFTER)
    try:
        when = parsedate_to_datetime(value).timestamp()
    except (TypeError, ValueError, IndexError):
        return None
    return min(max(0.0, when - now), MAX_RETRY_AFTER)


class _Remaining(dict[str, float | None]):
    """httpcore's per-request ``timeout`` extension, read before every connect, read and write:
    each gets what is left until ``deadline``, so the request as a whole ends by then (a server
    sending one byte a second no longer resets the clock with every byte)."""

    def __init__(self, deadline: float, *, connect: float) -> None:
        super().__init__(connect=connect, read=None, write=None, pool=None)
        self.deadline = deadline

    def get(self, key: str, default: Any = None) -> float | None:  # type: ignore[override]
        left = max(0.001, self.deadline - time.monotonic())
        if key == "connect":
            return min(left, super().get("connect") or left)
        return left

    def __getitem__(self, key: str) -> float | None:
        return self.get(key)


class _Watchdog:
    """Cuts the connections of one request when its deadline passes.

    httpcore applies a read timeout to each read, and while it waits for the headers it
    keeps the timeout it started with: a server sending its status line a byte a second is
    never timed out. The watchdog learns each new connection's socket from httpcore's
    ``trace`` extension and shuts it down at the deadline, which ends any read at once."""

    def __init__(self, deadline: float) -> None:
        self.deadline = deadline
        self.fired = False
        self._sockets: list[socket.socket] = []
        self._timer: threading.Timer | None = None
        self._lock = threading.Lock()

    def trace(self, event: str, info: dict[str, Any]) -> None:
        if event != "connection.connect_tcp.complete" or info.get("return_value") is None:
            return
        sock = info["return_value"].get_extra_info("socket")
        if sock is None:
            return
        with self._lock:
            self._sockets.append(sock)
            if self._timer is None:
                self._timer = threading.Timer(max(0.0, self.deadline - time.monotonic()), self._fire)
                self._timer.daemon = True
                self._timer.start()

    def _fire(self) -> None:
        with self._lock:
            self.fired = True
            for sock in self._sockets:
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:  # already closed
                    pass

    def cancel(self) -> None:
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
            self._sockets.clear()


def _inflate(chunks: Iterator[bytes], encoding: str) -> Iterator[bytes]:
    """Undo one Content-Encoding, never holding more than 64 KB of its output at once, so the
    size limit downstream trips before a compression bomb can fill memory."""
    if encoding in ("gzip", "x-gzip"):
        wbits = 16 + zlib.MAX_WBITS
    elif encoding == "deflate":
        wbits = zlib.MAX_WBITS  # zlib-wrapped, as HTTP says; raw deflate is tried if that fails
    else:
        raise _FetchFailed(f"unsupported content encoding {encoding!r}")
    d = zlib.decompressobj(wbits)
    started = False
    try:
        for data in chunks:
            while data:
                try:
                    out = d.decompress(data, _INFLATE_CHUNK)
                except zlib.error:
                    if encoding == "deflate" and not started:
                        wbits = -zlib.MAX_WBITS
                        d = zlib.decompressobj(wbits)
                        out = d.decompress(data, _INFLATE_CHUNK)
                    else:
                        raise
                started = True
                rest = d.unconsumed_tail
                if out:
                    yield out
                while len(out) == _INFLATE_CHUNK and not rest:  # output still pending inside zlib
                    out = d.decompress(b"", _INFLATE_CHUNK)
                    if out:
                        yield out
                if d.eof and d.unused_data:  # gzip may hold several members; anything else is broken
                    rest = d.unused_data
                    d = zlib.decompressobj(wbits)
                data = rest
        tail = d.flush()
        if tail:
            yield tail
        if started and not d.eof:
            raise _FetchFailed(f"broken {encoding} content (it ends before its end: truncated)")
    except zlib.error as e:
        raise _FetchFailed(f"broken {encoding} content ({e})") from e


def _address_kind(url: str) -> str:
    """``public``, ``private``, ``loopback``, ``link-local`` or ``reserved``: the least public kind
    among the addresses the url's host has (``public`` when it does not resolve: then nothing
    can be reached there anyway)."""
    host = urlsplit(url).hostname or ""
    try:
        addresses = [ipaddress.ip_address(host)]
    except ValueError:
        try:
            infos = socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)
        except (OSError, UnicodeError):
            return "public"
        addresses = [ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in infos]
    kinds = {_kind(a) for a in addresses}
    for kind in ("reserved", "link-local", "loopback", "private"):
        if kind in kinds:
            return kind
    return "public"


def _kind(a: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str:
    if isinstance(a, ipaddress.IPv6Address) and a.ipv4_mapped is not None:
        a = a.ipv4_mapped
    if a.is_loopback:
        return "loopback"
    if a.is_link_local:
        return "link-local"
    if a.is_unspecified or a.is_multicast or a.is_reserved:
        return "reserved"
    if a.is_private or not a.is_global:
        return "private"
    return "public"


def _check_redirect(url: str, origin: str, target: str) -> None:
    """Raise _FetchFailed unless a feed at ``url`` (of address kind ``origin``) may be redirected to ``target``."""
    if urlsplit(target).scheme not in ("http", "https"):
        raise _FetchFailed(f"redirect to {target} refused (not http or https)")
    kind = _address_kind(target)
    if kind != "public" and kind != origin:
        raise _FetchFailed(f"redirect to {target} refused (a {kind} address; the feed's own address is {origin})")


def _check_writable(path: Path) -> None:
    """Raise ConfigError, before anything is polled, if the state file cannot be written where it is:
    a folder, a device or pipe (never replaced: the watcher writes only its own file), or a place
    where no file can be created."""
    try:
        mode = path.stat().st_mode
    except (FileNotFoundError, NotADirectoryError):
        mode = None
    except OSError as e:
        raise ConfigError(f"cannot use the watch state file {path}: {e.strerror or e}; give another --state") from e
    if mode is not None and not stat.S_ISREG(mode):
        raise ConfigError(f"the watch state file {path} is not a regular file; give another --state file")
    blocker = next((p for p in path.parents if p.exists()), None)
    if blocker is not None and not blocker.is_dir():
        raise ConfigError(f"cannot write the watch state file {path}: {blocker} is a file, not a folder; "
                          "give another --state file")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(prefix=path.name + ".", suffix=".probe", dir=path.parent)
        os.close(fd)
        os.unlink(probe)
    except OSError as e:
        raise ConfigError(
            f"cannot write the watch state file {path}: {e.strerror or e}; give a writable --state file"
        ) from e


class Watcher:
    """Polls feeds, codes their new entries and stores them.

    ``db`` (default: the ``db`` setting) is opened only while new entries are stored,
    so other processes can read it between polls; ``state`` defaults to
    ``default_state_path(db)``. ``pipeline`` and ``client`` may be given (tests, or to
    share a loaded model); otherwise the model loads when the first new entry comes."""

    def __init__(
        self,
        urls: Iterable[str],
        *,
        settings: Settings | None = None,
        db: str | Path | None = None,
        state: str | Path | None = None,
        interval: float = 300.0,
        timeout: float = 30.0,
        max_bytes: int = 10_000_000,
        backoff: float = 30.0,
        max_backoff: float = 3600.0,
        languages: Collection[str] | None = SUPPORTED_LANGUAGES,
        pipeline: Coder | None = None,
        client: httpx.Client | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        from .pipeline import Report

        self.urls = list(dict.fromkeys(urls))
        if not self.urls:
            raise ConfigError("no feed URL to watch; give one or more http(s) URLs")
        for url in self.urls:
            parsed = urlparse(url)
            if parsed.scheme not in ("http", "https") or not parsed.netloc:
                raise ConfigError(f"{url!r} is not an http(s) URL; give the full address of the feed")
        if interval <= 0 or timeout <= 0 or max_bytes <= 0 or backoff <= 0 or max_backoff <= 0:
            raise ConfigError("interval, timeout, max_bytes and the backoffs must be positive")
        self.settings = settings or Settings()
        self.db = str(db if db is not None else self.settings.db)
        state_path = Path(state if state is not None else default_state_path(self.db))
        _check_writable(state_path)
        self.state = WatchState.load(state_path)
        self.interval = interval
        self.timeout = timeout
        self.max_bytes = max_bytes
        self.backoff = backoff
        self.max_backoff = max_backoff
        self.languages = frozenset(languages) if languages is not None else None
        self._pipeline = pipeline
        self._own_client = client is None
        self.client = client or httpx.Client(
            timeout=httpx.Timeout(timeout, connect=min(timeout, 10.0)),
            follow_redirects=False,  # followed by _fetch, which checks where they lead
            limits=httpx.Limits(max_keepalive_connections=0),  # a new connection per poll: see _Watchdog
            headers={"User-Agent": USER_AGENT, "Accept": ACCEPT},
        )
        self.clock = clock
        self.report: Report = Report()
        self.polls = 0
        self.errors = 0
        self.stored = 0
        self.state_errors = 0

    # --- lifecycle ---------------------------------------------------------------------------------------

    def close(self) -> None:
        if self._own_client:
            self.client.close()

    def __enter__(self) -> Watcher:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    @property
    def pipeline(self) -> Coder:
        if self._pipeline is None:
            from .pipeline import Pipeline

            self._pipeline = Pipeline(self.settings)
        return self._pipeline

    # --- polling -----------------------------------------------------------------------------------------

    def run(
        self,
        *,
        once: bool = False,
        stop: threading.Event | None = None,
        on_poll: Callable[[PollResult], None] | None = None,
    ) -> None:
        """Poll every feed when it is due, until ``stop`` is set (forever without one).

        ``once``: poll each feed once (except feeds still waiting after errors) and return."""
        stop = stop or threading.Event()
        while not stop.is_set():
            now = self.clock()
            for url in self.urls:
                if stop.is_set():
                    break
                fs = self.state.feed(url)
                if fs.next_poll <= now or (once and fs.failures == 0):
                    result = self.poll(url)
                elif once:
                    result = PollResult(url, "backoff", retry_in=fs.next_poll - now)
                else:
                    continue
                if on_poll is not None:
                    on_poll(result)
            if once:
                return
            next_due = min(self.state.feed(u).next_poll for u in self.urls)
            stop.wait(max(0.05, min(next_due - self.clock(), self.interval)))

    def poll(self, url: str) -> PollResult:
        """Poll one feed now, code and store its new entries; never raises for a bad feed."""
        started = time.perf_counter()
        fs = self.state.feed(url)
        fs.last_poll = datetime.fromtimestamp(self.clock(), UTC).isoformat(timespec="seconds")
        self.polls += 1
        try:
            fetched = self._fetch(url, fs)
            if fetched.status == 304:
                result = PollResult(url, "not-modified", 304)
            else:
                body_hash = hashlib.sha256(fetched.body).hexdigest()
                if body_hash == fs.body_hash:
                    result = PollResult(url, "unchanged", fetched.status)
                else:
                    result = self._read(url, fs, fetched)
                    fs.body_hash = body_hash
                fs.etag, fs.last_modified = fetched.etag, fetched.last_modified
        except _FetchFailed as e:
            return self._failed(url, fs, e.reason, e.retry_after, started)
        except StoreError as e:
            return self._failed(url, fs, f"cannot store: {e}", None, started)
        fs.failures = 0
        fs.last_error = None
        fs.next_poll = self.clock() + self.interval
        self._save_state()
        result = replace(result, seconds=time.perf_counter() - started)
        logger.debug("%s", result.summary())
        return result

    def _failed(self, url: str, fs: FeedState, reason: str, retry_after: float | None, started: float) -> PollResult:
        self.errors += 1
        fs.failures += 1
        delay = min(self.max_backoff, self.backoff * 2 ** (fs.failures - 1))
        if retry_after is not None:
            delay = max(delay, retry_after)
        fs.next_poll = self.clock() + delay
        fs.last_error = reason
        self._save_state()
        result = PollResult(url, "error", error=reason, retry_in=delay, seconds=time.perf_counter() - started)
        logger.warning("%s", result.summary())
        return result

    def _save_state(self) -> None:
        """Save the state; a failure is logged and counted, never raised: what was stored stays
        stored, and the content-hash check keeps the next run from storing it twice."""
        try:
            self.state.save()
        except OSError as e:
            self.state_errors += 1
            logger.error("cannot save the watch state file %s: %s (stored articles are kept; the next run "
                         "reads their entries again but stores nothing twice)", self.state.path, e.strerror or e)

    def _fetch(self, url: str, fs: FeedState) -> _Fetched:
        """GET the feed within the deadline, following the redirects the address policy allows."""
        headers: dict[str, str] = {"Accept-Encoding": "gzip, deflate"}
        if fs.etag:
            headers["If-None-Match"] = fs.etag
        if fs.last_modified:
            headers["If-Modified-Since"] = fs.last_modified
        deadline = time.monotonic() + self.timeout
        watchdog = _Watchdog(deadline)
        origin: str | None = None
        current = url
        try:
            for _ in range(MAX_REDIRECTS + 1):
                timeouts = _Remaining(deadline, connect=min(self.timeout, 10.0))
                request = self.client.build_request("GET", current, headers=headers,
                                                    extensions={"timeout": timeouts, "trace": watchdog.trace})
                r = self.client.send(request, stream=True, follow_redirects=False)
                try:
                    if r.status_code in _REDIRECTS and "location" in r.headers:
                        target = str(r.url.join(r.headers["location"]))
                        if origin is None:
                            origin = _address_kind(url)
                        _check_redirect(url, origin, target)
                        current = target
                        continue
                    return self._answer(r, fs, deadline)
                finally:
                    r.close()
            raise _FetchFailed(f"too many redirects (more than {MAX_REDIRECTS})")
        except httpx.TimeoutException as e:
            raise _FetchFailed(f"timed out ({type(e).__name__}; the limit is {self.timeout:g}s)") from e
        except (httpx.HTTPError, httpx.InvalidURL) as e:
            if watchdog.fired:  # the connection was cut at the deadline
                raise _FetchFailed(f"timed out (ReadTimeout; the limit is {self.timeout:g}s)") from e
            raise _FetchFailed(f"{type(e).__name__}: {e}") from e
        finally:
            watchdog.cancel()

    def _answer(self, r: httpx.Response, fs: FeedState, deadline: float) -> _Fetched:
        if r.status_code == 304:
            return _Fetched(304, b"", fs.etag, fs.last_modified)
        if not 200 <= r.status_code < 300:
            raise _FetchFailed(
                f"HTTP {r.status_code} {r.reason_phrase}".rstrip(),
                _retry_after(r.headers.get("retry-after"), self.clock()),
            )
        declared = r.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_bytes:
            raise _FetchFailed(f"response too large ({int(declared):,} bytes; the limit is {self.max_bytes:,})")
        encodings = [e.strip().lower() for e in r.headers.get("content-encoding", "").split(",")]
        encodings = [e for e in encodings if e and e != "identity"]
        if len(encodings) > MAX_ENCODINGS:
            raise _FetchFailed(f"too many content encodings ({', '.join(encodings)})")
        raw_size = 0

        def raw() -> Iterator[bytes]:
            nonlocal raw_size
            for chunk in r.iter_raw():
                raw_size += len(chunk)
                if raw_size > self.max_bytes:
                    raise _FetchFailed(f"response too large (over {self.max_bytes:,} bytes sent)")
                if time.monotonic() > deadline:
                    raise httpx.ReadTimeout("the whole request took longer than the timeout")
                yield chunk

        stream: Iterator[bytes] = raw()
        for encoding in reversed(encodings):  # the last encoding applied is the first to undo
            stream = _inflate(stream, encoding)
        chunks: list[bytes] = []
        size = 0
        for chunk in stream:
            size += len(chunk)
            if size > self.max_bytes:
                raise _FetchFailed(f"response too large (over {self.max_bytes:,} bytes decompressed)")
            chunks.append(chunk)
        return _Fetched(r.status_code, b"".join(chunks), r.headers.get("etag"), r.headers.get("last-modified"))

    def _read(self, url: str, fs: FeedState, fetched: _Fetched) -> PollResult:
        entries = feed_entries(fetched.body, url, base_url=url)
        if isinstance(entries, InputError):
            raise _FetchFailed(entries.reason)
        seen = set(fs.seen)
        new = [e for e in entries if e.key not in seen]
        articles: list[Article] = []
        skipped = 0
        for entry in new:
            checked = entry.article
            if isinstance(checked, Article):
                checked = check_language(checked, self.languages)
            if isinstance(checked, InputError):
                self.report.skip(checked.item, checked.reason)
                skipped += 1
            else:
                articles.append(checked)
        stored = already = 0
        if articles:
            from .store import Store

            store_errors: list[StoreError] = []
            coded = 0

            def counted(items: Iterable[CodedArticle]) -> Iterator[CodedArticle]:
                nonlocal coded
                for item in items:
                    coded += 1
                    yield item

            with Store(self.db) as store:
                known = store.known_hashes(a.content_hash for a in articles)
                fresh = [a for a in articles if a.content_hash not in known]
                already = len(articles) - len(fresh)
                if fresh:
                    stored, dup = store.add_many(counted(self.pipeline.code(fresh, self.report)),
                                                 errors=store_errors)
                    already += dup
            if store_errors:
                self.report.skipped["not stored"] += len(store_errors)
            skipped += len(fresh) - coded + len(store_errors)  # coding errors are counted by the pipeline
        self.stored += stored
        fs.seen = (fs.seen + [e.key for e in new])[-max(MAX_SEEN, len(entries)):]
        return PollResult(url, "new", fetched.status, entries=len(entries), new=len(new), stored=stored,
                          already=already, skipped=skipped)


def watch(
    urls: Iterable[str],
    settings: Settings | None = None,
    *,
    once: bool = False,
    stop: threading.Event | None = None,
    on_poll: Callable[[PollResult], None] | None = None,
    **options: Any,
) -> Watcher:
    """Poll ``urls`` until ``stop`` is set (or once), coding and storing new entries; returns
    the (closed) Watcher with its counts and ``report``. ``options`` are ``Watcher``'s."""
    with Watcher(urls, settings=settings, **options) as w:
        w.run(once=once, stop=stop, on_poll=on_poll)
    return w
