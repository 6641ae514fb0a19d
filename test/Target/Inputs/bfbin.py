"""Edits a .bfbin bitstream for the bad-bitstream tests.

    bfbin.py IN OUT EDIT...

Each EDIT is applied in order to the bytes of IN; the result is written to
OUT. An offset is a number, `end-N` (N bytes before the end of the file) or
`SECTION+N` (N bytes into that section, found through the section table:
arch, program, buffers, constants, signature, phases). Numbers may be hex.

    truncate:OFF      keep the bytes before OFF
    append:N          append N zero bytes
    xor:OFF:MASK      flip the bits of MASK in the byte at OFF
    u8:OFF:V          write V at OFF as a little-endian u8/u16/u32/u64
    u16:OFF:V  u32:OFF:V  u64:OFF:V
    crc               recompute the trailing CRC-32 (zlib.crc32 is the
                      CRC-32 that llvm::crc32 computes) over everything
                      before the last 4 bytes

docs/bitstream.md and lib/Bitstream/Codec.cpp define the layout: magic at 0,
version u16 at 8, flags u16 at 10, section count u32 at 12, arch fingerprint
u64 at 16, file size u64 at 24, then six 20-byte table entries (kind u32,
offset u64, size u64) at 32, the sections, and the CRC-32 (u32) at the end.
"""

import struct
import sys
import zlib

SECTIONS = ["arch", "program", "buffers", "constants", "signature", "phases"]


def offset(data, text):
    if text.startswith("end-"):
        return len(data) - int(text[4:], 0)
    if "+" in text:
        name, delta = text.split("+", 1)
        index = SECTIONS.index(name)
        (start,) = struct.unpack_from("<Q", data, 32 + 20 * index + 4)
        return start + int(delta, 0)
    return int(text, 0)


def main():
    source, target, *edits = sys.argv[1:]
    with open(source, "rb") as f:
        data = bytearray(f.read())
    for edit in edits:
        op, *args = edit.split(":")
        if op == "truncate":
            del data[offset(data, args[0]):]
        elif op == "append":
            data += bytes(int(args[0], 0))
        elif op == "xor":
            data[offset(data, args[0])] ^= int(args[1], 0)
        elif op in ("u8", "u16", "u32", "u64"):
            fmt = {"u8": "<B", "u16": "<H", "u32": "<I", "u64": "<Q"}[op]
            struct.pack_into(fmt, data, offset(data, args[0]), int(args[1], 0))
        elif op == "crc":
            struct.pack_into("<I", data, len(data) - 4,
                             zlib.crc32(bytes(data[:-4])) & 0xFFFFFFFF)
        else:
            sys.exit("unknown edit " + edit)
    with open(target, "wb") as f:
        f.write(data)


if __name__ == "__main__":
    main()
