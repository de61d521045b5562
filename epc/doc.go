// Package epc is nbsim's core network (EPC): the MME's view of each device
// (registration, granted power-saving timers, reachability, buffered
// mobile-terminated data) and the rules the MME applies.
//
// At this level the core works on typed procedures, not encoded messages:
// the network policy that grants PSM and eDRX timers (TS 23.682 §4.5.4,
// TS 24.301 §5.3.11–5.3.12), the timer encodings that decide which values
// can be granted at all (GPRS timer 2 and 3, TS 24.008 §10.5.7.4 and
// §10.5.7.4a; eDRX values, TS 24.008 §10.5.5.32), the paging occasion of a
// device in idle DRX and eDRX (TS 36.304 §7), and mobile-terminated data
// buffering while a device is unreachable (TS 23.401 §5.3.4.3 extended
// buffering, TS 23.682 §5.13.4). The NAS and S1AP codecs of a later step
// plug in behind the same procedures.
package epc
