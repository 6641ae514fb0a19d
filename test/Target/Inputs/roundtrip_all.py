#!/usr/bin/env python3
"""roundtrip_all.py TRANSLATE WORKDIR DIR...: for every dfa.program in the
.mlir files under DIR (split at '// -----' and '//--- name' markers), encode,
decode, re-encode and compare the two bitstreams byte for byte. Programs that
do not encode (the invalid-input tests) are skipped."""

import os
import re
import subprocess
import sys


def chunks(text):
    for part in re.split(r"^// -----$|^//--- .*$", text, flags=re.M):
        if "dfa.program" in part:
            yield part


def main():
    translate, work = sys.argv[1], sys.argv[2]
    same = differ = 0
    for root in sys.argv[3:]:
        for name in sorted(os.listdir(root)):
            if not name.endswith(".mlir"):
                continue
            with open(os.path.join(root, name)) as f:
                text = f.read()
            for index, part in enumerate(chunks(text)):
                base = os.path.join(work, f"{name}.{index}")
                with open(base + ".mlir", "w") as f:
                    f.write(part)
                first = subprocess.run([translate, "--dfa-to-bitstream",
                                        base + ".mlir", "-o", base + ".1.bfbin"],
                                       capture_output=True)
                if first.returncode != 0:
                    continue  # an invalid program, tested elsewhere
                steps = [[translate, "--bitstream-to-dfa", base + ".1.bfbin",
                          "-o", base + ".2.mlir"],
                         [translate, "--dfa-to-bitstream", base + ".2.mlir",
                          "-o", base + ".2.bfbin"]]
                ok = all(subprocess.run(s, capture_output=True).returncode == 0
                         for s in steps)
                if ok:
                    with open(base + ".1.bfbin", "rb") as a, \
                            open(base + ".2.bfbin", "rb") as b:
                        ok = a.read() == b.read()
                if ok:
                    same += 1
                else:
                    differ += 1
                    print(f"differs: {name} program {index}")
    print(f"roundtrip: {same} programs byte-identical, {differ} differ")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
