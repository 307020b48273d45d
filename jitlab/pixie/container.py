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


def read_container(data: bytes) -> dict[str, bytes]:
    """Section name → payload, after checking magic, version, bounds and every checksum."""
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
    sections: dict[str, bytes] = {}
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
        payload = body[offset:offset + size]
        if hashlib.sha256(payload).digest() != section_digest:
            raise PixieFormatError(f"PIXIE section {name!r} checksum mismatch")
        sections[name] = payload
    return sections
