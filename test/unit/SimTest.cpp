//===- SimTest.cpp - The cycle-level simulator and Program verifier -------===//
//
// Programs are built here in C++. Values are checked against math done in
// the test (double precision, naive DFT and matrix products); cycle counts
// against figures derived by hand from the timing rules of
// docs/architecture.md, with the derivation next to each check.
//
//===----------------------------------------------------------------------===//

#include "TinyArch.h"

#include "butterfly/Sim/Examples.h"
#include "butterfly/Sim/Simulator.h"

#include "llvm/Support/raw_ostream.h"

#include "gtest/gtest.h"

#include <cmath>
#include <complex>
#include <limits>
#include <random>

using namespace butterfly;
using namespace butterfly::bitstream;
using namespace butterfly::sim;
using I = Instruction;
using O = Operand;

namespace {

arch::Arch testArch(int64_t rows = 4, int64_t cols = 4) {
  arch::Arch a;
  a.name = "test";
  a.rows = rows;
  a.cols = cols;
  return a;
}

Program newProgram(const arch::Arch &a) {
  Program p;
  p.name = "test";
  p.arch = a;
  return p;
}

Route route(Endpoint src, std::vector<Endpoint> dsts) {
  return examples::xyRoute(src, dsts);
}

Endpoint pePort(int64_t row, int64_t col, int64_t port) {
  return {{row, col}, port};
}
Endpoint west(int64_t row) { return {{row, -1}, 0}; }
Endpoint north(int64_t col) { return {{-1, col}, 0}; }

PeProgram pe(int64_t row, int64_t col, std::vector<Instruction> code,
             std::vector<MemInit> init = {}) {
  PeProgram p;
  p.row = row;
  p.col = col;
  p.instructions = std::move(code);
  p.memInit = std::move(init);
  return p;
}

SimResult runOk(const Program &p, const arch::Arch &a,
                std::vector<Tensor> inputs = {}, SimOptions options = {}) {
  options.captureLocalMemory = true;
  llvm::Expected<SimResult> r = simulate(p, a, inputs, options);
  if (!r) {
    ADD_FAILURE() << llvm::toString(r.takeError());
    return {};
  }
  return std::move(*r);
}

std::string runError(const Program &p, const arch::Arch &a,
                     std::vector<Tensor> inputs = {}) {
  llvm::Expected<SimResult> r = simulate(p, a, inputs);
  if (r)
    return "";
  return llvm::toString(r.takeError());
}

std::string verifyError(const Program &p, const arch::Arch &a) {
  llvm::Error e = verify(p, a);
  return e ? llvm::toString(std::move(e)) : "";
}

float lmAt(const SimResult &r, const arch::Arch &a, int64_t row, int64_t col,
           int64_t addr) {
  size_t i = size_t((row * a.cols + col) * (a.localMemBytes / 4) + addr);
  return i < r.localMemory.size() ? r.localMemory[i] : NAN;
}

std::vector<float> lmRange(const SimResult &r, const arch::Arch &a, int64_t row,
                           int64_t col, int64_t addr, int64_t n) {
  std::vector<float> v;
  for (int64_t i = 0; i < n; ++i)
    v.push_back(lmAt(r, a, row, col, addr + i));
  return v;
}

std::vector<float> iota(int64_t n, float start = 1, float step = 1) {
  std::vector<float> v;
  for (int64_t i = 0; i < n; ++i)
    v.push_back(start + step * float(i));
  return v;
}

/// One PE (0,0) on a 1x1 array running \p code.
SimResult runSingle(const arch::Arch &a, std::vector<Instruction> code,
                    std::vector<MemInit> init) {
  Program p = newProgram(a);
  Phase ph;
  ph.name = "m";
  ph.pes.push_back(pe(0, 0, std::move(code), std::move(init)));
  p.phases.push_back(ph);
  return runOk(p, a);
}

constexpr int64_t kBank1 = 2048; // first word of bank 1 (16 KiB, 2 banks)

#define EXPECT_CONTAINS(text, phrase)                                          \
  EXPECT_NE(std::string(text).find(phrase), std::string::npos)                 \
      << "message: '" << (text) << "'"

//===----------------------------------------------------------------------===//
// Encoding and printing
//===----------------------------------------------------------------------===//

TEST(IsaTest, EncodeDecodeRoundTrip) {
  std::vector<Instruction> cases = {
      I::nop(),
      I::halt(),
      I::barrier(),
      I::loop(300, 7),
      I::mov(O::mem(12, -3, 5, -8192), O::in(3), 65535),
      I::binary(Opcode::VFma, O::mem(1048575, 2047, 8191, -1),
                O::immediate(-0.0f), O::mem(0, 0), 9),
      I::unary(Opcode::VErf, O::outMask(0xb), O::immediate(1.5e-7f), 4),
      I::bfly(O::out(2), O::mem(0), O::mem(2048), 256, 64,
              flag::Complex | flag::PerPair | flag::Matrix),
      I::gemm(O::mem(0, 1, 4), O::in(0), O::in(1), 1, 4, 256, true),
      I::reduce(Opcode::ReduceMax, O::out(0), O::in(1), 17),
  };
  for (const Instruction &inst : cases) {
    auto bytes = encodeInstruction(inst);
    ASSERT_TRUE(bool(bytes)) << llvm::toString(bytes.takeError());
    auto back = decodeInstruction(*bytes);
    ASSERT_TRUE(bool(back)) << llvm::toString(back.takeError());
    EXPECT_EQ(*back, inst) << toString(inst) << " vs " << toString(*back);
  }
  // Byte layout of word 0: opcode, flags, n, p0, p1.
  auto bytes = encodeInstruction(
      I::bfly(O::mem(0), O::mem(0), O::mem(0), 8, 2, flag::Complex));
  ASSERT_TRUE(bool(bytes));
  EXPECT_EQ((*bytes)[0], 64);
  EXPECT_EQ((*bytes)[1], 1);
  EXPECT_EQ((*bytes)[2], 8);
  EXPECT_EQ((*bytes)[4], 2);
}

TEST(IsaTest, EncodeRejectsWideFieldsDecodeRejectsGarbage) {
  auto tooWide = encodeInstruction(I::mov(O::mem(0), O::mem(0, 4096), 4));
  ASSERT_FALSE(bool(tooWide));
  EXPECT_CONTAINS(llvm::toString(tooWide.takeError()),
                  "stride 4096 does not fit a signed 12-bit field");
  auto bigN = encodeInstruction(I::mov(O::mem(0), O::mem(0), 70000));
  ASSERT_FALSE(bool(bigN));
  EXPECT_CONTAINS(llvm::toString(bigN.takeError()),
                  "n=70000 does not fit 16 bits");

  std::array<uint8_t, 32> raw{};
  raw[0] = 7; // no such opcode
  auto bad = decodeInstruction(raw);
  ASSERT_FALSE(bool(bad));
  EXPECT_CONTAINS(llvm::toString(bad.takeError()), "unknown opcode 7");
  raw[0] = 8;
  raw[8] = 0x12; // Port operand with a value above bit 7 -> canonical check
  raw[9] = 0x01;
  auto bad2 = decodeInstruction(raw);
  ASSERT_FALSE(bool(bad2));
  EXPECT_CONTAINS(llvm::toString(bad2.takeError()), "operand dst");
  auto shortInput =
      decodeInstruction(llvm::ArrayRef<uint8_t>(raw).take_front(31));
  ASSERT_FALSE(bool(shortInput));
  EXPECT_CONTAINS(llvm::toString(shortInput.takeError()), "32 bytes, got 31");
}

TEST(IsaTest, AssemblySyntax) {
  EXPECT_EQ(toString(I::mov(O::mem(0), O::in(0), 16)), "mov lm[0], in0 n=16");
  EXPECT_EQ(toString(I::mov(O::outMask(5), O::mem(8, 2), 4)),
            "mov out0|out2, lm[8:2] n=4");
  EXPECT_EQ(toString(I::binary(Opcode::VAdd, O::mem(0, 1, 4, 0), O::in(1),
                               O::immediate(1.5f), 4)),
            "vadd lm[0:1:4:0], in1, #1.5 n=4");
  EXPECT_EQ(toString(I::bfly(O::out(0), O::mem(512), O::mem(2048), 256, 2,
                             flag::Complex)),
            "bfly.c out0, lm[512], lm[2048] n=256 stride=2");
  EXPECT_EQ(toString(I::gemm(O::mem(0), O::in(0), O::in(1), 1, 4, 256, true)),
            "gemm.init lm[0], in0, in1 m=1 n=4 k=256");
  EXPECT_EQ(toString(I::loop(4, 2)), "loop count=4 len=2");
  EXPECT_EQ(toString(I::reduce(Opcode::ReduceSum, O::mem(9), O::mem(0), 8)),
            "reduce.sum lm[9], lm[0] n=8");
}

//===----------------------------------------------------------------------===//
// Instruction semantics (one PE, local memory only)
//===----------------------------------------------------------------------===//

TEST(SimInstructionTest, ElementwiseOps) {
  arch::Arch a = testArch(1, 1);
  std::vector<float> x = {1, -2, 3, 0.5f, 4, -1, 2, 8, 0.25f, 3};
  std::vector<float> y = {2, 2, -1, 4, 0.5f, -3, 1, 1, 2, -2};
  int64_t n = 10;
  struct Case {
    Opcode op;
    float (*ref)(float, float);
  };
  std::vector<Case> cases = {
      {Opcode::VAdd, [](float p, float q) { return p + q; }},
      {Opcode::VSub, [](float p, float q) { return p - q; }},
      {Opcode::VMul, [](float p, float q) { return p * q; }},
      {Opcode::VMax, [](float p, float q) { return std::max(p, q); }},
      {Opcode::VMin, [](float p, float q) { return std::min(p, q); }},
  };
  std::vector<Instruction> code;
  for (size_t i = 0; i < cases.size(); ++i)
    code.push_back(I::binary(cases[i].op, O::mem(100 + 16 * int64_t(i)),
                             O::mem(0), O::mem(kBank1), n));
  // dst += a * b, with dst preset to 10.
  code.push_back(I::mov(O::mem(300), O::immediate(10.0f), n));
  code.push_back(
      I::binary(Opcode::VFma, O::mem(300), O::mem(0), O::mem(kBank1), n));
  SimResult r = runSingle(a, code, {{0, x}, {kBank1, y}});
  for (size_t i = 0; i < cases.size(); ++i)
    for (int64_t e = 0; e < n; ++e)
      EXPECT_EQ(lmAt(r, a, 0, 0, 100 + 16 * i + e), cases[i].ref(x[e], y[e]))
          << opcodeName(cases[i].op) << " element " << e;
  for (int64_t e = 0; e < n; ++e)
    EXPECT_EQ(lmAt(r, a, 0, 0, 300 + e), 10.0f + x[e] * y[e]);
  // Untouched words past n stay zero.
  EXPECT_EQ(lmAt(r, a, 0, 0, 100 + n), 0.0f);
}

TEST(SimInstructionTest, UnaryOps) {
  arch::Arch a = testArch(1, 1);
  std::vector<float> x = {0.5f, 1, 2, 3.5f, 0.1f, 7};
  int64_t n = 6;
  std::vector<Opcode> ops = {Opcode::VExp, Opcode::VRcp, Opcode::VRsqrt,
                             Opcode::VTanh, Opcode::VErf};
  std::vector<Instruction> code;
  for (size_t i = 0; i < ops.size(); ++i)
    code.push_back(
        I::unary(ops[i], O::mem(100 + 8 * int64_t(i)), O::mem(0), n));
  SimResult r = runSingle(a, code, {{0, x}});
  for (int64_t e = 0; e < n; ++e) {
    double v = x[e];
    double expect[5] = {std::exp(v), 1 / v, 1 / std::sqrt(v), std::tanh(v),
                        std::erf(v)};
    for (size_t i = 0; i < ops.size(); ++i)
      EXPECT_NEAR(lmAt(r, a, 0, 0, 100 + 8 * i + e), expect[i],
                  1e-6 * std::abs(expect[i]) + 1e-7)
          << opcodeName(ops[i]) << "(" << v << ")";
  }
}

TEST(SimInstructionTest, AddressingStrideBroadcastImmediateInPlace) {
  arch::Arch a = testArch(1, 1);
  std::vector<float> x = iota(8); // 1..8
  std::vector<Instruction> code = {
      // Gather every other element, then reverse it with a negative stride.
      I::mov(O::mem(100), O::mem(0, 2), 4),    // 1 3 5 7
      I::mov(O::mem(110), O::mem(103, -1), 4), // 7 5 3 1
      // Broadcast lm[7] (=8) and an immediate.
      I::binary(Opcode::VMul, O::mem(120), O::mem(0), O::mem(7, 0), 4),
      I::binary(Opcode::VSub, O::mem(130), O::immediate(1.0f), O::mem(0), 4),
      // Shift in place: dst overlaps the source one word further on; the
      // source is read as of issue.
      I::mov(O::mem(1), O::mem(0), 7),
      // A broadcast word inside the destination is read as of issue too.
      I::binary(Opcode::VSub, O::mem(20), O::mem(20), O::mem(22, 0), 4),
  };
  SimResult r = runSingle(a, code, {{0, x}, {20, {5, 6, 7, 8}}});
  EXPECT_EQ(lmRange(r, a, 0, 0, 20, 4), (std::vector<float>{-2, -1, 0, 1}));
  EXPECT_EQ(lmRange(r, a, 0, 0, 100, 4), (std::vector<float>{1, 3, 5, 7}));
  EXPECT_EQ(lmRange(r, a, 0, 0, 110, 4), (std::vector<float>{7, 5, 3, 1}));
  EXPECT_EQ(lmRange(r, a, 0, 0, 120, 4), (std::vector<float>{8, 16, 24, 32}));
  EXPECT_EQ(lmRange(r, a, 0, 0, 130, 4), (std::vector<float>{0, -1, -2, -3}));
  EXPECT_EQ(lmRange(r, a, 0, 0, 0, 8),
            (std::vector<float>{1, 1, 2, 3, 4, 5, 6, 7}));
}

TEST(SimInstructionTest, Reductions) {
  arch::Arch a = testArch(1, 1);
  std::vector<float> x = {3, -1, 4, 1, -5, 9, 2, -6, 5, 3}; // n = 10
  SimResult r =
      runSingle(a,
                {I::reduce(Opcode::ReduceSum, O::mem(100), O::mem(0), 10),
                 I::reduce(Opcode::ReduceMax, O::mem(101), O::mem(0), 10),
                 I::reduce(Opcode::ReduceMax, O::mem(102), O::mem(1, 2), 5)},
                {{0, x}});
  EXPECT_EQ(lmAt(r, a, 0, 0, 100), 15.0f);
  EXPECT_EQ(lmAt(r, a, 0, 0, 101), 9.0f);
  EXPECT_EQ(lmAt(r, a, 0, 0, 102), 9.0f); // -1 1 9 -6 3
}

TEST(SimInstructionTest, ButterflyStages) {
  arch::Arch a = testArch(1, 1);
  // Real data at 0 (8 elements), complex at 64 (8 complex), twiddles in
  // bank 1.
  std::vector<float> xr = {1, 2, 3, 4, 5, 6, 7, 8};
  std::vector<float> xc;
  for (int i = 0; i < 16; ++i)
    xc.push_back(0.5f * float(i) - 2.0f);
  std::vector<float> twR = {0.5f, -2.0f}; // radix-2, per position
  std::vector<float> twM;                 // 2x2 per pair, 4 pairs
  for (int p = 0; p < 4; ++p)
    for (int e = 0; e < 4; ++e)
      twM.push_back(float(p + 1) * (e == 1 ? -1.0f : 1.0f) + 0.25f * e);
  std::vector<float> twC = {1, 0, 0.6f, -0.8f}; // complex radix-2, 2 pos.
  std::vector<float> twCM;                      // complex 2x2 per position
  for (int e = 0; e < 8; ++e)
    twCM.push_back(0.1f * float(e + 1) * (e % 3 == 0 ? -1.0f : 1.0f));
  std::vector<Instruction> code = {
      I::bfly(O::mem(200), O::mem(0), O::mem(kBank1), 8, 2, 0),
      I::bfly(O::mem(210), O::mem(0), O::mem(kBank1 + 10), 8, 1,
              flag::Matrix | flag::PerPair),
      I::bfly(O::mem(300), O::mem(64), O::mem(kBank1 + 40), 8, 2,
              flag::Complex),
      I::bfly(O::mem(320), O::mem(64), O::mem(kBank1 + 50), 8, 4,
              flag::Complex | flag::Matrix),
      // In place.
      I::bfly(O::mem(0), O::mem(0), O::mem(kBank1), 8, 2, 0),
  };
  SimResult r = runSingle(a, code,
                          {{0, xr},
                           {64, xc},
                           {kBank1, twR},
                           {kBank1 + 10, twM},
                           {kBank1 + 40, twC},
                           {kBank1 + 50, twCM}});
  // Real radix-2, stride 2: groups of 4, pairs (g*4+j, g*4+j+2), w = tw[j].
  std::vector<float> expectR(8);
  for (int g = 0; g < 2; ++g)
    for (int j = 0; j < 2; ++j) {
      int e0 = g * 4 + j, e1 = e0 + 2;
      expectR[e0] = xr[e0] + twR[j] * xr[e1];
      expectR[e1] = xr[e0] - twR[j] * xr[e1];
    }
  EXPECT_EQ(lmRange(r, a, 0, 0, 200, 8), expectR);
  EXPECT_EQ(lmRange(r, a, 0, 0, 0, 8), expectR);
  // Real 2x2 per pair, stride 1: pair p = (2p, 2p+1).
  for (int p = 0; p < 4; ++p) {
    const float *t = &twM[4 * p];
    EXPECT_FLOAT_EQ(lmAt(r, a, 0, 0, 210 + 2 * p),
                    t[0] * xr[2 * p] + t[1] * xr[2 * p + 1]);
    EXPECT_FLOAT_EQ(lmAt(r, a, 0, 0, 210 + 2 * p + 1),
                    t[2] * xr[2 * p] + t[3] * xr[2 * p + 1]);
  }
  using C = std::complex<double>;
  auto cx = [&](int e) { return C(xc[2 * e], xc[2 * e + 1]); };
  auto got = [&](int64_t base, int e) {
    return C(lmAt(r, a, 0, 0, base + 2 * e),
             lmAt(r, a, 0, 0, base + 2 * e + 1));
  };
  // Complex radix-2, stride 2.
  for (int g = 0; g < 2; ++g)
    for (int j = 0; j < 2; ++j) {
      int e0 = g * 4 + j, e1 = e0 + 2;
      C w(twC[2 * j], twC[2 * j + 1]);
      EXPECT_LT(std::abs(got(300, e0) - (cx(e0) + w * cx(e1))), 1e-5);
      EXPECT_LT(std::abs(got(300, e1) - (cx(e0) - w * cx(e1))), 1e-5);
    }
  // Complex 2x2 per position... with stride 4 there are 4 positions but the
  // table has one entry per position: entries j = 0..3 read twCM[8j..].
  // Only entry 0 was initialised; the others are zero.
  for (int j = 0; j < 4; ++j) {
    int e0 = j, e1 = j + 4;
    C m[4];
    for (int q = 0; q < 4; ++q)
      m[q] = j == 0 ? C(twCM[2 * q], twCM[2 * q + 1]) : C(0, 0);
    EXPECT_LT(std::abs(got(320, e0) - (m[0] * cx(e0) + m[1] * cx(e1))), 1e-5);
    EXPECT_LT(std::abs(got(320, e1) - (m[2] * cx(e0) + m[3] * cx(e1))), 1e-5);
  }
}

TEST(SimInstructionTest, BitReverseAndGemm) {
  arch::Arch a = testArch(1, 1);
  std::vector<float> x = iota(8, 0);
  std::vector<float> c = iota(8, 10); // 4 complex
  // A 2x4, B 4x3 (row-major).
  std::vector<float> A = {1, 2, 3, 4, -1, 0, 2, 1};
  std::vector<float> B = {1, 0, 2, -1, 3, 1, 0.5f, 2, -2, 4, 1, 0};
  SimResult r = runSingle(
      a,
      {I::bitrev(O::mem(100), O::mem(0), 8, false),
       I::bitrev(O::mem(110), O::mem(16), 4, true),
       I::gemm(O::mem(200), O::mem(40), O::mem(kBank1), 2, 3, 4, true),
       I::gemm(O::mem(300), O::mem(40), O::mem(kBank1), 2, 3, 4, true),
       I::gemm(O::mem(300), O::mem(40), O::mem(kBank1), 2, 3, 4, false)},
      {{0, x}, {16, c}, {40, A}, {kBank1, B}});
  EXPECT_EQ(lmRange(r, a, 0, 0, 100, 8),
            (std::vector<float>{0, 4, 2, 6, 1, 5, 3, 7}));
  EXPECT_EQ(lmRange(r, a, 0, 0, 110, 8),
            (std::vector<float>{10, 11, 14, 15, 12, 13, 16, 17}));
  for (int i = 0; i < 2; ++i)
    for (int j = 0; j < 3; ++j) {
      float s = 0;
      for (int k = 0; k < 4; ++k)
        s += A[i * 4 + k] * B[k * 3 + j];
      EXPECT_FLOAT_EQ(lmAt(r, a, 0, 0, 200 + i * 3 + j), s);
      EXPECT_FLOAT_EQ(lmAt(r, a, 0, 0, 300 + i * 3 + j), 2 * s);
    }
}

TEST(SimInstructionTest, HardwareLoopsWithIncrements) {
  arch::Arch a = testArch(1, 1);
  std::vector<float> x = iota(12, 0);
  SimResult r = runSingle(
      a,
      {// 3 iterations of 4 elements: y[4i+e] = x[4i+e] + 100.
       I::loop(3, 1),
       I::binary(Opcode::VAdd, O::mem(100, 1, 4), O::mem(0, 1, 4),
                 O::immediate(100.0f), 4),
       // A 2x3 nest transposes x[0:6] (2 rows of 3) into 3 rows of 2:
       // z[2*i0 + i1] = x[3*i1 + i0], inner loop i0 < 3, outer i1 < 2.
       I::loop(2, 2), I::loop(3, 1),
       I::mov(O::mem(200, 1, 2, 1), O::mem(0, 1, 1, 3), 1)},
      {{0, x}});
  for (int e = 0; e < 12; ++e)
    EXPECT_EQ(lmAt(r, a, 0, 0, 100 + e), float(e) + 100.0f);
  EXPECT_EQ(lmRange(r, a, 0, 0, 200, 6),
            (std::vector<float>{0, 3, 1, 4, 2, 5}));
}

//===----------------------------------------------------------------------===//
// Timing of simple programs, derived by hand
//===----------------------------------------------------------------------===//

int64_t phaseCycles(const SimResult &r, size_t phase = 0) {
  return r.stats.phases.size() > phase ? r.stats.phases[phase].cycles : -1;
}

TEST(SimTimingTest, SingleInstructionCycles) {
  arch::Arch a = testArch(1, 1); // lanes 4, alu 1, exp 8
  auto cycles = [&](Instruction inst) {
    return phaseCycles(runSingle(a, {inst}, {}));
  };
  // vadd n=16, sources in different banks: ceil(16/4) = 4 beats + 1 = 5.
  EXPECT_EQ(cycles(I::binary(Opcode::VAdd, O::mem(100), O::mem(0),
                             O::mem(kBank1), 16)),
            5);
  // Both sources in bank 0: each beat takes 2 cycles: 4*2 + 1 = 9.
  EXPECT_EQ(
      cycles(I::binary(Opcode::VAdd, O::mem(100), O::mem(0), O::mem(16), 16)),
      9);
  // A broadcast (stride 0) or immediate source is read once: no conflict.
  EXPECT_EQ(cycles(I::binary(Opcode::VAdd, O::mem(100), O::mem(0),
                             O::mem(16, 0), 16)),
            5);
  // vexp n=8: 2 beats + exp latency 8 = 10.
  EXPECT_EQ(cycles(I::unary(Opcode::VExp, O::mem(100), O::mem(0), 8)), 10);
  // reduce.sum n=16: 4 beats + alu 1 + log2(4) = 7.
  EXPECT_EQ(cycles(I::reduce(Opcode::ReduceSum, O::mem(100), O::mem(0), 16)),
            7);
  // bfly.c n=8: 16 words = 4 flits, 2 beats per flit = 8 beats + 1 = 9.
  EXPECT_EQ(cycles(I::bfly(O::mem(100), O::mem(0), O::mem(kBank1), 8, 1,
                           flag::Complex)),
            9);
  // gemm m=2 n=4 k=3: 2*3*ceil(4/4) = 6 beats; a and acc share bank 0:
  // factor 2 -> 12 + 1 = 13.
  EXPECT_EQ(
      cycles(I::gemm(O::mem(100), O::mem(0), O::mem(kBank1), 2, 4, 3, false)),
      13);
  // loop (1 cycle) + 3 x (vadd n=4: 1 beat + 1) = 7.
  Program p = newProgram(a);
  Phase ph;
  ph.name = "m";
  ph.pes.push_back(
      pe(0, 0,
         {I::loop(3, 1),
          I::binary(Opcode::VAdd, O::mem(100), O::mem(0), O::mem(kBank1), 4)}));
  p.phases.push_back(ph);
  SimResult r = runOk(p, a);
  EXPECT_EQ(phaseCycles(r), 7);
  // Configuration: 2 instructions = 64 bytes -> 64/16 = 4 cycles.
  EXPECT_EQ(r.stats.phases[0].configBytes, 64);
  EXPECT_EQ(r.stats.phases[0].configCycles, 4);
  EXPECT_EQ(r.stats.cycles, 11);
  EXPECT_EQ(r.stats.phases[0].pes[0].instructions, 4);
}

/// PE(0,0) sends \p words words to PE(0,dstCol) over \p links.
Program sendProgram(const arch::Arch &a, int64_t words,
                    std::vector<Instruction> consumer, Route r) {
  Program p = newProgram(a);
  Phase ph;
  ph.name = "m";
  ph.pes.push_back(
      pe(0, 0, {I::mov(O::out(0), O::mem(0), words)}, {{0, iota(words)}}));
  ph.pes.push_back(
      pe(r.dsts[0].node.row, r.dsts[0].node.col, std::move(consumer)));
  ph.routes.push_back(r);
  p.phases.push_back(ph);
  return p;
}

TEST(SimTimingTest, ProducerConsumerStreamLatency) {
  arch::Arch a = testArch(1, 8);
  // Producer beats (flit k) in cycles 0..3; flit k is available to the route
  // at k+1 (alu latency 1), injected then, and reaches the neighbour (1 hop)
  // at k+2. The consumer's beats are cycles 2..5; +1 latency: it finishes at
  // 7. The producer finishes at 3 + 1 + 1 = 5.
  Program p = sendProgram(a, 16, {I::mov(O::mem(0), O::in(0), 16)},
                          route(pePort(0, 0, 0), {pePort(0, 1, 0)}));
  SimResult r = runOk(p, a);
  EXPECT_EQ(phaseCycles(r), 7);
  EXPECT_EQ(r.stats.phases[0].pes[0].finishCycle, 5);
  EXPECT_EQ(lmRange(r, a, 0, 1, 0, 16), iota(16));
  // 4 flits x 1 hop.
  EXPECT_EQ(r.stats.nocFlitHops, 4);

  // Four hops: arrival at k+5, consumer beats 5..8, finish 10.
  Program far = sendProgram(a, 16, {I::mov(O::mem(0), O::in(0), 16)},
                            route(pePort(0, 0, 0), {pePort(0, 4, 0)}));
  SimResult rf = runOk(far, a);
  EXPECT_EQ(phaseCycles(rf), 10);
  EXPECT_EQ(rf.stats.nocFlitHops, 16);
}

TEST(SimTimingTest, ExpressLinkLatency) {
  arch::Arch a = testArch(1, 8);
  a.nocExpress = true;
  // One express link skips 4 PEs: 1 hop, the same timing as a neighbour.
  Route r;
  r.src = pePort(0, 0, 0);
  r.dsts = {pePort(0, 4, 0)};
  r.links = {{{0, 0}, {0, 4}}};
  Program p = sendProgram(a, 16, {I::mov(O::mem(0), O::in(0), 16)}, r);
  SimResult res = runOk(p, a);
  EXPECT_EQ(phaseCycles(res), 7);
  EXPECT_EQ(res.stats.nocFlitHops, 4);
  EXPECT_EQ(lmRange(res, a, 0, 4, 0, 16), iota(16));
  // Express 4 + mesh 1 to PE(0,5): 2 hops, consumer beats 3..6, finish 8.
  Route r2 = r;
  r2.dsts = {pePort(0, 5, 0)};
  r2.links.push_back({{0, 4}, {0, 5}});
  Program p2 = sendProgram(a, 16, {I::mov(O::mem(0), O::in(0), 16)}, r2);
  EXPECT_EQ(phaseCycles(runOk(p2, a)), 8);
  // Without express links the arch rejects the link.
  arch::Arch plain = testArch(1, 8);
  Program p3 = p;
  p3.arch = plain;
  EXPECT_CONTAINS(verifyError(p3, plain),
                  "link (0,0)->(0,4) is not a link of the mesh (express "
                  "links are disabled)");
}

TEST(SimTimingTest, BackPressureStallsProducer) {
  arch::Arch a = testArch(1, 2); // fifo_depth 4, exp latency 8
  // The producer sends 16 flits; the consumer takes one flit per vexp, and
  // each vexp holds its datapath 1 beat + 8 latency = 9 cycles, so it pops
  // flit j at c_j = 2 + 9j (the first arrives at 2; the loop instruction
  // takes cycle 0). It finishes after its last vexp: 2 + 9*15 + 9 = 146.
  //
  // Credit: the consumer's in-FIFO accepts fifo_depth + hops = 5 flits in
  // flight or queued, the producer's out-FIFO holds 4. Flits 0..5 are
  // injected at cycles 1..6 (flit 0 was popped at 2); flit 6 waits for the
  // pop of flit 1 (cycle 11) and is injected at 12, flit 7 at 21, flit 8 at
  // 30, then every 9 cycles. The producer's beats 0..9 run in cycles 0..9
  // (out-FIFO holds flits 6..9), beat 10 waits for the injection at 12, beat
  // 11 for the one at 21, ..., beat 15 for the one at 57. It finishes at
  // 57 + 1 + 1 = 59.
  std::vector<Instruction> consumer = {
      I::loop(16, 1), I::unary(Opcode::VExp, O::mem(0, 1, 4), O::in(0), 4)};
  Program p =
      sendProgram(a, 64, consumer, route(pePort(0, 0, 0), {pePort(0, 1, 0)}));
  SimResult r = runOk(p, a);
  ASSERT_EQ(r.stats.phases.size(), 1u);
  EXPECT_EQ(r.stats.phases[0].pes[0].finishCycle, 59);
  EXPECT_EQ(r.stats.phases[0].pes[1].finishCycle, 146);
  EXPECT_EQ(phaseCycles(r), 146);
  for (int e = 0; e < 64; ++e)
    EXPECT_FLOAT_EQ(lmAt(r, a, 0, 1, e), std::exp(float(e + 1)));
}

TEST(SimTimingTest, MulticastDeliversToAll) {
  arch::Arch a = testArch(3, 3);
  Program p = newProgram(a);
  Phase ph;
  ph.name = "m";
  ph.pes.push_back(pe(0, 0, {I::mov(O::out(1), O::mem(0), 8)}, {{0, iota(8)}}));
  std::vector<Endpoint> dsts = {pePort(0, 2, 0), pePort(2, 1, 3),
                                pePort(0, 1, 2)};
  for (const Endpoint &d : dsts)
    ph.pes.push_back(
        pe(d.node.row, d.node.col, {I::mov(O::mem(10), O::in(d.port), 8)}));
  Route r = route(pePort(0, 0, 1), dsts);
  // Tree: (0,0)->(0,1)->(0,2), (0,1)->(1,1)->(2,1): 4 links.
  ASSERT_EQ(r.links.size(), 4u);
  ph.routes.push_back(r);
  p.phases.push_back(ph);
  SimResult res = runOk(p, a);
  for (const Endpoint &d : dsts)
    EXPECT_EQ(lmRange(res, a, d.node.row, d.node.col, 10, 8), iota(8));
  // 2 flits, each crossing the 4 links of the tree once.
  EXPECT_EQ(res.stats.nocFlitHops, 8);
  // The farthest destination is 3 hops away: flit 1 (beat 1, available at
  // 2) arrives at 5; that consumer's beats are 4 and 5, it finishes at 7.
  EXPECT_EQ(phaseCycles(res), 7);
}

TEST(SimTimingTest, PeMulticastToTwoPortsAndForwarding) {
  arch::Arch a = testArch(2, 4);
  Program p = newProgram(a);
  Phase ph;
  ph.name = "m";
  // PE(0,1) receives, adds 1 and sends the result to out0 and out1; PE(0,2)
  // forwards out0's stream port to port; PE(0,3) stores both.
  ph.pes.push_back(pe(0, 0, {I::mov(O::out(0), O::mem(0), 8)}, {{0, iota(8)}}));
  ph.pes.push_back(pe(0, 1,
                      {I::binary(Opcode::VAdd, O::outMask(3), O::in(0),
                                 O::immediate(1.0f), 8)}));
  ph.pes.push_back(pe(0, 2, {I::mov(O::out(0), O::in(0), 8)}));
  ph.pes.push_back(pe(
      0, 3, {I::mov(O::mem(0), O::in(0), 8), I::mov(O::mem(8), O::in(1), 8)}));
  ph.routes.push_back(route(pePort(0, 0, 0), {pePort(0, 1, 0)}));
  ph.routes.push_back(route(pePort(0, 1, 0), {pePort(0, 2, 0)}));
  ph.routes.push_back(route(pePort(0, 2, 0), {pePort(0, 3, 0)}));
  // out1 of PE(0,1) detours south so it does not share (0,1)->(0,2).
  Route detour;
  detour.src = pePort(0, 1, 1);
  detour.dsts = {pePort(0, 3, 1)};
  detour.links = {
      {{0, 1}, {1, 1}}, {{1, 1}, {1, 2}}, {{1, 2}, {1, 3}}, {{1, 3}, {0, 3}}};
  ph.routes.push_back(detour);
  p.phases.push_back(ph);
  SimResult r = runOk(p, a);
  EXPECT_EQ(lmRange(r, a, 0, 3, 0, 8), iota(8, 2));
  EXPECT_EQ(lmRange(r, a, 0, 3, 8, 8), iota(8, 2));
}

TEST(SimTimingTest, BarrierSynchronisesPEs) {
  arch::Arch a = testArch(1, 2);
  Program p = newProgram(a);
  Phase ph;
  ph.name = "m";
  // PE(0,0): vexp n=4 (1 + 8 = 9 cycles), barrier at 9, released for 10.
  // PE(0,1): barrier at 0 waits until 9; both run vadd (2 cycles) at 10 and
  // finish at 12.
  ph.pes.push_back(
      pe(0, 0,
         {I::unary(Opcode::VExp, O::mem(0), O::mem(0), 4), I::barrier(),
          I::binary(Opcode::VAdd, O::mem(8), O::mem(0), O::immediate(1), 4)}));
  ph.pes.push_back(
      pe(0, 1,
         {I::barrier(),
          I::binary(Opcode::VAdd, O::mem(8), O::mem(0), O::immediate(1), 4)}));
  p.phases.push_back(ph);
  SimResult r = runOk(p, a);
  EXPECT_EQ(r.stats.phases[0].pes[0].finishCycle, 12);
  EXPECT_EQ(r.stats.phases[0].pes[1].finishCycle, 12);
}

//===----------------------------------------------------------------------===//
// DMA, global buffer, phases
//===----------------------------------------------------------------------===//

TEST(SimDmaTest, DramTransfersBandwidthAndLatency) {
  arch::Arch a = testArch(2, 2); // 51.2 GB/s at 1 GHz, 100 ns
  Program p = newProgram(a);
  p.dramWords = 1024;
  p.buffers = {{"buf", 0, 1024}};
  p.inputs = {{"x", ElementKind::F32, {256}, 0}};
  p.outputs = {{"y", ElementKind::F32, {256}, 512}};
  Phase ph;
  ph.name = "m";
  // 1024 bytes: 1024 / 51.2 = 20 cycles on the channel + 100 latency.
  ph.dmas.push_back(Dma::make(DmaKind::DramToGb, 0, 0, {0, 0}, {{256, 1, 1}}));
  // The second waits for the first: starts at 120, done at 240.
  ph.dmas.push_back(Dma::make(DmaKind::GbToDram, 512, 0, {0, 0}, {{256, 1, 1}}, {0}));
  p.phases.push_back(ph);
  Tensor x = Tensor::zeros(ElementKind::F32, {256});
  for (int i = 0; i < 256; ++i)
    x.data[i] = float(i) * 0.5f;
  SimResult r = runOk(p, a, {x});
  EXPECT_EQ(phaseCycles(r), 240);
  EXPECT_EQ(r.outputs[0].data, x.data);
  EXPECT_EQ(r.stats.dramBytes, 2048);
  EXPECT_EQ(r.stats.gbBytes, 2048);

  // Two independent transfers share the channel: the second occupies it in
  // cycles 20..40 and lands at 140.
  Program q = p;
  q.phases[0].dmas[1].waitFor.clear();
  q.phases[0].dmas[1].dramAddr = 256;
  q.phases[0].dmas[1].kind = DmaKind::DramToGb;
  q.phases[0].dmas[1].gbAddr = 512;
  q.outputs.clear();
  EXPECT_EQ(phaseCycles(runOk(q, a, {x})), 140);
}

TEST(SimDmaTest, StridedPatternsThroughEdgePorts) {
  arch::Arch a = testArch(2, 2);
  Program p = newProgram(a);
  // x is 4x6 in DRAM. Load its transpose (6x4) into GB with an n-D
  // pattern, stream the middle 4 rows (16 elements) into PE(0,0) through
  // the west edge, add 100, send north, and write back with a 2-D
  // pattern that reverses the columns.
  p.dramWords = 64;
  p.inputs = {{"x", ElementKind::F32, {4, 6}, 0}};
  p.outputs = {{"y", ElementKind::F32, {4, 4}, 32}};
  p.buffers = {{"xt", 0, 24}, {"yt", 32, 16}};
  Phase ph;
  ph.name = "m";
  // gb[j*4 + i] = x[i*6 + j]: dims (j: 6, dram 1, gb 4), (i: 4, dram 6, gb 1)
  ph.dmas.push_back(
      Dma::make(DmaKind::DramToGb, 0, 0, {0, 0}, {{6, 1, 4}, {4, 6, 1}}));
  ph.dmas.push_back(Dma::make(DmaKind::GbToEdge, 0, 4, {0, -1}, {{16, 0, 1}}, {0}));
  // Sink: flit r (row r of the 4x4 tile) lands reversed: gb[32 + r*4 + 3-c].
  ph.dmas.push_back(
      Dma::make(DmaKind::EdgeToGb, 0, 35, {-1, 0}, {{4, 0, 4}, {4, 0, -1}}));
  ph.dmas.push_back(Dma::make(DmaKind::GbToDram, 32, 32, {0, 0}, {{16, 1, 1}}, {2}));
  ph.pes.push_back(pe(0, 0,
                      {I::binary(Opcode::VAdd, O::out(0), O::in(0),
                                 O::immediate(100.0f), 16)}));
  ph.routes.push_back(route(west(0), {pePort(0, 0, 0)}));
  ph.routes.push_back(route(pePort(0, 0, 0), {north(0)}));
  p.phases.push_back(ph);
  Tensor x = Tensor::zeros(ElementKind::F32, {4, 6});
  for (int i = 0; i < 24; ++i)
    x.data[i] = float(i);
  SimResult r = runOk(p, a, {x});
  ASSERT_EQ(r.outputs.size(), 1u);
  // Tile row rr is x^T row (rr + 1), i.e. column rr + 1 of x.
  for (int rr = 0; rr < 4; ++rr)
    for (int c = 0; c < 4; ++c)
      EXPECT_EQ(r.outputs[0].data[rr * 4 + (3 - c)],
                x.data[c * 6 + (rr + 1)] + 100.0f)
          << rr << "," << c;
  EXPECT_GT(r.stats.gbBytes, 0);
}

TEST(SimDmaTest, PhasesReconfigurationAndLocalMemoryPersistence) {
  arch::Arch a = testArch(1, 1);
  Program p = newProgram(a);
  Phase first, second;
  first.name = "produce";
  // 1 instruction + an 8-word image: 32 + (8 + 32) = 72 bytes -> 5 cycles.
  first.pes.push_back(
      pe(0, 0,
         {I::binary(Opcode::VMul, O::mem(0), O::mem(0), O::immediate(2.0f), 8)},
         {{0, iota(8)}}));
  second.name = "consume";
  // 2 instructions: 64 bytes -> 4 cycles. Local memory persists.
  second.pes.push_back(
      pe(0, 0,
         {I::binary(Opcode::VAdd, O::mem(8), O::mem(0), O::immediate(1.0f), 8),
          I::halt()}));
  p.phases = {first, second};
  SimResult r = runOk(p, a);
  ASSERT_EQ(r.stats.phases.size(), 2u);
  EXPECT_EQ(r.stats.phases[0].configBytes, 72);
  EXPECT_EQ(r.stats.phases[0].configCycles, 5);
  EXPECT_EQ(r.stats.phases[1].configCycles, 4);
  // Each phase: 2 beats + 1 = 3 cycles.
  EXPECT_EQ(r.stats.phases[0].cycles, 3);
  EXPECT_EQ(r.stats.phases[1].cycles, 3);
  EXPECT_EQ(r.stats.cycles, 5 + 3 + 4 + 3);
  EXPECT_EQ(lmRange(r, a, 0, 0, 8, 8), iota(8, 3, 2));
  EXPECT_EQ(r.stats.phases[0].name, "produce");
}

//===----------------------------------------------------------------------===//
// Deadlock and run-time errors
//===----------------------------------------------------------------------===//

TEST(SimErrorTest, DeadlockNamesPEsAndPorts) {
  arch::Arch a = testArch(2, 2);
  Program p = newProgram(a);
  Phase ph;
  ph.name = "m";
  // Both PEs wait to receive before they send.
  ph.pes.push_back(pe(
      0, 0, {I::mov(O::mem(0), O::in(0), 4), I::mov(O::out(0), O::mem(0), 4)}));
  ph.pes.push_back(pe(
      0, 1, {I::mov(O::mem(0), O::in(2), 4), I::mov(O::out(1), O::mem(0), 4)}));
  ph.routes.push_back(route(pePort(0, 0, 0), {pePort(0, 1, 2)}));
  ph.routes.push_back(route(pePort(0, 1, 1), {pePort(0, 0, 0)}));
  p.phases.push_back(ph);
  std::string msg = runError(p, a);
  EXPECT_CONTAINS(msg, "deadlock at cycle 1 in phase 0: ");
  EXPECT_CONTAINS(msg, "PE(0,0) `mov lm[0], in0 n=4` (instruction 0, beat 0 "
                       "of 1) waits for data on in0 (FIFO empty)");
  EXPECT_CONTAINS(msg, "PE(0,1) `mov lm[0], in2 n=4`");
  EXPECT_CONTAINS(msg, "waits for data on in2 (FIFO empty)");
}

TEST(SimErrorTest, CreditDeadlockNamesTheFullFifo) {
  arch::Arch a = testArch(2, 2);
  Program p = newProgram(a);
  Phase ph;
  ph.name = "m";
  // PE(0,0) streams 40 flits on out0, then 1 on out1; PE(0,1) wants the
  // out1 flit first. out0's stream fills PE(0,1).in0 and PE(0,0).out0.
  ph.pes.push_back(
      pe(0, 0,
         {I::mov(O::out(0), O::mem(0), 160), I::mov(O::out(1), O::mem(0), 4)}));
  ph.pes.push_back(
      pe(0, 1,
         {I::mov(O::mem(0), O::in(1), 4), I::mov(O::mem(0), O::in(0), 160)}));
  ph.routes.push_back(route(pePort(0, 0, 0), {pePort(0, 1, 0)}));
  Route detour;
  detour.src = pePort(0, 0, 1);
  detour.dsts = {pePort(0, 1, 1)};
  detour.links = {{{0, 0}, {1, 0}}, {{1, 0}, {1, 1}}, {{1, 1}, {0, 1}}};
  ph.routes.push_back(detour);
  p.phases.push_back(ph);
  std::string msg = runError(p, a);
  EXPECT_CONTAINS(msg, "deadlock at cycle");
  EXPECT_CONTAINS(msg, "PE(0,0) `mov out0, lm[0] n=160`");
  EXPECT_CONTAINS(msg, "waits for credit on out0 (FIFO full; PE(0,1) in0 is "
                       "full)");
  EXPECT_CONTAINS(msg, "PE(0,1) `mov lm[0], in1 n=4`");
  EXPECT_CONTAINS(msg, "waits for data on in1 (FIFO empty)");
}

TEST(SimErrorTest, LeftoverFlitsAndBadInputs) {
  arch::Arch a = testArch(1, 2);
  Program p = sendProgram(a, 16, {I::mov(O::mem(0), O::in(0), 8)},
                          route(pePort(0, 0, 0), {pePort(0, 1, 0)}));
  EXPECT_CONTAINS(runError(p, a),
                  "phase 0 ended with 2 unconsumed flit(s) in PE(0,1) in0");

  Program q = newProgram(a);
  q.dramWords = 8;
  q.inputs = {{"x", ElementKind::F32, {2, 4}, 0}};
  EXPECT_CONTAINS(runError(q, a, {}), "takes 1 inputs, got 0");
  EXPECT_CONTAINS(runError(q, a, {Tensor::zeros(ElementKind::F32, {4, 2})}),
                  "input 0 ('x') must be tensor<2x4xf32>, got tensor<4x2xf32>");
}

//===----------------------------------------------------------------------===//
// verify()
//===----------------------------------------------------------------------===//

TEST(VerifyTest, Messages) {
  arch::Arch a = testArch(2, 2);
  auto withPe = [&](std::vector<Instruction> code) {
    Program p = newProgram(a);
    Phase ph;
    ph.name = "m";
    ph.pes.push_back(pe(1, 0, std::move(code)));
    p.phases.push_back(ph);
    return p;
  };
  EXPECT_EQ(verifyError(withPe({I::halt()}), a), "");

  // Slots: a loop body counts once, the loop instruction once.
  std::vector<Instruction> many(65, I::nop());
  EXPECT_CONTAINS(verifyError(withPe(many), a),
                  "phase 0: PE(1,0): 65 instructions exceed the 64 "
                  "instruction slots");
  // Local memory over all loop iterations: 5 iterations of 16 words from
  // 4000 step 20 end at word 4095; a sixth would run to 4115.
  EXPECT_EQ(verifyError(withPe({I::loop(5, 1), I::mov(O::mem(4000, 1, 20),
                                                      O::immediate(0), 16)}),
                        a),
            "");
  EXPECT_CONTAINS(
      verifyError(withPe({I::loop(6, 1),
                          I::mov(O::mem(4000, 1, 20), O::immediate(0), 16)}),
                  a),
      "phase 0: PE(1,0): instruction 1 `mov lm[4000:1:20:0], #0 n=16`: "
      "operand dst covers local memory [4000, 4116) over its loop "
      "iterations, outside [0, 4096)");
  // Ports.
  EXPECT_CONTAINS(verifyError(withPe({I::mov(O::mem(0), O::in(5), 4)}), a),
                  "operand a reads in5, but a PE has in-ports in0..in3");
  EXPECT_CONTAINS(verifyError(withPe({I::mov(O::mem(0), O::in(2), 4)}), a),
                  "phase 0: PE(1,0): instruction 0 `mov lm[0], in2 n=4` "
                  "reads in2, but no route delivers to PE(1,0) in2");
  EXPECT_CONTAINS(verifyError(withPe({I::mov(O::out(3), O::mem(0), 4)}), a),
                  "writes out3, but no route starts at PE(1,0) out3");
  // Operand kinds, parameters, loops.
  EXPECT_CONTAINS(
      verifyError(withPe({I::bfly(O::mem(0), O::in(0), O::mem(64), 8, 2, 0)}),
                  a),
      "operand a of bfly cannot be a port");
  EXPECT_CONTAINS(
      verifyError(withPe({I::bfly(O::mem(0), O::mem(0), O::mem(64), 6, 2, 0)}),
                  a),
      "n=6 must be a multiple of 2*stride (stride=2)");
  EXPECT_CONTAINS(verifyError(withPe({I::loop(2, 3), I::nop()}), a),
                  "loop body [1, 4) runs past the end of the program (2 "
                  "instructions)");
  EXPECT_CONTAINS(
      verifyError(withPe({I::mov(O::mem(0, 1, 4), O::immediate(1), 4)}), a),
      "operand dst has inc0 but no enclosing loop");
  // PE coordinates.
  Program outside = withPe({});
  outside.phases[0].pes[0].row = 2;
  EXPECT_CONTAINS(verifyError(outside, a),
                  "phase 0: PE(2,0) is outside the 2x2 array");
  // Arch mismatch.
  Program other = withPe({});
  other.arch.lanes = 8;
  EXPECT_CONTAINS(verifyError(other, a),
                  "program was compiled for lanes=8, but the arch has "
                  "lanes=4");
}

TEST(VerifyTest, RouteMessages) {
  arch::Arch a = testArch(2, 3);
  auto twoPe = [&](std::vector<Route> routes) {
    Program p = newProgram(a);
    Phase ph;
    ph.name = "m";
    ph.pes.push_back(pe(0, 0, {I::mov(O::out(0), O::mem(0), 4)}));
    ph.pes.push_back(pe(0, 2, {I::mov(O::mem(0), O::in(0), 4)}));
    ph.pes.push_back(pe(1, 2, {I::mov(O::mem(0), O::in(1), 4)}));
    ph.routes = std::move(routes);
    p.phases.push_back(ph);
    return p;
  };
  Route good = route(pePort(0, 0, 0), {pePort(0, 2, 0), pePort(1, 2, 1)});
  EXPECT_EQ(verifyError(twoPe({good}), a), "");
  Route gap = good;
  gap.links = {{{0, 0}, {0, 1}}, {{0, 2}, {1, 2}}, {{0, 1}, {0, 2}}};
  EXPECT_CONTAINS(verifyError(twoPe({gap}), a),
                  "phase 0: route 0: route is not contiguous: link "
                  "(0,2)->(1,2) starts at (0,2), which no earlier link "
                  "reaches from (0,0)");
  Route missing = good;
  missing.links.pop_back();
  EXPECT_CONTAINS(verifyError(twoPe({missing}), a),
                  "destination PE(1,2) in1 is not reached by the route's "
                  "links");
  Route diagonal = good;
  diagonal.links = {{{0, 0}, {1, 1}}};
  EXPECT_CONTAINS(verifyError(twoPe({diagonal}), a),
                  "link (0,0)->(1,1) is not a link of the mesh");
  // Two streams on one link direction: the second route reuses
  // (0,0)->(0,1).
  Program shared = twoPe({route(pePort(0, 0, 0), {pePort(0, 2, 0)}),
                          route(pePort(0, 0, 1), {pePort(1, 2, 1)})});
  shared.phases[0].pes[0].instructions.push_back(
      I::mov(O::out(1), O::mem(0), 4));
  EXPECT_CONTAINS(verifyError(shared, a),
                  "phase 0: link (0,0)->(0,1) carries two streams (routes 0 "
                  "and 1); a link direction carries one stream per phase");
  Route spur = good;
  spur.links.push_back({{0, 0}, {1, 0}});
  EXPECT_CONTAINS(verifyError(twoPe({spur}), a),
                  "link (0,0)->(1,0) leads to no destination");
}

TEST(VerifyTest, MemoryAndDmaMessages) {
  arch::Arch a = testArch(2, 2);
  a.gbBytes = 4096; // 1024 words
  Program p = newProgram(a);
  p.dramWords = 100;
  p.buffers = {{"a", 0, 800}, {"b", 700, 400}};
  p.inputs = {{"x", ElementKind::Complex64, {60}, 0}};
  Phase ph;
  ph.name = "m";
  ph.dmas.push_back(Dma::make(DmaKind::DramToGb, 90, 0, {0, 0}, {{20, 1, 1}}));
  ph.dmas.push_back(Dma::make(DmaKind::GbToEdge, 0, 0, {1, 1}, {{4, 0, 1}}));
  ph.dmas.push_back(Dma::make(DmaKind::DramToGb, 0, 0, {0, 0}, {{4, 1, 1}}, {2}));
  p.phases.push_back(ph);
  std::string msg = verifyError(p, a);
  EXPECT_CONTAINS(msg, "GB buffer 'b' [700, 1100) exceeds the global buffer "
                       "of 1024 words");
  EXPECT_CONTAINS(msg, "GB buffers 'a' and 'b' overlap");
  EXPECT_CONTAINS(msg, "input 'x' occupies DRAM [0, 120), outside the "
                       "program's 100 DRAM words");
  EXPECT_CONTAINS(msg, "phase 0: DMA 0 (dram->gb): DRAM range [90, 110) is "
                       "outside the 100 DRAM words");
  EXPECT_CONTAINS(msg, "phase 0: DMA 1 (gb->edge): (1,1) is not an edge "
                       "port");
  EXPECT_CONTAINS(msg, "phase 0: DMA 2 (dram->gb): waits for DMA 2, which is "
                       "not an earlier DMA of the phase");
}

TEST(VerifyTest, NamesAreNonEmptyAndDistinct) {
  arch::Arch a = testArch(2, 2);
  auto named = [&](std::string buffer, std::string constant, std::string input,
                   std::string output, std::vector<std::string> phases) {
    Program p = newProgram(a);
    p.dramWords = 64;
    p.buffers = {{buffer, 0, 16}};
    p.constants = {{constant, MemSpace::Dram, 32, {1.0f}}};
    p.inputs = {{input, ElementKind::F32, {4}, 0}};
    p.outputs = {{output, ElementKind::F32, {4}, 8}};
    for (const std::string &name : phases) {
      Phase ph;
      ph.name = name;
      p.phases.push_back(ph);
    }
    return p;
  };
  EXPECT_EQ(verifyError(named("a", "c", "x", "y", {"m", "n"}), a), "");
  EXPECT_EQ(verifyError(named("a", "c", "x", "y", {"a", "n"}), a),
            "duplicate name 'a': buffer 0 and phase 0");
  EXPECT_EQ(verifyError(named("a", "c", "x", "y", {"m", "m"}), a),
            "duplicate name 'm': phase 0 and phase 1");
  EXPECT_EQ(verifyError(named("x", "c", "x", "y", {"m"}), a),
            "duplicate name 'x': buffer 0 and input 0");
  EXPECT_EQ(verifyError(named("a", "y", "x", "y", {"m"}), a),
            "duplicate name 'y': constant 0 and output 0");
  // Every later holder of a name is reported against the first.
  EXPECT_EQ(verifyError(named("a", "a", "a", "y", {"m"}), a),
            "duplicate name 'a': buffer 0 and constant 0\n"
            "duplicate name 'a': buffer 0 and input 0");
  EXPECT_EQ(verifyError(named("", "c", "x", "y", {"m"}), a),
            "buffer 0 has an empty name");
  EXPECT_EQ(verifyError(named("a", "c", "x", "", {"m"}), a),
            "output 0 has an empty name");
  EXPECT_EQ(verifyError(named("a", "c", "x", "y", {"m", ""}), a),
            "phase 1 has an empty name");
}

// Sums and products of user-controlled fields are checked (signed overflow
// would wrap to a value that passes); test/Dialect/Dfa/invalid-overflow.mlir
// has the same cases in IR.
TEST(VerifyTest, OverflowingRangesAreRejected) {
  arch::Arch a = testArch(2, 2);
  const int64_t kMax = std::numeric_limits<int64_t>::max();
  auto withDma = [&](Dma d) {
    Program p = newProgram(a);
    p.dramWords = 64;
    p.buffers = {{"b", 0, 64}};
    Phase ph;
    ph.name = "m";
    ph.dmas.push_back(std::move(d));
    p.phases.push_back(ph);
    return p;
  };
  EXPECT_EQ(verifyError(withDma(Dma::make(DmaKind::DramToGb, 0, 0, {0, 0},
                                    {{int64_t(1) << 32, 0, 0},
                                     {int64_t(1) << 32, 0, 0}})),
                        a),
            "phase 0: DMA 0 (dram->gb): moves more than 2^40 elements");
  EXPECT_EQ(verifyError(withDma(Dma::make(DmaKind::DramToGb, 0, 0, {0, 0},
                                    {{3, -kMax + 3, 0}})),
                        a),
            "phase 0: DMA 0 (dram->gb): DRAM range overflows int64 at "
            "dimension 0 (size 3, DRAM stride -9223372036854775804), "
            "outside the 64 DRAM words");
  EXPECT_EQ(verifyError(withDma(Dma::make(DmaKind::GbToDram, 0, 0, {0, 0},
                                    {{1, 0, 0}, {3, 0, kMax / 2 + 1}})),
                        a),
            "phase 0: DMA 0 (gb->dram): global-buffer range overflows int64 "
            "at dimension 1 (size 3, GB stride 4611686018427387904), so it "
            "is not inside one GB buffer");
  // Sums with an address near 2^63.
  Program p = newProgram(a);
  p.dramWords = 64;
  p.buffers = {{"big", kMax, 2}};
  p.constants = {{"c", MemSpace::Dram, kMax, {1.0f, 2.0f}},
                 {"g", MemSpace::Gb, kMax, {1.0f, 2.0f}}};
  p.inputs = {{"x", ElementKind::F32, {2}, kMax},
              {"w", ElementKind::F32, {int64_t(1) << 62, 4}, 0},
              {"z", ElementKind::F32, {int64_t(1) << 62, 4, 0}, 64}};
  Phase ph;
  ph.name = "m";
  ph.pes.push_back(pe(0, 0, {I::halt()}, {{kMax, {1.0f, 2.0f}}}));
  p.phases.push_back(ph);
  EXPECT_EQ(
      verifyError(p, a),
      "GB buffer 'big' [9223372036854775807, 9223372036854775809) exceeds "
      "the global buffer of 524288 words\n"
      "constant 'c' occupies DRAM [9223372036854775807, "
      "9223372036854775809), outside the program's 64 DRAM words\n"
      "constant 'g' occupies GB [9223372036854775807, 9223372036854775809), "
      "which is not inside one GB buffer\n"
      "input 'x' occupies DRAM [9223372036854775807, 9223372036854775809), "
      "outside the program's 64 DRAM words\n"
      "input 'w' has more than 2^63-1 words (the product of its dimensions "
      "overflows int64)\n"
      "phase 0: PE(0,0): local-memory image [9223372036854775807, "
      "9223372036854775809) is outside local memory (4096 words)");
  // A zero dimension makes an empty tensor, however large the others.
  EXPECT_EQ(
      (TensorSig{"z", ElementKind::F32, {int64_t(1) << 62, 4, 0}, 0}).words(),
      0);
  EXPECT_EQ(
      (TensorSig{"w", ElementKind::Complex64, {int64_t(1) << 62}, 0}).words(),
      -1);
  EXPECT_EQ((TensorSig{"n", ElementKind::F32, {-1, 0}, 0}).words(), -1);
  // A loop body length near 2^63 and fields that do not fit: reported
  // once, without forming operand extents from them.
  Program q = newProgram(a);
  Phase qh;
  qh.name = "m";
  Instruction loop = I::loop(1, 1);
  loop.p1 = kMax;
  Instruction gemm = I::gemm(O::mem(0), O::mem(0), O::mem(0), 1, 1, 1, true);
  gemm.p0 = kMax;
  gemm.n = kMax;
  qh.pes.push_back(pe(0, 0, {loop, gemm, I::halt()}));
  q.phases.push_back(qh);
  std::string msg = verifyError(q, a);
  EXPECT_CONTAINS(msg, "p1=9223372036854775807 does not fit 16 bits");
  EXPECT_CONTAINS(msg, "loop body [1, 9223372036854775808) runs past the end "
                       "of the program (3 instructions)");
  EXPECT_CONTAINS(msg, "n=9223372036854775807 does not fit 16 bits");
  EXPECT_CONTAINS(msg, "p0=9223372036854775807 does not fit 16 bits");
  EXPECT_EQ(msg.find("covers local memory"), std::string::npos) << msg;
}

//===----------------------------------------------------------------------===//
// Stats, trace, energy, determinism
//===----------------------------------------------------------------------===//

TEST(SimStatsTest, JsonKeysEnergyTraceDeterminism) {
  arch::Arch a = testArch(1, 2);
  Program p = sendProgram(
      a, 16,
      {I::binary(Opcode::VFma, O::mem(0), O::in(0), O::immediate(2.0f), 16)},
      route(pePort(0, 0, 0), {pePort(0, 1, 0)}));
  SimOptions opts;
  opts.trace = true;
  SimResult r = runOk(p, a, {}, opts);
  SimResult again = runOk(p, a, {}, opts);
  EXPECT_EQ(r.stats.cycles, again.stats.cycles);
  EXPECT_EQ(r.localMemory, again.localMemory);
  EXPECT_EQ(r.stats.flops, 32);
  EXPECT_EQ(r.stats.peakFlopsPerCycle, 2 * 4 * 2);
  // Busy: 4 beats of vfma on one of 2 PEs over the phase's cycles.
  EXPECT_EQ(r.stats.phases[0].pes[1].busyCycles, 4);
  const EnergyBreakdown &e = r.stats.energyPj;
  EXPECT_DOUBLE_EQ(e.fpOps, 16 * a.energy.fpOpPj);
  EXPECT_DOUBLE_EQ(e.noc, 4 * a.energy.nocHopPerFlitPj);
  // LM: producer reads 16; vfma reads and writes dst (32).
  EXPECT_DOUBLE_EQ(e.localMem, 48 * a.energy.localMemAccessPj);
  EXPECT_DOUBLE_EQ(e.leakage,
                   2.0 * double(r.stats.cycles) * a.energy.leakagePerPeCyclePj);
  EXPECT_NEAR(e.total,
              e.fpOps + e.localMem + e.globalBuffer + e.noc + e.dram +
                  e.leakage + e.config,
              1e-9);

  llvm::json::Value json = statsToJson(r.stats);
  llvm::json::Object *obj = json.getAsObject();
  ASSERT_TRUE(obj);
  for (const char *key :
       {"cycles", "seconds", "clock_hz", "flops", "peak_flops_per_cycle",
        "pe_utilization", "dram_bytes", "gb_bytes", "noc_flit_hops",
        "energy_pj", "phases", "roofline"})
    EXPECT_TRUE(obj->get(key)) << key;
  EXPECT_EQ(obj->getInteger("cycles"), r.stats.cycles);
  EXPECT_TRUE(obj->getObject("energy_pj")->get("total"));
  EXPECT_EQ((*obj->getArray("phases"))[0].getAsObject()->getInteger("cycles"),
            r.stats.phases[0].cycles);

  llvm::json::Value trace = traceToJson(r);
  llvm::json::Array *events = trace.getAsObject()->getArray("traceEvents");
  ASSERT_TRUE(events);
  int spans = 0;
  for (const llvm::json::Value &ev : *events)
    if (ev.getAsObject()->getString("ph") == "X" &&
        ev.getAsObject()->getString("cat") == "pe")
      ++spans;
  EXPECT_EQ(spans, 2);
}

//===----------------------------------------------------------------------===//
// Roofline
//===----------------------------------------------------------------------===//

TEST(SimRooflineTest, BoundsFromSignatureAndConstants) {
  // tiny4x4: peak 4*4 PEs * 4 lanes * 2 = 128 flops/cycle, DRAM 16 GB/s at
  // 1 GHz = 16 bytes/cycle.
  arch::Arch a = test::tinyArch();
  Program p = newProgram(a);
  // Inputs: 4x8 f32 = 32 words, 16 complex64 = 32 words: 128 + 128 bytes.
  p.inputs = {{"x", ElementKind::F32, {4, 8}, 0},
              {"z", ElementKind::Complex64, {16}, 32}};
  // Constants: 10 words in DRAM and 6 in the GB, both counted: 40 + 24.
  p.constants = {{"w", MemSpace::Dram, 64, std::vector<float>(10, 1.0f)},
                 {"g", MemSpace::Gb, 0, std::vector<float>(6, 2.0f)}};
  // Output: 2x4 f32 = 8 words = 32 bytes.
  p.outputs = {{"y", ElementKind::F32, {2, 4}, 80}};
  SimStats stats;
  stats.flops = 1024;
  stats.cycles = 100;
  stats.dramBytes = 999; // simulated traffic plays no part

  // 352 bytes / 16 = 22 cycles against 1024 / 128 = 8: DRAM binds, and the
  // run takes 100 / 22 of it.
  Roofline r = computeRoofline(p, a, stats);
  EXPECT_EQ(r.flops, 1024);
  EXPECT_EQ(r.inputBytes, 256);
  EXPECT_EQ(r.constantBytes, 64);
  EXPECT_EQ(r.outputBytes, 32);
  EXPECT_EQ(r.compulsoryDramBytes, 352);
  EXPECT_EQ(r.peakFlopsPerCycle, 128);
  EXPECT_DOUBLE_EQ(r.dramBytesPerCycle, 16.0);
  EXPECT_DOUBLE_EQ(r.computeBoundCycles, 8.0);
  EXPECT_DOUBLE_EQ(r.dramBoundCycles, 22.0);
  EXPECT_DOUBLE_EQ(r.boundCycles, 22.0);
  EXPECT_EQ(r.bound, RooflineBound::Dram);
  EXPECT_DOUBLE_EQ(r.cyclesOverBound, 100.0 / 22.0);

  // 4096 flops: 32 cycles of compute beat the 22 of DRAM; 100 / 32.
  stats.flops = 4096;
  r = computeRoofline(p, a, stats);
  EXPECT_EQ(r.bound, RooflineBound::Compute);
  EXPECT_DOUBLE_EQ(r.boundCycles, 32.0);
  EXPECT_DOUBLE_EQ(r.cyclesOverBound, 3.125);

  // A tie (22 * 128 = 2816 flops) is compute-bound.
  stats.flops = 2816;
  EXPECT_EQ(computeRoofline(p, a, stats).bound, RooflineBound::Compute);

  // The arch it runs on sets the rates: at 2 GHz DRAM moves 8 bytes/cycle,
  // 352 / 8 = 44 cycles.
  arch::Arch fast = a;
  fast.clockHz = 2e9;
  r = computeRoofline(p, fast, stats);
  EXPECT_DOUBLE_EQ(r.dramBytesPerCycle, 8.0);
  EXPECT_DOUBLE_EQ(r.dramBoundCycles, 44.0);
  EXPECT_EQ(r.bound, RooflineBound::Dram);

  // Nothing to compute or move: no bound, and no ratio to it.
  r = computeRoofline(newProgram(a), a, SimStats{});
  EXPECT_EQ(r.bound, RooflineBound::None);
  EXPECT_DOUBLE_EQ(r.boundCycles, 0.0);
  EXPECT_DOUBLE_EQ(r.cyclesOverBound, 0.0);
  EXPECT_STREQ(boundName(RooflineBound::None), "none");
}

TEST(SimRooflineTest, SimulateReportsIt) {
  // tiny4x4 (16 B/cycle DRAM, 100 ns = 100 cycles latency, 8 config
  // bytes/cycle): x (16 words) is copied to the GB and back out as y; the
  // constants w (DRAM, 8 words) and g (GB, 4 words) are never moved, yet
  // they count: 64 + 32 + 16 + 64 = 176 compulsory bytes = 11 cycles, while
  // the simulated traffic is 128 bytes.
  arch::Arch a = test::tinyArch();
  Program p = newProgram(a);
  p.dramWords = 48;
  p.buffers = {{"xb", 0, 16}, {"gb", 32, 4}};
  p.constants = {{"w", MemSpace::Dram, 16, std::vector<float>(8, 1.0f)},
                 {"g", MemSpace::Gb, 32, std::vector<float>(4, 2.0f)}};
  p.inputs = {{"x", ElementKind::F32, {16}, 0}};
  p.outputs = {{"y", ElementKind::F32, {16}, 32}};
  Phase ph;
  ph.name = "copy";
  ph.dmas.push_back(Dma::make(DmaKind::DramToGb, 0, 0, {0, 0}, {{16, 1, 1}}));
  ph.dmas.push_back(
      Dma::make(DmaKind::GbToDram, 32, 0, {0, 0}, {{16, 1, 1}}, {0}));
  p.phases.push_back(ph);
  Tensor x = Tensor::zeros(ElementKind::F32, {16});
  SimResult r = runOk(p, a, {x});
  // Config: 2 DMAs of 1 dim, 2 * (32 + 24) = 112 bytes -> 14 cycles. Each
  // 64-byte DMA holds the channel 4 cycles and lands 100 later: 104, then
  // 104 + 4 + 100 = 208. Total 222 cycles, 222 / 11 of the bound.
  EXPECT_EQ(r.stats.cycles, 222);
  EXPECT_EQ(r.stats.dramBytes, 128);
  const Roofline &roof = r.stats.roofline;
  EXPECT_EQ(roof.compulsoryDramBytes, 176);
  EXPECT_EQ(roof.constantBytes, 48);
  EXPECT_DOUBLE_EQ(roof.dramBoundCycles, 11.0);
  EXPECT_DOUBLE_EQ(roof.computeBoundCycles, 0.0);
  EXPECT_EQ(roof.bound, RooflineBound::Dram);
  EXPECT_DOUBLE_EQ(roof.cyclesOverBound, 222.0 / 11.0);

  llvm::json::Value json = statsToJson(r.stats);
  llvm::json::Object *obj = json.getAsObject()->getObject("roofline");
  ASSERT_TRUE(obj);
  EXPECT_EQ(obj->getInteger("compulsory_dram_bytes"), 176);
  EXPECT_EQ(obj->getInteger("input_bytes"), 64);
  EXPECT_EQ(obj->getInteger("constant_bytes"), 48);
  EXPECT_EQ(obj->getInteger("output_bytes"), 64);
  EXPECT_EQ(obj->getInteger("flops"), 0);
  EXPECT_EQ(obj->getInteger("peak_flops_per_cycle"), 128);
  EXPECT_EQ(obj->getNumber("dram_bytes_per_cycle"), 16.0);
  EXPECT_EQ(obj->getNumber("compute_bound_cycles"), 0.0);
  EXPECT_EQ(obj->getNumber("dram_bound_cycles"), 11.0);
  EXPECT_EQ(obj->getNumber("bound_cycles"), 11.0);
  EXPECT_EQ(obj->getString("bound"), "dram");
  EXPECT_EQ(obj->getNumber("cycles_over_bound"), 222.0 / 11.0);
}

//===----------------------------------------------------------------------===//
// Kernels: softmax, layernorm, gelu from primitives
//===----------------------------------------------------------------------===//

TEST(SimKernelTest, SoftmaxLayernormGeluFromPrimitives) {
  arch::Arch a = testArch(1, 1);
  int64_t n = 12;
  std::vector<float> x;
  for (int i = 0; i < n; ++i)
    x.push_back(std::sin(0.7f * float(i)) * 3.0f);
  const int64_t X = 0, Y = 100, S = 200, G = 300, LN = 400;
  std::vector<Instruction> code = {
      // softmax: m = max(x); y = exp(x - m); s = sum(y); y *= 1/s
      I::reduce(Opcode::ReduceMax, O::mem(S), O::mem(X), n),
      I::binary(Opcode::VSub, O::mem(Y), O::mem(X), O::mem(S, 0), n),
      I::unary(Opcode::VExp, O::mem(Y), O::mem(Y), n),
      I::reduce(Opcode::ReduceSum, O::mem(S + 1), O::mem(Y), n),
      I::unary(Opcode::VRcp, O::mem(S + 1), O::mem(S + 1), 1),
      I::binary(Opcode::VMul, O::mem(Y), O::mem(Y), O::mem(S + 1, 0), n),
      // layernorm (gamma 1, beta 0, eps 1e-5):
      I::reduce(Opcode::ReduceSum, O::mem(S + 2), O::mem(X), n),
      I::binary(Opcode::VMul, O::mem(S + 2), O::mem(S + 2),
                O::immediate(1.0f / float(n)), 1),
      I::binary(Opcode::VSub, O::mem(LN), O::mem(X), O::mem(S + 2, 0), n),
      I::binary(Opcode::VMul, O::mem(kBank1), O::mem(LN), O::mem(LN), n),
      I::reduce(Opcode::ReduceSum, O::mem(S + 3), O::mem(kBank1), n),
      I::binary(Opcode::VMul, O::mem(S + 3), O::mem(S + 3),
                O::immediate(1.0f / float(n)), 1),
      I::binary(Opcode::VAdd, O::mem(S + 3), O::mem(S + 3), O::immediate(1e-5f),
                1),
      I::unary(Opcode::VRsqrt, O::mem(S + 3), O::mem(S + 3), 1),
      I::binary(Opcode::VMul, O::mem(LN), O::mem(LN), O::mem(S + 3, 0), n),
      // gelu(x) = 0.5 x (1 + erf(x / sqrt 2))
      I::binary(Opcode::VMul, O::mem(G), O::mem(X), O::immediate(0.70710678f),
                n),
      I::unary(Opcode::VErf, O::mem(G), O::mem(G), n),
      I::binary(Opcode::VAdd, O::mem(G), O::mem(G), O::immediate(1.0f), n),
      I::binary(Opcode::VMul, O::mem(G), O::mem(G), O::mem(X), n),
      I::binary(Opcode::VMul, O::mem(G), O::mem(G), O::immediate(0.5f), n),
  };
  SimResult r = runSingle(a, code, {{X, x}});
  double mx = *std::max_element(x.begin(), x.end()), sum = 0, mean = 0, var = 0;
  for (float v : x) {
    sum += std::exp(v - mx);
    mean += v;
  }
  mean /= double(n);
  for (float v : x)
    var += (v - mean) * (v - mean);
  var /= double(n);
  for (int i = 0; i < n; ++i) {
    double sm = std::exp(x[i] - mx) / sum;
    double ln = (x[i] - mean) / std::sqrt(var + 1e-5);
    double gl = 0.5 * x[i] * (1 + std::erf(x[i] / std::sqrt(2.0)));
    EXPECT_NEAR(lmAt(r, a, 0, 0, Y + i), sm, 1e-6);
    EXPECT_NEAR(lmAt(r, a, 0, 0, LN + i), ln, 1e-5);
    EXPECT_NEAR(lmAt(r, a, 0, 0, G + i), gl, 1e-5);
  }
}

//===----------------------------------------------------------------------===//
// 256-point complex FFT streamed through a band of 4 PEs in one phase
//===----------------------------------------------------------------------===//

TEST(SimKernelTest, StreamingFft256MatchesNaiveDft) {
  arch::Arch a = testArch(4, 4);
  const int64_t frames = 4, n = 256;
  // PE(0,k) runs stages 2k and 2k+1 (PE(0,0) bit-reverses first); frames
  // stream west edge 0 -> PE(0,0) -> ... -> PE(0,3) -> west edge 0.
  Program p = examples::fftBands(a, n, frames, /*bands=*/1);
  ASSERT_EQ(verifyError(p, a), "");
  Tensor x = Tensor::zeros(ElementKind::Complex64, {1, frames, n});
  std::mt19937 rng(7);
  std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
  for (float &v : x.data)
    v = dist(rng);
  SimResult r = runOk(p, a, {x});
  ASSERT_EQ(r.outputs.size(), 1u);
  const Tensor &y = r.outputs[0];
  double worst = 0;
  for (int64_t f = 0; f < frames; ++f)
    for (int64_t k = 0; k < n; ++k) {
      std::complex<double> s = 0;
      for (int64_t t = 0; t < n; ++t)
        s += std::complex<double>(x.data[2 * (f * n + t)],
                                  x.data[2 * (f * n + t) + 1]) *
             std::polar(1.0, -2.0 * M_PI * double(k * t % n) / double(n));
      std::complex<double> got(y.data[2 * (f * n + k)],
                               y.data[2 * (f * n + k) + 1]);
      // numpy.allclose(rtol=1e-5) with atol 1e-5 * sqrt(n) (the scale of
      // an FFT of unit-range data).
      double err = std::abs(got - s), allowed = 1e-5 * std::abs(s) + 1.6e-4;
      worst = std::max(worst, err / allowed);
      EXPECT_LE(err, allowed) << "frame " << f << " bin " << k;
    }
  EXPECT_LE(worst, 1.0);
  // The stages overlap: PE(0,0) needs 129 + 129 + 257 + 257 = 772 cycles a
  // frame and the other PEs 643, so four frames one PE after the other
  // would take over 4 * (772 + 3 * 643) = 10804 cycles; streaming takes
  // about 4 * 772 + 3 * 643 plus the DMAs.
  const PhaseStats &ps = r.stats.phases[0];
  EXPECT_LT(ps.cycles, 6500) << "cycles " << ps.cycles;
  EXPECT_GT(ps.cycles, 4 * 772);
  EXPECT_GT(ps.utilization, 0.0);
}

//===----------------------------------------------------------------------===//
// Output-stationary systolic GEMM on a 4x4 array
//===----------------------------------------------------------------------===//

/// examples::systolicGemm on a 4x4 array, lanes 4: PE (i,j) keeps a 1x4
/// block of C per fold in local memory; A row i streams from the west edge,
/// multicast along row i; B columns 4j.. from the north edge, multicast down
/// column j; each fold is one `gemm.init` with k = K; results drain west.
/// Bank-aware, stream B_j only touches GB banks 2j, 2j+1 and A_i banks
/// 8+2i, 9+2i; row-major, the eight streams collide on banks now and then.
TEST(SimKernelTest, SystolicGemmValuesAndCycles) {
  arch::Arch a = testArch(4, 4);
  const int64_t M = 8, N = 32, K = 256;
  Tensor A = Tensor::zeros(ElementKind::F32, {M, K});
  Tensor B = Tensor::zeros(ElementKind::F32, {K, N});
  std::mt19937 rng(3);
  std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
  for (float &v : A.data)
    v = dist(rng);
  for (float &v : B.data)
    v = dist(rng);
  int64_t cycles[2];
  for (bool bankAware : {true, false}) {
    Program p = examples::systolicGemm(a, M, N, K, bankAware);
    ASSERT_EQ(verifyError(p, a), "");
    SimResult r = runOk(p, a, {A, B});
    ASSERT_EQ(r.outputs.size(), 1u);
    for (int64_t i = 0; i < M; ++i)
      for (int64_t j = 0; j < N; ++j) {
        double s = 0;
        for (int64_t k = 0; k < K; ++k)
          s += double(A.data[i * K + k]) * double(B.data[k * N + j]);
        EXPECT_NEAR(r.outputs[0].data[i * N + j], s, 1e-4 * (1 + std::abs(s)))
            << i << "," << j;
      }
    ASSERT_EQ(r.stats.phases.size(), 3u);
    cycles[bankAware] = r.stats.phases[1].cycles;
    EXPECT_EQ(r.stats.flops, 2 * M * N * K);
    if (bankAware) {
      EXPECT_GT(r.stats.phases[1].utilization, 0.95);
    }
  }
  // folds = (8/4) * (32/(4*4)) = 4; the classic output-stationary figure is
  // folds * (R + C + K - 2) = 4 * 262 = 1048. The array overlaps the folds
  // (each gemm takes K + 1 = 257 cycles) and pays the fill (the farthest
  // PE is 4 hops from either edge) and the drain (16 flits through each
  // row) once: about 4 * 257 + 6 + 18 = 1052.
  double expected = 4.0 * (4 + 4 + K - 2);
  EXPECT_NEAR(double(cycles[1]), expected, 0.05 * expected)
      << "compute phase took " << cycles[1] << " cycles";
  // Row-major A and B make the eight edge streams collide on GB banks.
  EXPECT_GT(cycles[0], cycles[1] + 40) << cycles[0] << " vs " << cycles[1];
}

} // namespace
