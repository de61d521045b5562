package module

import "fmt"

// prompt is a command that takes data after its prompt: AT+QISEND and
// AT+CASEND print "> " and read exactly n bytes (no echo, no line
// discipline), then send them.
type prompt struct {
	n    int
	buf  []byte
	done func(data []byte) error
}

// takePrompt gives port bytes to the command at its prompt and returns
// the bytes after its data.
func (m *Module) takePrompt(b []byte) []byte {
	p := m.prompt
	n := min(len(b), p.n-len(p.buf))
	p.buf = append(p.buf, b[:n]...)
	if len(p.buf) < p.n {
		return nil
	}
	m.prompt, m.pend = nil, nil
	m.trace("in", fmt.Sprintf("(%d bytes of data)", p.n))
	m.resume(p.done(p.buf))
	return b[n:]
}
