// Package sim is nbsim's discrete-event engine.
//
// Virtual time is a Time (nanoseconds since the start of the run). Events are
// kept in a heap ordered by (time, priority, sequence number): the sequence
// number grows with every scheduled event, so events at the same time and
// priority run in the order they were scheduled and a run is deterministic.
// Timers can be cancelled in O(log n). The engine never reads the wall clock:
// Run drives it as fast as possible (scenarios), and Realtime drives the same
// engine against a wall clock (live emulation), with outside input injected
// between events.
//
// Randomness comes from Stream, a small PCG generator derived from
// (seed, entity, purpose) by hashing, so a device's random numbers do not
// depend on how many other devices were created before it.
package sim
