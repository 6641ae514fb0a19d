//===- Program.cpp - The in-memory form of a bitstream ----------*- C++ -*-===//
//
// Instruction builders, equality, the assembly printer, the 256-bit
// instruction encoding and the per-instruction timing helpers (beats,
// latency, flops) that docs/architecture.md defines.
//
//===----------------------------------------------------------------------===//

#include "butterfly/Bitstream/Program.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/Endian.h"
#include "llvm/Support/Format.h"

#include <cstring>
#include <optional>

using namespace butterfly;
using namespace butterfly::bitstream;

namespace {

/// Bitwise equality, so that NaN payloads and -0.0 round-trip exactly.
bool sameBits(float a, float b) { return std::memcmp(&a, &b, 4) == 0; }

bool sameBits(const std::vector<float> &a, const std::vector<float> &b) {
  return a.size() == b.size() &&
         (a.empty() || std::memcmp(a.data(), b.data(), a.size() * 4) == 0);
}

int64_t ceilDiv(int64_t a, int64_t b) { return (a + b - 1) / b; }

int64_t ceilLog2(int64_t v) {
  int64_t r = 0;
  while ((int64_t(1) << r) < v)
    ++r;
  return r;
}

llvm::Error makeError(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

} // namespace

//===----------------------------------------------------------------------===//
// Builders and equality
//===----------------------------------------------------------------------===//

bool Operand::operator==(const Operand &o) const {
  return kind == o.kind && base == o.base && stride == o.stride &&
         inc0 == o.inc0 && inc1 == o.inc1 && sameBits(imm, o.imm);
}

Instruction Instruction::halt() {
  Instruction i;
  i.op = Opcode::Halt;
  return i;
}

Instruction Instruction::barrier() {
  Instruction i;
  i.op = Opcode::Barrier;
  return i;
}

Instruction Instruction::loop(int64_t count, int64_t bodyLength) {
  Instruction i;
  i.op = Opcode::Loop;
  i.p0 = count;
  i.p1 = bodyLength;
  return i;
}

Instruction Instruction::mov(Operand dst, Operand src, int64_t n) {
  Instruction i;
  i.op = Opcode::Mov;
  i.n = n;
  i.dst = dst;
  i.a = src;
  return i;
}

Instruction Instruction::binary(Opcode op, Operand dst, Operand a, Operand b,
                                int64_t n) {
  Instruction i;
  i.op = op;
  i.n = n;
  i.dst = dst;
  i.a = a;
  i.b = b;
  return i;
}

Instruction Instruction::unary(Opcode op, Operand dst, Operand a, int64_t n) {
  return binary(op, dst, a, Operand::none(), n);
}

Instruction Instruction::reduce(Opcode op, Operand dst, Operand a, int64_t n) {
  return binary(op, dst, a, Operand::none(), n);
}

Instruction Instruction::bfly(Operand dst, Operand data, Operand twiddles,
                              int64_t n, int64_t stride, uint8_t flags) {
  Instruction i = binary(Opcode::Bfly, dst, data, twiddles, n);
  i.p0 = stride;
  i.flags = flags;
  return i;
}

Instruction Instruction::bitrev(Operand dst, Operand src, int64_t n,
                                bool complex) {
  Instruction i = binary(Opcode::BitRev, dst, src, Operand::none(), n);
  i.flags = complex ? flag::Complex : 0;
  return i;
}

Instruction Instruction::gemm(Operand acc, Operand a, Operand b, int64_t m,
                              int64_t n, int64_t k, bool init) {
  Instruction i = binary(Opcode::Gemm, acc, a, b, n);
  i.p0 = m;
  i.p1 = k;
  i.flags = init ? flag::GemmInit : 0;
  return i;
}

bool Instruction::operator==(const Instruction &o) const {
  return op == o.op && flags == o.flags && n == o.n && p0 == o.p0 &&
         p1 == o.p1 && dst == o.dst && a == o.a && b == o.b;
}

bool Route::operator==(const Route &o) const {
  return src == o.src && dsts == o.dsts && links == o.links;
}

bool Dma::operator==(const Dma &o) const {
  return kind == o.kind && dramAddr == o.dramAddr && gbAddr == o.gbAddr &&
         edge == o.edge && dims == o.dims && waitFor == o.waitFor;
}

bool MemInit::operator==(const MemInit &o) const {
  return addr == o.addr && sameBits(data, o.data);
}

bool PeProgram::operator==(const PeProgram &o) const {
  return row == o.row && col == o.col && instructions == o.instructions &&
         memInit == o.memInit;
}

bool Phase::operator==(const Phase &o) const {
  return name == o.name && pes == o.pes && routes == o.routes && dmas == o.dmas;
}

bool Constant::operator==(const Constant &o) const {
  return name == o.name && space == o.space && addr == o.addr &&
         sameBits(data, o.data);
}

int64_t TensorSig::words() const {
  if (llvm::any_of(shape, [](int64_t d) { return d < 0; }))
    return -1;
  if (llvm::is_contained(shape, 0))
    return 0;
  int64_t n = dtype == ElementKind::Complex64 ? 2 : 1;
  for (int64_t d : shape) {
    std::optional<int64_t> product = checkedMul(n, d);
    if (!product)
      return -1;
    n = *product;
  }
  return n;
}

bool TensorSig::operator==(const TensorSig &o) const {
  return name == o.name && dtype == o.dtype && shape == o.shape &&
         dramAddr == o.dramAddr;
}

// Lists every parameter of arch::Arch; extend it when Arch grows a field.
bool bitstream::archEquals(const arch::Arch &a, const arch::Arch &b) {
  const arch::EnergyTable &x = a.energy, &y = b.energy;
  return a.name == b.name && a.rows == b.rows && a.cols == b.cols &&
         a.clockHz == b.clockHz && a.lanes == b.lanes &&
         a.imemSlots == b.imemSlots && a.localMemBytes == b.localMemBytes &&
         a.localMemBanks == b.localMemBanks && a.fifoDepth == b.fifoDepth &&
         a.nocExpress == b.nocExpress && a.expressMaxLog2 == b.expressMaxLog2 &&
         a.gbBytes == b.gbBytes && a.gbBanks == b.gbBanks &&
         a.dramGBps == b.dramGBps && a.dramLatencyNs == b.dramLatencyNs &&
         a.configBytesPerCycle == b.configBytesPerCycle &&
         a.expLatency == b.expLatency && a.rcpLatency == b.rcpLatency &&
         a.rsqrtLatency == b.rsqrtLatency && a.aluLatency == b.aluLatency &&
         x.fpOpPj == y.fpOpPj && x.localMemAccessPj == y.localMemAccessPj &&
         x.gbAccessPerFlitPj == y.gbAccessPerFlitPj &&
         x.nocHopPerFlitPj == y.nocHopPerFlitPj &&
         x.dramPerBytePj == y.dramPerBytePj &&
         x.leakagePerPeCyclePj == y.leakagePerPeCyclePj &&
         x.configPerBytePj == y.configPerBytePj && x.source == y.source;
}

bool Program::operator==(const Program &o) const {
  return name == o.name && archFingerprint == o.archFingerprint &&
         archEquals(arch, o.arch) && dramWords == o.dramWords &&
         buffers == o.buffers && constants == o.constants &&
         inputs == o.inputs && outputs == o.outputs && phases == o.phases;
}

//===----------------------------------------------------------------------===//
// Names and printing
//===----------------------------------------------------------------------===//

const char *bitstream::opcodeName(Opcode op) {
  switch (op) {
  case Opcode::Nop:
    return "nop";
  case Opcode::Halt:
    return "halt";
  case Opcode::Barrier:
    return "barrier";
  case Opcode::Loop:
    return "loop";
  case Opcode::Mov:
    return "mov";
  case Opcode::BitRev:
    return "bitrev";
  case Opcode::VAdd:
    return "vadd";
  case Opcode::VSub:
    return "vsub";
  case Opcode::VMul:
    return "vmul";
  case Opcode::VMax:
    return "vmax";
  case Opcode::VMin:
    return "vmin";
  case Opcode::VFma:
    return "vfma";
  case Opcode::VExp:
    return "vexp";
  case Opcode::VRcp:
    return "vrcp";
  case Opcode::VRsqrt:
    return "vrsqrt";
  case Opcode::VTanh:
    return "vtanh";
  case Opcode::VErf:
    return "verf";
  case Opcode::ReduceSum:
    return "reduce.sum";
  case Opcode::ReduceMax:
    return "reduce.max";
  case Opcode::Bfly:
    return "bfly";
  case Opcode::Gemm:
    return "gemm";
  }
  return "<invalid>";
}

bool bitstream::isValidOpcode(uint8_t raw) {
  switch (raw) {
  case 0:
  case 1:
  case 2:
  case 3:
  case 8:
  case 9:
  case 16:
  case 17:
  case 18:
  case 19:
  case 20:
  case 21:
  case 32:
  case 33:
  case 34:
  case 35:
  case 36:
  case 48:
  case 49:
  case 64:
  case 65:
    return true;
  default:
    return false;
  }
}

Dma Dma::make(DmaKind kind, int64_t dramAddr, int64_t gbAddr, Node edge,
              std::vector<DmaDim> dims, std::vector<int64_t> waitFor) {
  Dma dma;
  dma.kind = kind;
  dma.dramAddr = dramAddr;
  dma.gbAddr = gbAddr;
  dma.edge = edge;
  dma.dims = std::move(dims);
  dma.waitFor = std::move(waitFor);
  return dma;
}

const char *bitstream::dmaKindName(DmaKind kind) {
  switch (kind) {
  case DmaKind::DramToGb:
    return "dram->gb";
  case DmaKind::GbToDram:
    return "gb->dram";
  case DmaKind::GbToEdge:
    return "gb->edge";
  case DmaKind::EdgeToGb:
    return "edge->gb";
  }
  return "<invalid>";
}

std::string bitstream::nodeCoords(const Node &node) {
  return "(" + std::to_string(node.row) + "," + std::to_string(node.col) + ")";
}

std::string bitstream::nodeName(const Node &node) {
  if (node.col == -1 && node.row >= 0)
    return "west edge " + std::to_string(node.row);
  if (node.row == -1 && node.col >= 0)
    return "north edge " + std::to_string(node.col);
  return "PE" + nodeCoords(node);
}

static void printOperand(llvm::raw_ostream &os, const Operand &op, bool isDst) {
  switch (op.kind) {
  case OperandKind::None:
    os << "_";
    return;
  case OperandKind::Imm:
    os << "#" << llvm::format("%.9g", double(op.imm));
    return;
  case OperandKind::Port:
    if (!isDst) {
      os << "in" << op.base;
      return;
    }
    for (int p = 0, first = 1; p < 63; ++p)
      if (op.base & (int64_t(1) << p)) {
        os << (first ? "" : "|") << "out" << p;
        first = 0;
      }
    if (op.base == 0)
      os << "out{}";
    return;
  case OperandKind::Mem:
    os << "lm[" << op.base;
    if (op.stride != 1 || op.inc0 || op.inc1)
      os << ":" << op.stride;
    if (op.inc0 || op.inc1)
      os << ":" << op.inc0 << ":" << op.inc1;
    os << "]";
    return;
  }
}

void bitstream::print(llvm::raw_ostream &os, const Instruction &inst) {
  os << opcodeName(inst.op);
  switch (inst.op) {
  case Opcode::Nop:
  case Opcode::Halt:
  case Opcode::Barrier:
    if (inst.flags || inst.n || inst.p0 || inst.p1)
      os << " flags=" << int(inst.flags) << " n=" << inst.n << " p0=" << inst.p0
         << " p1=" << inst.p1;
    return;
  case Opcode::Loop:
    os << " count=" << inst.p0 << " len=" << inst.p1;
    return;
  case Opcode::Bfly:
    if (inst.flags & flag::Complex)
      os << ".c";
    if (inst.flags & flag::Matrix)
      os << ".mat";
    if (inst.flags & flag::PerPair)
      os << ".pair";
    break;
  case Opcode::BitRev:
    if (inst.flags & flag::Complex)
      os << ".c";
    break;
  case Opcode::Gemm:
    if (inst.flags & flag::GemmInit)
      os << ".init";
    break;
  default:
    break;
  }
  os << " ";
  printOperand(os, inst.dst, /*isDst=*/true);
  os << ", ";
  printOperand(os, inst.a, false);
  if (!inst.b.isNone()) {
    os << ", ";
    printOperand(os, inst.b, false);
  }
  if (inst.op == Opcode::Gemm) {
    os << " m=" << inst.p0 << " n=" << inst.n << " k=" << inst.p1;
    return;
  }
  os << " n=" << inst.n;
  if (inst.op == Opcode::Bfly)
    os << " stride=" << inst.p0;
  else if (inst.p0 || inst.p1)
    os << " p0=" << inst.p0 << " p1=" << inst.p1;
  if (inst.op != Opcode::Bfly && inst.op != Opcode::BitRev &&
      inst.op != Opcode::Gemm && inst.flags)
    os << " flags=" << int(inst.flags);
}

std::string bitstream::toString(const Instruction &inst) {
  std::string s;
  llvm::raw_string_ostream os(s);
  print(os, inst);
  return s;
}

//===----------------------------------------------------------------------===//
// Timing and work
//===----------------------------------------------------------------------===//

int64_t bitstream::wordsPerElement(const Instruction &inst) {
  bool hasComplex = inst.op == Opcode::Bfly || inst.op == Opcode::BitRev;
  return hasComplex && (inst.flags & flag::Complex) ? 2 : 1;
}

/// Beats per output flit of bfly: radix-2 and real 2x2 stages need two
/// lane-ops per output word, a complex 2x2 matrix four.
static int64_t bflyBeatsPerFlit(const Instruction &inst) {
  return (inst.flags & flag::Complex) && (inst.flags & flag::Matrix) ? 4 : 2;
}

int64_t bitstream::beatCount(const Instruction &inst, int64_t lanes) {
  switch (inst.op) {
  case Opcode::Nop:
  case Opcode::Halt:
  case Opcode::Barrier:
  case Opcode::Loop:
    return 0;
  case Opcode::BitRev:
    return ceilDiv(inst.n * wordsPerElement(inst), lanes);
  case Opcode::Bfly:
    return ceilDiv(inst.n * wordsPerElement(inst), lanes) *
           bflyBeatsPerFlit(inst);
  case Opcode::Gemm:
    return inst.p0 * inst.p1 * ceilDiv(inst.n, lanes);
  default:
    return ceilDiv(inst.n, lanes);
  }
}

int64_t bitstream::latencyCycles(const Instruction &inst,
                                 const arch::Arch &arch) {
  switch (inst.op) {
  case Opcode::Nop:
  case Opcode::Halt:
  case Opcode::Barrier:
  case Opcode::Loop:
    return 0;
  case Opcode::VExp:
  case Opcode::VTanh:
  case Opcode::VErf:
    return arch.expLatency;
  case Opcode::VRcp:
    return arch.rcpLatency;
  case Opcode::VRsqrt:
    return arch.rsqrtLatency;
  case Opcode::ReduceSum:
  case Opcode::ReduceMax:
    return arch.aluLatency + ceilLog2(arch.lanes);
  default:
    return arch.aluLatency;
  }
}

int64_t bitstream::flopCount(const Instruction &inst) {
  switch (inst.op) {
  case Opcode::Nop:
  case Opcode::Halt:
  case Opcode::Barrier:
  case Opcode::Loop:
  case Opcode::Mov:
  case Opcode::BitRev:
    return 0;
  case Opcode::VFma:
    return 2 * inst.n;
  case Opcode::Gemm:
    return 2 * inst.p0 * inst.n * inst.p1;
  case Opcode::Bfly: {
    bool complex = inst.flags & flag::Complex;
    bool matrix = inst.flags & flag::Matrix;
    // Per pair: real radix-2 1 mul + 2 add; real 2x2 4 mul + 2 add; complex
    // radix-2 one complex mul (6) + two complex adds (4); complex 2x2 four
    // complex muls (24) + two complex adds (4).
    int64_t perPair = complex ? (matrix ? 28 : 10) : (matrix ? 6 : 3);
    return inst.n / 2 * perPair;
  }
  default:
    return inst.n;
  }
}

int64_t bitstream::laneOpCount(const Instruction &inst, int64_t lanes) {
  switch (inst.op) {
  case Opcode::Mov:
  case Opcode::BitRev:
    return 0;
  case Opcode::Bfly:
    return beatCount(inst, lanes) * lanes;
  case Opcode::Gemm:
    return inst.p0 * inst.n * inst.p1;
  default:
    return beatCount(inst, lanes) ? inst.n : 0;
  }
}

int64_t bitstream::operandWords(const Instruction &inst, int which) {
  switch (inst.op) {
  case Opcode::Nop:
  case Opcode::Halt:
  case Opcode::Barrier:
  case Opcode::Loop:
    return 0;
  case Opcode::ReduceSum:
  case Opcode::ReduceMax:
    return which == 0 ? 1 : which == 1 ? inst.n : 0;
  case Opcode::BitRev:
    return which == 2 ? 0 : inst.n * wordsPerElement(inst);
  case Opcode::Bfly: {
    if (which < 2)
      return inst.n * wordsPerElement(inst);
    int64_t entries = (inst.flags & flag::PerPair) ? inst.n / 2 : inst.p0;
    int64_t entryWords = ((inst.flags & flag::Matrix) ? 4 : 1) *
                         ((inst.flags & flag::Complex) ? 2 : 1);
    return entries * entryWords;
  }
  case Opcode::Gemm:
    return which == 0   ? inst.p0 * inst.n
           : which == 1 ? inst.p0 * inst.p1
                        : inst.p1 * inst.n;
  case Opcode::Mov:
  case Opcode::VExp:
  case Opcode::VRcp:
  case Opcode::VRsqrt:
  case Opcode::VTanh:
  case Opcode::VErf:
    return which == 2 ? 0 : inst.n;
  default:
    return inst.n;
  }
}

int64_t bitstream::configBytes(const Phase &phase) {
  int64_t bytes = 0;
  for (const PeProgram &pe : phase.pes) {
    bytes += kInstructionBytes * int64_t(pe.instructions.size());
    for (const MemInit &init : pe.memInit)
      bytes += 8 + 4 * int64_t(init.data.size());
  }
  for (const Route &route : phase.routes)
    bytes +=
        8 * (1 + int64_t(route.dsts.size())) + 4 * int64_t(route.links.size());
  for (const Dma &dma : phase.dmas)
    bytes += 32 + 24 * int64_t(dma.dims.size());
  return bytes;
}

//===----------------------------------------------------------------------===//
// Encoding
//===----------------------------------------------------------------------===//

namespace {

constexpr int kBaseBits = 20, kStrideBits = 12, kIncBits = 14;

bool fitsSigned(int64_t v, int bits) {
  return v >= -(int64_t(1) << (bits - 1)) && v < (int64_t(1) << (bits - 1));
}

bool fitsUnsigned(int64_t v, int bits) {
  return v >= 0 && v < (int64_t(1) << bits);
}

uint64_t field(int64_t v, int bits, int shift) {
  return (uint64_t(v) & ((uint64_t(1) << bits) - 1)) << shift;
}

int64_t signedField(uint64_t word, int bits, int shift) {
  int64_t v = int64_t((word >> shift) & ((uint64_t(1) << bits) - 1));
  if (v & (int64_t(1) << (bits - 1)))
    v -= int64_t(1) << bits;
  return v;
}

llvm::Error encodeOperand(const Operand &op, const char *name, uint64_t &word) {
  word = uint64_t(op.kind);
  switch (op.kind) {
  case OperandKind::None:
    return llvm::Error::success();
  case OperandKind::Port:
    if (!fitsUnsigned(op.base, 4))
      return makeError(llvm::Twine("operand ") + name + ": port field " +
                       llvm::Twine(op.base) + " does not fit 4 bits");
    word |= field(op.base, 4, 4);
    return llvm::Error::success();
  case OperandKind::Imm: {
    uint32_t bits;
    std::memcpy(&bits, &op.imm, 4);
    word |= uint64_t(bits) << 32;
    return llvm::Error::success();
  }
  case OperandKind::Mem:
    if (!fitsUnsigned(op.base, kBaseBits))
      return makeError(llvm::Twine("operand ") + name + ": base " +
                       llvm::Twine(op.base) + " does not fit 20 bits");
    if (!fitsSigned(op.stride, kStrideBits))
      return makeError(llvm::Twine("operand ") + name + ": stride " +
                       llvm::Twine(op.stride) +
                       " does not fit a signed 12-bit field");
    if (!fitsSigned(op.inc0, kIncBits) || !fitsSigned(op.inc1, kIncBits))
      return makeError(llvm::Twine("operand ") + name + ": loop increments " +
                       llvm::Twine(op.inc0) + ", " + llvm::Twine(op.inc1) +
                       " do not fit signed 14-bit fields");
    word |= field(op.base, kBaseBits, 4) | field(op.stride, kStrideBits, 24) |
            field(op.inc0, kIncBits, 36) | field(op.inc1, kIncBits, 50);
    return llvm::Error::success();
  }
  return makeError(llvm::Twine("operand ") + name + ": invalid kind");
}

llvm::Expected<Operand> decodeOperand(uint64_t word, const char *name) {
  Operand op;
  unsigned kind = word & 3;
  op.kind = OperandKind(kind);
  if (word & 0xc)
    return makeError(llvm::Twine("operand ") + name +
                     ": reserved bits 2-3 are not zero");
  switch (op.kind) {
  case OperandKind::None:
    if (word)
      return makeError(llvm::Twine("operand ") + name +
                       ": unused operand has non-zero bits");
    return op;
  case OperandKind::Port:
    op.base = int64_t((word >> 4) & 0xf);
    if (word >> 8)
      return makeError(llvm::Twine("operand ") + name +
                       ": port operand has non-zero bits above bit 7");
    return op;
  case OperandKind::Imm: {
    if (word & 0xfffffff0u)
      return makeError(llvm::Twine("operand ") + name +
                       ": immediate operand has non-zero bits 4-31");
    uint32_t bits = uint32_t(word >> 32);
    std::memcpy(&op.imm, &bits, 4);
    return op;
  }
  case OperandKind::Mem:
    op.base = int64_t((word >> 4) & ((1u << kBaseBits) - 1));
    op.stride = signedField(word, kStrideBits, 24);
    op.inc0 = signedField(word, kIncBits, 36);
    op.inc1 = signedField(word, kIncBits, 50);
    return op;
  }
  return op;
}

} // namespace

llvm::Expected<std::array<uint8_t, kInstructionBytes>>
bitstream::encodeInstruction(const Instruction &inst) {
  for (auto [value, name] : {std::pair<int64_t, const char *>{inst.n, "n"},
                             {inst.p0, "p0"},
                             {inst.p1, "p1"}})
    if (!fitsUnsigned(value, 16))
      return makeError(llvm::Twine("`") + toString(inst) + "`: field " + name +
                       "=" + llvm::Twine(value) + " does not fit 16 bits");
  uint64_t words[4];
  words[0] = field(int64_t(inst.op), 8, 0) | field(inst.flags, 8, 8) |
             field(inst.n, 16, 16) | field(inst.p0, 16, 32) |
             field(inst.p1, 16, 48);
  const Operand *ops[3] = {&inst.dst, &inst.a, &inst.b};
  const char *names[3] = {"dst", "a", "b"};
  for (int i = 0; i < 3; ++i)
    if (llvm::Error e = encodeOperand(*ops[i], names[i], words[i + 1]))
      return makeError("`" + toString(inst) + "`: " + toString(std::move(e)));
  std::array<uint8_t, kInstructionBytes> bytes;
  for (int i = 0; i < 4; ++i)
    llvm::support::endian::write64le(bytes.data() + 8 * i, words[i]);
  return bytes;
}

llvm::Expected<Instruction>
bitstream::decodeInstruction(llvm::ArrayRef<uint8_t> bytes) {
  if (bytes.size() != kInstructionBytes)
    return makeError("an instruction is 32 bytes, got " +
                     llvm::Twine(bytes.size()));
  uint64_t words[4];
  for (int i = 0; i < 4; ++i)
    words[i] = llvm::support::endian::read64le(bytes.data() + 8 * i);
  Instruction inst;
  uint8_t raw = uint8_t(words[0] & 0xff);
  if (!isValidOpcode(raw))
    return makeError("unknown opcode " + llvm::Twine(unsigned(raw)));
  inst.op = Opcode(raw);
  inst.flags = uint8_t((words[0] >> 8) & 0xff);
  inst.n = int64_t((words[0] >> 16) & 0xffff);
  inst.p0 = int64_t((words[0] >> 32) & 0xffff);
  inst.p1 = int64_t((words[0] >> 48) & 0xffff);
  Operand *ops[3] = {&inst.dst, &inst.a, &inst.b};
  const char *names[3] = {"dst", "a", "b"};
  for (int i = 0; i < 3; ++i) {
    llvm::Expected<Operand> op = decodeOperand(words[i + 1], names[i]);
    if (!op)
      return makeError(llvm::Twine(opcodeName(inst.op)) + ": " +
                       toString(op.takeError()));
    *ops[i] = *op;
  }
  return inst;
}
