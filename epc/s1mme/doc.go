// Package s1mme is the S1-MME transport: it carries S1AP PDUs between
// eNodeBs and the MME as SCTP user messages with payload protocol
// identifier 18 on port 36412 (TS 36.412 §7), and knows nothing of their
// content (the codec is epc/s1ap, the procedures epc's MME).
//
// Two transports sit behind one Conn interface:
//
//   - kernel SCTP (github.com/ishidawataru/sctp), what real eNodeBs and
//     MMEs speak. It needs the kernel's SCTP module; KernelSCTP reports
//     whether this machine has it, and says why not when it does not.
//   - SCTP over UDP (github.com/pion/sctp, a user-space SCTP stack, on a UDP
//     socket, in the manner of RFC 6951's encapsulation), for nbsim talking
//     to nbsim where the kernel has no SCTP. Streams, message boundaries and
//     the PPID are kept, so the same S1AP bytes cross either transport.
//
// Strangers cannot wedge a listener: over UDP only a valid INIT starts a
// handshake, each handshake runs off the Accept path with a deadline
// (ListenConfig: 5 s, at most 64 at once), and a Close never waits more
// than CloseTimeout for the peer's SHUTDOWN ACK before it aborts. Kernel
// SCTP sockets get receive and send timeouts so that Close ends a blocked
// Accept or Recv and a peer that stops reading fails Send.
package s1mme
