package module

import (
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/nbsim/nbsim/at"
	"github.com/nbsim/nbsim/epc/nas"
	"github.com/nbsim/nbsim/gpp"
)

// maxCID is the highest PDP context identifier (BC95: 0..10).
const maxCID = 10

// AcTNBS1 is the access technology of +COPS and +CEREG for E-UTRAN
// NB-S1 mode (TS 27.007 §7.3 <AcT> 9).
const AcTNBS1 = 9

// TS 27.007 packet domain commands (§7.3, §10.1).
var psCommands = map[string]handler{
	// +COPS=<mode>[,<format>[,<oper>]] (§7.3): 0 automatic, 2 deregister,
	// 3 set format (2, numeric, only); manual selection (1, 4) is not
	// supported.
	"+COPS": {set: cops, read: func(m *Module, _ at.Command) error {
		mode := 0
		if m.detached {
			mode = 2
		}
		s := m.st.Status()
		if registered(s.Reg) {
			m.info(fmt.Sprintf("+COPS:%d,2,\"%s%s\",%d", mode, s.MCC, s.MNC, AcTNBS1))
		} else {
			m.info(fmt.Sprintf("+COPS:%d", mode))
		}
		return nil
	}, test: func(m *Module, _ at.Command) error {
		s := m.st.Status()
		if s.MCC != "" {
			stat := 1
			if registered(s.Reg) {
				stat = 2
			}
			m.info(fmt.Sprintf("+COPS:(%d,\"\",\"\",\"%s%s\",%d),,(0-3),(2)", stat, s.MCC, s.MNC, AcTNBS1))
		} else {
			m.info("+COPS:,,(0-3),(2)")
		}
		return nil
	}},
	// +CGATT=<state> (§10.1.9). Attach answers OK at once and goes on
	// (follow it with +CEREG), as on the BC95; detach answers when done.
	"+CGATT": {set: func(m *Module, c at.Command) error {
		st, err := c.Int(0, 0, 1)
		if err == nil {
			err = m.noMoreParams(c, 1)
		}
		if err != nil {
			return err
		}
		if st == 1 {
			return m.attachCmd()
		}
		return m.detachCmd("AT+CGATT=0")
	}, read: infoOf(func(m *Module) string { return fmt.Sprintf("+CGATT:%d", b2i(registered(m.st.Status().Reg))) }),
		test: infoOf(func(*Module) string { return "+CGATT:(0,1)" })},
	// +CGDCONT=<cid>[,<PDP_type>[,<APN>[,…]]] (§10.1.1): "IP" or "NONIP";
	// <cid> alone undefines the context.
	"+CGDCONT": {set: cgdcont, read: func(m *Module, _ at.Command) error {
		var lines []string
		for cid, p := range m.pdns {
			if p != nil {
				lines = append(lines, fmt.Sprintf("+CGDCONT:%d,\"%s\",%s,,0,0", cid, p.Type, at.Quote(p.APN)))
			}
		}
		m.info(lines...)
		return nil
	}, test: infoOf(func(*Module) string {
		return fmt.Sprintf("+CGDCONT:(0-%d),(\"IP\",\"NONIP\"),,,(0),(0)", maxCID)
	})},
	// +CGACT=<state>[,<cid>…] (§10.1.10): the default PDN connection is
	// active while attached; activating it attaches; deactivating the
	// last PDN connection is refused (use +CGATT=0).
	"+CGACT": {set: cgact, read: func(m *Module, _ at.Command) error {
		on := registered(m.st.Status().Reg)
		cid := m.attachCID()
		var lines []string
		for c, p := range m.pdns {
			if p != nil {
				lines = append(lines, fmt.Sprintf("+CGACT:%d,%d", c, b2i(on && c == cid)))
			}
		}
		m.info(lines...)
		return nil
	}, test: infoOf(func(*Module) string { return "+CGACT:(0,1)" })},
	// +CGPADDR[=<cid>[,<cid>…]] (§10.1.14).
	"+CGPADDR": {action: cgpaddr, set: cgpaddr, test: func(m *Module, _ at.Command) error {
		var cids []string
		for c, p := range m.pdns {
			if p != nil {
				cids = append(cids, fmt.Sprint(c))
			}
		}
		m.info("+CGPADDR:(" + strings.Join(cids, ",") + ")")
		return nil
	}},
	// +CEREG=<n> (§10.1.22), n 0..5.
	"+CEREG": {set: func(m *Module, c at.Command) error {
		n, err := c.IntOr(0, 0, 0, 5)
		if err == nil {
			err = m.noMoreParams(c, 1)
		}
		if err != nil {
			return err
		}
		m.ceregMode = n
		s := m.st.Status()
		m.lastCEREG = m.ceregFields(n, s.Reg, s.RejectCause, s)
		return nil
	}, read: func(m *Module, _ at.Command) error {
		s := m.st.Status()
		m.info(fmt.Sprintf("+CEREG:%d,%s", m.ceregMode, m.ceregFields(max(m.ceregMode, 1), s.Reg, s.RejectCause, s)))
		return nil
	}, test: infoOf(func(*Module) string { return "+CEREG:(0-5)" })},
	// +CSCON=<n> (§10.1.30): 0, or 1 for the URC +CSCON:<mode>.
	"+CSCON": {set: func(m *Module, c at.Command) error {
		n, err := c.IntOr(0, 0, 0, 1)
		if err == nil {
			err = m.noMoreParams(c, 1)
		}
		if err == nil {
			m.csconMode = n
		}
		return err
	}, read: infoOf(func(m *Module) string {
		return fmt.Sprintf("+CSCON:%d,%d", m.csconMode, b2i(m.st.Status().Connected))
	}), test: infoOf(func(*Module) string { return "+CSCON:(0,1)" })},
	// +CSODCP=<cid>,<cpdata_length>,<cpdata>[,<RAI>[,<type_of_user_data>]]
	// (§10.1.43): user data over the control plane.
	"+CSODCP": {set: csodcp, test: infoOf(func(m *Module) string {
		return fmt.Sprintf("+CSODCP:(0-%d),(%d),(0-2),(0,1)", maxCID, m.cfg.MaxSocketPayload)
	})},
	// +CRTDCP=<reporting> (§10.1.44): 1 reports Non-IP downlink as
	// +CRTDCP:<cid>,<cpdata_length>,"<cpdata>".
	"+CRTDCP": {set: func(m *Module, c at.Command) error {
		n, err := c.IntOr(0, 0, 0, 1)
		if err == nil {
			err = m.noMoreParams(c, 1)
		}
		if err == nil {
			m.crtdcp = n == 1
		}
		return err
	}, read: infoOf(func(m *Module) string { return fmt.Sprintf("+CRTDCP:%d", b2i(m.crtdcp)) }),
		test: infoOf(func(m *Module) string {
			return fmt.Sprintf("+CRTDCP:(0,1),(0-%d),(%d)", maxCID, m.cfg.MaxSocketPayload)
		})},
}

func registered(r RegState) bool { return r == Registered || r == Roaming }

// attachCID is the context the module attaches with: the lowest defined.
func (m *Module) attachCID() int {
	for c, p := range m.pdns {
		if p != nil {
			return c
		}
	}
	return -1
}

// attach starts an attach unless the selected band or EARFCN excludes
// the network (the module would search in vain).
func (m *Module) attach() {
	if m.cfg.Band > 0 && len(m.bands) > 0 && !containsInt(m.bands, m.cfg.Band) {
		m.ceer = fmt.Sprintf("no cell: the network is on band %d, not in AT+NBAND", m.cfg.Band)
		return
	}
	if m.earfcnLock != 0 && m.cfg.EARFCN != 0 && m.earfcnLock != m.cfg.EARFCN {
		m.ceer = fmt.Sprintf("no cell: the network is on EARFCN %d, AT+NEARFCN locks %d", m.cfg.EARFCN, m.earfcnLock)
		return
	}
	pdn := PDN{Type: PDNIP}
	if c := m.attachCID(); c >= 0 {
		pdn = *m.pdns[c]
	}
	m.st.Attach(pdn)
}

func containsInt(s []int, v int) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

// attachCmd is +CGATT=1, +COPS=0, +CGACT=1.
func (m *Module) attachCmd() error {
	s := m.st.Status()
	if !s.RadioOn {
		return m.fail(at.CMEOperationNotAllowed, "radio is off: AT+CFUN=1 first")
	}
	m.detached = false
	if !registered(s.Reg) && s.Reg != Searching {
		m.attach()
	}
	return nil
}

// detachCmd is +CGATT=0, +COPS=2: pending until deregistered.
func (m *Module) detachCmd(name string) error {
	m.detached = true
	s := m.st.Status()
	if !s.RadioOn || !(registered(s.Reg) || s.Reg == Searching) {
		return nil
	}
	m.st.Detach()
	return m.wait(name, func(ev any) (bool, error) {
		switch e := ev.(type) {
		case Registration:
			return !registered(e.State) && e.State != Searching, nil
		case Radio:
			return !e.On, nil
		}
		return false, nil
	})
}

func cops(m *Module, c at.Command) error {
	mode, err := c.IntOr(0, 0, 0, 4)
	if err != nil {
		return err
	}
	if f, err := c.IntOr(1, 2, 0, 2); err != nil || f != 2 {
		return m.badParam("AT+COPS: only <format> 2 (numeric) is supported")
	}
	switch mode {
	case 0:
		if err := m.noMoreParams(c, 2); err != nil {
			return err
		}
		return m.attachCmd()
	case 2:
		return m.detachCmd("AT+COPS=2")
	case 3:
		return nil
	}
	return m.fail(at.CMEOperationNotSupp, "AT+COPS: manual network selection is not supported")
}

func cgdcont(m *Module, c at.Command) error {
	cid, err := c.Int(0, 0, maxCID)
	if err != nil {
		return err
	}
	active := registered(m.st.Status().Reg) && cid == m.attachCID()
	if len(c.Params) == 1 {
		if active {
			return m.fail(at.CMEOperationNotAllowed, "cid %d is in use by the PDN connection", cid)
		}
		m.pdns[cid] = nil
		return nil
	}
	typ, err := c.Str(1)
	if err != nil {
		return err
	}
	var p PDN
	switch strings.ToUpper(typ) {
	case "IP":
		p.Type = PDNIP
	case "NONIP":
		p.Type = PDNNonIP
	case "IPV6", "IPV4V6", "PPP", "X.25", "OSPIH":
		return m.fail(at.CMEOperationNotSupp, "PDP type %q not supported (IP, NONIP)", typ)
	default:
		return m.badParam("unknown PDP type %q", typ)
	}
	if c.Has(2) {
		if p.APN, err = c.Str(2); err != nil {
			return err
		}
		if len(p.APN) > 100 {
			return m.badParam("APN longer than 100 characters")
		}
	}
	if active && (m.pdns[cid] == nil || *m.pdns[cid] != p) {
		// the same definition again changes nothing and is accepted (host
		// drivers such as Zephyr's modem_cellular set it before dialling)
		return m.fail(at.CMEOperationNotAllowed, "cid %d is in use by the PDN connection", cid)
	}
	m.pdns[cid] = &p
	return nil
}

func cgact(m *Module, c at.Command) error {
	state, err := c.Int(0, 0, 1)
	if err != nil {
		return err
	}
	cid := m.attachCID()
	for i := 1; i < len(c.Params); i++ {
		n, err := c.Int(i, 0, maxCID)
		if err != nil {
			return err
		}
		if m.pdns[n] == nil {
			return m.badParam("cid %d is not defined", n)
		}
		if n != cid {
			return m.fail(at.CMEOperationNotSupp, "only the default PDN connection (cid %d) is supported", cid)
		}
	}
	if state == 0 {
		return m.fail(at.CMEOperationNotAllowed, "deactivating the last PDN connection would detach: use AT+CGATT=0")
	}
	return m.attachCmd()
}

func cgpaddr(m *Module, c at.Command) error {
	var cids []int
	for i := range c.Params {
		n, err := c.Int(i, 0, maxCID)
		if err != nil {
			return err
		}
		cids = append(cids, n)
	}
	if len(cids) == 0 {
		for n, p := range m.pdns {
			if p != nil {
				cids = append(cids, n)
			}
		}
	}
	s := m.st.Status()
	var lines []string
	for _, n := range cids {
		l := fmt.Sprintf("+CGPADDR:%d", n)
		if n == m.attachCID() && registered(s.Reg) && s.Addr.IsValid() {
			l += "," + s.Addr.String()
		}
		lines = append(lines, l)
	}
	m.info(lines...)
	return nil
}

// ceregFields is the +CEREG text after "<n>," for mode n (TS 27.007
// §10.1.22): stat; tac, ci, AcT (n ≥ 2, when registered); cause type and
// reject cause (n 3 and 5, when not registered and there is one); Active-Time and
// Periodic-TAU (n ≥ 4, as granted). Trailing empty fields are dropped.
func (m *Module) ceregFields(n int, stat RegState, cause nas.EMMCause, s Status) string {
	f := []string{fmt.Sprint(uint8(stat))}
	if n >= 2 {
		f = append(f, "", "", "", "", "", "", "")
		if registered(stat) {
			f[1] = fmt.Sprintf("\"%04X\"", s.TAC)
			f[2] = fmt.Sprintf("\"%08X\"", s.CellID)
			f[3] = fmt.Sprint(AcTNBS1)
		}
		if (n == 3 || n == 5) && cause != 0 && !registered(stat) {
			f[4], f[5] = "0", fmt.Sprint(uint8(cause))
		}
		if n >= 4 && registered(stat) {
			if s.PSMGrant.Enabled {
				b, _ := gpp.EncodeGPRSTimer2(s.PSMGrant.T3324)
				f[6] = "\"" + at.BitString(b, 8) + "\""
			}
			if s.PSMGrant.T3412 > 0 {
				b, _ := gpp.EncodeGPRSTimer3(s.PSMGrant.T3412)
				f[7] = "\"" + at.BitString(b, 8) + "\""
			}
		}
		if n == 2 {
			f = f[:4]
		}
		if n == 3 {
			f = f[:6]
		}
	}
	for len(f) > 1 && f[len(f)-1] == "" {
		f = f[:len(f)-1]
	}
	return strings.Join(f, ",")
}

func csodcp(m *Module, c at.Command) error {
	cid, err := c.Int(0, 0, maxCID)
	if err != nil {
		return err
	}
	n, err := c.Int(1, 0, m.cfg.MaxSocketPayload)
	if err != nil {
		if c.Has(1) {
			return m.badParam("AT+CSODCP: <cpdata_length> must be 0..%d", m.cfg.MaxSocketPayload)
		}
		return err
	}
	data, err := c.Hex(2)
	if err != nil {
		return err
	}
	if len(data) != n {
		return m.badParam("AT+CSODCP: <cpdata_length> %d but %d bytes of data", n, len(data))
	}
	rai, err := c.IntOr(3, 0, 0, 2)
	if err != nil {
		return err
	}
	if _, err := c.IntOr(4, 0, 0, 1); err != nil {
		return err
	}
	if err := m.noMoreParams(c, 5); err != nil {
		return err
	}
	if m.pdns[cid] == nil {
		return m.badParam("cid %d is not defined", cid)
	}
	s := m.st.Status()
	if !registered(s.Reg) {
		return m.noService(s)
	}
	if cid != m.attachCID() {
		return m.fail(at.CMEOperationNotAllowed, "cid %d is not active", cid)
	}
	return m.send(data, nas.ReleaseAssistanceIndication(rai))
}

// noService is the error of a send while not registered (TS 27.007
// §9.2.1: 30 no network service), AT+CEER saying whether the module is
// out of coverage (Status.NoService) or not registered at all. Every
// module profile's send commands use it, whatever their result code.
func (m *Module) noService(s Status) error {
	if s.NoService {
		return m.fail(at.CMENoNetworkService, "no service: no suitable cell (out of coverage)")
	}
	return m.fail(at.CMENoNetworkService, "not registered")
}

// send hands one uplink packet to the stack.
func (m *Module) send(pkt []byte, rai nas.ReleaseAssistanceIndication) error {
	if err := m.st.Send(pkt, rai); err != nil {
		return m.fail(at.CMENoNetworkService, "send: %v", err)
	}
	return nil
}

// nonIPDownlink reports Non-IP downlink data (+CRTDCP) or drops it.
func (m *Module) nonIPDownlink(data []byte) {
	if !m.crtdcp {
		m.droppedPackets++
		return
	}
	m.urc(fmt.Sprintf("+CRTDCP:%d,%d,\"%s\"", m.attachCID(), len(data), strings.ToUpper(hex.EncodeToString(data))))
}
