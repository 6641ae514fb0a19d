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
  /// \p delays and \p durations: when each stream of the global buffer
  /// starts and the cycles it needs.
  Pipeline(const MappedPhase &phase, const std::vector<double> &delays,
           const std::vector<double> &durations)
      : phase(phase), delays(delays), durations(durations),
        start(phase.pes.size()), end(phase.pes.size()),
        state(phase.pes.size(), State::New), inputs(phase.pes.size()) {
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

  /// When \p fraction of a stream's flits have moved at the global buffer:
  /// pushed by its edge, or popped at its edge sink, at an even pace.
  double atBuffer(const MappedStream &stream, double fraction) {
    if (stream.source == kEdge)
      return delay(stream) + fraction * duration(stream);
    for (const MappedStream::Sink &sink : stream.sinks)
      if (sink.pe == kEdge) {
        double first = firstArrival(stream, sink);
        return first + fraction * (lastArrival(stream, sink) + 1 - first);
      }
    return 0;
  }

private:
  enum class State { New, Visiting, Done };
  struct Input {
    const MappedStream *stream;
    const MappedStream::Sink *sink;
  };

  double delay(const MappedStream &stream) const {
    return delays[&stream - phase.streams.data()];
  }
  double duration(const MappedStream &stream) const {
    return durations[&stream - phase.streams.data()];
  }

  /// A stream's first flit at a sink: an edge pushes it once its banks are
  /// free and it is visible the next cycle; a PE's is visible
  /// firstOutputCycles into its first unit. Each hop adds a cycle.
  double firstArrival(const MappedStream &stream,
                      const MappedStream::Sink &sink) {
    if (stream.source == kEdge)
      return delay(stream) + 1 + sink.hops;
    visit(stream.source);
    return start[stream.source] + phase.pes[stream.source].firstOutputCycles +
           sink.hops;
  }

  /// A stream's last flit at a sink: an edge's after the stream's duration;
  /// a PE's is visible outputTailCycles before its end.
  double lastArrival(const MappedStream &stream,
                     const MappedStream::Sink &sink) {
    if (stream.source == kEdge)
      return delay(stream) + duration(stream) + sink.hops;
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
  const std::vector<double> &delays, &durations;
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
  size_t banks = size_t(arch.gbBanks);
  std::vector<double> bankLoad(banks, 0.0);
  for (const MappedStream &stream : phase.streams)
    for (const BankWindows &windows : stream.bankWindows)
      for (size_t bank = 0; bank < windows.rows.size(); ++bank)
        bankLoad[bank % banks] += double(windows.count) * windows.rows[bank];
  e.gbCycles = *std::max_element(bankLoad.begin(), bankLoad.end());
  std::vector<double> durations;
  for (const MappedStream &stream : phase.streams) {
    durations.push_back(double(stream.flits) * stream.cyclesPerFlit);
    e.linkCycles = std::max(e.linkCycles, durations.back());
  }
  // Streams of one kind start together and advance in step: those into
  // units, those into prologues, those back to the global buffer. Over each
  // window, a stream also waits for its banks to serve the rows that all
  // streams of its kind access there in the same window.
  auto kind = [](const MappedStream &stream) {
    if (stream.source != kEdge)
      return 2;
    return llvm::any_of(
               stream.sinks,
               [](const MappedStream::Sink &sink) { return sink.paced; })
               ? 0
               : 1;
  };
  for (int group = 0; group < 3; ++group) {
    // A sweep over window indices; each stream's windows are constant
    // between two run ends.
    struct Cursor {
      size_t stream, run = 0;
      int64_t end = 0; ///< window index where the current run ends
    };
    std::vector<Cursor> cursors;
    for (size_t s = 0; s < phase.streams.size(); ++s) {
      const MappedStream &stream = phase.streams[s];
      if (kind(stream) == group && !stream.bankWindows.empty()) {
        cursors.push_back({s, 0, stream.bankWindows.front().count});
        durations[s] = 0;
      }
    }
    int64_t at = 0;
    while (!cursors.empty()) {
      int64_t next = cursors.front().end;
      std::vector<double> load(banks, 0.0);
      for (const Cursor &c : cursors) {
        next = std::min(next, c.end);
        const BankWindows &w = phase.streams[c.stream].bankWindows[c.run];
        for (size_t bank = 0; bank < w.rows.size(); ++bank)
          load[bank % banks] += w.rows[bank];
      }
      for (Cursor &c : cursors) {
        const MappedStream &stream = phase.streams[c.stream];
        const BankWindows &w = stream.bankWindows[c.run];
        double window = double(w.flits) * stream.cyclesPerFlit;
        for (size_t bank = 0; bank < w.rows.size(); ++bank)
          if (w.rows[bank] > 0)
            window = std::max(window, load[bank % banks]);
        durations[c.stream] += double(next - at) * window;
        if (c.end == next && ++c.run < stream.bankWindows.size())
          c.end += stream.bankWindows[c.run].count;
      }
      llvm::erase_if(cursors, [&](const Cursor &c) {
        return c.run == phase.streams[c.stream].bankWindows.size();
      });
      at = next;
    }
  }
  // The DRAM channel serves the transfers queued in cycle 0 one after
  // another; each lands a latency after its last byte.
  double rate = arch.dramBytesPerCycle(),
         latency = std::ceil(arch.dramLatencyNs * arch.clockHz * 1e-9);
  double dramBytes = 0, channel = 0;
  std::vector<double> landed;
  for (const DramTransfer &transfer : phase.dram) {
    dramBytes += transfer.bytes;
    if (!transfer.waits)
      channel += transfer.bytes / rate;
    landed.push_back(transfer.waits ? 0 : std::ceil(channel) + latency);
  }
  if (dramBytes > 0)
    e.dramCycles =
        std::ceil(dramBytes / rate) + double(phase.dramChain) * latency;
  // Streams from the global buffer start in cycle 0, or once the DRAM
  // transfer they wait for has landed. Those starting in cycle 0 whose first
  // row is in one bank get it one after another.
  std::vector<double> delays;
  std::vector<int64_t> starting(banks, 0);
  for (const MappedStream &stream : phase.streams) {
    double delay = 0;
    if (stream.source == kEdge && stream.afterDram >= 0)
      delay = landed[size_t(stream.afterDram)];
    else if (stream.source == kEdge && stream.firstBank >= 0)
      delay = double(starting[size_t(stream.firstBank) % banks]++);
    delays.push_back(delay);
  }
  Pipeline pipeline(phase, delays, durations);
  double finish = pipeline.finish();
  // Then the transfers that wait for a stream's DMA, in the order they
  // become ready, after the queued ones.
  std::vector<std::pair<double, const DramTransfer *>> later;
  for (const DramTransfer &transfer : phase.dram)
    if (transfer.stream >= 0)
      later.push_back({pipeline.atBuffer(phase.streams[size_t(transfer.stream)],
                                         transfer.fraction),
                       &transfer});
  llvm::stable_sort(
      later, [](const auto &a, const auto &b) { return a.first < b.first; });
  for (auto [ready, transfer] : later) {
    channel = std::max(channel, ready) + transfer->bytes / rate;
    finish = std::max(finish, std::ceil(channel) + latency);
  }
  double bound = std::max({e.peCycles, e.linkCycles, e.gbCycles, e.dramCycles});
  e.fillCycles = std::max(0.0, finish - bound);
  e.executionCycles = bound + e.fillCycles;
  e.cycles = e.configCycles + e.executionCycles;
  return e;
}
