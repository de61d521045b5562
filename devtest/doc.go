// Package devtest is `nbsim devtest`: an end-to-end suite for the firmware
// of a device, in the manner of the "OpenLabs" test cases module vendors
// and operators run for device makers. For each group of cases (a
// session) it starts an emulation (package emulate) with the session's
// network settings, starts the firmware under test on the emulated
// module's AT port (or waits for an external device), drives the network
// through the session's faults, and judges each case from what the
// network saw: attaches and their attempts, TAUs, RRC connections, PSM
// entry and exit, data at SGi and at the module, the reports and answers
// that reach the suite's server, and the module's energy. Never from the
// firmware's own output.
//
// Cases, their purpose, pass criteria and 3GPP sources are in Cases and
// docs/firmware.md. Network time may run faster than the wall clock
// (Config.Speed) for firmware whose timers scale with it, such as the
// reference firmwares under testdata/firmware.
//
// The application contract: the firmware sends a report (any UDP
// datagram) to the suite's server (the {server} of the command) every
// Config.Period, and sends every datagram the server sends it back to the
// server (the downlink case's proof of delivery to the application).
package devtest
