// Package ippkt builds and parses the IPv4/UDP packets that carry user data
// between an emulated module and the gateway (RFC 791, RFC 768). Over an IP
// PDN the module's data rides in NAS as a whole IP packet (TS 24.301
// §9.9.4.24, user data container); the gateway reads the packet's
// destination to send it on at SGi and builds packets for what comes back.
// Only what an NB-IoT device sends is supported: IPv4 without options
// (parsed with them), UDP, no fragments.
package ippkt
