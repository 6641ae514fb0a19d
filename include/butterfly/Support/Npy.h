//===- Npy.h - NumPy .npy reading and writing -------------------*- C++ -*-===//
//
// A hardened codec for the NumPy .npy format (versions 1.0, 2.0, 3.0), limited
// to C-ordered little-endian float32 and complex64 arrays, plus the atomic
// multi-file writer and the allclose-style comparison used by the tools'
// --output-dir and --expect options.
//
//===----------------------------------------------------------------------===//

#ifndef BUTTERFLY_SUPPORT_NPY_H
#define BUTTERFLY_SUPPORT_NPY_H

#include "butterfly/Support/Tensor.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <string>
#include <utility>

namespace butterfly {

/// Reads the .npy file at \p path. Every failure (unreadable file, malformed or
/// unsupported content) is an error whose message starts with the path.
llvm::Expected<Tensor> readNpy(llvm::StringRef path);

/// Parses the bytes of a .npy file; \p nameForErrors prefixes every message.
/// Never trusts a length field and never crashes, whatever the input.
llvm::Expected<Tensor> parseNpy(llvm::StringRef bytes,
                                llvm::StringRef nameForErrors);

/// Serializes \p tensor exactly as numpy.save would (format 1.0 unless the
/// header needs more room, header padded so that the data starts at a
/// multiple of 64 bytes, little-endian '<f4' or '<c8', C order).
std::string serializeNpy(const Tensor &tensor);

/// Writes each (path, contents) pair to a temporary file in the same
/// directory, then renames all of them into place. If any write fails, all
/// temporaries are removed and no destination file is created or changed; a
/// rename that fails part-way leaves the files renamed before it in place
/// (each one complete), never a partial file.
llvm::Error writeFilesAtomically(
    llvm::ArrayRef<std::pair<std::string, std::string>> pathAndContents);

/// Outcome of compareTensors. On failure (and on success, for reporting
/// margins) the fields describe the element with the largest excess
/// |diff| - allowed; worstIndex is its flat index, -1 when there is none
/// (empty tensors, shape or kind mismatch). For complex tensors actual and
/// expected hold the real parts; the message prints both parts.
struct CompareResult {
  bool ok = true;
  int64_t worstIndex = -1;
  double actual = 0, expected = 0, absError = 0, allowed = 0;
  std::string message;
};

/// numpy.allclose semantics per element: |a - e| <= atol + rtol * |e|, with
/// complex magnitudes for complex tensors. NaN matches only NaN; infinities
/// match only the same infinity. On failure the message names the worst
/// element by its multi-index and counts the elements out of tolerance.
CompareResult compareTensors(const Tensor &actual, const Tensor &expected,
                             double rtol, double atol);

} // namespace butterfly

#endif // BUTTERFLY_SUPPORT_NPY_H
