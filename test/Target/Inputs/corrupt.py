"""Decodes damaged copies of a valid bitstream and checks each error.

    corrupt.py TRANSLATE GOOD.bfbin WORKDIR

TRANSLATE is butterfly-translate. Two families of damaged files are written
to WORKDIR and decoded with --bitstream-to-dfa:

- prefixes of GOOD: every one is reported as truncated (docs/bitstream.md:
  the size is checked before the CRC, so a cut-off file is never called
  corrupted), with the message that depends on how much of the header is
  left;
- GOOD with one bit flipped: in the magic a bad magic, in the version an
  unsupported version, in the declared file size a truncation or trailing
  bytes, anywhere else (the CRC included) a CRC mismatch.

Each decode must exit with status 1 (an error, not a crash) with exactly one
error line, the expected message, and no output file. Prints one line per
failing case and a summary.
"""

import os
import re
import struct
import subprocess
import sys


def main():
    translate, good_path, workdir = sys.argv[1:]
    with open(good_path, "rb") as f:
        good = f.read()
    size = len(good)
    name = "damaged.bfbin"
    path = os.path.join(workdir, name)
    out = os.path.join(workdir, "damaged.mlir")

    bounds = set()
    for i in range(6):
        _, start, length = struct.unpack_from("<IQQ", good, 32 + 20 * i)
        bounds |= {start - 1, start, start + 1, start + length // 2}
    prefixes = sorted({0, 1, 5, 7, 8, 9, 10, 11, 20, 31, 32, 35, 36, 37, 100,
                       size - 5, size - 4, size - 1} | bounds)
    prefixes = [n for n in prefixes if 0 <= n < size]
    flips = sorted({0, 3, 7, 8, 9, 10, 12, 16, 23, 24, 31, 32, 100,
                    size - 5, size - 4, size - 1} | bounds)
    flips = [i for i in flips if 0 <= i < size]

    cases = []
    for n in prefixes:
        if n < 10:
            want = f"truncated: {n} bytes, shorter than the 32-byte header"
        elif n < 36:
            want = (f"truncated: {n} bytes, shorter than the 32-byte header "
                    "and the 4-byte CRC")
        else:
            want = f"truncated: the header declares {size} bytes but the file has {n}"
        cases.append((f"prefix {n}", good[:n], re.escape(want)))
    for i in flips:
        data = bytearray(good)
        data[i] ^= 0x01
        if i < 8:
            want = re.escape("bad magic (expected BFLYBIN)")
        elif i < 10:
            version = struct.unpack_from("<H", data, 8)[0]
            want = re.escape(f"unsupported format version {version} "
                             "(this reader supports 1)")
        elif 24 <= i < 32:
            declared = struct.unpack_from("<Q", data, 24)[0]
            if declared > size:
                want = re.escape(f"truncated: the header declares {declared} "
                                 f"bytes but the file has {size}")
            else:
                want = re.escape(f"{size - declared} trailing bytes after the "
                                 f"end of the bitstream at offset {declared} "
                                 f"(the header declares {declared} bytes)")
        else:
            want = (r"CRC mismatch: stored 0x[0-9a-f]{8}, computed "
                    r"0x[0-9a-f]{8} \(the file is corrupted\)")
        cases.append((f"bit 0 of byte {i} flipped", bytes(data), want))

    failures = 0
    for label, data, want in cases:
        with open(path, "wb") as f:
            f.write(data)
        if os.path.exists(out):
            os.remove(out)
        run = subprocess.run([translate, "--bitstream-to-dfa", path, "-o", out],
                             capture_output=True, text=True)
        lines = run.stderr.splitlines()
        pattern = f"^.*{re.escape(name)}:0:0: error: .*{re.escape(name)}: {want}$"
        problems = []
        if run.returncode != 1:
            problems.append(f"exit status {run.returncode}")
        if len(lines) != 1 or not re.match(pattern, lines[0]):
            problems.append(f"stderr {run.stderr!r}, expected /{want}/")
        if os.path.exists(out):
            problems.append("left an output file")
        if problems:
            failures += 1
            print(f"FAIL {label}: " + "; ".join(problems))
    print(f"{len(cases) - failures} of {len(cases)} damaged bitstreams "
          "rejected as expected")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
