package module

import (
	"fmt"

	"github.com/nbsim/nbsim/at"
)

// V.250 basic commands.
var basicCommands = map[string]handler{
	// ATE<n>: echo (V.250 §6.2.4); ATE is ATE0.
	"E": {action: func(m *Module, _ at.Command) error { m.echo = false; return nil },
		set: func(m *Module, c at.Command) error {
			v, err := c.Int(0, 0, 1)
			if err == nil {
				m.echo = v == 1
			}
			return err
		}},
	// ATV<n>: verbose (1) or numeric (0) result codes (V.250 §6.2.6).
	"V": {action: func(m *Module, _ at.Command) error { m.f.Verbose = false; return nil },
		set: func(m *Module, c at.Command) error {
			v, err := c.Int(0, 0, 1)
			if err == nil {
				m.f.Verbose = v == 1
			}
			return err
		}},
	// ATQ<n>: result codes on (0) or off (1) (V.250 §6.2.5).
	"Q": {action: func(m *Module, _ at.Command) error { m.f.Quiet = false; return nil },
		set: func(m *Module, c at.Command) error {
			v, err := c.Int(0, 0, 1)
			if err == nil {
				m.f.Quiet = v == 1
			}
			return err
		}},
	// ATI: identification (V.250 §6.1.3).
	"I": {action: ati, set: func(m *Module, c at.Command) error {
		if _, err := c.Int(0, 0, 0); err != nil {
			return err
		}
		return ati(m, c)
	}},
	// ATZ, AT&F: back to the defaults of E, V, Q and +CMEE.
	"Z":  {action: factory, set: factoryN},
	"&F": {action: factory, set: factoryN},
	// S3, S4, S5 (V.250 §6.2.1–6.2.3): readable; settable to their
	// defaults only (the line discipline uses CR, LF, BS).
	"S3": sreg(at.CR),
	"S4": sreg(at.LF),
	"S5": sreg(at.BS),
}

func ati(m *Module, _ at.Command) error {
	m.info(m.cfg.Manufacturer, m.cfg.Model, "Revision:"+m.cfg.Revision, "Profile:"+m.prof.Description)
	return nil
}

func factory(m *Module, _ at.Command) error {
	m.echo = m.prof.Echo
	m.f = at.Format{Verbose: true, CMEE: m.prof.CMEE}
	return nil
}

func factoryN(m *Module, c at.Command) error {
	if _, err := c.Int(0, 0, 0); err != nil {
		return err
	}
	return factory(m, c)
}

func sreg(v byte) handler {
	return handler{
		read: func(m *Module, _ at.Command) error { m.info(fmt.Sprintf("%03d", v)); return nil },
		test: func(m *Module, _ at.Command) error { m.info(fmt.Sprintf("(%d)", v)); return nil },
		set: func(m *Module, c at.Command) error {
			_, err := c.Int(0, int(v), int(v))
			return err
		},
	}
}
