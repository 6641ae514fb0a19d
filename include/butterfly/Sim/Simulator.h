//===- Simulator.h - Cycle-level simulator of the array ---------*- C++ -*-===//
//
// Executes a bitstream Program on an arch, cycle by cycle, computing real
// fp32 values: dataflow firing of PE instructions, FIFO back-pressure, route
// latency, local-memory and global-buffer banks, DMA and DRAM bandwidth and
// latency, phase reconfiguration and energy. Idle stretches are skipped
// event-driven with the same timing as stepping every cycle. The timing
// rules are those of docs/architecture.md; the stats keys those of
// docs/simulator.md and DESIGN.md section 7.
//
//===----------------------------------------------------------------------===//

#ifndef BUTTERFLY_SIM_SIMULATOR_H
#define BUTTERFLY_SIM_SIMULATOR_H

#include "butterfly/Arch/Arch.h"
#include "butterfly/Bitstream/Program.h"
#include "butterfly/Support/Tensor.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/JSON.h"

#include <cstdint>
#include <string>
#include <vector>

namespace butterfly::sim {

struct SimOptions {
  /// Record Chrome trace events (per-PE instruction spans, DMA and phase
  /// spans) in SimResult::trace.
  bool trace = false;
  /// A phase that runs longer than this is stopped with an error (a guard
  /// against runaway loops; deadlocks are detected exactly).
  int64_t maxCyclesPerPhase = int64_t(1) << 40;
  /// Copy every PE's local memory at the end into SimResult::localMemory
  /// (for tests and debugging).
  bool captureLocalMemory = false;
};

/// Energy in picojoules, by action (arch::EnergyTable).
struct EnergyBreakdown {
  double total = 0;
  double fpOps = 0;        ///< datapath lane-operations
  double localMem = 0;     ///< local-memory word accesses
  double globalBuffer = 0; ///< global-buffer flit accesses
  double noc = 0;          ///< flit-hops
  double dram = 0;         ///< DRAM bytes
  double leakage = 0;      ///< PE-cycles, all PEs, all cycles
  double config = 0;       ///< configuration bytes
};

/// One PE in one phase.
struct PeStats {
  int64_t row = 0, col = 0;
  int64_t busyCycles = 0;   ///< datapath beats of arithmetic instructions
  int64_t finishCycle = 0;  ///< phase-relative cycle at which it halted
  int64_t instructions = 0; ///< instructions issued (loop bodies each time)
};

struct PhaseStats {
  std::string name;
  int64_t configBytes = 0;
  int64_t configCycles = 0; ///< reconfiguration before the phase runs
  int64_t cycles = 0;       ///< execution cycles (after configuration)
  int64_t flops = 0;
  double utilization = 0;   ///< busy PE-cycles / (PEs x cycles)
  std::vector<PeStats> pes; ///< the PEs with a program, in program order
};

/// Which bound of the roofline binds (the larger; compute on a tie; None
/// when both are 0: no flops and no input, constant or output).
enum class RooflineBound { None, Compute, Dram };
/// "none", "compute", "dram".
const char *boundName(RooflineBound bound);

/// The roofline of a run: the fewest cycles the program could take on the
/// array, limited by its flops at peak or by the bytes that must cross the
/// DRAM channel at least once, and how far the run is from that.
struct Roofline {
  int64_t flops = 0;
  int64_t inputBytes = 0;
  int64_t constantBytes = 0; ///< GB constants too: they are loaded from DRAM
  int64_t outputBytes = 0;
  int64_t compulsoryDramBytes = 0; ///< inputs + constants + outputs
  int64_t peakFlopsPerCycle = 0;
  double dramBytesPerCycle = 0;
  double computeBoundCycles = 0; ///< flops / peakFlopsPerCycle
  double dramBoundCycles = 0;    ///< compulsoryDramBytes / dramBytesPerCycle
  double boundCycles = 0;        ///< max of the two
  RooflineBound bound = RooflineBound::None;
  double cyclesOverBound = 0; ///< cycles / boundCycles; 0 when that is 0
};

struct SimStats {
  int64_t cycles = 0; ///< sum over phases of configCycles + cycles
  double seconds = 0;
  double clockHz = 0;
  int64_t flops = 0;
  int64_t peakFlopsPerCycle = 0;
  double peUtilization = 0; ///< busy PE-cycles / (PEs x cycles)
  int64_t dramBytes = 0;
  int64_t gbBytes = 0;
  int64_t nocFlitHops = 0;
  EnergyBreakdown energyPj;
  std::vector<PhaseStats> phases;
  Roofline roofline; ///< computeRoofline(program, arch, *this)
};

/// A Chrome trace "complete" event; ts and dur are in cycles.
struct TraceEvent {
  std::string name;
  std::string category; ///< "phase", "config", "pe", "dma"
  int64_t pid = 0, tid = 0;
  int64_t start = 0, duration = 0;
};

struct SimResult {
  std::vector<Tensor> outputs;
  SimStats stats;
  std::vector<TraceEvent> trace;
  /// (pid, tid, name) of the trace rows, for the viewer.
  std::vector<std::tuple<int64_t, int64_t, std::string>> traceThreads;
  /// With SimOptions::captureLocalMemory: PE (r, c)'s word w is at
  /// [(r * cols + c) * words + w], words = local_mem_bytes / 4.
  std::vector<float> localMemory;
};

/// Runs \p program on \p arch with \p inputs (in the order of
/// program.inputs). Fails with the verifier's message on an invalid program,
/// on inputs that do not match the signature, and on a deadlock (naming each
/// stuck PE, its instruction and the port it waits on) or leftover flits.
llvm::Expected<SimResult> simulate(const bitstream::Program &program,
                                   const arch::Arch &arch,
                                   llvm::ArrayRef<Tensor> inputs,
                                   const SimOptions &options = {});

/// The roofline of \p program run on \p arch with the outer stats \p stats
/// (flops and cycles; its roofline is ignored). The compulsory DRAM bytes are
/// counted from the signature and constants (4 bytes per word), not from the
/// simulated traffic, so they are the same whatever the compiler stages
/// through DRAM; local-memory images arrive with the configuration and are
/// not counted. \p arch may differ from program.arch in clock and DRAM
/// bandwidth, as in simulate(). Expects a program that passes verify().
Roofline computeRoofline(const bitstream::Program &program,
                         const arch::Arch &arch, const SimStats &stats);

/// The stats as JSON: cycles, seconds, clock_hz, flops,
/// peak_flops_per_cycle, pe_utilization, dram_bytes, gb_bytes,
/// noc_flit_hops, energy_pj {total, fp_ops, local_mem, global_buffer, noc,
/// dram, leakage, config}, phases [{name, cycles, config_cycles,
/// config_bytes, flops, utilization}], roofline {flops, input_bytes,
/// constant_bytes, output_bytes, compulsory_dram_bytes,
/// peak_flops_per_cycle, dram_bytes_per_cycle, compute_bound_cycles,
/// dram_bound_cycles, bound_cycles, bound, cycles_over_bound}.
llvm::json::Value statsToJson(const SimStats &stats);

/// The trace in Chrome trace-event JSON ({"traceEvents": [...]}); one cycle
/// is shown as one microsecond.
llvm::json::Value traceToJson(const SimResult &result);

} // namespace butterfly::sim

#endif // BUTTERFLY_SIM_SIMULATOR_H
