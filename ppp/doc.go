// Package ppp is the module's side of PPP on a serial port: the
// HDLC-like framing of RFC 1662, LCP (RFC 1661) with the option
// negotiation automaton, authentication as a module does it (PAP, RFC 1334;
// CHAP with MD5, RFC 1994: any credentials are accepted), and IPCP
// (RFC 1332, with the DNS options of RFC 1877) that gives the host the PDN
// address the core assigned.
//
// Three layers, as every protocol of nbsim: the codec (frame.go: framing,
// escaping, FCS; packet.go: control packets and options), the state
// machine (fsm.go: RFC 1661 §4 for each control protocol; link.go: the
// phases of a link) and no transport: a Link takes the bytes read from the
// port and the time (Input, Tick) and hands out what to write, the IP
// packets for the network and when to call it next (Ready). It does no
// I/O, reads no clock and starts no goroutines.
package ppp
