// Package mac models NB-IoT medium access: the random-access procedure of
// TS 36.321 §5.1 on NPRACH resources configured as in TS 36.331 (one per
// coverage-enhancement level), the eNodeB's handling of a random-access
// occasion (detection, collisions, RAR grants), the Backoff Indicator tables
// (TS 36.321 §7.2), access barring (TS 36.331 §5.3.3.11), and a scheduler
// for the finite NPUSCH/NPDCCH/NPDSCH resources of a carrier.
//
// The same occasion model runs the classic LTE PRACH set-up of 3GPP TR 37.868
// (54 preambles every 5 ms, detection probability 1 − e^(−n) at the n-th
// attempt, fixed Msg3/Msg4 HARQ error), so results can be compared with the
// published machine-type-communication random-access studies.
//
// Everything here is pure: functions and small state values driven by the
// model; time and randomness are passed in.
package mac
