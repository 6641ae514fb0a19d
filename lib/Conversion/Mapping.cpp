//===- Mapping.cpp - bfly-pe-mapping ----------------------------*- C++ -*-===//
//
// Emits the dfa.program of a model planned by bfly-multilayer-tiling: memory
// allocation, per-PE programs (instruction selection for each row op),
// routes and DMA descriptors. The program is built as a bitstream Program,
// checked by its verifier, and converted to dfa ops.
//
//===----------------------------------------------------------------------===//

#include "RowPlan.h"

#include "butterfly/Bitstream/Program.h"
#include "butterfly/Conversion/Passes.h"
#include "butterfly/Reference/Interpreter.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/TypeUtilities.h"

#include <cmath>
#include <complex>
#include <limits>
#include <map>
#include <optional>

namespace butterfly {
#define GEN_PASS_DEF_BFLYPEMAPPING
#include "butterfly/Conversion/Passes.h.inc"
} // namespace butterfly

using namespace mlir;
using namespace butterfly;
using namespace butterfly::rowplan;
using bitstream::Instruction;
using bitstream::Opcode;
using bitstream::Operand;

namespace {

constexpr StringLiteral kPass = "bfly-pe-mapping";

int64_t wordsPerElement(Type type) {
  return isa<ComplexType>(getElementTypeOrSelf(type)) ? 2 : 1;
}

/// The words of one row (the last dimension) of a tensor value.
int64_t rowWords(Value value) {
  auto type = cast<RankedTensorType>(value.getType());
  return type.getShape().back() * wordsPerElement(type);
}

std::vector<float> constantWords(Value value) {
  DenseElementsAttr dense;
  matchPattern(value, m_Constant(&dense));
  std::vector<float> words;
  if (dense.getElementType().isF32()) {
    for (float v : dense.getValues<float>())
      words.push_back(v);
  } else {
    for (std::complex<float> v : dense.getValues<std::complex<float>>()) {
      words.push_back(v.real());
      words.push_back(v.imag());
    }
  }
  return words;
}

/// The radix-2 table w_0..w_{s-1} of a stage whose 2x2 blocks (entries of
/// `entryWords` words, pair p = g·s + j) are all [[1, w_j], [1, -w_j]];
/// empty when they are not.
std::vector<float> radix2Table(const std::vector<float> &table,
                               int64_t elements, int64_t stride,
                               int64_t entryWords) {
  std::vector<float> w(stride * entryWords);
  auto entry = [&](int64_t pair, int64_t k, int64_t part) {
    return table[(pair * 4 + k) * entryWords + part];
  };
  for (int64_t pair = 0; pair < elements / 2; ++pair) {
    int64_t j = pair % stride;
    for (int64_t part = 0; part < entryWords; ++part) {
      float one = part == 0 ? 1.0f : 0.0f;
      float wj = entry(pair, 1, part);
      if (entry(pair, 0, part) != one || entry(pair, 2, part) != one ||
          entry(pair, 3, part) != -wj)
        return {};
      if (pair < stride)
        w[j * entryWords + part] = wj;
      else if (w[j * entryWords + part] != wj)
        return {};
    }
  }
  return w;
}

/// One weight a PE receives before its rows.
struct WeightStream {
  int64_t lmAddr = 0;
  std::optional<View> view;
  std::vector<float> data;
  int64_t words() const {
    if (!view)
      return static_cast<int64_t>(data.size());
    int64_t count = wordsPerElement(view->base.getType());
    for (int64_t size : view->shape)
      count *= size;
    return count;
  }
};

/// Local-memory layout and code of one row op on one PE.
struct OpCode {
  int64_t inWords = 0, outWords = 0;
  bool twoStreams = false;
  std::vector<Instruction> body; ///< per row, between recv and send
  int64_t inAddr = 0, in2Addr = 0, outAddr = 0;
  /// A grouped matmul's rhs, received once per group before its rows.
  int64_t preloadAddr = 0, preloadWords = 0;
  /// In a band of PEs splitting an op by output columns, member i forwards
  /// the later members' rhs chunks, the input row (unless last), and the
  /// i earlier members' output chunks before its own.
  int64_t preloadForwardWords = 0;
  bool forwardInput = false;
  int64_t forwardChunkWords = 0;
  /// In a band split by the contraction, member i receives its chunk of the
  /// input row and forwards the later members' chunks.
  int64_t forwardRestWords = 0;
  /// Weights, received at the start of the phase from the column's north
  /// edge, multicast to every PE row: a view of a tensor in the global
  /// buffer, or constant words the program places there.
  std::vector<WeightStream> weightStreams;
  int64_t words = 0; ///< local memory used
};

Operand mem(int64_t base, int64_t stride = 1) {
  return Operand::mem(base, stride);
}
Operand imm(double value) {
  return Operand::immediate(static_cast<float>(value));
}

/// Instruction selection for `op` on the PE that handles stack `stack` of
/// its twiddles. Layout: in [, in2], out, temporaries, constants.
/// Where a PE's rows stand in a per-row rhs (rowPeriod): the first row's
/// offset and the step per row, in rows of the rhs.
struct RowPosition {
  int64_t first = 0, step = 1;
};

FailureOr<OpCode> selectOp(Operation *op, int64_t stack, int64_t lanes,
                           int64_t member, Band band,
                           RowPosition position = {}) {
  OpCode code;
  int64_t width = band.width;
  int64_t inputWords = rowWords(op->getOperand(0));
  int64_t outputWords = rowWords(op->getResult(0));
  code.inWords = inputWords;
  code.outWords = outputWords;
  // A band member computes one chunk of the output columns, or multiplies
  // one chunk of the input row (the contraction).
  int64_t chunk = outputWords / width, inChunk = inputWords / width;
  if (band.contraction) {
    code.inWords = inChunk;
    code.forwardRestWords = (width - 1 - member) * inChunk;
  } else {
    code.outWords = chunk;
    code.forwardInput = member + 1 < width;
    code.forwardChunkWords = member * chunk;
  }
  code.twoStreams = readsTwoStreams(op);
  int64_t next = 0;
  auto alloc = [&](int64_t words) {
    int64_t addr = next;
    next += (words + lanes - 1) / lanes * lanes; // flit-aligned
    return addr;
  };
  code.inAddr = alloc(code.inWords);
  if (code.twoStreams)
    code.in2Addr = alloc(code.inWords);
  // Butterfly stages run in place (the block is read at issue).
  code.outAddr =
      isa<bfly::ButterflyStageOp>(op) ? code.inAddr : alloc(code.outWords);
  int64_t in = code.inAddr, out = code.outAddr, n = code.inWords;
  // Constants are placed in the global buffer with the program and streamed
  // in like other weights: configuring them into every PE's local memory
  // would repeat them once per PE row.
  auto constant = [&](std::vector<float> data) {
    int64_t addr = alloc(data.size());
    code.weightStreams.push_back({addr, std::nullopt, std::move(data)});
    return addr;
  };
  // A weight operand, restricted to elements [begin, begin + count) of its
  // last dimension: constant words configured with the phase, or words
  // streamed from the global buffer at the start of the phase.
  std::string why;
  auto weight = [&](Value value, int64_t begin, int64_t count,
                    bool rows = false) -> FailureOr<int64_t> {
    auto type = cast<RankedTensorType>(value.getType());
    int64_t last = type.getShape().back(), elementWords = wordsPerElement(type);
    if (matchPattern(value, m_Constant())) {
      std::vector<float> all = constantWords(value), part;
      int64_t rowWords = last * elementWords;
      if (rows) {
        // Rows [begin, begin + count) of a matrix.
        part.assign(all.begin() + begin * rowWords,
                    all.begin() + (begin + count) * rowWords);
      } else {
        for (size_t row = 0; row * rowWords < all.size(); ++row)
          part.insert(
              part.end(), all.begin() + row * rowWords + begin * elementWords,
              all.begin() + row * rowWords + (begin + count) * elementWords);
      }
      return constant(std::move(part));
    }
    FailureOr<View> view = viewOf(value, why);
    if (failed(view))
      return op->emitError() << kPass << ": cannot stream a weight of '"
                             << op->getName() << "': " << why;
    int64_t dim = view->rank() - (rows ? 2 : 1);
    view->offset += begin * view->strides[dim];
    view->shape[dim] = count;
    int64_t words = elementWords;
    for (int64_t size : view->shape)
      words *= size;
    int64_t addr = alloc(words);
    code.weightStreams.push_back({addr, *view, {}});
    return addr;
  };
  auto wholeWeight = [&](Value value) {
    return weight(value, 0,
                  cast<RankedTensorType>(value.getType()).getShape().back());
  };
  auto emit = [&](Instruction inst) { code.body.push_back(inst); };
  auto binary = [&](Opcode opcode, Operand d, Operand a, Operand b,
                    int64_t count) {
    emit(Instruction::binary(opcode, d, a, b, count));
  };
  auto unary = [&](Opcode opcode, Operand d, Operand a, int64_t count) {
    emit(Instruction::unary(opcode, d, a, count));
  };

  if (auto scale = dyn_cast<bfly::ScaleOp>(op)) {
    binary(Opcode::VMul, mem(out), mem(in),
           imm(scale.getFactor().convertToDouble()), n);
  } else if (isa<bfly::ReluOp>(op)) {
    binary(Opcode::VMax, mem(out), mem(in), imm(0), n);
  } else if (auto gelu = dyn_cast<bfly::GeluOp>(op)) {
    int64_t t = alloc(n);
    if (gelu.getTanh()) {
      // 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))
      binary(Opcode::VMul, mem(t), mem(in), mem(in), n);
      binary(Opcode::VMul, mem(t), mem(t), mem(in), n);
      binary(Opcode::VMul, mem(t), mem(t), imm(0.044715), n);
      binary(Opcode::VAdd, mem(t), mem(t), mem(in), n);
      binary(Opcode::VMul, mem(t), mem(t),
             imm(std::sqrt(2.0 / llvm::numbers::pi)), n);
      unary(Opcode::VTanh, mem(t), mem(t), n);
    } else {
      // 0.5·x·(1 + erf(x/√2))
      binary(Opcode::VMul, mem(t), mem(in), imm(1.0 / std::sqrt(2.0)), n);
      unary(Opcode::VErf, mem(t), mem(t), n);
    }
    binary(Opcode::VAdd, mem(t), mem(t), imm(1), n);
    binary(Opcode::VMul, mem(t), mem(t), mem(in), n);
    binary(Opcode::VMul, mem(out), mem(t), imm(0.5), n);
  } else if (isa<bfly::AddOp, bfly::MulOp>(op)) {
    Opcode opcode = isa<bfly::AddOp>(op) ? Opcode::VAdd : Opcode::VMul;
    if (code.twoStreams) {
      binary(opcode, mem(out), mem(in), mem(code.in2Addr), n);
    } else {
      Value rhs = op->getOperand(1);
      bool scalar =
          cast<RankedTensorType>(rhs.getType()).getShape().back() == 1;
      FailureOr<int64_t> c = wholeWeight(rhs);
      if (failed(c))
        return failure();
      // A per-row rhs advances with the rows loop.
      bool perRow = rowPeriod(op) > 0;
      binary(opcode, mem(out), mem(in),
             Operand::mem(*c + (perRow ? position.first * n : 0),
                          scalar ? 0 : 1, perRow ? position.step * n : 0),
             n);
    }
  } else if (isa<bfly::SoftmaxOp>(op)) {
    int64_t t = alloc(1);
    emit(Instruction::reduce(Opcode::ReduceMax, mem(t), mem(in), n));
    binary(Opcode::VSub, mem(out), mem(in), mem(t, 0), n);
    unary(Opcode::VExp, mem(out), mem(out), n);
    emit(Instruction::reduce(Opcode::ReduceSum, mem(t), mem(out), n));
    unary(Opcode::VRcp, mem(t), mem(t), 1);
    binary(Opcode::VMul, mem(out), mem(out), mem(t, 0), n);
  } else if (auto norm = dyn_cast<bfly::LayerNormOp>(op)) {
    int64_t t = alloc(1), square = alloc(n);
    FailureOr<int64_t> gammaAddr = wholeWeight(norm.getGamma());
    FailureOr<int64_t> betaAddr = wholeWeight(norm.getBeta());
    if (failed(gammaAddr) || failed(betaAddr))
      return failure();
    int64_t gamma = *gammaAddr, beta = *betaAddr;
    emit(Instruction::reduce(Opcode::ReduceSum, mem(t), mem(in), n));
    binary(Opcode::VMul, mem(t), mem(t), imm(1.0 / n), 1);
    binary(Opcode::VSub, mem(out), mem(in), mem(t, 0), n);
    binary(Opcode::VMul, mem(square), mem(out), mem(out), n);
    emit(Instruction::reduce(Opcode::ReduceSum, mem(t), mem(square), n));
    binary(Opcode::VMul, mem(t), mem(t), imm(1.0 / n), 1);
    binary(Opcode::VAdd, mem(t), mem(t),
           imm(norm.getEpsilon().convertToDouble()), 1);
    unary(Opcode::VRsqrt, mem(t), mem(t), 1);
    binary(Opcode::VMul, mem(out), mem(out), mem(t, 0), n);
    binary(Opcode::VMul, mem(out), mem(out), mem(gamma), n);
    binary(Opcode::VAdd, mem(out), mem(out), mem(beta), n);
  } else if (isa<bfly::MatmulOp, bfly::LinearOp>(op) && band.contraction) {
    // acc = x[chunk] · W[chunk rows] (+ the partial sum from the west).
    int64_t rhs;
    if (isGroupedHead(op)) {
      code.preloadWords = inChunk * outputWords;
      code.preloadForwardWords = (width - 1 - member) * code.preloadWords;
      rhs = code.preloadAddr = alloc(code.preloadWords);
    } else {
      FailureOr<int64_t> addr =
          weight(op->getOperand(1), member * inChunk, inChunk, /*rows=*/true);
      if (failed(addr))
        return failure();
      rhs = *addr;
    }
    emit(Instruction::gemm(mem(out), mem(in), mem(rhs), 1, outputWords, inChunk,
                           /*init=*/true));
    if (member > 0) {
      int64_t partial = alloc(outputWords);
      emit(Instruction::mov(mem(partial), Operand::in(0), outputWords));
      binary(Opcode::VAdd, mem(out), mem(out), mem(partial), outputWords);
    }
    auto linear = dyn_cast<bfly::LinearOp>(op);
    if (Value bias = linear ? linear.getBias() : Value();
        bias && member + 1 == width) {
      FailureOr<int64_t> addr = weight(bias, 0, outputWords);
      if (failed(addr))
        return failure();
      binary(Opcode::VAdd, mem(out), mem(out), mem(*addr), outputWords);
    }
  } else if (isa<bfly::MatmulOp, bfly::LinearOp>(op)) {
    // One input row times the weight (or the group's rhs, preloaded from
    // the stream): this member's chunk of the output columns.
    int64_t rhs;
    if (isGroupedHead(op)) {
      code.preloadWords = n * chunk;
      code.preloadForwardWords = (width - 1 - member) * n * chunk;
      rhs = code.preloadAddr = alloc(code.preloadWords);
    } else {
      FailureOr<int64_t> addr =
          weight(op->getOperand(1), member * chunk, chunk);
      if (failed(addr))
        return failure();
      rhs = *addr;
    }
    emit(Instruction::gemm(mem(out), mem(in), mem(rhs), 1, chunk, n,
                           /*init=*/true));
    auto linear = dyn_cast<bfly::LinearOp>(op);
    if (Value bias = linear ? linear.getBias() : Value()) {
      FailureOr<int64_t> addr = weight(bias, member * chunk, chunk);
      if (failed(addr))
        return failure();
      binary(Opcode::VAdd, mem(out), mem(out), mem(*addr), chunk);
    }
  } else if (isa<bfly::BitReverseOp>(op)) {
    bool complex = wordsPerElement(op->getOperand(0).getType()) == 2;
    emit(Instruction::bitrev(mem(out), mem(in), complex ? n / 2 : n, complex));
  } else if (auto stage = dyn_cast<bfly::ButterflyStageOp>(op)) {
    bool complex = wordsPerElement(op->getOperand(0).getType()) == 2;
    int64_t elements = complex ? n / 2 : n, stride = stage.getStride();
    // One stack's table: n/2 pairs of 2x2 entries.
    int64_t entryWords = complex ? 2 : 1;
    int64_t stackWords = elements / 2 * 4 * entryWords;
    uint8_t matrixFlags = bitstream::flag::Matrix | bitstream::flag::PerPair |
                          (complex ? bitstream::flag::Complex : 0);
    if (!matchPattern(stage.getTwiddles(), m_Constant())) {
      // Streamed twiddles: every stack's table, this PE's at its offset.
      FailureOr<int64_t> tw = wholeWeight(stage.getTwiddles());
      if (failed(tw))
        return failure();
      emit(Instruction::bfly(mem(out), mem(in), mem(*tw + stack * stackWords),
                             elements, stride, matrixFlags));
      code.words = next;
      return code;
    }
    // Every stack's table goes to every PE of the column (the weights are
    // multicast); the PE indexes its own stack's.
    std::vector<float> all = constantWords(stage.getTwiddles());
    int64_t stacks = static_cast<int64_t>(all.size()) / stackWords;
    std::vector<float> radix2;
    for (int64_t index = 0; index < stacks; ++index) {
      std::vector<float> table(all.begin() + index * stackWords,
                               all.begin() + (index + 1) * stackWords);
      std::vector<float> compact =
          radix2Table(table, elements, stride, entryWords);
      if (compact.empty()) {
        radix2.clear();
        break;
      }
      llvm::append_range(radix2, compact);
    }
    if (!radix2.empty()) {
      // [[1, w_j], [1, -w_j]] with w depending only on the position j in
      // the group: a radix-2 stage with a table of `stride` entries.
      int64_t tw = constant(std::move(radix2));
      emit(Instruction::bfly(mem(out), mem(in),
                             mem(tw + stack * stride * entryWords), elements,
                             stride, complex ? bitstream::flag::Complex : 0));
    } else {
      int64_t tw = constant(std::move(all));
      emit(Instruction::bfly(mem(out), mem(in), mem(tw + stack * stackWords),
                             elements, stride, matrixFlags));
    }
  } else if (isa<bfly::ToComplexOp>(op)) {
    emit(Instruction::mov(mem(out), imm(0), code.outWords));
    emit(Instruction::mov(mem(out, 2), mem(in), n));
  } else if (isa<bfly::RealOp>(op)) {
    emit(Instruction::mov(mem(out), mem(in, 2), code.outWords));
  } else if (isa<bfly::PadOp>(op)) {
    emit(Instruction::mov(mem(out), imm(0), code.outWords));
    emit(Instruction::mov(mem(out), mem(in), n));
  } else {
    return op->emitError() << kPass << ": no instruction selection for '"
                           << op->getName() << "'";
  }
  code.words = next;
  return code;
}

/// One stream of rows as DMA dimensions (sizes and GB strides in words) for
/// PE row `r` of `peRows`: the rows it owns, then the row's words.
struct RowPattern {
  int64_t gbOffset = 0;
  int64_t count = 0;
  /// The dimensions that select rows; the rest walk one row.
  std::vector<bitstream::DmaDim> dims;
  size_t rowSelectDims = 0;
};

RowPattern rowPattern(const View &view, int64_t base, int64_t words, int64_t r,
                      int64_t peRows) {
  SmallVector<std::pair<int64_t, int64_t>> rows = rowDims(view);
  RowPattern pattern;
  int64_t offset = view.offset;
  if (peRows == 1 && rows.size() > 2) {
    // One PE row takes every row: walk all row dimensions.
    pattern.count = 1;
    for (auto [size, stride] : rows) {
      pattern.count *= size;
      pattern.dims.push_back({size, 0, stride * words});
    }
  } else if (rows.size() == 1) {
    auto [size, stride] = rows.front();
    pattern.count = (size - r + peRows - 1) / peRows;
    offset += r * stride;
    pattern.dims.push_back({pattern.count, 0, peRows * stride * words});
  } else if (auto [inner, innerStride] = rows[1]; inner % peRows == 0) {
    auto [outer, outerStride] = rows[0];
    pattern.count = outer * (inner / peRows);
    offset += r * innerStride;
    pattern.dims.push_back({outer, 0, outerStride * words});
    pattern.dims.push_back({inner / peRows, 0, peRows * innerStride * words});
  } else {
    auto [outer, outerStride] = rows[0];
    int64_t q = peRows / inner;
    pattern.count = outer / q;
    offset += (r / inner) * outerStride + (r % inner) * innerStride;
    pattern.dims.push_back({pattern.count, 0, q * outerStride * words});
  }
  pattern.rowSelectDims = pattern.dims.size();
  for (int64_t dim = view.rank() - view.rowRank; dim < view.rank(); ++dim)
    pattern.dims.push_back({view.shape[dim], 0, view.strides[dim] * words});
  if (words == 2)
    pattern.dims.push_back({2, 0, 1});
  pattern.gbOffset = base + offset * words;
  return pattern;
}

struct BflyPeMappingPass
    : public butterfly::impl::BflyPeMappingBase<BflyPeMappingPass> {
  using BflyPeMappingBase::BflyPeMappingBase;
  void runOnOperation() override;

private:
  LogicalResult emitPhase(ArrayRef<Operation *> chain, int64_t index,
                          bitstream::Program &program);
  LogicalResult streamWeights(bitstream::Phase &phase, int64_t column,
                              int64_t peRows, ArrayRef<WeightStream> streams,
                              Operation *op, bitstream::Program &program);
  /// The global-buffer word address of a materialized value.
  DenseMap<Value, int64_t> gbAddress;
  arch::Arch target;
  /// Global-buffer words in use, as [begin, end) regions, and the peak.
  std::map<int64_t, int64_t> gbInUse;
  int64_t gbPeak = 0;
  /// The last phase that reads each materialized value (outputs: never
  /// freed).
  DenseMap<Value, int64_t> lastUse;

  /// Places a materialized value in the global buffer, first fit. All
  /// tensors share one dfa.buffer, since one DMA may interleave the rows of
  /// two of them.
  int64_t allocate(Value value) {
    auto type = cast<RankedTensorType>(value.getType());
    gbAddress[value] =
        allocateWords(type.getNumElements() * wordsPerElement(type));
    return gbAddress[value];
  }

  /// Constants live at the top of the global buffer, below `constantBase`,
  /// apart from the tensors whose space is reused: they are written once,
  /// when the program is loaded.
  int64_t constantBase = 0;
  int64_t allocateConstant(int64_t words) {
    int64_t lanes = target.lanes;
    constantBase -= (words + lanes - 1) / lanes * lanes;
    return constantBase;
  }

  /// First-fit placement of `words` in the global buffer.
  int64_t allocateWords(int64_t words) {
    int64_t lanes = target.lanes;
    int64_t size = (words + lanes - 1) / lanes * lanes;
    int64_t addr = 0;
    for (auto [begin, end] : gbInUse) {
      if (begin - addr >= size)
        break;
      addr = std::max(addr, end);
    }
    gbInUse[addr] = addr + size;
    gbPeak = std::max(gbPeak, addr + size);
    return addr;
  }

  /// Frees the values whose last reader is phase `phase`.
  void release(int64_t phase) {
    for (auto [value, last] : lastUse) {
      auto placed = gbAddress.find(value);
      // Constants operands (weights) are in local memory, not here.
      if (last == phase && placed != gbAddress.end())
        gbInUse.erase(placed->second);
    }
  }
};

} // namespace

/// The DMA that streams the words of `view` (a row pattern, or one group's
/// block) from the global buffer into edge west(r).
bitstream::Dma edgeStream(int64_t r, int64_t gbAddr,
                          std::vector<bitstream::DmaDim> dims) {
  bitstream::Dma dma;
  dma.kind = bitstream::DmaKind::GbToEdge;
  dma.edge = {r, -1};
  dma.gbAddr = gbAddr;
  dma.dims = std::move(dims);
  return dma;
}

/// DMA dimensions walking the whole of `view` from element `offset` (all its
/// dimensions, row-major).
std::vector<bitstream::DmaDim> blockDims(const View &view, int64_t words) {
  std::vector<bitstream::DmaDim> dims;
  for (int64_t dim = 0; dim < view.rank(); ++dim)
    if (view.shape[dim] != 1)
      dims.push_back({view.shape[dim], 0, view.strides[dim] * words});
  if (words == 2)
    dims.push_back({2, 0, 1});
  if (dims.empty())
    dims.push_back({1, 0, 1});
  return dims;
}

LogicalResult BflyPeMappingPass::streamWeights(bitstream::Phase &phase,
                                               int64_t column, int64_t peRows,
                                               ArrayRef<WeightStream> streams,
                                               Operation *op,
                                               bitstream::Program &program) {
  // One multicast down the column: every PE row gets the same weights.
  bitstream::Route route;
  route.src = {{-1, column}, 0};
  for (int64_t r = 0; r < peRows; ++r) {
    route.dsts.push_back({{r, column}, 1});
    route.links.push_back({{r - 1, column}, {r, column}});
  }
  phase.routes.push_back(std::move(route));
  for (const WeightStream &stream : streams) {
    bitstream::Dma dma;
    dma.kind = bitstream::DmaKind::GbToEdge;
    dma.edge = {-1, column};
    if (!stream.view) {
      // A constant: placed in the global buffer when the program loads.
      int64_t addr = allocateConstant(stream.words());
      program.constants.push_back(
          {"c" + std::to_string(program.constants.size()),
           bitstream::MemSpace::Gb, addr, stream.data});
      dma.gbAddr = addr;
      dma.dims = {{stream.words(), 0, 1}};
    } else {
      const View &view = *stream.view;
      if (!gbAddress.count(view.base))
        return op->emitError() << kPass << ": a weight of '" << op->getName()
                               << "' is not in the global buffer";
      int64_t words = wordsPerElement(view.base.getType());
      dma.gbAddr = gbAddress[view.base] + view.offset * words;
      dma.dims = blockDims(view, words);
    }
    phase.dmas.push_back(std::move(dma));
  }
  return success();
}

LogicalResult BflyPeMappingPass::emitPhase(ArrayRef<Operation *> chain,
                                           int64_t index,
                                           bitstream::Program &program) {
  Operation *head = chain.front();
  int64_t peRows = cast<IntegerAttr>(head->getAttr(kPeRowsAttr)).getInt();
  std::string why;
  auto streamedView = [&](Value value) -> FailureOr<View> {
    FailureOr<View> view = viewOf(value, why);
    if (failed(view) || !gbAddress.count(view->base))
      return head->emitError()
             << kPass << ": cannot stream " << value.getType() << ": "
             << (why.empty() ? "it is not in the global buffer" : why);
    return view;
  };
  FailureOr<View> view = streamedView(head->getOperand(0));
  if (failed(view))
    return failure();
  int64_t elementWords = wordsPerElement(head->getOperand(0).getType());
  bool grouped = isGroupedHead(head);
  FailureOr<View> rhsView = failure();
  if (grouped || readsTwoStreams(head)) {
    rhsView = streamedView(head->getOperand(1));
    if (failed(rhsView))
      return failure();
  }

  bitstream::Phase phase;
  phase.name = "phase" + std::to_string(index);
  int64_t lanes = target.lanes;
  int64_t lmWords = target.localMemBytes / 4;
  for (Operation *op : chain)
    for (Value value : {op->getOperand(0), Value(op->getResult(0))})
      if (rowWords(value) % lanes != 0)
        return op->emitError()
               << kPass << ": '" << op->getName() << "': rows of "
               << value.getType() << " are " << rowWords(value)
               << " words, not a multiple of the " << lanes
               << " lanes of a flit";

  Value result = chain.back()->getResult(0);
  int64_t outBase = allocate(result);
  int64_t outWords = rowWords(result);
  int64_t resultWords = wordsPerElement(result.getType());
  auto [groups, groupRows] =
      grouped ? groupShape(head) : std::pair<int64_t, int64_t>{0, 0};
  int64_t numRows = 1;
  if (!grouped)
    for (auto [size, stride] : rowDims(*view))
      numRows *= size;

  for (int64_t r = 0; r < peRows; ++r) {
    // The input stream of PE row r, and how many rows it carries.
    int64_t rows = 0, ownGroups = 0;
    if (grouped) {
      // Groups r, r + P, ...: the group's rhs block, then its lhs rows.
      ownGroups = (groups - r + peRows - 1) / peRows;
      rows = ownGroups * groupRows;
      for (int64_t g = r; g < groups; g += peRows) {
        for (const View *operand : {&*rhsView, &*view}) {
          View block = *operand;
          // Select group g of the leading (batch) dimensions.
          int64_t batchRank = block.rank() - 2, rest = g;
          for (int64_t dim = batchRank - 1; dim >= 0; --dim) {
            block.offset += (rest % block.shape[dim]) * block.strides[dim];
            rest /= block.shape[dim];
            block.shape[dim] = 1;
          }
          std::vector<bitstream::DmaDim> dims = blockDims(block, elementWords);
          int64_t width = cast<IntegerAttr>(head->getAttr(kWidthAttr)).getInt();
          if (operand == &*rhsView && width > 1 && !bandOf(head).contraction) {
            // The rhs goes chunk by chunk of output columns, one chunk per
            // band member: [width][K][N / width].
            int64_t k = block.shape[block.rank() - 2];
            int64_t n = block.shape.back(), nStride = block.strides.back();
            int64_t kStride = block.strides[block.rank() - 2];
            dims = {{width, 0, n / width * nStride * elementWords},
                    {k, 0, kStride * elementWords},
                    {n / width, 0, nStride * elementWords}};
          }
          phase.dmas.push_back(
              edgeStream(r, gbAddress[block.base] + block.offset * elementWords,
                         std::move(dims)));
        }
      }
    } else {
      RowPattern input =
          rowPattern(*view, gbAddress[view->base], elementWords, r, peRows);
      rows = input.count;
      bitstream::Dma in = edgeStream(r, input.gbOffset, input.dims);
      if (readsTwoStreams(head)) {
        if (rhsView->strides != view->strides || rhsView->shape != view->shape)
          return head->emitError() << kPass << ": its operands are laid out "
                                   << "differently and cannot be interleaved";
        int64_t delta =
            (gbAddress[rhsView->base] + rhsView->offset * elementWords) -
            (gbAddress[view->base] + view->offset * elementWords);
        // Row j of the lhs, then row j of the rhs.
        in.dims.insert(in.dims.begin() + input.rowSelectDims, {2, 0, delta});
      }
      phase.dmas.push_back(std::move(in));
    }

    int64_t column = 0;
    for (Operation *op : chain) {
      Band band = bandOf(op);
      for (int64_t member = 0; member < band.width; ++member, ++column) {
        // A head with a per-row rhs owns rows r, r + P, ... (P dividing
        // the period): it walks the period in steps of P from r.
        bool periodicHead = !grouped && rowPeriod(head) > 0;
        RowPosition position =
            periodicHead ? RowPosition{r, peRows} : RowPosition{};
        FailureOr<OpCode> code =
            selectOp(op, r % rowCycle(op), lanes, member, band, position);
        if (failed(code))
          return failure();
        if (code->words > lmWords)
          return op->emitError()
                 << kPass << ": '" << op->getName() << "' needs " << code->words
                 << " words of local memory on PE(" << r << "," << column
                 << "), the arch has " << lmWords;
        bitstream::PeProgram pe;
        pe.row = r;
        pe.col = column;
        std::vector<Instruction> body;
        body.push_back(
            Instruction::mov(mem(code->inAddr), Operand::in(0), code->inWords));
        if (code->twoStreams)
          body.push_back(Instruction::mov(mem(code->in2Addr), Operand::in(0),
                                          code->inWords));
        if (code->forwardInput)
          body.push_back(Instruction::mov(Operand::out(0), mem(code->inAddr),
                                          code->inWords));
        if (code->forwardRestWords > 0)
          body.push_back(Instruction::mov(Operand::out(0), Operand::in(0),
                                          code->forwardRestWords));
        llvm::append_range(body, code->body);
        if (code->forwardChunkWords > 0)
          body.push_back(Instruction::mov(Operand::out(0), Operand::in(0),
                                          code->forwardChunkWords));
        body.push_back(Instruction::mov(Operand::out(0), mem(code->outAddr),
                                        code->outWords));
        // Streamed weights arrive first, on in1 from the north edge.
        for (const WeightStream &stream : code->weightStreams)
          pe.instructions.push_back(Instruction::mov(
              mem(stream.lmAddr), Operand::in(1), stream.words()));
        if (r == 0 && !code->weightStreams.empty())
          if (failed(streamWeights(phase, column, peRows, code->weightStreams,
                                   op, program)))
            return failure();
        int64_t bodyLength = body.size();
        if (code->preloadWords > 0) {
          // Per group: receive the rhs chunk (forwarding the later members'
          // chunks), then the group's rows.
          int64_t preamble = code->preloadForwardWords > 0 ? 3 : 2;
          pe.instructions.push_back(
              Instruction::loop(ownGroups, bodyLength + preamble));
          pe.instructions.push_back(Instruction::mov(
              mem(code->preloadAddr), Operand::in(0), code->preloadWords));
          if (code->preloadForwardWords > 0)
            pe.instructions.push_back(Instruction::mov(
                Operand::out(0), Operand::in(0), code->preloadForwardWords));
          pe.instructions.push_back(Instruction::loop(groupRows, bodyLength));
        } else if (grouped) {
          // The group's rows as the innermost loop, so that per-row data
          // (a mask) can advance with it.
          pe.instructions.push_back(
              Instruction::loop(ownGroups, bodyLength + 1));
          pe.instructions.push_back(Instruction::loop(groupRows, bodyLength));
        } else if (periodicHead) {
          int64_t perPeriod = rowPeriod(head) / peRows;
          pe.instructions.push_back(
              Instruction::loop(rows / perPeriod, bodyLength + 1));
          pe.instructions.push_back(Instruction::loop(perPeriod, bodyLength));
        } else {
          pe.instructions.push_back(Instruction::loop(rows, bodyLength));
        }
        llvm::append_range(pe.instructions, body);
        pe.instructions.push_back(Instruction::halt());
        phase.pes.push_back(std::move(pe));
        // Into this column: from the west edge or the previous column.
        bitstream::Route route;
        route.src = column == 0 ? bitstream::Endpoint{{r, -1}, 0}
                                : bitstream::Endpoint{{r, column - 1}, 0};
        route.dsts.push_back({{r, column}, 0});
        route.links.push_back({route.src.node, route.dsts.front().node});
        phase.routes.push_back(std::move(route));
      }
    }
    int64_t columns = column;
    // Out of the last column, back west to the edge.
    bitstream::Route back;
    back.src = {{r, columns - 1}, 0};
    back.dsts.push_back({{r, -1}, 0});
    for (int64_t col = columns - 1; col >= 0; --col)
      back.links.push_back({{r, col}, {r, col - 1}});
    phase.routes.push_back(std::move(back));

    // The result is contiguous, its rows in the order of the head's rows.
    // PE row r owns rows r, r + P, ... (also for two-dimensional rows, where
    // P is a multiple of the inner size), or whole groups r, r + P, ....
    bitstream::Dma out;
    out.kind = bitstream::DmaKind::EdgeToGb;
    out.edge = {r, -1};
    if (grouped) {
      int64_t groupWords = groupRows * outWords;
      out.gbAddr = outBase + r * groupWords;
      out.dims = {{ownGroups, 0, peRows * groupWords}, {groupWords, 0, 1}};
    } else {
      int64_t rowElements = outWords / resultWords;
      View contiguous{result, 0, {numRows, rowElements}, {rowElements, 1}};
      RowPattern output =
          rowPattern(contiguous, outBase, resultWords, r, peRows);
      out.gbAddr = output.gbOffset;
      out.dims = output.dims;
    }
    phase.dmas.push_back(std::move(out));
  }
  program.phases.push_back(std::move(phase));
  return success();
}

void BflyPeMappingPass::runOnOperation() {
  ModuleOp module = getOperation();
  FailureOr<arch::Arch> loaded = loadTarget(archFile, module, kPass);
  FailureOr<func::FuncOp> func = ref::findEntryFunction(module, "");
  if (failed(loaded) || failed(func))
    return signalPassFailure();
  target = *loaded;
  gbAddress.clear();
  gbInUse.clear();
  gbPeak = 0;
  constantBase = target.gbBytes / 4;
  lastUse.clear();

  bitstream::Program program;
  program.name = func->getSymName().str();
  program.arch = target;
  program.archFingerprint = target.fingerprint();
  int64_t dram = 0;

  // Inputs: DRAM, loaded into the global buffer by the first phase.
  bitstream::Phase load;
  load.name = "load";
  for (BlockArgument arg : func->getArguments()) {
    auto type = dyn_cast<RankedTensorType>(arg.getType());
    if (!type || !type.hasStaticShape()) {
      func->emitError() << kPass << ": argument " << arg.getArgNumber()
                        << " must be a static tensor";
      return signalPassFailure();
    }
    std::string name = "arg" + std::to_string(arg.getArgNumber());
    int64_t words = type.getNumElements() * wordsPerElement(type);
    program.inputs.push_back(
        {name,
         wordsPerElement(type) == 2 ? ElementKind::Complex64 : ElementKind::F32,
         std::vector<int64_t>(type.getShape()), dram});
    int64_t gb = allocate(arg);
    bitstream::Dma dma;
    dma.kind = bitstream::DmaKind::DramToGb;
    dma.dramAddr = dram;
    dma.gbAddr = gb;
    dma.dims = {{words, 1, 1}};
    load.dmas.push_back(std::move(dma));
    dram += words;
  }
  program.phases.push_back(std::move(load));

  // Phases in plan order.
  std::map<int64_t, SmallVector<Operation *>> chains;
  func->walk([&](Operation *op) {
    if (auto phase = op->getAttrOfType<IntegerAttr>(kPhaseAttr))
      chains[phase.getInt()].push_back(op);
  });
  for (auto &[index, chain] : chains) {
    llvm::sort(chain, [](Operation *a, Operation *b) {
      return cast<IntegerAttr>(a->getAttr(kColumnAttr)).getInt() <
             cast<IntegerAttr>(b->getAttr(kColumnAttr)).getInt();
    });
    // The tensors a phase reads: its head's streams and every op's
    // streamed weights.
    for (Operation *op : chain)
      for (Value operand : op->getOperands()) {
        std::string why;
        if (FailureOr<View> view = viewOf(operand, why); succeeded(view))
          lastUse[view->base] = index;
      }
  }
  // Returned tensors stay until the store phase.
  for (Value value : func->getBody().front().getTerminator()->getOperands()) {
    std::string why;
    if (FailureOr<View> view = viewOf(value, why); succeeded(view))
      lastUse[view->base] = std::numeric_limits<int64_t>::max();
  }
  for (auto &[index, chain] : chains) {
    if (failed(emitPhase(chain, index, program)))
      return signalPassFailure();
    release(index);
  }

  // Outputs: stored from their (possibly strided) views.
  bitstream::Phase store;
  store.name = "store";
  auto ret = cast<func::ReturnOp>(func->getBody().front().getTerminator());
  for (auto [index, value] : llvm::enumerate(ret.getOperands())) {
    std::string why;
    FailureOr<View> view = viewOf(value, why);
    if (failed(view) || !gbAddress.count(view->base)) {
      ret.emitError() << kPass << ": result " << index
                      << " is not computed on the array"
                      << (why.empty() ? "" : ": " + why);
      return signalPassFailure();
    }
    auto type = cast<RankedTensorType>(value.getType());
    int64_t words = wordsPerElement(type);
    program.outputs.push_back(
        {"out" + std::to_string(index),
         words == 2 ? ElementKind::Complex64 : ElementKind::F32,
         std::vector<int64_t>(type.getShape()), dram});
    bitstream::Dma dma;
    dma.kind = bitstream::DmaKind::GbToDram;
    dma.dramAddr = dram;
    dma.gbAddr = gbAddress[view->base] + view->offset * words;
    int64_t dramStride = words;
    std::vector<bitstream::DmaDim> dims;
    for (int64_t dim = type.getRank() - 1; dim >= 0; --dim) {
      dims.insert(dims.begin(),
                  {view->shape[dim], dramStride, view->strides[dim] * words});
      dramStride *= view->shape[dim];
    }
    if (words == 2)
      dims.push_back({2, 1, 1});
    if (dims.empty())
      dims.push_back({1, 1, 1});
    dma.dims = std::move(dims);
    store.dmas.push_back(std::move(dma));
    dram += type.getNumElements() * words;
  }
  program.phases.push_back(std::move(store));
  program.dramWords = dram;
  program.buffers.push_back({"tensors", 0, gbPeak});
  int64_t gbWords = target.gbBytes / 4;
  if (constantBase < gbWords)
    program.buffers.push_back(
        {"constants", constantBase, gbWords - constantBase});

  if (gbPeak > constantBase) {
    func->emitError() << kPass << ": the model's tensors and constants need "
                      << (gbPeak + gbWords - constantBase) * 4
                      << " bytes of global buffer, the arch has "
                      << target.gbBytes;
    return signalPassFailure();
  }
  if (llvm::Error error = bitstream::verify(program, target)) {
    func->emitError() << kPass << ": the mapped program does not fit the "
                      << "array: " << llvm::toString(std::move(error));
    return signalPassFailure();
  }
  Location loc = func->getLoc();
  for (auto op : llvm::make_early_inc_range(module.getOps<func::FuncOp>()))
    op.erase();
  dfa::fromProgram(program, module, loc);
}
