package module

import (
	"fmt"
	"strings"
	"time"

	"github.com/nbsim/nbsim/at"
	"github.com/nbsim/nbsim/epc"
	"github.com/nbsim/nbsim/gpp"
)

// psmSetting is what AT+CPSMS asked for.
type psmSetting struct {
	mode               int
	tau, active        uint8 // GPRS timer 3 and GPRS timer 2 octets
	haveTAU, haveActAT bool
}

// edrxSetting is what AT+CEDRXS / AT+NPTWEDRXS asked for.
type edrxSetting struct {
	enabled             bool
	value, ptw          uint8 // 4-bit eDRX and PTW codes
	haveValue, havePTW  bool
	urcCEDRXP, urcNPTWP bool
}

// AcTEDRXNB is the +CEDRXS <AcT-type> of E-UTRAN NB-S1 mode (TS 27.007
// §7.40: 5).
const AcTEDRXNB = 5

var powerCommands = map[string]handler{
	// +CPSMS=[<mode>[,<RAU>[,<GPRS-READY>[,<TAU>[,<Active-Time>]]]]]
	// (§7.38): 0 off, 1 on, 2 off and forget the values. The timers are
	// 8-bit strings in GPRS timer 3 (TAU) and GPRS timer 2 (Active-Time)
	// coding, TS 24.008 §10.5.7.4a/§10.5.7.4; RAU and GPRS-READY (2G/3G)
	// are checked and ignored.
	"+CPSMS": {set: cpsms, read: func(m *Module, _ at.Command) error {
		f := []string{fmt.Sprint(m.psm.mode), "", "", "", ""}
		if m.psm.haveTAU {
			f[3] = "\"" + at.BitString(m.psm.tau, 8) + "\""
		}
		if m.psm.haveActAT {
			f[4] = "\"" + at.BitString(m.psm.active, 8) + "\""
		}
		m.info("+CPSMS:" + joinTrim(f))
		return nil
	}, test: infoOf(func(*Module) string {
		return `+CPSMS:(0-2),,,("00000000"-"11111111"),("00000000"-"11111111")`
	})},
	// +CEDRXS=[<mode>[,<AcT-type>[,<Requested_eDRX_value>]]] (§7.40):
	// mode 0 off, 1 on, 2 on with +CEDRXP, 3 off and forget; AcT-type 5.
	"+CEDRXS": {set: cedrxs, read: func(m *Module, _ at.Command) error {
		if m.edrx.enabled {
			m.info(fmt.Sprintf("+CEDRXS:%d,\"%s\"", AcTEDRXNB, at.BitString(m.edrx.value, 4)))
		}
		return nil
	}, test: infoOf(func(*Module) string { return `+CEDRXS:(0-3),(5),("0000"-"1111")` })},
	// +CEDRXRDP (§7.41): AcT-type, requested and network-provided eDRX
	// value and paging time window; AcT-type 0 when eDRX is not used.
	"+CEDRXRDP": {action: func(m *Module, _ at.Command) error {
		g := m.st.Status().EDRXGrant
		if !g.Enabled {
			m.info("+CEDRXRDP:0")
			return nil
		}
		nw, ptw := gpp.EDRXCodeNB(g.Cycle, g.PTW)
		m.info(fmt.Sprintf("+CEDRXRDP:%d,\"%s\",\"%s\",\"%s\"", AcTEDRXNB, at.BitString(m.edrx.value, 4), at.BitString(nw, 4), at.BitString(ptw, 4)))
		return nil
	}},
	// +NPTWEDRXS=[<mode>[,<AcT-type>[,<Requested_PTW>[,<Requested_eDRX_value>]]]]
	// (BC95 manual): +CEDRXS with the paging time window; mode 2 enables
	// +NPTWEDRXP.
	"+NPTWEDRXS": {set: nptwedrxs, read: func(m *Module, _ at.Command) error {
		if m.edrx.enabled {
			m.info(fmt.Sprintf("+NPTWEDRXS:%d,\"%s\",\"%s\"", AcTEDRXNB, at.BitString(m.edrx.ptw, 4), at.BitString(m.edrx.value, 4)))
		}
		return nil
	}, test: infoOf(func(*Module) string { return `+NPTWEDRXS:(0-3),(5),("0000"-"1111"),("0000"-"1111")` })},
	// +NPSMR=<n> (BC95 manual): 1 reports +NPSMR:<mode> (1 entered PSM,
	// 0 left it).
	"+NPSMR": {set: func(m *Module, c at.Command) error {
		n, err := c.IntOr(0, 0, 0, 1)
		if err == nil {
			err = m.noMoreParams(c, 1)
		}
		if err == nil {
			m.npsmr = n
		}
		return err
	}, read: infoOf(func(m *Module) string {
		if m.npsmr == 1 {
			return fmt.Sprintf("+NPSMR:1,%d", b2i(m.st.Status().PSM))
		}
		return "+NPSMR:0"
	}), test: infoOf(func(*Module) string { return "+NPSMR:(0,1)" })},
}

// joinTrim joins fields with ',' without the trailing empty ones.
func joinTrim(f []string) string {
	for len(f) > 1 && f[len(f)-1] == "" {
		f = f[:len(f)-1]
	}
	return strings.Join(f, ",")
}

func cpsms(m *Module, c at.Command) error {
	mode, err := c.IntOr(0, 0, 0, 2)
	if err != nil {
		return err
	}
	for i := 1; i <= 2; i++ {
		if c.Has(i) {
			if _, err := c.Bits(i, 8); err != nil {
				return err
			}
		}
	}
	p := m.psm
	if c.Has(3) {
		if p.tau, err = c.Bits(3, 8); err != nil {
			return err
		}
		p.haveTAU = true
	}
	if c.Has(4) {
		if p.active, err = c.Bits(4, 8); err != nil {
			return err
		}
		p.haveActAT = true
	}
	if err := m.noMoreParams(c, 5); err != nil {
		return err
	}
	p.mode = mode
	if mode == 2 {
		p = psmSetting{}
	}
	m.psm = p
	m.st.SetPSM(m.psmRequest())
	return nil
}

// psmRequest decodes the requested timers (0: not requested, or
// deactivated).
func (m *Module) psmRequest() epc.PSMRequest {
	r := epc.PSMRequest{Enabled: m.psm.mode == 1}
	if m.psm.haveTAU {
		r.T3412, _ = gpp.GPRSTimer3Duration(m.psm.tau)
	}
	if m.psm.haveActAT {
		r.T3324, _ = gpp.GPRSTimerDuration(m.psm.active)
	}
	return r
}

func (m *Module) setEDRX(mode int) {
	e := &m.edrx
	e.enabled = mode == 1 || mode == 2
	if mode == 3 {
		*e = edrxSetting{}
	}
	var cycle, ptw time.Duration
	if e.haveValue {
		cycle, _, _ = gpp.EDRXFromCodeNB(e.value, 0)
	}
	if e.havePTW {
		ptw = time.Duration(e.ptw+1) * gpp.PTWUnitNB
	}
	m.st.SetEDRX(epc.EDRXRequest{Enabled: e.enabled, Cycle: cycle, PTW: ptw})
}

// edrxValue reads a 4-bit eDRX value that NB-S1 mode defines.
func (m *Module) edrxValue(c at.Command, i int) (uint8, error) {
	v, err := c.Bits(i, 4)
	if err != nil {
		return 0, err
	}
	if _, _, ok := gpp.EDRXFromCodeNB(v, 0); !ok {
		return 0, m.badParam("eDRX value %s is not defined for NB-S1 mode (TS 24.008 Table 10.5.5.32)", at.BitString(v, 4))
	}
	return v, nil
}

func cedrxs(m *Module, c at.Command) error {
	mode, err := c.IntOr(0, 0, 0, 3)
	if err != nil {
		return err
	}
	if _, err := c.IntOr(1, AcTEDRXNB, AcTEDRXNB, AcTEDRXNB); err != nil {
		return m.badParam("AT+CEDRXS: <AcT-type> must be 5 (E-UTRAN NB-S1)")
	}
	e := m.edrx
	if c.Has(2) {
		if e.value, err = m.edrxValue(c, 2); err != nil {
			return err
		}
		e.haveValue = true
	}
	if err := m.noMoreParams(c, 3); err != nil {
		return err
	}
	e.urcCEDRXP = mode == 2
	m.edrx = e
	m.setEDRX(mode)
	return nil
}

func nptwedrxs(m *Module, c at.Command) error {
	mode, err := c.IntOr(0, 0, 0, 3)
	if err != nil {
		return err
	}
	if _, err := c.IntOr(1, AcTEDRXNB, AcTEDRXNB, AcTEDRXNB); err != nil {
		return m.badParam("AT+NPTWEDRXS: <AcT-type> must be 5 (E-UTRAN NB-S1)")
	}
	e := m.edrx
	if c.Has(2) {
		if e.ptw, err = c.Bits(2, 4); err != nil {
			return err
		}
		e.havePTW = true
	}
	if c.Has(3) {
		if e.value, err = m.edrxValue(c, 3); err != nil {
			return err
		}
		e.haveValue = true
	}
	if err := m.noMoreParams(c, 4); err != nil {
		return err
	}
	e.urcNPTWP = mode == 2
	m.edrx = e
	m.setEDRX(mode)
	return nil
}

// edrxURCs reports the network's eDRX parameters when they change
// (+CEDRXP, +NPTWEDRXP).
func (m *Module) edrxURCs(s Status) {
	g := s.EDRXGrant
	req := at.BitString(m.edrx.value, 4)
	var nw, ptw string
	if g.Enabled {
		n, p := gpp.EDRXCodeNB(g.Cycle, g.PTW)
		nw, ptw = at.BitString(n, 4), at.BitString(p, 4)
	}
	line := fmt.Sprintf("%d,\"%s\",\"%s\",\"%s\"", AcTEDRXNB, req, nw, ptw)
	if m.edrx.urcCEDRXP && line != m.lastEDRXP {
		m.urc("+CEDRXP:" + line)
	}
	m.lastEDRXP = line
	pline := fmt.Sprintf("%d,\"%s\",\"%s\",\"%s\",\"%s\"", AcTEDRXNB, at.BitString(m.edrx.ptw, 4), req, nw, ptw)
	if m.edrx.urcNPTWP && pline != m.lastPTWP {
		m.urc("+NPTWEDRXP:" + pline)
	}
	m.lastPTWP = pline
}
