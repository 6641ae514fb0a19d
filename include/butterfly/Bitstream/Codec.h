//===- Codec.h - The .bfbin bitstream reader and writer ---------*- C++ -*-===//
//
// Converts a Program to and from the .bfbin file format (docs/bitstream.md):
// a little-endian header with a section table, six sections (arch, program,
// buffers, constants, I/O signature, phases) and a trailing CRC-32.
//
// The writer is deterministic (the same Program always gives the same bytes)
// and the two are exact inverses: for every Program P that writeBitstream
// accepts, readBitstream(writeBitstream(P)) == P, and writing that again gives
// the same bytes. The reader treats its input as hostile: every count, size
// and offset is checked against the bytes present before it is used.
//
//===----------------------------------------------------------------------===//

#ifndef BUTTERFLY_BITSTREAM_CODEC_H
#define BUTTERFLY_BITSTREAM_CODEC_H

#include "butterfly/Arch/Arch.h"
#include "butterfly/Bitstream/Program.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <string>

namespace butterfly::bitstream {

/// "BFLYBIN\0", the first 8 bytes of every bitstream.
constexpr char kBitstreamMagic[8] = {'B', 'F', 'L', 'Y', 'B', 'I', 'N', '\0'};
/// The format version the writer produces and the only one the reader
/// accepts.
constexpr uint16_t kBitstreamVersion = 1;
/// Bytes of the fixed header, before the section table.
constexpr uint64_t kBitstreamHeaderBytes = 32;
/// Bytes of one section table entry (kind u32, offset u64, size u64).
constexpr uint64_t kSectionEntryBytes = 20;

/// The section kinds of format version 1, in the order they appear.
enum class SectionKind : uint32_t {
  Arch = 1,
  Program = 2,
  Buffers = 3,
  Constants = 4,
  Signature = 5,
  Phases = 6,
};
/// "arch", "program", "buffers", "constants", "signature", "phases".
const char *sectionKindName(SectionKind kind);

/// Serializes \p program. Fails, naming the field, only when a value cannot
/// be represented: an instruction whose fields do not fit the 256-bit
/// encoding or that is not in canonical form, an enum or bool out of range, a
/// non-finite arch parameter, a negative or overflowing tensor shape, a count
/// above 2^32-1, or an archFingerprint that is not program.arch.fingerprint().
llvm::Expected<std::string> writeBitstream(const Program &program);

/// Parses a bitstream. Errors start with "\p nameForErrors: " and name the
/// section and byte offset of the problem. When \p expectedArch is given, a
/// bitstream compiled for an arch with another fingerprint is rejected with
/// the differing parameters. The result is structurally valid (enums, shapes,
/// instruction encodings) but not checked against the hardware limits: call
/// verify() before executing it.
llvm::Expected<Program> readBitstream(llvm::StringRef bytes,
                                      const arch::Arch *expectedArch,
                                      llvm::StringRef nameForErrors);

} // namespace butterfly::bitstream

#endif // BUTTERFLY_BITSTREAM_CODEC_H
