// Package nas is a codec for EPS NAS messages (3GPP TS 24.301 §8 messages
// and §9 IEs, with the TS 24.008 §10.5 IEs they borrow): pure functions
// from octets to Go values and back, with no state, no I/O and no panics
// on any input.
//
// # API
//
// Parse (or ParseDirection, when the direction is known) dispatches on the
// protocol discriminator, the security header type and the message type,
// and returns a Message: one of the message structs below, a
// *SecurityProtected, a *ServiceRequest or a *RawMessage. Every message has
// Marshal, MarshalTo, MarshalLen and UnmarshalBinary, and a ParseXxx
// function. Parse copies its input once; byte slices in the result alias
// that copy.
//
// Mandatory IEs are plain fields, optional IEs pointers or slices (nil =
// absent). Marshal writes optional IEs in the order of the message's table
// in §8; Parse accepts them in any order. Every message keeps, in Extra,
// the optional IEs it does not take: IEs unknown in the message, which
// §7.6.1 says to skip (type 1/2 IEs: bit 8 of the IEI set, one octet;
// IEI 0x7X: TLV-E; otherwise TLV), repeated IEs (§7.6.3: only the first is
// used) and syntactically incorrect optional IEs (§7.5.2: "treated as not
// present"); Marshal writes them after the modelled IEs. A message whose
// IEs are all modelled and in table order re-encodes to the same octets.
// IEs whose length varies with the sender's release, or that this package
// does not interpret (UE/MS network capability, UE security capability,
// EPS network feature support, PCO/ePCO, QoS, TFT, classmarks, ...), are
// kept as their octets, some with accessors for the bits that matter.
//
// Each message's IEs are listed once, in a descriptor list beside its
// struct (IEI, TS 24.007 format, presence, name, Go field; see desc.go);
// methods.go is generated from those lists by internal/gen (go generate).
// Describe returns a message's descriptor and the values of its IEs.
//
// # Implemented (TS 24.301 clause)
//
// EMM (§8.2): ATTACH REQUEST/ACCEPT/COMPLETE/REJECT (§8.2.1-8.2.4),
// AUTHENTICATION REQUEST/RESPONSE/FAILURE/REJECT (§8.2.5-8.2.8), DETACH
// REQUEST from the UE and from the network (§8.2.11.1, §8.2.11.2), DETACH
// ACCEPT (§8.2.10.1, §8.2.10.2), DOWNLINK/UPLINK NAS TRANSPORT (§8.2.12,
// §8.2.30), EMM INFORMATION (§8.2.13), EMM STATUS (§8.2.14), EXTENDED
// SERVICE REQUEST (§8.2.15), GUTI REALLOCATION COMMAND/COMPLETE (§8.2.16,
// §8.2.17), IDENTITY REQUEST/RESPONSE (§8.2.18, §8.2.19), SECURITY MODE
// COMMAND/COMPLETE/REJECT (§8.2.20-8.2.22), SERVICE REJECT (§8.2.24),
// SERVICE REQUEST (§8.2.25), TRACKING AREA UPDATE ACCEPT, COMPLETE, REJECT
// and REQUEST (§8.2.26-8.2.29), CONTROL PLANE SERVICE REQUEST (§8.2.33) and
// SERVICE ACCEPT (§8.2.34).
//
// ESM (§8.3): ACTIVATE DEDICATED EPS BEARER CONTEXT ACCEPT/REJECT/REQUEST
// (§8.3.1-8.3.3), ACTIVATE DEFAULT EPS BEARER CONTEXT ACCEPT, REJECT and
// REQUEST (§8.3.4-8.3.6), DEACTIVATE EPS BEARER CONTEXT ACCEPT/REQUEST
// (§8.3.11, §8.3.12), ESM INFORMATION REQUEST/RESPONSE (§8.3.13, §8.3.14),
// ESM STATUS (§8.3.15), MODIFY EPS BEARER CONTEXT ACCEPT/REJECT/REQUEST
// (§8.3.16-8.3.18), PDN CONNECTIVITY REJECT/REQUEST (§8.3.19, §8.3.20),
// PDN DISCONNECT REJECT/REQUEST (§8.3.21, §8.3.22) and ESM DATA TRANSPORT
// (§8.3.25) with the release assistance indication (§9.9.4.25).
//
// Security (§8.2.23, §9.1, §9.3.1): security protected NAS messages, header types
// 1-5 (SecurityProtected: MAC, sequence number, payload; the payload is
// decoded when it is a plain message, else kept opaque as ciphered), and
// header types 12-15 for SERVICE REQUEST.
//
// Typed IEs: EPS mobile identity (§9.9.3.12: IMSI, IMEI, GUTI), mobile
// identity (TS 24.008 §10.5.1.4: IMSI, IMEI, IMEISV, TMSI), TAI (§9.9.3.32)
// and TAI list (§9.9.3.33, all three list types), LAI, PLMN, NAS key set
// identifier (§9.9.3.21), EPS attach type/result (§9.9.3.11, §9.9.3.10),
// EPS update type/result (§9.9.3.14, §9.9.3.13), detach type (§9.9.3.7),
// additional update type/result (§9.9.3.0B, §9.9.3.0A), control plane
// service type (§9.9.3.47), EMM cause (§9.9.3.9), ESM cause (§9.9.4.4),
// GPRS timer, GPRS timer 2 and GPRS timer 3 (§9.9.3.16-16B, TS 24.008
// §10.5.7.3-10.5.7.4a), DRX parameter (§9.9.3.8), extended DRX parameters
// (§9.9.3.46), selected NAS security algorithms (§9.9.3.23),
// authentication RAND/AUTN/RES/AUTS (§9.9.3.2-9.9.3.4), EPS bearer context
// status (§9.9.2.1), PDN type (§9.9.4.10), request type, PDN address
// (§9.9.4.9), APN (§9.9.4.1), release assistance indication (§9.9.4.25),
// user data container (§9.9.4.24), ESM/NAS message containers (§9.9.3.15,
// §9.9.3.22); UE network capability (§9.9.3.34, with the CIoT bits) and
// EPS network feature support (§9.9.3.12A) as octets with named bits.
//
// # Not implemented
//
// NAS security itself (integrity check, ciphering, NAS COUNT): this is a
// codec, it neither verifies the MAC nor deciphers. Messages defined in
// §8 but not modelled parse as *RawMessage (header plus body octets): CS
// SERVICE NOTIFICATION (§8.2.9), DOWNLINK/UPLINK GENERIC NAS
// TRANSPORT (§8.2.31, §8.2.32), BEARER RESOURCE ALLOCATION/MODIFICATION
// REQUEST/REJECT (§8.3.7-8.3.10), NOTIFICATION (§8.3.18A), ESM DUMMY
// MESSAGE (§8.3.12A), REMOTE UE REPORT/RESPONSE (§8.3.23, §8.3.24). Message
// types §9.8 does not define give UnknownMessageError (§7.4). Protocol
// discriminators other than EMM and ESM give ProtocolError. IEs added
// after Release 16 are not modelled (they go to Extra). The contents of
// PCO/ePCO, QoS, TFT, APN-AMBR, classmarks, network names and time zones
// are not decoded.
//
// # Notes
//
// The direction of a DETACH REQUEST is guessed by Parse (UE form if it
// decodes as such, else network form); use ParseDirection when it is known.
//
// Truncation: a message cut inside its imperative part (header, V/LV/LV-E
// IEs) or inside an IE is an error (MissingIEError, TruncatedError). A
// message cut exactly between two optional IEs is, as the spec allows, a
// valid message with fewer optional IEs; nothing in the encoding can tell
// it apart from the longer one.
//
// Points checked against the spec text only indirectly (marked "check"):
// the TLV-E reading of unknown IEIs 0x70-0x7F (TS 24.007 §11.2.4 type 6;
// TS 24.301 §9.9.1 only names types 1, 2 and 4), the TV 2 format of
// "additional information requested" (0x17), and the bits of octet 4 of
// EPS network feature support / octet 9 of UE network capability beyond
// the CIoT ones. GPRS timer 2/3 and extended DRX parameters are read with
// a length of exactly one octet (a longer one is kept raw in Extra).
package nas
