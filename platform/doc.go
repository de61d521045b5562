// Package platform is nbsim's built-in IoT platform: the server that an
// emulated NB-IoT module reaches with AT+NMGS and that sends the commands
// the module prints as +NNMI.
//
// It follows the "transparent" data path of Huawei OceanConnect/CDP that
// BC95-class modules use, simplified (docs/platform.md lists what is left
// out):
//
//   - Uplink: the device sends a CoAP POST (CON or NON) to /t/d with the URI
//     query ep=<IMEI> and the application bytes as payload
//     (application/octet-stream). The platform stores the message and
//     answers 2.04 Changed (piggybacked on the ACK for a CON).
//   - Downlink: a command queued through the HTTP API or [Platform.Queue]
//     goes out as a CoAP CON POST to /t/d on the endpoint's last-seen source
//     address, from the socket the platform listens on, so that the
//     simulated gateway's NAT maps it back to the device. A command is
//     queued, then sent, then delivered (an ACK or a 2.xx response came
//     back) or failed (RST or an error response). When the CON exchange
//     times out (the device sleeps in PSM longer than CoAP's retransmission
//     window) it goes back to queued and is resent right after the next
//     uplink from that endpoint, as real platforms do for PSM devices.
//
// The HTTP API (JSON) lists devices, their uplink messages and their
// commands, and queues commands; see [Platform.Handler] for the routes.
// CoAP is github.com/plgd-dev/go-coap/v3 over UDP and, with
// [Config.DTLSAddr], over DTLS with pre-shared keys.
//
// The CoAP side is open to anyone who can reach it, so an endpoint is
// bound to its device: to the source of its first uplink while it keeps
// sending ([Config.Lifetime]), to the address [Config.Bind] names, or to a
// PSK identity; an uplink naming it from elsewhere is refused with 4.01
// and counted ([Platform.Stats]). Endpoints, commands, stored messages,
// exchanges in flight and HTTP connections are bounded (Config's Max*
// fields, [HTTPLimits]); docs/platform.md has the table.
//
// Randomness (CoAP message IDs and tokens) comes from [Config.Rand]; the
// one source the platform does not control is go-coap's retransmission
// jitter, which uses a package-level generator seeded from the clock.
// Retransmission timers are wall-clock timers: the platform talks to real
// sockets, not to the simulation engine.
package platform
