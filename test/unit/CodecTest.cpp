//===- CodecTest.cpp - .bfbin bitstream writer and reader -----------------===//
//
// Round trips of programs that use every opcode, operand kind, route shape
// and DMA kind (equal Program, byte-identical re-write); the header layout of
// docs/bitstream.md; and the reader on hostile input: every truncation, bit
// flips, and crafted files with a valid CRC (wrong version, arch mismatch,
// huge counts, bad enums, broken section tables), each of which must fail
// with a precise message and never crash or allocate by an unchecked count.
//
//===----------------------------------------------------------------------===//

#include "butterfly/Bitstream/Codec.h"

#include "llvm/Support/CRC.h"
#include "llvm/Support/Endian.h"

#include "gtest/gtest.h"

#include <cmath>
#include <cstring>
#include <limits>

using namespace butterfly;
using namespace butterfly::bitstream;
namespace endian = llvm::support::endian;

namespace {

//===----------------------------------------------------------------------===//
// Programs
//===----------------------------------------------------------------------===//

Program withArch(const arch::Arch &a) {
  Program p;
  p.arch = a;
  p.archFingerprint = a.fingerprint();
  return p;
}

arch::Arch smallArch() {
  arch::Arch a;
  a.name = "tiny 4x4";
  a.rows = 4;
  a.cols = 4;
  a.lanes = 8;
  a.imemSlots = 128;
  a.nocExpress = true;
  a.expressMaxLog2 = 2;
  a.clockHz = 1.25e9;
  a.dramGBps = 12.8;
  a.energy.source = "made up for a test \xc2\xb5J";
  return a;
}

/// Every opcode, every operand kind, every bfly/bitrev/gemm flag.
std::vector<Instruction> everyInstruction() {
  using O = Operand;
  std::vector<Instruction> v;
  v.push_back(Instruction::nop());
  v.push_back(Instruction::loop(1000, 3));
  v.push_back(Instruction::mov(O::mem(0), O::in(2), 64));
  v.push_back(Instruction::mov(O::outMask(0xb),
                               O::mem(1048575, -2048, 8191, -8192), 65535));
  v.push_back(Instruction::mov(O::out(3), O::immediate(-0.0f), 4));
  for (Opcode op : {Opcode::VAdd, Opcode::VSub, Opcode::VMul, Opcode::VMax,
                    Opcode::VMin, Opcode::VFma})
    v.push_back(Instruction::binary(op, O::mem(16, 1, 4, -4), O::in(0),
                                    O::immediate(1.5f), 16));
  for (Opcode op : {Opcode::VExp, Opcode::VRcp, Opcode::VRsqrt, Opcode::VTanh,
                    Opcode::VErf})
    v.push_back(Instruction::unary(op, O::out(0), O::mem(32, 0), 8));
  v.push_back(Instruction::reduce(Opcode::ReduceSum, O::mem(7), O::in(1), 32));
  v.push_back(
      Instruction::reduce(Opcode::ReduceMax, O::out(1), O::mem(3, 2), 32));
  for (uint8_t flags = 0; flags < 8; ++flags)
    v.push_back(Instruction::bfly(O::mem(100), O::mem(200, 1, 16),
                                  O::mem(300, 2, 0, 32), 32, 1 << (flags % 5),
                                  flags));
  v.push_back(Instruction::bitrev(O::mem(0), O::mem(64), 16, false));
  v.push_back(Instruction::bitrev(O::out(2), O::in(3), 16, true));
  v.push_back(
      Instruction::gemm(O::mem(0), O::mem(64), O::in(0), 1, 8, 4, true));
  v.push_back(
      Instruction::gemm(O::mem(0), O::mem(64), O::mem(96), 4, 4, 4, false));
  // A NaN immediate with a payload: compared and stored bit for bit.
  uint32_t nanBits = 0x7fc01234;
  float nan;
  std::memcpy(&nan, &nanBits, 4);
  v.push_back(Instruction::binary(Opcode::VMul, O::mem(5), O::mem(6),
                                  O::immediate(nan), 1));
  v.push_back(Instruction::barrier());
  v.push_back(Instruction::halt());
  return v;
}

/// Everything the format can hold, on a non-default arch.
Program richProgram() {
  Program p = withArch(smallArch());
  p.name = "rich";
  p.dramWords = 1 << 20;
  p.buffers = {{"x", 0, 4096}, {"w", 4096, 1024}, {"", 8192, 0}};
  p.constants.push_back({"twiddles", MemSpace::Gb, 4096, {1, -1, 0.5f, 0}});
  p.constants.push_back({"weights", MemSpace::Dram, 70000, {}});
  Constant big{"bias", MemSpace::Dram, 80000, {}};
  for (int i = 0; i < 300; ++i)
    big.data.push_back(float(i) * 0.25f - 3);
  p.constants.push_back(big);
  p.inputs.push_back({"x", ElementKind::Complex64, {2, 8, 16}, 0});
  p.inputs.push_back({"scalar", ElementKind::F32, {}, 512});
  p.outputs.push_back({"y", ElementKind::F32, {2, 8, 16}, 1024});
  p.outputs.push_back({"empty", ElementKind::F32, {0, 3}, 2048});

  Phase a;
  a.name = "stage 0";
  PeProgram pe0{0, 1, everyInstruction(), {}};
  pe0.memInit.push_back({0, {1, 2, 3}});
  pe0.memInit.push_back({4000, {}});
  a.pes.push_back(pe0);
  a.pes.push_back({3, 3, {Instruction::halt()}, {{10, {-0.0f}}}});
  a.pes.push_back({2, 0, {}, {}});
  // A multicast tree from the west edge into two PEs, and an express link.
  Route r;
  r.src = {{1, -1}, 0};
  r.dsts = {{{1, 0}, 2}, {{1, 2}, 0}};
  r.links = {{{1, -1}, {1, 0}}, {{1, 0}, {1, 2}}};
  a.routes.push_back(r);
  Route r2;
  r2.src = {{0, 1}, 3};
  r2.dsts = {{{-1, 1}, 0}};
  r2.links = {{{0, 1}, {-1, 1}}};
  a.routes.push_back(r2);
  a.dmas.push_back(
      Dma::make(DmaKind::DramToGb, 0, 0, {0, 0}, {{2, 128, 256}, {128, 1, 1}}, {}));
  a.dmas.push_back(
      Dma::make(DmaKind::GbToEdge, 0, 0, {1, -1}, {{4, 0, -32}, {32, 0, 1}}, {0}));
  a.dmas.push_back(
      Dma::make(DmaKind::EdgeToGb, 0, 1024, {-1, 1}, {{64, 0, 1}}, {0, 1}));
  a.dmas.push_back(Dma::make(DmaKind::GbToDram, 1024, 1024, {0, 0}, {}, {2}));
  p.phases.push_back(a);

  Phase b;
  b.name = "";
  p.phases.push_back(b);

  Phase c;
  c.name = "softmax \xe2\x86\x92 V";
  c.pes.push_back({0,
                   0,
                   {Instruction::loop(2, 1),
                    Instruction::unary(Opcode::VExp, Operand::mem(0),
                                       Operand::mem(0, 1, 4), 4),
                    Instruction::halt()},
                   {}});
  p.phases.push_back(c);
  return p;
}

/// One phase with one PE at (1,3) and two instructions, on the default arch.
Program smallProgram() {
  Program p = withArch(arch::Arch());
  p.name = "small";
  p.dramWords = 64;
  p.inputs.push_back({"in", ElementKind::F32, {4, 4}, 0});
  p.outputs.push_back({"out", ElementKind::F32, {4, 4}, 16});
  p.constants.push_back({"c", MemSpace::Dram, 32, {1, 2}});
  Phase ph;
  ph.name = "p";
  ph.pes.push_back({1,
                    3,
                    {Instruction::mov(Operand::mem(0), Operand::in(0), 16),
                     Instruction::halt()},
                    {}});
  ph.dmas.push_back(Dma::make(DmaKind::DramToGb, 0, 0, {0, 0}, {{16, 1, 1}}, {}));
  p.phases.push_back(ph);
  return p;
}

std::string mustWrite(const Program &p) {
  llvm::Expected<std::string> bytes = writeBitstream(p);
  if (!bytes) {
    ADD_FAILURE() << llvm::toString(bytes.takeError());
    return "";
  }
  return *bytes;
}

/// The reader's error for \p bytes, or "" when it is accepted.
std::string readError(const std::string &bytes,
                      const arch::Arch *expected = nullptr) {
  llvm::Expected<Program> p = readBitstream(bytes, expected, "prog.bfbin");
  if (p)
    return "";
  return llvm::toString(p.takeError());
}

std::string writeError(const Program &p) {
  llvm::Expected<std::string> bytes = writeBitstream(p);
  if (bytes)
    return "";
  return llvm::toString(bytes.takeError());
}

//===----------------------------------------------------------------------===//
// Crafting files with a valid CRC
//===----------------------------------------------------------------------===//

void fixCrc(std::string &bytes) {
  size_t n = bytes.size() - 4;
  uint32_t crc = llvm::crc32(llvm::ArrayRef<uint8_t>(
      reinterpret_cast<const uint8_t *>(bytes.data()), n));
  endian::write32le(&bytes[n], crc);
}

void put32(std::string &bytes, uint64_t at, uint32_t v) {
  endian::write32le(&bytes[at], v);
}
void put64(std::string &bytes, uint64_t at, uint64_t v) {
  endian::write64le(&bytes[at], v);
}
uint64_t get64(const std::string &bytes, uint64_t at) {
  return endian::read64le(bytes.data() + at);
}

/// File offset of the section at table entry \p index.
uint64_t sectionOffset(const std::string &bytes, int index) {
  return get64(bytes, 32 + 20 * index + 4);
}

/// A bitstream split into its sections, to be edited and reassembled with a
/// consistent table, file size and CRC.
struct Parts {
  std::string header; // the 32 header bytes
  std::vector<uint32_t> kinds;
  std::vector<std::string> sections;

  explicit Parts(const std::string &bytes) : header(bytes.substr(0, 32)) {
    for (int i = 0; i < 6; ++i) {
      uint64_t at = 32 + 20 * i;
      kinds.push_back(endian::read32le(bytes.data() + at));
      sections.push_back(
          bytes.substr(get64(bytes, at + 4), get64(bytes, at + 12)));
    }
  }

  std::string assemble() const {
    std::string out = header;
    put32(out, 12, uint32_t(sections.size()));
    uint64_t offset = 32 + 20 * sections.size();
    for (size_t i = 0; i < sections.size(); ++i) {
      std::string entry(20, '\0');
      put32(entry, 0, kinds[i]);
      put64(entry, 4, offset);
      put64(entry, 12, sections[i].size());
      out += entry;
      offset += sections[i].size();
    }
    for (const std::string &s : sections)
      out += s;
    out += std::string(4, '\0');
    put64(out, 24, out.size());
    fixCrc(out);
    return out;
  }
};

//===----------------------------------------------------------------------===//
// Round trips
//===----------------------------------------------------------------------===//

void expectRoundTrip(const Program &p) {
  std::string bytes = mustWrite(p);
  ASSERT_FALSE(bytes.empty());
  EXPECT_EQ(bytes, mustWrite(p)) << "the writer is not deterministic";
  llvm::Expected<Program> back = readBitstream(bytes, &p.arch, "rt.bfbin");
  ASSERT_TRUE(bool(back)) << llvm::toString(back.takeError());
  EXPECT_TRUE(*back == p);
  EXPECT_TRUE(archEquals(back->arch, p.arch));
  EXPECT_EQ(mustWrite(*back), bytes) << "re-writing changed the bytes";
}

TEST(CodecRoundTrip, RichProgram) { expectRoundTrip(richProgram()); }

TEST(CodecRoundTrip, SmallProgram) { expectRoundTrip(smallProgram()); }

TEST(CodecRoundTrip, EmptyProgramOnDefaultArch) {
  expectRoundTrip(withArch(arch::Arch()));
}

TEST(CodecRoundTrip, EveryInstructionDecodesToItself) {
  Program p = withArch(arch::Arch());
  Phase ph;
  for (const Instruction &inst : everyInstruction())
    ph.pes.push_back({0, 0, {inst}, {}});
  p.phases.push_back(ph);
  std::string bytes = mustWrite(p);
  llvm::Expected<Program> back = readBitstream(bytes, nullptr, "x");
  ASSERT_TRUE(bool(back)) << llvm::toString(back.takeError());
  std::vector<Instruction> all = everyInstruction();
  ASSERT_EQ(back->phases[0].pes.size(), all.size());
  for (size_t i = 0; i < all.size(); ++i)
    EXPECT_EQ(back->phases[0].pes[i].instructions[0], all[i])
        << toString(all[i]);
}

TEST(CodecRoundTrip, ManyRandomPrograms) {
  // A small LCG keeps the test deterministic across standard libraries.
  uint64_t state = 12345;
  auto next = [&](uint64_t bound) {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    return int64_t((state >> 33) % bound);
  };
  std::vector<Instruction> pool = everyInstruction();
  for (int trial = 0; trial < 40; ++trial) {
    Program p = withArch(trial % 2 ? smallArch() : arch::Arch());
    p.name = "random" + std::to_string(trial);
    p.dramWords = next(1 << 30);
    for (int64_t i = 0, n = next(4); i < n; ++i)
      p.buffers.push_back({"b" + std::to_string(i), next(1000), next(1000)});
    for (int64_t i = 0, n = next(4); i < n; ++i) {
      Constant c{
          "k", next(2) ? MemSpace::Gb : MemSpace::Dram, next(1 << 20), {}};
      for (int64_t j = 0, m = next(20); j < m; ++j)
        c.data.push_back(float(next(1000)) / 7);
      p.constants.push_back(c);
    }
    for (int64_t i = 0, n = next(3); i < n; ++i) {
      TensorSig t{"t",
                  next(2) ? ElementKind::Complex64 : ElementKind::F32,
                  {},
                  next(1000)};
      for (int64_t d = 0, r = next(4); d < r; ++d)
        t.shape.push_back(next(9));
      (i % 2 ? p.outputs : p.inputs).push_back(t);
    }
    for (int64_t ph = 0, n = 1 + next(3); ph < n; ++ph) {
      Phase phase;
      phase.name = "phase" + std::to_string(ph);
      for (int64_t i = 0, m = next(5); i < m; ++i) {
        PeProgram pe{next(16), next(16), {}, {}};
        for (int64_t j = 0, k = next(10); j < k; ++j)
          pe.instructions.push_back(pool[size_t(next(int64_t(pool.size())))]);
        if (next(2))
          pe.memInit.push_back({next(100), {1, 2}});
        phase.pes.push_back(pe);
      }
      for (int64_t i = 0, m = next(3); i < m; ++i) {
        Route r;
        r.src = {{next(4), next(4)}, next(4)};
        for (int64_t j = 0, k = 1 + next(3); j < k; ++j) {
          r.dsts.push_back({{next(4), next(4)}, next(4)});
          r.links.push_back({{next(4), next(4)}, {next(4), next(4)}});
        }
        phase.routes.push_back(r);
      }
      for (int64_t i = 0, m = next(4); i < m; ++i) {
        std::vector<DmaDim> dims;
        for (int64_t j = 0, k = next(4); j < k; ++j)
          dims.push_back({next(64), next(64) - 32, next(64) - 32});
        std::vector<int64_t> wait;
        for (int64_t j = 0; j < i; ++j)
          if (next(2))
            wait.push_back(j);
        phase.dmas.push_back(Dma::make(DmaKind(next(4)), next(1000), next(1000),
                                 {next(4) - 1, next(4) - 1}, dims, wait));
      }
      p.phases.push_back(phase);
    }
    SCOPED_TRACE(p.name);
    expectRoundTrip(p);
  }
}

TEST(CodecFormat, HeaderLayout) {
  Program p = smallProgram();
  std::string bytes = mustWrite(p);
  ASSERT_GE(bytes.size(), 156u);
  EXPECT_EQ(bytes.substr(0, 8), std::string("BFLYBIN\0", 8));
  EXPECT_EQ(endian::read16le(bytes.data() + 8), 1u);  // version
  EXPECT_EQ(endian::read16le(bytes.data() + 10), 0u); // flags
  EXPECT_EQ(endian::read32le(bytes.data() + 12), 6u); // sections
  EXPECT_EQ(get64(bytes, 16), p.arch.fingerprint());
  EXPECT_EQ(get64(bytes, 24), bytes.size());
  // The table: kinds 1..6, contiguous from 152 up to the CRC.
  uint64_t offset = 152;
  for (int i = 0; i < 6; ++i) {
    EXPECT_EQ(endian::read32le(bytes.data() + 32 + 20 * i), uint32_t(i + 1));
    EXPECT_EQ(sectionOffset(bytes, i), offset);
    offset += get64(bytes, 32 + 20 * i + 12);
  }
  EXPECT_EQ(offset, bytes.size() - 4);
  uint32_t crc = llvm::crc32(llvm::ArrayRef<uint8_t>(
      reinterpret_cast<const uint8_t *>(bytes.data()), bytes.size() - 4));
  EXPECT_EQ(endian::read32le(bytes.data() + bytes.size() - 4), crc);
  // The program section: name, then dramWords.
  uint64_t prog = sectionOffset(bytes, 1);
  EXPECT_EQ(endian::read32le(bytes.data() + prog), 5u);
  EXPECT_EQ(bytes.substr(prog + 4, 5), "small");
  EXPECT_EQ(get64(bytes, prog + 9), 64u);
}

//===----------------------------------------------------------------------===//
// What the writer refuses
//===----------------------------------------------------------------------===//

TEST(CodecWriter, RejectsFieldsThatDoNotFit) {
  Program p = smallProgram();
  p.phases[0].pes[0].instructions[0].n = 70000;
  std::string e = writeError(p);
  EXPECT_NE(e.find("phase 0 ('p'), PE(1,3), instruction 0"), std::string::npos)
      << e;
  EXPECT_NE(e.find("does not fit 16 bits"), std::string::npos) << e;

  p = smallProgram();
  p.phases[0].pes[0].instructions[0].dst.base = 1 << 20;
  EXPECT_NE(writeError(p).find("does not fit 20 bits"), std::string::npos);
}

TEST(CodecWriter, RejectsNonCanonicalInstructions) {
  Program p = smallProgram();
  p.phases[0].pes[0].instructions[0].a.stride = 3; // a port has no stride
  std::string e = writeError(p);
  EXPECT_NE(e.find("not in canonical form"), std::string::npos) << e;
  p = smallProgram();
  p.phases[0].pes[0].instructions[0].dst.imm = 2; // memory has no immediate
  EXPECT_NE(writeError(p).find("not in canonical form"), std::string::npos);
}

TEST(CodecWriter, RejectsStaleFingerprint) {
  Program p = smallProgram();
  p.archFingerprint = 0;
  std::string e = writeError(p);
  EXPECT_NE(e.find("archFingerprint 0x0000000000000000 is not the fingerprint"),
            std::string::npos)
      << e;
}

TEST(CodecWriter, RejectsOutOfRangeValues) {
  Program p = smallProgram();
  p.phases[0].dmas[0].kind = DmaKind(9);
  EXPECT_NE(writeError(p).find("DMA 0 has an invalid kind 9"),
            std::string::npos);
  p = smallProgram();
  p.constants[0].space = MemSpace(5);
  EXPECT_NE(writeError(p).find("invalid memory space 5"), std::string::npos);
  p = smallProgram();
  p.inputs[0].shape = {-1};
  EXPECT_NE(writeError(p).find("input 'in' has a negative dimension"),
            std::string::npos);
  p = smallProgram();
  p.outputs[0].shape = {int64_t(1) << 40, int64_t(1) << 40};
  EXPECT_NE(writeError(p).find("more than 2^63-1 words"), std::string::npos);
  p = smallProgram();
  p.arch.dramGBps = std::numeric_limits<double>::quiet_NaN();
  EXPECT_NE(writeError(p).find("arch field dramGBps is not finite"),
            std::string::npos);
}

//===----------------------------------------------------------------------===//
// What the reader rejects
//===----------------------------------------------------------------------===//

#define EXPECT_READ_ERROR(bytes, phrase)                                       \
  do {                                                                         \
    std::string err_ = readError(bytes);                                       \
    EXPECT_NE(err_.find(phrase), std::string::npos)                            \
        << "expected '" << (phrase) << "' in: " << err_;                       \
  } while (0)

TEST(CodecReader, EveryTruncationIsAnError) {
  for (const Program &p : {smallProgram(), richProgram()}) {
    std::string bytes = mustWrite(p);
    for (size_t n = 0; n < bytes.size(); ++n) {
      std::string err = readError(bytes.substr(0, n));
      ASSERT_FALSE(err.empty()) << "a " << n << "-byte prefix was accepted";
      ASSERT_EQ(err.rfind("prog.bfbin: truncated: ", 0), 0u)
          << n << " bytes: " << err;
    }
  }
  std::string bytes = mustWrite(smallProgram());
  EXPECT_EQ(readError(bytes.substr(0, 100)),
            "prog.bfbin: truncated: the header declares " +
                std::to_string(bytes.size()) + " bytes but the file has 100");
}

TEST(CodecReader, BitFlipsAreDetected) {
  for (const Program &p : {smallProgram(), richProgram()}) {
    std::string bytes = mustWrite(p);
    // Every bit: the files are a few KiB and a rejection costs one CRC.
    size_t bits = bytes.size() * 8;
    for (size_t bit = 0; bit < bits; ++bit) {
      std::string flipped = bytes;
      flipped[bit / 8] = char(flipped[bit / 8] ^ (1 << (bit % 8)));
      std::string err = readError(flipped);
      ASSERT_FALSE(err.empty()) << "flipping bit " << bit << " went unnoticed";
      bool precise =
          err.find("CRC mismatch: stored 0x") != std::string::npos ||
          err.find("bad magic") != std::string::npos ||
          err.find("unsupported format version") != std::string::npos ||
          err.find("truncated: the header declares") != std::string::npos ||
          err.find("trailing bytes") != std::string::npos;
      ASSERT_TRUE(precise) << "bit " << bit << ": " << err;
      // Only the magic, version and size fields are checked before the CRC.
      if (bit / 8 >= 32 || (bit / 8 >= 10 && bit / 8 < 24)) {
        ASSERT_NE(err.find("CRC mismatch"), std::string::npos)
            << "bit " << bit << ": " << err;
      }
    }
  }
}

TEST(CodecReader, EveryTruncationOfEverySectionIsAnError) {
  // With the table, file size and CRC made consistent, so that the section
  // parsers themselves meet the short data.
  std::string good = mustWrite(richProgram());
  for (int section = 0; section < 6; ++section) {
    Parts whole(good);
    for (size_t n = 0; n < whole.sections[section].size(); ++n) {
      Parts parts = whole;
      parts.sections[section].resize(n);
      std::string err = readError(parts.assemble());
      ASSERT_FALSE(err.empty()) << "section " << section << " cut to " << n;
      ASSERT_NE(err.find("truncated: "), std::string::npos)
          << "section " << section << " cut to " << n << ": " << err;
    }
  }
}

TEST(CodecReader, CorruptionWithValidCrcNeverCrashes) {
  // Random byte edits with the CRC recomputed. Whatever the reader accepts
  // must be a Program that writes back to exactly the same bytes (the format
  // has one encoding per Program).
  std::string good = mustWrite(richProgram());
  uint64_t state = 99;
  auto next = [&](uint64_t bound) {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    return (state >> 33) % bound;
  };
  int accepted = 0;
  for (int trial = 0; trial < 3000; ++trial) {
    std::string bytes = good;
    for (uint64_t i = 0, n = 1 + next(3); i < n; ++i) {
      // Mostly inside the sections, sometimes in the header and table.
      uint64_t at = next(4) ? 152 + next(bytes.size() - 156) : next(152);
      bytes[at] = char(next(8) ? next(256) : (next(2) ? 0xff : 0));
    }
    fixCrc(bytes);
    llvm::Expected<Program> p = readBitstream(bytes, nullptr, "fuzz.bfbin");
    if (!p) {
      std::string err = llvm::toString(p.takeError());
      ASSERT_EQ(err.rfind("fuzz.bfbin: ", 0), 0u) << err;
      continue;
    }
    ++accepted;
    llvm::Expected<std::string> again = writeBitstream(*p);
    ASSERT_TRUE(bool(again)) << llvm::toString(again.takeError());
    ASSERT_EQ(*again, bytes) << "trial " << trial;
  }
  // Most single-byte edits of data fields are valid programs.
  EXPECT_GT(accepted, 100);
}

TEST(CodecReader, BadMagic) {
  std::string bytes = mustWrite(smallProgram());
  bytes[0] = 'X';
  EXPECT_EQ(readError(bytes), "prog.bfbin: bad magic (expected BFLYBIN)");
  EXPECT_EQ(readError("PK\x03\x04"),
            "prog.bfbin: bad magic (expected BFLYBIN)");
  EXPECT_EQ(readError(std::string("BFLYBIN", 7) + "!"),
            "prog.bfbin: bad magic (expected BFLYBIN)");
  EXPECT_READ_ERROR("", "truncated: 0 bytes");
}

TEST(CodecReader, WrongVersion) {
  std::string bytes = mustWrite(smallProgram());
  bytes[8] = 7;
  fixCrc(bytes);
  EXPECT_EQ(readError(bytes), "prog.bfbin: unsupported format version 7 (this "
                              "reader supports 1)");
}

TEST(CodecReader, CrcMismatch) {
  std::string bytes = mustWrite(smallProgram());
  bytes[bytes.size() - 10] ^= 0x40;
  EXPECT_READ_ERROR(bytes, "prog.bfbin: CRC mismatch: stored 0x");
  std::string stored = bytes;
  stored[stored.size() - 1] ^= 1;
  EXPECT_READ_ERROR(stored, ", computed 0x");
}

TEST(CodecReader, TrailingBytes) {
  std::string bytes = mustWrite(smallProgram());
  std::string extra = bytes + std::string(3, '\0');
  EXPECT_EQ(readError(extra),
            "prog.bfbin: 3 trailing bytes after the end of the bitstream at "
            "offset " +
                std::to_string(bytes.size()) + " (the header declares " +
                std::to_string(bytes.size()) + " bytes)");
}

TEST(CodecReader, ArchMismatch) {
  std::string bytes = mustWrite(smallProgram()); // default 16x16, 4 lanes
  arch::Arch target;
  target.rows = 4;
  target.cols = 4;
  std::string err = readError(bytes, &target);
  EXPECT_NE(err.find("prog.bfbin: arch mismatch: the bitstream was compiled "
                     "for a 16x16 array with 4 lanes (fingerprint 0x"),
            std::string::npos)
      << err;
  EXPECT_NE(err.find("but the target is a 4x4 array with 4 lanes (0x"),
            std::string::npos)
      << err;
  EXPECT_NE(err.find("differing: rows 16 vs 4, cols 16 vs 4"),
            std::string::npos)
      << err;

  target = arch::Arch();
  target.gbBanks = 8;
  EXPECT_NE(readError(bytes, &target).find("differing: gb_banks 16 vs 8"),
            std::string::npos);

  // Parameters outside the fingerprint (clock, energy) may differ.
  target = arch::Arch();
  target.clockHz = 2e9;
  target.energy.fpOpPj = 1;
  EXPECT_EQ(readError(bytes, &target), "");
}

TEST(CodecReader, HugeCountsDoNotAllocate) {
  std::string bytes = mustWrite(smallProgram());
  uint64_t phases = sectionOffset(bytes, 5);
  put32(bytes, phases, 0xffffffffu);
  fixCrc(bytes);
  EXPECT_READ_ERROR(bytes,
                    "truncated: the phase list declares 4294967295 phases (at "
                    "least 68719476720 bytes) but only");

  // The instruction count of PE(1,3) in phase 0: after the phase count, the
  // name "p", the PE count, row and column.
  bytes = mustWrite(smallProgram());
  uint64_t at = phases + 4 + 4 + 1 + 4 + 16;
  ASSERT_EQ(endian::read32le(bytes.data() + at), 2u);
  put32(bytes, at, 40);
  fixCrc(bytes);
  uint64_t remain =
      sectionOffset(bytes, 5) + get64(bytes, 32 + 20 * 5 + 12) - (at + 4);
  EXPECT_EQ(readError(bytes),
            "prog.bfbin: truncated: phase 0 declares 40 instructions for "
            "PE(1,3) (1280 bytes) but only " +
                std::to_string(remain) +
                " bytes remain in the phases section at offset " +
                std::to_string(at + 4));

  // A string length.
  bytes = mustWrite(smallProgram());
  put32(bytes, sectionOffset(bytes, 1), 0x7fffffff);
  fixCrc(bytes);
  EXPECT_READ_ERROR(bytes, "truncated: the program name needs 2147483647 "
                           "bytes but only");

  // The float count of a constant.
  bytes = mustWrite(smallProgram());
  uint64_t words = sectionOffset(bytes, 3) + 4 + 4 + 1 + 1 + 8;
  ASSERT_EQ(endian::read32le(bytes.data() + words), 2u);
  put32(bytes, words, 0xfffffff0u);
  fixCrc(bytes);
  EXPECT_READ_ERROR(bytes, "constant 0 declares 4294967280 words");
}

TEST(CodecReader, OutOfRangeFields) {
  // dtype of input 0: after the count, the name "in".
  std::string bytes = mustWrite(smallProgram());
  uint64_t sig = sectionOffset(bytes, 4);
  bytes[sig + 4 + 4 + 2] = 2;
  fixCrc(bytes);
  EXPECT_EQ(readError(bytes),
            "prog.bfbin: input 0 ('in') has dtype 2 (expected 0 = float32, "
            "1 = complex64) (signature section, offset " +
                std::to_string(sig + 10) + ")");

  // Shape words that overflow int64.
  bytes = mustWrite(smallProgram());
  put64(bytes, sig + 11 + 4, uint64_t(1) << 62);
  put64(bytes, sig + 11 + 12, uint64_t(1) << 62);
  fixCrc(bytes);
  EXPECT_READ_ERROR(bytes, "input 0 ('in') has a negative dimension or more "
                           "than 2^63-1 words");

  // Memory space of constant 0.
  bytes = mustWrite(smallProgram());
  bytes[sectionOffset(bytes, 3) + 4 + 4 + 1] = 3;
  fixCrc(bytes);
  EXPECT_READ_ERROR(bytes, "constant 0 ('c') has memory space 3");

  // DMA kind: the last DMA of the phases section is 1+32+4+24+4 bytes long.
  bytes = mustWrite(smallProgram());
  uint64_t dmaAt = bytes.size() - 4 - (1 + 32 + 4 + 24 + 4);
  ASSERT_EQ(bytes[dmaAt], 0);
  bytes[dmaAt] = 4;
  fixCrc(bytes);
  EXPECT_READ_ERROR(bytes, "phase 0 DMA 0 has kind 4");

  // The opcode of the first instruction.
  bytes = mustWrite(smallProgram());
  uint64_t inst = sectionOffset(bytes, 5) + 4 + 4 + 1 + 4 + 16 + 4;
  ASSERT_EQ(uint8_t(bytes[inst]), uint8_t(Opcode::Mov));
  bytes[inst] = char(200);
  fixCrc(bytes);
  EXPECT_READ_ERROR(bytes, "phase 0, PE(1,3), instruction 0: unknown opcode "
                           "200 (phases section, offset " +
                               std::to_string(inst) + ")");

  // A non-canonical operand (reserved bits of dst).
  bytes = mustWrite(smallProgram());
  bytes[inst + 8] |= 0x4;
  fixCrc(bytes);
  EXPECT_READ_ERROR(bytes, "reserved bits 2-3 are not zero");

  // nocExpress of the arch section: after the name and eight 8-byte fields.
  bytes = mustWrite(smallProgram());
  uint64_t archAt = sectionOffset(bytes, 0);
  uint64_t nameLen = endian::read32le(bytes.data() + archAt);
  bytes[archAt + 4 + nameLen + 64] = 2;
  fixCrc(bytes);
  EXPECT_READ_ERROR(bytes, "arch field nocExpress is 2, not a bool");

  // clockHz = +inf.
  bytes = mustWrite(smallProgram());
  double inf = std::numeric_limits<double>::infinity();
  uint64_t infBits;
  std::memcpy(&infBits, &inf, 8);
  put64(bytes, archAt + 4 + nameLen + 16, infBits);
  fixCrc(bytes);
  EXPECT_READ_ERROR(bytes, "arch field clockHz is not a finite number");
}

TEST(CodecReader, HeaderFields) {
  std::string good = mustWrite(smallProgram());
  std::string bytes = good;
  bytes[10] = 4;
  fixCrc(bytes);
  EXPECT_READ_ERROR(bytes, "unsupported header flags 0x00000004");

  bytes = good;
  put64(bytes, 16, 0x1234);
  fixCrc(bytes);
  EXPECT_READ_ERROR(bytes, "the header's arch fingerprint 0x0000000000001234 "
                           "(offset 16) is not the fingerprint of the arch "
                           "section's parameters");

  bytes = good;
  put32(bytes, 12, 7);
  fixCrc(bytes);
  EXPECT_READ_ERROR(bytes, "the header declares 7 sections at offset 12");
}

TEST(CodecReader, SectionTable) {
  std::string good = mustWrite(smallProgram());

  Parts parts(good);
  parts.kinds[2] = 9;
  EXPECT_READ_ERROR(parts.assemble(),
                    "unknown section kind 9 in section table entry 2 (offset "
                    "72)");

  parts = Parts(good);
  std::swap(parts.kinds[2], parts.kinds[3]);
  std::swap(parts.sections[2], parts.sections[3]);
  EXPECT_READ_ERROR(parts.assemble(),
                    "section table entry 2 (offset 72) is the constants "
                    "section where the buffers section is expected");

  // Overlap: the buffers section starts one byte early.
  std::string bytes = good;
  put64(bytes, 32 + 20 * 2 + 4, sectionOffset(good, 2) - 1);
  fixCrc(bytes);
  EXPECT_READ_ERROR(bytes, "the buffers section starts at offset " +
                               std::to_string(sectionOffset(good, 2) - 1) +
                               ", but the previous one ends at " +
                               std::to_string(sectionOffset(good, 2)));

  // A section that runs into the CRC.
  bytes = good;
  put64(bytes, 32 + 20 * 5 + 12, uint64_t(1) << 63);
  fixCrc(bytes);
  EXPECT_READ_ERROR(bytes, "section table entry 5 (offset 132): the phases "
                           "section");
  EXPECT_READ_ERROR(bytes, "extends past the CRC");

  // Bytes that belong to no section.
  bytes = good;
  put64(bytes, 32 + 20 * 5 + 12, get64(good, 32 + 20 * 5 + 12) - 1);
  fixCrc(bytes);
  EXPECT_READ_ERROR(bytes, "1 bytes between the end of the phases section");

  // A section with bytes its content does not use.
  parts = Parts(good);
  parts.sections[1] += "xy";
  EXPECT_READ_ERROR(parts.assemble(),
                    "2 unused bytes at the end of the program section");

  // A section too short for its content.
  parts = Parts(good);
  parts.sections[1].pop_back();
  EXPECT_READ_ERROR(parts.assemble(),
                    "truncated: dramWords needs 8 bytes but only 7 remain in "
                    "the program section");

  // The helper itself reproduces a valid file.
  EXPECT_EQ(Parts(good).assemble(), good);
}

} // namespace
