package module

import (
	"errors"
	"fmt"
	"net/netip"
	"strings"
	"time"

	"github.com/nbsim/nbsim/at"
)

// Limits that keep a module's memory bounded whatever the firmware sends.
const (
	maxHeld        = 4096 // input bytes held while a command is pending
	maxURCs        = 64   // URCs queued while a command is running
	pendingTimeout = 3 * time.Minute
)

// Module is one emulated module. Its methods must be called from one
// goroutine (the engine's).
type Module struct {
	cfg  Config
	st   Stack
	prof *Profile
	cmds map[string]handler // the command set, keyed by at.Command.Name

	// booting is set from power-on until the profile's first boot line
	// (the UART is up when it prints): the port takes no input yet. bootGen tells this boot's timers from
	// a previous one's.
	booting bool
	bootGen int
	// The AT channel's own state (the port's, or with AT+CMUX the loaded
	// DLC's): its line reader, format, echo, the command line being
	// executed, the data prompt and the data call (cmd_mux.go).
	portState
	// URCsDropped counts URCs dropped because the queue was full.
	urcsDropped int

	ceer string // last error for AT+CEER

	// Settings kept across AT+NRB (non-volatile on a BC95).
	autoConnect bool
	bands       []int
	earfcnLock  uint32
	cdp         netip.AddrPort
	pdns        [maxCID + 1]*PDN
	psm         psmSetting
	edrx        edrxSetting

	// Volatile settings and state (reset by AT+NRB).
	cfun                 bool // the firmware asked for the radio on
	cfunOff              int  // AT+CFUN=0 or =4 when off
	detached             bool // AT+CGATT=0 / AT+COPS=2: stay detached
	ceregMode, csconMode int
	cregMode, cgregMode  int
	cgerepMode           int
	qi                   qiState // AT+QI… (sock_qi.go)
	usoHex               bool    // AT+UDCONF=1,1 (sock_uso.go)
	caActive             uint8   // AT+CNACT contexts up (sock_ca.go)
	slm                  slmState
	npsmr, nnmi          int
	crtdcp               bool
	lastCEREG, lastEDRXP string
	lastPTWP             string
	socks                []*socket
	plat                 platformState
	droppedPackets       int64

	calls       int              // calls made since power-on
	dataDropped map[string]int64 // host packets dropped in data mode, by cause (DataDropped)
	mux         *muxState        // the TS 27.010 multiplexer (cmd_mux.go); nil: off
	muxReq      *cmuxParams      // AT+CMUX's parameters until its OK is out
}

// pending is a command waiting for an event from the stack.
type pending struct {
	name  string
	since time.Time
	// done looks at an event; finished says the command is over, err is
	// its outcome.
	done func(ev any) (finished bool, err error)
}

// errPending says a command awaits an event.
var errPending = errors.New("pending")

// cmdError is a command's failure: a +CME ERROR code, or plain ERROR.
type cmdError struct {
	code  at.CME
	plain bool
}

func (e *cmdError) Error() string {
	if e.plain {
		return "ERROR"
	}
	return fmt.Sprintf("+CME ERROR: %d", e.code)
}

// finalResult is a command's own final result code instead of OK (the
// Quectel "SEND OK"); it ends the command line.
type finalResult struct{ text string }

func (e *finalResult) Error() string { return e.text }

// fail is a +CME ERROR whose reason AT+CEER reports.
func (m *Module) fail(code at.CME, format string, args ...any) error {
	m.ceer = fmt.Sprintf(format, args...)
	return &cmdError{code: code}
}

var errPlain = &cmdError{plain: true}

// New returns a module on stack st. With cfg.AutoConnect it switches the
// radio on at once (st.Power(true)), as a BC95 with AUTOCONNECT does at
// boot; it writes nothing until the firmware sends a command.
func New(cfg Config, st Stack) *Module {
	p := cfg.Profile
	if p == nil {
		p, _ = LookupProfile(DefaultProfile)
	}
	if cfg.Manufacturer == "" {
		cfg.Manufacturer = p.Manufacturer
	}
	if cfg.Model == "" {
		cfg.Model = p.Model
	}
	if cfg.Revision == "" {
		cfg.Revision = p.Revision
	}
	if cfg.MaxSocketPayload <= 0 {
		cfg.MaxSocketPayload = p.Sockets.MaxPayload
	}
	m := &Module{cfg: cfg, st: st, prof: p, cmds: p.cmds, autoConnect: cfg.AutoConnect, cdp: cfg.Platform}
	m.lr.Max = max(at.DefaultMaxLine, 2*max(cfg.MaxSocketPayload, MaxNMGSPayload)+128)
	if cfg.Band > 0 {
		m.bands = []int{cfg.Band}
	}
	m.pdns[1] = &PDN{Type: PDNIP}
	m.reset()
	m.boot()
	return m
}

// reset sets the volatile state as after power-on.
func (m *Module) reset() {
	m.lr.Reset()
	m.f = at.Format{Verbose: true, CMEE: m.prof.CMEE}
	m.echo = m.prof.Echo
	m.running, m.rest, m.pend, m.held, m.urcs = false, nil, nil, nil, nil
	m.prompt = nil
	m.ceer = ""
	m.cfun, m.detached, m.cfunOff = false, false, 0
	m.ceregMode, m.csconMode, m.npsmr, m.nnmi = 0, 0, 0, 0
	m.cregMode, m.cgregMode, m.cgerepMode = 0, 0, 0
	m.qi = qiState{iotOpMode: "2", scanSeq: "020301"}
	m.usoHex, m.caActive = false, 0
	m.slm = slmState{mode: [4]int{1, 1, 0, 0}, sock: -1}
	m.crtdcp = false
	m.lastCEREG, m.lastEDRXP, m.lastPTWP = "", "", ""
	m.socks = make([]*socket, m.prof.Sockets.Max)
	m.plat.reset(m.cfg.IMEI)
	m.call, m.mux = nil, nil
}

// boot is what the module does by itself at power-on: the profile's
// boot lines, each after its delay (the port takes input from the
// first), and with AUTOCONNECT the radio on.
func (m *Module) boot() {
	m.bootGen++
	m.booting = len(m.prof.Boot) > 0
	for i, b := range m.prof.Boot {
		m.st.After(time.Duration(b.After), bootLine{gen: m.bootGen, i: i})
	}
	if m.autoConnect {
		m.cfun = true
		m.st.Power(true)
	}
}

// NewClient says another client took over the AT port (a new TCP
// connection): the command line the previous one left unfinished is
// dropped, not run glued to the new client's first command. As a DTR
// drop with AT&D2 does (V.250 §6.2.9), the previous host's data call
// ends and its multiplexer closes down: nothing else would end them (the
// host that ran them is gone), and the new client would find a port
// that takes no AT command.
func (m *Module) NewClient() {
	if m.mux != nil {
		m.use(0)
		m.mux = nil
		m.trace("cmux", "multiplexer closed down: a new client on the port")
	}
	if m.call != nil {
		m.trace("ppp", "call ended: a new client on the port (as a DTR drop)")
		m.call = nil
	}
	m.lr.Reset()
}

// bootLine is the timer of the profile's boot line i.
type bootLine struct{ gen, i int }

// printBoot prints a boot line whose time has come.
func (m *Module) printBoot(e bootLine) {
	if e.gen != m.bootGen {
		return // a previous boot's
	}
	m.booting = false
	m.urc(m.prof.Boot[e.i].Line)
}

// Input takes bytes from the AT port.
func (m *Module) Input(b []byte) {
	if m.mux != nil {
		m.muxInput(b)
		return
	}
	m.portInput(b)
}

// portInput takes bytes of the port whose state is loaded.
func (m *Module) portInput(b []byte) {
	m.checkTimeout()
	if m.booting {
		return // the UART is not up yet: bytes are lost
	}
	if m.inData() {
		m.callInput(b)
		return
	}
	if m.prompt != nil {
		if b = m.takePrompt(b); len(b) == 0 {
			return
		}
	}
	if m.running || len(m.held) > 0 {
		// behind a pending command, or behind input held for one that
		// has just timed out
		m.hold(b)
		m.drain()
		return
	}
	m.feed(b)
	m.drain()
}

func (m *Module) hold(b []byte) {
	n := min(len(b), maxHeld-len(m.held))
	m.held = append(m.held, b[:n]...)
}

// feed runs bytes through the line discipline, echoing them, and executes
// each complete line; bytes after a line whose command is pending are held.
func (m *Module) feed(b []byte) {
	start := 0
	for i := 0; i < len(b); i++ {
		l, ok := m.lr.Feed(b[i])
		if !ok {
			continue
		}
		end := i + 1
		if end < len(b) && b[end] == at.LF {
			end++ // the LF of a CR LF line end is echoed with it
		}
		if m.echo {
			m.rawOut(b[start:end])
		}
		start, i = end, end-1
		m.line(l)
		if m.inData() {
			m.callInput(b[end:])
			return
		}
		if m.prompt != nil {
			m.portInput(b[end:])
			return
		}
		if m.mux != nil && m.mux.cur == 0 {
			m.muxInput(b[end:]) // what follows AT+CMUX's OK
			return
		}
		if m.running {
			m.hold(b[end:])
			return
		}
	}
	if m.echo && start < len(b) {
		m.rawOut(b[start:])
	}
}

// drain executes held input once nothing is running.
func (m *Module) drain() {
	for !m.running && len(m.held) > 0 {
		h := m.held
		m.held = nil
		m.feed(h)
	}
}

// line executes one command line.
func (m *Module) line(l at.Line) {
	if l.TooLong {
		m.trace("in", "(line too long)")
		m.ceer = fmt.Sprintf("command line longer than %d characters", m.lr.Max)
		m.running = true
		m.finish(errPlain)
		return
	}
	m.trace("in", l.Text)
	cmds, err := at.Parse(l.Text)
	m.running = true
	if err != nil {
		m.ceer = err.Error()
		m.finish(errPlain)
		return
	}
	m.rest = cmds
	m.step()
}

// step executes the remaining commands of the line until one is pending
// or fails, or the line is done.
func (m *Module) step() {
	for len(m.rest) > 0 {
		c := m.rest[0]
		m.rest = m.rest[1:]
		err := m.exec(c)
		if err == errPending || err == errRebooted {
			return
		}
		if err == errDataMode {
			m.connect()
			return
		}
		if err == errCMUX {
			m.startMux()
			return
		}
		if err != nil {
			m.finish(err)
			return
		}
	}
	m.finish(nil)
}

// wait makes the current command pending until done says it is over.
func (m *Module) wait(name string, done func(ev any) (bool, error)) error {
	m.pend = &pending{name: name, since: m.st.Now(), done: done}
	return errPending
}

// finish writes the final result code of the line, then the URCs held
// back during it.
func (m *Module) finish(err error) {
	m.rest, m.pend = nil, nil
	var ce *cmdError
	var fr *finalResult
	switch {
	case err == nil:
		m.out(m.f.OK())
	case errors.As(err, &fr):
		if !m.f.Quiet {
			m.out(m.f.Info(fr.text))
		}
	case err == errNoCarrier:
		m.out(m.f.NoCarrier())
	case errors.As(err, &ce) && !ce.plain:
		m.out(m.f.CMEError(ce.code))
	default:
		m.out(m.f.Error())
	}
	m.running = false
	m.prompt = nil
	urcs := m.urcs
	m.urcs = nil
	for _, u := range urcs {
		m.out(m.f.URC(m.urcText(u)))
	}
}

// checkTimeout fails a command that has waited too long for the stack.
func (m *Module) checkTimeout() {
	if m.pend != nil && m.st.Now().Sub(m.pend.since) > pendingTimeout {
		m.finish(m.fail(at.CMEUnknown, "%s: no answer from the network stack in %v", m.pend.name, pendingTimeout))
	}
}

// urc sends an unsolicited result code, or queues it while a command line
// runs (never inside a response).
func (m *Module) urc(text string) {
	if m.inData() && len(m.urcs) >= maxCallURCs {
		m.urcsDropped++
		return
	}
	if m.running || m.inData() {
		if len(m.urcs) >= maxURCs {
			m.urcsDropped++
			return
		}
		m.urcs = append(m.urcs, text)
		return
	}
	m.out(m.f.URC(m.urcText(text)))
}

// urcText is a URC as the profile writes it.
func (m *Module) urcText(text string) string {
	if m.prof.InfoSpace {
		return spaced(text)
	}
	return text
}

// info writes information text of the current command.
func (m *Module) info(lines ...string) {
	if m.prof.InfoSpace {
		for i, l := range lines {
			lines[i] = spaced(l)
		}
	}
	m.out(m.f.Info(lines...))
}

// spaced puts a space after the colon of a "+NAME:value" line, as
// TS 27.007 writes information responses ("+CSQ: 31,99").
func spaced(l string) string {
	if len(l) < 3 || (l[0] != '+' && l[0] != '%' && l[0] != '#') {
		return l
	}
	i := strings.IndexByte(l, ':')
	if i < 2 || i+1 >= len(l) || l[i+1] == ' ' || strings.ContainsAny(l[:i], " ,\"") {
		return l
	}
	return l[:i+1] + " " + l[i+1:]
}

func (m *Module) out(b []byte) {
	if len(b) == 0 {
		return
	}
	if m.cfg.Trace != nil {
		for _, l := range strings.Split(string(b), "\r\n") {
			if l = strings.Trim(l, "\r\n"); l != "" {
				m.cfg.Trace("out", l)
			}
		}
	}
	m.rawOut(b)
}

func (m *Module) rawOut(b []byte) {
	if m.mux != nil {
		m.muxOut(b)
		return
	}
	if m.cfg.Out != nil && len(b) > 0 {
		m.cfg.Out(append([]byte(nil), b...))
	}
}

func (m *Module) trace(dir, text string) {
	if m.cfg.Trace != nil {
		m.cfg.Trace(dir, text)
	}
}

// errRebooted ends AT+NRB, which writes its own result code.
var errRebooted = errors.New("rebooted")
