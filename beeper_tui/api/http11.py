"""HTTP/1.1 on the wire, for :mod:`beeper_tui.api.plain_http`: a request's bytes, and an answer
read as it arrives — its head, then its body by ``Content-Length``, by chunks, or up to the
connection's end.

What Beeper Desktop (Node) and the simulator (uvicorn) send is plain HTTP/1.1, and this reads
exactly that, strictly: anything else the server sends is a :class:`RemoteProblem`, a header
that cannot go on the wire (a space in its name, a line break or a NUL in its value) is a
:class:`LocalProblem`, and every buffer has a bound (a head of at most 64 KiB, a chunk-size line
of at most 1 KiB). It does no I/O: the transport feeds it what it reads. It was written for
this one job instead of loading ``h11`` (0.4 MiB of every start, ``benchmarks/launch.py``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

#: Longest answer head (status line and headers) read before giving up.
MAX_HEAD = 64 * 1024
#: Longest chunk-size line (or trailer line) of a chunked body.
MAX_LINE = 1024

_TOKEN = re.compile(rb"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
#: A header value as RFC 9110 has it: visible characters with single spaces or tabs inside.
_VALUE = re.compile(rb"(?:[\x21-\x7e\x80-\xff](?:[ \t]*[\x21-\x7e\x80-\xff])*)?")
_TARGET = re.compile(rb"[\x21-\x7e]+")
_STATUS = re.compile(rb"HTTP/1\.([01]) ([0-9]{3})(?: ([\t\x20-\x7e\x80-\xff]*))?")
_HEX = re.compile(rb"[0-9A-Fa-f]{1,15}")
_DIGITS = re.compile(rb"[0-9]{1,15}")

Headers = list[tuple[bytes, bytes]]


class ProtocolProblem(Exception):
    """Something that is not HTTP/1.1."""


class RemoteProblem(ProtocolProblem):
    """The server sent something that is not HTTP/1.1 (or ended mid-answer)."""


class LocalProblem(ProtocolProblem):
    """The request cannot go on the wire as it is (its text never says the header's value)."""


@dataclass(frozen=True)
class Head:
    """An answer's status line and headers."""

    status: int
    reason: bytes
    headers: Headers


NEED_DATA = "need data"
"""Nothing more can be read from what arrived: read more from the connection."""
END = "end"
"""The answer's body is over."""
CLOSED = "closed"
"""The connection ended before a byte of an answer came (a kept-alive connection the server
closed): the request may be asked again on a new one."""


def request_bytes(method: str, target: bytes, headers: Headers, body: bytes) -> bytes:
    """The request as it goes on the wire; :class:`LocalProblem` for what cannot."""
    name = method.encode("ascii", "replace")
    if not _TOKEN.fullmatch(name) or not _TARGET.fullmatch(target):
        raise LocalProblem("a request method or path that HTTP cannot carry")
    lines = [name + b" " + target + b" HTTP/1.1"]
    for key, value in headers:
        if not _TOKEN.fullmatch(key):
            raise LocalProblem("a header name that HTTP cannot carry")
        if not _VALUE.fullmatch(value):
            raise LocalProblem(f"a value of header {key.decode()} that HTTP cannot carry")
        lines.append(key + b": " + value)
    if body and not any(key.lower() == b"content-length" for key, _ in headers):
        lines.append(b"Content-Length: " + str(len(body)).encode())
    return b"\r\n".join(lines) + b"\r\n\r\n" + body


class ResponseReader:
    """One answer, from the bytes the connection gives: :meth:`receive` what was read (``b""``
    once the connection ended), then take :meth:`next_event` until it says ``NEED_DATA``: a
    :class:`Head` (informational 1xx answers skipped), ``bytes`` of the body, ``END``, or
    ``CLOSED``."""

    def __init__(self, method: str, headers: Sequence[tuple[bytes, bytes]] = ()) -> None:
        """The request's ``method`` (a HEAD's answer has no body) and ``headers`` (with
        ``Connection: close`` the connection ends with the answer)."""
        self._no_body = method == "HEAD"
        self._close = b"close" in _tokens(_named(headers).get(b"connection", []))
        self._buffer = bytearray()
        self._ended = False  # the connection gave its last byte
        self._state = "head"
        self._left = 0  # bytes of the body (or of the current chunk) still to come
        self._keep_alive = False

    def receive(self, data: bytes) -> None:
        if data:
            self._buffer += data
        else:
            self._ended = True

    @property
    def reusable(self) -> bool:
        """The whole answer was read, nothing came after it, and neither side said close: the
        connection can carry the next request."""
        return self._state == "done" and self._keep_alive and not self._buffer

    def next_event(self) -> Head | bytes | str:
        while True:
            state = self._state
            if state == "head":
                head = self._head()
                if head != "skipped":
                    return head
            elif state in ("body", "chunk"):
                if self._left:
                    return self._counted()
                self._state = "done" if state == "body" else "chunk-end"
            elif state == "chunk-size":
                line = self._line()
                if line is None:
                    return NEED_DATA
                size = line.split(b";", 1)[0].strip(b" \t")
                if not _HEX.fullmatch(size):
                    raise RemoteProblem("a chunk of the answer has no size")
                self._left = int(size, 16)
                self._state = "chunk" if self._left else "trailers"
            elif state == "chunk-end":
                if len(self._buffer) < 2:
                    return self._more()
                if self._buffer[:2] != b"\r\n":
                    raise RemoteProblem("a chunk of the answer runs past its size")
                del self._buffer[:2]
                self._state = "chunk-size"
            elif state == "trailers":
                line = self._line()
                if line is None:
                    return NEED_DATA
                if not line:
                    self._state = "done"
            elif state == "until-close":
                if self._buffer:
                    data = bytes(self._buffer)
                    self._buffer.clear()
                    return data
                if not self._ended:
                    return NEED_DATA
                self._state = "done"
            else:
                return END

    # --- The parts of an answer -------------------------------------------------------------

    def _head(self) -> Head | str:
        """The answer's head once it is all there (``NEED_DATA``: not yet); ``"skipped"`` for
        an informational answer, ``CLOSED`` when the connection ended before any byte."""
        end = self._buffer.find(b"\r\n\r\n")
        if end < 0:
            if len(self._buffer) > MAX_HEAD:
                raise RemoteProblem("the answer's head is too long")
            if self._ended:
                if not self._buffer:
                    return CLOSED
                raise RemoteProblem("the connection closed in the middle of an answer's head")
            return NEED_DATA
        status_line, *lines = bytes(self._buffer[:end]).split(b"\r\n")
        del self._buffer[: end + 4]
        found = _STATUS.fullmatch(status_line)
        if found is None:
            raise RemoteProblem("the answer does not start with an HTTP/1.1 status line")
        minor, code, reason = found.groups()
        headers = [_header(line) for line in lines]
        status = int(code)
        if 100 <= status < 200:
            if status == 101:
                raise RemoteProblem("the server switched protocols, which was never asked")
            return "skipped"
        self._frame(status, headers, keep_alive=minor == b"1")
        return Head(status, reason or b"", headers)

    def _frame(self, status: int, headers: Headers, *, keep_alive: bool) -> None:
        """Where the body ends, from the status and the headers."""
        named = _named(headers)
        said_close = self._close or b"close" in _tokens(named.get(b"connection", []))
        self._keep_alive = keep_alive and not said_close
        encodings, lengths = named.get(b"transfer-encoding"), named.get(b"content-length")
        if self._no_body or status in (204, 304):
            self._state = "done"
        elif encodings is not None:
            if lengths is not None or _tokens(encodings) != [b"chunked"]:
                raise RemoteProblem("the answer's body is framed in a way HTTP/1.1 does not know")
            self._state = "chunk-size"
        elif lengths is not None:
            sizes = {part.strip(b" \t") for value in lengths for part in value.split(b",")}
            size = sizes.pop() if len(sizes) == 1 else b""
            if not _DIGITS.fullmatch(size):
                raise RemoteProblem("the answer's Content-Length is not one number")
            self._left = int(size)
            self._state = "body" if self._left else "done"
        else:
            self._state = "until-close"
            self._keep_alive = False

    def _counted(self) -> bytes | str:
        """Body bytes of a counted stretch (the body, or one chunk), as many as arrived."""
        if not self._buffer:
            return self._more()
        data = bytes(self._buffer[: self._left])
        del self._buffer[: len(data)]
        self._left -= len(data)
        return data

    def _line(self) -> bytes | None:
        """A line of a chunked body (its CRLF taken off), or None until it is all there."""
        end = self._buffer.find(b"\r\n")
        if end < 0:
            if len(self._buffer) > MAX_LINE:
                raise RemoteProblem("a line of the answer's chunked body is too long")
            self._more()
            return None
        line = bytes(self._buffer[:end])
        del self._buffer[: end + 2]
        return line

    def _more(self) -> str:
        if self._ended:
            raise RemoteProblem("the server closed the connection mid-body")
        return NEED_DATA


def _header(line: bytes) -> tuple[bytes, bytes]:
    name, colon, value = line.partition(b":")
    value = value.strip(b" \t")
    if not colon or not _TOKEN.fullmatch(name) or not _VALUE.fullmatch(value):
        raise RemoteProblem("the answer has a header line that is not one")
    return name, value


def _named(headers: Sequence[tuple[bytes, bytes]]) -> dict[bytes, list[bytes]]:
    named: dict[bytes, list[bytes]] = {}
    for name, value in headers:
        named.setdefault(name.lower(), []).append(value)
    return named


def _tokens(values: list[bytes]) -> list[bytes]:
    """The comma-separated tokens of a header's values, in lower case."""
    return [part.strip(b" \t").lower() for value in values for part in value.split(b",")]
