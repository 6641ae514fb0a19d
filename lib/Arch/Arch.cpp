//===- Arch.cpp - Arch JSON loading, validation and fingerprint -*- C++ -*-===//
//
// The arch JSON schema (docs/arch.md) as a table of keys with their types and
// ranges. The reader is strict: unknown keys are errors (they are usually
// typos that would otherwise silently fall back to a default), and every
// problem in a file is reported at once, each naming the key and the value.
//
//===----------------------------------------------------------------------===//

#include "butterfly/Arch/Arch.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MathExtras.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <optional>
#include <vector>

using namespace butterfly::arch;
using llvm::StringRef;

namespace {

/// The shortest decimal text that reads back as exactly \p v.
std::string formatDouble(double v) {
  char buf[40];
  for (int precision = 1; precision <= 17; ++precision) {
    std::snprintf(buf, sizeof(buf), "%.*g", precision, v);
    if (std::strtod(buf, nullptr) == v)
      break;
  }
  std::string s = buf;
  // Keep a marker that the value is a real number ("1.0", not "1").
  if (s.find_first_of(".eEn") == std::string::npos)
    s += ".0";
  return s;
}

/// A JSON value as it appears in messages: numbers and strings as written,
/// containers by their kind.
std::string describe(const llvm::json::Value &v) {
  switch (v.kind()) {
  case llvm::json::Value::Null:
    return "null";
  case llvm::json::Value::Boolean:
    return *v.getAsBoolean() ? "true" : "false";
  case llvm::json::Value::Number:
    if (std::optional<int64_t> i = v.getAsInteger())
      return std::to_string(*i);
    return formatDouble(*v.getAsNumber());
  case llvm::json::Value::String: {
    std::string s;
    llvm::raw_string_ostream os(s);
    os << v;
    return s;
  }
  case llvm::json::Value::Array:
    return "an array";
  case llvm::json::Value::Object:
    return "an object";
  }
  return "?";
}

enum class KeyType { Int, Pow2Int, Number, PositiveNumber, Bool, String };

/// One key of the schema. Integers and numbers carry their inclusive range;
/// PositiveNumber excludes its lower bound (0).
struct KeySpec {
  const char *key;
  KeyType type;
  double lo, hi;
  std::function<void(Arch &, const llvm::json::Value &)> set;
};

/// Collects every problem of one file; each message is "NAME: text".
class Reader {
public:
  explicit Reader(StringRef name) : name(name.str()) {}

  void error(const llvm::Twine &message) {
    errors.push_back(name + ": " + message.str());
  }

  /// Reads the keys of \p object (at path \p prefix) according to \p specs;
  /// \p extraKeys are accepted and skipped.
  void readObject(const llvm::json::Object &object, StringRef prefix,
                  llvm::ArrayRef<KeySpec> specs,
                  llvm::ArrayRef<StringRef> extraKeys, Arch &arch) {
    for (const KeySpec &spec : specs)
      if (const llvm::json::Value *v = object.get(spec.key))
        if (check(*v, spec, prefix))
          spec.set(arch, *v);
    // Unknown keys, sorted so that messages do not depend on hashing.
    std::vector<std::string> unknown;
    for (const auto &kv : object) {
      StringRef key = kv.first;
      bool known =
          llvm::any_of(specs, [&](const KeySpec &s) { return key == s.key; }) ||
          llvm::is_contained(extraKeys, key);
      if (!known)
        unknown.push_back(key.str());
    }
    llvm::sort(unknown);
    for (const std::string &key : unknown) {
      std::string message = "unknown key '" + qualified(prefix, key) + "'";
      // Suggest the closest known key: most unknown keys are typos.
      StringRef best;
      unsigned bestDistance = 3;
      auto consider = [&](StringRef candidate) {
        unsigned d =
            StringRef(key).edit_distance(candidate, true, bestDistance);
        if (d < bestDistance) {
          bestDistance = d;
          best = candidate;
        }
      };
      for (const KeySpec &s : specs)
        consider(s.key);
      for (StringRef extra : extraKeys)
        consider(extra);
      if (!best.empty())
        message += " (did you mean '" + qualified(prefix, best) + "'?)";
      error(message);
    }
  }

  llvm::Error finish() {
    if (errors.empty())
      return llvm::Error::success();
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   llvm::join(errors, "\n"));
  }

private:
  static std::string qualified(StringRef prefix, StringRef key) {
    return prefix.empty() ? key.str() : (prefix + "." + key).str();
  }

  bool check(const llvm::json::Value &v, const KeySpec &spec,
             StringRef prefix) {
    std::string key = "'" + qualified(prefix, spec.key) + "'";
    auto fmt = [](double x) {
      return x == std::floor(x) && std::fabs(x) < 1e15
                 ? std::to_string(int64_t(x))
                 : formatDouble(x);
    };
    std::string range = "[" + fmt(spec.lo) + ", " + fmt(spec.hi) + "]";
    switch (spec.type) {
    case KeyType::Int:
    case KeyType::Pow2Int: {
      bool pow2 = spec.type == KeyType::Pow2Int;
      std::optional<int64_t> i = v.getAsInteger();
      if (!i || double(*i) < spec.lo || double(*i) > spec.hi ||
          (pow2 && !llvm::isPowerOf2_64(uint64_t(*i)))) {
        error(key +
              (pow2 ? " must be a power of two in "
                    : " must be an "
                      "integer in ") +
              range + ", got " + describe(v));
        return false;
      }
      return true;
    }
    case KeyType::Number:
    case KeyType::PositiveNumber: {
      std::optional<double> d = v.getAsNumber();
      bool positive = spec.type == KeyType::PositiveNumber;
      // Written so that NaN fails (JSON cannot spell it, but 1e999 is inf).
      bool ok = d && std::isfinite(*d) &&
                (positive ? *d > spec.lo : *d >= spec.lo) && *d <= spec.hi;
      if (!ok) {
        error(key + " must be a number " +
              (positive ? "> 0 and <= " + fmt(spec.hi) : "in " + range) +
              ", got " + describe(v));
        return false;
      }
      return true;
    }
    case KeyType::Bool:
      if (!v.getAsBoolean()) {
        error(key + " must be a boolean, got " + describe(v));
        return false;
      }
      return true;
    case KeyType::String: {
      std::optional<StringRef> s = v.getAsString();
      if (!s || (spec.lo > 0 && s->empty())) {
        error(key + " must be a" + (spec.lo > 0 ? " non-empty" : "") +
              " string, got " + describe(v));
        return false;
      }
      return true;
    }
    }
    return false;
  }

  std::string name;
  std::vector<std::string> errors;
};

int64_t asInt(const llvm::json::Value &v) { return *v.getAsInteger(); }
double asNumber(const llvm::json::Value &v) { return *v.getAsNumber(); }

#define INT_KEY(KEY, LO, HI, FIELD)                                            \
  {                                                                            \
    KEY, KeyType::Int, LO, HI,                                                 \
        [](Arch &a, const llvm::json::Value &v) { a.FIELD = asInt(v); }        \
  }
#define POW2_KEY(KEY, LO, HI, FIELD)                                           \
  {                                                                            \
    KEY, KeyType::Pow2Int, LO, HI,                                             \
        [](Arch &a, const llvm::json::Value &v) { a.FIELD = asInt(v); }        \
  }
#define ENERGY_KEY(KEY, FIELD)                                                 \
  {                                                                            \
    KEY, KeyType::Number, 0, 1e9, [](Arch &a, const llvm::json::Value &v) {    \
      a.energy.FIELD = asNumber(v);                                            \
    }                                                                          \
  }

// Bounds are documented in docs/arch.md; keep the two in sync.
const KeySpec kTopKeys[] = {
    {"name", KeyType::String, 1, 0,
     [](Arch &a, const llvm::json::Value &v) { a.name = *v.getAsString(); }},
    INT_KEY("rows", 1, 256, rows),
    INT_KEY("cols", 1, 256, cols),
    {"clock_ghz", KeyType::PositiveNumber, 0, 10,
     [](Arch &a, const llvm::json::Value &v) {
       a.clockHz = asNumber(v) * 1e9;
     }},
    POW2_KEY("lanes", 1, 64, lanes),
    INT_KEY("imem", 1, 4096, imemSlots),
    {"local_mem_kib", KeyType::Int, 1, 1024,
     [](Arch &a, const llvm::json::Value &v) {
       a.localMemBytes = asInt(v) * 1024;
     }},
    POW2_KEY("local_mem_banks", 1, 64, localMemBanks),
    INT_KEY("fifo_depth", 1, 1024, fifoDepth),
    {"noc_express", KeyType::Bool, 0, 0,
     [](Arch &a, const llvm::json::Value &v) {
       a.nocExpress = *v.getAsBoolean();
     }},
    INT_KEY("noc_express_max_log2", 1, 8, expressMaxLog2),
    {"gb_kib", KeyType::Int, 1, 1 << 20,
     [](Arch &a, const llvm::json::Value &v) { a.gbBytes = asInt(v) * 1024; }},
    POW2_KEY("gb_banks", 1, 1024, gbBanks),
    {"dram_gbps", KeyType::PositiveNumber, 0, 100000,
     [](Arch &a, const llvm::json::Value &v) { a.dramGBps = asNumber(v); }},
    {"dram_latency_ns", KeyType::Number, 0, 1e6,
     [](Arch &a, const llvm::json::Value &v) {
       a.dramLatencyNs = asNumber(v);
     }},
    INT_KEY("config_bytes_per_cycle", 1, 65536, configBytesPerCycle),
};

const KeySpec kLatencyKeys[] = {
    INT_KEY("alu", 1, 1024, aluLatency),
    INT_KEY("exp", 1, 1024, expLatency),
    INT_KEY("rcp", 1, 1024, rcpLatency),
    INT_KEY("rsqrt", 1, 1024, rsqrtLatency),
};

const KeySpec kEnergyKeys[] = {
    ENERGY_KEY("fp_op", fpOpPj),
    ENERGY_KEY("local_mem_access", localMemAccessPj),
    ENERGY_KEY("gb_access_per_flit", gbAccessPerFlitPj),
    ENERGY_KEY("noc_hop_per_flit", nocHopPerFlitPj),
    ENERGY_KEY("dram_per_byte", dramPerBytePj),
    ENERGY_KEY("leakage_per_pe_cycle", leakagePerPeCyclePj),
    ENERGY_KEY("config_per_byte", configPerBytePj),
    {"source", KeyType::String, 0, 0,
     [](Arch &a, const llvm::json::Value &v) {
       a.energy.source = *v.getAsString();
     }},
};

#undef INT_KEY
#undef POW2_KEY
#undef ENERGY_KEY

/// Reads a nested object key (latency, energy_pj) if present.
void readNested(Reader &reader, const llvm::json::Object &top, StringRef key,
                llvm::ArrayRef<KeySpec> specs, Arch &arch) {
  const llvm::json::Value *v = top.get(key);
  if (!v)
    return;
  if (const llvm::json::Object *o = v->getAsObject())
    reader.readObject(*o, key, specs, {}, arch);
  else
    reader.error("'" + key + "' must be an object, got " + describe(*v));
}

/// llvm::json::parse reports "[LINE:COL, byte=N]: MESSAGE"; turn that into
/// the usual "NAME:LINE:COL: malformed JSON: MESSAGE".
std::string malformedMessage(StringRef name, StringRef jsonError) {
  StringRef rest = jsonError;
  unsigned line, col;
  if (rest.consume_front("[") && !rest.consumeInteger(10, line) &&
      rest.consume_front(":") && !rest.consumeInteger(10, col)) {
    size_t close = rest.find("]: ");
    // Columns are 1-based, except 0 at the end of an empty input.
    if (close != StringRef::npos)
      return (name + ":" + llvm::Twine(line) + ":" +
              llvm::Twine(std::max(col, 1u)) +
              ": malformed JSON: " + rest.substr(close + 3))
          .str();
  }
  return (name + ": malformed JSON: " + jsonError).str();
}

/// clock_ghz text for \p clockHz that parseArch turns back into exactly
/// clockHz (it multiplies by 1e9).
std::string clockGhzText(double clockHz) {
  double ghz = clockHz / 1e9;
  for (double candidate :
       {ghz, std::nextafter(ghz, 0.0), std::nextafter(ghz, 1e300)}) {
    std::string text = formatDouble(candidate);
    if (std::strtod(text.c_str(), nullptr) * 1e9 == clockHz)
      return text;
  }
  return formatDouble(ghz);
}

/// FNV-1a, 64-bit.
class Fnv1a {
public:
  void bytes(StringRef data) {
    for (unsigned char c : data) {
      hash ^= c;
      hash *= 0x100000001b3ULL;
    }
  }
  void integer(int64_t v) {
    char le[8];
    for (int i = 0; i < 8; ++i)
      le[i] = char((uint64_t(v) >> (8 * i)) & 0xff);
    bytes(StringRef(le, 8));
  }
  uint64_t value() const { return hash; }

private:
  uint64_t hash = 0xcbf29ce484222325ULL;
};

} // namespace

bool EnergyTable::operator==(const EnergyTable &o) const {
  return fpOpPj == o.fpOpPj && localMemAccessPj == o.localMemAccessPj &&
         gbAccessPerFlitPj == o.gbAccessPerFlitPj &&
         nocHopPerFlitPj == o.nocHopPerFlitPj &&
         dramPerBytePj == o.dramPerBytePj &&
         leakagePerPeCyclePj == o.leakagePerPeCyclePj &&
         configPerBytePj == o.configPerBytePj && source == o.source;
}

bool Arch::operator==(const Arch &o) const {
  return name == o.name && rows == o.rows && cols == o.cols &&
         clockHz == o.clockHz && lanes == o.lanes && imemSlots == o.imemSlots &&
         localMemBytes == o.localMemBytes && localMemBanks == o.localMemBanks &&
         fifoDepth == o.fifoDepth && nocExpress == o.nocExpress &&
         expressMaxLog2 == o.expressMaxLog2 && gbBytes == o.gbBytes &&
         gbBanks == o.gbBanks && dramGBps == o.dramGBps &&
         dramLatencyNs == o.dramLatencyNs &&
         configBytesPerCycle == o.configBytesPerCycle &&
         expLatency == o.expLatency && rcpLatency == o.rcpLatency &&
         rsqrtLatency == o.rsqrtLatency && aluLatency == o.aluLatency &&
         energy == o.energy;
}

std::vector<std::pair<const char *, int64_t>>
butterfly::arch::fingerprintParameters(const Arch &arch) {
  return {{"rows", arch.rows},
          {"cols", arch.cols},
          {"lanes", arch.lanes},
          {"imem", arch.imemSlots},
          {"local_mem_bytes", arch.localMemBytes},
          {"local_mem_banks", arch.localMemBanks},
          {"fifo_depth", arch.fifoDepth},
          {"noc_express", int64_t(arch.nocExpress)},
          // Without express links their span is irrelevant to a bitstream.
          {"noc_express_max_log2", arch.nocExpress ? arch.expressMaxLog2 : 0},
          {"gb_bytes", arch.gbBytes},
          {"gb_banks", arch.gbBanks}};
}

uint64_t Arch::fingerprint() const {
  Fnv1a h;
  // A version tag, so that a change of what is hashed changes every value.
  h.bytes("butterfly-arch-fingerprint-v1");
  for (auto [key, value] : fingerprintParameters(*this))
    h.integer(value);
  return h.value();
}

llvm::Expected<Arch> butterfly::arch::parseArch(StringRef json,
                                                StringRef name) {
  llvm::Expected<llvm::json::Value> parsed = llvm::json::parse(json);
  if (!parsed)
    return llvm::createStringError(
        llvm::inconvertibleErrorCode(),
        malformedMessage(name, llvm::toString(parsed.takeError())));
  Reader reader(name);
  const llvm::json::Object *top = parsed->getAsObject();
  if (!top) {
    reader.error("the top level must be a JSON object, got " +
                 describe(*parsed));
    return reader.finish();
  }
  Arch arch;
  for (StringRef comment : {"comment", "_comment"})
    if (const llvm::json::Value *v = top->get(comment))
      if (!v->getAsString())
        reader.error("'" + comment + "' must be a string, got " + describe(*v));
  reader.readObject(*top, "", kTopKeys,
                    {"comment", "_comment", "latency", "energy_pj"}, arch);
  readNested(reader, *top, "latency", kLatencyKeys, arch);
  readNested(reader, *top, "energy_pj", kEnergyKeys, arch);
  if (llvm::Error err = reader.finish())
    return err;
  return arch;
}

llvm::Expected<Arch> butterfly::arch::loadArch(StringRef path) {
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> buffer =
      llvm::MemoryBuffer::getFile(path, /*IsText=*/true);
  if (!buffer)
    return llvm::createStringError(
        buffer.getError(),
        path + ": cannot read arch file: " + buffer.getError().message());
  return parseArch((*buffer)->getBuffer(), path);
}

std::string butterfly::arch::toJson(const Arch &arch) {
  std::string out;
  llvm::raw_string_ostream os(out);
  {
    llvm::json::OStream j(os, 2);
    auto number = [&](StringRef key, const std::string &text) {
      j.attributeBegin(key);
      j.rawValue(text);
      j.attributeEnd();
    };
    auto integer = [&](StringRef key, int64_t v) { j.attribute(key, v); };
    // KiB fields: an exact KiB count when there is one (always, for an Arch
    // that parseArch produced).
    auto kib = [&](StringRef key, int64_t bytes) {
      if (bytes % 1024 == 0)
        integer(key, bytes / 1024);
      else
        number(key, formatDouble(double(bytes) / 1024));
    };
    j.object([&] {
      j.attribute("name", arch.name);
      integer("rows", arch.rows);
      integer("cols", arch.cols);
      number("clock_ghz", clockGhzText(arch.clockHz));
      integer("lanes", arch.lanes);
      integer("imem", arch.imemSlots);
      kib("local_mem_kib", arch.localMemBytes);
      integer("local_mem_banks", arch.localMemBanks);
      integer("fifo_depth", arch.fifoDepth);
      j.attribute("noc_express", arch.nocExpress);
      integer("noc_express_max_log2", arch.expressMaxLog2);
      kib("gb_kib", arch.gbBytes);
      integer("gb_banks", arch.gbBanks);
      number("dram_gbps", formatDouble(arch.dramGBps));
      number("dram_latency_ns", formatDouble(arch.dramLatencyNs));
      integer("config_bytes_per_cycle", arch.configBytesPerCycle);
      j.attributeObject("latency", [&] {
        integer("alu", arch.aluLatency);
        integer("exp", arch.expLatency);
        integer("rcp", arch.rcpLatency);
        integer("rsqrt", arch.rsqrtLatency);
      });
      const EnergyTable &e = arch.energy;
      j.attributeObject("energy_pj", [&] {
        number("fp_op", formatDouble(e.fpOpPj));
        number("local_mem_access", formatDouble(e.localMemAccessPj));
        number("gb_access_per_flit", formatDouble(e.gbAccessPerFlitPj));
        number("noc_hop_per_flit", formatDouble(e.nocHopPerFlitPj));
        number("dram_per_byte", formatDouble(e.dramPerBytePj));
        number("leakage_per_pe_cycle", formatDouble(e.leakagePerPeCyclePj));
        number("config_per_byte", formatDouble(e.configPerBytePj));
        j.attribute("source", e.source);
      });
    });
  }
  out += '\n';
  return out;
}
