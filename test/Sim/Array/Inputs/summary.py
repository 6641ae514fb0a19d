"""Prints the cycle figures of a butterfly-sim run, one line per item, for
FileCheck.

    summary.py STATS.json [TRACE.json]

From the stats (docs/simulator.md):

    total cycles=C flops=F noc_flit_hops=H dram_bytes=D
    phase NAME config_bytes=B config_cycles=K cycles=E flops=F

and, with the trace, after each phase line one line per PE that executed an
instruction in it, with the cycle it finished (relative to the phase's
execution start: the end of its last instruction span) and the number of
instructions it issued:

    pe NAME PE(r,c) finish=T instructions=N

The simulator writes one cycle as one microsecond of trace time.
"""

import json
import sys


def main():
    stats = json.load(open(sys.argv[1]))
    trace = json.load(open(sys.argv[2])) if len(sys.argv) > 2 else None
    print("total cycles=%d flops=%d noc_flit_hops=%d dram_bytes=%d" %
          (stats["cycles"], stats["flops"], stats["noc_flit_hops"],
           stats["dram_bytes"]))
    spans, threads = [], {}
    if trace:
        for e in trace["traceEvents"]:
            if e["ph"] == "M" and e["name"] == "thread_name" and e["pid"] == 1:
                threads[e["tid"]] = e["args"]["name"]
            elif e["ph"] == "X":
                spans.append(e)
    phase_spans = [e for e in spans if e["cat"] == "phase"]
    for i, ph in enumerate(stats["phases"]):
        print("phase %s config_bytes=%d config_cycles=%d cycles=%d flops=%d" %
              (ph["name"], ph["config_bytes"], ph["config_cycles"],
               ph["cycles"], ph["flops"]))
        if not trace:
            continue
        span = phase_spans[i]
        assert span["dur"] == ph["cycles"], (span, ph)
        start, end = span["ts"], span["ts"] + span["dur"]
        finish, count = {}, {}
        for e in spans:
            if e["cat"] == "pe" and start <= e["ts"] < end:
                t = e["ts"] + e["dur"] - start
                finish[e["tid"]] = max(finish.get(e["tid"], 0), t)
                count[e["tid"]] = count.get(e["tid"], 0) + 1
        for tid in sorted(finish):
            print("pe %s %s finish=%d instructions=%d" %
                  (ph["name"], threads[tid], finish[tid], count[tid]))


if __name__ == "__main__":
    main()
