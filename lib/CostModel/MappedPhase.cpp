//===- MappedPhase.cpp - Cycles of a phase as the compiler mapped it ------===//
//
// The bounds are independent sums and maxima; the fill is a recurrence over
// the PEs in stream order: when each PE's first unit can start and when its
// last unit can end, given its producers. docs/cost-model.md, "Mapped
// phases", gives each formula.
//
//===----------------------------------------------------------------------===//

#include "butterfly/CostModel/MappedPhase.h"

#include "llvm/ADT/STLExtras.h"

#include <algorithm>
#include <cmath>

using namespace butterfly;
using namespace butterfly::cost;

namespace {

/// The start of each PE's first unit and the end of its last one.
class Pipeline {
public:
  /// \p durations: the cycles each stream of the global buffer needs.
  Pipeline(const MappedPhase &phase, const std::vector<double> &durations)
      : phase(phase), durations(durations), start(phase.pes.size()),
        end(phase.pes.size()), state(phase.pes.size(), State::New),
        inputs(phase.pes.size()) {
    for (const MappedStream &stream : phase.streams)
      for (const MappedStream::Sink &sink : stream.sinks)
        if (sink.pe != kEdge)
          inputs[sink.pe].push_back({&stream, &sink});
  }

  /// The cycle after the last PE completes or the last flit reaches the
  /// global buffer.
  double finish() {
    double last = 0;
    for (size_t pe = 0; pe < phase.pes.size(); ++pe)
      last = std::max(last, endOf(pe));
    for (const MappedStream &stream : phase.streams)
      for (const MappedStream::Sink &sink : stream.sinks)
        if (sink.pe == kEdge && stream.source != kEdge)
          last = std::max(last, lastArrival(stream, sink) + 1);
    return last;
  }

private:
  enum class State { New, Visiting, Done };
  struct Input {
    const MappedStream *stream;
    const MappedStream::Sink *sink;
  };

  double duration(const MappedStream &stream) const {
    return durations[&stream - phase.streams.data()];
  }

  /// A stream's first flit at a sink: an edge pushes it in cycle 0 and it is
  /// visible the next; a PE's is visible firstOutputCycles into its first
  /// unit. Each hop adds a cycle.
  double firstArrival(const MappedStream &stream,
                      const MappedStream::Sink &sink) {
    if (stream.source == kEdge)
      return 1 + sink.hops;
    visit(stream.source);
    return start[stream.source] + phase.pes[stream.source].firstOutputCycles +
           sink.hops;
  }

  /// A stream's last flit at a sink: an edge's after the stream's duration;
  /// a PE's is visible outputTailCycles before its end.
  double lastArrival(const MappedStream &stream,
                     const MappedStream::Sink &sink) {
    if (stream.source == kEdge)
      return duration(stream) + sink.hops;
    visit(stream.source);
    return end[stream.source] - phase.pes[stream.source].outputTailCycles +
           sink.hops;
  }

  double endOf(size_t pe) {
    visit(pe);
    return end[pe];
  }

  void visit(size_t pe) {
    if (state[pe] != State::New)
      return; // done, or a stream cycle: the back edge does not constrain
    state[pe] = State::Visiting;
    const PeWork &work = phase.pes[pe];
    // The prologue receives its streams as they arrive; the first unit also
    // waits for the first flit of its own input, the last unit for the last.
    double prologueStart = 0, unitStart = 0, last = 0;
    for (const Input &input : inputs[pe]) {
      double first = firstArrival(*input.stream, *input.sink);
      if (!input.sink->paced) {
        prologueStart = std::max(prologueStart, first);
        continue;
      }
      unitStart = std::max(unitStart, first);
      last = std::max(last, lastArrival(*input.stream, *input.sink) +
                                work.inputTailCycles);
      // A PE does not receive while it computes or sends: behind a slow
      // stream of the global buffer, its other work adds to the stream's.
      if (input.stream->source == kEdge)
        last = std::max(last, first + duration(*input.stream) +
                                  work.units *
                                      (work.unitCycles - work.receiveCycles));
    }
    start[pe] = std::max(prologueStart + work.prologueCycles, unitStart);
    end[pe] = std::max(start[pe] + work.units * work.unitCycles, last);
    state[pe] = State::Done;
  }

  const MappedPhase &phase;
  const std::vector<double> &durations;
  std::vector<double> start, end;
  std::vector<State> state;
  std::vector<llvm::SmallVector<Input, 2>> inputs;
};

} // namespace

PhaseEstimate butterfly::cost::estimatePhase(const arch::Arch &arch,
                                             const MappedPhase &phase) {
  PhaseEstimate e;
  e.configCycles =
      std::ceil(phase.configBytes / double(arch.configBytesPerCycle));
  for (const PeWork &pe : phase.pes)
    e.peCycles = std::max(e.peCycles, pe.busyCycles());

  // Each global-buffer bank serves one row per cycle, to every stream.
  // Streams of one kind run at the same time: those into units, into
  // prologues, and those back to the global buffer.
  auto kind = [](const MappedStream &stream) {
    if (stream.source != kEdge)
      return 2;
    return llvm::any_of(
               stream.sinks,
               [](const MappedStream::Sink &sink) { return sink.paced; })
               ? 0
               : 1;
  };
  size_t banks = size_t(arch.gbBanks);
  std::vector<double> bankLoad(banks, 0.0), kindLoad(3 * banks, 0.0);
  for (const MappedStream &stream : phase.streams)
    for (size_t bank = 0; bank < stream.bankRows.size(); ++bank) {
      bankLoad[bank % banks] += stream.bankRows[bank];
      kindLoad[kind(stream) * banks + bank % banks] += stream.bankRows[bank];
    }
  e.gbCycles = *std::max_element(bankLoad.begin(), bankLoad.end());
  // A stream moves at most one flit per cycle per link, fewer when its
  // DMAs hold a bank several cycles per flit or share its banks with the
  // streams of its kind.
  std::vector<double> durations;
  for (const MappedStream &stream : phase.streams) {
    double cycles = double(stream.flits) * stream.cyclesPerFlit;
    e.linkCycles = std::max(e.linkCycles, cycles);
    for (size_t bank = 0; bank < stream.bankRows.size(); ++bank)
      if (stream.bankRows[bank] > 0)
        cycles =
            std::max(cycles, kindLoad[kind(stream) * banks + bank % banks]);
    durations.push_back(cycles);
  }
  if (phase.dramBytes > 0)
    e.dramCycles = std::ceil(phase.dramBytes / arch.dramBytesPerCycle()) +
                   double(phase.dramChain) *
                       std::ceil(arch.dramLatencyNs * arch.clockHz * 1e-9);
  double bound = std::max({e.peCycles, e.linkCycles, e.gbCycles, e.dramCycles});
  e.fillCycles = std::max(0.0, Pipeline(phase, durations).finish() - bound);
  e.executionCycles = bound + e.fillCycles;
  e.cycles = e.configCycles + e.executionCycles;
  return e;
}
