// Package epc is nbsim's core network (EPC): the MME's view of each device
// (registration, granted power-saving timers, reachability, buffered
// mobile-terminated data) and the rules the MME applies.
//
// At this level the core works on typed procedures, not encoded messages:
// the network policy that grants PSM and eDRX timers (TS 23.682 §4.5.4,
// TS 24.301 §5.3.11–5.3.12) on the value sets that decide which values can
// be granted at all (GPRS timer 2 and 3, TS 24.008 §10.5.7.4 and
// §10.5.7.4a; eDRX values, TS 24.008 §10.5.5.32: package gpp holds them
// and their encodings), the paging occasion of a
// device in idle DRX and eDRX (TS 36.304 §7), and mobile-terminated data
// buffering while a device is unreachable (TS 23.401 §5.3.4.3 extended
// buffering, TS 23.682 §5.13.4).
//
// Encoded signalling (`signalling: encoded`) runs the same procedures on
// real messages, in the packages below this one: the NAS and S1AP codecs
// (epc/nas, TS 24.301; epc/s1ap, TS 36.413), NAS security (epc/security),
// the subscriber store (epc/hss), the MME and the device's NAS as state
// machines (epc/mme, epc/uenas), and the S1AP layer (epc/s1): the MME side
// that `nbsim core` serves, and the remote core that puts the simulated
// eNodeBs in front of an external MME over S1-MME (epc/s1/remote.go,
// `nbsim run --mme`; transport in epc/s1mme). epc/gw is the user plane's
// SGi side.
package epc
