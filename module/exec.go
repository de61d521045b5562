package module

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/nbsim/nbsim/at"
)

// handler is a command's forms; a nil form is not supported (+CME ERROR 4),
// except test, which then answers OK (TS 27.007 §4.1).
type handler struct {
	action, read, test, set func(m *Module, c at.Command) error
}

// A family is a group of command implementations that profiles enable
// together. Standard families (V.250, TS 27.007) are in every profile,
// less the commands a profile removes; vendor families only in the
// profiles that name them.
type family struct {
	standard bool
	cmds     map[string]handler
}

// families are the command implementations by family name. The file that
// defines a family registers it (registerFamily, from its init).
var families = map[string]family{}

// registerFamily adds a command family. A command name belongs to one
// family only.
func registerFamily(name string, standard bool, cmds map[string]handler) {
	if _, dup := families[name]; dup {
		panic("module: command family " + name + " registered twice")
	}
	for k := range cmds {
		for other, f := range families {
			if _, dup := f.cmds[k]; dup {
				panic("module: command " + k + " in families " + other + " and " + name)
			}
		}
	}
	families[name] = family{standard: standard, cmds: cmds}
}

func init() {
	registerFamily("v250", true, basicCommands)
	registerFamily("general", true, generalCommands)
	registerFamily("ps", true, psCommands)
	registerFamily("power", true, powerCommands)
	registerFamily("bc95", false, bc95Commands)
	registerFamily("nsocket", false, socketCommands)
	registerFamily("platform", false, platformCommands)
}

// commandSet is the command set of a profile: every standard family, the
// vendor families named, less the commands in without. It fails on an
// unknown family or command name.
func commandSet(vendor, without []string) (map[string]handler, error) {
	set := map[string]handler{}
	for _, f := range families {
		if f.standard {
			maps.Copy(set, f.cmds)
		}
	}
	for _, n := range vendor {
		f, ok := families[n]
		if !ok {
			return nil, fmt.Errorf("unknown command family %q (allowed: %s)", n, strings.Join(familyNames(), ", "))
		}
		maps.Copy(set, f.cmds)
	}
	for _, n := range without {
		if _, ok := set[n]; !ok {
			return nil, fmt.Errorf("command %q is not in the profile's families", n)
		}
		delete(set, n)
	}
	return set, nil
}

// familyNames are the registered families, sorted.
func familyNames() []string {
	return slices.Sorted(maps.Keys(families))
}

// exec runs one command.
func (m *Module) exec(c at.Command) error {
	h, ok := m.cmds[c.Name]
	if !ok {
		m.ceer = "unknown command AT" + c.Name
		return errPlain
	}
	var fn func(*Module, at.Command) error
	switch c.Kind {
	case at.Action:
		fn = h.action
	case at.Read:
		fn = h.read
	case at.Test:
		if h.test == nil {
			return nil
		}
		fn = h.test
	case at.Set:
		fn = h.set
	}
	if fn == nil {
		return m.fail(at.CMEOperationNotSupp, "AT%s: %s form not supported", c.Name, c.Kind)
	}
	err := fn(m, c)
	if err != nil && err != errPending && err != errRebooted {
		var ce *cmdError
		var fr *finalResult
		if !errors.As(err, &ce) && !errors.As(err, &fr) {
			// a parameter error from package at
			m.ceer = err.Error()
			return &cmdError{code: at.CMEIncorrectParameters}
		}
	}
	return err
}

// infoOf is a handler that prints fixed text.
func infoOf(text func(m *Module) string) func(*Module, at.Command) error {
	return func(m *Module, _ at.Command) error {
		m.info(text(m))
		return nil
	}
}

// badParam is +CME ERROR 50 with a reason for AT+CEER.
func (m *Module) badParam(format string, args ...any) error {
	return m.fail(at.CMEIncorrectParameters, format, args...)
}

// noMoreParams fails a command given more than n parameters.
func (m *Module) noMoreParams(c at.Command, n int) error {
	if len(c.Params) > n {
		return m.badParam("AT%s takes at most %d parameters", c.Name, n)
	}
	return nil
}
