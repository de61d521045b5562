// Package emulate runs nbsim live for device developers: a network from a
// scenario (cells, random access, the core) driven by the wall clock, with
// emulated NB-IoT modules whose AT-command ports the user's firmware talks
// to. It wires the pieces, each of which lives elsewhere:
//
//   - model: the same radio, access, device and core models as `nbsim run`
//     (in live mode, one group per module, encoded signalling), run by a
//     sim.Realtime driver so that every event happens on one goroutine;
//   - module: each module's AT command interpreter, fed by its port and by
//     the network's events (this package implements its Stack);
//   - epc/gw: user data leaving the core as real UDP from this host, and
//     replies coming back;
//   - platform: the built-in IoT platform (CoAP and an HTTP API) that
//     AT+NMGS messages go to by default.
//
// Faults come from the control API (control.go) and from a fault timeline
// (timeline.go) played in network time through the same functions; the
// operator's NAT at SGi (nat.go) decides the gateway's bindings.
//
// Input from other goroutines (ports, the gateway, the control API) is
// injected into the engine; nothing here reads the wall clock inside the
// model.
package emulate
