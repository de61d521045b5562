package testutil

import (
	"net"
	"net/netip"
	"testing"
)

// UDPEcho starts a UDP server on 127.0.0.1 that answers every datagram with
// "re:" and the datagram, until the test ends. It returns the server's
// socket (to send from it, as a server with something to say would) and
// its address.
func UDPEcho(t testing.TB) (*net.UDPConn, netip.AddrPort) {
	t.Helper()
	c, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	go func() {
		buf := make([]byte, 65535)
		for {
			n, from, err := c.ReadFromUDPAddrPort(buf)
			if err != nil {
				return
			}
			c.WriteToUDPAddrPort(append([]byte("re:"), buf[:n]...), from)
		}
	}()
	return c, c.LocalAddr().(*net.UDPAddr).AddrPort()
}
