"""The PIXIE container: a header, a section table with per-section SHA-256, payloads, a trailing SHA-256.

The byte layout is specified in docs/pixie.md.  `write_container` and `read_container` are exact
inverses; the reader checks everything a truncated, bit-flipped or foreign file could break and
raises `PixieFormatError` instead of returning a partial result.
"""
from __future__ import annotations

import hashlib
import struct

from jitlab.errors import JitlabError

MAGIC = b"PIXIE\x00\r\n"
VERSION = 1
_DIGEST = 32
_HEAD = struct.Struct("<8sII")
_ENTRY_TAIL = struct.Struct("<QQ32s")


class PixieFormatError(JitlabError):
    """A file that is not a well-formed PIXIE container (wrong magic, truncated, checksum mismatch)."""


def write_container(sections: dict[str, bytes]) -> bytes:
    """The container bytes holding `sections` (name → payload) in the given order."""
    names = [name.encode("utf-8") for name in sections]
    table_size = sum(2 + len(n) + _ENTRY_TAIL.size for n in names)
    offset = _HEAD.size + table_size
    table = bytearray()
    for name, payload in zip(names, sections.values()):
        table += struct.pack("<H", len(name)) + name
        table += _ENTRY_TAIL.pack(offset, len(payload), hashlib.sha256(payload).digest())
        offset += len(payload)
    body = _HEAD.pack(MAGIC, VERSION, len(names)) + bytes(table) + b"".join(sections.values())
    return body + hashlib.sha256(body).digest()


def section_spans(data: bytes) -> dict[str, tuple[int, int]]:
    """Section name → (offset, length) in `data`, after checking magic, version, bounds and every
    checksum (`PixieFormatError` otherwise)."""
    if len(data) < _HEAD.size + _DIGEST:
        raise PixieFormatError(f"not a PIXIE container: {len(data)} bytes is too short")
    magic, version, count = _HEAD.unpack_from(data, 0)
    if magic != MAGIC:
        raise PixieFormatError("not a PIXIE container: bad magic")
    body, digest = data[:-_DIGEST], data[-_DIGEST:]
    if hashlib.sha256(body).digest() != digest:
        raise PixieFormatError("PIXIE container checksum mismatch (truncated or corrupt)")
    if version != VERSION:
        raise PixieFormatError(f"PIXIE format version {version} is not supported (this reader: {VERSION})")
    spans: dict[str, tuple[int, int]] = {}
    pos = _HEAD.size
    for _ in range(count):
        if pos + 2 > len(body):
            raise PixieFormatError("PIXIE section table runs past the end of the file")
        (length,) = struct.unpack_from("<H", body, pos)
        name = body[pos + 2:pos + 2 + length].decode("utf-8", errors="replace")
        pos += 2 + length
        if pos + _ENTRY_TAIL.size > len(body):
            raise PixieFormatError("PIXIE section table runs past the end of the file")
        offset, size, section_digest = _ENTRY_TAIL.unpack_from(body, pos)
        pos += _ENTRY_TAIL.size
        if offset + size > len(body):
            raise PixieFormatError(f"PIXIE section {name!r} lies outside the file")
        if hashlib.sha256(body[offset:offset + size]).digest() != section_digest:
            raise PixieFormatError(f"PIXIE section {name!r} checksum mismatch")
        spans[name] = (offset, size)
    return spans


def read_container(data: bytes) -> dict[str, bytes]:
    """Section name → payload, after checking magic, version, bounds and every checksum."""
    return {name: data[offset:offset + size] for name, (offset, size) in section_spans(data).items()}


def container_length(data: bytes, start: int = 0) -> int | None:
    """The length of a container starting at `data[start:]` as its table says (None if the
    table does not fit): the end of the last section plus the trailing checksum."""
    try:
        _, _, count = _HEAD.unpack_from(data, start)
        pos, end = start + _HEAD.size, start + _HEAD.size
        for _ in range(count):
            (length,) = struct.unpack_from("<H", data, pos)
            offset, size, _ = _ENTRY_TAIL.unpack_from(data, pos + 2 + length)
            pos += 2 + length + _ENTRY_TAIL.size
            end = max(end, pos, start + offset + size)
    except struct.error:
        return None
    return end - start + _DIGEST


def find_container(blob: bytes) -> bytes:
    """The first well-formed container embedded in `blob` (a PIXIE shared library, or a container
    file itself); `PixieFormatError` when there is none."""
    start = blob.find(MAGIC)
    while start >= 0:
        length = container_length(blob, start)
        if length is not None:
            candidate = blob[start:start + length]
            try:
                section_spans(candidate)
                return candidate
            except PixieFormatError:
                pass
        start = blob.find(MAGIC, start + 1)
    raise PixieFormatError("no PIXIE container found in the file")
