// Package s1ap is an S1AP codec (3GPP TS 36.413, ASN.1 of V17.3.0) for the
// nbsim MME and eNB models: S1AP-PDUs in aligned PER, encoded and decoded
// with github.com/free5gc/aper from hand-written, aper-tagged Go types,
// plus a hand-written fast path for the fixed-shape hot parts.
//
// # API
//
// Parse(b) returns a Message: a typed message (*InitialUEMessage,
// *DownlinkNASTransport, *Paging, ...) for the procedures listed below, or
// the generic *PDU for any other. ParsePDU(b) always gives the generic
// view: envelope (PDU type, procedure code, criticality) and the
// ProtocolIE-Container with every IE value still encoded; (*PDU).Message()
// converts it to the typed message. Every Message has Marshal(). Typed
// messages hold plain Go values (uint32 UE S1AP IDs, []byte NAS-PDU, TAI,
// EUTRANCGI, PLMN ...); optional IEs are pointers, slices or bools (for
// ENUMERATED { true, ... } flags). IEs a typed message does not model are
// kept raw in its Other field and re-encoded unchanged.
//
// A parsed message remembers, in its embedded Wire, the IE order and the
// criticalities it arrived with and which mandatory IEs were absent
// (MissingIEs; decoding does not fail on them, so that the MME can answer
// with criticality diagnostics). Marshal reproduces that shape; a message
// built in Go (zero Wire), or after ResetWire, is encoded in table order
// with the criticalities of the TS 36.413 tables (§9.1 and §9.3.3, and the
// procedure criticalities of §9.3.2).
//
// # What is implemented (TS 36.413 clauses)
//
//   - §9.3.2 / §9.3.7: the S1AP-PDU envelope for every procedure code and
//     the ProtocolIE-Container / ProtocolIE-SingleContainer /
//     ProtocolExtensionContainer; unknown procedures and IEs are kept as raw
//     open-type octets and re-encode to the same bytes. PrivateMessage
//     (PrivateIE-Container) is kept raw as a whole.
//   - §9.1.8 S1 Setup Request (with Supported TAs RAT-Type and NB-IoT
//     Default Paging DRX), Response, Failure; Reset, Reset Acknowledge;
//     Error Indication.
//   - §9.1.7 Initial UE Message (RRC establishment cause incl. the
//     extension values delay-TolerantAccess, mo-VoiceCall and
//     mo-ExceptionData; S-TMSI, GUMMEI, GUMMEI type, MME group ID, UE usage
//     type, CE-mode-B support, DCN-ID, coverage level, EDT session),
//     Downlink NAS Transport (incl. DL NAS PDU delivery ack request, end
//     indication, pending data), Uplink NAS Transport, NAS Non Delivery
//     Indication, NAS Delivery Indication.
//   - §9.1.4 Initial Context Setup Request / Response / Failure, UE Context
//     Release Request / Command / Complete, Connection Establishment
//     Indication (Control Plane CIoT).
//   - §9.1.6 Paging, with the Rel-13..16 IEs: Paging eDRX information,
//     extended UE identity index, NB-IoT Paging eDRX information, NB-IoT UE
//     identity index, NB-IoT paging DRX, paging priority, UE radio capability
//     for paging, CE restrictions.
//   - §9.1.3 E-RAB Setup, Modify, Release (requests and responses).
//   - §9.1.10 UE Capability Info Indication; §9.1.5 Handover Notify, Handover
//     Cancel and Handover Cancel Acknowledge.
//   - §9.2 IEs used by those messages (Cause, Criticality Diagnostics, TAI,
//     E-UTRAN CGI, Global eNB ID, GUMMEI, S-TMSI, UE-S1AP-IDs, UE AMBR,
//     E-RAB level QoS with ARP and GBR, UE security capabilities, security
//     key, transport layer address, GTP-TEID, user location information, ...).
//
// RAT Type (id 232, ENUMERATED { nbiot, ... }, Rel-13) is, per the ASN.1, an
// extension of the Supported TAs item of S1 Setup Request and eNB
// Configuration Update, with criticality reject. It is not an IE of the
// Initial UE Message: the MME knows a UE is on NB-IoT from the TAI of the
// Initial UE Message, whose TAC the eNB declared as NB-IoT in S1 Setup.
//
// # What is not implemented
//
// The elementary procedures themselves (§8: timers, state, criticality
// handling) are the MME's job. These messages are decoded only generically
// (*PDU, IEs raw): handover preparation/resource allocation, Path Switch,
// eNB/MME Status Transfer, eNB/MME Configuration Transfer and Update, UE
// Context Modification/Suspend/Resume, E-RAB Release/Modification
// Indication, trace, location reporting, overload, warning (PWS), CDMA2000
// tunnelling, LPPa, Reroute NAS Request, Retrieve UE Information, CP
// relocation, secondary RAT usage, UE radio capability match/ID mapping.
// Within typed messages, the less common IEs (handover restriction list,
// trace activation, CSG, MDT, V2X, NR, ...) stay raw in Other.
//
// # aper v1.1.0 limitations and how they are handled
//
//   - Open types: aper's openType dispatch drops values whose reference id
//     it does not know, so open types are modelled as unconstrained OCTET
//     STRINGs (the same bits) and this package dispatches on ids itself.
//   - Hostile input can make aper panic: every aper call goes through
//     marshal/unmarshal, which recover() and return an error wrapping
//     ErrDecode / ErrEncode. Parse never panics (fuzzed).
//   - Extension additions: aper does not decode extension alternatives of a
//     CHOICE (e.g. ENB-ID short-macro/long-macro) nor extension additions of
//     a SEQUENCE. A message value with its extension bit set is rejected;
//     an optional IE that fails to decode is kept raw in Other; a mandatory
//     one makes Parse return an *IEError.
//   - aper logs decoding problems of hostile input through logrus (its
//     logger package); this package does not change aper's log level.
//   - Some peers (the Open5GS test-suite eNB of 2018-2020) encode the UE
//     S1AP IDs non-canonically: in more octets than X.691 §10.5.7.4 allows
//     (MME-UE-S1AP-ID 1 as c0 00000001) or with a padding octet after the
//     value inside the open type (eNB-UE-S1AP-ID 2 as 00 02 00). They
//     decode correctly; a parsed message whose ID is unchanged re-encodes
//     it as received, and a message built in Go gets the canonical form.
//
// # Performance
//
// aper works by reflection (about 5 µs and 100 allocations per message).
// The envelope, the IE container, the UE S1AP IDs, NAS-PDU, TAI and
// E-UTRAN CGI are therefore also coded by hand (fastpath.go) for their
// canonical shape, falling back to aper for anything else; tests and the
// fuzzer check both paths agree. Parse/Marshal of a Downlink NAS Transport
// then take about 0.25 µs, of an Initial UE Message 0.4-0.6 µs, well within
// the budget of 20,000 attaches/s with ~8 S1AP messages each.
package s1ap
