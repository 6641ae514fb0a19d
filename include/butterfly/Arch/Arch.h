//===- Arch.h - Description of the dataflow array ---------------*- C++ -*-===//
//
// The parameters of the coarse-grained reconfigurable dataflow array that the
// compiler targets and the simulator executes, loaded from an arch JSON file.
// MLIR-free: the cost model, the bitstream codec and the simulator share it.
//
//===----------------------------------------------------------------------===//

#ifndef BUTTERFLY_ARCH_ARCH_H
#define BUTTERFLY_ARCH_ARCH_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace butterfly::arch {

/// Energy per action in picojoules. Defaults follow Horowitz (ISSCC 2014,
/// 45 nm) for a 16-byte flit; docs/arch.md derives each number.
struct EnergyTable {
  double fpOpPj = 2.3;             ///< one fp32 flop (an fma lane-op is two)
  double localMemAccessPj = 5.0;   ///< one 4-byte local-memory access
  double gbAccessPerFlitPj = 76.0; ///< one flit read or written in the GB
  double nocHopPerFlitPj = 8.0;    ///< one flit over one link (router + wire)
  double dramPerBytePj = 160.0;
  double leakagePerPeCyclePj = 0.5;
  double configPerBytePj = 8.5; ///< GB read + distribution + imem write
  std::string source;           ///< where the numbers come from (free text)

  bool operator==(const EnergyTable &other) const;
  bool operator!=(const EnergyTable &other) const { return !(*this == other); }
};

/// The array. Field names match the JSON keys (snake_case there).
struct Arch {
  std::string name = "default";
  int64_t rows = 16;             ///< "rows"
  int64_t cols = 16;             ///< "cols"
  double clockHz = 1.0e9;        ///< "clock_ghz" * 1e9
  int64_t lanes = 4;             ///< "lanes": fp32 lanes per PE datapath
  int64_t imemSlots = 64;        ///< "imem": instruction slots per PE
  int64_t localMemBytes = 16384; ///< "local_mem_kib" * 1024
  int64_t localMemBanks = 2;  ///< "local_mem_banks": one access per bank/cycle
  int64_t fifoDepth = 4;      ///< "fifo_depth": flits per mesh port FIFO
  bool nocExpress = false;    ///< "noc_express": express links along rows/cols
  int64_t expressMaxLog2 = 3; ///< "noc_express_max_log2": links skip 2^1..2^k
  int64_t gbBytes = 2048 * 1024;    ///< "gb_kib" * 1024
  int64_t gbBanks = 16;             ///< "gb_banks": one flit per bank per cycle
  double dramGBps = 51.2;           ///< "dram_gbps"
  double dramLatencyNs = 100;       ///< "dram_latency_ns"
  int64_t configBytesPerCycle = 16; ///< "config_bytes_per_cycle"
  int64_t expLatency = 8;           ///< "latency": {"exp": ...} multi-cycle ops
  int64_t rcpLatency = 8;
  int64_t rsqrtLatency = 8;
  int64_t aluLatency = 1; ///< add/sub/mul/fma/max/butterfly pipeline depth
  EnergyTable energy;

  int64_t numPEs() const { return rows * cols; }
  int64_t flitBytes() const { return lanes * 4; }
  /// Peak fp32 operations per cycle of the whole array (an fma counts as 2).
  int64_t peakFlopsPerCycle() const { return numPEs() * lanes * 2; }
  /// Words of one local-memory bank: word w is in bank w / this
  /// (docs/architecture.md §4).
  int64_t localMemBankWords() const {
    return (localMemBytes / 4 + localMemBanks - 1) / localMemBanks;
  }
  /// DRAM bytes per cycle at the clock.
  double dramBytesPerCycle() const { return dramGBps * 1e9 / clockHz; }
  /// The parameters that a bitstream must match, hashed (FNV-1a, 64-bit).
  uint64_t fingerprint() const;

  /// Every field equal (doubles compared exactly).
  bool operator==(const Arch &other) const;
  bool operator!=(const Arch &other) const { return !(*this == other); }
};

/// The parameters a bitstream depends on (what Arch::fingerprint() hashes),
/// by their arch JSON keys, in a fixed order. Without express links their
/// span reads 0.
std::vector<std::pair<const char *, int64_t>>
fingerprintParameters(const Arch &arch);

/// Parses and validates an arch JSON text (schema: docs/arch.md). Errors name
/// the key and the bad value, e.g. "arch.json: 'rows' must be an integer in
/// [1, 256], got 0"; every problem found is reported, one per line.
llvm::Expected<Arch> parseArch(llvm::StringRef json, llvm::StringRef name);
/// Reads and parses an arch JSON file.
llvm::Expected<Arch> loadArch(llvm::StringRef path);
/// The JSON text of `arch` (every key, schema order, two-space indent), which
/// parseArch reads back equal for any Arch that parseArch produced.
std::string toJson(const Arch &arch);

} // namespace butterfly::arch

#endif // BUTTERFLY_ARCH_ARCH_H
