package module

import (
	"errors"

	"github.com/nbsim/nbsim/at"
)

// handler is a command's forms; a nil form is not supported (+CME ERROR 4),
// except test, which then answers OK (TS 27.007 §4.1).
type handler struct {
	action, read, test, set func(m *Module, c at.Command) error
}

// commands is the command set, keyed by at.Command.Name.
var commands map[string]handler

func init() {
	commands = map[string]handler{}
	for _, t := range []map[string]handler{basicCommands, generalCommands, psCommands, powerCommands, bc95Commands, socketCommands, platformCommands} {
		for k, v := range t {
			if _, dup := commands[k]; dup {
				panic("module: command " + k + " defined twice")
			}
			commands[k] = v
		}
	}
}

// exec runs one command.
func (m *Module) exec(c at.Command) error {
	h, ok := commands[c.Name]
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
		if !errors.As(err, &ce) {
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
