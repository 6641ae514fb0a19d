//===- CostModel.cpp - Analytical cost of ops on the dataflow array -------===//
//
// Composite ops are expanded into the primitive ops bfly-decompose produces;
// a chain of primitives is cut into phases (one op per phase layer by layer;
// as many ops as PEs and local memory allow in a multilayer phase); each
// phase is costed as the max of its compute, global-buffer, DRAM and NoC
// bounds plus fill/drain and reconfiguration. docs/cost-model.md has every
// formula; the constants below are the ones it names.
//
//===----------------------------------------------------------------------===//

#include "butterfly/CostModel/CostModel.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/MathExtras.h"

#include <algorithm>
#include <cmath>

using namespace butterfly;
using namespace butterfly::cost;
using arch::Arch;

namespace {

/// Bytes of one imem slot, of one PE's switch configuration, and of one DMA
/// descriptor (docs/cost-model.md, "Reconfiguration").
constexpr double kInstrBytes = 8;
constexpr double kRouteBytesPerPE = 8;
constexpr double kDmaDescriptorBytes = 32;

/// A primitive op with everything the phase model needs, derived once.
struct Prim {
  Workload w;
  double flops = 0, laneOps = 0;
  /// Independent outputs (bounds the PEs that can help) and independent
  /// streaming units (token rows, transforms) for pipelining.
  double parallel = 0, units = 1;
  double latency = 0, instrs = 0;
  double inBytes = 0, outBytes = 0;
  /// The second operand: weights/twiddles/constants (isParam: they live in
  /// DRAM) or an activation (matmul's B, a residual); sidePerUnit of it must
  /// be resident at once (per batch-head for matmul).
  double sideBytes = 0, sidePerUnit = 0;
  bool isParam = false;
  /// bit_reverse/transpose: a route, no PE work.
  bool permutation = false;
  /// Butterfly geometry (stages and bit reversal): length, count, stride,
  /// bytes per element.
  double n = 0, transforms = 0, stride = 0, elemBytes = 4;
};

double d(int64_t v) { return double(std::max<int64_t>(v, 0)); }

Prim makePrim(const Arch &arch, const Workload &w) {
  Prim p;
  p.w = w;
  p.elemBytes = w.isComplex ? 8 : 4;
  double alu = double(arch.aluLatency);
  switch (w.kind) {
  case OpKind::Linear: {
    double t = d(w.tokens), in = d(w.inFeatures), out = d(w.outFeatures);
    p.laneOps = t * in * out; // one fma per weight per token
    p.flops = 2 * p.laneOps;
    p.parallel = t * out;
    p.units = t;
    p.inBytes = 4 * t * in;
    p.outBytes = 4 * t * out;
    p.sideBytes = p.sidePerUnit = 4 * (in * out + out);
    p.isParam = true;
    p.latency = alu;
    p.instrs = 6;
    break;
  }
  case OpKind::Matmul: {
    double bh = d(w.batchHeads), m = d(w.seqQ), k = d(w.headDim),
           n = d(w.valueDim);
    p.laneOps = bh * m * k * n;
    p.flops = 2 * p.laneOps;
    p.parallel = bh * m * n;
    p.units = bh * m;
    p.inBytes = 4 * bh * m * k;
    p.outBytes = 4 * bh * m * n;
    p.sideBytes = 4 * bh * k * n;
    p.sidePerUnit = 4 * k * n;
    p.latency = alu;
    p.instrs = 6;
    break;
  }
  case OpKind::ButterflyStage: {
    double n = d(w.length), t = d(w.transforms);
    double pairs = t * std::floor(n / 2);
    // Real 2x2 block: 4 mul + 2 add = 6 flops in 2 mul + 2 fma lane-ops.
    // Complex radix-2: 1 complex mul (6 flops: 2 mul + 2 fma) + 2 complex
    // add/sub (4 flops, 4 lane-ops) = 10 flops in 8 lane-ops.
    p.flops = pairs * (w.isComplex ? 10 : 6);
    p.laneOps = pairs * (w.isComplex ? 8 : 4);
    p.parallel = pairs;
    p.units = t;
    p.inBytes = p.outBytes = t * n * p.elemBytes;
    // Real: n/2 blocks of 4 floats; complex: one twiddle w per pair (the
    // block [[1, w], [1, -w]] is implied by the radix-2 instruction).
    p.sideBytes = p.sidePerUnit = w.isComplex ? 4 * n : 8 * n;
    p.isParam = true;
    p.latency = alu;
    p.instrs = 5;
    p.n = n;
    p.transforms = t;
    p.stride = w.stride > 0 ? double(w.stride) : std::floor(n / 2);
    break;
  }
  case OpKind::BitReverse:
    p.permutation = true;
    p.n = d(w.length);
    p.transforms = d(w.transforms);
    p.units = p.transforms;
    p.inBytes = p.outBytes = p.n * p.transforms * p.elemBytes;
    break;
  case OpKind::Transpose:
    p.permutation = true;
    p.units = w.tokens > 0 ? d(w.tokens) : d(w.elements);
    p.inBytes = p.outBytes = d(w.elements) * p.elemBytes;
    break;
  case OpKind::Softmax: {
    double e = d(w.elements);
    // max, subtract, exp, sum, multiply by the row's reciprocal.
    p.flops = p.laneOps = 5 * e;
    p.parallel = e;
    p.units = std::max(1.0, d(w.tokens));
    p.inBytes = p.outBytes = e * p.elemBytes;
    p.latency = 3 * alu + double(arch.expLatency + arch.rcpLatency);
    p.instrs = 9;
    break;
  }
  case OpKind::LayerNorm: {
    double e = d(w.elements), rows = std::max(1.0, d(w.tokens));
    // sum, subtract mean, fma square-sum, scale by rstd, fma gamma/beta.
    p.flops = 7 * e;
    p.laneOps = 5 * e;
    p.parallel = e;
    p.units = rows;
    p.inBytes = p.outBytes = e * p.elemBytes;
    p.sideBytes = p.sidePerUnit = 8 * std::ceil(e / rows); // gamma, beta
    p.isParam = true;
    p.latency = 4 * alu + double(arch.rsqrtLatency);
    p.instrs = 11;
    break;
  }
  case OpKind::Elementwise: {
    double e = d(w.elements), k = std::max(1.0, d(w.opsPerElement));
    p.flops = e * k * (w.isComplex ? 6 : 1);
    p.laneOps = e * k * (w.isComplex ? 4 : 1);
    p.parallel = e;
    p.units = w.tokens > 0 ? d(w.tokens) : e;
    p.inBytes = p.outBytes = e * p.elemBytes;
    p.sideBytes = p.sidePerUnit = d(w.extraInputBytes);
    p.latency = alu;
    p.instrs = 4;
    break;
  }
  case OpKind::Attention:
  case OpKind::FourierMix:
  case OpKind::Fft:
  case OpKind::ButterflyLinear:
    break; // composite: expanded before this is called
  }
  p.units = std::max(1.0, p.units);
  return p;
}

bool isComposite(OpKind kind) {
  return kind == OpKind::Attention || kind == OpKind::FourierMix ||
         kind == OpKind::Fft || kind == OpKind::ButterflyLinear;
}

Workload derived(const Workload &parent, OpKind kind, const char *suffix) {
  Workload w;
  w.kind = kind;
  w.weightsResident = parent.weightsResident;
  w.label =
      parent.label.empty() ? std::string(suffix) : parent.label + "/" + suffix;
  return w;
}

/// Bit reversal then log2 n complex stages of increasing stride.
void radix2(const Workload &parent, int64_t n, int64_t transforms,
            llvm::SmallVectorImpl<Workload> &out) {
  if (n <= 1)
    return;
  Workload br = derived(parent, OpKind::BitReverse, "bit_reverse");
  br.length = n;
  br.transforms = transforms;
  br.isComplex = true;
  out.push_back(br);
  for (int64_t stride = 1; stride < n; stride *= 2) {
    Workload s = derived(parent, OpKind::ButterflyStage, "stage");
    s.length = n;
    s.transforms = transforms;
    s.stride = stride;
    s.isComplex = true;
    out.push_back(s);
  }
}

/// Any-length DFT: radix-2 for powers of two, else Bluestein with
/// m = next pow2 >= 2n-1: chirp multiply (n), FFT_m, multiply by the chirp
/// filter's spectrum (m, its 1/m inverse scale folded in), IFFT_m, chirp
/// multiply (n).
void fft(const Workload &parent, int64_t n, int64_t transforms,
         llvm::SmallVectorImpl<Workload> &out) {
  if (n <= 1)
    return;
  // Far beyond any real length; keeps 2n - 1 and its power of two in range.
  n = std::min<int64_t>(n, int64_t(1) << 40);
  if (llvm::isPowerOf2_64(uint64_t(n)))
    return radix2(parent, n, transforms, out);
  int64_t m = int64_t(llvm::PowerOf2Ceil(uint64_t(2 * n - 1)));
  auto pointwise = [&](int64_t len, const char *suffix) {
    Workload e = derived(parent, OpKind::Elementwise, suffix);
    e.elements = len * transforms;
    e.tokens = transforms;
    e.isComplex = true;
    e.extraInputBytes = 8 * len; // the constant vector
    out.push_back(e);
  };
  pointwise(n, "chirp");
  radix2(parent, m, transforms, out);
  pointwise(m, "spectrum");
  radix2(parent, m, transforms, out);
  pointwise(n, "chirp");
}

/// Expansion plus the in/out bytes of the first and last primitive when the
/// composite's real boundary tensors differ from its internal ones (real
/// input of a fourier_mix, unpadded butterfly_linear features).
void expandPrims(const Arch &arch, const Workload &w,
                 llvm::SmallVectorImpl<Prim> &prims) {
  llvm::SmallVector<Workload, 8> parts = expand(w);
  size_t first = prims.size();
  for (const Workload &part : parts)
    prims.push_back(makePrim(arch, part));
  if (prims.size() == first || !isComposite(w.kind))
    return;
  if (w.kind == OpKind::FourierMix) {
    double bytes = 4 * d(w.tokens) * d(w.seqQ) * d(w.inFeatures);
    prims[first].inBytes = bytes;
    prims.back().outBytes = bytes;
  } else if (w.kind == OpKind::ButterflyLinear) {
    prims[first].inBytes = 4 * d(w.tokens) * d(w.inFeatures);
    prims.back().outBytes = 4 * d(w.tokens) * d(w.outFeatures);
  }
}

/// Hops for a distance of `dist` PEs along one row or column: plain links
/// move one PE; express links (when present) skip 2^1..2^K, taken greedily.
double hops1(const Arch &arch, int64_t dist) {
  if (dist <= 0)
    return 0;
  if (!arch.nocExpress)
    return double(dist);
  int64_t k = arch.expressMaxLog2;
  int64_t span = int64_t(1) << k;
  return double((dist >> k) + llvm::popcount(uint64_t(dist & (span - 1))));
}

/// Hops between PEs `dist` apart in a region `width` columns wide, laid out
/// row-major: the column distance and the row distance.
double hopsInRegion(const Arch &arch, double dist, double width) {
  int64_t dd = int64_t(std::ceil(dist));
  int64_t w = std::max<int64_t>(1, int64_t(std::ceil(width)));
  return hops1(arch, dd / w) + hops1(arch, dd % w);
}

/// PEs one transform is spread over in a region of `pes`: enough that a
/// vector fits a quarter of local memory (double-buffered in and out), and
/// enough to occupy every PE when there are fewer transforms than PEs.
double vectorSpan(const Arch &arch, const Prim &p, double pes) {
  if (p.n <= 1)
    return 1;
  double capacity = double(arch.localMemBytes) / 4;
  double span = std::max(std::ceil(p.n * p.elemBytes / capacity),
                         std::ceil(pes / std::max(1.0, p.transforms)));
  span = double(llvm::PowerOf2Ceil(uint64_t(std::max(1.0, span))));
  return std::min(span, std::max(1.0, std::floor(p.n / 2)));
}

double minPEs(const Arch &arch, const Prim &p) {
  if (p.permutation)
    return 0;
  double perPE = double(arch.localMemBytes) / 2;
  return std::clamp(std::ceil(p.sidePerUnit / perPE), 1.0,
                    double(arch.numPEs()));
}

/// Splits the chain into phases. Layer by layer: one op each. Multilayer:
/// greedily as many consecutive ops as the PEs hold (each computing op needs
/// at least one PE and enough local memory for its resident operand); an op
/// whose operand exceeds the whole array's memory is a phase of its own.
llvm::SmallVector<llvm::SmallVector<Prim, 8>, 4>
formPhases(const Arch &arch, llvm::ArrayRef<Prim> prims, Dataflow dataflow) {
  llvm::SmallVector<llvm::SmallVector<Prim, 8>, 4> phases;
  double numPEs = double(arch.numPEs());
  double arrayCapacity = numPEs * double(arch.localMemBytes) / 2;
  double used = 0;
  bool lastIsolated = false;
  for (const Prim &p : prims) {
    double need = minPEs(arch, p);
    bool isolated = !p.permutation && p.sidePerUnit > arrayCapacity;
    bool fresh = phases.empty() || dataflow == Dataflow::LayerByLayer ||
                 used + need > numPEs || isolated || lastIsolated;
    if (fresh) {
      phases.emplace_back();
      used = 0;
    }
    phases.back().push_back(p);
    used += need;
    lastIsolated = isolated;
  }
  return phases;
}

/// PEs per op of one phase, balancing the ops' compute times: the smallest
/// time T such that giving each op the PEs it needs to finish in T (at
/// least its minimum, at most what its parallelism can use) fits the array,
/// found by bisection. PEs no op can use stay idle.
llvm::SmallVector<double, 8> allocatePEs(const Arch &arch,
                                         llvm::ArrayRef<Prim> ops) {
  double numPEs = double(arch.numPEs()), lanes = double(arch.lanes);
  size_t k = ops.size();
  llvm::SmallVector<double, 8> minimum(k, 0), usable(k, 0);
  double hi = 0;
  for (size_t i = 0; i < k; ++i) {
    if (ops[i].permutation)
      continue;
    minimum[i] = minPEs(arch, ops[i]);
    usable[i] = std::max(1.0, std::ceil(ops[i].parallel / lanes));
    hi = std::max(hi,
                  ops[i].laneOps / (std::min(minimum[i], usable[i]) * lanes));
  }
  auto pesFor = [&](double time) {
    llvm::SmallVector<double, 8> pes(minimum);
    for (size_t i = 0; i < k; ++i) {
      if (ops[i].permutation || time <= 0)
        continue;
      double need = std::ceil(ops[i].laneOps / (time * lanes));
      pes[i] = std::max(minimum[i], std::min(usable[i], need));
    }
    return pes;
  };
  auto fits = [&](double time) {
    double total = 0;
    for (double p : pesFor(time))
      total += p;
    return total <= numPEs;
  };
  // Feasible at hi (the minimums fit: formPhases made sure of it).
  double lo = 0;
  for (int iter = 0; iter < 64 && hi - lo > 1e-9 * hi; ++iter) {
    double mid = (lo + hi) / 2;
    (fits(mid) ? hi : lo) = mid;
  }
  return pesFor(hi);
}

/// The cost of one phase (docs/cost-model.md, "One phase").
Cost phaseCost(const Arch &arch, llvm::ArrayRef<Prim> ops, Dataflow dataflow) {
  Cost c;
  c.phases = 1;
  double numPEs = double(arch.numPEs()), lanes = double(arch.lanes);
  double flit = double(arch.flitBytes());
  double perPE = double(arch.localMemBytes) / 2;
  double gbHalf = double(arch.gbBytes) / 2;
  double edgeHops = double(arch.rows + arch.cols + 2) / 4;
  bool streaming = dataflow == Dataflow::Multilayer;
  llvm::SmallVector<double, 8> pes = allocatePEs(arch, ops);
  size_t k = ops.size();

  // Compute: each op on its PEs; the phase runs at its slowest op, and the
  // pipeline takes (sum - max) / units more to fill and drain.
  double sumCompute = 0, maxCompute = 0, units = 0, latency = 0;
  double passes = 1;
  bool anyCompute = false;
  for (size_t i = 0; i < k; ++i) {
    const Prim &p = ops[i];
    c.flops += p.flops;
    if (p.permutation)
      continue;
    double usable = std::max(1.0, std::ceil(p.parallel / lanes));
    double t =
        p.laneOps > 0 ? p.laneOps / (std::min(pes[i], usable) * lanes) : 0;
    sumCompute += t;
    maxCompute = std::max(maxCompute, t);
    units = anyCompute ? std::min(units, p.units) : p.units;
    anyCompute = true;
    latency += p.latency;
    if (p.sidePerUnit > 0)
      passes = std::max(passes, std::ceil(p.sidePerUnit / (pes[i] * perPE)));
    c.localMemAccesses += 2 * p.laneOps;
  }
  units = std::max(1.0, units);
  c.computeCycles = maxCompute;

  // Global buffer and DRAM: the phase's input (re-read once per pass over
  // an operand too large for the array), its output and every non-resident
  // second operand. A tensor lives in the GB when it fits in half of it.
  auto readTensor = [&](double bytes, double times) {
    c.gbBytes += bytes * times;
    if (bytes > gbHalf)
      c.dramBytes += bytes * times;
  };
  readTensor(ops.front().inBytes, passes);
  c.gbBytes += ops.back().outBytes;
  if (ops.back().outBytes > gbHalf)
    c.dramBytes += ops.back().outBytes;
  double dmaStreams = 2;
  for (const Prim &p : ops) {
    if (p.permutation || p.sideBytes <= 0 || p.w.weightsResident)
      continue;
    dmaStreams += 1;
    if (p.isParam) {
      c.gbBytes += p.sideBytes;
      c.dramBytes += p.sideBytes;
    } else {
      readTensor(p.sideBytes, 1);
    }
  }
  for (const Prim &p : ops)
    if (!p.permutation)
      c.localMemAccesses +=
          (p.inBytes + p.outBytes + (p.w.weightsResident ? 0 : p.sideBytes)) /
          4;
  double portBytesPerCycle = double(arch.rows + arch.cols) * flit;
  double bankBytesPerCycle = double(arch.gbBanks) * flit;
  c.gbCycles = std::max(c.gbBytes / portBytesPerCycle,
                        (c.gbBytes + c.dramBytes) / bankBytesPerCycle);
  if (c.dramBytes > 0)
    c.dramCycles = c.dramBytes / arch.dramBytesPerCycle() +
                   arch.dramLatencyNs * arch.clockHz / 1e9;

  // NoC: GB traffic crosses half the array on average; in a multilayer
  // phase each op's input also crosses from the previous op's region, and
  // a stride (or permutation) that spans PEs travels further.
  c.nocFlitHops = c.gbBytes / flit * edgeHops;
  double handoffHops = 0;
  if (streaming) {
    double prevPEs = 0; // PEs of the last computing op before i
    for (size_t i = 0; i < k; ++i) {
      const Prim &p = ops[i];
      double consumerPEs = pes[i];
      if (p.permutation) {
        consumerPEs = 0;
        for (size_t j = i + 1; j < k && consumerPEs == 0; ++j)
          consumerPEs = pes[j];
        if (consumerPEs == 0)
          consumerPEs = prevPEs > 0 ? prevPEs : numPEs;
      }
      if (i > 0) {
        double width = std::max(1.0, std::ceil(consumerPEs / arch.rows));
        double boundary =
            prevPEs > 0
                ? hops1(arch, std::max<int64_t>(
                                  1, int64_t(std::ceil(prevPEs / arch.rows))))
                : 1;
        double extra = 0;
        if (p.n > 1) {
          double span = vectorSpan(arch, p, consumerPEs);
          double perPEElems = p.n / span;
          if (p.permutation)
            extra = span > 1 ? hopsInRegion(arch, span / 2, width) : 0;
          else if (p.stride >= perPEElems)
            extra = hopsInRegion(arch, p.stride / perPEElems, width);
        }
        double flits = p.inBytes / flit;
        c.nocFlitHops += flits * (boundary + extra);
        handoffHops += boundary + extra;
        double links = std::max(
            1.0, std::min({double(arch.rows), prevPEs > 0 ? prevPEs : numPEs,
                           consumerPEs}));
        c.nocCycles = std::max(
            c.nocCycles, flits / links + flits * extra / (2 * consumerPEs));
      }
      if (!p.permutation)
        prevPEs = pes[i];
    }
  }

  c.fillDrainCycles =
      (sumCompute - maxCompute) / units + latency + handoffHops + 2 * edgeHops;

  // Reconfiguration: every used PE's instructions, every PE's switches, the
  // phase's DMA descriptors.
  for (size_t i = 0; i < k; ++i)
    c.configBytes += pes[i] * ops[i].instrs * kInstrBytes;
  c.configBytes += numPEs * kRouteBytesPerPE + dmaStreams * kDmaDescriptorBytes;
  c.reconfigCycles = c.configBytes / double(arch.configBytesPerCycle);

  c.cycles =
      std::max({c.computeCycles, c.gbCycles, c.dramCycles, c.nocCycles}) +
      c.fillDrainCycles + c.reconfigCycles;

  const arch::EnergyTable &e = arch.energy;
  c.energy.compute = c.flops * e.fpOpPj;
  c.energy.localMem = c.localMemAccesses * e.localMemAccessPj;
  c.energy.globalBuffer =
      (c.gbBytes + c.dramBytes) / flit * e.gbAccessPerFlitPj;
  c.energy.noc = c.nocFlitHops * e.nocHopPerFlitPj;
  c.energy.dram = c.dramBytes * e.dramPerBytePj;
  c.energy.leakage = numPEs * c.cycles * e.leakagePerPeCyclePj;
  c.energy.config = c.configBytes * e.configPerBytePj;
  c.energyPj = c.energy.total();
  c.utilization = c.cycles > 0
                      ? c.flops / (c.cycles * double(arch.peakFlopsPerCycle()))
                      : 0;
  return c;
}

} // namespace

EnergyBreakdown &EnergyBreakdown::operator+=(const EnergyBreakdown &o) {
  compute += o.compute;
  localMem += o.localMem;
  globalBuffer += o.globalBuffer;
  noc += o.noc;
  dram += o.dram;
  leakage += o.leakage;
  config += o.config;
  return *this;
}

Cost &Cost::operator+=(const Cost &o) {
  double busy = utilization * cycles + o.utilization * o.cycles;
  cycles += o.cycles;
  computeCycles += o.computeCycles;
  gbCycles += o.gbCycles;
  dramCycles += o.dramCycles;
  nocCycles += o.nocCycles;
  fillDrainCycles += o.fillDrainCycles;
  reconfigCycles += o.reconfigCycles;
  flops += o.flops;
  dramBytes += o.dramBytes;
  gbBytes += o.gbBytes;
  nocFlitHops += o.nocFlitHops;
  localMemAccesses += o.localMemAccesses;
  configBytes += o.configBytes;
  phases += o.phases;
  energy += o.energy;
  energyPj = energy.total();
  utilization = cycles > 0 ? busy / cycles : 0;
  return *this;
}

llvm::StringRef butterfly::cost::toString(Dataflow dataflow) {
  return dataflow == Dataflow::Multilayer ? "multilayer" : "layer-by-layer";
}

bool butterfly::cost::parseDataflow(llvm::StringRef text, Dataflow &dataflow) {
  if (text == "multilayer")
    dataflow = Dataflow::Multilayer;
  else if (text == "layer-by-layer")
    dataflow = Dataflow::LayerByLayer;
  else
    return false;
  return true;
}

llvm::StringRef butterfly::cost::toString(OpKind kind) {
  switch (kind) {
  case OpKind::Linear:
    return "linear";
  case OpKind::Matmul:
    return "matmul";
  case OpKind::Attention:
    return "attention";
  case OpKind::FourierMix:
    return "fourier_mix";
  case OpKind::Fft:
    return "fft";
  case OpKind::ButterflyLinear:
    return "butterfly_linear";
  case OpKind::ButterflyStage:
    return "butterfly_stage";
  case OpKind::BitReverse:
    return "bit_reverse";
  case OpKind::Softmax:
    return "softmax";
  case OpKind::LayerNorm:
    return "layernorm";
  case OpKind::Elementwise:
    return "elementwise";
  case OpKind::Transpose:
    return "transpose";
  }
  return "?";
}

llvm::SmallVector<Workload, 8> butterfly::cost::expand(const Workload &w) {
  llvm::SmallVector<Workload, 8> out;
  switch (w.kind) {
  case OpKind::Attention: {
    Workload scores = derived(w, OpKind::Matmul, "qk");
    scores.batchHeads = w.batchHeads;
    scores.seqQ = w.seqQ;
    scores.headDim = w.headDim;
    scores.valueDim = w.seqK;
    Workload softmax = derived(w, OpKind::Softmax, "softmax");
    softmax.tokens = w.batchHeads * w.seqQ;
    softmax.elements = w.batchHeads * w.seqQ * w.seqK;
    Workload context = derived(w, OpKind::Matmul, "pv");
    context.batchHeads = w.batchHeads;
    context.seqQ = w.seqQ;
    context.headDim = w.seqK;
    context.valueDim = w.valueDim;
    out.append({scores, softmax, context});
    break;
  }
  case OpKind::FourierMix:
    // Re(FFT over L of FFT over D), both complex (to_complex and real are
    // free: they only change how the tensors are read).
    fft(w, w.inFeatures, w.tokens * w.seqQ, out);
    fft(w, w.seqQ, w.tokens * w.inFeatures, out);
    break;
  case OpKind::Fft:
    fft(w, w.length, w.transforms, out);
    break;
  case OpKind::ButterflyLinear: {
    // As torch_butterfly: n = next pow2 >= in, ceil(out / n) stacks, blocks
    // alternating increasing and decreasing strides, starting increasing.
    int64_t n = int64_t(
        llvm::PowerOf2Ceil(uint64_t(std::max<int64_t>(w.inFeatures, 1))));
    int64_t stacks = std::max<int64_t>(1, (w.outFeatures + n - 1) / n);
    int64_t logN = llvm::Log2_64(uint64_t(n));
    for (int64_t block = 0; block < w.nblocks; ++block)
      for (int64_t idx = 0; idx < logN; ++idx) {
        bool increasing = block % 2 == 0;
        Workload s = derived(w, OpKind::ButterflyStage, "stage");
        s.length = n;
        s.transforms = w.tokens * stacks;
        s.stride = int64_t(1) << (increasing ? idx : logN - 1 - idx);
        out.push_back(s);
      }
    break;
  }
  default:
    out.push_back(w);
    break;
  }
  return out;
}

double butterfly::cost::flopCount(const Workload &w) {
  Arch arch; // flops do not depend on the arch
  llvm::SmallVector<Prim, 8> prims;
  expandPrims(arch, w, prims);
  double flops = 0;
  for (const Prim &p : prims)
    flops += p.flops;
  return flops;
}

Cost butterfly::cost::estimateChain(const Arch &arch,
                                    llvm::ArrayRef<Workload> chain,
                                    Dataflow dataflow) {
  llvm::SmallVector<Prim, 8> prims;
  for (const Workload &w : chain)
    expandPrims(arch, w, prims);
  Cost total;
  for (const auto &phase : formPhases(arch, prims, dataflow))
    total += phaseCost(arch, phase, dataflow);
  return total;
}

Cost butterfly::cost::estimate(const Arch &arch, const Workload &w,
                               Dataflow dataflow) {
  return estimateChain(arch, llvm::ArrayRef<Workload>(w), dataflow);
}
