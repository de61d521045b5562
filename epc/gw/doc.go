// Package gw is the user plane of nbsim's gateway (the P-GW's SGi side,
// TS 23.401 §4.3.17.8 and TS 29.061): uplink user data that the MME
// delivers (data over NAS, control-plane CIoT optimisation) leaves this
// host as real UDP, and what comes back is handed to the MME as downlink
// for the device.
//
// On an IP PDN the device sends whole IPv4/UDP packets; the gateway sends
// each payload from a host UDP socket it keeps per device endpoint (device
// address and port), so replies — and later requests from a server the
// device has talked to — come back to that socket and are built into IPv4
// packets for the device (a NAT: the device's PDN address is private to the
// simulation). Filtering is address-and-port dependent, as NATs commonly
// do: only endpoints the device has sent to get through. The sockets bind
// Config.Bind, loopback by default; mappings, their filters and their idle
// time are bounded (Config). A NAT model in front of the gateway (the
// emulator's, with binding timeouts) chooses a Binding per packet: each
// binding of an endpoint is its own socket, so a new binding is a new
// public port (or address), and Config.DownlinkVia names the binding a
// packet came in through.
//
// On a Non-IP PDN the data goes through an SGi point-to-point tunnel based
// on UDP/IP (TS 23.401 §4.3.17.8.3.3.2) to one application server
// configured for the PDN, and datagrams from that server come back to the
// device.
//
// The gateway does I/O (sockets and their goroutines); the MME state
// machine never calls it directly: the caller hands it the MME's Deliver
// effects and gives the MME what the Downlink callback receives.
package gw
