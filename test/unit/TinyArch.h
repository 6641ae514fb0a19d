//===- TinyArch.h - The 4x4 test array, spelled out --------------*- C++ -*-===//
//
// examples/arch/tiny4x4.json as an Arch, so that the hand arithmetic of the
// cost-model tests can be checked against its numbers: 16 PEs x 4 lanes
// (peak 128 flops/cycle), 16-byte flits, 32 instruction slots, 4 KiB local
// memory (1024 words), FIFOs of 2 flits, 64 KiB GB in 4 banks, DRAM 16
// B/cycle with 100 cycles of latency, 8 configuration bytes per cycle.
//
//===----------------------------------------------------------------------===//

#ifndef BUTTERFLY_TEST_UNIT_TINYARCH_H
#define BUTTERFLY_TEST_UNIT_TINYARCH_H

#include "butterfly/Arch/Arch.h"

namespace butterfly::test {

inline arch::Arch tinyArch() {
  arch::Arch a;
  a.name = "tiny4x4";
  a.rows = a.cols = 4;
  a.imemSlots = 32;
  a.localMemBytes = 4096;
  a.fifoDepth = 2;
  a.gbBytes = 65536;
  a.gbBanks = 4;
  a.dramGBps = 16;
  a.configBytesPerCycle = 8;
  return a;
}

} // namespace butterfly::test

#endif // BUTTERFLY_TEST_UNIT_TINYARCH_H
