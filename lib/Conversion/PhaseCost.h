//===- PhaseCost.h - Predicted cycles of a mapped program -------*- C++ -*-===//
//
// Summarises the phases of a bitstream Program into the cost model's
// MappedPhase (per-PE instruction-stream cycles with their loop structure,
// streams with their flits and hops, DMA and configuration bytes) and
// predicts the program's cycles from it, so that the mapper can report what
// it expects the simulator to measure. docs/cost-model.md, "Mapped phases".
//
//===----------------------------------------------------------------------===//

#ifndef BUTTERFLY_LIB_CONVERSION_PHASECOST_H
#define BUTTERFLY_LIB_CONVERSION_PHASECOST_H

#include "butterfly/Arch/Arch.h"
#include "butterfly/Bitstream/Program.h"
#include "butterfly/CostModel/MappedPhase.h"

#include <vector>

namespace butterfly::phasecost {

/// The cycles of one execution of \p inst that reads no port (B·f + λ,
/// docs/architecture.md §4, at the first iteration's addresses).
double instructionCycles(const bitstream::Instruction &inst,
                         const arch::Arch &arch);

/// The work of each configured PE and the streams of \p phase.
cost::MappedPhase summarise(const bitstream::Phase &phase,
                            const arch::Arch &arch);

struct ProgramPrediction {
  /// Σ over phases of configuration + execution.
  double cycles = 0;
  double configCycles = 0, executionCycles = 0;
  /// One estimate per phase of the program, in order.
  std::vector<cost::PhaseEstimate> phases;
};

ProgramPrediction predictCycles(const bitstream::Program &program,
                                const arch::Arch &arch);

} // namespace butterfly::phasecost

#endif // BUTTERFLY_LIB_CONVERSION_PHASECOST_H
