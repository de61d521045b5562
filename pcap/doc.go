// Package pcap reads and writes packet captures in pure Go (standard library
// only, no cgo), for checking nbsim's S1AP, NAS-EPS and CoAP traffic against
// real captures and for handing nbsim's own traffic to Wireshark.
//
// # Reading
//
// [NewReader] detects the file format from its first bytes:
//
//   - classic pcap, either byte order, microsecond (0xa1b2c3d4) and
//     nanosecond (0xa1b23c4d) magic, and the "modified" pcap of Alexey
//     Kuznetzov's patches (0xa1b2cd34);
//   - pcapng: Section Header, Interface Description, Enhanced, Simple and the
//     obsolete Packet blocks; several sections (each with its own byte order)
//     and interfaces with their own link types, if_tsresol (powers of 10 and
//     of 2) and if_tsoffset. Custom Blocks and systemd Journal Export Blocks
//     are returned as records of LinkTypeNone, because Wireshark shows them
//     as frames; other blocks (name resolution, statistics, decryption
//     secrets, unknown) are skipped.
//
// Packets are numbered from 1 in file order, as Wireshark numbers frames.
// Errors on malformed or truncated input are *[FormatError] values that name
// the frame and the byte offset of the record or block; the reader never
// panics and every call consumes input, so it always ends.
//
// # Decapsulation
//
// [Decode] and the stateful [Decoder] take a [Packet] down through the link
// layer (Ethernet with 802.1Q/802.1ad tags and LLC/SNAP, Linux cooked v1 and
// v2, raw IP, IPv4, IPv6, BSD NULL and OpenBSD LOOP), IPv4 and IPv6
// (extension headers skipped) to SCTP and UDP. SCTP DATA chunks are returned
// as user messages ([SCTPData]). UDP datagrams on port 4729 are parsed as
// GSMTAP (osmocom gsmtap.h).
//
// [Decode] looks at one packet: it reports IP fragments with [ErrFragment]
// and only reassembles SCTP user messages whose fragments share a packet.
// The stateful [Decoder], fed the packets in capture order, also reassembles
// IPv4 and IPv6 fragments (the datagram is decoded in the frame of the
// fragment that completes it, as Wireshark does) and fragmented SCTP user
// messages across frames, per association direction and stream, from the
// B/E flags in TSN order, tolerating out-of-order and duplicated fragments.
// What it holds is bounded, so garbage input cannot grow it without limit.
//
// Decoded payloads alias the Packet's Data, except reassembled IP datagrams
// and SCTP messages, which are new slices.
//
// # Writing
//
// [Writer] writes a classic nanosecond pcap with Ethernet framing (fake,
// locally administered MAC addresses derived from the IP addresses) by
// default, or raw IP ([NewWriterLinkType]). [Writer.WriteSCTP] builds IPv4 or
// IPv6 + SCTP with one DATA chunk (B and E flags, per-association increasing
// TSN, per-stream SSN, CRC32c checksum); [Writer.WriteUDP] builds IPv4 or
// IPv6 + UDP with a correct checksum. The output dissects in Wireshark without
// malformed or bad-checksum expert items.
package pcap
