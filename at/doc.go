// Package at is the AT-command codec of an emulated NB-IoT module: the
// line discipline that assembles a command line from the bytes of a serial
// port (ITU-T V.250 §5.2), the parser that splits a line into typed
// commands (V.250 §5.3–5.4, TS 27.007 §4), and the formatting of
// information text, final result codes, +CME ERROR and unsolicited result
// codes (V.250 §5.7, TS 27.007 §9.2).
//
// The package is pure: no I/O, no clock, no goroutines. Package module
// drives it.
package at
