package module

import (
	"fmt"

	"github.com/nbsim/nbsim/at"
)

// The CS and GPRS registration commands that drivers for multi-RAT
// modules send (Zephyr's modem_cellular init scripts: AT+CREG=1,
// AT+CGREG=1, AT+CREG?, AT+CGREG?, and AT+CGEREP=1 for the nRF91 SLM).
// The emulated module attaches for EPS services only (no CS domain, no
// GERAN/UTRAN), so <stat> is 0, not registered, for both; +CEREG is
// where registration shows (TS 27.007 §7.2, §10.1.20, §10.1.19).
var regCommands = map[string]handler{
	// +CREG=[<n>] (§7.2): n 0..2, kept; read "+CREG: <n>,0".
	"+CREG": legacyReg("+CREG", func(m *Module) *int { return &m.cregMode }),
	// +CGREG=[<n>] (§10.1.20): as +CREG.
	"+CGREG": legacyReg("+CGREG", func(m *Module) *int { return &m.cgregMode }),
	// +CGEREP=[<mode>[,<bfr>]] (§10.1.19): mode 0..2, bfr 0..1, kept.
	// No +CGEV events are reported.
	"+CGEREP": {set: func(m *Module, c at.Command) error {
		mode, err := c.IntOr(0, 0, 0, 2)
		if err != nil {
			return err
		}
		if _, err := c.IntOr(1, 0, 0, 1); err != nil {
			return err
		}
		if err := m.noMoreParams(c, 2); err != nil {
			return err
		}
		m.cgerepMode = mode
		return nil
	}, read: infoOf(func(m *Module) string { return fmt.Sprintf("+CGEREP:%d,0", m.cgerepMode) }),
		test: infoOf(func(*Module) string { return "+CGEREP:(0-2),(0,1)" })},
}

func legacyReg(name string, mode func(m *Module) *int) handler {
	return handler{set: func(m *Module, c at.Command) error {
		n, err := c.IntOr(0, 0, 0, 2)
		if err == nil {
			err = m.noMoreParams(c, 1)
		}
		if err == nil {
			*mode(m) = n
		}
		return err
	}, read: infoOf(func(m *Module) string { return fmt.Sprintf("%s:%d,0", name, *mode(m)) }),
		test: infoOf(func(*Module) string { return name + ":(0-2)" })}
}

func init() { registerFamily("creg", false, regCommands) }
