//===- butterfly-sim.cpp - Reference interpreter and simulator --*- C++ -*-===//
//
// Runs bfly models on the CPU reference interpreter (and, with the dataflow
// array, bitstreams on the cycle-level simulator).
//
//===----------------------------------------------------------------------===//

#include "butterfly/Driver/SimMain.h"

int main(int argc, char **argv) { return butterfly::simMain(argc, argv); }
