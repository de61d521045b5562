package emulate

import (
	"encoding/binary"
	"errors"
	"fmt"
	"net/netip"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"golang.org/x/sys/unix"
)

// linuxTUN is a TUN interface (/dev/net/tun, IFF_TUN|IFF_NO_PI) configured
// through rtnetlink. Both file descriptors belong to the network namespace
// of the thread that opened them, whichever thread uses them later.
type linuxTUN struct {
	f     *os.File // non-blocking, in the runtime's poller: Close ends a Read
	name  string
	index int32

	nlMu sync.Mutex
	nl   int // NETLINK_ROUTE socket
	seq  uint32

	once sync.Once
}

// openTUN creates the interface, up and without an address. The warning
// says which settings could not be made.
func openTUN(name string) (_ tunDevice, warning string, _ error) {
	ifr, err := unix.NewIfreq(name)
	if err != nil {
		return nil, "", fmt.Errorf("interface name %q: %w", name, err)
	}
	fd, err := unix.Open("/dev/net/tun", unix.O_RDWR|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, "", fmt.Errorf("opening /dev/net/tun: %w (%w)", err, ErrTUN)
	}
	ifr.SetUint16(unix.IFF_TUN | unix.IFF_NO_PI)
	if err := unix.IoctlIfreq(fd, unix.TUNSETIFF, ifr); err != nil {
		unix.Close(fd)
		switch {
		case errors.Is(err, unix.EPERM) || errors.Is(err, unix.EACCES):
			return nil, "", fmt.Errorf("creating %s: %w (%w)", name, err, ErrTUN)
		case errors.Is(err, unix.EBUSY):
			return nil, "", fmt.Errorf("creating %s: %w (is another nbsim emulate --tun running?)", name, err)
		}
		return nil, "", fmt.Errorf("creating %s: %w", name, err)
	}
	if err := unix.SetNonblock(fd, true); err != nil {
		unix.Close(fd)
		return nil, "", fmt.Errorf("%s: %w", name, err)
	}
	t := &linuxTUN{f: os.NewFile(uintptr(fd), "/dev/net/tun:"+name), name: name, nl: -1}
	fail := func(err error) (tunDevice, string, error) {
		t.Close()
		return nil, "", fmt.Errorf("configuring %s: %w", name, err)
	}
	if t.nl, err = unix.Socket(unix.AF_NETLINK, unix.SOCK_RAW|unix.SOCK_CLOEXEC, unix.NETLINK_ROUTE); err != nil {
		return fail(err)
	}
	if err := unix.Bind(t.nl, &unix.SockaddrNetlink{Family: unix.AF_NETLINK}); err != nil {
		return fail(err)
	}
	tv := unix.NsecToTimeval(int64(5 * time.Second))
	if err := unix.SetsockoptTimeval(t.nl, unix.SOL_SOCKET, unix.SO_RCVTIMEO, &tv); err != nil {
		return fail(err)
	}
	// The interface index, asked in the netlink socket's namespace.
	if err := unix.IoctlIfreq(t.nl, unix.SIOCGIFINDEX, ifr); err != nil {
		return fail(fmt.Errorf("interface index: %w", err))
	}
	t.index = int32(ifr.Uint32())
	// No IPv6 on it (router solicitations, MLD): the gateway carries IPv4
	// only. Best effort: IPv6 may be off in the kernel altogether.
	_ = os.WriteFile("/proc/sys/net/ipv6/conf/"+name+"/disable_ipv6", []byte("1"), 0)
	// Answers from a server on this host come in with a source address of
	// this host (127.0.0.1 included), which the kernel drops as martian
	// unless told otherwise: accept them on this interface, which only the
	// emulator writes to. (Strict reverse-path filtering in "all",
	// rp_filter 1, still drops them: see docs/emulate.md.) Best effort: a
	// container may have /proc/sys read-only, and the interface works for
	// servers elsewhere without these.
	var failed []string
	for k, v := range map[string]string{"accept_local": "1", "route_localnet": "1", "rp_filter": "0"} {
		if err := os.WriteFile("/proc/sys/net/ipv4/conf/"+name+"/"+k, []byte(v), 0); err != nil {
			failed = append(failed, k+"="+v)
		}
	}
	if len(failed) > 0 {
		slices.Sort(failed)
		warning = fmt.Sprintf("could not set %s on %s (answers from servers on this host will be dropped): set net.ipv4.conf.%s.{accept_local=1,route_localnet=1,rp_filter=0}", strings.Join(failed, ", "), name, name)
	}
	// Up (RTM_NEWLINK, ifinfomsg with IFF_UP in flags and change).
	link := make([]byte, unix.SizeofIfInfomsg)
	link[0] = unix.AF_UNSPEC
	binary.NativeEndian.PutUint32(link[4:], uint32(t.index))
	binary.NativeEndian.PutUint32(link[8:], unix.IFF_UP)
	binary.NativeEndian.PutUint32(link[12:], unix.IFF_UP)
	if err := t.request(unix.RTM_NEWLINK, 0, link); err != nil {
		return fail(fmt.Errorf("bringing it up: %w", err))
	}
	return t, warning, nil
}

func (t *linuxTUN) Read(b []byte) (int, error) {
	n, err := t.f.Read(b)
	if errors.Is(err, os.ErrClosed) {
		err = errTUNClosed
	}
	return n, err
}

func (t *linuxTUN) Write(b []byte) (int, error) { return t.f.Write(b) }

// SetAddr replaces old by new (either may be invalid): a /32 with no peer
// and so no route.
func (t *linuxTUN) SetAddr(old, new netip.Addr) error {
	if old.IsValid() {
		if err := t.request(unix.RTM_DELADDR, 0, t.addrMsg(old)); err != nil && !errors.Is(err, unix.EADDRNOTAVAIL) {
			return fmt.Errorf("removing %v: %w", old, err)
		}
	}
	if new.IsValid() {
		if err := t.request(unix.RTM_NEWADDR, unix.NLM_F_CREATE|unix.NLM_F_REPLACE, t.addrMsg(new)); err != nil {
			return fmt.Errorf("adding %v: %w", new, err)
		}
	}
	return nil
}

// addrMsg is an ifaddrmsg for a /32 with IFA_LOCAL and IFA_ADDRESS.
func (t *linuxTUN) addrMsg(a netip.Addr) []byte {
	b := make([]byte, unix.SizeofIfAddrmsg)
	b[0] = unix.AF_INET
	b[1] = 32
	b[3] = unix.RT_SCOPE_UNIVERSE
	binary.NativeEndian.PutUint32(b[4:], uint32(t.index))
	v := a.As4()
	for _, typ := range []uint16{unix.IFA_LOCAL, unix.IFA_ADDRESS} {
		attr := make([]byte, unix.SizeofRtAttr+4)
		binary.NativeEndian.PutUint16(attr[0:], uint16(len(attr)))
		binary.NativeEndian.PutUint16(attr[2:], typ)
		copy(attr[unix.SizeofRtAttr:], v[:])
		b = append(b, attr...)
	}
	return b
}

// request sends one rtnetlink request and waits for its acknowledgement.
func (t *linuxTUN) request(typ, flags uint16, body []byte) error {
	t.nlMu.Lock()
	defer t.nlMu.Unlock()
	if t.nl < 0 {
		return errTUNClosed
	}
	t.seq++
	msg := make([]byte, unix.NLMSG_HDRLEN, unix.NLMSG_HDRLEN+len(body))
	msg = append(msg, body...)
	binary.NativeEndian.PutUint32(msg[0:], uint32(len(msg)))
	binary.NativeEndian.PutUint16(msg[4:], typ)
	binary.NativeEndian.PutUint16(msg[6:], flags|unix.NLM_F_REQUEST|unix.NLM_F_ACK)
	binary.NativeEndian.PutUint32(msg[8:], t.seq)
	if err := unix.Sendto(t.nl, msg, 0, &unix.SockaddrNetlink{Family: unix.AF_NETLINK}); err != nil {
		return err
	}
	buf := make([]byte, 8192)
	for {
		n, _, err := unix.Recvfrom(t.nl, buf, 0)
		if err != nil {
			return err
		}
		for b := buf[:n]; len(b) >= unix.NLMSG_HDRLEN; {
			l := int(binary.NativeEndian.Uint32(b[0:]))
			if l < unix.NLMSG_HDRLEN || l > len(b) {
				break
			}
			mtyp := binary.NativeEndian.Uint16(b[4:])
			seq := binary.NativeEndian.Uint32(b[8:])
			if seq == t.seq && mtyp == unix.NLMSG_ERROR && l >= unix.NLMSG_HDRLEN+4 {
				if e := int32(binary.NativeEndian.Uint32(b[unix.NLMSG_HDRLEN:])); e != 0 {
					return unix.Errno(-e)
				}
				return nil
			}
			b = b[min((l+3)&^3, len(b)):]
		}
	}
}

func (t *linuxTUN) Close() error {
	t.once.Do(func() {
		t.f.Close()
		t.nlMu.Lock()
		if t.nl >= 0 {
			unix.Close(t.nl)
			t.nl = -1
		}
		t.nlMu.Unlock()
	})
	return nil
}
