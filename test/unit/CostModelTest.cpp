//===- CostModelTest.cpp - The analytical cost model ----------------------===//
//
// Hand-computed cases on the 4x4 test array (the arithmetic is in the
// comments, following docs/cost-model.md term by term), exact flop counts of
// every kind, and the qualitative results the model exists to reproduce:
// butterfly linears beat dense ones from d = 256, Fourier mixing beats
// attention at L = 4096, multilayer beats layer-by-layer on butterfly chains.
//
//===----------------------------------------------------------------------===//

#include "butterfly/CostModel/CostModel.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/Path.h"

#include "TinyArch.h"

#include "gtest/gtest.h"

#include <cmath>
#include <vector>

#ifndef BUTTERFLY_SOURCE_DIR
#error "build with -DBUTTERFLY_SOURCE_DIR=\"<repository root>\""
#endif

using namespace butterfly;
using namespace butterfly::cost;
using arch::Arch;

/// The hand arithmetic below uses these figures of the 4x4 test array
/// (TinyArch.h): peak 128 flops/cycle, 2 KiB per PE for resident operands
/// and 1 KiB for a vector, a tensor in the GB up to 32 KiB, 4 banks (64
/// B/cycle) and 8 edge ports (128 B/cycle), edge hops (4+4+2)/4 = 2.5.
using test::tinyArch;

namespace {

Workload linear(int64_t tokens, int64_t in, int64_t out) {
  Workload w(OpKind::Linear);
  w.tokens = tokens;
  w.inFeatures = in;
  w.outFeatures = out;
  return w;
}

Workload butterflyLinear(int64_t tokens, int64_t d, int64_t nblocks = 2) {
  Workload w(OpKind::ButterflyLinear);
  w.tokens = tokens;
  w.inFeatures = w.outFeatures = d;
  w.nblocks = nblocks;
  return w;
}

Workload stage(int64_t n, int64_t transforms, int64_t stride,
               bool isComplex = false) {
  Workload w(OpKind::ButterflyStage);
  w.length = n;
  w.transforms = transforms;
  w.stride = stride;
  w.isComplex = isComplex;
  return w;
}

Workload fft(int64_t n, int64_t transforms) {
  Workload w(OpKind::Fft);
  w.length = n;
  w.transforms = transforms;
  w.isComplex = true;
  return w;
}

Workload fourierMix(int64_t batch, int64_t len, int64_t d) {
  Workload w(OpKind::FourierMix);
  w.tokens = batch;
  w.seqQ = len;
  w.inFeatures = d;
  return w;
}

Workload attention(int64_t bh, int64_t lq, int64_t lk, int64_t dh, int64_t dv) {
  Workload w(OpKind::Attention);
  w.batchHeads = bh;
  w.seqQ = lq;
  w.seqK = lk;
  w.headDim = dh;
  w.valueDim = dv;
  return w;
}

Workload elements(OpKind kind, int64_t rows, int64_t count) {
  Workload w(kind);
  w.tokens = rows;
  w.elements = count;
  return w;
}

void expectConsistent(const Arch &a, const Cost &c) {
  EXPECT_GE(c.cycles, c.computeCycles);
  EXPECT_GE(c.cycles, c.gbCycles);
  EXPECT_GE(c.cycles, c.dramCycles);
  EXPECT_GE(c.cycles, c.nocCycles);
  EXPECT_GE(c.utilization, 0);
  EXPECT_LE(c.utilization, 1);
  EXPECT_NEAR(c.utilization,
              c.cycles > 0 ? c.flops / (c.cycles * a.peakFlopsPerCycle()) : 0,
              1e-12);
  EXPECT_DOUBLE_EQ(c.energyPj, c.energy.total());
  EXPECT_FALSE(std::isnan(c.cycles) || std::isnan(c.energyPj));
}

TEST(CostModel, TinyMatchesItsJson) {
  llvm::SmallString<256> path(BUTTERFLY_SOURCE_DIR);
  llvm::sys::path::append(path, "examples", "arch", "tiny4x4.json");
  llvm::Expected<Arch> loaded = arch::loadArch(path);
  ASSERT_TRUE(bool(loaded)) << llvm::toString(loaded.takeError());
  Arch expected = tinyArch();
  expected.energy.source = loaded->energy.source;
  EXPECT_EQ(*loaded, expected);
}

TEST(CostModel, FlopCounts) {
  // Dense: 2*T*in*out.
  EXPECT_EQ(flopCount(linear(3, 5, 7)), 2 * 3 * 5 * 7);
  Workload mm(OpKind::Matmul);
  mm.batchHeads = 2;
  mm.seqQ = 3;
  mm.headDim = 4;
  mm.valueDim = 5;
  EXPECT_EQ(flopCount(mm), 2 * 2 * 3 * 4 * 5);
  // Attention: 2*BH*Lq*Lk*Dh + 5*BH*Lq*Lk + 2*BH*Lq*Lk*Dv
  //          = 240 + 150 + 360.
  EXPECT_EQ(flopCount(attention(2, 3, 5, 4, 6)), 240 + 150 + 360);
  // Per element: softmax 5, layernorm 7, elementwise 1 per op, a complex
  // multiply 6; permutations none.
  EXPECT_EQ(flopCount(elements(OpKind::Softmax, 10, 100)), 500);
  EXPECT_EQ(flopCount(elements(OpKind::LayerNorm, 10, 100)), 700);
  Workload ew = elements(OpKind::Elementwise, 0, 100);
  EXPECT_EQ(flopCount(ew), 100);
  ew.opsPerElement = 8;
  EXPECT_EQ(flopCount(ew), 800);
  ew.opsPerElement = 1;
  ew.isComplex = true;
  EXPECT_EQ(flopCount(ew), 600);
  EXPECT_EQ(flopCount(elements(OpKind::Transpose, 0, 100)), 0);
  Workload br(OpKind::BitReverse);
  br.length = 16;
  br.transforms = 3;
  EXPECT_EQ(flopCount(br), 0);
  // A stage: n/2 pairs per transform; real 6 flops a pair, complex 10.
  EXPECT_EQ(flopCount(stage(16, 3, 1)), 3 * 8 * 6);
  EXPECT_EQ(flopCount(stage(16, 3, 1, true)), 3 * 8 * 10);
  // Butterfly linear: 3*T*n*log2(n) per block: 3*2*16*4*2 = 768. With
  // in = 10, out = 40: n = 16, ceil(40/16) = 3 stacks: 3*(2*3)*16*4.
  EXPECT_EQ(flopCount(butterflyLinear(2, 16)), 768);
  Workload bl = butterflyLinear(2, 10, 1);
  bl.outFeatures = 40;
  EXPECT_EQ(flopCount(bl), 3 * 6 * 16 * 4);
}

TEST(CostModel, FftFlops) {
  // Power of two: (n/2)*log2(n) radix-2 butterflies of 10 flops.
  EXPECT_EQ(flopCount(fft(8, 1)), 4 * 3 * 10);
  EXPECT_EQ(flopCount(fft(8, 5)), 5 * 120);
  EXPECT_EQ(flopCount(fft(2, 1)), 10);
  EXPECT_EQ(flopCount(fft(1, 7)), 0);
  EXPECT_EQ(flopCount(fft(4096, 1)), 2048 * 12 * 10);
  // Bluestein, n = 5: m = pow2 >= 2n-1 = 16; two FFTs of 16 (8*4*10 = 320
  // each) plus complex multiplies by the chirp (5), the filter spectrum
  // (16) and the chirp (5): 6*(5+16+5) = 156. Total 796.
  EXPECT_EQ(flopCount(fft(5, 1)), 2 * 320 + 156);
  // n = 3: m = 8: 2*120 + 6*(3+8+3) = 324.
  EXPECT_EQ(flopCount(fft(3, 2)), 2 * 324);
  // Fourier mix [B, L, D] = Re(FFT_L(FFT_D(x))): B*L FFTs of D and B*D
  // FFTs of L. B=2, L=8, D=4: 16*40 + 8*120 = 1600; L=5: 10*40 + 8*796.
  EXPECT_EQ(flopCount(fourierMix(2, 8, 4)), 1600);
  EXPECT_EQ(flopCount(fourierMix(2, 5, 4)), 400 + 8 * 796);
}

TEST(CostModel, Expansion) {
  // Radix-2: bit reversal, then stages of stride 1, 2, 4.
  llvm::SmallVector<Workload, 8> p = expand(fft(8, 1));
  ASSERT_EQ(p.size(), 4u);
  EXPECT_EQ(p[0].kind, OpKind::BitReverse);
  for (int i = 1; i < 4; ++i) {
    EXPECT_EQ(p[i].kind, OpKind::ButterflyStage);
    EXPECT_EQ(p[i].stride, int64_t(1) << (i - 1));
    EXPECT_TRUE(p[i].isComplex);
  }
  // Bluestein n = 5: chirp, FFT_16 (1 + 4), spectrum, IFFT_16 (1 + 4), chirp.
  p = expand(fft(5, 1));
  ASSERT_EQ(p.size(), 13u);
  EXPECT_EQ(p[0].kind, OpKind::Elementwise);
  EXPECT_EQ(p[1].kind, OpKind::BitReverse);
  EXPECT_EQ(p[1].length, 16);
  EXPECT_EQ(p[6].kind, OpKind::Elementwise);
  EXPECT_EQ(p[12].kind, OpKind::Elementwise);
  // Butterfly linear: blocks alternate increasing and decreasing strides.
  p = expand(butterflyLinear(4, 8, 2));
  ASSERT_EQ(p.size(), 6u);
  int64_t strides[] = {1, 2, 4, 4, 2, 1};
  for (int i = 0; i < 6; ++i)
    EXPECT_EQ(p[i].stride, strides[i]);
  // Attention: QK^T, softmax, PV.
  p = expand(attention(2, 3, 5, 4, 6));
  ASSERT_EQ(p.size(), 3u);
  EXPECT_EQ(p[0].kind, OpKind::Matmul);
  EXPECT_EQ(p[0].valueDim, 5);
  EXPECT_EQ(p[1].kind, OpKind::Softmax);
  EXPECT_EQ(p[1].elements, 30);
  EXPECT_EQ(p[2].headDim, 5);
}

TEST(CostModel, LinearComputeBound) {
  // Linear T=64, 32 -> 32 on the 4x4 array, layer by layer.
  // flops 2*64*32*32 = 131072 = 65536 fma lane-ops; 2048 independent
  // outputs, so all 16 PEs: compute = 65536 / (16*4) = 1024 cycles.
  // Weights 4*(32*32 + 32) = 4224 B from DRAM (need ceil(4224/2048) = 3
  // PEs of memory, one pass). Input 8192 B and output 8192 B fit in the GB.
  // GB bytes 8192 + 8192 + 4224 = 20608: ports 20608/128 = 161, banks
  // (20608 + 4224)/64 = 388. DRAM 4224/16 + 100 = 364. Compute-bound.
  // Fill/drain: alu 1 + 2 * 2.5 edge hops = 6.
  // Config: 16 PEs * 6 instrs * 8 B + 16 * 8 route B + 3 DMA * 32 B = 992
  // B / 8 = 124 cycles. Total 1024 + 6 + 124 = 1154.
  Arch a = tinyArch();
  for (Dataflow df : {Dataflow::LayerByLayer, Dataflow::Multilayer}) {
    Cost c = estimate(a, linear(64, 32, 32), df);
    EXPECT_DOUBLE_EQ(c.flops, 131072);
    EXPECT_DOUBLE_EQ(c.computeCycles, 1024);
    EXPECT_DOUBLE_EQ(c.gbBytes, 20608);
    EXPECT_DOUBLE_EQ(c.dramBytes, 4224);
    EXPECT_DOUBLE_EQ(c.gbCycles, 388);
    EXPECT_DOUBLE_EQ(c.dramCycles, 364);
    EXPECT_DOUBLE_EQ(c.nocCycles, 0);
    EXPECT_DOUBLE_EQ(c.fillDrainCycles, 6);
    EXPECT_DOUBLE_EQ(c.configBytes, 992);
    EXPECT_DOUBLE_EQ(c.reconfigCycles, 124);
    EXPECT_DOUBLE_EQ(c.cycles, 1154);
    EXPECT_EQ(c.phases, 1);
    EXPECT_DOUBLE_EQ(c.utilization, 131072.0 / (1154 * 128));
    // Energy, per docs/cost-model.md:
    //   compute   131072 flops * 2.3                       =  301465.6
    //   local mem (2*65536 + (8192+8192+4224)/4) * 5       =  681120
    //   GB        (20608 + 4224)/16 flits * 76             =  117952
    //   NoC       20608/16 flits * 2.5 hops * 8            =   25760
    //   DRAM      4224 * 160                               =  675840
    //   leakage   16 PEs * 1154 cycles * 0.5               =    9232
    //   config    992 * 8.5                                =    8432
    EXPECT_DOUBLE_EQ(c.energy.compute, 301465.6);
    EXPECT_DOUBLE_EQ(c.energy.localMem, 681120);
    EXPECT_DOUBLE_EQ(c.energy.globalBuffer, 117952);
    EXPECT_DOUBLE_EQ(c.energy.noc, 25760);
    EXPECT_DOUBLE_EQ(c.energy.dram, 675840);
    EXPECT_DOUBLE_EQ(c.energy.leakage, 9232);
    EXPECT_DOUBLE_EQ(c.energy.config, 8432);
    EXPECT_NEAR(c.energyPj, 1819801.6, 1e-6);
    expectConsistent(a, c);
  }
}

TEST(CostModel, LinearDramBound) {
  // One token through a 64 -> 64 linear (a GEMV): 4096 lane-ops over 16
  // PEs (64 outputs / 4 lanes) = 64 cycles, but the 4*(4096+64) = 16640 B
  // of weights take 16640/16 + 100 = 1140 cycles from DRAM.
  // GB bytes 256 + 256 + 16640 = 17152: max(134, (17152+16640)/64 = 528).
  // Total 1140 + 6 + 124 = 1270.
  Arch a = tinyArch();
  Cost c = estimate(a, linear(1, 64, 64), Dataflow::LayerByLayer);
  EXPECT_DOUBLE_EQ(c.computeCycles, 64);
  EXPECT_DOUBLE_EQ(c.dramBytes, 16640);
  EXPECT_DOUBLE_EQ(c.dramCycles, 1140);
  EXPECT_DOUBLE_EQ(c.gbCycles, 528);
  EXPECT_DOUBLE_EQ(c.cycles, 1270);
  expectConsistent(a, c);

  // With the weights already on chip there is no DRAM traffic at all:
  // GB 512 B -> max(4, 8) = 8; compute-bound. Config has 2 DMA streams:
  // 768 + 128 + 64 = 960 B -> 120 cycles. Total 64 + 6 + 120 = 190.
  Workload resident = linear(1, 64, 64);
  resident.weightsResident = true;
  Cost r = estimate(a, resident, Dataflow::LayerByLayer);
  EXPECT_DOUBLE_EQ(r.dramBytes, 0);
  EXPECT_DOUBLE_EQ(r.dramCycles, 0);
  EXPECT_DOUBLE_EQ(r.gbCycles, 8);
  EXPECT_DOUBLE_EQ(r.cycles, 190);
}

TEST(CostModel, SpillToDram) {
  // A tensor larger than half the GB (32 KiB on tiny) goes through DRAM:
  // elementwise over 16384 floats = 64 KiB in and 64 KiB out.
  // 16384 lane-ops / 64 lanes = 256 cycles; GB 131072 B: ports 1024,
  // banks (131072 + 131072)/64 = 4096; DRAM 131072/16 + 100 = 8292.
  Arch a = tinyArch();
  Cost c = estimate(a, elements(OpKind::Elementwise, 0, 16384),
                    Dataflow::LayerByLayer);
  EXPECT_DOUBLE_EQ(c.computeCycles, 256);
  EXPECT_DOUBLE_EQ(c.dramBytes, 131072);
  EXPECT_DOUBLE_EQ(c.gbCycles, 4096);
  EXPECT_DOUBLE_EQ(c.dramCycles, 8292);
  // Half the size stays in the GB.
  Cost small = estimate(a, elements(OpKind::Elementwise, 0, 8192),
                        Dataflow::LayerByLayer);
  EXPECT_DOUBLE_EQ(small.dramBytes, 0);
}

TEST(CostModel, StageChainMultilayerBeatsLayerByLayer) {
  // Four real stages, n = 16, 4 transforms, strides 1, 2, 4, 8. Each: 32
  // pairs = 192 flops = 128 lane-ops, at most 32/4 = 8 PEs, 128 B of
  // twiddles (one PE of memory), 256 B in and out.
  Arch a = tinyArch();
  std::vector<Workload> chain = {stage(16, 4, 1), stage(16, 4, 2),
                                 stage(16, 4, 4), stage(16, 4, 8)};

  // Layer by layer, per phase: 8 PEs, compute 128/32 = 4; GB 256 + 256 +
  // 128 = 640 -> max(5, 768/64 = 12); DRAM 128/16 + 100 = 108; fill/drain
  // 1 + 5 = 6; config 8*5*8 + 128 + 3*32 = 544 -> 68. 108 + 6 + 68 = 182,
  // four phases: 728.
  Cost lbl = estimateChain(a, chain, Dataflow::LayerByLayer);
  EXPECT_EQ(lbl.phases, 4);
  EXPECT_DOUBLE_EQ(lbl.cycles, 4 * 182);
  EXPECT_DOUBLE_EQ(lbl.gbBytes, 4 * 640);

  // Multilayer, one phase: 4 PEs each (16 / 4), compute 128/16 = 8 each.
  // Only the chain's input and output touch the GB: 256 + 256 + 4*128 =
  // 1024 -> max(8, 1536/64 = 24); DRAM 512/16 + 100 = 132. Handoffs: 3,
  // one column apart (1 hop), vectors whole in a PE (64 B, 4 transforms on
  // 4 PEs) so no stride crosses PEs; 16 flits over min(4 rows, 4, 4) links
  // = 4 cycles. Fill/drain (32 - 8)/4 units + 4 latency + 3 hops + 5 = 18.
  // Config 4*4*5*8 + 128 + 6*32 = 960 -> 120. 132 + 18 + 120 = 270.
  Cost ml = estimateChain(a, chain, Dataflow::Multilayer);
  EXPECT_EQ(ml.phases, 1);
  EXPECT_DOUBLE_EQ(ml.computeCycles, 8);
  EXPECT_DOUBLE_EQ(ml.gbBytes, 1024);
  EXPECT_DOUBLE_EQ(ml.dramCycles, 132);
  EXPECT_DOUBLE_EQ(ml.nocCycles, 4);
  EXPECT_DOUBLE_EQ(ml.fillDrainCycles, 18);
  EXPECT_DOUBLE_EQ(ml.reconfigCycles, 120);
  EXPECT_DOUBLE_EQ(ml.cycles, 270);
  EXPECT_LT(ml.cycles, lbl.cycles);
  EXPECT_LT(ml.energyPj, lbl.energyPj);
  EXPECT_LT(ml.gbBytes, lbl.gbBytes);
  expectConsistent(a, ml);
  expectConsistent(a, lbl);

  // And on the default array, for a realistic chain: a d = 1024 butterfly
  // linear's 20 stages over 512 tokens.
  Arch def;
  Workload bl = butterflyLinear(512, 1024);
  Cost bml = estimate(def, bl, Dataflow::Multilayer);
  Cost blbl = estimate(def, bl, Dataflow::LayerByLayer);
  EXPECT_EQ(blbl.phases, 20);
  EXPECT_EQ(bml.phases, 1);
  EXPECT_LT(bml.cycles * 5, blbl.cycles);
  EXPECT_LT(bml.energyPj, blbl.energyPj);
}

TEST(CostModel, EnergyBreakdownSumsToTotal) {
  Arch a;
  std::vector<Workload> layer = {linear(256, 256, 256),
                                 elements(OpKind::LayerNorm, 256, 65536),
                                 butterflyLinear(256, 256), fft(100, 16)};
  for (Dataflow df : {Dataflow::Multilayer, Dataflow::LayerByLayer}) {
    Cost c = estimateChain(a, layer, df);
    const EnergyBreakdown &e = c.energy;
    EXPECT_DOUBLE_EQ(c.energyPj, e.compute + e.localMem + e.globalBuffer +
                                     e.noc + e.dram + e.leakage + e.config);
    for (double part : {e.compute, e.localMem, e.globalBuffer, e.noc, e.dram,
                        e.leakage, e.config})
      EXPECT_GT(part, 0);
    // Each action at its table price (summed over phases, so up to
    // rounding).
    auto near = [](double x, double y) { return std::fabs(x - y) <= 1e-9 * y; };
    EXPECT_PRED2(near, e.compute, c.flops * a.energy.fpOpPj);
    EXPECT_PRED2(near, e.dram, c.dramBytes * a.energy.dramPerBytePj);
    EXPECT_PRED2(near, e.noc, c.nocFlitHops * a.energy.nocHopPerFlitPj);
    EXPECT_PRED2(near, e.leakage,
                 c.cycles * a.numPEs() * a.energy.leakagePerPeCyclePj);
    EXPECT_PRED2(near, e.config, c.configBytes * a.energy.configPerBytePj);
    expectConsistent(a, c);
  }
}

TEST(CostModel, ButterflyLinearCheaperThanDenseFromD256) {
  Arch a;
  for (int64_t d : {256, 512, 1024, 2048})
    for (int64_t tokens : {64, 512, 4096}) {
      SCOPED_TRACE("d=" + std::to_string(d) + " T=" + std::to_string(tokens));
      Cost dense = estimate(a, linear(tokens, d, d), Dataflow::Multilayer);
      Cost bfly = estimate(a, butterflyLinear(tokens, d), Dataflow::Multilayer);
      EXPECT_LT(bfly.flops * 4, dense.flops);
      EXPECT_LT(bfly.cycles, dense.cycles);
      EXPECT_LT(bfly.energyPj, dense.energyPj);
      EXPECT_LT(bfly.dramBytes, dense.dramBytes);
    }
}

TEST(CostModel, FourierMixFarCheaperThanAttention) {
  // L = 4096, d = 256 (4 heads of 64), batch 1.
  Arch a;
  Workload fm = fourierMix(1, 4096, 256);
  Workload at = attention(4, 4096, 4096, 64, 64);
  EXPECT_GT(flopCount(at), 100 * flopCount(fm));
  Cost fmMl = estimate(a, fm, Dataflow::Multilayer);
  Cost atMl = estimate(a, at, Dataflow::Multilayer);
  EXPECT_GT(atMl.cycles, 20 * fmMl.cycles);
  EXPECT_GT(atMl.energyPj, 20 * fmMl.energyPj);
  // Layer by layer the 22 FFT phases round-trip through DRAM, and Fourier
  // mixing still wins.
  Cost fmLbl = estimate(a, fm, Dataflow::LayerByLayer);
  Cost atLbl = estimate(a, at, Dataflow::LayerByLayer);
  EXPECT_GT(atLbl.cycles, 2 * fmLbl.cycles);
  EXPECT_EQ(fmLbl.phases, 22); // (1 + 8) + (1 + 12) stages and reversals
  EXPECT_LT(fmMl.cycles, fmLbl.cycles);
  expectConsistent(a, fmMl);
  expectConsistent(a, atMl);
}

TEST(CostModel, ExpressLinksShortenStrideRoutes) {
  // One 4096-point FFT spans several PEs per stage; the long strides become
  // routes that express links cover in fewer hops.
  Arch plain, express;
  express.nocExpress = true;
  Cost p = estimate(plain, fft(4096, 1), Dataflow::Multilayer);
  Cost e = estimate(express, fft(4096, 1), Dataflow::Multilayer);
  EXPECT_LT(e.nocFlitHops, p.nocFlitHops);
  EXPECT_LE(e.cycles, p.cycles);
  EXPECT_DOUBLE_EQ(e.flops, p.flops);
  // Layer by layer the DMA lays every stage out locally: no difference.
  EXPECT_DOUBLE_EQ(
      estimate(express, fft(4096, 1), Dataflow::LayerByLayer).cycles,
      estimate(plain, fft(4096, 1), Dataflow::LayerByLayer).cycles);
}

TEST(CostModel, ChainSplitsWhenMemoryRunsOut) {
  // Two 1024 x 1024 dense linears: 4 MiB of weights each, more than the
  // default array's 2 MiB of resident memory, so each is a phase of its own
  // and streams its weights in passes, re-reading its input.
  Arch a;
  std::vector<Workload> chain = {linear(64, 1024, 1024),
                                 linear(64, 1024, 1024)};
  Cost c = estimateChain(a, chain, Dataflow::Multilayer);
  EXPECT_EQ(c.phases, 2);
  // Passes: ceil(4198400 / (256 * 8192)) = 3, so the 256 KiB input is read
  // 3 times: GB = 3*262144 + 262144 + 4198400 per phase.
  EXPECT_DOUBLE_EQ(c.gbBytes, 2 * (3 * 262144.0 + 262144 + 4198400));
  // Small linears share one phase.
  std::vector<Workload> small = {linear(64, 64, 64), linear(64, 64, 64)};
  EXPECT_EQ(estimateChain(a, small, Dataflow::Multilayer).phases, 1);
  EXPECT_EQ(estimateChain(a, small, Dataflow::LayerByLayer).phases, 2);
}

TEST(CostModel, DegenerateWorkloadsDoNotBreak) {
  Arch a = tinyArch();
  for (OpKind kind :
       {OpKind::Linear, OpKind::Matmul, OpKind::Attention, OpKind::FourierMix,
        OpKind::Fft, OpKind::ButterflyLinear, OpKind::ButterflyStage,
        OpKind::BitReverse, OpKind::Softmax, OpKind::LayerNorm,
        OpKind::Elementwise, OpKind::Transpose}) {
    SCOPED_TRACE(toString(kind).str());
    Workload zero(kind);
    Workload negative(kind);
    negative.tokens = negative.elements = negative.length = -5;
    negative.transforms = negative.inFeatures = negative.outFeatures = -1;
    for (const Workload &w : {zero, negative})
      for (Dataflow df : {Dataflow::Multilayer, Dataflow::LayerByLayer}) {
        Cost c = estimate(a, w, df);
        EXPECT_EQ(c.flops, 0);
        expectConsistent(a, c);
      }
  }
  EXPECT_EQ(estimateChain(a, {}, Dataflow::Multilayer).cycles, 0);
}

TEST(CostModel, CostsAdd) {
  Arch a = tinyArch();
  Cost x = estimate(a, linear(64, 32, 32), Dataflow::LayerByLayer);
  Cost y = estimate(a, stage(16, 4, 1), Dataflow::LayerByLayer);
  Cost sum = x;
  sum += y;
  EXPECT_DOUBLE_EQ(sum.cycles, x.cycles + y.cycles);
  EXPECT_DOUBLE_EQ(sum.flops, x.flops + y.flops);
  EXPECT_EQ(sum.phases, 2);
  EXPECT_DOUBLE_EQ(sum.energyPj, x.energyPj + y.energyPj);
  EXPECT_NEAR(sum.utilization, sum.flops / (sum.cycles * a.peakFlopsPerCycle()),
              1e-12);
  // A layer-by-layer chain is the sum of its ops.
  Cost chain = estimateChain(a, {linear(64, 32, 32), stage(16, 4, 1)},
                             Dataflow::LayerByLayer);
  EXPECT_DOUBLE_EQ(chain.cycles, sum.cycles);
}

TEST(CostModel, Names) {
  Dataflow df;
  EXPECT_TRUE(parseDataflow("multilayer", df));
  EXPECT_EQ(df, Dataflow::Multilayer);
  EXPECT_TRUE(parseDataflow("layer-by-layer", df));
  EXPECT_EQ(df, Dataflow::LayerByLayer);
  EXPECT_FALSE(parseDataflow("layer_by_layer", df));
  EXPECT_EQ(toString(Dataflow::Multilayer), "multilayer");
  EXPECT_EQ(toString(OpKind::ButterflyLinear), "butterfly_linear");
  EXPECT_EQ(toString(OpKind::FourierMix), "fourier_mix");
}

} // namespace
