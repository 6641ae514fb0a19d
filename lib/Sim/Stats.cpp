//===- Stats.cpp - JSON forms of simulation stats and traces ----*- C++ -*-===//
//
// stats.json (the keys of DESIGN.md section 7, which tools and tests rely
// on) and Chrome trace-event JSON for Perfetto / chrome://tracing.
//
//===----------------------------------------------------------------------===//

#include "butterfly/Sim/Simulator.h"

using namespace butterfly;
using namespace butterfly::sim;
namespace json = llvm::json;

json::Value sim::statsToJson(const SimStats &stats) {
  const EnergyBreakdown &e = stats.energyPj;
  const Roofline &r = stats.roofline;
  json::Array phases;
  for (const PhaseStats &p : stats.phases)
    phases.push_back(json::Object{{"name", p.name},
                                  {"cycles", p.cycles},
                                  {"config_cycles", p.configCycles},
                                  {"config_bytes", p.configBytes},
                                  {"flops", p.flops},
                                  {"utilization", p.utilization}});
  return json::Object{
      {"cycles", stats.cycles},
      {"seconds", stats.seconds},
      {"clock_hz", stats.clockHz},
      {"flops", stats.flops},
      {"peak_flops_per_cycle", stats.peakFlopsPerCycle},
      {"pe_utilization", stats.peUtilization},
      {"dram_bytes", stats.dramBytes},
      {"gb_bytes", stats.gbBytes},
      {"noc_flit_hops", stats.nocFlitHops},
      {"energy_pj", json::Object{{"total", e.total},
                                 {"fp_ops", e.fpOps},
                                 {"local_mem", e.localMem},
                                 {"global_buffer", e.globalBuffer},
                                 {"noc", e.noc},
                                 {"dram", e.dram},
                                 {"leakage", e.leakage},
                                 {"config", e.config}}},
      {"phases", std::move(phases)},
      {"roofline",
       json::Object{{"flops", r.flops},
                    {"input_bytes", r.inputBytes},
                    {"constant_bytes", r.constantBytes},
                    {"output_bytes", r.outputBytes},
                    {"compulsory_dram_bytes", r.compulsoryDramBytes},
                    {"peak_flops_per_cycle", r.peakFlopsPerCycle},
                    {"dram_bytes_per_cycle", r.dramBytesPerCycle},
                    {"compute_bound_cycles", r.computeBoundCycles},
                    {"dram_bound_cycles", r.dramBoundCycles},
                    {"bound_cycles", r.boundCycles},
                    {"bound", boundName(r.bound)},
                    {"cycles_over_bound", r.cyclesOverBound}}}};
}

json::Value sim::traceToJson(const SimResult &result) {
  json::Array events;
  static const char *processNames[3] = {"phases", "PEs", "DMAs"};
  for (int pid = 0; pid < 3; ++pid)
    events.push_back(
        json::Object{{"name", "process_name"},
                     {"ph", "M"},
                     {"pid", pid},
                     {"tid", 0},
                     {"args", json::Object{{"name", processNames[pid]}}}});
  for (const auto &[pid, tid, name] : result.traceThreads)
    events.push_back(json::Object{{"name", "thread_name"},
                                  {"ph", "M"},
                                  {"pid", pid},
                                  {"tid", tid},
                                  {"args", json::Object{{"name", name}}}});
  for (const TraceEvent &e : result.trace)
    events.push_back(json::Object{{"name", e.name},
                                  {"cat", e.category},
                                  {"ph", "X"},
                                  {"pid", e.pid},
                                  {"tid", e.tid},
                                  {"ts", e.start},
                                  {"dur", e.duration}});
  return json::Object{
      {"traceEvents", std::move(events)},
      {"displayTimeUnit", "ns"},
      {"otherData", json::Object{{"time_unit", "1 us = 1 cycle"}}}};
}
