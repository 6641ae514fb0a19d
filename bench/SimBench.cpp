//===- SimBench.cpp - Simulator speed in simulated PE-cycles per second ---===//
//
// Busy programs on the default 16x16 array, reported as the counter
// pe_cycles_per_second (simulated execution cycles x all PEs / wall time,
// setup included; configuration cycles, which cost nothing to simulate,
// are not counted):
//  - StreamingRing/iterations/rows: every row is a ring of 16 PEs; each PE
//    adds 1 to every flit it receives and passes it on, so every PE fires a
//    port beat in almost every cycle: the per-cycle path, the worst case.
//  - LocalCompute: every PE runs vector ops and reductions on its local
//    memory; instructions without ports are executed at issue.
//  - FftBands: 16 bands of 4 PEs stream 256-point complex FFTs (the mapping
//    of docs/architecture.md), with their DMAs.
//  - SystolicGemm: a 32x128x256 output-stationary GEMM on all 256 PEs
//    (load, compute and store phases).
//
//===----------------------------------------------------------------------===//

#include "butterfly/Sim/Examples.h"
#include "butterfly/Sim/Simulator.h"

#include "benchmark/benchmark.h"

using namespace butterfly;
using namespace butterfly::bitstream;
using namespace butterfly::sim;
using I = Instruction;
using O = Operand;

namespace {

arch::Arch benchArch(int64_t rows = 16) {
  arch::Arch a;
  a.name = "bench";
  a.rows = rows;
  a.cols = 16;
  return a;
}

/// Row r: PE(r,0) injects `tokens` flits, forwards `iterations` x 64 flits
/// (adding 1) and absorbs the tokens; the other PEs forward every flit.
Program ringProgram(const arch::Arch &a, int64_t iterations) {
  const int64_t tokens = 64, block = 64 * a.lanes;
  Program p;
  p.name = "ring";
  p.arch = a;
  Phase ph;
  ph.name = "m";
  for (int64_t r = 0; r < a.rows; ++r) {
    for (int64_t c = 0; c < a.cols; ++c) {
      PeProgram pe;
      pe.row = r;
      pe.col = c;
      if (c == 0)
        pe.instructions.push_back(
            I::mov(O::out(0), O::mem(0), tokens * a.lanes));
      pe.instructions.push_back(
          I::loop(c == 0 ? iterations : iterations + tokens / 64, 1));
      pe.instructions.push_back(I::binary(Opcode::VAdd, O::out(0), O::in(0),
                                          O::immediate(1.0f), block));
      if (c == 0)
        pe.instructions.push_back(
            I::mov(O::mem(0), O::in(0), tokens * a.lanes));
      ph.pes.push_back(pe);
      Route route;
      route.src = {{r, c}, 0};
      int64_t next = (c + 1) % a.cols;
      route.dsts = {{{r, next}, 0}};
      if (next)
        route.links = {{{r, c}, {r, next}}};
      else
        for (int64_t k = c; k > 0; --k)
          route.links.push_back({{r, k}, {r, k - 1}});
      ph.routes.push_back(route);
    }
  }
  p.phases.push_back(ph);
  return p;
}

Program computeProgram(const arch::Arch &a, int64_t iterations) {
  Program p;
  p.name = "compute";
  p.arch = a;
  Phase ph;
  ph.name = "m";
  const int64_t n = 1024, bank1 = a.localMemBytes / 4 / 2;
  for (int64_t r = 0; r < a.rows; ++r)
    for (int64_t c = 0; c < a.cols; ++c) {
      PeProgram pe;
      pe.row = r;
      pe.col = c;
      pe.instructions = {
          I::loop(iterations, 4),
          I::binary(Opcode::VFma, O::mem(0), O::mem(bank1), O::mem(bank1 + n),
                    n),
          I::unary(Opcode::VExp, O::mem(bank1), O::mem(0), n),
          I::reduce(Opcode::ReduceMax, O::mem(2 * n), O::mem(bank1), n),
          I::binary(Opcode::VMul, O::mem(bank1 + n), O::mem(0),
                    O::mem(2 * n, 0), n)};
      ph.pes.push_back(pe);
    }
  p.phases.push_back(ph);
  return p;
}

void run(benchmark::State &state, const Program &p, const arch::Arch &a,
         std::vector<Tensor> inputs = {}) {
  int64_t peCycles = 0, cycles = 0;
  double utilization = 0;
  for (auto _ : state) {
    llvm::Expected<SimResult> r = simulate(p, a, inputs);
    if (!r) {
      state.SkipWithError(llvm::toString(r.takeError()).c_str());
      return;
    }
    // Execution cycles only: configuration cycles cost the simulator
    // nothing and would flatter the rate.
    cycles = 0;
    for (const PhaseStats &ph : r->stats.phases)
      cycles += ph.cycles;
    peCycles += cycles * a.numPEs();
    utilization = r->stats.peUtilization;
  }
  state.counters["simulated_cycles"] = double(cycles);
  state.counters["pe_utilization"] = utilization;
  state.counters["pe_cycles_per_second"] =
      benchmark::Counter(double(peCycles), benchmark::Counter::kIsRate);
}

void BM_StreamingRing(benchmark::State &state) {
  arch::Arch a = benchArch(state.range(1));
  run(state, ringProgram(a, state.range(0)), a);
}
BENCHMARK(BM_StreamingRing)->Args({64, 16})->Unit(benchmark::kMillisecond);

void BM_LocalCompute(benchmark::State &state) {
  arch::Arch a = benchArch();
  run(state, computeProgram(a, state.range(0)), a);
}
BENCHMARK(BM_LocalCompute)->Arg(64)->Unit(benchmark::kMillisecond);

/// Zero tensors for the program's inputs (the values do not change timing).
std::vector<Tensor> zeroInputs(const Program &p) {
  std::vector<Tensor> inputs;
  for (const TensorSig &sig : p.inputs)
    inputs.push_back(Tensor::zeros(sig.dtype, sig.shape));
  return inputs;
}

void BM_FftBands(benchmark::State &state) {
  arch::Arch a = benchArch();
  Program p = examples::fftBands(a, 256, state.range(0), 16);
  run(state, p, a, zeroInputs(p));
}
BENCHMARK(BM_FftBands)->Arg(16)->Unit(benchmark::kMillisecond);

void BM_SystolicGemm(benchmark::State &state) {
  arch::Arch a = benchArch();
  Program p = examples::systolicGemm(a, 32, 128, state.range(0), true);
  run(state, p, a, zeroInputs(p));
}
BENCHMARK(BM_SystolicGemm)->Arg(256)->Unit(benchmark::kMillisecond);

} // namespace

BENCHMARK_MAIN();
