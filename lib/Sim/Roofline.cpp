//===- Roofline.cpp - The roofline bound of a simulated run -----*- C++ -*-===//
//
// How far a run is from the larger of the cycles its flops need at the
// array's peak and the cycles its compulsory DRAM traffic needs at the
// channel's bandwidth (docs/simulator.md, "Roofline").
//
//===----------------------------------------------------------------------===//

#include "butterfly/Sim/Simulator.h"

#include <algorithm>

using namespace butterfly;
using namespace butterfly::sim;
using namespace butterfly::bitstream;

const char *sim::boundName(RooflineBound bound) {
  switch (bound) {
  case RooflineBound::None:
    return "none";
  case RooflineBound::Compute:
    return "compute";
  case RooflineBound::Dram:
    return "dram";
  }
  return "none";
}

/// Bytes of the tensors of a signature (words() is -1 only for signatures
/// verify() rejects).
static int64_t signatureBytes(const std::vector<TensorSig> &sigs) {
  int64_t bytes = 0;
  for (const TensorSig &sig : sigs)
    bytes += 4 * std::max<int64_t>(sig.words(), 0);
  return bytes;
}

Roofline sim::computeRoofline(const Program &program, const arch::Arch &arch,
                              const SimStats &stats) {
  Roofline r;
  r.flops = stats.flops;
  r.inputBytes = signatureBytes(program.inputs);
  r.outputBytes = signatureBytes(program.outputs);
  // A constant in the global buffer is preloaded there, but it too has to be
  // read from DRAM once: the bound counts it wherever it is placed.
  for (const Constant &c : program.constants)
    r.constantBytes += 4 * int64_t(c.data.size());
  r.compulsoryDramBytes = r.inputBytes + r.constantBytes + r.outputBytes;
  r.peakFlopsPerCycle = arch.peakFlopsPerCycle();
  r.dramBytesPerCycle = arch.dramBytesPerCycle();
  r.computeBoundCycles = double(r.flops) / double(r.peakFlopsPerCycle);
  r.dramBoundCycles = double(r.compulsoryDramBytes) / r.dramBytesPerCycle;
  r.boundCycles = std::max(r.computeBoundCycles, r.dramBoundCycles);
  if (r.boundCycles > 0) {
    r.bound = r.dramBoundCycles > r.computeBoundCycles ? RooflineBound::Dram
                                                       : RooflineBound::Compute;
    r.cyclesOverBound = double(stats.cycles) / r.boundCycles;
  }
  return r;
}
