//===- AttentionPlan.cpp - Fused attention on the whole array ---*- C++ -*-===//
//
// The model follows the PE program bfly-pe-mapping emits for a fused
// attention (lib/Conversion/Mapping.cpp, emitAttentionPhase); every term is
// in docs/cost-model.md §9.
//
//===----------------------------------------------------------------------===//

#include "butterfly/CostModel/AttentionPlan.h"

#include "butterfly/Bitstream/Program.h"

#include <algorithm>

using namespace butterfly;
using namespace butterfly::cost;

namespace {

constexpr int64_t kMaxField = 65535; // n and loop counts are 16-bit fields

int64_t ceilDiv(int64_t a, int64_t b) { return (a + b - 1) / b; }

/// Places the buffers: outputs and scores from the start of bank 0; the
/// queries, the tile and the statistics from the start of bank 1 (the
/// statistics next to the scores when bank 1 is full), so that the
/// streamed sources of each instruction are in two banks. One after another
/// with a single bank. Fails when local memory cannot hold them.
std::optional<AttentionLayout> layOut(const arch::Arch &arch,
                                      const AttentionShape &shape, int64_t bq,
                                      int64_t bk) {
  int64_t lanes = arch.lanes, lmWords = arch.localMemBytes / 4;
  auto words = [&](int64_t count) { return ceilDiv(count, lanes) * lanes; };
  int64_t out = words(bq * shape.valueDim), scores = words(bk * bq);
  int64_t queries = words(shape.keyDim * bq);
  // The value tile, also the sink of the other columns' query rows.
  int64_t tile = words(std::max(bk * shape.valueDim, shape.keyDim));
  int64_t stats = 5 * words(bq);
  int64_t bankWords = arch.localMemBankWords();
  int64_t second = words(bankWords);
  int64_t secondEnd = std::min(lmWords, 2 * bankWords);
  AttentionLayout layout;
  bool banked = arch.localMemBanks >= 2 && out + scores <= bankWords &&
                second + queries + tile <= secondEnd;
  int64_t statsAt = 0;
  if (banked) {
    layout.scores = out;
    layout.queries = second;
    layout.tile = second + queries;
    if (layout.tile + tile + stats <= secondEnd)
      statsAt = layout.tile + tile;
    else if (out + scores + stats <= bankWords)
      statsAt = out + scores;
    else
      banked = false;
  }
  if (!banked) {
    layout.scores = out;
    layout.queries = out + scores;
    layout.tile = layout.queries + queries;
    statsAt = layout.tile + tile;
  }
  layout.runMax = statsAt;
  layout.tileMax = statsAt + words(bq);
  layout.correction = statsAt + 2 * words(bq);
  layout.tileSum = statsAt + 3 * words(bq);
  layout.runSum = statsAt + 4 * words(bq);
  layout.words = std::max(statsAt + stats, layout.tile + tile);
  if (layout.words > lmWords)
    return std::nullopt;
  return layout;
}

/// One PE's cycles (docs/cost-model.md §9): per pass, the query blocks of
/// the row's columns, per tile the keys, the scores, the online softmax,
/// the values and the outputs' update, and the final division and sends.
double modelCycles(const arch::Arch &arch, const AttentionShape &shape,
                   const AttentionPlan &plan) {
  auto flits = [&](int64_t words) {
    return double(ceilDiv(words, arch.lanes));
  };
  double alu = double(arch.aluLatency), exp = double(arch.expLatency);
  int64_t bq = plan.blockQueries, bk = plan.blockKeys;
  int64_t dk = shape.keyDim, dv = shape.valueDim;
  double vec = flits(bq) + alu; // one op over a row of Bq statistics
  double qBlocks = double(plan.columns) * (flits(dk * bq) + alu);
  double prologue = qBlocks + flits(dk * bq) + alu + flits(bq * dv) + 2 * vec;
  double valuesIn = flits(bk * dv) + alu;
  double scores = double(bk * dk) * flits(bq) + alu; // gemm, keys streamed
  double softmax = double(bk) * vec + 1 +            // tile maximum
                   3 * vec + flits(bq) + exp +       // max, correction
                   double(bk) * vec + 1 +            // subtract the maximum
                   flits(bk * bq) + exp +            // exponentials
                   double(bk) * vec + 1 + 2 * vec;   // sums
  double update = double(bq) * (2 * (flits(dv) + alu) + 1 +
                                double(bk - 1) * (flits(dv) + alu)) +
                  1;
  double tile = scores + softmax + valuesIn + update;
  double tiles = double(shape.keys / bk);
  double finish = flits(bq) + double(arch.rcpLatency) +
                  double(bq) * (flits(dv) + alu) + 1 + flits(bq * dv) + alu +
                  double(plan.columns - 1) * flits(bq * dv);
  double passes = double(plan.rowsPerPe / bq);
  double units = double(ceilDiv(shape.groups, plan.peRows / plan.slices));
  return units * passes * (prologue + tiles * tile + finish);
}

} // namespace

std::optional<AttentionPlan>
cost::planFusedAttention(const arch::Arch &arch, const AttentionShape &shape) {
  int64_t lanes = arch.lanes;
  if (shape.groups <= 0 || shape.queries <= 0 || shape.keys <= 0 ||
      shape.keyDim <= 0 || shape.valueDim <= 0 || shape.keyDim % lanes != 0 ||
      shape.valueDim % lanes != 0 || shape.keys % lanes != 0)
    return std::nullopt;
  // The program: per unit the query blocks (two skips around the own
  // block), the scale and three inits; per tile 22; the final division and
  // sends 5; halt.
  int64_t instructions = 10 + 22 + 5 + 1;
  if (instructions > arch.imemSlots)
    return std::nullopt;
  std::optional<AttentionPlan> best;
  // Every split of the groups' query rows over PE rows (slices) and columns,
  // and every block size: the most PEs is not always the fastest, since
  // each configured PE costs its program's configuration.
  int64_t maxSlices = std::max<int64_t>(1, arch.rows / shape.groups);
  for (int64_t slices = 1; slices <= maxSlices; ++slices) {
    if (shape.queries % slices != 0)
      continue;
    int64_t sliceRows = shape.queries / slices;
    for (int64_t columns = 1; columns <= std::min(arch.cols, sliceRows);
         ++columns) {
      if (sliceRows % columns != 0)
        continue;
      AttentionPlan base;
      base.slices = slices;
      base.peRows = std::min(arch.rows, shape.groups * slices);
      base.columns = columns;
      base.rowsPerPe = sliceRows / columns;
      base.instructions = instructions;
      int64_t units = ceilDiv(shape.groups, base.peRows / slices);
      double config = double(base.peRows * columns * instructions *
                             bitstream::kInstructionBytes) /
                      double(arch.configBytesPerCycle);
      for (int64_t bq = 1; bq <= base.rowsPerPe; ++bq) {
        if (base.rowsPerPe % bq != 0)
          continue;
        for (int64_t bk = lanes; bk <= shape.keys; bk += lanes) {
          if (shape.keys % bk != 0 || bk < 2)
            continue;
          int64_t passes = base.rowsPerPe / bq;
          int64_t largestN = std::max(
              {bq * shape.keyDim, bk * shape.valueDim, bk * bq,
               (columns - 1) * bq * shape.valueDim, bq * shape.valueDim});
          if (largestN > kMaxField || units * passes > kMaxField ||
              shape.keys / bk > kMaxField ||
              std::max(columns, base.peRows) * bq > kMaxField)
            continue;
          std::optional<AttentionLayout> layout = layOut(arch, shape, bq, bk);
          if (!layout)
            continue;
          AttentionPlan plan = base;
          plan.blockQueries = bq;
          plan.blockKeys = bk;
          plan.layout = *layout;
          plan.cycles = config + modelCycles(arch, shape, plan);
          if (!best || plan.cycles < best->cycles)
            best = plan;
        }
      }
    }
  }
  return best;
}
