//===- Codec.cpp - The .bfbin bitstream reader and writer -------*- C++ -*-===//
//
// docs/bitstream.md is the byte-by-byte specification this file implements.
//
// The writer serializes every field of the Program in a fixed order with no
// padding, so its output is a pure function of the Program. It rejects the
// values that would not read back equal (fields too wide for the instruction
// encoding, non-canonical instructions, out-of-range enums), which is what
// makes read(write(P)) == P hold for everything it accepts.
//
// The reader treats its input as hostile. Magic, version and the declared
// file size come first (they say how to read the rest and distinguish a
// truncated file from a corrupted one), then the CRC, so that a flipped bit
// anywhere else is reported as a CRC mismatch instead of as whatever field it
// happened to land in. Every field is still bounds-checked afterwards: a
// crafted file with a valid CRC must not crash or allocate more than its own
// size warrants, so each count is checked against the bytes left in its
// section before anything is allocated for it.
//
//===----------------------------------------------------------------------===//

#include "butterfly/Bitstream/Codec.h"

#include "llvm/ADT/STLExtras.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/Twine.h"
#include "llvm/Support/CRC.h"
#include "llvm/Support/Endian.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/MathExtras.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>
#include <cstring>
#include <limits>

using namespace butterfly;
using namespace butterfly::bitstream;
using llvm::StringRef;
using llvm::Twine;

namespace {

namespace endian = llvm::support::endian;

constexpr SectionKind kSectionOrder[] = {
    SectionKind::Arch,      SectionKind::Program,   SectionKind::Buffers,
    SectionKind::Constants, SectionKind::Signature, SectionKind::Phases};
constexpr uint32_t kNumSections = 6;
constexpr uint64_t kCrcBytes = 4;
constexpr uint64_t kTableBytes = kSectionEntryBytes * kNumSections;
constexpr uint64_t kMinFileBytes = kBitstreamHeaderBytes + kCrcBytes;

// Smallest encodings of the variable-size records, used to bound a declared
// count by the bytes left before anything is allocated for it.
constexpr uint64_t kMinStringBytes = 4;
constexpr uint64_t kMinBufferBytes = kMinStringBytes + 8 + 8;
constexpr uint64_t kMinConstantBytes = kMinStringBytes + 1 + 8 + 4;
constexpr uint64_t kMinTensorSigBytes = kMinStringBytes + 1 + 4 + 8;
constexpr uint64_t kMinPhaseBytes = kMinStringBytes + 4 + 4 + 4;
constexpr uint64_t kMinPeBytes = 8 + 8 + 4 + 4;
constexpr uint64_t kMinMemInitBytes = 8 + 4;
constexpr uint64_t kEndpointBytes = 3 * 8;
constexpr uint64_t kLinkBytes = 4 * 8;
constexpr uint64_t kMinRouteBytes = kEndpointBytes + 4 + 4;
constexpr uint64_t kMinDmaBytes = 1 + 8 + 8 + 16 + 4 + 4;
constexpr uint64_t kDmaDimBytes = 3 * 8;

llvm::Error makeError(const Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

std::string hex32(uint32_t v) {
  std::string s;
  llvm::raw_string_ostream(s) << llvm::format_hex(v, 10);
  return s;
}

std::string hex64(uint64_t v) {
  std::string s;
  llvm::raw_string_ostream(s) << llvm::format_hex(v, 18);
  return s;
}

std::string peName(int64_t row, int64_t col) {
  return "PE" + nodeCoords(Node{row, col});
}

/// Words of a tensor of \p shape, or false when a dimension is negative or
/// the product does not fit int64 (TensorSig::words() would overflow).
bool tensorWords(const std::vector<int64_t> &shape, ElementKind dtype,
                 int64_t &words) {
  words = dtype == ElementKind::Complex64 ? 2 : 1;
  for (int64_t d : shape) {
    if (d < 0)
      return false;
    int64_t product;
    if (llvm::MulOverflow(words, d, product))
      return false;
    words = product;
  }
  return true;
}

/// Visits every field of arch::Arch in the order the arch section stores
/// them. The writer and the reader share it, so the two cannot disagree on
/// the layout; \p A is `const arch::Arch` for the writer.
template <typename IO, typename A> void visitArch(IO &io, A &a) {
  io.archString(a.name, "name");
  io.archI64(a.rows, "rows");
  io.archI64(a.cols, "cols");
  io.archF64(a.clockHz, "clockHz");
  io.archI64(a.lanes, "lanes");
  io.archI64(a.imemSlots, "imemSlots");
  io.archI64(a.localMemBytes, "localMemBytes");
  io.archI64(a.localMemBanks, "localMemBanks");
  io.archI64(a.fifoDepth, "fifoDepth");
  io.archBool(a.nocExpress, "nocExpress");
  io.archI64(a.expressMaxLog2, "expressMaxLog2");
  io.archI64(a.gbBytes, "gbBytes");
  io.archI64(a.gbBanks, "gbBanks");
  io.archF64(a.dramGBps, "dramGBps");
  io.archF64(a.dramLatencyNs, "dramLatencyNs");
  io.archI64(a.configBytesPerCycle, "configBytesPerCycle");
  io.archI64(a.expLatency, "expLatency");
  io.archI64(a.rcpLatency, "rcpLatency");
  io.archI64(a.rsqrtLatency, "rsqrtLatency");
  io.archI64(a.aluLatency, "aluLatency");
  io.archF64(a.energy.fpOpPj, "energy.fpOpPj");
  io.archF64(a.energy.localMemAccessPj, "energy.localMemAccessPj");
  io.archF64(a.energy.gbAccessPerFlitPj, "energy.gbAccessPerFlitPj");
  io.archF64(a.energy.nocHopPerFlitPj, "energy.nocHopPerFlitPj");
  io.archF64(a.energy.dramPerBytePj, "energy.dramPerBytePj");
  io.archF64(a.energy.leakagePerPeCyclePj, "energy.leakagePerPeCyclePj");
  io.archF64(a.energy.configPerBytePj, "energy.configPerBytePj");
  io.archString(a.energy.source, "energy.source");
}

//===----------------------------------------------------------------------===//
// Writer
//===----------------------------------------------------------------------===//

/// Appends little-endian fields to a byte string. The first error is kept
/// and later ones dropped: after one, the output is discarded anyway.
class Sink {
public:
  std::string out;
  std::string error;

  void fail(const Twine &message) {
    if (error.empty())
      error = message.str();
  }

  void u8(uint8_t v) { out.push_back(char(v)); }
  void u16(uint16_t v) { put<uint16_t>(v); }
  void u32(uint32_t v) { put<uint32_t>(v); }
  void u64(uint64_t v) { put<uint64_t>(v); }
  void i64(int64_t v) { put<uint64_t>(uint64_t(v)); }
  void f32(float v) {
    uint32_t bits;
    std::memcpy(&bits, &v, 4);
    u32(bits);
  }
  void f64(double v) {
    uint64_t bits;
    std::memcpy(&bits, &v, 8);
    u64(bits);
  }
  void bytes(llvm::ArrayRef<uint8_t> b) { out.append(b.begin(), b.end()); }

  /// A u32 element count.
  void count(size_t n, const Twine &what) {
    if (uint64_t(n) > std::numeric_limits<uint32_t>::max())
      fail(what + " has " + Twine(uint64_t(n)) +
           " entries, more than the format's 2^32-1");
    u32(uint32_t(n));
  }
  /// A u32 byte length followed by the bytes.
  void string(StringRef s, const Twine &what) {
    count(s.size(), what);
    out.append(s.data(), s.size());
  }
  void floats(const std::vector<float> &data, const Twine &what) {
    count(data.size(), what);
    for (float f : data)
      f32(f);
  }

  // The visitArch interface.
  void archString(const std::string &s, const char *field) {
    string(s, Twine("arch field ") + field);
  }
  void archI64(const int64_t &v, const char *) { i64(v); }
  void archBool(const bool &v, const char *) { u8(v ? 1 : 0); }
  void archF64(const double &v, const char *field) {
    // NaN would make the Program unequal to itself, and JSON (where archs
    // come from) cannot express either; keep the format to finite values.
    if (!std::isfinite(v))
      fail(Twine("arch field ") + field + " is not finite");
    f64(v);
  }

private:
  template <typename T> void put(T v) {
    char buf[sizeof(T)];
    endian::write<T, llvm::endianness::little>(buf, v);
    out.append(buf, sizeof(T));
  }
};

void writeArchSection(Sink &s, const arch::Arch &arch) { visitArch(s, arch); }

void writeProgramSection(Sink &s, const Program &p) {
  s.string(p.name, "program name");
  s.i64(p.dramWords);
}

void writeBuffersSection(Sink &s, const Program &p) {
  s.count(p.buffers.size(), "the buffer list");
  for (const GbBuffer &b : p.buffers) {
    s.string(b.name, "buffer name");
    s.i64(b.offset);
    s.i64(b.size);
  }
}

void writeConstantsSection(Sink &s, const Program &p) {
  s.count(p.constants.size(), "the constant list");
  for (const Constant &c : p.constants) {
    s.string(c.name, "constant name");
    if (c.space != MemSpace::Dram && c.space != MemSpace::Gb)
      s.fail("constant '" + c.name + "' has an invalid memory space " +
             Twine(unsigned(c.space)));
    s.u8(uint8_t(c.space));
    s.i64(c.addr);
    s.floats(c.data, "constant '" + c.name + "'");
  }
}

void writeTensorSig(Sink &s, const TensorSig &t, const char *role) {
  s.string(t.name, Twine(role) + " name");
  if (t.dtype != ElementKind::F32 && t.dtype != ElementKind::Complex64)
    s.fail(Twine(role) + " '" + t.name + "' has an invalid dtype " +
           Twine(int(t.dtype)));
  s.u8(t.dtype == ElementKind::Complex64 ? 1 : 0);
  int64_t words;
  if (!tensorWords(t.shape, t.dtype, words))
    s.fail(Twine(role) + " '" + t.name +
           "' has a negative dimension or more than 2^63-1 words");
  s.count(t.shape.size(), Twine(role) + " '" + t.name + "' shape");
  for (int64_t d : t.shape)
    s.i64(d);
  s.i64(t.dramAddr);
}

void writeSignatureSection(Sink &s, const Program &p) {
  s.count(p.inputs.size(), "the input list");
  for (const TensorSig &t : p.inputs)
    writeTensorSig(s, t, "input");
  s.count(p.outputs.size(), "the output list");
  for (const TensorSig &t : p.outputs)
    writeTensorSig(s, t, "output");
}

void writeEndpoint(Sink &s, const Endpoint &e) {
  s.i64(e.node.row);
  s.i64(e.node.col);
  s.i64(e.port);
}

void writeInstruction(Sink &s, const Instruction &inst, const Twine &where) {
  llvm::Expected<std::array<uint8_t, kInstructionBytes>> bytes =
      encodeInstruction(inst);
  if (!bytes) {
    s.fail(where + ": " + llvm::toString(bytes.takeError()));
    s.bytes(std::array<uint8_t, kInstructionBytes>{});
    return;
  }
  // The encoding drops fields that the operand kind does not use (a port's
  // stride, a memory operand's immediate); such an instruction would read
  // back different, so it is refused rather than silently changed.
  llvm::Expected<Instruction> back = decodeInstruction(*bytes);
  if (!back)
    s.fail(where + ": `" + toString(inst) +
           "` does not decode: " + llvm::toString(back.takeError()));
  else if (*back != inst)
    s.fail(where + ": `" + toString(inst) +
           "` is not in canonical form (fields its opcode or operand kinds "
           "do not use must be zero)");
  s.bytes(*bytes);
}

void writePhasesSection(Sink &s, const Program &p) {
  s.count(p.phases.size(), "the phase list");
  for (size_t pi = 0; pi < p.phases.size(); ++pi) {
    const Phase &ph = p.phases[pi];
    std::string where = "phase " + std::to_string(pi) + " ('" + ph.name + "')";
    s.string(ph.name, where + " name");
    s.count(ph.pes.size(), where + " PE list");
    for (const PeProgram &pe : ph.pes) {
      std::string peWhere = where + ", " + peName(pe.row, pe.col);
      s.i64(pe.row);
      s.i64(pe.col);
      s.count(pe.instructions.size(), peWhere + " instruction list");
      for (size_t i = 0; i < pe.instructions.size(); ++i)
        writeInstruction(s, pe.instructions[i],
                         peWhere + ", instruction " + Twine(i));
      s.count(pe.memInit.size(), peWhere + " memory-init list");
      for (const MemInit &init : pe.memInit) {
        s.i64(init.addr);
        s.floats(init.data, peWhere + " memory-init block");
      }
    }
    s.count(ph.routes.size(), where + " route list");
    for (size_t r = 0; r < ph.routes.size(); ++r) {
      const Route &route = ph.routes[r];
      writeEndpoint(s, route.src);
      s.count(route.dsts.size(),
              where + " route " + Twine(r) + " destinations");
      for (const Endpoint &e : route.dsts)
        writeEndpoint(s, e);
      s.count(route.links.size(), where + " route " + Twine(r) + " links");
      for (const Link &l : route.links) {
        s.i64(l.from.row);
        s.i64(l.from.col);
        s.i64(l.to.row);
        s.i64(l.to.col);
      }
    }
    s.count(ph.dmas.size(), where + " DMA list");
    for (size_t d = 0; d < ph.dmas.size(); ++d) {
      const Dma &dma = ph.dmas[d];
      if (uint8_t(dma.kind) > uint8_t(DmaKind::EdgeToGb))
        s.fail(where + " DMA " + Twine(d) + " has an invalid kind " +
               Twine(unsigned(dma.kind)));
      s.u8(uint8_t(dma.kind));
      s.i64(dma.dramAddr);
      s.i64(dma.gbAddr);
      s.i64(dma.edge.row);
      s.i64(dma.edge.col);
      s.count(dma.dims.size(), where + " DMA " + Twine(d) + " dimensions");
      for (const DmaDim &dim : dma.dims) {
        s.i64(dim.size);
        s.i64(dim.dramStride);
        s.i64(dim.gbStride);
      }
      s.count(dma.waitFor.size(), where + " DMA " + Twine(d) + " wait list");
      for (int64_t w : dma.waitFor)
        s.i64(w);
    }
  }
}

//===----------------------------------------------------------------------===//
// Reader
//===----------------------------------------------------------------------===//

/// Reads little-endian fields from one section, [pos, end) of the file.
/// Every read is bounds-checked; the first failure is recorded (with the
/// file name, section and offset) and every later read returns zero, so that
/// parsing code can check ok() once per record instead of after every field.
class Cursor {
public:
  Cursor(StringRef file, StringRef name, SectionKind section, uint64_t begin,
         uint64_t end, std::string &error)
      : file(file), name(name), section(sectionKindName(section)), pos(begin),
        end(end), error(error) {}

  bool ok() const { return error.empty(); }
  uint64_t offset() const { return pos; }
  uint64_t remaining() const { return end - pos; }
  bool atEnd() const { return pos == end; }
  const char *sectionName() const { return section; }

  void fail(const Twine &message) {
    if (error.empty())
      error = (name + ": " + message).str();
  }
  /// An out-of-range value of the field that started at \p at.
  void bad(uint64_t at, const Twine &message) {
    fail(message + " (" + section + " section, offset " + Twine(at) + ")");
  }

  /// True when \p n more bytes are present; otherwise records a truncation.
  bool need(uint64_t n, const Twine &what) {
    if (!ok())
      return false;
    if (n <= remaining())
      return true;
    fail("truncated: " + what + " needs " + Twine(n) + " bytes but only " +
         Twine(remaining()) + " remain in the " + section +
         " section at offset " + Twine(pos));
    return false;
  }

  uint8_t u8(const Twine &what) { return get<uint8_t>(what); }
  uint32_t u32(const Twine &what) { return get<uint32_t>(what); }
  uint64_t u64(const Twine &what) { return get<uint64_t>(what); }
  int64_t i64(const Twine &what) { return int64_t(get<uint64_t>(what)); }
  double f64(const Twine &what) {
    uint64_t bits = u64(what);
    double v;
    std::memcpy(&v, &bits, 8);
    return v;
  }
  llvm::ArrayRef<uint8_t> bytes(uint64_t n, const Twine &what) {
    if (!need(n, what))
      return {};
    llvm::ArrayRef<uint8_t> r(
        reinterpret_cast<const uint8_t *>(file.data()) + pos, n);
    pos += n;
    return r;
  }

  /// Reads a u32 count of records of at least \p bytesEach bytes (exactly,
  /// when \p exact) and checks that they can fit in what remains of the
  /// section, so that no allocation is ever sized by an unchecked count.
  /// u32 * a small record size cannot overflow the u64 product.
  uint32_t count(const Twine &owner, const Twine &items, uint64_t bytesEach,
                 bool exact) {
    uint32_t n = u32(owner + " " + items + " count");
    if (!ok())
      return 0;
    uint64_t bytesNeeded = uint64_t(n) * bytesEach;
    if (bytesNeeded > remaining()) {
      fail("truncated: " + owner + " declares " + Twine(n) + " " + items +
           " (" + (exact ? "" : "at least ") + Twine(bytesNeeded) +
           " bytes) but only " + Twine(remaining()) + " bytes remain in the " +
           section + " section at offset " + Twine(pos));
      return 0;
    }
    return n;
  }

  std::string string(const Twine &what) {
    uint32_t n = u32(what + " length");
    llvm::ArrayRef<uint8_t> b = bytes(n, what);
    return std::string(b.begin(), b.end());
  }

  std::vector<float> floats(const Twine &owner, const Twine &items) {
    uint32_t n = count(owner, items, 4, /*exact=*/true);
    std::vector<float> data(n);
    const char *p = file.data() + pos;
    for (uint32_t i = 0; i < n; ++i) {
      uint32_t bits = endian::read32le(p + 4 * size_t(i));
      std::memcpy(&data[i], &bits, 4);
    }
    pos += uint64_t(n) * 4;
    return data;
  }

  // The visitArch interface.
  void archString(std::string &s, const char *field) {
    s = string(Twine("arch field ") + field);
  }
  void archI64(int64_t &v, const char *field) {
    v = i64(Twine("arch field ") + field);
  }
  void archBool(bool &v, const char *field) {
    uint64_t at = pos;
    uint8_t raw = u8(Twine("arch field ") + field);
    if (raw > 1)
      bad(at, Twine("arch field ") + field + " is " + Twine(unsigned(raw)) +
                  ", not a bool (0 or 1)");
    v = raw == 1;
  }
  void archF64(double &v, const char *field) {
    uint64_t at = pos;
    v = f64(Twine("arch field ") + field);
    if (ok() && !std::isfinite(v))
      bad(at, Twine("arch field ") + field + " is not a finite number");
  }

private:
  StringRef file;
  StringRef name;
  const char *section;
  uint64_t pos, end;
  std::string &error;

  template <typename T> T get(const Twine &what) {
    if (!need(sizeof(T), what))
      return 0;
    T v = endian::read<T, llvm::endianness::little>(file.data() + pos);
    pos += sizeof(T);
    return v;
  }
};

void readProgramSection(Cursor &c, Program &p) {
  p.name = c.string("the program name");
  p.dramWords = c.i64("dramWords");
}

void readBuffersSection(Cursor &c, Program &p) {
  uint32_t n = c.count("the buffer list", "buffers", kMinBufferBytes, false);
  p.buffers.reserve(n);
  for (uint32_t i = 0; i < n && c.ok(); ++i) {
    std::string what = "buffer " + std::to_string(i);
    GbBuffer b;
    b.name = c.string(what + " name");
    b.offset = c.i64(what + " offset");
    b.size = c.i64(what + " size");
    p.buffers.push_back(std::move(b));
  }
}

void readConstantsSection(Cursor &c, Program &p) {
  uint32_t n =
      c.count("the constant list", "constants", kMinConstantBytes, false);
  p.constants.reserve(n);
  for (uint32_t i = 0; i < n && c.ok(); ++i) {
    std::string what = "constant " + std::to_string(i);
    Constant k;
    k.name = c.string(what + " name");
    uint64_t at = c.offset();
    uint8_t space = c.u8(what + " memory space");
    if (space > uint8_t(MemSpace::Gb))
      c.bad(at, what + " ('" + k.name + "') has memory space " +
                    Twine(unsigned(space)) + " (expected 0 = dram, 1 = gb)");
    k.space = MemSpace(space);
    k.addr = c.i64(what + " address");
    k.data = c.floats(what, "words");
    p.constants.push_back(std::move(k));
  }
}

void readTensorSigs(Cursor &c, std::vector<TensorSig> &sigs, const char *role) {
  uint32_t n = c.count(Twine("the ") + role + " list", Twine(role) + "s",
                       kMinTensorSigBytes, false);
  sigs.reserve(n);
  for (uint32_t i = 0; i < n && c.ok(); ++i) {
    std::string what = role + (" " + std::to_string(i));
    TensorSig t;
    t.name = c.string(what + " name");
    uint64_t at = c.offset();
    uint8_t dtype = c.u8(what + " dtype");
    if (dtype > 1)
      c.bad(at, what + " ('" + t.name + "') has dtype " +
                    Twine(unsigned(dtype)) +
                    " (expected 0 = float32, 1 = complex64)");
    t.dtype = dtype == 1 ? ElementKind::Complex64 : ElementKind::F32;
    uint32_t rank = c.count(what, "dimensions", 8, true);
    at = c.offset();
    for (uint32_t d = 0; d < rank; ++d)
      t.shape.push_back(c.i64(what + " dimension"));
    int64_t words;
    if (c.ok() && !tensorWords(t.shape, t.dtype, words))
      c.bad(at, what + " ('" + t.name +
                    "') has a negative dimension or more than 2^63-1 words");
    t.dramAddr = c.i64(what + " DRAM address");
    sigs.push_back(std::move(t));
  }
}

void readSignatureSection(Cursor &c, Program &p) {
  readTensorSigs(c, p.inputs, "input");
  readTensorSigs(c, p.outputs, "output");
}

Endpoint readEndpoint(Cursor &c, const Twine &what) {
  Endpoint e;
  e.node.row = c.i64(what + " row");
  e.node.col = c.i64(what + " column");
  e.port = c.i64(what + " port");
  return e;
}

void readPe(Cursor &c, const std::string &where, PeProgram &pe) {
  pe.row = c.i64(where + " PE row");
  pe.col = c.i64(where + " PE column");
  std::string pen = peName(pe.row, pe.col);
  uint32_t ni = c.count(where, "instructions for " + pen, kInstructionBytes,
                        /*exact=*/true);
  pe.instructions.reserve(ni);
  for (uint32_t i = 0; i < ni && c.ok(); ++i) {
    uint64_t at = c.offset();
    llvm::ArrayRef<uint8_t> raw = c.bytes(kInstructionBytes, "an instruction");
    llvm::Expected<Instruction> inst = decodeInstruction(raw);
    if (!inst) {
      c.bad(at, where + ", " + pen + ", instruction " + Twine(i) + ": " +
                    llvm::toString(inst.takeError()));
      break;
    }
    // decodeInstruction rejects non-canonical encodings; re-encoding makes
    // sure that whatever it accepts writes back to the same bytes.
    llvm::Expected<std::array<uint8_t, kInstructionBytes>> again =
        encodeInstruction(*inst);
    if (!again || std::memcmp(again->data(), raw.data(), kInstructionBytes)) {
      if (!again)
        llvm::consumeError(again.takeError());
      c.bad(at, where + ", " + pen + ", instruction " + Twine(i) +
                    ": not a canonical encoding");
      break;
    }
    pe.instructions.push_back(*inst);
  }
  uint32_t nm =
      c.count(where, "memory-init blocks for " + pen, kMinMemInitBytes, false);
  pe.memInit.reserve(nm);
  for (uint32_t i = 0; i < nm && c.ok(); ++i) {
    MemInit init;
    init.addr = c.i64(where + " memory-init address");
    init.data = c.floats(where + ", " + pen + ", memory-init block " + Twine(i),
                         "words");
    pe.memInit.push_back(std::move(init));
  }
}

void readRoute(Cursor &c, const std::string &where, Route &route) {
  route.src = readEndpoint(c, where + " source");
  uint32_t nd = c.count(where, "destinations", kEndpointBytes, true);
  route.dsts.reserve(nd);
  for (uint32_t i = 0; i < nd && c.ok(); ++i)
    route.dsts.push_back(readEndpoint(c, where + " destination"));
  uint32_t nl = c.count(where, "links", kLinkBytes, true);
  route.links.reserve(nl);
  for (uint32_t i = 0; i < nl && c.ok(); ++i) {
    Link l;
    l.from.row = c.i64(where + " link");
    l.from.col = c.i64(where + " link");
    l.to.row = c.i64(where + " link");
    l.to.col = c.i64(where + " link");
    route.links.push_back(l);
  }
}

void readDma(Cursor &c, const std::string &where, Dma &dma) {
  uint64_t at = c.offset();
  uint8_t kind = c.u8(where + " kind");
  if (kind > uint8_t(DmaKind::EdgeToGb))
    c.bad(at, where + " has kind " + Twine(unsigned(kind)) +
                  " (expected 0 = dram->gb, 1 = gb->dram, 2 = gb->edge, "
                  "3 = edge->gb)");
  dma.kind = DmaKind(kind);
  dma.dramAddr = c.i64(where + " DRAM address");
  dma.gbAddr = c.i64(where + " GB address");
  dma.edge.row = c.i64(where + " edge row");
  dma.edge.col = c.i64(where + " edge column");
  uint32_t nd = c.count(where, "dimensions", kDmaDimBytes, true);
  dma.dims.reserve(nd);
  for (uint32_t i = 0; i < nd && c.ok(); ++i) {
    DmaDim dim;
    dim.size = c.i64(where + " dimension size");
    dim.dramStride = c.i64(where + " dimension DRAM stride");
    dim.gbStride = c.i64(where + " dimension GB stride");
    dma.dims.push_back(dim);
  }
  uint32_t nw = c.count(where, "wait-for indices", 8, true);
  dma.waitFor.reserve(nw);
  for (uint32_t i = 0; i < nw && c.ok(); ++i)
    dma.waitFor.push_back(c.i64(where + " wait-for index"));
}

void readPhasesSection(Cursor &c, Program &p) {
  uint32_t np = c.count("the phase list", "phases", kMinPhaseBytes, false);
  p.phases.reserve(np);
  for (uint32_t pi = 0; pi < np && c.ok(); ++pi) {
    std::string where = "phase " + std::to_string(pi);
    Phase ph;
    ph.name = c.string(where + " name");
    uint32_t npe = c.count(where, "PE programs", kMinPeBytes, false);
    ph.pes.reserve(npe);
    for (uint32_t i = 0; i < npe && c.ok(); ++i) {
      ph.pes.emplace_back();
      readPe(c, where, ph.pes.back());
    }
    uint32_t nr = c.count(where, "routes", kMinRouteBytes, false);
    ph.routes.reserve(nr);
    for (uint32_t i = 0; i < nr && c.ok(); ++i) {
      ph.routes.emplace_back();
      readRoute(c, where + " route " + std::to_string(i), ph.routes.back());
    }
    uint32_t nd = c.count(where, "DMAs", kMinDmaBytes, false);
    ph.dmas.reserve(nd);
    for (uint32_t i = 0; i < nd && c.ok(); ++i) {
      ph.dmas.emplace_back();
      readDma(c, where + " DMA " + std::to_string(i), ph.dmas.back());
    }
    p.phases.push_back(std::move(ph));
  }
}

/// "a 16x16 array with 4 lanes", the summary used in arch-mismatch errors.
std::string archSummary(const arch::Arch &a) {
  return "a " + std::to_string(a.rows) + "x" + std::to_string(a.cols) +
         " array with " + std::to_string(a.lanes) + " lanes";
}

/// The fingerprinted parameters (Arch::fingerprint()) that differ, named by
/// their arch JSON keys: "rows 16 vs 4, cols 16 vs 4".
std::string fingerprintDiff(const arch::Arch &have, const arch::Arch &want) {
  std::string out;
  auto haveParams = arch::fingerprintParameters(have);
  auto wantParams = arch::fingerprintParameters(want);
  for (auto [haveParam, wantParam] : llvm::zip_equal(haveParams, wantParams))
    if (haveParam.second != wantParam.second)
      out += (out.empty() ? "" : ", ") + std::string(haveParam.first) + " " +
             std::to_string(haveParam.second) + " vs " +
             std::to_string(wantParam.second);
  return out;
}

} // namespace

const char *bitstream::sectionKindName(SectionKind kind) {
  switch (kind) {
  case SectionKind::Arch:
    return "arch";
  case SectionKind::Program:
    return "program";
  case SectionKind::Buffers:
    return "buffers";
  case SectionKind::Constants:
    return "constants";
  case SectionKind::Signature:
    return "signature";
  case SectionKind::Phases:
    return "phases";
  }
  return "<invalid>";
}

//===----------------------------------------------------------------------===//
// writeBitstream
//===----------------------------------------------------------------------===//

llvm::Expected<std::string> bitstream::writeBitstream(const Program &program) {
  // The reader checks the header fingerprint against the arch section, and
  // an expected arch against the header; a stale value would make both
  // checks meaningless, so it is refused here rather than written.
  uint64_t fingerprint = program.arch.fingerprint();
  if (program.archFingerprint != fingerprint)
    return makeError("program '" + program.name + "': archFingerprint " +
                     hex64(program.archFingerprint) +
                     " is not the fingerprint of its arch (" +
                     hex64(fingerprint) + ")");

  Sink sections[kNumSections];
  writeArchSection(sections[0], program.arch);
  writeProgramSection(sections[1], program);
  writeBuffersSection(sections[2], program);
  writeConstantsSection(sections[3], program);
  writeSignatureSection(sections[4], program);
  writePhasesSection(sections[5], program);
  for (uint32_t i = 0; i < kNumSections; ++i)
    if (!sections[i].error.empty())
      return makeError(Twine("cannot write the ") +
                       sectionKindName(kSectionOrder[i]) +
                       " section: " + sections[i].error);

  uint64_t fileSize = kBitstreamHeaderBytes + kTableBytes + kCrcBytes;
  for (const Sink &s : sections)
    fileSize += s.out.size();

  Sink file;
  file.out.reserve(fileSize);
  file.out.append(kBitstreamMagic, sizeof(kBitstreamMagic));
  file.u16(kBitstreamVersion);
  file.u16(0); // flags: none defined in version 1
  file.u32(kNumSections);
  file.u64(fingerprint);
  file.u64(fileSize);
  uint64_t offset = kBitstreamHeaderBytes + kTableBytes;
  for (uint32_t i = 0; i < kNumSections; ++i) {
    file.u32(uint32_t(kSectionOrder[i]));
    file.u64(offset);
    file.u64(sections[i].out.size());
    offset += sections[i].out.size();
  }
  for (const Sink &s : sections)
    file.out += s.out;
  file.u32(llvm::crc32(llvm::arrayRefFromStringRef(file.out)));
  return std::move(file.out);
}

//===----------------------------------------------------------------------===//
// readBitstream
//===----------------------------------------------------------------------===//

llvm::Expected<Program> bitstream::readBitstream(StringRef bytes,
                                                 const arch::Arch *expectedArch,
                                                 StringRef name) {
  auto fail = [&](const Twine &message) {
    return makeError(name + ": " + message);
  };
  const uint64_t size = bytes.size();
  const char *data = bytes.data();

  // Identification first: a file that is not a bitstream at all should be
  // told so, whatever its length.
  StringRef magic(kBitstreamMagic, sizeof(kBitstreamMagic));
  if (!magic.starts_with(bytes.take_front(magic.size())))
    return fail("bad magic (expected BFLYBIN)");
  if (size < 10)
    return fail("truncated: " + Twine(size) + " bytes, shorter than the " +
                Twine(kBitstreamHeaderBytes) + "-byte header");
  // The version decides the layout of everything after it (the CRC
  // included), so it is checked before the CRC.
  uint16_t version = endian::read16le(data + 8);
  if (version != kBitstreamVersion)
    return fail("unsupported format version " + Twine(version) +
                " (this reader supports " + Twine(kBitstreamVersion) + ")");
  if (size < kMinFileBytes)
    return fail("truncated: " + Twine(size) + " bytes, shorter than the " +
                Twine(kBitstreamHeaderBytes) + "-byte header and the " +
                Twine(kCrcBytes) + "-byte CRC");
  uint64_t declaredSize = endian::read64le(data + 24);
  if (declaredSize > size)
    return fail("truncated: the header declares " + Twine(declaredSize) +
                " bytes but the file has " + Twine(size));
  if (declaredSize < size)
    return fail(Twine(size - declaredSize) +
                " trailing bytes after the end of the bitstream at offset " +
                Twine(declaredSize) + " (the header declares " +
                Twine(declaredSize) + " bytes)");

  uint32_t storedCrc = endian::read32le(data + size - kCrcBytes);
  uint32_t computedCrc =
      llvm::crc32(llvm::arrayRefFromStringRef(bytes.drop_back(kCrcBytes)));
  if (storedCrc != computedCrc)
    return fail("CRC mismatch: stored " + hex32(storedCrc) + ", computed " +
                hex32(computedCrc) + " (the file is corrupted)");

  uint16_t flags = endian::read16le(data + 10);
  if (flags != 0)
    return fail("unsupported header flags " + hex32(flags) +
                " at offset 10 (format version 1 defines none)");
  uint32_t numSections = endian::read32le(data + 12);
  if (numSections != kNumSections)
    return fail("the header declares " + Twine(numSections) +
                " sections at offset 12; format version 1 has exactly " +
                Twine(kNumSections) +
                " (arch, program, buffers, constants, signature, phases)");
  const uint64_t areaEnd = size - kCrcBytes;
  if (kBitstreamHeaderBytes + kTableBytes > areaEnd)
    return fail("truncated: the " + Twine(kTableBytes) +
                "-byte section table at offset " +
                Twine(kBitstreamHeaderBytes) +
                " does not fit before the CRC "
                "at offset " +
                Twine(areaEnd));

  // The section table: each kind once, in order, back to back from the end
  // of the table to the CRC. Anything else (unknown kinds, gaps, overlaps,
  // reordering) is rejected, which keeps the byte image of a Program unique.
  uint64_t sectionBegin[kNumSections], sectionEnd[kNumSections];
  uint64_t expectedOffset = kBitstreamHeaderBytes + kTableBytes;
  for (uint32_t i = 0; i < kNumSections; ++i) {
    const uint64_t at = kBitstreamHeaderBytes + kSectionEntryBytes * i;
    uint32_t kind = endian::read32le(data + at);
    uint64_t offset = endian::read64le(data + at + 4);
    uint64_t length = endian::read64le(data + at + 12);
    SectionKind want = kSectionOrder[i];
    std::string entry = "section table entry " + std::to_string(i) +
                        " (offset " + std::to_string(at) + ")";
    if (kind < uint32_t(SectionKind::Arch) ||
        kind > uint32_t(SectionKind::Phases))
      return fail("unknown section kind " + Twine(kind) + " in " + entry);
    if (kind != uint32_t(want))
      return fail(entry + " is the " + sectionKindName(SectionKind(kind)) +
                  " section where the " + sectionKindName(want) +
                  " section is expected (each section appears once, in kind "
                  "order)");
    if (offset != expectedOffset)
      return fail(entry + ": the " + sectionKindName(want) +
                  " section starts at offset " + Twine(offset) +
                  ", but the previous one ends at " + Twine(expectedOffset) +
                  " (sections must follow each other without gaps or "
                  "overlap)");
    if (length > areaEnd - offset)
      return fail(entry + ": the " + sectionKindName(want) + " section [" +
                  Twine(offset) + ", +" + Twine(length) +
                  ") extends past the CRC at offset " + Twine(areaEnd));
    sectionBegin[i] = offset;
    sectionEnd[i] = offset + length;
    expectedOffset = offset + length;
  }
  if (expectedOffset != areaEnd)
    return fail(Twine(areaEnd - expectedOffset) +
                " bytes between the end of the phases section at offset " +
                Twine(expectedOffset) + " and the CRC at offset " +
                Twine(areaEnd) + " belong to no section");

  Program program;
  std::string error;
  auto finishSection = [&](Cursor &c) {
    if (c.ok() && !c.atEnd())
      c.fail(Twine(c.remaining()) + " unused bytes at the end of the " +
             c.sectionName() + " section, at offset " + Twine(c.offset()));
    return c.ok();
  };

  {
    Cursor c(bytes, name, SectionKind::Arch, sectionBegin[0], sectionEnd[0],
             error);
    visitArch(c, program.arch);
    if (!finishSection(c))
      return makeError(error);
  }
  program.archFingerprint = endian::read64le(data + 16);
  uint64_t computed = program.arch.fingerprint();
  if (program.archFingerprint != computed)
    return fail("the header's arch fingerprint " +
                hex64(program.archFingerprint) +
                " (offset 16) is not the fingerprint of the arch section's "
                "parameters (" +
                hex64(computed) + ")");
  if (expectedArch) {
    uint64_t want = expectedArch->fingerprint();
    if (want != program.archFingerprint) {
      std::string diff = fingerprintDiff(program.arch, *expectedArch);
      return fail("arch mismatch: the bitstream was compiled for " +
                  archSummary(program.arch) + " (fingerprint " +
                  hex64(program.archFingerprint) + ") but the target is " +
                  archSummary(*expectedArch) + " (" + hex64(want) + "); " +
                  (diff.empty() ? "no compared parameter differs (the "
                                  "fingerprint scheme changed?)"
                                : "differing: " + diff));
    }
  }

  using SectionReader = void (*)(Cursor &, Program &);
  const SectionReader readers[kNumSections - 1] = {
      readProgramSection, readBuffersSection, readConstantsSection,
      readSignatureSection, readPhasesSection};
  for (uint32_t i = 1; i < kNumSections; ++i) {
    Cursor c(bytes, name, kSectionOrder[i], sectionBegin[i], sectionEnd[i],
             error);
    readers[i - 1](c, program);
    if (!finishSection(c))
      return makeError(error);
  }
  return program;
}
