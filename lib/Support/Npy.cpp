//===- Npy.cpp - NumPy .npy reading and writing -----------------*- C++ -*-===//
//
// The .npy codec, the atomic writer and compareTensors. The parser treats the
// file as hostile: every length is checked against the bytes actually present
// before use, and the header dict is parsed by a small recursive-descent
// parser that accepts only the literal forms numpy writes.
//
//===----------------------------------------------------------------------===//

#include "butterfly/Support/Npy.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/Endian.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <cctype>
#include <cmath>
#include <cstring>
#include <limits>

using namespace butterfly;
using llvm::StringRef;

namespace {

constexpr char kMagic[] = "\x93NUMPY";
constexpr size_t kMagicLen = 6;
constexpr size_t kArrayAlign = 64;
// numpy pads the header so the first dim can grow in place to this many digits.
constexpr size_t kGrowthAxisMaxDigits = 21;

llvm::Error makeError(StringRef name, const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                 name + ": " + message);
}

//===----------------------------------------------------------------------===//
// Header dict parser
//===----------------------------------------------------------------------===//

/// Parses the Python dict literal of a .npy header, e.g.
///   {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }
/// Only string, bool and int-tuple values are accepted.
class HeaderParser {
public:
  HeaderParser(StringRef text, StringRef name) : text(text), name(name) {}

  llvm::Error parse(std::string &descr, bool &fortranOrder,
                    std::vector<int64_t> &shape) {
    bool haveDescr = false, haveFortran = false, haveShape = false;
    skipSpace();
    if (!consume('{'))
      return malformed("expected '{' at the start of the header");
    skipSpace();
    while (!consume('}')) {
      std::string key;
      if (llvm::Error err = parseString(key, "a key"))
        return err;
      skipSpace();
      if (!consume(':'))
        return malformed("expected ':' after key '" + key + "'");
      skipSpace();
      if (key == "descr") {
        if (haveDescr)
          return malformed("duplicate key 'descr'");
        haveDescr = true;
        if (peek() == '[')
          return makeError(name, "unsupported dtype: structured arrays are "
                                 "not supported; expected float32 ('<f4') or "
                                 "complex64 ('<c8')");
        if (llvm::Error err = parseString(descr, "a dtype string for 'descr'"))
          return err;
      } else if (key == "fortran_order") {
        if (haveFortran)
          return malformed("duplicate key 'fortran_order'");
        haveFortran = true;
        if (consumeWord("True"))
          fortranOrder = true;
        else if (consumeWord("False"))
          fortranOrder = false;
        else
          return malformed("expected True or False for 'fortran_order'");
      } else if (key == "shape") {
        if (haveShape)
          return malformed("duplicate key 'shape'");
        haveShape = true;
        if (llvm::Error err = parseShape(shape))
          return err;
      } else {
        return malformed("unknown key '" + key + "'");
      }
      skipSpace();
      if (consume(','))
        skipSpace();
      else if (peek() != '}')
        return malformed("expected ',' or '}' after the value of '" + key +
                         "'");
    }
    skipSpace();
    if (pos != text.size())
      return malformed("unexpected text after the closing '}'");
    if (!haveDescr)
      return malformed("missing key 'descr'");
    if (!haveFortran)
      return malformed("missing key 'fortran_order'");
    if (!haveShape)
      return malformed("missing key 'shape'");
    return llvm::Error::success();
  }

private:
  llvm::Error malformed(const llvm::Twine &what) {
    return makeError(name, "malformed .npy header: " + what + " (at offset " +
                               llvm::Twine(pos) + " of the header)");
  }

  char peek() const { return pos < text.size() ? text[pos] : '\0'; }

  bool consume(char c) {
    if (peek() != c)
      return false;
    ++pos;
    return true;
  }

  bool consumeWord(StringRef word) {
    if (!text.substr(pos).starts_with(word))
      return false;
    // Reject prefixes such as "Falsey".
    size_t end = pos + word.size();
    if (end < text.size() &&
        (std::isalnum(static_cast<unsigned char>(text[end])) ||
         text[end] == '_'))
      return false;
    pos = end;
    return true;
  }

  void skipSpace() {
    while (pos < text.size() && (text[pos] == ' ' || text[pos] == '\t' ||
                                 text[pos] == '\n' || text[pos] == '\r'))
      ++pos;
  }

  llvm::Error parseString(std::string &out, StringRef what) {
    char quote = peek();
    if (quote != '\'' && quote != '"')
      return malformed("expected " + what);
    ++pos;
    out.clear();
    while (pos < text.size() && text[pos] != quote && text[pos] != '\n') {
      // numpy never writes escapes in these strings; refusing them keeps the
      // parser trivially correct.
      if (text[pos] == '\\')
        return malformed("unsupported escape sequence in a string");
      out += text[pos++];
    }
    if (!consume(quote))
      return malformed("unterminated string");
    return llvm::Error::success();
  }

  llvm::Error parseShape(std::vector<int64_t> &shape) {
    shape.clear();
    if (!consume('('))
      return malformed("expected a tuple such as (2, 3) for 'shape'");
    skipSpace();
    bool sawComma = false;
    while (!consume(')')) {
      bool negative = consume('-');
      if (!std::isdigit(static_cast<unsigned char>(peek())))
        return malformed("expected a non-negative integer in 'shape'");
      uint64_t value = 0;
      bool overflow = false;
      while (std::isdigit(static_cast<unsigned char>(peek()))) {
        unsigned digit = text[pos++] - '0';
        if (value >
            (uint64_t(std::numeric_limits<int64_t>::max()) - digit) / 10)
          overflow = true;
        else
          value = value * 10 + digit;
      }
      // Python 2 wrote longs with an 'L' suffix; numpy still reads them.
      consume('L');
      if (negative && value != 0)
        return makeError(name, "invalid .npy header: negative dimension -" +
                                   llvm::Twine(value) + " in 'shape'");
      if (overflow)
        return makeError(name, "invalid .npy header: dimension in 'shape' "
                               "does not fit in 64 bits");
      shape.push_back(static_cast<int64_t>(value));
      skipSpace();
      sawComma = consume(',');
      skipSpace();
      if (!sawComma && peek() != ')')
        return malformed("expected ',' or ')' in 'shape'");
    }
    // "(5)" is an int in Python, not a tuple.
    if (shape.size() == 1 && !sawComma)
      return malformed("'shape' (N) must be written as a tuple (N,)");
    return llvm::Error::success();
  }

  StringRef text;
  StringRef name;
  size_t pos = 0;
};

std::string joinShape(const std::vector<int64_t> &shape) {
  Tensor t;
  t.shape = shape;
  return t.shapeString();
}

} // namespace

//===----------------------------------------------------------------------===//
// Reading
//===----------------------------------------------------------------------===//

/// numpy.save writes Fortran-ordered files for F-contiguous arrays (e.g. a
/// transpose), so they are accepted and reordered: the element at index
/// (i0, ..., ik) sits at sum(i_j * prod(shape[0..j))) in column-major data.
static std::vector<float> fortranToRowMajor(const std::vector<float> &data,
                                            const std::vector<int64_t> &shape,
                                            int64_t floatsPerElement) {
  std::vector<float> result(data.size());
  std::vector<int64_t> index(shape.size(), 0);
  std::vector<int64_t> columnStrides(shape.size(), 1);
  for (size_t dim = 1; dim < shape.size(); ++dim)
    columnStrides[dim] = columnStrides[dim - 1] * shape[dim - 1];
  size_t numElements = data.size() / floatsPerElement;
  for (size_t flat = 0; flat < numElements; ++flat) {
    int64_t source = 0;
    for (size_t dim = 0; dim < shape.size(); ++dim)
      source += index[dim] * columnStrides[dim];
    for (int64_t part = 0; part < floatsPerElement; ++part)
      result[flat * floatsPerElement + part] =
          data[source * floatsPerElement + part];
    // Advance the row-major multi-index (last dimension fastest).
    for (size_t dim = shape.size(); dim-- > 0;) {
      if (++index[dim] < shape[dim])
        break;
      index[dim] = 0;
    }
  }
  return result;
}

llvm::Expected<Tensor> butterfly::parseNpy(StringRef bytes,
                                           StringRef nameForErrors) {
  StringRef name = nameForErrors;
  if (bytes.size() < kMagicLen || bytes.substr(0, kMagicLen) != kMagic)
    return makeError(name, "not a NumPy .npy file (bad magic string; expected "
                           "\"\\x93NUMPY\")");
  if (bytes.size() < kMagicLen + 2)
    return makeError(name, "truncated .npy file: missing the format version");
  unsigned major = static_cast<unsigned char>(bytes[6]);
  unsigned minor = static_cast<unsigned char>(bytes[7]);
  if ((major != 1 && major != 2 && major != 3) || minor != 0)
    return makeError(name, "unsupported .npy format version " +
                               llvm::Twine(major) + "." + llvm::Twine(minor) +
                               " (expected 1.0, 2.0 or 3.0)");
  size_t lenSize = major == 1 ? 2 : 4;
  size_t headerStart = kMagicLen + 2 + lenSize;
  if (bytes.size() < headerStart)
    return makeError(name, "truncated .npy file: missing the header length");
  const char *lenPtr = bytes.data() + kMagicLen + 2;
  uint64_t headerLen = major == 1
                           ? llvm::support::endian::read16le(lenPtr)
                           : uint64_t(llvm::support::endian::read32le(lenPtr));
  if (headerLen > bytes.size() - headerStart)
    return makeError(name, "header length " + llvm::Twine(headerLen) +
                               " extends past the end of the file (" +
                               llvm::Twine(bytes.size()) + " bytes)");
  StringRef header = bytes.substr(headerStart, headerLen);

  std::string descr;
  bool fortranOrder = false;
  std::vector<int64_t> shape;
  if (llvm::Error err =
          HeaderParser(header, name).parse(descr, fortranOrder, shape))
    return llvm::Expected<Tensor>(std::move(err));

  // Only little-endian data is supported; '=' and '|' mean "native" / "not
  // applicable", which is little-endian on the hosts we support.
  StringRef d(descr);
  char order = d.empty() ? '\0' : d.front();
  bool littleOrder = order == '<' || order == '|' ||
                     (order == '=' && llvm::sys::IsLittleEndianHost);
  ElementKind kind;
  if (littleOrder && d.drop_front() == "f4")
    kind = ElementKind::F32;
  else if (littleOrder && d.drop_front() == "c8")
    kind = ElementKind::Complex64;
  else
    return makeError(name, "unsupported dtype '" + descr +
                               "': expected float32 ('<f4') or complex64 "
                               "('<c8')");
  // Element and byte counts, checked for overflow before any allocation.
  size_t elemBytes = kind == ElementKind::F32 ? 4 : 8;
  uint64_t count = 1;
  const uint64_t limit = uint64_t(std::numeric_limits<int64_t>::max());
  for (int64_t dim : shape) {
    if (dim != 0 && count > limit / uint64_t(dim))
      return makeError(name, "invalid .npy header: shape (" + joinShape(shape) +
                                 ") has more elements than fit in 64 bits");
    count *= uint64_t(dim);
  }
  // Zero-sized arrays are fine even if another dim is huge.
  if (count > limit / elemBytes)
    return makeError(name, "invalid .npy header: shape (" + joinShape(shape) +
                               ") needs more bytes than fit in 64 bits");
  uint64_t dataBytes = count * elemBytes;
  uint64_t available = bytes.size() - headerStart - headerLen;
  std::string declared = "header declares " + joinShape(shape) + " " +
                         elementKindName(kind) + " (" +
                         std::to_string(dataBytes) + " bytes of data)";
  if (available < dataBytes)
    return makeError(name, "truncated: " + declared + " but the file has " +
                               llvm::Twine(available));
  if (available > dataBytes)
    return makeError(name, llvm::Twine(available - dataBytes) +
                               " trailing bytes after the data: " + declared +
                               " but the file has " + llvm::Twine(available));

  Tensor t;
  t.kind = kind;
  t.shape = std::move(shape);
  const char *src = bytes.data() + headerStart + headerLen;
  size_t numFloats = static_cast<size_t>(dataBytes / 4);
  t.data.resize(numFloats);
  for (size_t i = 0; i < numFloats; ++i) {
    uint32_t bits = llvm::support::endian::read32le(src + 4 * i);
    std::memcpy(&t.data[i], &bits, 4);
  }
  if (fortranOrder)
    t.data = fortranToRowMajor(t.data, t.shape, t.floatsPerElement());
  return t;
}

llvm::Expected<Tensor> butterfly::readNpy(StringRef path) {
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> buffer =
      llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                  /*RequiresNullTerminator=*/false);
  if (!buffer)
    return makeError(path, "cannot read file: " + buffer.getError().message());
  return parseNpy((*buffer)->getBuffer(), path);
}

//===----------------------------------------------------------------------===//
// Writing
//===----------------------------------------------------------------------===//

std::string butterfly::serializeNpy(const Tensor &tensor) {
  // Same text as numpy: keys sorted, Python reprs of the values.
  std::string dict = "{'descr': '";
  dict += tensor.isComplex() ? "<c8" : "<f4";
  dict += "', 'fortran_order': False, 'shape': (";
  for (size_t i = 0; i < tensor.shape.size(); ++i) {
    if (i)
      dict += ", ";
    dict += std::to_string(tensor.shape[i]);
  }
  if (tensor.shape.size() == 1)
    dict += ',';
  dict += "), }";
  if (!tensor.shape.empty()) {
    size_t digits = std::to_string(tensor.shape.front()).size();
    if (digits < kGrowthAxisMaxDigits)
      dict.append(kGrowthAxisMaxDigits - digits, ' ');
  }

  // Version 1.0 has a 16-bit header length; fall back to 2.0 like numpy.
  auto paddedLen = [&](size_t lenSize) {
    size_t hlen = dict.size() + 1; // + '\n'
    size_t padLen =
        kArrayAlign - ((kMagicLen + 2 + lenSize + hlen) % kArrayAlign);
    return hlen + padLen;
  };
  unsigned major = paddedLen(2) <= 0xffff ? 1 : 2;
  size_t lenSize = major == 1 ? 2 : 4;
  size_t headerLen = paddedLen(lenSize);

  std::string out(kMagic, kMagicLen);
  out += static_cast<char>(major);
  out += '\0';
  char lenBytes[4];
  if (major == 1)
    llvm::support::endian::write16le(lenBytes, uint16_t(headerLen));
  else
    llvm::support::endian::write32le(lenBytes, uint32_t(headerLen));
  out.append(lenBytes, lenSize);
  out += dict;
  out.append(headerLen - dict.size() - 1, ' ');
  out += '\n';

  size_t start = out.size();
  out.resize(start + 4 * tensor.data.size());
  for (size_t i = 0; i < tensor.data.size(); ++i) {
    uint32_t bits;
    std::memcpy(&bits, &tensor.data[i], 4);
    llvm::support::endian::write32le(&out[start + 4 * i], bits);
  }
  return out;
}

llvm::Error butterfly::writeFilesAtomically(
    llvm::ArrayRef<std::pair<std::string, std::string>> pathAndContents) {
  std::vector<std::string> temps;
  auto removeTemps = [&](size_t from) {
    for (size_t i = from; i < temps.size(); ++i)
      llvm::sys::fs::remove(temps[i]);
  };

  // Phase 1: write every file next to its destination, so that the rename
  // below stays within one file system.
  for (const auto &[path, contents] : pathAndContents) {
    llvm::SmallString<256> model(path);
    model += ".tmp-%%%%%%%%";
    int fd = -1;
    llvm::SmallString<256> tempPath;
    if (std::error_code ec =
            llvm::sys::fs::createUniqueFile(model, fd, tempPath)) {
      removeTemps(0);
      return makeError(path, "cannot create a temporary file: " + ec.message());
    }
    temps.push_back(std::string(tempPath));
    llvm::raw_fd_ostream os(fd, /*shouldClose=*/true);
    os << contents;
    os.close();
    if (os.has_error()) {
      std::error_code ec = os.error();
      os.clear_error();
      removeTemps(0);
      return makeError(path, "cannot write: " + ec.message());
    }
  }

  // A rename onto a directory would fail after earlier files were already
  // in place: refuse before touching any destination.
  for (const auto &[path, contents] : pathAndContents) {
    if (llvm::sys::fs::is_directory(path)) {
      removeTemps(0);
      return makeError(path, "is a directory");
    }
  }

  // Phase 2: rename into place. Each rename is atomic, so a destination is
  // either untouched or complete.
  for (size_t i = 0; i < temps.size(); ++i) {
    const std::string &path = pathAndContents[i].first;
    if (std::error_code ec = llvm::sys::fs::rename(temps[i], path)) {
      removeTemps(i);
      return makeError(path, "cannot rename the temporary file into place: " +
                                 ec.message());
    }
  }
  return llvm::Error::success();
}

//===----------------------------------------------------------------------===//
// Comparison
//===----------------------------------------------------------------------===//

namespace {

std::string formatIndex(int64_t flat, const std::vector<int64_t> &shape) {
  std::vector<int64_t> index(shape.size());
  for (size_t i = shape.size(); i > 0; --i) {
    int64_t d = shape[i - 1];
    index[i - 1] = d ? flat % d : 0;
    flat = d ? flat / d : 0;
  }
  std::string s = "[";
  for (size_t i = 0; i < index.size(); ++i) {
    if (i)
      s += ", ";
    s += std::to_string(index[i]);
  }
  return s + "]";
}

std::string formatNumber(double v, const char *fmt) {
  std::string s;
  llvm::raw_string_ostream os(s);
  if (std::isnan(v))
    os << "nan";
  else if (std::isinf(v))
    os << (v < 0 ? "-inf" : "inf");
  else
    os << llvm::format(fmt, v);
  return s;
}

std::string formatValue(const Tensor &t, int64_t i) {
  // %.7g distinguishes nearby floats without printing noise digits.
  if (!t.isComplex())
    return formatNumber(t.data[i], "%.7g");
  return "(" + formatNumber(t.data[2 * i], "%.7g") + ", " +
         formatNumber(t.data[2 * i + 1], "%.7g") + ")";
}

} // namespace

CompareResult butterfly::compareTensors(const Tensor &actual,
                                        const Tensor &expected, double rtol,
                                        double atol) {
  CompareResult r;
  if (actual.kind != expected.kind) {
    r.ok = false;
    r.message = std::string("element type mismatch: got ") +
                elementKindName(actual.kind) + ", expected " +
                elementKindName(expected.kind);
    return r;
  }
  if (actual.shape != expected.shape) {
    r.ok = false;
    r.message = "shape mismatch: got " + actual.shapeString() + ", expected " +
                expected.shapeString();
    return r;
  }
  bool isComplex = actual.isComplex();
  int64_t n = actual.numElements();
  int64_t failures = 0;
  double worstExcess = -std::numeric_limits<double>::infinity();
  const char *worstReason = "";
  for (int64_t i = 0; i < n; ++i) {
    double ar, ai = 0, er, ei = 0;
    if (isComplex) {
      ar = actual.data[2 * i];
      ai = actual.data[2 * i + 1];
      er = expected.data[2 * i];
      ei = expected.data[2 * i + 1];
    } else {
      ar = actual.data[i];
      er = expected.data[i];
    }
    bool aNaN = std::isnan(ar) || std::isnan(ai);
    bool eNaN = std::isnan(er) || std::isnan(ei);
    double allowed = atol + rtol * std::hypot(er, ei);
    double diff, excess;
    bool ok;
    const char *reason = "";
    if (aNaN || eNaN) {
      ok = aNaN && eNaN;
      diff = ok ? 0 : std::numeric_limits<double>::quiet_NaN();
      excess = ok ? -std::numeric_limits<double>::infinity()
                  : std::numeric_limits<double>::infinity();
      reason = aNaN ? "NaN where a number was expected"
                    : "a number where NaN was expected";
    } else if (!std::isfinite(ar) || !std::isfinite(ai) || !std::isfinite(er) ||
               !std::isfinite(ei)) {
      // Infinities are close only to the identical infinity.
      ok = ar == er && ai == ei;
      diff = ok ? 0 : std::numeric_limits<double>::infinity();
      excess = ok ? -std::numeric_limits<double>::infinity()
                  : std::numeric_limits<double>::infinity();
      reason = "infinity mismatch";
    } else {
      diff = std::hypot(ar - er, ai - ei);
      ok = diff <= allowed;
      excess = diff - allowed;
    }
    if (!ok)
      ++failures;
    if (r.worstIndex < 0 || excess > worstExcess) {
      worstExcess = excess;
      worstReason = reason;
      r.worstIndex = i;
      r.actual = ar;
      r.expected = er;
      r.absError = diff;
      r.allowed = allowed;
    }
  }
  r.ok = failures == 0;
  if (r.worstIndex < 0) {
    r.message = "no elements to compare";
    return r;
  }
  std::string where =
      actual.shape.empty()
          ? std::string("scalar")
          : "element " + formatIndex(r.worstIndex, actual.shape);
  std::string detail;
  if (std::isfinite(r.absError))
    detail = "|diff| " + formatNumber(r.absError, "%.2e") +
             (r.ok ? " <= allowed " : " > allowed ") +
             formatNumber(r.allowed, "%.2e");
  else
    detail = worstReason;
  std::string values = where + ": got " + formatValue(actual, r.worstIndex) +
                       ", expected " + formatValue(expected, r.worstIndex) +
                       " (" + detail + ")";
  if (r.ok)
    r.message = "all " + std::to_string(n) +
                " elements within tolerance; closest to the limit: " + values;
  else
    r.message = values + "; " + std::to_string(failures) + " of " +
                std::to_string(n) + " elements out of tolerance";
  return r;
}
