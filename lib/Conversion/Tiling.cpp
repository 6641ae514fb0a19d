//===- Tiling.cpp - bfly-multilayer-tiling ----------------------*- C++ -*-===//
//
// Plans phases and PE columns for the row-streaming mapping: chains of row
// ops resident together (multilayer) or one op per phase (layer-by-layer).
//
//===----------------------------------------------------------------------===//

#include "RowPlan.h"

#include "butterfly/Conversion/Passes.h"
#include "butterfly/CostModel/TileSearch.h"
#include "butterfly/Reference/Interpreter.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/Builders.h"

#include "llvm/Support/FormatVariadic.h"

#include <chrono>
#include <numeric>

namespace butterfly {
#define GEN_PASS_DEF_BFLYMULTILAYERTILING
#include "butterfly/Conversion/Passes.h.inc"
} // namespace butterfly

using namespace mlir;
using namespace butterfly;
using namespace butterfly::rowplan;

namespace {

struct Chain {
  SmallVector<Operation *> ops;
  View head;
  int64_t cycle = 1;
  int64_t columns = 0; ///< PE columns used (the ops' band widths)
};

/// Chooses the tile width and block rows of a blocked linear by the cost
/// model's search, records them and reports the search as a remark.
LogicalResult searchTiles(Operation *op, const View &input, int64_t peRows,
                          const arch::Arch &target) {
  auto start = std::chrono::steady_clock::now();
  int64_t rows = 1;
  for (auto [size, stride] : rowDims(input))
    rows *= size;
  auto weight = cast<RankedTensorType>(op->getOperand(1).getType());
  auto linear = dyn_cast<bfly::LinearOp>(op);
  cost::BlockedLinear shape;
  shape.rows = (rows + peRows - 1) / peRows;
  shape.k = weight.getShape()[weight.getRank() - 2];
  shape.n = weight.getShape().back();
  shape.width = bandOf(op).width;
  shape.peRows = peRows;
  shape.bias = linear && linear.getBias();
  // Weights beyond half the global buffer stay in DRAM (bfly-pe-mapping).
  shape.weightsInDram = weight.getNumElements() * 4 > target.gbBytes / 2;
  int64_t explored = 0;
  std::optional<cost::BlockedTiles> best =
      cost::searchBlocked(target, shape, explored);
  if (!best)
    return op->emitError()
           << "bfly-multilayer-tiling: '" << op->getName()
           << "': no tile of output columns and block of rows fits the "
           << target.localMemBytes / 4 << " words of local memory";
  double ms = std::chrono::duration<double, std::milli>(
                  std::chrono::steady_clock::now() - start)
                  .count();
  OpBuilder builder(op);
  op->setAttr(kTilesAttr, builder.getI64IntegerAttr(shape.n / best->tileN));
  op->setAttr(kBlockRowsAttr, builder.getI64IntegerAttr(best->blockRows));
  op->emitRemark() << llvm::formatv(
      "bfly-multilayer-tiling: tile search for '{0}': {1} candidates in "
      "{2:F2} ms; chose {3} tiles of {4} columns, blocks of {5} rows: "
      "modelled {6:F0} cycles (compute {7:F0}, weight stream {8:F0}, row "
      "stream {9:F0}, DRAM {10:F0})",
      op->getName(), explored, ms, shape.n / best->tileN, best->tileN,
      best->blockRows, best->cycles, best->computeCycles,
      best->weightStreamCycles, best->rowStreamCycles, best->dramCycles);
  return success();
}

struct BflyMultilayerTilingPass
    : public butterfly::impl::BflyMultilayerTilingBase<
          BflyMultilayerTilingPass> {
  using BflyMultilayerTilingBase::BflyMultilayerTilingBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    constexpr StringLiteral pass = "bfly-multilayer-tiling";
    if (dataflow != "multilayer" && dataflow != "layer-by-layer") {
      module.emitError() << pass << ": unknown dataflow '"
                         << dataflow.getValue()
                         << "'; expected multilayer or layer-by-layer";
      return signalPassFailure();
    }
    FailureOr<arch::Arch> target = loadTarget(archFile, module, pass);
    FailureOr<func::FuncOp> func = ref::findEntryFunction(module, "");
    if (failed(target) || failed(func))
      return signalPassFailure();
    bool multilayer = dataflow == "multilayer";

    SmallVector<Chain> chains;
    WalkResult result = func->walk([&](Operation *op) -> WalkResult {
      if (op == func->getOperation() || isa<func::ReturnOp>(op) ||
          isa<arith::ConstantOp>(op) || isViewOp(op))
        return WalkResult::advance();
      std::string why;
      if (!isRowOp(op, why)) {
        op->emitError() << pass << ": cannot map '" << op->getName()
                        << "': " << why << " (docs/compiler.md)";
        return WalkResult::interrupt();
      }
      // Attention that bfly-decompose kept whole runs fused, alone in its
      // phase over the columns of its plan.
      if (isa<bfly::AttentionOp>(op)) {
        std::optional<cost::AttentionPlan> plan =
            fusedAttentionPlan(op, *target);
        if (!plan) {
          op->emitError() << pass << ": no fused plan of '" << op->getName()
                          << "' fits the arch's local and instruction "
                             "memories (run bfly-decompose without "
                             "fuse-attention)";
          return WalkResult::interrupt();
        }
        op->setAttr(kWidthAttr, OpBuilder(op).getI64IntegerAttr(plan->columns));
        FailureOr<View> head = viewOf(op->getOperand(0), why);
        if (failed(head)) {
          op->emitError() << pass << ": cannot stream the queries of '"
                          << op->getName() << "': " << why;
          return WalkResult::interrupt();
        }
        chains.push_back({{op}, *head, 1, plan->columns});
        return WalkResult::advance();
      }
      Band band = chooseBand(op, *target);
      int64_t width = band.width;
      if (width == 0) {
        op->emitError() << pass << ": '" << op->getName()
                        << "': its weight does not fit the local memory of "
                        << target->cols
                        << " PEs, split by output columns or by the "
                           "contraction, even one tile of "
                        << target->lanes << " output columns at a time";
        return WalkResult::interrupt();
      }
      op->setAttr(kWidthAttr, OpBuilder(op).getI64IntegerAttr(width));
      if (band.contraction)
        op->setAttr(kSplitKAttr, OpBuilder(op).getUnitAttr());
      if (band.tiles > 1)
        op->setAttr(kTilesAttr, OpBuilder(op).getI64IntegerAttr(band.tiles));
      // The op can continue the current chain (multilayer) when it reads
      // the chain's last result, which nothing else reads, and the band
      // still fits the array's columns. An op computed in tiles of output
      // columns runs alone: it streams its input once per tile and emits
      // its result tile by tile. One that streams its rows twice heads a
      // phase.
      Value input = op->getOperand(0);
      // Reshapes that keep the row (the last dimension) keep the rows in
      // order: the chain goes on through them when each is the only reader.
      Value producer = input;
      while (auto reshape = producer.getDefiningOp<bfly::ReshapeOp>()) {
        Value from = reshape.getInput();
        if (!producer.hasOneUse() || rowWords(from) != rowWords(producer))
          break;
        producer = from;
      }
      auto extend = [&]() {
        return multilayer && !chains.empty() && band.tiles == 1 &&
               !isa<bfly::AttentionOp>(chains.back().ops.back()) &&
               !streamsRowTwice(op, *target) &&
               bandOf(chains.back().ops.back()).tiles == 1 &&
               producer.getDefiningOp() == chains.back().ops.back() &&
               producer.hasOneUse() &&
               chains.back().columns + width <= target->cols;
      };
      auto startChain = [&](int64_t cycle) {
        FailureOr<View> head = viewOf(input, why);
        if (failed(head)) {
          op->emitError() << pass << ": cannot stream the input of '"
                          << op->getName() << "': " << why;
          return WalkResult::interrupt();
        }
        chains.push_back({{op}, *head, cycle, width});
        return WalkResult::advance();
      };
      // An op indexing a per-row rhs by the row's place in its group joins
      // the grouped head that defines the groups, or heads its own phase.
      if (int64_t period = rowPeriod(op); period > 0) {
        Operation *head = chains.empty() ? nullptr : chains.back().ops.front();
        if (!extend() || !isGroupedHead(head) ||
            groupShape(head).second != period)
          return startChain(1);
        chains.back().ops.push_back(op);
        chains.back().columns += width;
        return WalkResult::advance();
      }
      // Ops that read two streams or a group's rhs start a phase.
      if (extend() && !readsTwoStreams(op) && !isGroupedHead(op)) {
        Chain &chain = chains.back();
        int64_t cycle = std::lcm(chain.cycle, rowCycle(op));
        if (cycle == 1 || (!isGroupedHead(chain.ops.front()) &&
                           choosePeRows(chain.head, cycle, *target) > 0)) {
          chain.ops.push_back(op);
          chain.cycle = cycle;
          chain.columns += width;
          return WalkResult::advance();
        }
      }
      return startChain(rowCycle(op));
    });
    if (result.wasInterrupted())
      return signalPassFailure();

    OpBuilder builder(&getContext());
    for (auto [phase, chain] : llvm::enumerate(chains)) {
      // A grouped head spreads its groups over the PE rows and, when there
      // are fewer groups than PE rows, each group's rows over several
      // (groups x slices PE rows, the slices dividing the group's rows).
      int64_t peRows = 0;
      if (std::optional<cost::AttentionPlan> plan =
              fusedAttentionPlan(chain.ops.front(), *target)) {
        peRows = plan->peRows;
      } else if (isGroupedHead(chain.ops.front())) {
        auto [groups, groupRows] = groupShape(chain.ops.front());
        int64_t slices =
            std::max<int64_t>(1, target->rows / std::max<int64_t>(1, groups));
        while (groupRows > 0 && groupRows % slices != 0)
          --slices;
        peRows = std::min(target->rows, groups * slices);
      } else {
        peRows = choosePeRows(chain.head, chain.cycle, *target);
      }
      // A head with a per-row rhs: each PE row's rows must step through the
      // period evenly, so P divides it.
      if (int64_t period = rowPeriod(chain.ops.front());
          period > 0 && !isGroupedHead(chain.ops.front()))
        peRows = std::gcd(peRows, period);
      if (cast<RankedTensorType>(chain.ops.front()->getOperand(0).getType())
              .getNumElements() == 0) {
        chain.ops.front()->emitError()
            << pass << ": '" << chain.ops.front()->getName()
            << "' has nothing to stream (a dimension of size 0)";
        return signalPassFailure();
      }
      if (peRows == 0) {
        chain.ops.front()->emitError()
            << pass << ": cannot spread the rows of '"
            << chain.ops.front()->getName()
            << "' over PE rows so that each PE gets an affine pattern of rows "
               "with whole twiddle stacks";
        return signalPassFailure();
      }
      // A blocked linear: the tile and block sizes the cost model finds
      // cheapest.
      Operation *head = chain.ops.front();
      if (bandOf(head).tiles > 1 && !isGroupedHead(head) &&
          failed(searchTiles(head, chain.head, peRows, *target)))
        return signalPassFailure();
      int64_t column = 0;
      for (Operation *op : chain.ops) {
        op->setAttr(kPhaseAttr, builder.getI64IntegerAttr(phase));
        op->setAttr(kColumnAttr, builder.getI64IntegerAttr(column));
        op->setAttr(kPeRowsAttr, builder.getI64IntegerAttr(peRows));
        column += cast<IntegerAttr>(op->getAttr(kWidthAttr)).getInt();
      }
    }
  }
};

} // namespace
