"""Read an input file with bounded time and memory (docs/CONTRACT.md, "Reading limits").

Every input idcgen reads — running configs, site models, pre-shared key files — goes
through `read_bytes`:

- only regular files are read. A FIFO, a character or block device (`/dev/zero`, a
  terminal), a socket or a directory is refused with the reason, without waiting: the
  file is opened with O_NONBLOCK, so opening a FIFO with no writer does not hang. The
  one exception is `-`, standard input, which the user asked for explicitly; it may be a
  pipe or a terminal.
- at most `limit` bytes are read: a larger file (or a stream that goes on) is refused
  rather than read whole. The default for configs and site models is 256 MiB
  (`DEFAULT_LIMIT`), overridable with the environment variable `IDCGEN_MAX_INPUT_BYTES`
  (bytes, or with a K/M/G suffix); key files have their own small limit (secrets.py).

Refusals raise `InputRefused`, an OSError, so callers that already turn OSError into
"cannot read: ..." report them the same way. Messages name the file and the reason,
never its content.
"""

from __future__ import annotations

import os
import stat
import sys

STDIN = "-"
DEFAULT_LIMIT = 256 * 1024 * 1024
LIMIT_ENV = "IDCGEN_MAX_INPUT_BYTES"
_SUFFIXES = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30}
_CHUNK = 1 << 20


class InputRefused(OSError):
    """A file idcgen will not read (not a regular file, or over the size limit)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


def input_limit() -> int:
    """The byte limit for configs and site models: `IDCGEN_MAX_INPUT_BYTES` or 256 MiB.

    A value that is not a positive number of bytes is refused (`InputRefused`) rather
    than silently replaced by the default.
    """
    raw = os.environ.get(LIMIT_ENV, "").strip()
    if not raw:
        return DEFAULT_LIMIT
    scale = _SUFFIXES.get(raw[-1:].upper(), 1)
    digits = raw[:-1] if scale != 1 else raw
    if not (digits.isascii() and digits.isdigit()) or len(digits) > 15 or int(digits) <= 0:
        raise InputRefused(f"{LIMIT_ENV}={raw!r} is not a size in bytes (e.g. 268435456 "
                           "or 256M)")
    return int(digits) * scale


def human_size(size: int) -> str:
    for unit, factor in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if size >= factor and size % factor == 0:
            return f"{size // factor} {unit}"
    return f"{size:,} bytes"


def _kind(mode: int) -> str | None:
    """What a non-regular file is, in words; None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISDIR(mode):
        return "a directory"
    return "not a regular file"


def _read_limited(fd: int, limit: int, what: str, hint: str) -> bytes:
    """Up to `limit` bytes from `fd`; InputRefused if there are more."""
    chunks: list[bytes] = []
    total = 0
    while True:
        chunk = os.read(fd, min(_CHUNK, limit + 1 - total))
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
        total += len(chunk)
        if total > limit:
            raise InputRefused(f"{what} is larger than {human_size(limit)} (the reading "
                               f"limit{hint}); not read")


def read_bytes(path: str, *, limit: int | None = None, what: str = "file") -> bytes:
    """The bytes of a regular file (or of standard input for `-`), at most `limit`.

    `limit` None is `input_limit()`. Raises OSError when the file cannot be read and
    `InputRefused` when idcgen will not read it.
    """
    hint = f"; set {LIMIT_ENV} to raise it" if limit is None else ""
    if limit is None:
        limit = input_limit()
    if path == STDIN:
        stream = getattr(sys.stdin, "buffer", None)
        if stream is None:  # replaced by a text stream (tests): bounded all the same
            text = sys.stdin.read(limit + 1)
            data = text.encode("utf-8")
            if len(text) > limit or len(data) > limit:
                raise InputRefused(f"standard input is larger than {human_size(limit)} "
                                   f"(the reading limit{hint}); not read")
            return data
        return _read_limited(stream.fileno(), limit, "standard input", hint) \
            if _has_fileno(stream) else _read_stream(stream, limit, hint)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(path, flags)
    try:
        kind = _kind(os.fstat(fd).st_mode)
        if kind is not None:
            raise InputRefused(f"{kind}, not a regular file; not read (give `-` to read "
                               "standard input)")
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        return _read_limited(fd, limit, what, hint)
    finally:
        os.close(fd)


def _has_fileno(stream: object) -> bool:
    try:
        stream.fileno()  # type: ignore[attr-defined]
    except (AttributeError, OSError, ValueError):
        return False
    return True


def _read_stream(stream: object, limit: int, hint: str) -> bytes:
    data: bytes = stream.read(limit + 1)  # type: ignore[attr-defined]
    if len(data) > limit:
        raise InputRefused(f"standard input is larger than {human_size(limit)} (the reading "
                           f"limit{hint}); not read")
    return data


def read_text(path: str, *, limit: int | None = None, what: str = "file") -> str:
    """`read_bytes` decoded as UTF-8 (strict: a site model is text); a BOM is dropped."""
    data = read_bytes(path, limit=limit, what=what)
    return data.decode("utf-8").removeprefix("\ufeff")
