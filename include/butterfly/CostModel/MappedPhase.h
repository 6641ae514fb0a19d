//===- MappedPhase.h - Cycles of a phase as the compiler mapped it -*- C++ -*-//
//
// The cost of one configuration epoch described by the work the mapper gave
// each PE and the streams between PEs and the global buffer, rather than by
// the ops it computes (CostModel.h): configuration, then execution as the
// largest of the PE, link, global-buffer and DRAM bounds plus the fill of the
// pipelines along the streams. The compiler summarises its bitstream phases
// into this form (lib/Conversion/PhaseCost.h); docs/cost-model.md, "Mapped
// phases", gives every formula. MLIR-free and bitstream-free: it depends on
// Arch only.
//
//===----------------------------------------------------------------------===//

#ifndef BUTTERFLY_COSTMODEL_MAPPEDPHASE_H
#define BUTTERFLY_COSTMODEL_MAPPEDPHASE_H

#include "butterfly/Arch/Arch.h"

#include "llvm/ADT/SmallVector.h"

#include <cstdint>
#include <string>
#include <vector>

namespace butterfly::cost {

/// A stream end that is not a PE: an edge port of the global buffer.
constexpr int64_t kEdge = -1;

/// One PE's instruction stream, timed as if every operand were available
/// (each instruction B·f + λ cycles, a loop instruction 1 per issue). The
/// stream is a prologue (e.g. weights received), then `units` repetitions of
/// the streaming loop's body (one row, or one row of a group).
struct PeWork {
  int64_t row = 0, col = 0; ///< where it is, for reports
  /// Cycles until the first unit starts.
  double prologueCycles = 0;
  int64_t units = 0;
  /// The rest of the stream divided by `units`.
  double unitCycles = 0;
  /// Within a unit: from its start to its first output flit being visible
  /// to the route; from the beat that consumes its last input flit to its
  /// end; from its last output flit being visible to its end.
  double firstOutputCycles = 0;
  double inputTailCycles = 0;
  double outputTailCycles = 0;
  /// Of one unit: the cycles of the instructions that read its input.
  double receiveCycles = 0;

  double busyCycles() const { return prologueCycles + units * unitCycles; }
};

/// The global-buffer rows a stream's DMAs access, per bank, in windows of
/// gb_banks consecutive flits; `count` consecutive windows alike.
struct BankWindows {
  int64_t count = 1;
  int64_t flits = 0;        ///< in each window (the last may be short)
  std::vector<double> rows; ///< per bank, in each window
  bool operator==(const BankWindows &other) const {
    return flits == other.flits && rows == other.rows;
  }
};

/// One route: a source injecting `flits` flits over the phase into one or
/// more sinks.
struct MappedStream {
  struct Sink {
    int64_t pe = kEdge; ///< index into MappedPhase::pes, or kEdge
    int64_t hops = 1;
    /// The sink's units consume this stream (otherwise its prologue does).
    bool paced = false;
  };
  int64_t source = kEdge; ///< index into MappedPhase::pes, or kEdge
  int64_t flits = 0;
  llvm::SmallVector<Sink, 1> sinks;
  /// A stream from or to the global buffer: the rows its DMAs access (empty
  /// otherwise), and the cycles they hold per flit on average (a flit
  /// needing r rows of one bank holds it r cycles).
  std::vector<BankWindows> bankWindows;
  double cyclesPerFlit = 1;
  /// The bank of the first row its DMAs access, or -1.
  int64_t firstBank = -1;
  /// The DRAM transfer (index into MappedPhase::dram) its first DMA waits
  /// for, or -1.
  int64_t afterDram = -1;
};

/// A DRAM <-> global-buffer transfer.
struct DramTransfer {
  double bytes = 0;
  /// It waits for another DMA; otherwise the channel queues it in cycle 0.
  bool waits = false;
  /// It waits for a DMA of this stream (index into MappedPhase::streams;
  /// -1: none), the one that ends when `fraction` of the stream's flits have
  /// moved at the global buffer (a staged result going to DRAM, or a slot
  /// refilled once read).
  int64_t stream = -1;
  double fraction = 1;
};

struct MappedPhase {
  std::string name;
  std::vector<PeWork> pes;
  /// Streams from the global buffer in the order their DMAs win bank
  /// conflicts (docs/architecture.md §6: the lower DMA index).
  std::vector<MappedStream> streams;
  /// The DRAM transfers in DMA order (the channel serves them in the order
  /// they start), and the most of them that wait for one another (each pays
  /// the DRAM latency).
  std::vector<DramTransfer> dram;
  int64_t dramChain = 0;
  double configBytes = 0;
};

/// The estimate of one mapped phase; every term is kept (docs/cost-model.md,
/// "Mapped phases").
struct PhaseEstimate {
  /// configCycles + executionCycles.
  double cycles = 0;
  double configCycles = 0;
  /// max(peCycles, linkCycles, gbCycles, dramCycles) + fillCycles.
  double executionCycles = 0;
  /// The busiest PE's instruction stream.
  double peCycles = 0;
  /// The stream with the most flits, one flit per cycle per link (times
  /// the cycles its DMAs hold a bank per flit).
  double linkCycles = 0;
  /// The global-buffer bank with the most rows to serve, one per cycle.
  double gbCycles = 0;
  /// The DRAM channel: bytes over its bandwidth plus its latencies.
  double dramCycles = 0;
  /// How much longer the pipelines along the streams take than the largest
  /// bound: a PE waits for its first row and, at its end, for the last row
  /// still ahead of it; a slow stream stretches the PEs it feeds.
  double fillCycles = 0;
};

PhaseEstimate estimatePhase(const arch::Arch &arch, const MappedPhase &phase);

} // namespace butterfly::cost

#endif // BUTTERFLY_COSTMODEL_MAPPEDPHASE_H
