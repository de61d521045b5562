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

// maxPrompt bounds the data a prompt takes.
const maxPrompt = maxPayloadAny

// askData prints the data prompt and makes the current command wait for
// n bytes of data, then run done on them (n is 1..maxPrompt).
func (m *Module) askData(name string, n int, done func(data []byte) error) error {
	if n < 1 || n > maxPrompt {
		return m.badParam("%s: data length %d (allowed: 1..%d)", name, n, maxPrompt)
	}
	m.prompt = &prompt{n: n, done: done}
	m.rawOut([]byte("\r\n> "))
	m.trace("out", fmt.Sprintf("> (awaiting %d bytes)", n))
	// pending until the data is in; events do not end it
	return m.wait(name, func(any) (bool, error) { return false, nil })
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
