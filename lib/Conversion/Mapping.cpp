//===- Mapping.cpp - bfly-pe-mapping ----------------------------*- C++ -*-===//
//
// Emits the dfa.program of a model planned by bfly-multilayer-tiling: memory
// allocation, per-PE programs (instruction selection for each row op),
// routes and DMA descriptors. The program is built as a bitstream Program,
// checked by its verifier, and converted to dfa ops.
//
//===----------------------------------------------------------------------===//

#include "PhaseCost.h"
#include "RowPlan.h"

#include "butterfly/Bitstream/Program.h"
#include "butterfly/Conversion/Passes.h"
#include "butterfly/CostModel/TileSearch.h"
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
  /// A view of a materialized tensor, or constant words.
  std::optional<View> view;
  std::vector<float> data;
  /// When the PE keeps only rows first, first + step, ... of the weight's
  /// rows of rowWords words (a per-row rhs on PE row `first` of `step`):
  /// the stream is multicast whole, the rest received into a scratch row.
  int64_t keepFirst = 0, keepStep = 1, rowWords = 0, scratchAddr = 0;
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
  /// The body receives and sends the row itself (in pieces).
  bool streamsItself = false;
  /// The body's gemm reads the input row from in0 (no receive into local
  /// memory).
  bool gemmReadsStream = false;
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

/// Which bank a buffer of a row op asks for. The row (and what is computed
/// in place of it) goes to the first bank; the operands read beside it
/// (weights, constants, a group's rhs, a second stream, temporaries read
/// with the row) to the second, so that an instruction's streamed sources
/// sit in different banks and it runs at bank factor 1
/// (docs/architecture.md §4).
enum class Bank { Row = 0, Operand = 1 };

/// A PE's local memory as handed out to one row op's buffers (flit-aligned).
/// Banked: each buffer goes to the bank it asks for, filled from the bank's
/// start, or to another bank with room. Packed: one after another from
/// word 0, the layout used when the banks cannot hold the buffers whole.
class LocalLayout {
public:
  LocalLayout(const arch::Arch &arch, bool banked)
      : lanes(arch.lanes), capacity(arch.localMemBytes / 4) {
    int64_t banks = banked ? arch.localMemBanks : 1;
    bankWords = banked ? arch.localMemBankWords() : capacity;
    for (int64_t bank = 0; bank < banks; ++bank)
      cursors.push_back(roundUp(bank * bankWords));
  }

  int64_t alloc(int64_t words, Bank bank) {
    int64_t size = roundUp(words);
    int64_t banks = static_cast<int64_t>(cursors.size());
    if (banks == 1) {
      int64_t addr = cursors.front();
      cursors.front() += size;
      return addr;
    }
    for (int64_t k = 0; k < banks; ++k) {
      int64_t index = (static_cast<int64_t>(bank) + k) % banks;
      int64_t &cursor = cursors[index];
      if (cursor + size <= std::min(capacity, (index + 1) * bankWords)) {
        int64_t addr = cursor;
        cursor += size;
        return addr;
      }
    }
    overflow = true;
    return 0;
  }

  /// Whether `words` more would still fit.
  bool fits(int64_t words) const {
    if (cursors.size() == 1)
      return cursors.front() + roundUp(words) <= capacity;
    for (auto [index, cursor] : llvm::enumerate(cursors))
      if (cursor + roundUp(words) <=
          std::min(capacity, static_cast<int64_t>(index + 1) * bankWords))
        return true;
    return false;
  }

  /// The words the layout needs: past the capacity when it does not fit.
  int64_t used() const {
    if (overflow)
      return capacity + 1;
    return *llvm::max_element(cursors);
  }

private:
  int64_t roundUp(int64_t words) const {
    return (words + lanes - 1) / lanes * lanes;
  }

  int64_t lanes, capacity, bankWords;
  std::vector<int64_t> cursors;
  bool overflow = false;
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

/// Whether `op` computes each element of its row from the same element of
/// its input alone (and a per-column constant), so that it can take a long
/// row in pieces.
bool isElementwise(Operation *op) {
  if (isa<bfly::ScaleOp, bfly::ReluOp, bfly::GeluOp, bfly::ToComplexOp,
          bfly::RealOp>(op))
    return true;
  return isa<bfly::AddOp, bfly::MulOp>(op) && !readsTwoStreams(op) &&
         rowPeriod(op) == 0;
}

/// Instruction selection for one piece of `pieces` of each row (an
/// elementwise op whose row does not fit local memory at once), in the
/// local-memory layout `layout`.
FailureOr<OpCode> selectOpIn(LocalLayout layout, Operation *op, int64_t stack,
                             const arch::Arch &arch, int64_t member, Band band,
                             RowPosition position, int64_t pieces,
                             bool fedByEdge) {
  OpCode code;
  int64_t lanes = arch.lanes;
  int64_t width = band.width;
  // With tiles of output columns, each pass computes one tile of the row.
  int64_t inputWords = rowWords(op->getOperand(0)) / pieces;
  int64_t outputWords = rowWords(op->getResult(0)) / band.tiles / pieces;
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
  // A matmul or linear that heads its phase and need not pass its input row
  // on takes the row straight from the edge stream as gemm's `a`: no
  // receive, and the accumulator and the weight in two banks run the gemm
  // at bank factor 1. (Fed by a PE instead, the gemm's slow reading would
  // hold that PE's send and serialise the two.)
  code.gemmReadsStream = fedByEdge && isa<bfly::MatmulOp, bfly::LinearOp>(op) &&
                         !code.forwardInput && code.forwardRestWords == 0 &&
                         code.inWords % lanes == 0;
  auto alloc = [&](int64_t words, Bank bank = Bank::Row) {
    return layout.alloc(words, bank);
  };
  if (!code.gemmReadsStream)
    code.inAddr = alloc(code.inWords);
  if (code.twoStreams)
    code.in2Addr = alloc(code.inWords, Bank::Operand);
  // Butterfly stages run in place (the block is read at issue), layernorm
  // too (elementwise steps).
  code.outAddr = isa<bfly::ButterflyStageOp, bfly::LayerNormOp>(op)
                     ? code.inAddr
                     : alloc(code.outWords);
  int64_t in = code.inAddr, out = code.outAddr, n = code.inWords;
  Operand input = code.gemmReadsStream ? Operand::in(0) : mem(in);
  // Constants are placed in the global buffer with the program and streamed
  // in like other weights: configuring them into every PE's local memory
  // would repeat them once per PE row.
  // A periodic head's PE row keeps only its own rows of its rhs (one in
  // `share` of them); the rest pass through a scratch row.
  bool keepOwnRows = rowPeriod(op) > 0 && position.step > 1;
  int64_t share = keepOwnRows ? position.step : 1;
  auto constant = [&](std::vector<float> data) {
    int64_t addr =
        alloc(static_cast<int64_t>(data.size()) / share, Bank::Operand);
    code.weightStreams.push_back({addr, std::nullopt, std::move(data)});
    return addr;
  };
  // A weight operand: elements [begin, begin + count) of its last dimension
  // and, when `rowCount` is set, rows [rowBegin, rowBegin + rowCount) of the
  // matrix. Constant words placed in the global buffer with the program, or
  // a view of a tensor; either is streamed in from the column's north edge.
  std::string why;
  auto weight = [&](Value value, int64_t begin, int64_t count,
                    int64_t rowBegin = 0,
                    int64_t rowCount = 0) -> FailureOr<int64_t> {
    auto type = cast<RankedTensorType>(value.getType());
    int64_t last = type.getShape().back(), elementWords = wordsPerElement(type);
    if (matchPattern(value, m_Constant())) {
      std::vector<float> all = constantWords(value), part;
      int64_t rowWords = last * elementWords;
      int64_t rows = static_cast<int64_t>(all.size()) / rowWords;
      int64_t firstRow = rowCount ? rowBegin : 0;
      int64_t endRow = rowCount ? rowBegin + rowCount : rows;
      for (int64_t row = firstRow; row < endRow; ++row) {
        int64_t from = row * rowWords + begin * elementWords;
        part.insert(part.end(), all.begin() + from,
                    all.begin() + from + count * elementWords);
      }
      return constant(std::move(part));
    }
    FailureOr<View> view = viewOf(value, why);
    if (failed(view))
      return op->emitError() << kPass << ": cannot stream a weight of '"
                             << op->getName() << "': " << why;
    int64_t dim = view->rank() - 1;
    view->offset += begin * view->strides[dim];
    view->shape[dim] = count;
    if (rowCount) {
      view->offset += rowBegin * view->strides[dim - 1];
      view->shape[dim - 1] = rowCount;
    }
    WeightStream stream{0, *view, {}};
    int64_t addr = stream.lmAddr = alloc(stream.words() / share, Bank::Operand);
    code.weightStreams.push_back(std::move(stream));
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
  // acc[0, cols) = a[0, depth) · rhs[depth x cols]. A gemm streams a, the
  // rhs and the accumulator from local memory every beat, so two of them
  // share a bank (bank factor 2); a vfma per element of a broadcasts that
  // element, which is no bank stream, so the accumulator and the rhs in two
  // banks run at bank factor 1 at the price of one latency per element.
  // Whichever is faster (a gemm reading a from the stream has f = 1).
  auto matmulRow = [&](int64_t acc, Operand a, int64_t rhs, int64_t cols,
                       int64_t depth) {
    Instruction gemm =
        Instruction::gemm(mem(acc), a, mem(rhs), 1, cols, depth, /*init=*/true);
    if (a.isPort() || depth < 2) {
      emit(gemm);
      return;
    }
    Instruction first = Instruction::binary(
        Opcode::VMul, mem(acc), Operand::mem(a.base, 0), mem(rhs), cols);
    Instruction rest = Instruction::binary(
        Opcode::VFma, mem(acc), Operand::mem(a.base + 1, 0, 1),
        Operand::mem(rhs + cols, 1, cols), cols);
    double perElement = phasecost::instructionCycles(rest, arch);
    if (phasecost::instructionCycles(gemm, arch) <=
        phasecost::instructionCycles(first, arch) + 1 +
            double(depth - 1) * perElement) {
      emit(gemm);
      return;
    }
    emit(first);
    emit(Instruction::loop(depth - 1, 1));
    emit(rest);
  };

  if (auto scale = dyn_cast<bfly::ScaleOp>(op)) {
    binary(Opcode::VMul, mem(out), mem(in),
           imm(scale.getFactor().convertToDouble()), n);
  } else if (isa<bfly::ReluOp>(op)) {
    binary(Opcode::VMax, mem(out), mem(in), imm(0), n);
  } else if (auto gelu = dyn_cast<bfly::GeluOp>(op)) {
    int64_t t = alloc(n, Bank::Operand);
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
      if (keepOwnRows) {
        WeightStream &stream = code.weightStreams.back();
        stream.keepFirst = position.first;
        stream.keepStep = position.step;
        stream.rowWords = n;
        stream.scratchAddr = alloc(n);
        position = {0, 1};
      }
      // A per-row rhs advances with the rows loop.
      // A per-column rhs advances with the pieces loop.
      bool perRow = rowPeriod(op) > 0;
      int64_t step = perRow ? position.step * n : (scalar ? 0 : n);
      auto constantAt = [&](int64_t part, int64_t stride) {
        return Operand::mem(*c + (perRow ? position.first * n : 0) + part,
                            scalar ? 0 : stride,
                            pieces > 1 || perRow ? step : 0);
      };
      if (opcode == Opcode::VMul && wordsPerElement(rhs.getType()) == 2) {
        // (a + bi)(c + di) = (ac - bd) + (ad + bc)i on the interleaved
        // words, the products in two temporaries.
        int64_t half = n / 2, t1 = alloc(half), t2 = alloc(half, Bank::Operand);
        binary(Opcode::VMul, mem(t1), mem(in, 2), constantAt(0, 2), half);
        binary(Opcode::VMul, mem(t2), mem(in + 1, 2), constantAt(1, 2), half);
        binary(Opcode::VSub, mem(out, 2), mem(t1), mem(t2), half);
        binary(Opcode::VMul, mem(t1), mem(in, 2), constantAt(1, 2), half);
        binary(Opcode::VMul, mem(t2), mem(in + 1, 2), constantAt(0, 2), half);
        binary(Opcode::VAdd, mem(out + 1, 2), mem(t1), mem(t2), half);
      } else {
        binary(opcode, mem(out), mem(in), constantAt(0, 1), n);
      }
    }
  } else if (isa<bfly::SoftmaxOp>(op) && pieces > 1) {
    // The row arrives twice, in pieces. First pass: the running maximum m
    // and the sum s of exp(x - m), rescaled whenever m grows (online
    // softmax); second pass: exp(x - m) / s.
    code.streamsItself = true;
    int64_t t = alloc(4), maxRun = t, sumRun = t + 1, pieceMax = t + 2,
            scratch = t + 3;
    emit(Instruction::mov(mem(maxRun), imm(-3.0e38), 1));
    emit(Instruction::mov(mem(sumRun), imm(0), 1));
    std::vector<Instruction> first = {
        Instruction::mov(mem(in), Operand::in(0), n),
        Instruction::reduce(Opcode::ReduceMax, mem(pieceMax), mem(in), n),
        Instruction::binary(Opcode::VMax, mem(pieceMax), mem(pieceMax),
                            mem(maxRun), 1),
        Instruction::binary(Opcode::VSub, mem(scratch), mem(maxRun),
                            mem(pieceMax), 1),
        Instruction::unary(Opcode::VExp, mem(scratch), mem(scratch), 1),
        Instruction::binary(Opcode::VMul, mem(sumRun), mem(sumRun),
                            mem(scratch), 1),
        Instruction::binary(Opcode::VSub, mem(in), mem(in), mem(pieceMax, 0),
                            n),
        Instruction::unary(Opcode::VExp, mem(in), mem(in), n),
        Instruction::reduce(Opcode::ReduceSum, mem(scratch), mem(in), n),
        Instruction::binary(Opcode::VAdd, mem(sumRun), mem(sumRun),
                            mem(scratch), 1),
        Instruction::mov(mem(maxRun), mem(pieceMax), 1)};
    std::vector<Instruction> second = {
        Instruction::mov(mem(in), Operand::in(0), n),
        Instruction::binary(Opcode::VSub, mem(in), mem(in), mem(maxRun, 0), n),
        Instruction::unary(Opcode::VExp, mem(in), mem(in), n),
        Instruction::binary(Opcode::VMul, mem(in), mem(in), mem(sumRun, 0), n),
        Instruction::mov(Operand::out(0), mem(in), n)};
    emit(Instruction::loop(pieces, static_cast<int64_t>(first.size())));
    llvm::append_range(code.body, first);
    unary(Opcode::VRcp, mem(sumRun), mem(sumRun), 1);
    emit(Instruction::loop(pieces, static_cast<int64_t>(second.size())));
    llvm::append_range(code.body, second);
  } else if (isa<bfly::SoftmaxOp>(op)) {
    int64_t t = alloc(1);
    emit(Instruction::reduce(Opcode::ReduceMax, mem(t), mem(in), n));
    binary(Opcode::VSub, mem(out), mem(in), mem(t, 0), n);
    unary(Opcode::VExp, mem(out), mem(out), n);
    emit(Instruction::reduce(Opcode::ReduceSum, mem(t), mem(out), n));
    unary(Opcode::VRcp, mem(t), mem(t), 1);
    binary(Opcode::VMul, mem(out), mem(out), mem(t, 0), n);
  } else if (auto norm = dyn_cast<bfly::LayerNormOp>(op)) {
    // In place. The variance is the sum of the squares in a temporary row
    // where it fits, else a dot product (gemm n=1: one beat per element
    // instead of one per flit, but no temporary, so that rows of 1024
    // words, γ and β fit in 4096).
    int64_t t = alloc(1, Bank::Operand);
    FailureOr<int64_t> gammaAddr = wholeWeight(norm.getGamma());
    FailureOr<int64_t> betaAddr = wholeWeight(norm.getBeta());
    if (failed(gammaAddr) || failed(betaAddr))
      return failure();
    int64_t gamma = *gammaAddr, beta = *betaAddr;
    emit(Instruction::reduce(Opcode::ReduceSum, mem(t), mem(in), n));
    binary(Opcode::VMul, mem(t), mem(t), imm(1.0 / n), 1);
    binary(Opcode::VSub, mem(out), mem(in), mem(t, 0), n);
    if (layout.fits(n)) {
      int64_t squares = alloc(n);
      binary(Opcode::VMul, mem(squares), mem(out), mem(out), n);
      emit(Instruction::reduce(Opcode::ReduceSum, mem(t), mem(squares), n));
    } else {
      emit(Instruction::gemm(mem(t), mem(out), mem(out), 1, 1, n,
                             /*init=*/true));
    }
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
      rhs = code.preloadAddr = alloc(code.preloadWords, Bank::Operand);
    } else {
      FailureOr<int64_t> addr =
          weight(op->getOperand(1), 0, outputWords, member * inChunk, inChunk);
      if (failed(addr))
        return failure();
      rhs = *addr;
    }
    matmulRow(out, input, rhs, outputWords, inChunk);
    if (member > 0) {
      int64_t partial = alloc(outputWords, Bank::Operand);
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
      rhs = code.preloadAddr = alloc(code.preloadWords, Bank::Operand);
    } else {
      FailureOr<int64_t> addr =
          weight(op->getOperand(1), member * chunk, chunk);
      if (failed(addr))
        return failure();
      rhs = *addr;
    }
    matmulRow(out, input, rhs, chunk, n);
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
      code.words = layout.used();
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
  code.words = layout.used();
  return code;
}

/// Instruction selection with the operands of each instruction in separate
/// local-memory banks where they fit that way, else packed.
/// `fedByEdge`: the op's input row comes from the west edge's DMA.
FailureOr<OpCode> selectOp(Operation *op, int64_t stack, const arch::Arch &arch,
                           int64_t member, Band band, bool fedByEdge,
                           RowPosition position = {}, int64_t pieces = 1) {
  FailureOr<OpCode> code =
      selectOpIn(LocalLayout(arch, /*banked=*/true), op, stack, arch, member,
                 band, position, pieces, fedByEdge);
  if (failed(code) || code->words <= arch.localMemBytes / 4)
    return code;
  return selectOpIn(LocalLayout(arch, /*banked=*/false), op, stack, arch,
                    member, band, position, pieces, fedByEdge);
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

/// Where a materialized tensor lives: in the global buffer or, when it does
/// not fit there, in DRAM, whence its streams pass through staging slots of
/// the global buffer.
struct Home {
  bool dram = false;
  int64_t addr = 0; ///< word address
};

/// The words one edge stream moves: `dims` walk the tensor at `home` from
/// its word `offset` (strides in words).
struct StreamRequest {
  bitstream::Node edge;
  bool toEdge = true;
  Home home;
  int64_t offset = 0;
  std::vector<bitstream::DmaDim> dims;
};

/// One piece of a DMA pattern: the offset of its first element and its
/// dimensions.
struct Piece {
  int64_t offset = 0;
  std::vector<bitstream::DmaDim> dims;
};

/// A piece's pattern as a transfer between DRAM (the piece's own strides)
/// and a staging slot (contiguous); `elements` is set to its size.
static std::vector<bitstream::DmaDim> slotSide(const Piece &piece,
                                               int64_t &elements) {
  std::vector<bitstream::DmaDim> dims = piece.dims;
  elements = 1;
  for (auto it = dims.rbegin(); it != dims.rend(); ++it) {
    it->dramStride = it->gbStride;
    it->gbStride = elements;
    elements *= it->size;
  }
  return dims;
}

/// Splits the pattern `dims` (outermost first) into consecutive pieces of at
/// most `limit` elements, each a whole number of `lanes` elements (a flit
/// never spans two pieces) and itself a pattern: the innermost dimensions
/// whole, a run of the next one, the outer ones fixed.
FailureOr<std::vector<Piece>> splitPattern(ArrayRef<bitstream::DmaDim> dims,
                                           int64_t limit, int64_t lanes) {
  int64_t split = static_cast<int64_t>(dims.size()) - 1, inner = 1;
  while (split >= 0 && inner * dims[split].size <= limit)
    inner *= dims[split--].size;
  if (split < 0)
    return std::vector<Piece>{{0, std::vector<bitstream::DmaDim>(dims)}};
  int64_t size = dims[split].size, run = limit / inner;
  while (run > 0 &&
         ((run * inner) % lanes != 0 || (size % run) * inner % lanes != 0))
    --run;
  if (run == 0)
    return failure();
  std::vector<Piece> pieces;
  int64_t outer = 1;
  for (int64_t dim = 0; dim < split; ++dim)
    outer *= dims[dim].size;
  for (int64_t index = 0; index < outer; ++index) {
    int64_t offset = 0;
    for (int64_t dim = split - 1, rest = index; dim >= 0; --dim) {
      offset += (rest % dims[dim].size) * dims[dim].gbStride;
      rest /= dims[dim].size;
    }
    for (int64_t start = 0; start < size; start += run) {
      Piece piece{offset + start * dims[split].gbStride, {}};
      piece.dims.push_back(
          {std::min(run, size - start), 0, dims[split].gbStride});
      piece.dims.insert(piece.dims.end(), dims.begin() + split + 1, dims.end());
      pieces.push_back(std::move(piece));
    }
  }
  return pieces;
}

struct BflyPeMappingPass
    : public butterfly::impl::BflyPeMappingBase<BflyPeMappingPass> {
  using BflyPeMappingBase::BflyPeMappingBase;
  void runOnOperation() override;

private:
  /// Maps the function; `overflow` is set, without a diagnostic, when the
  /// tensors placed in the global buffer exceed it.
  LogicalResult emitProgram(func::FuncOp func, bitstream::Program &program,
                            bool &overflow);
  LogicalResult emitPhase(ArrayRef<Operation *> chain, int64_t index,
                          bitstream::Program &program);
  LogicalResult emitAttentionPhase(bfly::AttentionOp op, int64_t index,
                                   bitstream::Program &program);
  LogicalResult emitBlockPhase(Operation *op, int64_t index,
                               bitstream::Program &program);
  LogicalResult streamWeights(bitstream::Phase &phase, int64_t column,
                              int64_t peRows, ArrayRef<WeightStream> weights,
                              Operation *op, bitstream::Program &program);
  LogicalResult emitStreams(bitstream::Phase &phase, Operation *op);

  /// A PE's program must fit its instruction memory (a loop body counts
  /// once): the diagnostic names the op and the PE.
  LogicalResult checkInstructions(Operation *op,
                                  const bitstream::PeProgram &pe) const {
    int64_t count = static_cast<int64_t>(pe.instructions.size());
    if (count <= target.imemSlots)
      return success();
    return op->emitError() << kPass << ": '" << op->getName() << "' needs "
                           << count << " instructions on PE(" << pe.row << ","
                           << pe.col << "), the arch has " << target.imemSlots
                           << " instruction slots";
  }

  arch::Arch target;
  DenseMap<Value, Home> homes;
  /// Global-buffer words in use by tensors, as [begin, end) regions, and
  /// the peak.
  std::map<int64_t, int64_t> gbInUse;
  int64_t gbPeak = 0;
  /// Tensors live in the global buffer below this address (the staging
  /// slots and the constants lie above), others in DRAM.
  int64_t tensorLimit = 0;
  /// The staging slots of DRAM streams: [stagingBase, + stagingWords).
  int64_t stagingBase = 0, stagingWords = 0;
  /// Tensors kept in DRAM although they might fit (both operands of a
  /// two-stream op must be in one memory to be read by one DMA).
  DenseSet<Value> keepInDram;
  int64_t dramWords = 0;
  /// The last phase that reads each materialized value (outputs: never
  /// freed).
  DenseMap<Value, int64_t> lastUse;
  /// The current phase's edge streams, in DMA order.
  std::vector<StreamRequest> streams;
  /// Only place the tensors: no DMAs are emitted.
  bool placementOnly = false;
  /// Inputs stay in DRAM (when tensors do not all fit the global buffer:
  /// loaded up front, the many small weights of a deep model would hold
  /// the global buffer until their layer runs).
  bool inputsInDram = false;

  /// Places a materialized value: first fit in the global buffer, else in
  /// DRAM (at `dramAddr` when it already has a place there, an input).
  Home allocate(Value value, std::optional<int64_t> dramAddr = std::nullopt) {
    auto type = cast<RankedTensorType>(value.getType());
    int64_t words = type.getNumElements() * wordsPerElement(type);
    Home home;
    if (std::optional<int64_t> gb =
            keepInDram.contains(value) ? std::nullopt : allocateWords(words)) {
      home.addr = *gb;
    } else {
      home.dram = true;
      home.addr = dramAddr ? *dramAddr : dramWords;
      if (!dramAddr)
        dramWords += words;
    }
    homes[value] = home;
    return home;
  }

  /// Constants live at the top of the global buffer, from `constantBase`
  /// up, apart from the tensors whose space is reused: they are written
  /// once, when the program is loaded. Those that would reach below
  /// `constantFloor` are placed in DRAM instead.
  int64_t constantBase = 0, constantFloor = 0;
  Home placeConstant(std::vector<float> data, bitstream::Program &program) {
    int64_t lanes = target.lanes;
    int64_t size =
        (static_cast<int64_t>(data.size()) + lanes - 1) / lanes * lanes;
    Home home;
    if (constantBase - size < constantFloor) {
      home = {true, dramWords};
      dramWords += size;
    } else {
      constantBase -= size;
      home = {false, constantBase};
    }
    program.constants.push_back(
        {"c" + std::to_string(program.constants.size()),
         home.dram ? bitstream::MemSpace::Dram : bitstream::MemSpace::Gb,
         home.addr, std::move(data)});
    return home;
  }

  /// First-fit placement of `words` below `tensorLimit`.
  std::optional<int64_t> allocateWords(int64_t words) {
    int64_t lanes = target.lanes;
    int64_t size = (words + lanes - 1) / lanes * lanes;
    int64_t addr = 0;
    for (auto [begin, end] : gbInUse) {
      if (begin - addr >= size)
        break;
      addr = std::max(addr, end);
    }
    if (addr + size > tensorLimit)
      return std::nullopt;
    gbInUse[addr] = addr + size;
    gbPeak = std::max(gbPeak, addr + size);
    return addr;
  }

  /// Frees the global-buffer space of the values whose last reader is phase
  /// `phase`.
  void release(int64_t phase) {
    for (auto [value, last] : lastUse) {
      auto placed = homes.find(value);
      if (last == phase && placed != homes.end() && !placed->second.dram)
        gbInUse.erase(placed->second.addr);
    }
  }
};

} // namespace

/// DMA dimensions walking the whole of `view` (all its dimensions,
/// row-major), strides in words.
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

LogicalResult BflyPeMappingPass::emitStreams(bitstream::Phase &phase,
                                             Operation *op) {
  if (placementOnly) {
    streams.clear();
    return success();
  }
  // Each edge stream that touches DRAM gets two slots of the staging
  // region: the DMA filling (or draining) one overlaps the edge streaming
  // the other.
  using StreamKey = std::tuple<int64_t, int64_t, bool>;
  std::map<StreamKey, int64_t> slotPair;
  for (const StreamRequest &request : streams)
    if (request.home.dram)
      slotPair.try_emplace({request.edge.row, request.edge.col, request.toEdge},
                           slotPair.size());
  int64_t lanes = target.lanes;
  int64_t slotWords = slotPair.empty()
                          ? 0
                          : stagingWords /
                                (2 * static_cast<int64_t>(slotPair.size())) /
                                lanes * lanes;
  // Per edge stream: the pieces staged so far and, per slot, the DMA after
  // which it is free again.
  std::map<StreamKey, std::pair<int64_t, std::array<int64_t, 2>>> staged;
  for (StreamRequest &request : streams) {
    if (!request.home.dram) {
      phase.dmas.push_back(
          bitstream::Dma::make(request.toEdge ? bitstream::DmaKind::GbToEdge
                                              : bitstream::DmaKind::EdgeToGb,
                               0, request.home.addr + request.offset,
                               request.edge, std::move(request.dims)));
      continue;
    }
    FailureOr<std::vector<Piece>> pieces =
        splitPattern(request.dims, slotWords, lanes);
    if (failed(pieces))
      return op->emitError()
             << kPass << ": a stream of '" << op->getName()
             << "' in DRAM cannot be staged through slots of " << slotWords
             << " words of the global buffer in whole flits";
    StreamKey key{request.edge.row, request.edge.col, request.toEdge};
    auto &[count, freedBy] =
        staged.try_emplace(key, 0, std::array<int64_t, 2>{-1, -1})
            .first->second;
    int64_t pair = slotPair[key];
    for (Piece &piece : *pieces) {
      int64_t slot = count++ % 2;
      int64_t slotAddr = stagingBase + (2 * pair + slot) * slotWords;
      int64_t elements = 0;
      std::vector<bitstream::DmaDim> dramDims = slotSide(piece, elements);
      int64_t dramAddr = request.home.addr + request.offset + piece.offset;
      std::vector<int64_t> slotFree;
      if (freedBy[slot] >= 0)
        slotFree.push_back(freedBy[slot]);
      std::vector<bitstream::DmaDim> edgeDims = {{elements, 0, 1}};
      if (request.toEdge) {
        phase.dmas.push_back(bitstream::Dma::make(
            bitstream::DmaKind::DramToGb, dramAddr, slotAddr, {},
            std::move(dramDims), std::move(slotFree)));
        int64_t filled = static_cast<int64_t>(phase.dmas.size()) - 1;
        phase.dmas.push_back(
            bitstream::Dma::make(bitstream::DmaKind::GbToEdge, 0, slotAddr,
                                 request.edge, std::move(edgeDims), {filled}));
      } else {
        phase.dmas.push_back(bitstream::Dma::make(
            bitstream::DmaKind::EdgeToGb, 0, slotAddr, request.edge,
            std::move(edgeDims), std::move(slotFree)));
        int64_t drained = static_cast<int64_t>(phase.dmas.size()) - 1;
        phase.dmas.push_back(
            bitstream::Dma::make(bitstream::DmaKind::GbToDram, dramAddr,
                                 slotAddr, {}, std::move(dramDims), {drained}));
      }
      freedBy[slot] = static_cast<int64_t>(phase.dmas.size()) - 1;
    }
  }
  streams.clear();
  return success();
}

/// The weights of a column: one multicast from its north edge down to the
/// in1 of every PE row in use.
static bitstream::Route northRoute(int64_t column, int64_t peRows) {
  bitstream::Route route;
  route.src = {{-1, column}, 0};
  for (int64_t r = 0; r < peRows; ++r) {
    route.dsts.push_back({{r, column}, 1});
    route.links.push_back({{r - 1, column}, {r, column}});
  }
  return route;
}

LogicalResult BflyPeMappingPass::streamWeights(bitstream::Phase &phase,
                                               int64_t column, int64_t peRows,
                                               ArrayRef<WeightStream> weights,
                                               Operation *op,
                                               bitstream::Program &program) {
  phase.routes.push_back(northRoute(column, peRows));
  for (const WeightStream &weight : weights) {
    StreamRequest request;
    request.edge = {-1, column};
    if (!weight.view) {
      request.home = placeConstant(weight.data, program);
      request.dims = {{weight.words(), 0, 1}};
    } else {
      const View &view = *weight.view;
      auto home = homes.find(view.base);
      if (home == homes.end())
        return op->emitError() << kPass << ": a weight of '" << op->getName()
                               << "' is not in memory";
      int64_t words = wordsPerElement(view.base.getType());
      request.home = home->second;
      request.offset = view.offset * words;
      request.dims = blockDims(view, words);
    }
    streams.push_back(std::move(request));
  }
  return success();
}

/// The stream into PE(r, column)'s in0: from the west edge or the previous
/// column.
static bitstream::Route eastRoute(int64_t r, int64_t column) {
  bitstream::Route route;
  route.src = column == 0 ? bitstream::Endpoint{{r, -1}, 0}
                          : bitstream::Endpoint{{r, column - 1}, 0};
  route.dsts.push_back({{r, column}, 0});
  route.links.push_back({route.src.node, route.dsts.front().node});
  return route;
}

/// The stream out of the last of `columns` columns of PE row r, back west
/// to the edge. It passes no PE on the way, so with express links it takes
/// the longest that fit (2^k columns, k up to the arch's maximum): fewer
/// hops, less latency and link energy.
static bitstream::Route westRoute(int64_t r, int64_t columns,
                                  const arch::Arch &target) {
  bitstream::Route back;
  back.src = {{r, columns - 1}, 0};
  back.dsts.push_back({{r, -1}, 0});
  for (int64_t col = columns - 1; col >= 0;) {
    int64_t step = 1;
    if (target.nocExpress)
      while (step * 2 <= col &&
             step * 2 <= (int64_t(1) << target.expressMaxLog2))
        step *= 2;
    back.links.push_back({{r, col}, {r, col - step}});
    col -= step;
  }
  return back;
}

/// `body` repeated `count` times by a hardware loop (a loop even when once:
/// the increments of its operands step per iteration of the innermost one).
static std::vector<Instruction> repeat(int64_t count,
                                       std::vector<Instruction> body) {
  body.insert(body.begin(),
              Instruction::loop(count, static_cast<int64_t>(body.size())));
  return body;
}

LogicalResult BflyPeMappingPass::emitPhase(ArrayRef<Operation *> chain,
                                           int64_t index,
                                           bitstream::Program &program) {
  Operation *head = chain.front();
  if (auto attention = dyn_cast<bfly::AttentionOp>(head))
    return emitAttentionPhase(attention, index, program);
  int64_t peRows = cast<IntegerAttr>(head->getAttr(kPeRowsAttr)).getInt();
  std::string why;
  auto streamedView = [&](Value value) -> FailureOr<View> {
    FailureOr<View> view = viewOf(value, why);
    if (failed(view) || !homes.count(view->base))
      return head->emitError()
             << kPass << ": cannot stream " << value.getType() << ": "
             << (why.empty() ? "it is not in memory" : why);
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

  // A grouped op computed in tiles of output columns is alone in its phase:
  // its group's rows stream once per tile, its result leaves tile by tile.
  // Other tiled ops keep blocks of rows.
  Band headBand = bandOf(head);
  int64_t tiles = headBand.tiles;
  if (tiles > 1 && !grouped)
    return emitBlockPhase(head, index, program);
  Value result = chain.back()->getResult(0);
  allocate(result);
  int64_t outWords = rowWords(result), tileWords = outWords / tiles;
  int64_t resultWords = wordsPerElement(result.getType());
  auto [groups, groupRows] =
      grouped ? groupShape(head) : std::pair<int64_t, int64_t>{0, 0};
  int64_t numRows = 1;
  if (!grouped)
    for (auto [size, stride] : rowDims(*view))
      numRows *= size;
  auto request = [&](int64_t r, bool toEdge, Value base, int64_t offset,
                     std::vector<bitstream::DmaDim> dims) {
    streams.push_back({{r, -1}, toEdge, homes[base], offset, std::move(dims)});
  };

  // With fewer groups than PE rows, each group's rows are cut into
  // `slices` slices (the tiling makes P = groups x slices): PE row r takes
  // slice r % slices of groups r / slices, r / slices + P / slices, ...,
  // each preceded by the whole group's rhs.
  int64_t slices = grouped && peRows > groups ? peRows / groups : 1;
  int64_t sliceRows = groupRows / slices, groupStep = peRows / slices;
  for (int64_t r = 0; r < peRows; ++r) {
    // The input stream of PE row r, and how many rows it carries.
    int64_t rows = 0, ownGroups = 0, slice = r % slices;
    if (grouped) {
      // Per own group and tile: the group's rhs block, then the slice's lhs
      // rows.
      ownGroups = (groups - r / slices + groupStep - 1) / groupStep;
      rows = ownGroups * sliceRows;
      for (int64_t g = r / slices; g < groups; g += groupStep) {
        for (int64_t tile = 0; tile < tiles; ++tile) {
          for (const View *operand : {&*rhsView, &*view}) {
            View block = selectGroup(*operand, g);
            int64_t batchRank = block.rank() - 2;
            if (operand == &*view) {
              block.offset += slice * sliceRows * block.strides[batchRank];
              block.shape[batchRank] = sliceRows;
            }
            int64_t width = headBand.width;
            if (operand == &*rhsView) {
              // The tile's columns of the rhs.
              int64_t n = block.shape.back() / tiles;
              int64_t nStride = block.strides.back();
              block.offset += tile * n * nStride;
              block.shape.back() = n;
              if (width > 1 && !headBand.contraction) {
                // Chunk by chunk of output columns, one chunk per band
                // member: [width][K][N / width].
                int64_t k = block.shape[block.rank() - 2];
                int64_t kStride = block.strides[block.rank() - 2];
                request(r, true, block.base, block.offset * elementWords,
                        {{width, 0, n / width * nStride * elementWords},
                         {k, 0, kStride * elementWords},
                         {n / width, 0, nStride * elementWords}});
                continue;
              }
            }
            request(r, true, block.base, block.offset * elementWords,
                    blockDims(block, elementWords));
          }
        }
      }
    } else {
      RowPattern input = rowPattern(*view, 0, elementWords, r, peRows);
      rows = input.count;
      if (readsTwoStreams(head)) {
        Home lhs = homes[view->base], rhs = homes[rhsView->base];
        if (rhsView->strides != view->strides || rhsView->shape != view->shape)
          return head->emitError() << kPass << ": its operands are laid out "
                                   << "differently and cannot be interleaved";
        if (lhs.dram != rhs.dram) {
          // One DMA reads both: retry with both in DRAM.
          keepInDram.insert(lhs.dram ? rhsView->base : view->base);
          return failure();
        }
        int64_t delta = (rhs.addr + rhsView->offset * elementWords) -
                        (lhs.addr + view->offset * elementWords);
        // Row j of the lhs, then row j of the rhs.
        input.dims.insert(input.dims.begin() + input.rowSelectDims,
                          {2, 0, delta});
      }
      if (streamsRowTwice(head, target))
        input.dims.insert(input.dims.begin() + input.rowSelectDims, {2, 0, 0});
      request(r, true, view->base, input.gbOffset, std::move(input.dims));
    }

    int64_t column = 0;
    for (Operation *op : chain) {
      Band band = bandOf(op);
      for (int64_t member = 0; member < band.width; ++member, ++column) {
        // A head with a per-row rhs owns rows r, r + P, ... (P dividing
        // the period): it walks the period in steps of P from r.
        // After a grouped head, the rows loop walks one slice of a group.
        bool periodicHead = !grouped && rowPeriod(head) > 0;
        RowPosition position = periodicHead ? RowPosition{r, peRows}
                                            : RowPosition{slice * sliceRows};
        FailureOr<OpCode> code =
            selectOp(op, r % rowCycle(op), target, member, band,
                     /*fedByEdge=*/column == 0, position);
        if (failed(code))
          return failure();
        // An elementwise op takes a row too long for local memory in the
        // fewest pieces (whole flits) that fit.
        int64_t pieces = 1, flits = rowWords(op->getOperand(0)) / lanes;
        bool twice = streamsRowTwice(op, target);
        while (code->words > lmWords && (isElementwise(op) || twice) &&
               pieces < flits) {
          do
            ++pieces;
          while (flits % pieces != 0 ||
                 rowWords(op->getResult(0)) % (pieces * lanes) != 0);
          code = selectOp(op, r % rowCycle(op), target, member, band,
                          /*fedByEdge=*/column == 0, position, pieces);
          if (failed(code))
            return failure();
        }
        if (code->words > lmWords)
          return op->emitError()
                 << kPass << ": '" << op->getName() << "' needs " << code->words
                 << " words of local memory on PE(" << r << "," << column
                 << "), the arch has " << lmWords;
        std::vector<Instruction> body;
        if (!code->streamsItself && !code->gemmReadsStream)
          body.push_back(Instruction::mov(mem(code->inAddr), Operand::in(0),
                                          code->inWords));
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
        if (!code->streamsItself) {
          body.push_back(Instruction::mov(Operand::out(0), mem(code->outAddr),
                                          code->outWords));
          if (pieces > 1)
            body = repeat(pieces, std::move(body));
        }
        // Streamed weights arrive first (per tile), on in1 from the north
        // edge.
        std::vector<Instruction> weights;
        for (const WeightStream &stream : code->weightStreams) {
          if (stream.keepStep == 1) {
            weights.push_back(Instruction::mov(mem(stream.lmAddr),
                                               Operand::in(1), stream.words()));
            continue;
          }
          // Per block of `step` rows: skip `first`, keep one, skip the rest.
          int64_t row = stream.rowWords, first = stream.keepFirst;
          int64_t after = stream.keepStep - 1 - first;
          Instruction skip =
              Instruction::mov(mem(stream.scratchAddr), Operand::in(1), row);
          std::vector<Instruction> block;
          if (first > 0)
            llvm::append_range(block, repeat(first, {skip}));
          block.push_back(Instruction::mov(Operand::mem(stream.lmAddr, 1, row),
                                           Operand::in(1), row));
          if (after > 0)
            llvm::append_range(block, repeat(after, {skip}));
          llvm::append_range(
              weights,
              repeat(stream.words() / row / stream.keepStep, std::move(block)));
        }
        if (r == 0 && !code->weightStreams.empty())
          if (failed(streamWeights(phase, column, peRows, code->weightStreams,
                                   op, program)))
            return failure();
        std::vector<Instruction> instructions;
        if (code->preloadWords > 0) {
          // Per group and tile: receive the rhs chunk (forwarding the later
          // members' chunks), then the group's rows.
          std::vector<Instruction> perTile = {Instruction::mov(
              mem(code->preloadAddr), Operand::in(0), code->preloadWords)};
          if (code->preloadForwardWords > 0)
            perTile.push_back(Instruction::mov(Operand::out(0), Operand::in(0),
                                               code->preloadForwardWords));
          llvm::append_range(perTile, repeat(sliceRows, body));
          if (tiles > 1)
            perTile = repeat(tiles, std::move(perTile));
          instructions = weights;
          llvm::append_range(instructions,
                             repeat(ownGroups, std::move(perTile)));
        } else if (grouped) {
          // The group's rows as the innermost loop, so that per-row data
          // (a mask) can advance with it.
          instructions = weights;
          llvm::append_range(instructions,
                             repeat(ownGroups, repeat(sliceRows, body)));
        } else if (periodicHead) {
          int64_t perPeriod = rowPeriod(head) / peRows;
          instructions = weights;
          llvm::append_range(instructions,
                             repeat(rows / perPeriod, repeat(perPeriod, body)));
        } else {
          instructions = weights;
          llvm::append_range(instructions, repeat(rows, body));
        }
        bitstream::PeProgram pe;
        pe.row = r;
        pe.col = column;
        pe.instructions = std::move(instructions);
        pe.instructions.push_back(Instruction::halt());
        if (failed(checkInstructions(op, pe)))
          return failure();
        phase.pes.push_back(std::move(pe));
        phase.routes.push_back(eastRoute(r, column));
      }
    }
    phase.routes.push_back(westRoute(r, column, target));

    // The result is contiguous, its rows in the order of the head's rows,
    // tile after tile. PE row r owns rows r, r + P, ... (also for
    // two-dimensional rows, where P is a multiple of the inner size), or
    // its slice of groups r / slices, r / slices + P / slices, ....
    if (grouped) {
      int64_t groupWords = groupRows * outWords;
      int64_t sliceWords = sliceRows * outWords;
      std::vector<bitstream::DmaDim> dims = {
          {ownGroups, 0, groupStep * groupWords}, {sliceWords, 0, 1}};
      if (tiles > 1)
        dims = {{ownGroups, 0, groupStep * groupWords},
                {tiles, 0, tileWords},
                {sliceRows, 0, outWords},
                {tileWords, 0, 1}};
      request(r, false, result, r / slices * groupWords + slice * sliceWords,
              std::move(dims));
    } else {
      int64_t rowElements = outWords / resultWords;
      View contiguous{result, 0, {numRows, rowElements}, {rowElements, 1}};
      RowPattern output = rowPattern(contiguous, 0, resultWords, r, peRows);
      request(r, false, result, output.gbOffset, std::move(output.dims));
    }
  }
  if (failed(emitStreams(phase, head)))
    return failure();
  program.phases.push_back(std::move(phase));
  return success();
}

LogicalResult BflyPeMappingPass::emitProgram(func::FuncOp func,
                                             bitstream::Program &program,
                                             bool &overflow) {
  homes.clear();
  gbInUse.clear();
  gbPeak = 0;
  constantBase = target.gbBytes / 4;
  lastUse.clear();
  streams.clear();
  dramWords = 0;
  overflow = false;

  program = {};
  program.name = func.getSymName().str();
  program.arch = target;
  program.archFingerprint = target.fingerprint();

  // Inputs: DRAM, loaded into the global buffer by the first phase where
  // they fit there.
  bitstream::Phase load;
  load.name = "load";
  for (BlockArgument arg : func.getArguments()) {
    auto type = dyn_cast<RankedTensorType>(arg.getType());
    if (!type || !type.hasStaticShape())
      return func->emitError() << kPass << ": argument " << arg.getArgNumber()
                               << " must be a static tensor";
    std::string name = "arg" + std::to_string(arg.getArgNumber());
    int64_t words = type.getNumElements() * wordsPerElement(type);
    program.inputs.push_back(
        {name,
         wordsPerElement(type) == 2 ? ElementKind::Complex64 : ElementKind::F32,
         std::vector<int64_t>(type.getShape()), dramWords});
    Home home = homes[arg] = {true, dramWords};
    if (!inputsInDram)
      home = allocate(arg, dramWords);
    if (!home.dram)
      load.dmas.push_back(bitstream::Dma::make(bitstream::DmaKind::DramToGb,
                                               dramWords, home.addr, {},
                                               {{words, 1, 1}}));
    dramWords += words;
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
  auto ret = cast<func::ReturnOp>(func.getBody().front().getTerminator());
  for (Value value : ret.getOperands()) {
    std::string why;
    if (FailureOr<View> view = viewOf(value, why); succeeded(view))
      lastUse[view->base] = std::numeric_limits<int64_t>::max();
  }
  for (auto &[index, chain] : chains) {
    if (failed(emitPhase(chain, index, program)))
      return failure();
    release(index);
  }

  // Outputs: stored from their (possibly strided) views in the global
  // buffer; a result in DRAM is its own output.
  bitstream::Phase store;
  store.name = "store";
  for (auto [index, value] : llvm::enumerate(ret.getOperands())) {
    std::string why;
    FailureOr<View> view = viewOf(value, why);
    if (failed(view) || !homes.count(view->base))
      return ret.emitError()
             << kPass << ": result " << index << " is not computed on the array"
             << (why.empty() ? "" : ": " + why);
    auto type = cast<RankedTensorType>(value.getType());
    int64_t words = wordsPerElement(type);
    Home home = homes[view->base];
    ElementKind kind = words == 2 ? ElementKind::Complex64 : ElementKind::F32;
    std::vector<int64_t> shape(type.getShape());
    // A result in DRAM that is the whole tensor is its own output.
    SmallVector<int64_t> contiguous = llvm::to_vector(type.getShape());
    for (int64_t &stride : contiguous)
      stride = 1;
    for (int64_t dim = type.getRank() - 2; dim >= 0; --dim)
      contiguous[dim] = contiguous[dim + 1] * type.getDimSize(dim + 1);
    if (home.dram && view->offset == 0 &&
        ArrayRef<int64_t>(view->shape) == type.getShape() &&
        ArrayRef<int64_t>(view->strides) == ArrayRef<int64_t>(contiguous)) {
      program.outputs.push_back(
          {"out" + std::to_string(index), kind, shape, home.addr});
      continue;
    }
    program.outputs.push_back(
        {"out" + std::to_string(index), kind, shape, dramWords});
    // The view's dimensions refine the result's in row-major order (a
    // merged row is its last dimension split), so the DRAM side is
    // contiguous over them.
    int64_t dramStride = words;
    std::vector<bitstream::DmaDim> dims;
    for (int64_t dim = view->rank() - 1; dim >= 0; --dim) {
      dims.insert(dims.begin(),
                  {view->shape[dim], dramStride, view->strides[dim] * words});
      dramStride *= view->shape[dim];
    }
    if (words == 2)
      dims.push_back({2, 1, 1});
    if (dims.empty())
      dims.push_back({1, 1, 1});
    if (!home.dram) {
      store.dmas.push_back(bitstream::Dma::make(
          bitstream::DmaKind::GbToDram, dramWords,
          home.addr + view->offset * words, {}, std::move(dims)));
    } else {
      // A view of a tensor in DRAM: gathered piece by piece into two
      // staging slots, each piece written out contiguously.
      int64_t slotWords = stagingWords / 2 / target.lanes * target.lanes;
      FailureOr<std::vector<Piece>> pieces =
          splitPattern(dims, slotWords, target.lanes);
      if (failed(pieces))
        return ret.emitError()
               << kPass << ": result " << index << " cannot be staged through "
               << "slots of " << slotWords << " words of the global buffer";
      int64_t written = 0;
      std::array<int64_t, 2> freedBy = {-1, -1};
      for (auto [k, piece] : llvm::enumerate(*pieces)) {
        int64_t slotAddr = stagingBase + int64_t(k % 2) * slotWords;
        int64_t elements = 0;
        std::vector<bitstream::DmaDim> gather = slotSide(piece, elements);
        std::vector<int64_t> slotFree;
        if (freedBy[k % 2] >= 0)
          slotFree.push_back(freedBy[k % 2]);
        store.dmas.push_back(bitstream::Dma::make(
            bitstream::DmaKind::DramToGb,
            home.addr + view->offset * words + piece.offset, slotAddr, {},
            std::move(gather), std::move(slotFree)));
        int64_t gathered = static_cast<int64_t>(store.dmas.size()) - 1;
        store.dmas.push_back(bitstream::Dma::make(
            bitstream::DmaKind::GbToDram, dramWords + written, slotAddr, {},
            {{elements, 1, 1}}, {gathered}));
        freedBy[k % 2] = gathered + 1;
        written += elements;
      }
    }
    dramWords += type.getNumElements() * words;
  }
  program.phases.push_back(std::move(store));
  program.dramWords = dramWords;
  if (gbPeak > 0)
    program.buffers.push_back({"tensors", 0, gbPeak});
  int64_t gbWords = target.gbBytes / 4;
  if (stagingWords > 0)
    program.buffers.push_back({"staging", stagingBase, stagingWords});
  if (constantBase < gbWords)
    program.buffers.push_back(
        {"constants", constantBase, gbWords - constantBase});
  overflow = gbPeak > constantBase;
  return success();
}

void BflyPeMappingPass::runOnOperation() {
  ModuleOp module = getOperation();
  FailureOr<arch::Arch> loaded = loadTarget(archFile, module, kPass);
  FailureOr<func::FuncOp> func = ref::findEntryFunction(module, "");
  if (failed(loaded) || failed(func))
    return signalPassFailure();
  target = *loaded;
  int64_t gbWords = target.gbBytes / 4;

  // First every tensor and constant in the global buffer. When they do
  // not fit, again with what does not fit in DRAM: constants take at most
  // half of the global buffer, and a quarter of what they leave is
  // reserved for staging slots.
  bitstream::Program program;
  keepInDram.clear();
  tensorLimit = std::numeric_limits<int64_t>::max();
  constantFloor = std::numeric_limits<int64_t>::min();
  stagingBase = stagingWords = 0;
  bool overflow = false;
  placementOnly = inputsInDram = false;
  if (failed(emitProgram(*func, program, overflow)))
    return signalPassFailure();
  if (overflow) {
    int64_t lanes = target.lanes;
    constantFloor = std::max(constantBase, gbWords / 2 / lanes * lanes);
    stagingWords = constantFloor / 2 / lanes * lanes;
    stagingBase = constantFloor - stagingWords;
    tensorLimit = stagingBase;
    // The placement first (each retry keeps in DRAM one more tensor that
    // a two-stream op reads together with one in DRAM), then the program
    // with the same placement (first fit under the same limit) and the
    // staging slots grown down to the tensors' peak: fewer, larger pieces.
    placementOnly = inputsInDram = true;
    for (size_t kept = keepInDram.size();; kept = keepInDram.size()) {
      if (succeeded(emitProgram(*func, program, overflow)))
        break;
      if (keepInDram.size() == kept)
        return signalPassFailure();
    }
    placementOnly = false;
    int64_t peak = (gbPeak + lanes - 1) / lanes * lanes;
    stagingWords += stagingBase - peak;
    stagingBase = peak;
    if (failed(emitProgram(*func, program, overflow)))
      return signalPassFailure();
  }
  if (overflow) {
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
  // What the simulator should measure (docs/cost-model.md, "Mapped
  // phases").
  phasecost::ProgramPrediction predicted =
      phasecost::predictCycles(program, target);
  int64_t configCycles = std::llround(predicted.configCycles);
  int64_t executionCycles = std::llround(predicted.executionCycles);
  func->emitRemark() << kPass << ": predicted "
                     << configCycles + executionCycles << " cycles ("
                     << configCycles << " configuration, " << executionCycles
                     << " execution) over " << program.phases.size()
                     << " phases";
  Location loc = func->getLoc();
  for (auto op : llvm::make_early_inc_range(module.getOps<func::FuncOp>()))
    op.erase();
  dfa::fromProgram(program, module, loc);
}

/// The DMA dimensions of rows [first, first + count) of a row pattern (its
/// `rowSelectDims` outer dimensions select rows), when they form a box of
/// its index space.
static std::optional<Piece> rowBlock(const RowPattern &pattern, int64_t first,
                                     int64_t count) {
  ArrayRef<bitstream::DmaDim> select(pattern.dims.data(),
                                     pattern.rowSelectDims);
  // Whole innermost dimensions, then a run of the next one.
  int64_t inner = 1, dim = static_cast<int64_t>(select.size()) - 1;
  while (dim >= 0 && count % (inner * select[dim].size) == 0)
    inner *= select[dim--].size;
  Piece piece{pattern.gbOffset, {}};
  int64_t rest = first;
  for (int64_t d = static_cast<int64_t>(select.size()) - 1; d >= 0; --d) {
    int64_t index = rest % select[d].size;
    rest /= select[d].size;
    if (d > dim && index != 0)
      return std::nullopt;
    piece.offset += index * select[d].gbStride;
    if (d == dim && index + count / inner > select[d].size)
      return std::nullopt;
  }
  if (dim >= 0)
    piece.dims.push_back({count / inner, 0, select[dim].gbStride});
  piece.dims.insert(piece.dims.end(), pattern.dims.begin() + dim + 1,
                    pattern.dims.end());
  return piece;
}

/// A linear or matmul whose weight does not fit the array: split by the
/// contraction over a band of `width` PEs (member i multiplies input words
/// [i·c, (i+1)·c)), each PE row keeps a block of R of its rows and receives
/// the weight tile after tile of Nt output columns from the north edge
/// (multicast down the column), so each weight word is streamed once per
/// block rather than the rows once per tile. Per block and tile, member i
/// computes the partial products of the block's rows (gemm m=R), adds
/// member i-1's (member 0: the tile's bias, which follows the block's rows
/// on the west stream) and sends the sum east.
LogicalResult BflyPeMappingPass::emitBlockPhase(Operation *op, int64_t index,
                                                bitstream::Program &program) {
  int64_t peRows = cast<IntegerAttr>(op->getAttr(kPeRowsAttr)).getInt();
  Band band = bandOf(op);
  std::string why;
  FailureOr<View> input = viewOf(op->getOperand(0), why);
  FailureOr<View> weight = viewOf(op->getOperand(1), why);
  bool constantWeight = matchPattern(op->getOperand(1), m_Constant());
  if (failed(input) || !homes.count(input->base) ||
      (!constantWeight && (failed(weight) || !homes.count(weight->base))))
    return op->emitError() << kPass << ": cannot stream the operands of '"
                           << op->getName() << "'"
                           << (why.empty() ? "" : ": " + why);
  auto linear = dyn_cast<bfly::LinearOp>(op);
  Value bias = linear ? linear.getBias() : Value();
  FailureOr<View> biasView =
      bias ? viewOf(bias, why) : FailureOr<View>(failure());
  bool constantBias = bias && matchPattern(bias, m_Constant());
  if (bias && !constantBias &&
      (failed(biasView) || !homes.count(biasView->base)))
    return op->emitError() << kPass << ": cannot stream the bias of '"
                           << op->getName() << "'";
  int64_t k = rowWords(op->getOperand(0)), n = rowWords(op->getResult(0));
  int64_t width = band.width, chunk = k / width, tileN = n / band.tiles;
  int64_t lmWords = target.localMemBytes / 4;

  Value result = op->getResult(0);
  allocate(result);
  SmallVector<RowPattern> inputs;
  int64_t numRows = 1;
  for (auto [size, stride] : rowDims(*input))
    numRows *= size;
  for (int64_t r = 0; r < peRows; ++r)
    inputs.push_back(rowPattern(*input, 0, 1, r, peRows));
  // Every PE row runs the same number of blocks (the weight is multicast to
  // all), of the rows the tiling chose; the DMA must be able to select them.
  int64_t blocks = 0;
  if (band.blockRows > 0 && inputs.front().count % band.blockRows == 0)
    blocks = inputs.front().count / band.blockRows;
  for (const RowPattern &pattern : inputs) {
    int64_t rows = blocks ? pattern.count / blocks : 0;
    cost::BlockedLinear shape{pattern.count, k, n, width, peRows, !!bias};
    bool ok = blocks && pattern.count % blocks == 0 &&
              cost::blockedLocalWords(target, shape, tileN, rows) <= lmWords;
    for (int64_t block = 0; ok && block < blocks; ++block)
      ok = rowBlock(pattern, block * rows, rows).has_value();
    if (!ok)
      return op->emitError()
             << kPass << ": '" << op->getName() << "': blocks of "
             << band.blockRows << " rows do not divide the rows of every PE "
             << "row or do not fit next to a weight tile of " << chunk << " x "
             << tileN << " words in " << lmWords << " words of local memory";
  }

  bitstream::Phase phase;
  phase.name = "phase" + std::to_string(index);
  // The weight tiles, multicast down each member's column.
  for (int64_t member = 0; member < width; ++member)
    phase.routes.push_back(northRoute(member, peRows));
  Home biasHome;
  if (constantBias)
    biasHome = placeConstant(constantWords(bias), program);
  else if (bias)
    biasHome = homes[biasView->base];
  for (int64_t r = 0; r < peRows; ++r) {
    int64_t rows = inputs[r].count / blocks;
    cost::BlockedLinear shape{inputs[r].count, k, n, width, peRows, !!bias};
    cost::BlockedLayout layout =
        cost::blockedLayout(target, shape, tileN, rows);
    int64_t in = layout.input, tile = layout.tile, acc = layout.acc,
            partial = layout.partial;
    // acc[R x Nt] = in[R x c] · tile[c x Nt]: one gemm, or per row a vmul by
    // its first input element and a vfma by each of the others (broadcast).
    std::vector<Instruction> multiply = {Instruction::gemm(
        mem(acc), mem(in), mem(tile), rows, tileN, chunk, /*init=*/true)};
    if (layout.vfma)
      multiply = repeat(
          rows,
          {Instruction::binary(Opcode::VMul, Operand::mem(acc, 1, tileN),
                               Operand::mem(in, 0, chunk), mem(tile), tileN),
           Instruction::loop(chunk - 1, 1),
           Instruction::binary(Opcode::VFma, Operand::mem(acc, 1, 0, tileN),
                               Operand::mem(in + 1, 0, 1, chunk),
                               Operand::mem(tile + tileN, 1, tileN), tileN)});
    for (int64_t member = 0; member < width; ++member) {
      std::vector<Instruction> receive = {
          Instruction::mov(Operand::mem(in, 1, chunk), Operand::in(0), chunk)};
      if (member + 1 < width)
        receive.push_back(Instruction::mov(Operand::out(0), Operand::in(0),
                                           (width - 1 - member) * chunk));
      std::vector<Instruction> perTile = {
          Instruction::mov(mem(tile), Operand::in(1), chunk * tileN)};
      llvm::append_range(perTile, multiply);
      // Member 0 adds the tile's bias to each row, the others the partial
      // sums from the west.
      if (member > 0) {
        perTile.push_back(
            Instruction::mov(mem(partial), Operand::in(0), rows * tileN));
        perTile.push_back(Instruction::binary(Opcode::VAdd, mem(acc), mem(acc),
                                              mem(partial), rows * tileN));
      } else if (bias) {
        perTile.push_back(
            Instruction::mov(mem(partial), Operand::in(0), tileN));
        Operand row = Operand::mem(acc, 1, tileN);
        llvm::append_range(
            perTile, repeat(rows, {Instruction::binary(Opcode::VAdd, row, row,
                                                       mem(partial), tileN)}));
      }
      perTile.push_back(
          Instruction::mov(Operand::out(0), mem(acc), rows * tileN));
      std::vector<Instruction> perBlock = repeat(rows, receive);
      llvm::append_range(perBlock, repeat(band.tiles, perTile));
      bitstream::PeProgram pe;
      pe.row = r;
      pe.col = member;
      pe.instructions = repeat(blocks, perBlock);
      pe.instructions.push_back(Instruction::halt());
      if (failed(checkInstructions(op, pe)))
        return failure();
      phase.pes.push_back(std::move(pe));
      phase.routes.push_back(eastRoute(r, member));
    }
    phase.routes.push_back(westRoute(r, width, target));

    // Per block its rows, then the bias, tile after tile: the whole bias.
    for (int64_t block = 0; block < blocks; ++block) {
      Piece rowsIn = *rowBlock(inputs[r], block * rows, rows);
      streams.push_back({{r, -1},
                         true,
                         homes[input->base],
                         rowsIn.offset,
                         std::move(rowsIn.dims)});
      if (bias)
        streams.push_back(
            {{r, -1},
             true,
             biasHome,
             constantBias ? 0 : biasView->offset,
             {{n, 0, constantBias ? 1 : biasView->strides.back()}}});
    }
    // Rows [i·c, (i+1)·c) of the weight, tile after tile, per block.
    if (r == 0) {
      for (int64_t member = 0; member < width; ++member) {
        StreamRequest tiles{{-1, member}, true, {}, 0, {}};
        int64_t rowStride = n, columnStride = 1;
        if (constantWeight) {
          std::vector<float> all = constantWords(op->getOperand(1));
          tiles.home = placeConstant(
              std::vector<float>(all.begin() + member * chunk * n,
                                 all.begin() + (member + 1) * chunk * n),
              program);
        } else {
          tiles.home = homes[weight->base];
          int64_t rank = weight->rank();
          rowStride = weight->strides[rank - 2];
          columnStride = weight->strides[rank - 1];
          tiles.offset = weight->offset + member * chunk * rowStride;
        }
        tiles.dims = {{blocks, 0, 0},
                      {band.tiles, 0, tileN * columnStride},
                      {chunk, 0, rowStride},
                      {tileN, 0, columnStride}};
        streams.push_back(std::move(tiles));
      }
    }
    // Per block and tile, R rows x Nt results out.
    View contiguous{result, 0, {numRows, n}, {n, 1}};
    RowPattern output = rowPattern(contiguous, 0, 1, r, peRows);
    int64_t rowStride = output.dims.front().gbStride;
    streams.push_back({{r, -1},
                       false,
                       homes[result],
                       output.gbOffset,
                       {{blocks, 0, rows * rowStride},
                        {band.tiles, 0, tileN},
                        {rows, 0, rowStride},
                        {tileN, 0, 1}}});
  }
  if (failed(emitStreams(phase, op)))
    return failure();
  program.phases.push_back(std::move(phase));
  return success();
}

/// The program of column `column` of `columns` in a fused attention
/// (docs/compiler.md, "Fused attention"): per unit (an own group and pass)
/// it keeps its block of transposed queries from the row's multicast and
/// scales it; per tile of keys it computes the block's scores transposed
/// (a gemm reading the keys from the stream), updates the
/// running maximum and sum and rescales its output rows (online softmax),
/// then adds the tile's values weighted by the probabilities (a vfma per
/// output row and key, the probability broadcast); finally it divides by
/// the sums and sends its rows west, then forwards those of the columns
/// east of it.
static std::vector<Instruction>
attentionProgram(const cost::AttentionPlan &plan,
                 const cost::AttentionShape &shape, double scale, int64_t units,
                 int64_t column) {
  const cost::AttentionLayout &at = plan.layout;
  int64_t bq = plan.blockQueries, bk = plan.blockKeys;
  int64_t dk = shape.keyDim, dv = shape.valueDim;
  int64_t tiles = shape.keys / bk, after = plan.columns - 1 - column;
  auto lm = [](int64_t base, int64_t stride = 1, int64_t inc0 = 0,
               int64_t inc1 = 0) {
    return Operand::mem(base, stride, inc0, inc1);
  };
  auto binary = [](Opcode opcode, Operand d, Operand a, Operand b, int64_t n) {
    return Instruction::binary(opcode, d, a, b, n);
  };
  // The other columns' query blocks pass through the tile buffer, a query
  // row (Dk words) at a time.
  Instruction skip = Instruction::mov(lm(at.tile), Operand::in(0), dk);

  // scoresᵀ = keys · queriesᵀ (Bk x Bq), the keys read straight from the
  // stream: the scores and the queries in two banks, bank factor 1.
  std::vector<Instruction> tile = {Instruction::gemm(
      lm(at.scores), Operand::in(0), lm(at.queries), bk, bq, dk, true)};
  // The tile's maximum per query, the new running maximum and the
  // correction exp(old - new) of what was summed before.
  tile.push_back(Instruction::mov(lm(at.tileMax), lm(at.scores), bq));
  llvm::append_range(
      tile, repeat(bk - 1, {binary(Opcode::VMax, lm(at.tileMax), lm(at.tileMax),
                                   lm(at.scores + bq, 1, bq), bq)}));
  tile.push_back(
      binary(Opcode::VMax, lm(at.tileMax), lm(at.tileMax), lm(at.runMax), bq));
  tile.push_back(binary(Opcode::VSub, lm(at.correction), lm(at.runMax),
                        lm(at.tileMax), bq));
  tile.push_back(Instruction::unary(Opcode::VExp, lm(at.correction),
                                    lm(at.correction), bq));
  tile.push_back(Instruction::mov(lm(at.runMax), lm(at.tileMax), bq));
  // Probabilities exp(score - max), their sum per query.
  llvm::append_range(
      tile, repeat(bk, {binary(Opcode::VSub, lm(at.scores, 1, bq),
                               lm(at.scores, 1, bq), lm(at.tileMax), bq)}));
  tile.push_back(
      Instruction::unary(Opcode::VExp, lm(at.scores), lm(at.scores), bk * bq));
  tile.push_back(Instruction::mov(lm(at.tileSum), lm(at.scores), bq));
  llvm::append_range(
      tile, repeat(bk - 1, {binary(Opcode::VAdd, lm(at.tileSum), lm(at.tileSum),
                                   lm(at.scores + bq, 1, bq), bq)}));
  tile.push_back(binary(Opcode::VMul, lm(at.runSum), lm(at.runSum),
                        lm(at.correction), bq));
  tile.push_back(
      binary(Opcode::VAdd, lm(at.runSum), lm(at.runSum), lm(at.tileSum), bq));
  // out_i = out_i · correction_i + Σ_j p[j][i] · value_j
  tile.push_back(Instruction::mov(lm(at.tile), Operand::in(0), bk * dv));
  llvm::append_range(
      tile,
      repeat(bq, {binary(Opcode::VMul, lm(at.out, 1, dv), lm(at.out, 1, dv),
                         lm(at.correction, 0, 1), dv),
                  Instruction::loop(bk, 1),
                  binary(Opcode::VFma, lm(at.out, 1, 0, dv),
                         lm(at.scores, 0, bq, 1), lm(at.tile, 1, dv), dv)}));

  std::vector<Instruction> unit;
  if (column > 0)
    llvm::append_range(unit, repeat(column * bq, {skip}));
  unit.push_back(Instruction::mov(lm(at.queries), Operand::in(0), dk * bq));
  if (after > 0)
    llvm::append_range(unit, repeat(after * bq, {skip}));
  unit.push_back(binary(Opcode::VMul, lm(at.queries), lm(at.queries),
                        imm(scale), dk * bq));
  unit.push_back(Instruction::mov(lm(at.out), imm(0), bq * dv));
  unit.push_back(Instruction::mov(lm(at.runMax), imm(-3.0e38), bq));
  unit.push_back(Instruction::mov(lm(at.runSum), imm(0), bq));
  llvm::append_range(unit, repeat(tiles, std::move(tile)));
  unit.push_back(
      Instruction::unary(Opcode::VRcp, lm(at.runSum), lm(at.runSum), bq));
  llvm::append_range(
      unit, repeat(bq, {binary(Opcode::VMul, lm(at.out, 1, dv),
                               lm(at.out, 1, dv), lm(at.runSum, 0, 1), dv)}));
  unit.push_back(Instruction::mov(Operand::out(0), lm(at.out), bq * dv));
  if (after > 0)
    unit.push_back(
        Instruction::mov(Operand::out(0), Operand::in(2), after * bq * dv));
  std::vector<Instruction> program = repeat(units, std::move(unit));
  program.push_back(Instruction::halt());
  return program;
}

/// Softmax attention as one resident pipeline: PE row r takes slice
/// r % slices of its groups' query rows, split over the plan's columns; the
/// west edge multicasts the queries, then the keys and values tile by tile,
/// to every column of the row (in0); results return west, each column
/// forwarding those of the columns east of it (in2).
LogicalResult
BflyPeMappingPass::emitAttentionPhase(bfly::AttentionOp op, int64_t index,
                                      bitstream::Program &program) {
  std::optional<cost::AttentionPlan> plan = fusedAttentionPlan(op, target);
  if (!plan)
    return op->emitError() << kPass << ": no fused plan of '" << op->getName()
                           << "' fits the arch";
  std::string why;
  SmallVector<View, 3> views;
  for (Value operand : {op.getQuery(), op.getKey(), op.getValue()}) {
    FailureOr<View> view = viewOf(operand, why);
    if (failed(view) || !homes.count(view->base))
      return op->emitError()
             << kPass << ": cannot stream " << operand.getType() << ": "
             << (why.empty() ? "it is not in memory" : why);
    views.push_back(*view);
  }
  auto shapeOf = [](Value value) {
    return cast<RankedTensorType>(value.getType()).getShape();
  };
  cost::AttentionShape shape = cost::AttentionShape::of(
      shapeOf(op.getQuery()), shapeOf(op.getKey()), shapeOf(op.getValue()));
  int64_t slices = plan->slices, columns = plan->columns;
  int64_t bq = plan->blockQueries, bk = plan->blockKeys;
  int64_t rowsPerPe = plan->rowsPerPe, passes = rowsPerPe / bq;
  int64_t groupStep = plan->peRows / slices;
  int64_t sliceRows = shape.queries / slices, dk = shape.keyDim,
          dv = shape.valueDim, tiles = shape.keys / bk;
  Value result = op.getResult();
  allocate(result);

  bitstream::Phase phase;
  phase.name = "phase" + std::to_string(index);
  const View &query = views[0], &key = views[1], &value = views[2];
  Home keyHome = homes[key.base], valueHome = homes[value.base];
  // Keys and values of a group in one DMA when they are laid out alike in
  // one memory: the value tile is the key tile moved by `delta` words.
  bool together = keyHome.dram == valueHome.dram && dk == dv &&
                  key.strides[2] == value.strides[2] &&
                  key.strides[3] == value.strides[3];
  auto stream = [&](int64_t r, const View &view,
                    std::vector<bitstream::DmaDim> dims) {
    streams.push_back(
        {{r, -1}, true, homes[view.base], view.offset, std::move(dims)});
  };
  for (int64_t r = 0; r < plan->peRows; ++r) {
    int64_t slice = r % slices, first = r / slices;
    int64_t ownGroups = (shape.groups - first + groupStep - 1) / groupStep;
    for (int64_t g = first; g < shape.groups; g += groupStep) {
      View q = selectGroup(query, g), k = selectGroup(key, g),
           v = selectGroup(value, g);
      int64_t qRow = q.strides[2], qWord = q.strides[3];
      int64_t kRow = k.strides[2], kWord = k.strides[3];
      for (int64_t pass = 0; pass < passes; ++pass) {
        // Each column's block of queries, transposed (Dk x Bq).
        View block = q;
        block.offset += (slice * sliceRows + pass * bq) * qRow;
        stream(r, block,
               {{columns, 0, rowsPerPe * qRow}, {dk, 0, qWord}, {bq, 0, qRow}});
        if (together) {
          int64_t delta =
              (valueHome.addr + v.offset) - (keyHome.addr + k.offset);
          stream(r, k,
                 {{tiles, 0, bk * kRow},
                  {2, 0, delta},
                  {bk, 0, kRow},
                  {dk, 0, kWord}});
          continue;
        }
        for (int64_t t = 0; t < tiles; ++t) {
          View keys = k, values = v;
          keys.offset += t * bk * kRow;
          values.offset += t * bk * v.strides[2];
          stream(r, keys, {{bk, 0, kRow}, {dk, 0, kWord}});
          stream(r, values, {{bk, 0, v.strides[2]}, {dv, 0, v.strides[3]}});
        }
      }
    }
    // The rows of group g, pass p, column c: slice·sliceRows + c·R + p·Bq.
    int64_t groupWords = shape.queries * dv;
    streams.push_back({{r, -1},
                       false,
                       homes[result],
                       first * groupWords + slice * sliceRows * dv,
                       {{ownGroups, 0, groupStep * groupWords},
                        {passes, 0, bq * dv},
                        {columns, 0, rowsPerPe * dv},
                        {bq * dv, 0, 1}}});

    bitstream::Route multicast;
    multicast.src = {{r, -1}, 0};
    for (int64_t c = 0; c < columns; ++c) {
      multicast.dsts.push_back({{r, c}, 0});
      multicast.links.push_back({{r, c - 1}, {r, c}});
      bitstream::Route back;
      back.src = {{r, c}, 0};
      back.dsts.push_back({{r, c - 1}, c == 0 ? 0 : 2});
      back.links.push_back({{r, c}, {r, c - 1}});
      phase.routes.push_back(std::move(back));

      bitstream::PeProgram pe;
      pe.row = r;
      pe.col = c;
      pe.instructions = attentionProgram(*plan, shape, op.getEffectiveScale(),
                                         ownGroups * passes, c);
      if (failed(checkInstructions(op, pe)))
        return failure();
      phase.pes.push_back(std::move(pe));
    }
    phase.routes.push_back(std::move(multicast));
  }
  if (failed(emitStreams(phase, op)))
    return failure();
  program.phases.push_back(std::move(phase));
  return success();
}
