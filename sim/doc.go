// Package sim is nbsim's discrete-event engine.
//
// Virtual time is a Time (nanoseconds since the start of the run). Events run
// in the order (time, priority, sequence number): the sequence number grows
// with every scheduled event, so events at the same time and priority run in
// the order they were scheduled and a run is deterministic. The engine never
// reads the wall clock: Run drives it as fast as possible (scenarios), and
// Realtime drives the same engine against a wall clock (live emulation), with
// outside input injected between events.
//
// # The event queue
//
// A two-level calendar queue (calQueue): a 4-ary heap holds the events of
// the current window of 2^30 ns (1.07 s), a ring of 16,384 unsorted buckets
// the events of the following windows (one window each, 4.9 hours in all),
// and a second heap the events beyond. Scheduling into a later window is an
// append; when the near heap runs empty the next window's bucket moves into
// it. Every entry of a later window is later than every entry of the near
// heap, so the order is exactly the plain heap's, and results are the same
// bytes. A queue entry is 16 bytes (time; priority and a 30-bit sequence
// number, renumbered in order before it runs out; the index of the event's
// slot). A slot (target, kind, argument, generation) is 16 bytes without a
// pointer: the target is the engine's main one (the first that is not a Func:
// a model's Network) or an index into a table of the others, so the garbage
// collector does not scan the slots. Cancelling is O(1): the entry stays in
// the queue, its slot marked not pending, until it reaches the front or the
// cancelled entries outnumber the pending ones and the queue is compacted.
//
// Why a calendar: a model's events are mostly the next steps of procedures
// under way (milliseconds to seconds: 90 % of a cow-collar day's) over a
// backlog of far ones (the next report hours ahead, T3412 a day ahead) that
// make up most of what is pending. The plain heap sifts every event through
// the whole backlog; the calendar keeps the backlog in buckets and sifts
// through the few events of the current second. Measured (callgrind
// instruction counts, deterministic, on this shared 2-core machine whose
// wall-clock timings vary by 50 %):
//
//	                                           cow-collar day  hold, 40k pending, model delays
//	                                           (instructions)  (instructions, L1 data misses)
//	4-ary heap with back-pointers (7f2076e)     6.00 G          1.245 G, 3.88 M
//	4-ary heap, 16-byte entries, lazy cancel    6.00 G          1.154 G, 2.54 M
//	calendar, 68.7-s windows, 4,096 buckets     5.46 G          0.858 G, 2.26 M
//	  17.2-s windows                            5.31 G
//	  4.3-s windows                             5.16 G
//	  1.07-s windows, 16,384 buckets, 16-byte
//	  slots without pointers (kept)             5.12 G          0.698 G, 1.71 M
//
// Narrower windows keep fewer events in the near heap (a cow-collar day's
// held 116 on average at 68.7 s); 16,384 of them reach 4.9 hours, past the
// shipped scenarios' report periods, so a report's next one is an append.
// The pointer-free slots cost about 1 % of the instructions (finding the
// target; 5.16 G became 5.22 G at 4.3-s windows, with 16,384 buckets) and
// save 24 bytes a pending event and the collector's scan of the slots.
//
// With every event inside one 68.7-s window (BenchmarkScheduleRun:
// exponential delays of mean 1 s) the calendar was its near heap and cost
// what the plain heap does (1.306 G against 1.275 G instructions). In CPU time the
// difference is smaller than in instructions (a heap of 40k entries fits the
// caches; its cost is mispredicted comparisons more than instructions):
// four alternating runs of BenchmarkCowCollarsDay took 2.34–2.82 s of CPU
// against 2.67–2.93 s at 7f2076e.
//
// Randomness comes from Stream, a small PCG generator derived from
// (seed, entity, purpose) by hashing, so a device's random numbers do not
// depend on how many other devices were created before it.
package sim
