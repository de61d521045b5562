package module

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/nbsim/nbsim/at"
)

// supportedBands are the bands a BC95-class module family covers
// (BC95-B5/B8/B20/B28, BC35-G: 1, 3, 5, 8, 20, 28).
var supportedBands = []int{1, 3, 5, 8, 20, 28}

// nconfig are the AT+NCONFIG functions: AUTOCONNECT is settable; the
// others report how the emulated network and stack behave and accept
// only that value.
var nconfigFixed = []struct{ name, value string }{
	{"CR_0354_0338_SCRAMBLING", "TRUE"},
	{"CR_0859_SI_AVOID", "TRUE"},
	{"COMBINE_ATTACH", "FALSE"},
	{"ENABLE_BIP", "FALSE"},
}

// BC95-class (Quectel BC95/BC28/BC35-G AT manual) commands.
var bc95Commands = map[string]handler{
	// AT+NRB: reboot. Answers REBOOTING, switches the radio off, then
	// prints the boot banner and OK; volatile settings are reset, sockets
	// closed, buffers emptied; AUTOCONNECT powers the radio on again.
	"+NRB": {action: nrb},
	// AT+NCCID: the ICCID.
	"+NCCID": {action: nccid, read: nccid},
	// AT+NBAND=<n>[,<n>…]: bands to search; with the radio off only.
	"+NBAND": {set: func(m *Module, c at.Command) error {
		var bands []int
		for i := range c.Params {
			b, err := c.Int(i, 1, 255)
			if err != nil {
				return err
			}
			if !containsInt(supportedBands, b) {
				return m.badParam("band %d not supported", b)
			}
			if !containsInt(bands, b) {
				bands = append(bands, b)
			}
		}
		if len(bands) == 0 {
			return m.badParam("AT+NBAND: no band")
		}
		if m.st.Status().RadioOn {
			return m.fail(at.CMEOperationNotAllowed, "AT+NBAND needs the radio off (AT+CFUN=0)")
		}
		m.bands = bands
		return nil
	}, read: func(m *Module, _ at.Command) error {
		s := make([]string, len(m.bands))
		for i, b := range m.bands {
			s[i] = strconv.Itoa(b)
		}
		m.info("+NBAND:" + strings.Join(s, ","))
		return nil
	}, test: func(m *Module, _ at.Command) error {
		s := make([]string, len(supportedBands))
		for i, b := range supportedBands {
			s[i] = strconv.Itoa(b)
		}
		m.info("+NBAND:(" + strings.Join(s, ",") + ")")
		return nil
	}},
	// AT+NCONFIG=<function>,<value>.
	"+NCONFIG": {set: ncfg, read: func(m *Module, _ at.Command) error {
		lines := []string{"+NCONFIG:AUTOCONNECT," + strings.ToUpper(strconv.FormatBool(m.autoConnect))}
		for _, f := range nconfigFixed {
			lines = append(lines, "+NCONFIG:"+f.name+","+f.value)
		}
		m.info(lines...)
		return nil
	}, test: func(m *Module, _ at.Command) error {
		lines := []string{"+NCONFIG:(AUTOCONNECT,(FALSE,TRUE))"}
		for _, f := range nconfigFixed {
			lines = append(lines, "+NCONFIG:("+f.name+",("+f.value+"))")
		}
		m.info(lines...)
		return nil
	}},
	// AT+NEARFCN=<search_mode>,<earfcn>[,<pci>]: mode 0 locks the search
	// to one EARFCN (0 clears the lock); with the radio off only. The
	// read form is an nbsim addition.
	"+NEARFCN": {set: func(m *Module, c at.Command) error {
		if _, err := c.Int(0, 0, 0); err != nil {
			return err
		}
		e, err := c.Int(1, 0, 262143)
		if err != nil {
			return err
		}
		if _, err := c.IntOr(2, 0, 0, 503); err != nil {
			return err
		}
		if err := m.noMoreParams(c, 3); err != nil {
			return err
		}
		if m.st.Status().RadioOn {
			return m.fail(at.CMEOperationNotAllowed, "AT+NEARFCN needs the radio off (AT+CFUN=0)")
		}
		m.earfcnLock = uint32(e)
		return nil
	}, read: infoOf(func(m *Module) string { return fmt.Sprintf("+NEARFCN:0,%d", m.earfcnLock) })},
	// AT+NUESTATS[=<type>]: RADIO, CELL, BLER, THP, ALL, and the nbsim
	// extension ENERGY.
	"+NUESTATS": {action: func(m *Module, _ at.Command) error {
		var lines []string
		for _, kv := range m.radioStats() {
			lines = append(lines, kv[0]+":"+kv[1])
		}
		m.info(lines...)
		return nil
	}, set: func(m *Module, c at.Command) error {
		t, err := c.Str(0)
		if err == nil {
			err = m.noMoreParams(c, 1)
		}
		if err != nil {
			return err
		}
		var lines []string
		switch strings.ToUpper(t) {
		case "RADIO":
			lines = m.radioLines()
		case "CELL":
			lines = m.cellStats()
		case "BLER":
			lines = m.nuestats("BLER", m.blerStats())
		case "THP":
			lines = m.nuestats("THP", m.thpStats())
		case "ALL":
			lines = m.radioLines()
			lines = append(lines, m.cellStats()...)
			lines = append(lines, m.nuestats("BLER", m.blerStats())...)
			lines = append(lines, m.nuestats("THP", m.thpStats())...)
		case "ENERGY":
			lines = m.nuestats("ENERGY", m.energyStats())
		default:
			return m.badParam("AT+NUESTATS: type %q (RADIO, CELL, BLER, THP, ALL, ENERGY)", t)
		}
		m.info(lines...)
		return nil
	}, test: infoOf(func(*Module) string { return "+NUESTATS:(RADIO,CELL,BLER,THP,ALL,ENERGY)" })},
}

func nccid(m *Module, _ at.Command) error {
	if m.cfg.ICCID == "" {
		return m.fail(at.CMESIMNotInserted, "no ICCID: SIM not inserted")
	}
	m.info("+NCCID:" + m.cfg.ICCID)
	return nil
}

func ncfg(m *Module, c at.Command) error {
	name, err := c.Str(0)
	if err != nil {
		return err
	}
	v, err := c.Str(1)
	if err != nil {
		return err
	}
	if err := m.noMoreParams(c, 2); err != nil {
		return err
	}
	name, v = strings.ToUpper(name), strings.ToUpper(v)
	if v != "TRUE" && v != "FALSE" {
		return m.badParam("AT+NCONFIG: value %q (TRUE, FALSE)", v)
	}
	if name == "AUTOCONNECT" {
		m.autoConnect = v == "TRUE"
		return nil
	}
	for _, f := range nconfigFixed {
		if f.name == name {
			if f.value != v {
				return m.fail(at.CMEOperationNotSupp, "AT+NCONFIG: %s is %s in the emulated network", name, f.value)
			}
			return nil
		}
	}
	return m.badParam("AT+NCONFIG: unknown function %q", name)
}

func nrb(m *Module, _ at.Command) error {
	m.info("REBOOTING")
	done := func() {
		// The banner and OK of the reboot, then the module starts afresh.
		m.rest = nil
		m.out(m.f.Info("REBOOT_CAUSE_APPLICATION_AT", m.cfg.Manufacturer+" "+m.cfg.Model))
		m.out(m.f.OK())
		m.reset()
		m.boot()
	}
	m.cfun = false
	if !m.st.Status().RadioOn {
		done()
		return errRebooted
	}
	m.st.Power(false)
	return m.wait("AT+NRB", func(ev any) (bool, error) {
		if r, ok := ev.(Radio); ok && !r.On {
			done()
			return true, errRebooted
		}
		return false, nil
	})
}

// nuestats prefixes "NUESTATS:<type>," to name,value pairs.
func (m *Module) nuestats(typ string, kv [][2]string) []string {
	out := make([]string, len(kv))
	for i, p := range kv {
		out[i] = "NUESTATS:" + typ + "," + p[0] + "," + p[1]
	}
	return out
}

// radioLines are the RADIO statistics as NUESTATS:RADIO,<name>:<value>:
// the name and value keep the colon of the plain AT+NUESTATS form (a
// comma follows only the type), as BC95-class firmware prints them.
func (m *Module) radioLines() []string {
	kv := m.radioStats()
	out := make([]string, len(kv))
	for i, p := range kv {
		out[i] = "NUESTATS:RADIO," + p[0] + ":" + p[1]
	}
	return out
}

// centi is a value in tenths (BC95 reports dBm and dB in 0.1 units).
func centi(v float64) string { return strconv.Itoa(int(math.Round(v * 10))) }

// radioStats are the BC95 RADIO statistics: powers in 0.1 dBm, SNR and
// RSRQ in 0.1 dB, times in ms; TX power -32768 before any transmission.
func (m *Module) radioStats() [][2]string {
	s := m.st.Status()
	tx := "-32768"
	if s.TxTime > 0 {
		tx = centi(s.TxPower)
	}
	rsrp, rssi, snr, rsrq := "-32768", "-32768", "-32768", "-32768"
	if signalKnown(s) {
		rsrp, rssi, snr, rsrq = centi(s.RSRP), centi(s.RSSI), centi(s.SINR), centi(s.RSRQ)
	}
	return [][2]string{
		{"Signal power", rsrp},
		{"Total power", rssi},
		{"TX power", tx},
		{"TX time", strconv.FormatInt(s.TxTime.Milliseconds(), 10)},
		{"RX time", strconv.FormatInt(s.RxTime.Milliseconds(), 10)},
		{"Cell ID", strconv.FormatUint(uint64(s.CellID), 10)},
		{"ECL", strconv.Itoa(s.CELevel)},
		{"SNR", snr},
		{"EARFCN", strconv.FormatUint(uint64(s.EARFCN), 10)},
		{"PCI", strconv.Itoa(int(s.PCI))},
		{"RSRQ", rsrq},
	}
}

// cellStats is NUESTATS:CELL,<earfcn>,<pci>,<primary>,<rsrp>,<rsrq>,<rssi>,<snr>
// for the serving cell.
func (m *Module) cellStats() []string {
	s := m.st.Status()
	if !signalKnown(s) {
		return nil
	}
	return []string{fmt.Sprintf("NUESTATS:CELL,%d,%d,1,%s,%s,%s,%s", s.EARFCN, s.PCI, centi(s.RSRP), centi(s.RSRQ), centi(s.RSSI), centi(s.SINR))}
}

// blerStats: block error rates in per mille, byte counts of user data.
func (m *Module) blerStats() [][2]string {
	s := m.st.Status()
	bler := strconv.Itoa(int(math.Round(s.BLER * 1000)))
	return [][2]string{
		{"RLC UL BLER", bler},
		{"MAC UL BLER", bler},
		{"Total TX bytes", strconv.FormatInt(s.TxBytes, 10)},
		{"Total RX bytes", strconv.FormatInt(s.RxBytes, 10)},
	}
}

// thpStats: user-data throughput in bit/s over the time spent
// transmitting or receiving.
func (m *Module) thpStats() [][2]string {
	s := m.st.Status()
	rate := func(n int64, d time.Duration) string {
		if d <= 0 {
			return "0"
		}
		return strconv.FormatInt(int64(float64(n*8)/d.Seconds()), 10)
	}
	ul, dl := rate(s.TxBytes, s.TxTime), rate(s.RxBytes, s.RxTime)
	return [][2]string{{"RLC UL", ul}, {"RLC DL", dl}, {"MAC UL", ul}, {"MAC DL", dl}}
}

// energyStates are the documented Energy.Time keys and their names.
var energyStates = [][2]string{
	{"psm", "PSM time"},
	{"idle", "Idle time"},
	{"connected-rx", "Connected RX time"},
	{"connected-tx", "Connected TX time"},
	{"off", "Off time"},
}

// energyStats is the nbsim extension AT+NUESTATS=ENERGY: ms in each
// power state, charge in µAh, messages, µAh per message, battery
// capacity and projected life.
func (m *Module) energyStats() [][2]string {
	e := m.st.Status().Energy
	var kv [][2]string
	known := map[string]bool{}
	for _, st := range energyStates {
		known[st[0]] = true
		kv = append(kv, [2]string{st[1], strconv.FormatInt(e.Time[st[0]].Milliseconds(), 10)})
	}
	var extra []string
	for k := range e.Time {
		if !known[k] {
			extra = append(extra, k)
		}
	}
	sort.Strings(extra)
	for _, k := range extra {
		kv = append(kv, [2]string{k + " time", strconv.FormatInt(e.Time[k].Milliseconds(), 10)})
	}
	return append(kv,
		[2]string{"Charge uAh", strconv.FormatInt(int64(math.Round(e.Charge*1000)), 10)},
		[2]string{"Messages", strconv.FormatInt(e.Messages, 10)},
		[2]string{"Charge per message uAh", strconv.FormatInt(int64(math.Round(e.PerMessage*1000)), 10)},
		[2]string{"Battery mAh", strconv.FormatInt(int64(math.Round(e.BatteryMAh)), 10)},
		[2]string{"Battery years", strconv.FormatFloat(e.BatteryYears, 'f', 2, 64)},
	)
}
