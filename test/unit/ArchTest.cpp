//===- ArchTest.cpp - Arch JSON loading, validation, fingerprint ----------===//
//
// Defaults, the example arch files, the toJson round trip, one test per kind
// of validation error (each message checked), and what the fingerprint does
// and does not depend on.
//
//===----------------------------------------------------------------------===//

#include "butterfly/Arch/Arch.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include "gtest/gtest.h"

#include <string>

#ifndef BUTTERFLY_SOURCE_DIR
#error "build with -DBUTTERFLY_SOURCE_DIR=\"<repository root>\""
#endif

using namespace butterfly::arch;

namespace {

std::string examplePath(const char *file) {
  llvm::SmallString<256> path(BUTTERFLY_SOURCE_DIR);
  llvm::sys::path::append(path, "examples", "arch", file);
  return std::string(path);
}

/// The error message of parsing \p json as "t.json", or "" when it parses.
std::string parseError(const std::string &json) {
  llvm::Expected<Arch> arch = parseArch(json, "t.json");
  if (arch)
    return "";
  return llvm::toString(arch.takeError());
}

Arch parseOk(const std::string &json) {
  llvm::Expected<Arch> arch = parseArch(json, "t.json");
  if (!arch) {
    ADD_FAILURE() << llvm::toString(arch.takeError());
    return Arch();
  }
  return *arch;
}

TEST(Arch, Defaults) {
  Arch a;
  EXPECT_EQ(a.rows, 16);
  EXPECT_EQ(a.cols, 16);
  EXPECT_EQ(a.numPEs(), 256);
  EXPECT_EQ(a.lanes, 4);
  EXPECT_EQ(a.flitBytes(), 16);
  EXPECT_EQ(a.peakFlopsPerCycle(), 2048);
  EXPECT_DOUBLE_EQ(a.clockHz, 1e9);
  EXPECT_DOUBLE_EQ(a.dramBytesPerCycle(), 51.2);
  EXPECT_EQ(a.localMemBytes, 16384);
  EXPECT_EQ(a.gbBytes, 2048 * 1024);
  EXPECT_FALSE(a.nocExpress);
  EXPECT_DOUBLE_EQ(a.energy.fpOpPj, 2.3);
  EXPECT_DOUBLE_EQ(a.energy.dramPerBytePj, 160.0);
  // An empty object is the defaults.
  EXPECT_EQ(parseOk("{}"), a);
}

TEST(Arch, DefaultJsonIsTheHeaderDefaults) {
  llvm::Expected<Arch> loaded = loadArch(examplePath("default.json"));
  ASSERT_TRUE(bool(loaded)) << llvm::toString(loaded.takeError());
  Arch expected;
  expected.energy.source = loaded->energy.source;
  EXPECT_EQ(*loaded, expected);
  EXPECT_NE(loaded->energy.source.find("Horowitz"), std::string::npos);
}

TEST(Arch, ExamplesLoad) {
  struct Case {
    const char *file;
    int64_t rows, cols;
    bool express;
  } cases[] = {{"default.json", 16, 16, false},
               {"default-express.json", 16, 16, true},
               {"tiny4x4.json", 4, 4, false},
               {"large32x32.json", 32, 32, false}};
  for (const Case &c : cases) {
    SCOPED_TRACE(c.file);
    llvm::Expected<Arch> a = loadArch(examplePath(c.file));
    ASSERT_TRUE(bool(a)) << llvm::toString(a.takeError());
    EXPECT_EQ(a->rows, c.rows);
    EXPECT_EQ(a->cols, c.cols);
    EXPECT_EQ(a->nocExpress, c.express);
    EXPECT_FALSE(a->energy.source.empty());
  }
  llvm::Expected<Arch> tiny = loadArch(examplePath("tiny4x4.json"));
  ASSERT_TRUE(bool(tiny));
  EXPECT_EQ(tiny->name, "tiny4x4");
  EXPECT_EQ(tiny->localMemBytes, 4096);
  EXPECT_EQ(tiny->gbBytes, 65536);
  EXPECT_DOUBLE_EQ(tiny->dramBytesPerCycle(), 16.0);
}

TEST(Arch, EveryKeyIsRead) {
  Arch a = parseOk(R"({
    "name": "x", "rows": 3, "cols": 5, "clock_ghz": 1.5, "lanes": 8,
    "imem": 17, "local_mem_kib": 7, "local_mem_banks": 4, "fifo_depth": 9,
    "noc_express": true, "noc_express_max_log2": 2, "gb_kib": 100,
    "gb_banks": 2, "dram_gbps": 12.5, "dram_latency_ns": 0,
    "config_bytes_per_cycle": 3,
    "latency": {"alu": 2, "exp": 11, "rcp": 12, "rsqrt": 13},
    "energy_pj": {"fp_op": 1, "local_mem_access": 2, "gb_access_per_flit": 3,
                  "noc_hop_per_flit": 4, "dram_per_byte": 5,
                  "leakage_per_pe_cycle": 6, "config_per_byte": 7,
                  "source": "s"},
    "comment": "c", "_comment": "d"})");
  EXPECT_EQ(a.name, "x");
  EXPECT_EQ(a.rows, 3);
  EXPECT_EQ(a.cols, 5);
  EXPECT_DOUBLE_EQ(a.clockHz, 1.5e9);
  EXPECT_EQ(a.lanes, 8);
  EXPECT_EQ(a.imemSlots, 17);
  EXPECT_EQ(a.localMemBytes, 7 * 1024);
  EXPECT_EQ(a.localMemBanks, 4);
  EXPECT_EQ(a.fifoDepth, 9);
  EXPECT_TRUE(a.nocExpress);
  EXPECT_EQ(a.expressMaxLog2, 2);
  EXPECT_EQ(a.gbBytes, 100 * 1024);
  EXPECT_EQ(a.gbBanks, 2);
  EXPECT_DOUBLE_EQ(a.dramGBps, 12.5);
  EXPECT_DOUBLE_EQ(a.dramLatencyNs, 0);
  EXPECT_EQ(a.configBytesPerCycle, 3);
  EXPECT_EQ(a.aluLatency, 2);
  EXPECT_EQ(a.expLatency, 11);
  EXPECT_EQ(a.rcpLatency, 12);
  EXPECT_EQ(a.rsqrtLatency, 13);
  EXPECT_DOUBLE_EQ(a.energy.fpOpPj, 1);
  EXPECT_DOUBLE_EQ(a.energy.localMemAccessPj, 2);
  EXPECT_DOUBLE_EQ(a.energy.gbAccessPerFlitPj, 3);
  EXPECT_DOUBLE_EQ(a.energy.nocHopPerFlitPj, 4);
  EXPECT_DOUBLE_EQ(a.energy.dramPerBytePj, 5);
  EXPECT_DOUBLE_EQ(a.energy.leakagePerPeCyclePj, 6);
  EXPECT_DOUBLE_EQ(a.energy.configPerBytePj, 7);
  EXPECT_EQ(a.energy.source, "s");
  // 1.5e9 cycles/s at 12.5e9 B/s.
  EXPECT_DOUBLE_EQ(a.dramBytesPerCycle(), 12.5 / 1.5);
}

TEST(Arch, IntegralNumbersAreIntegers) {
  EXPECT_EQ(parseOk(R"({"rows": 4.0})").rows, 4);
  EXPECT_EQ(parseOk(R"({"rows": 4e0})").rows, 4);
}

TEST(Arch, RoundTrip) {
  for (const char *file : {"default.json", "default-express.json",
                           "tiny4x4.json", "large32x32.json"}) {
    SCOPED_TRACE(file);
    llvm::Expected<Arch> a = loadArch(examplePath(file));
    ASSERT_TRUE(bool(a)) << llvm::toString(a.takeError());
    Arch back = parseOk(toJson(*a));
    EXPECT_EQ(back, *a);
    // And the text is a fixed point.
    EXPECT_EQ(toJson(back), toJson(*a));
  }
  // Awkward values: non-round clocks and energies survive exactly.
  Arch odd = parseOk(R"({"clock_ghz": 0.7, "dram_gbps": 0.1,
                         "dram_latency_ns": 33.3,
                         "energy_pj": {"fp_op": 0.30000000000000004,
                                       "source": "q\"uote\\ \u00e9"}})");
  EXPECT_EQ(parseOk(toJson(odd)), odd);
  EXPECT_EQ(parseOk(toJson(Arch())), Arch());
  // Numbers come out short, not as 17 digits.
  std::string text = toJson(odd);
  EXPECT_NE(text.find("\"clock_ghz\": 0.7,"), std::string::npos) << text;
  EXPECT_NE(text.find("\"dram_gbps\": 0.1,"), std::string::npos) << text;
  EXPECT_NE(text.find("\"fp_op\": 0.30000000000000004,"), std::string::npos);
}

TEST(Arch, UnknownKey) {
  EXPECT_EQ(parseError(R"({"rwos": 4})"),
            "t.json: unknown key 'rwos' (did you mean 'rows'?)");
  EXPECT_EQ(parseError(R"({"bogus": 4})"), "t.json: unknown key 'bogus'");
  EXPECT_EQ(parseError(R"({"latency": {"expp": 4}})"),
            "t.json: unknown key 'latency.expp' (did you mean "
            "'latency.exp'?)");
  EXPECT_EQ(parseError(R"({"energy_pj": {"fp_ops": 4}})"),
            "t.json: unknown key 'energy_pj.fp_ops' (did you mean "
            "'energy_pj.fp_op'?)");
  // Comments are only allowed at the top level, and must be strings.
  EXPECT_EQ(parseError(R"({"latency": {"comment": "x"}})"),
            "t.json: unknown key 'latency.comment'");
  EXPECT_EQ(parseError(R"({"comment": 3})"),
            "t.json: 'comment' must be a string, got 3");
}

TEST(Arch, WrongType) {
  EXPECT_EQ(parseError(R"({"noc_express": "yes"})"),
            "t.json: 'noc_express' must be a boolean, got \"yes\"");
  EXPECT_EQ(parseError(R"({"rows": "16"})"),
            "t.json: 'rows' must be an integer in [1, 256], got \"16\"");
  EXPECT_EQ(parseError(R"({"rows": 2.5})"),
            "t.json: 'rows' must be an integer in [1, 256], got 2.5");
  EXPECT_EQ(parseError(R"({"cols": [16]})"),
            "t.json: 'cols' must be an integer in [1, 256], got an array");
  EXPECT_EQ(parseError(R"({"clock_ghz": null})"),
            "t.json: 'clock_ghz' must be a number > 0 and <= 10, got null");
  EXPECT_EQ(parseError(R"({"name": 7})"),
            "t.json: 'name' must be a non-empty string, got 7");
  EXPECT_EQ(parseError(R"({"name": ""})"),
            "t.json: 'name' must be a non-empty string, got \"\"");
  EXPECT_EQ(parseError(R"({"latency": 3})"),
            "t.json: 'latency' must be an object, got 3");
  EXPECT_EQ(parseError(R"({"energy_pj": {"source": false}})"),
            "t.json: 'energy_pj.source' must be a string, got false");
}

TEST(Arch, OutOfRange) {
  EXPECT_EQ(parseError(R"({"rows": 0})"),
            "t.json: 'rows' must be an integer in [1, 256], got 0");
  EXPECT_EQ(parseError(R"({"cols": 257})"),
            "t.json: 'cols' must be an integer in [1, 256], got 257");
  EXPECT_EQ(parseError(R"({"lanes": 3})"),
            "t.json: 'lanes' must be a power of two in [1, 64], got 3");
  EXPECT_EQ(parseError(R"({"lanes": 128})"),
            "t.json: 'lanes' must be a power of two in [1, 64], got 128");
  EXPECT_EQ(parseError(R"({"clock_ghz": 0})"),
            "t.json: 'clock_ghz' must be a number > 0 and <= 10, got 0");
  // A clock in Hz instead of GHz.
  EXPECT_EQ(parseError(R"({"clock_ghz": 1e9})"),
            "t.json: 'clock_ghz' must be a number > 0 and <= 10, got "
            "1000000000");
  EXPECT_EQ(parseError(R"({"clock_ghz": 1e999})"),
            "t.json: 'clock_ghz' must be a number > 0 and <= 10, got inf");
  EXPECT_EQ(parseError(R"({"dram_gbps": -1})"),
            "t.json: 'dram_gbps' must be a number > 0 and <= 100000, got -1");
  EXPECT_EQ(parseError(R"({"dram_latency_ns": -0.5})"),
            "t.json: 'dram_latency_ns' must be a number in [0, 1000000], got "
            "-0.5");
  EXPECT_EQ(parseError(R"({"gb_banks": 12})"),
            "t.json: 'gb_banks' must be a power of two in [1, 1024], got 12");
  EXPECT_EQ(parseError(R"({"local_mem_kib": 0.5})"),
            "t.json: 'local_mem_kib' must be an integer in [1, 1024], got "
            "0.5");
  EXPECT_EQ(parseError(R"({"rows": 1e30})"),
            "t.json: 'rows' must be an integer in [1, 256], got 1e+30");
  EXPECT_EQ(parseError(R"({"latency": {"exp": 0}})"),
            "t.json: 'latency.exp' must be an integer in [1, 1024], got 0");
  EXPECT_EQ(parseError(R"({"energy_pj": {"fp_op": -2.3}})"),
            "t.json: 'energy_pj.fp_op' must be a number in [0, 1000000000], "
            "got -2.3");
  EXPECT_EQ(parseError(R"({"noc_express_max_log2": 9})"),
            "t.json: 'noc_express_max_log2' must be an integer in [1, 8], got "
            "9");
}

TEST(Arch, AllErrorsReported) {
  EXPECT_EQ(parseError(R"({"rows": 0, "cols": 0, "typo": 1,
                           "energy_pj": {"dram_per_byte": "x"}})"),
            "t.json: 'rows' must be an integer in [1, 256], got 0\n"
            "t.json: 'cols' must be an integer in [1, 256], got 0\n"
            "t.json: unknown key 'typo'\n"
            "t.json: 'energy_pj.dram_per_byte' must be a number in "
            "[0, 1000000000], got \"x\"");
}

TEST(Arch, MalformedJson) {
  EXPECT_EQ(parseError("{\n  \"rows\": 4,\n  \"cols\": }"),
            "t.json:3:11: malformed JSON: Invalid JSON value");
  EXPECT_EQ(parseError("{\"rows\": 4,}"),
            "t.json:1:12: malformed JSON: Expected object key");
  EXPECT_EQ(parseError(""), "t.json:1:1: malformed JSON: Unexpected EOF");
  EXPECT_EQ(parseError("[1, 2]"),
            "t.json: the top level must be a JSON object, got an array");
  EXPECT_EQ(parseError("16"),
            "t.json: the top level must be a JSON object, got 16");
}

TEST(Arch, MissingFile) {
  llvm::SmallString<128> dir;
  ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("archtest", dir));
  std::string path = (dir + "/nope.json").str();
  llvm::Expected<Arch> a = loadArch(path);
  ASSERT_FALSE(bool(a));
  std::string msg = llvm::toString(a.takeError());
  EXPECT_EQ(msg.rfind(path + ": cannot read arch file: ", 0), 0u) << msg;
  // A file's errors are prefixed with its path.
  std::string bad = (dir + "/bad.json").str();
  {
    std::error_code ec;
    llvm::raw_fd_ostream os(bad, ec);
    ASSERT_FALSE(ec);
    os << "{\"rows\": 0}";
  }
  llvm::Expected<Arch> b = loadArch(bad);
  ASSERT_FALSE(bool(b));
  EXPECT_EQ(llvm::toString(b.takeError()),
            bad + ": 'rows' must be an integer in [1, 256], got 0");
  llvm::sys::fs::remove(bad);
  llvm::sys::fs::remove(dir);
}

TEST(Arch, Fingerprint) {
  Arch base;
  uint64_t fp = base.fingerprint();
  EXPECT_EQ(fp, Arch().fingerprint());

  // What a bitstream does not depend on: timing, bandwidth and energy.
  Arch same = base;
  same.name = "renamed";
  same.clockHz = 2.5e9;
  same.dramGBps = 1;
  same.dramLatencyNs = 7;
  same.configBytesPerCycle = 1;
  same.expLatency = 20;
  same.aluLatency = 3;
  same.energy.fpOpPj = 99;
  same.energy.dramPerBytePj = 1;
  same.energy.source = "other";
  same.expressMaxLog2 = 5; // no express links: their span is irrelevant
  EXPECT_EQ(same.fingerprint(), fp);

  // What it does.
  auto differs = [&](auto mutate) {
    Arch a = base;
    mutate(a);
    return a.fingerprint() != fp;
  };
  EXPECT_TRUE(differs([](Arch &a) { a.rows = 8; }));
  EXPECT_TRUE(differs([](Arch &a) { a.cols = 8; }));
  EXPECT_TRUE(differs([](Arch &a) { a.lanes = 8; }));
  EXPECT_TRUE(differs([](Arch &a) { a.imemSlots = 32; }));
  EXPECT_TRUE(differs([](Arch &a) { a.localMemBytes = 8192; }));
  EXPECT_TRUE(differs([](Arch &a) { a.localMemBanks = 4; }));
  EXPECT_TRUE(differs([](Arch &a) { a.fifoDepth = 8; }));
  EXPECT_TRUE(differs([](Arch &a) { a.nocExpress = true; }));
  EXPECT_TRUE(differs([](Arch &a) { a.gbBytes = 1024; }));
  EXPECT_TRUE(differs([](Arch &a) { a.gbBanks = 8; }));
  // Rows and cols are not interchangeable.
  Arch wide = base, tall = base;
  wide.cols = 32;
  tall.rows = 32;
  EXPECT_NE(wide.fingerprint(), tall.fingerprint());
  // With express links, their span matters.
  Arch e2 = base, e3 = base;
  e2.nocExpress = e3.nocExpress = true;
  e2.expressMaxLog2 = 2;
  EXPECT_NE(e2.fingerprint(), e3.fingerprint());

  // The example files: the express variant differs from the default.
  llvm::Expected<Arch> d = loadArch(examplePath("default.json"));
  llvm::Expected<Arch> x = loadArch(examplePath("default-express.json"));
  ASSERT_TRUE(d && x);
  EXPECT_EQ(d->fingerprint(), fp);
  EXPECT_NE(x->fingerprint(), fp);
}

} // namespace
