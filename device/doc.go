// Package device is the NB-IoT device: its life cycle as a pure state
// machine, its power states and the battery that pays for them.
//
// UE.Step takes one input (a report to send, a timer expiry, an access
// outcome, a NAS accept, a page, a release, a coverage change, ...) and
// appends the device's effects (start an access, arm or cancel a timer,
// send the next report, release, book an energy interval, change power
// state, drop data, ...). There is no engine, clock or I/O inside: the
// caller (package model, for scenario runs and live emulation alike)
// carries out the effects in order and gives the outcomes back as inputs.
// The transcripts in testdata/ show single devices step by step.
//
// Energy is accounted exactly per state interval; periodic activities that
// are too frequent to simulate one by one (paging occasions in idle mode,
// C-DRX on-durations) are folded into the state's average power, which is
// exact in expectation because their timing does not interact with anything
// else in the model.
package device
