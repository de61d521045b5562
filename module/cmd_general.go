package module

import (
	"fmt"
	"math"

	"github.com/nbsim/nbsim/at"
)

// TS 27.007 general commands: identification, errors, power, signal, clock.
var generalCommands = map[string]handler{
	// +CGMI, +CGMM, +CGMR (§5.1–5.3).
	"+CGMI": {action: infoOf(func(m *Module) string { return m.cfg.Manufacturer })},
	"+CGMM": {action: infoOf(func(m *Module) string { return m.cfg.Model })},
	"+CGMR": {action: infoOf(func(m *Module) string { return m.cfg.Revision })},
	// +CGSN[=<snt>] (§5.4): 0 serial number (the IMEI), 1 IMEI,
	// 2 IMEISV, 3 SVN.
	"+CGSN": {action: func(m *Module, _ at.Command) error { m.info(m.cfg.IMEI); return nil },
		set: func(m *Module, c at.Command) error {
			snt, err := c.IntOr(0, 0, 0, 3)
			if err != nil {
				return err
			}
			switch snt {
			case 0:
				m.info(m.cfg.IMEI)
			case 1:
				m.info("+CGSN:" + m.cfg.IMEI)
			case 2:
				m.info("+CGSN:" + m.imeisv())
			case 3:
				m.info("+CGSN:" + svn)
			}
			return nil
		},
		test: infoOf(func(*Module) string { return "+CGSN:(0-3)" })},
	// +CIMI (§7.1).
	"+CIMI": {action: func(m *Module, _ at.Command) error {
		if m.cfg.IMSI == "" {
			return m.fail(at.CMESIMNotInserted, "no IMSI: SIM not inserted")
		}
		m.info(m.cfg.IMSI)
		return nil
	}},
	// +CMEE=<n> (§9.1).
	"+CMEE": {set: func(m *Module, c at.Command) error {
		n, err := c.IntOr(0, 0, 0, 2)
		if err == nil {
			err = m.noMoreParams(c, 1)
		}
		if err == nil {
			m.f.CMEE = n
		}
		return err
	},
		read: infoOf(func(m *Module) string { return fmt.Sprintf("+CMEE:%d", m.f.CMEE) }),
		test: infoOf(func(*Module) string { return "+CMEE:(0-2)" })},
	// +CFUN=<fun>[,<rst>] (§8.2): 0 minimum (radio off), 1 full.
	"+CFUN": {set: cfun,
		read: infoOf(func(m *Module) string {
			if m.st.Status().RadioOn {
				return "+CFUN:1"
			}
			return fmt.Sprintf("+CFUN:%d", m.cfunOff)
		}),
		test: infoOf(func(m *Module) string { return "+CFUN:(" + cfunModes(m) + "),(0)" })},
	// +CSQ (§8.5).
	"+CSQ": {action: func(m *Module, _ at.Command) error {
		rssi, ber := m.csq()
		m.info(fmt.Sprintf("+CSQ:%d,%d", rssi, ber))
		return nil
	}, test: infoOf(func(*Module) string { return "+CSQ:(0-31,99),(99)" })},
	// +CESQ (§8.69).
	"+CESQ": {action: func(m *Module, _ at.Command) error {
		rsrq, rsrp := m.cesq()
		m.info(fmt.Sprintf("+CESQ:99,99,255,255,%d,%d", rsrq, rsrp))
		return nil
	}, test: infoOf(func(*Module) string { return "+CESQ:(0-63,99),(0-7,99),(0-96,255),(0-49,255),(0-34,255),(0-97,255)" })},
	// +CCLK? (§8.15): network time; setting the clock is not supported.
	"+CCLK": {read: func(m *Module, _ at.Command) error {
		m.info("+CCLK:" + cclk(m))
		return nil
	}},
	// +CEER (§6.10): the last error.
	"+CEER": {action: func(m *Module, _ at.Command) error {
		t := m.ceer
		if t == "" {
			t = m.st.Status().LastError
		}
		if t == "" {
			t = "no error"
		}
		m.info("+CEER:" + t)
		return nil
	}},
}

const svn = "01"

// imeisv is the IMEI without its check digit and the SVN.
func (m *Module) imeisv() string {
	s := m.cfg.IMEI
	if len(s) == 15 {
		s = s[:14]
	}
	return s + svn
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

func cfun(m *Module, c at.Command) error {
	fun, err := c.Int(0, 0, 4)
	if err != nil {
		return err
	}
	if fun == 4 && !m.prof.CFUN4 || fun == 2 || fun == 3 {
		return m.badParam("AT+CFUN=%d: this module takes %s", fun, cfunModes(m))
	}
	m.cfunOff = fun // 0 or 4 when off (TS 27.007 §8.2: 4 disables transmit and receive RF)
	if _, err := c.IntOr(1, 0, 0, 0); err != nil {
		return err
	}
	if err := m.noMoreParams(c, 2); err != nil {
		return err
	}
	on := fun == 1
	m.cfun = on
	if on {
		m.detached = false
	}
	if m.st.Status().RadioOn == on {
		return nil
	}
	m.st.Power(on)
	return m.wait("AT+CFUN", func(ev any) (bool, error) {
		r, ok := ev.(Radio)
		return ok && r.On == on, nil
	})
}

// cfunModes are the <fun> values the profile takes.
func cfunModes(m *Module) string {
	if m.prof.CFUN4 {
		return "0,1,4"
	}
	return "0,1"
}

// signalKnown says whether the module measures a cell.
func signalKnown(s Status) bool { return s.RadioOn && !s.NoService && (s.CellID != 0 || s.RSRP != 0) }

// csq maps RSSI to +CSQ <rssi> (§8.5: 0 ≤ -113 dBm … 31 ≥ -51 dBm, 2 dB
// steps; 99 unknown); <ber> is not reported on E-UTRAN (99).
func (m *Module) csq() (rssi, ber int) {
	s := m.st.Status()
	if !signalKnown(s) {
		return 99, 99
	}
	return clampInt(int(math.Floor((s.RSSI+113)/2)), 0, 31), 99
}

// cesq maps RSRQ and RSRP to +CESQ <rsrq> (0: < -19.5 dB … 34: ≥ -3 dB,
// 0.5 dB steps) and <rsrp> (0: < -140 dBm … 97: ≥ -44 dBm, 1 dB steps),
// TS 27.007 §8.69 after TS 36.133 §9.1.
func (m *Module) cesq() (rsrq, rsrp int) {
	s := m.st.Status()
	if !signalKnown(s) {
		return 255, 255
	}
	return clampInt(int(math.Floor((s.RSRQ+20)*2)), 0, 34), clampInt(int(math.Floor(s.RSRP+141)), 0, 97)
}

func clampInt(v, lo, hi int) int { return max(lo, min(hi, v)) }

// cclk is "yy/MM/dd,hh:mm:ss±zz", zz the offset from UTC in quarter hours
// (§8.15), written unquoted as the BC95 does.
func cclk(m *Module) string {
	t := m.st.Now()
	_, off := t.Zone()
	sign := '+'
	if off < 0 {
		sign, off = '-', -off
	}
	return fmt.Sprintf("%s%c%02d", t.Format("06/01/02,15:04:05"), sign, off/900)
}
