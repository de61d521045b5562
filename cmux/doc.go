// Package cmux is the module's side of the 3GPP TS 27.010 multiplexer,
// basic option, as AT+CMUX=0 starts it (TS 27.007 §5.7): frames (flag
// 0xF9, address with EA, C/R and DLCI, control, a length of one or two
// octets, information, FCS per §5.2.1.6), DLC establishment and release
// (SABM, UA, DM, DISC), UIH data, and the control channel's messages on
// DLC 0 (§5.4.6.3: MSC, CLD, Test, PN, FCon/FCoff, NSC for the rest).
//
// The codec is frame.go (Frame, Deframer) and control.go (control
// messages); the state machine is Mux: it takes the bytes read from the
// port and hands out, in Ready, the bytes to write and what happened on
// each DLC. It does no I/O, reads no clock and starts no goroutines; the
// module is the responding station and starts nothing, so it has no
// timers (T1/T2 retransmission is the initiator's).
package cmux
