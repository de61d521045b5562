package model

import (
	"net/netip"
	"time"
)

// Tracer receives, in encoded signalling, what crosses S1-MME and SGi, in
// virtual time: every S1AP PDU (with its NAS inside) between a cell's
// eNodeB and the MME, and every user datagram between a device's PDN
// address and the application server. The CLI's --pcap writes them to a
// capture file.
type Tracer interface {
	// S1AP reports a PDU between eNodeB enb (one per site, serving the
	// site's cells) and the MME.
	S1AP(at time.Duration, enb int, uplink bool, pdu []byte)
	// SGi reports user data of size bytes leaving (uplink) or reaching the core.
	SGi(at time.Duration, ue netip.Addr, uplink bool, size int)
}
