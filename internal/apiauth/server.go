package apiauth

import (
	"net"
	"net/http"
	"time"

	"golang.org/x/net/netutil"
)

// Limits of a hardened API server (the same values as the built-in
// platform's HTTPLimits defaults). A client that is slower than these is
// cut off; none of them binds a person with curl or a test script.
const (
	ReadHeaderTimeout = 5 * time.Second  // request line and headers
	ReadTimeout       = 10 * time.Second // the whole request, body included
	WriteTimeout      = 30 * time.Second // from the end of the headers to the end of the answer
	IdleTimeout       = 60 * time.Second // a kept-alive connection with no request
	MaxHeaderBytes    = 16 << 10         // request line and headers
	MaxBody           = 1 << 20          // request body (the control API itself takes 64 KiB)
	MaxConns          = 256              // concurrent connections per listener
)

// HardenServer sets every timeout and size limit above that s leaves at
// zero.
func HardenServer(s *http.Server) {
	if s.ReadHeaderTimeout == 0 {
		s.ReadHeaderTimeout = ReadHeaderTimeout
	}
	if s.ReadTimeout == 0 {
		s.ReadTimeout = ReadTimeout
	}
	if s.WriteTimeout == 0 {
		s.WriteTimeout = WriteTimeout
	}
	if s.IdleTimeout == 0 {
		s.IdleTimeout = IdleTimeout
	}
	if s.MaxHeaderBytes == 0 {
		s.MaxHeaderBytes = MaxHeaderBytes
	}
}

// LimitListener bounds l to n concurrent connections (n ≤ 0: MaxConns):
// past it, Accept waits until one closes, so the kernel's backlog holds
// new clients instead of the process holding their memory and files.
func LimitListener(l net.Listener, n int) net.Listener {
	if n <= 0 {
		n = MaxConns
	}
	return netutil.LimitListener(l, n)
}
