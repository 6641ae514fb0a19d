//===- CostModel.h - Analytical cost of ops on the dataflow array -*- C++
//-*-===//
//
// An analytical model of what an op, or a chain of ops, costs on the array of
// an Arch: cycles (as the maximum of compute, global-buffer, DRAM and NoC
// bounds plus pipeline fill/drain and reconfiguration), traffic and energy.
// It drives the sparsity selection and tiling passes and is calibrated
// against the simulator, so every term is kept separate; docs/cost-model.md
// gives each formula. MLIR-free: it depends on Arch only.
//
//===----------------------------------------------------------------------===//

#ifndef BUTTERFLY_COSTMODEL_COSTMODEL_H
#define BUTTERFLY_COSTMODEL_COSTMODEL_H

#include "butterfly/Arch/Arch.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <string>

namespace butterfly::cost {

enum class Dataflow { Multilayer, LayerByLayer };

enum class OpKind {
  Linear,
  Matmul,
  Attention,
  FourierMix,
  Fft,
  ButterflyLinear,
  ButterflyStage,
  BitReverse,
  Softmax,
  LayerNorm,
  Elementwise,
  Transpose
};

/// "multilayer" / "layer-by-layer" (the pass option spelling) and back.
llvm::StringRef toString(Dataflow dataflow);
bool parseDataflow(llvm::StringRef text, Dataflow &dataflow);
/// "linear", "butterfly_stage", ... (the bfly op names).
llvm::StringRef toString(OpKind kind);

/// One op's work, described without MLIR. Unused fields stay 0.
struct Workload {
  Workload() = default;
  explicit Workload(OpKind kind) : kind(kind) {}

  OpKind kind = OpKind::Linear;
  /// Rows the op processes (B*L for per-token ops); softmax/layernorm rows;
  /// fourier_mix batch B.
  int64_t tokens = 0;
  /// linear and butterfly_linear; fourier_mix hidden size D.
  int64_t inFeatures = 0, outFeatures = 0;
  /// butterfly_linear: butterfly factors in sequence (each log2 n stages).
  int64_t nblocks = 1;
  /// attention: q [batchHeads, seqQ, headDim], k [.., seqK, headDim],
  /// v [.., seqK, valueDim]. matmul: batchHeads x [seqQ, headDim] x
  /// [headDim, valueDim]. fourier_mix: seqQ is the sequence length L.
  int64_t batchHeads = 0, seqQ = 0, seqK = 0, headDim = 0, valueDim = 0;
  /// fft, butterfly_stage, bit_reverse: transform length n and how many.
  int64_t length = 0, transforms = 0;
  /// elementwise/softmax/layernorm/transpose: element count.
  int64_t elements = 0;
  bool isComplex = false;
  /// Weights (twiddles, constants, matmul's second operand) are already on
  /// chip: no DRAM or global-buffer traffic for them.
  bool weightsResident = false;
  std::string label; ///< for reports
  /// butterfly_stage: element pairs at this stride (0: unknown, taken as
  /// n/2, the longest).
  int64_t stride = 0;
  /// elementwise: operations per element (1 for add/mul/relu, about 8 for
  /// a tanh GELU); with isComplex each is a complex multiply (6 flops).
  int64_t opsPerElement = 1;
  /// elementwise: bytes of a second operand (a residual, a mask, constants)
  /// read from the global buffer, or DRAM when it does not fit there.
  int64_t extraInputBytes = 0;
};

/// Energy by action, in picojoules (docs/cost-model.md, "Energy").
struct EnergyBreakdown {
  double compute = 0, localMem = 0, globalBuffer = 0, noc = 0, dram = 0,
         leakage = 0, config = 0;
  double total() const {
    return compute + localMem + globalBuffer + noc + dram + leakage + config;
  }
  EnergyBreakdown &operator+=(const EnergyBreakdown &other);
};

struct Cost {
  /// The estimate: per phase, the max of the four bounds plus fill/drain and
  /// reconfiguration, summed over phases.
  double cycles = 0;
  /// The bounds and overheads, each summed over phases.
  double computeCycles = 0, gbCycles = 0, dramCycles = 0, nocCycles = 0,
         fillDrainCycles = 0, reconfigCycles = 0;
  double flops = 0, dramBytes = 0, gbBytes = 0, nocFlitHops = 0;
  double localMemAccesses = 0; ///< 4-byte words
  double configBytes = 0;
  int64_t phases = 0;  ///< configuration epochs
  double energyPj = 0; ///< total from the arch's energy table
  EnergyBreakdown energy;
  double utilization = 0; ///< flops / (cycles * peak)

  /// Sequential composition: everything adds, utilization is the
  /// cycle-weighted mean (exact when both costs are on the same arch).
  Cost &operator+=(const Cost &other);
};

/// The cost of one op. Composite ops (attention, fourier_mix, fft,
/// butterfly_linear) are costed as the chain of primitive ops bfly-decompose
/// turns them into, so under LayerByLayer each of their stages is a phase.
Cost estimate(const arch::Arch &, const Workload &, Dataflow);
/// A chain of ops (e.g. one encoder layer), each consuming the previous
/// one's output. Under Multilayer the ops are resident on PE regions at once
/// and stream into each other (cycles ~ slowest stage + fill/drain,
/// intermediates stay on chip); the chain is split into several such phases
/// only where PEs or local memory run out. Under LayerByLayer each op is a
/// phase, intermediates round-trip through the global buffer (and DRAM when
/// they don't fit) and each phase pays reconfiguration.
Cost estimateChain(const arch::Arch &, llvm::ArrayRef<Workload>, Dataflow);
/// Flop count of a workload (exact, independent of the arch).
double flopCount(const Workload &);
/// The primitive ops a workload is costed as (itself, when primitive).
llvm::SmallVector<Workload, 8> expand(const Workload &);

} // namespace butterfly::cost

#endif // BUTTERFLY_COSTMODEL_COSTMODEL_H
