//===- Program.h - The in-memory form of a bitstream ------------*- C++ -*-===//
//
// Everything a .bfbin bitstream holds, as plain structs: the arch it was
// compiled for, the global-buffer allocations, constants, the I/O signature
// and the phases (per-PE instruction memories and local-memory images,
// routes, DMA descriptors). The codec and the `dfa` dialect convert to and
// from it field by field, so every field is explicit and nothing is derived.
//
// The instruction set, its timing and its 256-bit encoding are defined in
// docs/architecture.md; the helpers here (beats, latency, flops, encoding,
// printing, verify) are the executable form of that document, shared by the
// simulator, the cost model and the compiler.
//
//===----------------------------------------------------------------------===//

#ifndef BUTTERFLY_BITSTREAM_PROGRAM_H
#define BUTTERFLY_BITSTREAM_PROGRAM_H

#include "butterfly/Arch/Arch.h"
#include "butterfly/Support/Tensor.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace butterfly::bitstream {

/// a + b and a · b, or nothing when they leave int64 (llvm::checkedAdd and
/// checkedMul go through APInt, which the verifier of a program with a
/// million DMAs feels).
inline std::optional<int64_t> checkedAdd(int64_t a, int64_t b) {
  int64_t result;
  if (__builtin_add_overflow(a, b, &result))
    return std::nullopt;
  return result;
}
inline std::optional<int64_t> checkedMul(int64_t a, int64_t b) {
  int64_t result;
  if (__builtin_mul_overflow(a, b, &result))
    return std::nullopt;
  return result;
}

/// Mesh ports per PE in each direction (in0..in3, out0..out3).
constexpr int kNumPorts = 4;
/// Hardware loop stack depth of a PE.
constexpr int kMaxLoopDepth = 4;
/// Most dimensions of a DMA access pattern.
constexpr int kMaxDmaDims = 8;
/// Widest datapath the ISA supports (flit buffers are sized by it).
constexpr int kMaxLanes = 64;
/// Bytes of one encoded instruction (four little-endian 64-bit words).
constexpr int kInstructionBytes = 32;

//===----------------------------------------------------------------------===//
// Instructions
//===----------------------------------------------------------------------===//

enum class Opcode : uint8_t {
  Nop = 0,
  Halt = 1,
  Barrier = 2,
  Loop = 3, ///< p0 = count, p1 = body length (the next p1 instructions)
  Mov = 8,  ///< dst = a (recv / send / forward / copy)
  BitRev = 9,
  VAdd = 16,
  VSub = 17,
  VMul = 18,
  VMax = 19,
  VMin = 20,
  VFma = 21, ///< dst += a * b
  VExp = 32,
  VRcp = 33,
  VRsqrt = 34,
  VTanh = 35,
  VErf = 36,
  ReduceSum = 48,
  ReduceMax = 49,
  Bfly = 64, ///< p0 = pair stride (elements)
  Gemm = 65, ///< p0 = m, n = n, p1 = k
};

/// Instruction flag bits (Instruction::flags); which apply depends on the op.
namespace flag {
constexpr uint8_t Complex = 1;  ///< bfly, bitrev: elements are (re, im)
constexpr uint8_t PerPair = 2;  ///< bfly: one twiddle entry per pair
constexpr uint8_t Matrix = 4;   ///< bfly: 2x2 matrix instead of radix-2 w
constexpr uint8_t GemmInit = 1; ///< gemm: acc = a*b instead of acc += a*b
} // namespace flag

enum class OperandKind : uint8_t { None = 0, Mem = 1, Port = 2, Imm = 3 };

/// One operand. Mem: element e of iteration (i0 of the innermost enclosing
/// loop, i1 of the next one) is at word base + inc0*i0 + inc1*i1 + e*stride
/// (stride 0 broadcasts one word). Port: a source names one in-port (base =
/// index), a destination a set of out-ports (base = bit mask). Imm: a
/// broadcast fp32 constant. Unused fields are zero (canonical form).
struct Operand {
  OperandKind kind = OperandKind::None;
  int64_t base = 0;
  int64_t stride = 0;
  int64_t inc0 = 0;
  int64_t inc1 = 0;
  float imm = 0;

  static Operand none() { return {}; }
  static Operand mem(int64_t base, int64_t stride = 1, int64_t inc0 = 0,
                     int64_t inc1 = 0) {
    return {OperandKind::Mem, base, stride, inc0, inc1, 0};
  }
  /// A source read from in-port \p index.
  static Operand in(int64_t index) {
    return {OperandKind::Port, index, 0, 0, 0, 0};
  }
  /// A destination written to out-port \p index.
  static Operand out(int64_t index) {
    return {OperandKind::Port, int64_t(1) << index, 0, 0, 0, 0};
  }
  /// A destination written to every out-port in \p mask (PE multicast).
  static Operand outMask(int64_t mask) {
    return {OperandKind::Port, mask, 0, 0, 0, 0};
  }
  static Operand immediate(float value) {
    return {OperandKind::Imm, 0, 0, 0, 0, value};
  }

  bool isMem() const { return kind == OperandKind::Mem; }
  bool isPort() const { return kind == OperandKind::Port; }
  bool isImm() const { return kind == OperandKind::Imm; }
  bool isNone() const { return kind == OperandKind::None; }
  bool operator==(const Operand &other) const;
  bool operator!=(const Operand &other) const { return !(*this == other); }
};

struct Instruction {
  Opcode op = Opcode::Nop;
  uint8_t flags = 0;
  int64_t n = 0;
  int64_t p0 = 0;
  int64_t p1 = 0;
  Operand dst, a, b;

  static Instruction nop() { return {}; }
  static Instruction halt();
  static Instruction barrier();
  static Instruction loop(int64_t count, int64_t bodyLength);
  static Instruction mov(Operand dst, Operand src, int64_t n);
  /// vadd/vsub/vmul/vmax/vmin/vfma.
  static Instruction binary(Opcode op, Operand dst, Operand a, Operand b,
                            int64_t n);
  /// vexp/vrcp/vrsqrt/vtanh/verf.
  static Instruction unary(Opcode op, Operand dst, Operand a, int64_t n);
  /// reduce.sum / reduce.max of n elements into one.
  static Instruction reduce(Opcode op, Operand dst, Operand a, int64_t n);
  /// One butterfly stage over a block of n elements with pair distance
  /// \p stride; \p flags from flag::Complex|PerPair|Matrix.
  static Instruction bfly(Operand dst, Operand data, Operand twiddles,
                          int64_t n, int64_t stride, uint8_t flags);
  static Instruction bitrev(Operand dst, Operand src, int64_t n, bool complex);
  /// acc[m x n] (+)= a[m x k] * b[k x n], all row-major.
  static Instruction gemm(Operand acc, Operand a, Operand b, int64_t m,
                          int64_t n, int64_t k, bool init);

  bool operator==(const Instruction &other) const;
  bool operator!=(const Instruction &other) const { return !(*this == other); }
};

/// The assembly mnemonic, e.g. "vadd", "reduce.sum", "bfly".
const char *opcodeName(Opcode op);
/// True for the opcodes listed above.
bool isValidOpcode(uint8_t raw);
/// Prints \p inst in the assembly syntax of docs/architecture.md, e.g.
/// "vadd lm[0], in0, #1.5 n=16".
void print(llvm::raw_ostream &os, const Instruction &inst);
std::string toString(const Instruction &inst);

/// Words per element of the ops' data (2 for complex bfly/bitrev, else 1).
int64_t wordsPerElement(const Instruction &inst);
/// Datapath beats of \p inst on a datapath of \p lanes lanes (0 for control
/// instructions). One beat takes one cycle, times the bank-conflict factor.
int64_t beatCount(const Instruction &inst, int64_t lanes);
/// Pipeline latency added after the last beat.
int64_t latencyCycles(const Instruction &inst, const arch::Arch &arch);
/// fp32 operations performed (an fma counts as 2).
int64_t flopCount(const Instruction &inst);
/// Datapath lane-operations, the unit of the fp-op energy.
int64_t laneOpCount(const Instruction &inst, int64_t lanes);
/// Words an operand of \p inst covers (its elements, except for complex
/// bfly/bitrev data where an element is two words); \p which is 0 (dst),
/// 1 (a) or 2 (b). A Mem operand touches base + e*stride, e < that count.
int64_t operandWords(const Instruction &inst, int which);

/// The 256-bit encoding (docs/architecture.md). Fails when a field does not
/// fit its bit width.
llvm::Expected<std::array<uint8_t, kInstructionBytes>>
encodeInstruction(const Instruction &inst);
/// Decodes 32 bytes; rejects unknown opcodes and operand kinds, non-zero
/// reserved bits and non-canonical unused fields.
llvm::Expected<Instruction> decodeInstruction(llvm::ArrayRef<uint8_t> bytes);

//===----------------------------------------------------------------------===//
// Routes, DMAs, phases, program
//===----------------------------------------------------------------------===//

/// A router position. PEs are (row, col) with 0 <= row < rows and
/// 0 <= col < cols; the global buffer's edge ports are the nodes (row, -1)
/// (west edge) and (-1, col) (north edge).
struct Node {
  int64_t row = 0;
  int64_t col = 0;
  bool operator==(const Node &o) const { return row == o.row && col == o.col; }
  bool operator!=(const Node &o) const { return !(*this == o); }
};

/// A stream end: a PE port (out-port as a source, in-port as a destination)
/// or an edge port (port must be 0).
struct Endpoint {
  Node node;
  int64_t port = 0;
  bool operator==(const Endpoint &o) const {
    return node == o.node && port == o.port;
  }
  bool operator!=(const Endpoint &o) const { return !(*this == o); }
};

/// One directed mesh or express link.
struct Link {
  Node from, to;
  bool operator==(const Link &o) const { return from == o.from && to == o.to; }
  bool operator!=(const Link &o) const { return !(*this == o); }
};

/// A circuit-switched stream: the links form a tree rooted at src.node that
/// reaches every destination node.
struct Route {
  Endpoint src;
  std::vector<Endpoint> dsts;
  std::vector<Link> links;
  bool operator==(const Route &o) const;
  bool operator!=(const Route &o) const { return !(*this == o); }
};

enum class DmaKind : uint8_t {
  DramToGb = 0,
  GbToDram = 1,
  GbToEdge = 2,
  EdgeToGb = 3
};
const char *dmaKindName(DmaKind kind);

/// One dimension of a DMA pattern; strides in words (may be 0 or negative).
struct DmaDim {
  int64_t size = 1;
  int64_t dramStride = 0;
  int64_t gbStride = 0;
  bool operator==(const DmaDim &o) const {
    return size == o.size && dramStride == o.dramStride &&
           gbStride == o.gbStride;
  }
  bool operator!=(const DmaDim &o) const { return !(*this == o); }
};

/// A DMA: element (i_0, ..., i_{d-1}) (dims[0] outermost) moves between
/// dram[dramAddr + sum i_j*dramStride_j] and gb[gbAddr + sum i_j*gbStride_j],
/// or, for the edge kinds, between gb[...] and the stream of the edge port
/// `edge` (lanes elements per flit, in pattern order). It starts once every
/// DMA in waitFor (earlier indices of the same phase) has finished.
struct Dma {
  static Dma make(DmaKind kind, int64_t dramAddr, int64_t gbAddr, Node edge,
                  std::vector<DmaDim> dims, std::vector<int64_t> waitFor = {});

  DmaKind kind = DmaKind::DramToGb;
  int64_t dramAddr = 0; ///< 0 for the edge kinds
  int64_t gbAddr = 0;
  Node edge; ///< (0, 0) for the DRAM kinds
  std::vector<DmaDim> dims;
  std::vector<int64_t> waitFor;
  bool operator==(const Dma &o) const;
  bool operator!=(const Dma &o) const { return !(*this == o); }
};

/// Words written into a PE's local memory when its phase is configured.
struct MemInit {
  int64_t addr = 0;
  std::vector<float> data;
  bool operator==(const MemInit &o) const;
  bool operator!=(const MemInit &o) const { return !(*this == o); }
};

/// One PE's configuration in a phase. PEs without one are idle.
struct PeProgram {
  int64_t row = 0;
  int64_t col = 0;
  std::vector<Instruction> instructions;
  std::vector<MemInit> memInit;
  bool operator==(const PeProgram &o) const;
  bool operator!=(const PeProgram &o) const { return !(*this == o); }
};

/// One configuration epoch of the array.
struct Phase {
  std::string name;
  std::vector<PeProgram> pes;
  std::vector<Route> routes;
  std::vector<Dma> dmas;
  bool operator==(const Phase &o) const;
  bool operator!=(const Phase &o) const { return !(*this == o); }
};

/// A global-buffer allocation, in words.
struct GbBuffer {
  std::string name;
  int64_t offset = 0;
  int64_t size = 0;
  bool operator==(const GbBuffer &o) const {
    return name == o.name && offset == o.offset && size == o.size;
  }
  bool operator!=(const GbBuffer &o) const { return !(*this == o); }
};

enum class MemSpace : uint8_t { Dram = 0, Gb = 1 };

/// Data placed in DRAM or the global buffer when the program is loaded
/// (weights, twiddles).
struct Constant {
  std::string name;
  MemSpace space = MemSpace::Dram;
  int64_t addr = 0;
  std::vector<float> data;
  bool operator==(const Constant &o) const;
  bool operator!=(const Constant &o) const { return !(*this == o); }
};

/// An input or output tensor: row-major at dramAddr (complex interleaved).
struct TensorSig {
  std::string name;
  ElementKind dtype = ElementKind::F32;
  std::vector<int64_t> shape;
  int64_t dramAddr = 0;
  /// Words the tensor occupies in DRAM, or -1 when a dimension is negative
  /// or the count does not fit int64 (verify() rejects both).
  int64_t words() const;
  bool operator==(const TensorSig &o) const;
  bool operator!=(const TensorSig &o) const { return !(*this == o); }
};

struct Program {
  std::string name;
  /// arch::Arch::fingerprint() of `arch` (checked by the bitstream reader).
  uint64_t archFingerprint = 0;
  /// The arch the program was compiled for.
  arch::Arch arch;
  /// DRAM words the program uses (inputs, outputs, constants, scratch).
  int64_t dramWords = 0;
  std::vector<GbBuffer> buffers;
  std::vector<Constant> constants;
  std::vector<TensorSig> inputs;
  std::vector<TensorSig> outputs;
  std::vector<Phase> phases;
  bool operator==(const Program &o) const;
  bool operator!=(const Program &o) const { return !(*this == o); }
};

/// Field-by-field equality of two archs (every parameter, energy included).
bool archEquals(const arch::Arch &a, const arch::Arch &b);

/// Bytes the configuration network loads to switch to \p phase.
int64_t configBytes(const Phase &phase);

/// "PE(1,2)", "west edge 1" / "north edge 3" for edge nodes.
std::string nodeName(const Node &node);
/// "(1,2)" or "(1,-1)".
std::string nodeCoords(const Node &node);

/// Checks \p program against \p arch: arch compatibility, instruction slots
/// (a loop body counts once), loop structure, operand kinds and ranges over
/// every loop iteration, ports, local memory, routes (links exist, are
/// contiguous, reach every destination, one stream per link direction per
/// phase), DMAs, global-buffer capacity and DRAM ranges. All problems are
/// reported, one per line, each naming the phase, PE (row, col), link or
/// DMA.
llvm::Error verify(const Program &program, const arch::Arch &arch);

} // namespace butterfly::bitstream

#endif // BUTTERFLY_BITSTREAM_PROGRAM_H
