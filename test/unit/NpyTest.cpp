//===- NpyTest.cpp - .npy codec, atomic writes, tensor comparison ---------===//
//
// Round trips, byte-exact numpy.save output, a hand-written corpus of broken
// files (each must fail with a specific message and never crash), the atomic
// multi-file writer, and the messages of compareTensors.
//
//===----------------------------------------------------------------------===//

#include "butterfly/Support/Npy.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include "gtest/gtest.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <random>

using namespace butterfly;

namespace {

/// A .npy file with the given raw header text (padded like numpy) and data.
std::string makeNpy(const std::string &dict, size_t dataBytes,
                    unsigned major = 1) {
  size_t lenSize = major == 1 ? 2 : 4;
  std::string header = dict;
  while ((6 + 2 + lenSize + header.size() + 1) % 64 != 0)
    header += ' ';
  header += '\n';
  std::string out = "\x93NUMPY";
  out += char(major);
  out += '\0';
  for (size_t i = 0; i < lenSize; ++i)
    out += char((header.size() >> (8 * i)) & 0xff);
  out += header;
  for (size_t i = 0; i < dataBytes; ++i)
    out += char(i * 7 + 1);
  return out;
}

std::string dictFor(const std::string &descr, const std::string &shape,
                    const char *fortran = "False") {
  return "{'descr': '" + descr + "', 'fortran_order': " + fortran +
         ", 'shape': " + shape + ", }";
}

/// The error message of parsing \p bytes, or "" when it parses.
std::string parseError(const std::string &bytes) {
  llvm::Expected<Tensor> t = parseNpy(bytes, "in.npy");
  if (t)
    return "";
  return llvm::toString(t.takeError());
}

#define EXPECT_PARSE_ERROR(bytes, phrase)                                      \
  do {                                                                         \
    std::string msg = parseError(bytes);                                       \
    EXPECT_NE(msg.find(phrase), std::string::npos)                             \
        << "message: '" << msg << "'";                                         \
    EXPECT_EQ(msg.rfind("in.npy: ", 0), 0u) << "message: '" << msg << "'";     \
  } while (false)

Tensor sample(ElementKind kind, std::vector<int64_t> shape) {
  Tensor t = Tensor::zeros(kind, std::move(shape));
  for (size_t i = 0; i < t.data.size(); ++i)
    t.data[i] = float(i) * 0.5f - 3.25f;
  return t;
}

//===----------------------------------------------------------------------===//
// Round trips and the exact byte layout
//===----------------------------------------------------------------------===//

TEST(NpyTest, RoundTrip) {
  std::vector<Tensor> cases = {
      sample(ElementKind::F32, {2, 3}),
      sample(ElementKind::Complex64, {4}),
      sample(ElementKind::F32, {}),
      sample(ElementKind::F32, {0, 5}),
      sample(ElementKind::Complex64, {2, 1, 3, 2}),
      sample(ElementKind::F32, {123456789012, 0}),
  };
  cases[0].data[1] = std::numeric_limits<float>::quiet_NaN();
  cases[0].data[2] = -std::numeric_limits<float>::infinity();
  for (const Tensor &t : cases) {
    std::string bytes = serializeNpy(t);
    llvm::Expected<Tensor> back = parseNpy(bytes, "rt.npy");
    ASSERT_TRUE(bool(back)) << llvm::toString(back.takeError());
    EXPECT_EQ(back->kind, t.kind);
    EXPECT_EQ(back->shape, t.shape);
    ASSERT_EQ(back->data.size(), t.data.size());
    // Bitwise, so that NaN payloads and -0 survive too.
    if (!t.data.empty()) {
      EXPECT_EQ(
          std::memcmp(back->data.data(), t.data.data(), 4 * t.data.size()), 0);
    }
    size_t headerLen = uint8_t(bytes[8]) | (uint8_t(bytes[9]) << 8);
    EXPECT_EQ((10 + headerLen) % 64, 0u) << t.shapeString();
    EXPECT_EQ(bytes[10 + headerLen - 1], '\n');
  }
}

TEST(NpyTest, SerializeMatchesNumpySave) {
  // np.save(f, np.zeros((2, 3), np.float32)) with numpy >= 1.24.
  std::string bytes = serializeNpy(Tensor::zeros(ElementKind::F32, {2, 3}));
  std::string dict =
      "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }";
  std::string expectedHeader =
      dict + std::string(128 - 10 - 1 - dict.size(), ' ');
  ASSERT_EQ(bytes.size(), 128u + 24u);
  EXPECT_EQ(bytes.substr(0, 10), std::string("\x93NUMPY\x01\x00\x76\x00", 10));
  EXPECT_EQ(bytes.substr(10, 117), expectedHeader);
  EXPECT_EQ(bytes[127], '\n');
  // Rank 1 is written as a one-element tuple; rank 0 as ().
  EXPECT_NE(serializeNpy(Tensor::zeros(ElementKind::Complex64, {7}))
                .find("{'descr': '<c8', 'fortran_order': False, 'shape': "
                      "(7,), }"),
            std::string::npos);
  EXPECT_NE(serializeNpy(Tensor::zeros(ElementKind::F32, {})).find("(), }"),
            std::string::npos);
}

TEST(NpyTest, AcceptsVersions2And3AndOtherSpellings) {
  for (unsigned major : {1u, 2u, 3u}) {
    llvm::Expected<Tensor> t =
        parseNpy(makeNpy(dictFor("<f4", "(2, 3)"), 24, major), "v.npy");
    ASSERT_TRUE(bool(t)) << llvm::toString(t.takeError());
    EXPECT_EQ(t->shape, (std::vector<int64_t>{2, 3}));
  }
  // Double quotes, no trailing comma, other key order, '|' and '=' byte order,
  // Python 2 longs.
  const char *dicts[] = {
      "{\"descr\": \"<c8\", \"fortran_order\": False, \"shape\": (3,)}",
      "{'shape': (3,), 'fortran_order': False, 'descr': '|c8'}",
      "{'descr':'=c8','fortran_order':False,'shape':(3L,),}",
  };
  for (const char *d : dicts) {
    llvm::Expected<Tensor> t = parseNpy(makeNpy(d, 24), "s.npy");
    ASSERT_TRUE(bool(t)) << d << ": " << llvm::toString(t.takeError());
    EXPECT_EQ(t->kind, ElementKind::Complex64);
    EXPECT_EQ(t->shape, (std::vector<int64_t>{3}));
  }
}

//===----------------------------------------------------------------------===//
// Broken files
//===----------------------------------------------------------------------===//

TEST(NpyTest, RejectsBadMagic) {
  std::string bytes = makeNpy(dictFor("<f4", "(2,)"), 8);
  bytes[1] = 'n';
  EXPECT_PARSE_ERROR(bytes, "bad magic");
  EXPECT_PARSE_ERROR("", "bad magic");
  EXPECT_PARSE_ERROR("PK\x03\x04 a zip file", "bad magic");
}

TEST(NpyTest, RejectsUnsupportedVersion) {
  std::string bytes = makeNpy(dictFor("<f4", "(2,)"), 8);
  bytes[6] = 9;
  EXPECT_PARSE_ERROR(bytes, "unsupported .npy format version 9.0");
  bytes[6] = 1;
  bytes[7] = 5;
  EXPECT_PARSE_ERROR(bytes, "unsupported .npy format version 1.5");
}

TEST(NpyTest, RejectsOtherDtypes) {
  EXPECT_PARSE_ERROR(makeNpy(dictFor("<f8", "(2,)"), 16),
                     "unsupported dtype '<f8': expected float32 ('<f4') or "
                     "complex64 ('<c8')");
  EXPECT_PARSE_ERROR(makeNpy(dictFor(">f4", "(2,)"), 8),
                     "unsupported dtype '>f4'");
  EXPECT_PARSE_ERROR(makeNpy(dictFor("<i4", "(2,)"), 8),
                     "unsupported dtype '<i4'");
  EXPECT_PARSE_ERROR(
      makeNpy("{'descr': [('a', '<f4')], 'fortran_order': False, "
              "'shape': (2,), }",
              8),
      "structured arrays are not supported");
}

// numpy.save(np.arange(6, dtype=np.float32).reshape(2, 3).T) writes a
// Fortran-ordered 3x2 array whose data is 0 1 2 3 4 5 (column-major).
TEST(NpyTest, ReordersFortranOrder) {
  std::string bytes = makeNpy(dictFor("<f4", "(3, 2)", "True"), 0);
  for (int i = 0; i < 6; ++i) {
    float value = static_cast<float>(i);
    bytes.append(reinterpret_cast<const char *>(&value), 4);
  }
  llvm::Expected<Tensor> tensor = parseNpy(bytes, "f.npy");
  ASSERT_TRUE(static_cast<bool>(tensor)) << llvm::toString(tensor.takeError());
  EXPECT_EQ(tensor->shape, (std::vector<int64_t>{3, 2}));
  EXPECT_EQ(tensor->data, (std::vector<float>{0, 3, 1, 4, 2, 5}));
}

TEST(NpyTest, RejectsTruncatedData) {
  EXPECT_PARSE_ERROR(makeNpy(dictFor("<f4", "(2, 3)"), 20),
                     "truncated: header declares 2x3 float32 (24 bytes of "
                     "data) but the file has 20");
  EXPECT_PARSE_ERROR(makeNpy(dictFor("<c8", "(2,)"), 0),
                     "header declares 2 complex64 (16 bytes of data)");
}

TEST(NpyTest, RejectsTrailingBytes) {
  EXPECT_PARSE_ERROR(makeNpy(dictFor("<f4", "(2, 3)"), 28), "4 trailing bytes");
}

TEST(NpyTest, RejectsHeaderLengthPastEnd) {
  std::string bytes = makeNpy(dictFor("<f4", "(2,)"), 8);
  bytes[8] = char(0xff);
  bytes[9] = char(0xff);
  EXPECT_PARSE_ERROR(bytes, "header length 65535 extends past the end");
  std::string v2 = makeNpy(dictFor("<f4", "(2,)"), 8, 2);
  v2[11] = char(0xff); // ~4 GiB
  EXPECT_PARSE_ERROR(v2, "extends past the end of the file");
  EXPECT_PARSE_ERROR(std::string("\x93NUMPY\x01\x00\x05", 9),
                     "missing the header length");
}

TEST(NpyTest, RejectsMalformedHeaders) {
  EXPECT_PARSE_ERROR(makeNpy("garbage", 8), "malformed .npy header");
  EXPECT_PARSE_ERROR(makeNpy("", 8), "malformed .npy header");
  EXPECT_PARSE_ERROR(makeNpy("{'descr': '<f4', 'shape': (2,), }", 8),
                     "missing key 'fortran_order'");
  EXPECT_PARSE_ERROR(makeNpy("{'descr': '<f4', 'fortran_order': False}", 8),
                     "missing key 'shape'");
  EXPECT_PARSE_ERROR(
      makeNpy("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), "
              "'extra': 1}",
              8),
      "unknown key 'extra'");
  EXPECT_PARSE_ERROR(
      makeNpy("{'descr': '<f4', 'descr': '<f4', 'fortran_order': False, "
              "'shape': (2,)}",
              8),
      "duplicate key 'descr'");
  EXPECT_PARSE_ERROR(makeNpy(dictFor("<f4", "(2, x)"), 8),
                     "expected a non-negative integer");
  EXPECT_PARSE_ERROR(makeNpy(dictFor("<f4", "(2"), 8), "malformed");
  EXPECT_PARSE_ERROR(makeNpy(dictFor("<f4", "2"), 8), "expected a tuple");
  EXPECT_PARSE_ERROR(makeNpy(dictFor("<f4", "(2)"), 8), "(N,)");
  EXPECT_PARSE_ERROR(makeNpy(dictFor("<f4", "(2,)", "Maybe"), 8),
                     "expected True or False");
  EXPECT_PARSE_ERROR(makeNpy(dictFor("<f4", "(2,)") + " junk", 8),
                     "unexpected text after the closing '}'");
  EXPECT_PARSE_ERROR(makeNpy("{'descr': '<f4", 8), "unterminated string");
}

TEST(NpyTest, RejectsNegativeAndHugeShapes) {
  EXPECT_PARSE_ERROR(makeNpy(dictFor("<f4", "(2, -3)"), 24),
                     "negative dimension -3");
  EXPECT_PARSE_ERROR(
      makeNpy(dictFor("<f4", "(4294967296, 4294967296, 4294967296)"), 8),
      "more elements than fit in 64 bits");
  EXPECT_PARSE_ERROR(makeNpy(dictFor("<f4", "(99999999999999999999999,)"), 8),
                     "does not fit in 64 bits");
  // Fits as a count but not as a byte count.
  EXPECT_PARSE_ERROR(makeNpy(dictFor("<c8", "(4611686018427387904,)"), 8),
                     "more bytes than fit in 64 bits");
  // Huge but representable: plain truncation, no allocation attempted.
  EXPECT_PARSE_ERROR(makeNpy(dictFor("<f4", "(1000000000000,)"), 8),
                     "truncated");
}

TEST(NpyTest, NeverCrashesOnDamagedInput) {
  std::string good = serializeNpy(sample(ElementKind::F32, {3, 4}));
  // Every truncation.
  for (size_t len = 0; len < good.size(); ++len)
    EXPECT_FALSE(parseError(good.substr(0, len)).empty()) << len;
  // Random byte damage: any outcome but a crash is fine.
  std::mt19937 rng(5);
  for (int iter = 0; iter < 3000; ++iter) {
    std::string bad = good;
    int flips = 1 + int(rng() % 4);
    for (int f = 0; f < flips; ++f)
      bad[rng() % std::min<size_t>(bad.size(), 128)] = char(rng());
    (void)parseError(bad);
  }
}

//===----------------------------------------------------------------------===//
// Files
//===----------------------------------------------------------------------===//

std::vector<std::string> listDirectory(llvm::StringRef dir) {
  std::vector<std::string> names;
  std::error_code ec;
  for (llvm::sys::fs::directory_iterator it(dir, ec), end; !ec && it != end;
       it.increment(ec))
    names.push_back(llvm::sys::path::filename(it->path()).str());
  std::sort(names.begin(), names.end());
  return names;
}

TEST(NpyTest, WriteFilesAtomicallyAndReadBack) {
  llvm::SmallString<128> dir;
  ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("npytest", dir));
  std::string a = (dir + "/out0.npy").str(), b = (dir + "/out1.npy").str();
  Tensor t0 = sample(ElementKind::F32, {2, 2});
  Tensor t1 = sample(ElementKind::Complex64, {3});
  llvm::Error err =
      writeFilesAtomically({{a, serializeNpy(t0)}, {b, serializeNpy(t1)}});
  ASSERT_FALSE(bool(err)) << llvm::toString(std::move(err));
  EXPECT_EQ(listDirectory(dir),
            (std::vector<std::string>{"out0.npy", "out1.npy"}));
  llvm::Expected<Tensor> r1 = readNpy(b);
  ASSERT_TRUE(bool(r1)) << llvm::toString(r1.takeError());
  EXPECT_EQ(r1->data, t1.data);

  // Overwrites an existing file in place.
  Tensor t2 = sample(ElementKind::F32, {5});
  ASSERT_FALSE(bool(writeFilesAtomically({{a, serializeNpy(t2)}})));
  llvm::Expected<Tensor> r0 = readNpy(a);
  ASSERT_TRUE(bool(r0)) << llvm::toString(r0.takeError());
  EXPECT_EQ(r0->shape, t2.shape);

  // Missing file: the message names it.
  llvm::Expected<Tensor> missing = readNpy((dir + "/nope.npy").str());
  ASSERT_FALSE(bool(missing));
  EXPECT_NE(llvm::toString(missing.takeError()).find("nope.npy"),
            std::string::npos);
  llvm::sys::fs::remove_directories(dir);
}

TEST(NpyTest, WriteFilesAtomicallyLeavesNothingOnFailure) {
  llvm::SmallString<128> dir;
  ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("npytest", dir));
  std::string a = (dir + "/out0.npy").str();
  std::string bad = (dir + "/no/such/dir/out1.npy").str();
  std::string c = (dir + "/out2.npy").str();
  llvm::Error err =
      writeFilesAtomically({{a, "first"}, {bad, "second"}, {c, "third"}});
  ASSERT_TRUE(bool(err));
  std::string msg = llvm::toString(std::move(err));
  EXPECT_NE(msg.find("out1.npy"), std::string::npos) << msg;
  EXPECT_TRUE(listDirectory(dir).empty());
  llvm::sys::fs::remove_directories(dir);
}

//===----------------------------------------------------------------------===//
// compareTensors
//===----------------------------------------------------------------------===//

TEST(CompareTest, WithinTolerance) {
  Tensor e = Tensor::zeros(ElementKind::F32, {2, 3});
  for (float &v : e.data)
    v = 1.0f;
  Tensor a = e;
  a.data[4] += 2e-6f;
  CompareResult r = compareTensors(a, e, 1e-5, 1e-6);
  EXPECT_TRUE(r.ok) << r.message;
  EXPECT_EQ(r.worstIndex, 4);
}

TEST(CompareTest, NamesWorstElement) {
  Tensor e = Tensor::zeros(ElementKind::F32, {2, 4, 20});
  for (float &v : e.data)
    v = 1.0f;
  Tensor a = e;
  a.data[(0 * 4 + 3) * 20 + 17] = 1.2345f; // worst
  a.data[5] = 1.01f;
  CompareResult r = compareTensors(a, e, 1e-5, 1e-6);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.worstIndex, 77);
  EXPECT_NEAR(r.actual, 1.2345, 1e-6);
  EXPECT_EQ(r.expected, 1.0);
  EXPECT_NEAR(r.absError, 0.2345, 1e-6);
  EXPECT_NEAR(r.allowed, 1.1e-5, 1e-12);
  EXPECT_NE(r.message.find("element [0, 3, 17]: got 1.2345, expected 1 "
                           "(|diff| 2.35e-01 > allowed 1.10e-05)"),
            std::string::npos)
      << r.message;
  EXPECT_NE(r.message.find("2 of 160 elements out of tolerance"),
            std::string::npos)
      << r.message;
}

TEST(CompareTest, NaNHandling) {
  float nan = std::numeric_limits<float>::quiet_NaN();
  Tensor e = sample(ElementKind::F32, {3});
  Tensor a = e;
  a.data[1] = nan;
  CompareResult r = compareTensors(a, e, 1e-3, 1e-3);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.worstIndex, 1);
  EXPECT_NE(r.message.find("element [1]: got nan"), std::string::npos)
      << r.message;
  EXPECT_NE(r.message.find("NaN where a number was expected"),
            std::string::npos)
      << r.message;
  // NaN where NaN is expected matches.
  e.data[1] = nan;
  EXPECT_TRUE(compareTensors(a, e, 1e-3, 1e-3).ok);
  // A number where NaN is expected does not.
  CompareResult swapped =
      compareTensors(sample(ElementKind::F32, {3}), e, 1e-3, 1e-3);
  EXPECT_FALSE(swapped.ok);
  EXPECT_NE(swapped.message.find("a number where NaN was expected"),
            std::string::npos)
      << swapped.message;
  // Infinities match only themselves.
  Tensor inf = Tensor::zeros(ElementKind::F32, {1});
  inf.data[0] = std::numeric_limits<float>::infinity();
  EXPECT_TRUE(compareTensors(inf, inf, 0, 0).ok);
  Tensor big = inf;
  big.data[0] = 1e30f;
  EXPECT_FALSE(compareTensors(big, inf, 1, 1).ok);
}

TEST(CompareTest, ComplexUsesMagnitudes) {
  Tensor e = Tensor::zeros(ElementKind::Complex64, {2});
  e.data = {3, 4, 0, 0}; // |e0| = 5
  Tensor a = e;
  a.data[0] += 0.3f;
  a.data[1] += 0.4f;                                 // |diff| = 0.5
  EXPECT_TRUE(compareTensors(a, e, 0.11, 0.0).ok);   // allowed 0.55
  CompareResult r = compareTensors(a, e, 0.09, 0.0); // allowed 0.45
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.message.find("element [0]: got (3.3, 4.4), expected (3, 4)"),
            std::string::npos)
      << r.message;
}

TEST(CompareTest, ShapeAndKindMismatch) {
  CompareResult r = compareTensors(sample(ElementKind::F32, {2, 3}),
                                   sample(ElementKind::F32, {3, 2}), 0, 0);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.message, "shape mismatch: got 2x3, expected 3x2");
  r = compareTensors(sample(ElementKind::F32, {2}),
                     sample(ElementKind::Complex64, {2}), 0, 0);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.message,
            "element type mismatch: got float32, expected complex64");
  EXPECT_TRUE(compareTensors(sample(ElementKind::F32, {0}),
                             sample(ElementKind::F32, {0}), 0, 0)
                  .ok);
}

TEST(CompareTest, Scalar) {
  Tensor e = Tensor::zeros(ElementKind::F32, {});
  Tensor a = e;
  a.data[0] = 2;
  CompareResult r = compareTensors(a, e, 0, 0.5);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.message.rfind("scalar: got 2, expected 0", 0), 0u) << r.message;
}

} // namespace
