//===- MappedPhaseTest.cpp - Cycles of mapped phases ----------------------===//
//
// Hand-computed estimates of small mapped phases, term by term, following
// docs/cost-model.md, "Mapped phases" (the arithmetic is in the comments).
//
//===----------------------------------------------------------------------===//

#include "butterfly/CostModel/MappedPhase.h"

#include "TinyArch.h"

#include "gtest/gtest.h"

using namespace butterfly;
using namespace butterfly::cost;

using test::tinyArch;

namespace {

PeWork pe(double prologue, int64_t units, double unit, double receive,
          double firstOutput, double inputTail) {
  PeWork w;
  w.prologueCycles = prologue;
  w.units = units;
  w.unitCycles = unit;
  w.receiveCycles = receive;
  w.firstOutputCycles = firstOutput;
  w.inputTailCycles = inputTail;
  w.outputTailCycles = 1;
  return w;
}

MappedStream stream(int64_t source, int64_t flits,
                    llvm::ArrayRef<MappedStream::Sink> sinks) {
  MappedStream s;
  s.source = source;
  s.flits = flits;
  s.sinks.assign(sinks.begin(), sinks.end());
  return s;
}

TEST(MappedPhase, ConfigurationAndDram) {
  MappedPhase phase;
  phase.configBytes = 60;
  phase.dram = {{600, false}, {400, true}};
  phase.dramChain = 2;
  PhaseEstimate e = estimatePhase(tinyArch(), phase);
  // ⌈60 / 8⌉ = 8; ⌈1000 / 16⌉ = 63 plus two latencies of 100.
  EXPECT_EQ(e.configCycles, 8);
  EXPECT_EQ(e.dramCycles, 263);
  EXPECT_EQ(e.peCycles, 0);
  EXPECT_EQ(e.fillCycles, 0);
  EXPECT_EQ(e.executionCycles, 263);
  EXPECT_EQ(e.cycles, 271);
}

TEST(MappedPhase, StreamsStagedFromDram) {
  // Two rows streams staged through the global buffer: each waits for its
  // transfer, which the channel serves in order from cycle 0.
  MappedPhase phase;
  phase.dram = {{320, false}, {320, false}};
  phase.dramChain = 1;
  phase.pes = {pe(0, 1, 10, 3, 10, 9), pe(0, 1, 10, 3, 10, 9)};
  phase.streams = {stream(kEdge, 2, {{0, 1, true}}),
                   stream(kEdge, 2, {{1, 1, true}})};
  phase.streams[0].afterDram = 0;
  phase.streams[1].afterDram = 1;
  PhaseEstimate e = estimatePhase(tinyArch(), phase);
  // The transfers land at 20 + 100 and 40 + 100; the second PE's first flit
  // arrives at 140 + 1 + 1 and it ends at 142 + 10.
  EXPECT_EQ(e.dramCycles, 140);
  EXPECT_EQ(e.peCycles, 10);
  EXPECT_EQ(e.fillCycles, 152 - 140);
  EXPECT_EQ(e.executionCycles, 152);
}

/// West edge -> PE0 -> PE1 -> back to the edge over 3 hops, 4 units.
MappedPhase chain(double unit0) {
  MappedPhase phase;
  phase.pes = {pe(0, 4, unit0, 3, 6, 3), pe(2, 4, 20, 3, 16, 5)};
  phase.streams = {stream(kEdge, 8, {{0, 1, true}}),
                   stream(0, 8, {{1, 1, true}}),
                   stream(1, 8, {{kEdge, 3, false}})};
  return phase;
}

TEST(MappedPhase, PipelineFill) {
  PhaseEstimate e = estimatePhase(tinyArch(), chain(10));
  // PE0 starts at 1 + 1 = 2 (pushed in cycle 0, visible in 1, one hop) and
  // ends at max(2 + 4·10, 8 + 1 + 3, 2 + 8 + 4·(10 − 3)) = 42. PE1 starts
  // at max(2, 2 + 6 + 1) = 9 and ends at max(9 + 4·20, 42 − 1 + 1 + 5) =
  // 89; its last flit reaches the buffer at 89 − 1 + 3, popped by 92.
  EXPECT_EQ(e.peCycles, 82); // PE1: 2 + 4·20
  EXPECT_EQ(e.linkCycles, 8);
  EXPECT_EQ(e.gbCycles, 0);
  EXPECT_EQ(e.fillCycles, 10);
  EXPECT_EQ(e.executionCycles, 92);
  EXPECT_EQ(e.cycles, 92);
}

TEST(MappedPhase, SlowProducer) {
  PhaseEstimate e = estimatePhase(tinyArch(), chain(30));
  // PE0 ends at 2 + 4·30 = 122; PE1 waits for its last flit: 122 − 1 + 1
  // + 5 = 127 > 9 + 80; the buffer has it at 127 − 1 + 3 + 1 = 130.
  EXPECT_EQ(e.peCycles, 120);
  EXPECT_EQ(e.fillCycles, 10);
  EXPECT_EQ(e.executionCycles, 130);
}

TEST(MappedPhase, PrologueWaitsForItsStream) {
  MappedPhase phase;
  phase.pes = {pe(20, 2, 10, 3, 8, 2)};
  phase.streams = {stream(kEdge, 16, {{0, 4, false}}),
                   stream(kEdge, 4, {{0, 1, true}})};
  PhaseEstimate e = estimatePhase(tinyArch(), phase);
  // The weights' first flit arrives at 1 + 4 = 5: units from 5 + 20 = 25 to
  // 45.
  EXPECT_EQ(e.peCycles, 40);
  EXPECT_EQ(e.linkCycles, 16);
  EXPECT_EQ(e.fillCycles, 5);
  EXPECT_EQ(e.executionCycles, 45);
}

BankWindows windows(int64_t count, int64_t flits, std::vector<double> rows) {
  BankWindows w;
  w.count = count;
  w.flits = flits;
  w.rows = std::move(rows);
  return w;
}

TEST(MappedPhase, BankWindows) {
  // Two row streams of 32 flits read bank 0 only, 4 rows per window of 4
  // flits; a weight stream reads one row of every bank per window. All
  // three start on bank 0, in this order.
  MappedPhase phase;
  phase.pes = {pe(0, 8, 6, 5, 5, 2), pe(0, 8, 6, 5, 5, 2),
               pe(10, 1, 1, 0, 1, 1)};
  phase.streams = {stream(kEdge, 32, {{0, 1, true}}),
                   stream(kEdge, 32, {{1, 1, true}}),
                   stream(kEdge, 8, {{2, 1, false}})};
  for (MappedStream &s : phase.streams) {
    s.firstBank = 0;
    s.bankWindows = {windows(8, 4, {4, 0, 0, 0})};
  }
  phase.streams[2].bankWindows = {windows(2, 4, {1, 1, 1, 1})};
  PhaseEstimate e = estimatePhase(tinyArch(), phase);
  // Bank 0 serves 32 + 32 + 2 rows.
  EXPECT_EQ(e.gbCycles, 66);
  EXPECT_EQ(e.linkCycles, 32);
  EXPECT_EQ(e.peCycles, 48);
  // The row streams share bank 0: 8 rows per window, 8 windows of 8 cycles
  // = 64. The second starts a cycle late: first flit at 1 + 1 + 1 = 3,
  // then its PE ends at max(3 + 48, 1 + 64 + 1 + 2, 3 + 64 + 8·(6 − 5)) =
  // 75. (The weights start at 2 and their PE ends at 2 + 2 + 10 + 1 = 15.)
  EXPECT_EQ(e.fillCycles, 75 - 66);
  EXPECT_EQ(e.executionCycles, 75);
}

TEST(MappedPhase, HeldBanks) {
  // A flit needing two rows of one bank holds the DMA two cycles.
  MappedPhase phase;
  phase.pes = {pe(0, 1, 8, 5, 8, 4)};
  phase.streams = {stream(kEdge, 4, {{0, 1, true}})};
  phase.streams[0].cyclesPerFlit = 2;
  phase.streams[0].firstBank = 1;
  phase.streams[0].bankWindows = {windows(1, 4, {2, 2, 2, 2})};
  PhaseEstimate e = estimatePhase(tinyArch(), phase);
  // 4 flits · 2 = 8 cycles of stream; the PE ends at max(2 + 8, 8 + 1 + 4,
  // 2 + 8 + (8 − 5)) = 13.
  EXPECT_EQ(e.linkCycles, 8);
  EXPECT_EQ(e.gbCycles, 2);
  EXPECT_EQ(e.peCycles, 8);
  EXPECT_EQ(e.executionCycles, 13);
}

} // namespace
