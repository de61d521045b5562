// Package model wires nbsim's parts into a simulated NB-IoT network: cells
// on sites, devices placed around them, each device's radio link (phy), its
// random access (mac), its life cycle (device.UE, whose effects the model
// carries out) and its core-network context (epc), all driven by one
// sim.Engine. Build makes a Network from a scenario; Run simulates it and
// returns report.Results; StartLive hands it to a live driver (emulate).
//
// The run modes differ only by what is wired into two seams: the signaller
// (typed sizes, or encoded NAS/S1AP through an MME) and the observer (none,
// or the live driver). See docs/architecture.md.
//
// Per-device state is kept compact (a few hundred bytes) and events carry a
// kind and a device number instead of closures, so a million devices fit in
// memory and a simulated day of 20,000 devices runs in well under a second.
package model
