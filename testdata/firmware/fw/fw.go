// Package fw is the reference firmware that `nbsim devtest`'s tests run
// (testdata/firmware/good and testdata/firmware/buggy): a small device
// application for a BC95-class module (the bc95 profile), driving its AT
// port as an embedded firmware does. It follows the devtest application
// contract (docs/firmware.md): it sends a report to the server every
// period and sends every datagram the server sends it back to the server.
//
// Its timers are network time: it sleeps d/speed of wall time for d, so
// that it keeps pace with an emulator that runs speed times faster than
// the wall clock (nbsim devtest --speed).
//
// Bugs can be switched on one by one, each a typical firmware mistake:
//
//	backoff   while the module searches (+CEREG stat 2 or 4), kick it
//	          (AT+CFUN=0, AT+CFUN=1, AT+CGATT=1) every few seconds instead
//	          of leaving the retries to it (TS 24.301 §5.5.1.2.6)
//	psm       never ask for PSM (AT+CPSMS=0)
//	downlink  never read the data the module reports (+NSONMI): downlink
//	          that arrives after a wake-up is dropped
//	reject    after an attach reject (+CEREG stat 3), attach again every
//	          few seconds whatever the cause (TS 24.301 §5.5.1.2.5)
package fw

import (
	"bufio"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strconv"
	"strings"
	"time"
)

// Config is what the firmware is built or started with.
type Config struct {
	Port   string        // the AT port: host:port (TCP) or a device path
	Server string        // host:port of the report server
	Period time.Duration // reporting period (network time)
	Speed  float64       // network time per wall time (1: real time)
	Bugs   map[string]bool
	Log    io.Writer
}

// Bugs are the bug names Config.Bugs takes.
var Bugs = []string{"backoff", "psm", "downlink", "reject"}

type fw struct {
	cfg  Config
	conn io.ReadWriteCloser
	resp chan string // lines that are not URCs
	urc  chan string
	log  io.Writer

	reg        int // last +CEREG stat
	cause      int // last reject cause
	regChanged time.Time
	sock       int
	reports    int
}

// Run runs the firmware until its port closes.
func Run(cfg Config) error {
	if cfg.Speed <= 0 {
		cfg.Speed = 1
	}
	if cfg.Log == nil {
		cfg.Log = io.Discard
	}
	c, err := open(cfg.Port)
	if err != nil {
		return err
	}
	f := &fw{cfg: cfg, conn: c, resp: make(chan string, 64), urc: make(chan string, 64), log: cfg.Log, sock: -1}
	go f.read()
	return f.main()
}

func open(port string) (io.ReadWriteCloser, error) {
	if strings.HasPrefix(port, "/") {
		return os.OpenFile(port, os.O_RDWR, 0)
	}
	return net.Dial("tcp", port)
}

// sleep waits d of network time.
func (f *fw) sleep(d time.Duration) { time.Sleep(f.wall(d)) }

func (f *fw) wall(d time.Duration) time.Duration { return time.Duration(float64(d) / f.cfg.Speed) }

func (f *fw) logf(format string, args ...any) { fmt.Fprintf(f.log, "fw: "+format+"\n", args...) }

var urcPrefixes = []string{"+CEREG:", "+NSONMI:", "+NPSMR:", "+CSCON:", "+NNMI:", "+CEDRXP:"}

// read splits the port's lines into URCs and command responses.
func (f *fw) read() {
	sc := bufio.NewScanner(f.conn)
	for sc.Scan() {
		l := strings.TrimSpace(sc.Text())
		if l == "" {
			continue
		}
		isURC := false
		for _, p := range urcPrefixes {
			if strings.HasPrefix(strings.ReplaceAll(l, ": ", ":"), p) {
				isURC = true
			}
		}
		if isURC {
			f.urc <- strings.ReplaceAll(l, ": ", ":")
		} else {
			f.resp <- l
		}
	}
	close(f.resp)
}

var errClosed = errors.New("the AT port closed")

// cmd sends a command and returns its information lines and whether it
// ended in OK.
func (f *fw) cmd(s string) ([]string, bool, error) {
	return f.cmdWithin(s, 10*time.Second)
}

// cmdWithin is cmd with a wall-time limit for the answer.
func (f *fw) cmdWithin(s string, limit time.Duration) ([]string, bool, error) {
	if _, err := fmt.Fprintf(f.conn, "%s\r\n", s); err != nil {
		return nil, false, err
	}
	var info []string
	timeout := time.After(limit)
	for {
		select {
		case l, ok := <-f.resp:
			if !ok {
				return nil, false, errClosed
			}
			switch {
			case l == "OK":
				return info, true, nil
			case l == "ERROR" || strings.HasPrefix(l, "+CME ERROR"):
				f.logf("%s: %s", s, l)
				return info, false, nil
			case l == s || l == "REBOOTING" || l == "Neul":
				// an echo or a banner
			default:
				info = append(info, l)
			}
		case <-timeout:
			return info, false, fmt.Errorf("%s: no answer within %v", s, limit)
		}
	}
}

// sync puts the firmware back in step with the module after commands
// whose answers may come late: it sends AT+CGMI and skips every line up to
// its information line and the OK after it.
func (f *fw) sync() error {
	if _, err := fmt.Fprintf(f.conn, "AT+CGMI\r\n"); err != nil {
		return err
	}
	info := false
	timeout := time.After(10 * time.Second)
	for {
		select {
		case l, ok := <-f.resp:
			switch {
			case !ok:
				return errClosed
			case l == "OK" && info:
				return nil
			case l == "OK" || l == "AT+CGMI" || l == "AT":
			case l == "ERROR" || strings.HasPrefix(l, "+CME ERROR"):
				return fmt.Errorf("AT+CGMI: %s", l)
			default:
				info = true
			}
		case <-timeout:
			return errors.New("AT+CGMI: no answer within 10 s")
		}
	}
}

// must runs a command that has to succeed (at most three tries).
func (f *fw) must(s string) ([]string, error) {
	for try := 0; ; try++ {
		info, ok, err := f.cmd(s)
		if err != nil || ok {
			return info, err
		}
		if try == 2 {
			return info, fmt.Errorf("%s: ERROR", s)
		}
		f.sleep(time.Second)
	}
}

func (f *fw) main() error {
	// Boot: the module answers AT once it is up (a BG95 prints RDY after
	// about 5 s and ignores what comes before): AT every second of network
	// time (at least every half second of wall time), 60 tries; then the
	// late answers to earlier tries are skipped (sync).
	up := false
	for try := 0; try < 60 && !up; try++ {
		_, ok, err := f.cmdWithin("AT", max(f.wall(time.Second), 500*time.Millisecond))
		if errors.Is(err, errClosed) {
			return err
		}
		up = ok
	}
	if !up {
		return errors.New("the module does not answer AT")
	}
	if err := f.sync(); err != nil {
		return err
	}
	// Vendor reports this firmware can do without (+NPSMR is BC95's).
	for _, c := range []string{"AT+NPSMR=1", "AT+CSCON=1"} {
		if _, _, err := f.cmd(c); err != nil {
			return err
		}
	}
	init := []string{"ATE0", "AT+CMEE=1", "AT+CEREG=3"}
	if f.cfg.Bugs["psm"] {
		init = append(init, "AT+CPSMS=0")
	} else {
		// Periodic TAU 1 h (T3412 0b001 00001), active time 10 s (T3324
		// 0b000 00101): the network grants what it will (TS 24.008
		// §10.5.7.4a, §10.5.7.3).
		init = append(init, `AT+CPSMS=1,,,"00100001","00000101"`)
	}
	init = append(init, "AT+CFUN=1", "AT+CGATT=1")
	for _, c := range init {
		if _, err := f.must(c); err != nil {
			return err
		}
	}
	f.regChanged = time.Now()
	next := time.Now()
	for {
		if err := f.poll(); err != nil {
			return err
		}
		if f.reg == 1 || f.reg == 5 {
			if !time.Now().Before(next) {
				if err := f.report(); err != nil {
					return err
				}
				next = time.Now().Add(f.wall(f.cfg.Period))
			}
		} else if err := f.unregistered(); err != nil {
			return err
		}
		select {
		case u := <-f.urc:
			if err := f.handle(u); err != nil {
				return err
			}
		case <-time.After(f.wall(500 * time.Millisecond)):
		}
	}
}

// poll takes the URCs waiting.
func (f *fw) poll() error {
	for {
		select {
		case u := <-f.urc:
			if err := f.handle(u); err != nil {
				return err
			}
		default:
			return nil
		}
	}
}

func (f *fw) handle(u string) error {
	switch {
	case strings.HasPrefix(u, "+CEREG:"):
		// +CEREG:<stat>[,[<tac>],[<ci>],[<AcT>][,<cause_type>,<reject_cause>]]
		fs := strings.Split(strings.TrimPrefix(u, "+CEREG:"), ",")
		st, _ := strconv.Atoi(fs[0])
		f.reg, f.cause = st, 0
		if len(fs) >= 6 {
			f.cause, _ = strconv.Atoi(fs[5])
		}
		f.regChanged = time.Now()
		f.logf("registration %d cause %d", f.reg, f.cause)
	case strings.HasPrefix(u, "+NSONMI:"):
		if f.cfg.Bugs["downlink"] {
			return nil
		}
		return f.readSocket(u)
	}
	return nil
}

// unregistered decides what to do while not registered.
func (f *fw) unregistered() error {
	since := time.Since(f.regChanged)
	wait := f.wall(30 * time.Minute) // leave the retries to the module
	switch {
	case f.reg == 3 && f.cfg.Bugs["reject"]:
		wait = f.wall(5 * time.Second)
	case f.reg == 3 && (f.cause == 11 || f.cause == 15):
		// PLMN not allowed, no suitable cells in the tracking area: the
		// module may not try here again before a power cycle (TS 24.301
		// §5.5.1.2.5); try again much later.
		wait = f.wall(time.Hour)
	case f.reg == 3:
		// Congestion (#22, T3346) and other causes: back off.
		wait = f.wall(2 * time.Minute)
	case f.cfg.Bugs["backoff"]:
		wait = f.wall(5 * time.Second)
	}
	if since < wait {
		return nil
	}
	f.logf("not registered for %v: radio off and on, attach", since)
	for _, c := range []string{"AT+CFUN=0", "AT+CFUN=1", "AT+CGATT=1"} {
		if _, _, err := f.cmd(c); err != nil {
			return err
		}
	}
	f.reg, f.regChanged = 2, time.Now()
	return nil
}

// report sends one report to the server. A report that cannot be sent
// (no service, no socket) is skipped: the next period tries again.
func (f *fw) report() error {
	if f.sock < 0 {
		info, ok, err := f.cmd("AT+NSOCR=DGRAM,17,5000,1")
		if err != nil {
			return err
		}
		if !ok || len(info) == 0 {
			// A socket on the port is left from before: close them all.
			for i := 0; i < 7; i++ {
				if _, _, err := f.cmd(fmt.Sprintf("AT+NSOCL=%d", i)); err != nil {
					return err
				}
			}
			return nil
		}
		f.sock, _ = strconv.Atoi(info[0])
	}
	f.reports++
	return f.send([]byte(fmt.Sprintf("report %d", f.reports)))
}

func (f *fw) send(data []byte) error {
	host, port, err := net.SplitHostPort(f.cfg.Server)
	if err != nil {
		return err
	}
	_, _, err = f.cmd(fmt.Sprintf("AT+NSOST=%d,%s,%s,%d,%X", f.sock, host, port, len(data), data))
	return err
}

// readSocket reads what +NSONMI announces and sends it back to the server.
func (f *fw) readSocket(u string) error {
	fs := strings.Split(strings.TrimPrefix(u, "+NSONMI:"), ",")
	if len(fs) < 2 {
		return nil
	}
	info, ok, err := f.cmd(fmt.Sprintf("AT+NSORF=%s,%s", fs[0], fs[1]))
	if err != nil || !ok || len(info) == 0 {
		return err
	}
	// <socket>,<ip_addr>,<port>,<length>,<data>,<remaining_length>
	r := strings.Split(info[0], ",")
	if len(r) < 5 {
		return nil
	}
	data, err := hex.DecodeString(r[4])
	if err != nil {
		return nil
	}
	f.logf("downlink %q: sent back", data)
	return f.send(data)
}
