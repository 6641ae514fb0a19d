//===- SimMain.h - The butterfly-sim command line ---------------*- C++ -*-===//
//
// The whole of butterfly-sim behind one call, so that the tool's main stays a
// one-liner and the driver can be reused by other front ends.
//
//===----------------------------------------------------------------------===//

#ifndef BUTTERFLY_DRIVER_SIMMAIN_H
#define BUTTERFLY_DRIVER_SIMMAIN_H

namespace butterfly {

/// Parses the butterfly-sim command line and runs it; returns the exit code.
int simMain(int argc, char **argv);

} // namespace butterfly

#endif // BUTTERFLY_DRIVER_SIMMAIN_H
