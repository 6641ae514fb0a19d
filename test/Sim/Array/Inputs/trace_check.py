"""Checks and prints a butterfly-sim trace for FileCheck.

    trace_check.py TRACE.json STATS.json

Loads the trace (it must be JSON with a traceEvents list), prints the
metadata (process and thread names) and every complete ("X") span as

    X CAT [THREAD] "NAME" ts=T dur=D

sorted by category (config/phase first, then pe, then dma) and start, and
checks that the spans agree with the stats: one configuration and one
execution span per phase, with the stats' cycles, back to back from 0 to the
total; every PE span inside its phase's execution span.
"""

import json
import sys


def main():
    trace = json.load(open(sys.argv[1]))
    stats = json.load(open(sys.argv[2]))
    events = trace["traceEvents"]
    assert isinstance(events, list) and events
    print("traceEvents: %d events" % len(events))
    threads = {}
    for e in events:
        if e["ph"] != "M":
            continue
        if e["name"] == "process_name":
            print("process %d = %s" % (e["pid"], e["args"]["name"]))
        elif e["name"] == "thread_name":
            threads[(e["pid"], e["tid"])] = e["args"]["name"]
            print("thread %d/%d = %s" % (e["pid"], e["tid"], e["args"]["name"]))
    spans = [e for e in events if e["ph"] == "X"]
    order = {"config": 0, "phase": 0, "pe": 1, "dma": 2}
    spans.sort(key=lambda e: (order[e["cat"]], e["pid"], e["tid"] if e["cat"] == "pe" else 0, e["ts"]))
    for e in spans:
        who = " " + threads[(1, e["tid"])] if e["cat"] == "pe" else ""
        print('X %s%s "%s" ts=%d dur=%d' % (e["cat"], who, e["name"], e["ts"],
                                            e["dur"]))

    ok = True
    configs = [e for e in spans if e["cat"] == "config"]
    phases = [e for e in spans if e["cat"] == "phase"]
    ok &= len(configs) == len(phases) == len(stats["phases"])
    t = 0
    for c, p, s in zip(configs, phases, stats["phases"]):
        ok &= c["ts"] == t and c["dur"] == s["config_cycles"]
        ok &= p["ts"] == t + c["dur"] and p["dur"] == s["cycles"]
        ok &= p["name"] == s["name"] and c["name"] == "configure " + s["name"]
        for e in spans:
            if e["cat"] == "pe" and p["ts"] <= e["ts"] < p["ts"] + p["dur"]:
                ok &= e["ts"] + e["dur"] <= p["ts"] + p["dur"]
        t = p["ts"] + p["dur"]
    ok &= t == stats["cycles"]
    ok &= any(e["cat"] == "pe" for e in spans)
    print("spans agree with the stats: %s" % ok)


if __name__ == "__main__":
    main()
