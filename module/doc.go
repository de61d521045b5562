// Package module is an emulated NB-IoT module as firmware sees it: the AT
// command interpreter of a BC95/BC28/BC35-G-class module (Quectel/Huawei
// "Neul" command set with the TS 27.007 core), on top of a network stack
// given as the Stack interface.
//
// A Module is a pure state machine for a discrete-event engine: the
// transport passes port bytes to Input, the stack passes its outcomes to
// Handle, and the module writes responses and unsolicited result codes
// through Config.Out. It does no I/O, starts no goroutines, reads no
// clock (time is Stack.Now) and is deterministic; all calls come from one
// goroutine. docs/at-commands.md is the command reference.
package module
