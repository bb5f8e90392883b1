"""HTTP/1.1 framing (``api/http11.py``), byte by byte: what an answer is read as, when a
connection may carry the next request, and what is refused on either side. The transport
around it is tested over real sockets in tests/test_plain_http.py."""

from __future__ import annotations

import pytest

from beeper_tui.api.http11 import (
    CLOSED,
    END,
    MAX_HEAD,
    NEED_DATA,
    Head,
    LocalProblem,
    RemoteProblem,
    ResponseReader,
    request_bytes,
)


def read(wire: bytes, method: str = "GET", *, step: int = 1, ended: bool = False,
         close: bool = False) -> tuple[list[Head | bytes | str], ResponseReader]:  # fmt: skip
    """Every event of an answer fed ``step`` bytes at a time (then the connection's end, with
    ``ended``), the body's bytes joined."""
    reader = ResponseReader(method, [(b"Connection", b"close")] if close else [])
    events: list[Head | bytes | str] = []

    def drain() -> None:
        while (event := reader.next_event()) is not NEED_DATA:
            if isinstance(event, bytes) and events and isinstance(events[-1], bytes):
                events[-1] += event
            else:
                events.append(event)
            if event in (END, CLOSED):
                return

    for at in range(0, len(wire), step):
        reader.receive(wire[at : at + step])
        drain()
    if ended:
        reader.receive(b"")
        drain()
    return events, reader


@pytest.mark.parametrize("step", [1, 7, 10_000])
def test_a_counted_answer_is_its_head_its_body_and_its_end(step: int) -> None:
    wire = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 11\r\n\r\n"
    events, reader = read(wire + b'{"ok":true}', step=step)
    assert events == [
        Head(200, b"OK", [(b"Content-Type", b"application/json"), (b"Content-Length", b"11")]),
        b'{"ok":true}',
        END,
    ]
    assert reader.reusable


@pytest.mark.parametrize("step", [1, 5, 10_000])
def test_a_chunked_answer_is_joined_with_extensions_and_trailers_dropped(step: int) -> None:
    wire = (
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
        b"4;name=value\r\nWiki\r\nA\r\n in chunks\r\n0\r\nX-Trailer: yes\r\n\r\n"
    )
    events, reader = read(wire, step=step)
    assert events[1:] == [b"Wiki in chunks", END]
    assert reader.reusable


def test_informational_answers_are_skipped() -> None:
    events, _ = read(b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n")
    assert events == [Head(204, b"No Content", []), END]


@pytest.mark.parametrize(
    ("wire", "method"),
    [
        (b"HTTP/1.1 304 Not Modified\r\nContent-Length: 99\r\n\r\n", "GET"),
        (b"HTTP/1.1 200 OK\r\nContent-Length: 99\r\n\r\n", "HEAD"),
        (b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", "GET"),
    ],
    ids=["304", "HEAD", "empty"],
)
def test_answers_without_a_body_end_at_their_head(wire: bytes, method: str) -> None:
    events, reader = read(wire, method)
    assert events[1:] == [END] and reader.reusable


def test_a_body_without_a_length_runs_to_the_connections_end_and_ends_it() -> None:
    events, reader = read(b"HTTP/1.1 200 OK\r\n\r\nall of it", ended=True)
    assert events[1:] == [b"all of it", END]
    assert not reader.reusable


@pytest.mark.parametrize(
    ("wire", "close"),
    [
        (b"HTTP/1.1 200 OK\r\nConnection: keep-alive, Close\r\nContent-Length: 0\r\n\r\n", False),
        (b"HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n", False),
        (b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", True),
        (b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\nHTTP/1.1 200 OK\r\n", False),
    ],
    ids=["server-said-close", "http-1.0", "request-said-close", "bytes-after-the-answer"],
)
def test_a_connection_that_cannot_carry_more_is_not_reused(wire: bytes, close: bool) -> None:
    events, reader = read(wire, close=close)
    assert events[-1] is END and not reader.reusable


def test_a_connection_that_ends_before_any_answer_says_so() -> None:
    assert read(b"", ended=True)[0] == [CLOSED]


@pytest.mark.parametrize(
    "wire",
    [
        b"SPDY/9 twelve\r\n\r\n",
        b"HTTP/2 200\r\n\r\n",
        b"HTTP/1.1 20 OK\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nno colon here\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nBad Name: x\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nX-A: 1\r\n folded\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nX-A: nul\x00here\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nContent-Length: 3, 4\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n",
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + b"1" * 2000,
        b"HTTP/1.1 101 Switching Protocols\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nX-Long: " + b"x" * MAX_HEAD,
    ],
)
def test_what_is_not_http_1_1_is_refused(wire: bytes) -> None:
    with pytest.raises(RemoteProblem):
        read(wire, step=1000)


@pytest.mark.parametrize(
    "wire",
    [
        b"HTTP/1.1 200 OK\r\nContent-Le",
        b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhalf",
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab",
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nab\r\n",
    ],
    ids=["mid-head", "mid-body", "mid-chunk", "before-the-last-chunk"],
)
def test_an_answer_cut_short_is_refused(wire: bytes) -> None:
    with pytest.raises(RemoteProblem):
        read(wire, ended=True)


def test_a_request_goes_out_with_its_length() -> None:
    headers = [(b"Host", b"127.0.0.1:23373"), (b"Authorization", b"Bearer a  b")]
    assert request_bytes("POST", b"/v1/x?y=1", headers, b"{}") == (
        b"POST /v1/x?y=1 HTTP/1.1\r\nHost: 127.0.0.1:23373\r\nAuthorization: Bearer a  b\r\n"
        b"Content-Length: 2\r\n\r\n{}"
    )


@pytest.mark.parametrize(
    ("method", "target", "header"),
    [
        ("GET", b"/", (b"Bad Name", b"x")),
        ("GET", b"/", (b"X-Note", b"line\nbreak")),
        ("GET", b"/", (b"X-Secret", b"tok\x00secret")),
        ("GET", b"/", (b"X-Space", b" leading")),
        ("GET", b"/a b", (b"X", b"y")),
        ("GE T", b"/", (b"X", b"y")),
        ("GÉT", b"/", (b"X", b"y")),
    ],
)
def test_what_http_cannot_carry_is_never_sent(
    method: str, target: bytes, header: tuple[bytes, bytes]
) -> None:
    with pytest.raises(LocalProblem) as caught:
        request_bytes(method, target, [header], b"")
    assert b"secret" not in str(caught.value).encode()
