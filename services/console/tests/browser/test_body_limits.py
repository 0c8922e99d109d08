"""Against the real console process (uvicorn): a body larger than its route takes is refused from its
declared length, before it is sent, let alone read, with a page a person can read."""

from __future__ import annotations

import socket
from urllib.parse import urlsplit

from console.config import Settings


def _refused_before_the_body(url: str, path: str, declared: int) -> bytes:
    """Sends only the request's head and the first KiB of a body of `declared` bytes; the answer."""
    where = urlsplit(url)
    with socket.create_connection((where.hostname, where.port), timeout=20) as sock:
        head = (
            f"POST {path} HTTP/1.1\r\nHost: {where.netloc}\r\n"
            "Content-Type: multipart/form-data; boundary=lw\r\n"
            f"Content-Length: {declared}\r\n\r\n"
        )
        sock.sendall(head.encode() + b"--lw\r\n" + b"x" * 1024)
        answer = b""
        while chunk := sock.recv(65536):  # the server closes the connection after its answer
            answer += chunk
    return answer


def test_an_upload_over_the_limit_is_refused_before_it_is_sent(platform):
    limit = Settings().max_upload_bytes
    answer = _refused_before_the_body(platform.console, "/uploads", limit * 2)
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 413") and b"content-type: text/html" in head.lower()
    assert b"The file is too large" in body and b"larger than 50 MB" in body


def test_any_other_post_over_a_few_kib_is_refused_before_it_is_sent(platform):
    answer = _refused_before_the_body(platform.console, "/sign-in", 1024 * 1024)
    assert answer.startswith(b"HTTP/1.1 413") and b"That request was too large" in answer


def test_a_chunked_form_is_refused_once_past_the_limit_with_a_page(platform):
    """No declared length (Transfer-Encoding: chunked): counted as it arrives, refused once past the
    form limit with the same page, not a 400 from the form parser."""
    where = urlsplit(platform.console)
    chunk = b"x" * 8192
    with socket.create_connection((where.hostname, where.port), timeout=20) as sock:
        head = (
            f"POST /sign-in HTTP/1.1\r\nHost: {where.netloc}\r\n"
            "Content-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n"
        )
        sock.sendall(head.encode() + b"%x\r\nrole=" % (len(chunk) + 5) + chunk + b"\r\n")
        try:
            for _ in range(16):  # 128 KiB more, twice the form limit, unless the server has answered
                sock.sendall(b"%x\r\n" % len(chunk) + chunk + b"\r\n")
        except (BrokenPipeError, ConnectionResetError):
            pass  # it answered and closed before the rest was sent
        answer = _one_answer(sock)
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    assert b"That request was too large" in answer


def _one_answer(sock: socket.socket) -> bytes:
    """The first answer on the connection: its head and as much body as it declares (or until closed)."""
    answer = b""
    while b"\r\n\r\n" not in answer and (data := sock.recv(65536)):
        answer += data
    head, _, body = answer.partition(b"\r\n\r\n")
    length = next(
        (int(line.split(b":")[1]) for line in head.lower().split(b"\r\n") if line.startswith(b"content-length:")), None
    )
    while (length is None or len(body) < length) and (data := sock.recv(65536)):
        body += data
    return head + b"\r\n\r\n" + body
