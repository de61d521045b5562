// Package decode turns a packet capture (or hex dumps of single PDUs) into
// a readable log of the S1AP and NAS-EPS messages it holds, decoded with
// nbsim's own codecs (epc/s1ap, epc/nas), and a per-UE procedure summary:
// how long each attach took, the authentication outcome, the NAS security
// algorithms, the PSM and eDRX timers requested and granted, rejects with
// their EMM cause, tracking area updates, detaches, data over NAS and S1
// releases. It is the logic behind "nbsim decode".
//
// # Sources of messages
//
//   - S1AP: SCTP user messages with payload protocol identifier 18, or with
//     PPID 0 on port 36412 (fragmented SCTP messages and IP fragments are
//     reassembled by pcap.Decoder). Several S1AP PDUs in one frame give
//     several records with the same frame number. The NAS-PDUs of a message
//     (the NAS-PDU IE and those of E-RAB list items) are decoded into
//     Record.NAS, with the message inside a security protected NAS message
//     and the ESM message container of ATTACH REQUEST/ACCEPT/COMPLETE/REJECT
//     and CONTROL PLANE SERVICE REQUEST.
//   - GSMTAP (UDP port 4729), as written by QCSuper or osmocom tools:
//     payload type 0x12 (LTE NAS), direction from the GSMTAP uplink flag;
//     and payload type 0x0d (LTE RRC) on UL-DCCH and DL-DCCH, from which
//     the dedicatedInfoNAS of ULInformationTransfer, DLInformationTransfer,
//     RRCConnectionSetupComplete and RRCConnectionReconfiguration is
//     extracted (a small hand-written UPER reader; see rrc.go for what it
//     covers).
//   - Hex ([Hex]): one PDU per line, tried as S1AP first and then as NAS.
//
// # Direction
//
// Record.Dir is "uplink" (UE or eNB towards the core) or "downlink". For
// S1AP it follows the SCTP port 36412 (destination = uplink); without a
// port (hex input) it follows the message (Initial UE Message, Uplink NAS
// Transport, ... are uplink). For GSMTAP it is the uplink flag. NAS
// messages are parsed with that direction (it matters for DETACH REQUEST).
//
// # Errors
//
// A PDU that does not decode gives a Record whose Error names the frame
// and the byte offset (Record.Offset: within the captured frame; the
// codec's own offset within the PDU when it reports one) and decoding
// goes on. A capture that cannot be read, or that is cut or malformed at
// the file level, makes [File] return a *FileError with the frame and
// byte offset from the pcap reader, together with everything decoded
// before the problem.
//
// # Per-UE summary
//
// UEs are told apart by their S1 connections (eNB address and eNB UE S1AP
// ID, then the MME UE S1AP ID once the MME assigns it) and joined by IMSI
// and M-TMSI (from the GUTI or S-TMSI), so that a UE that attaches with its
// IMSI and comes back with its GUTI is one UE. A GSMTAP capture is taken as
// one device. Durations are capture-time differences: attach = ATTACH
// REQUEST to ATTACH COMPLETE (or to the reject); TAU = TRACKING AREA UPDATE
// REQUEST to ACCEPT/REJECT. In GSMTAP captures that carry both the modem's
// plain NAS log (type 0x12) and the RRC containers, only the former feeds
// the summary, so nothing is counted twice.
package decode
