package s1ap

import (
	"io"

	aperlog "github.com/free5gc/aper/logger"
)

// The ASN.1 library (free5gc/aper) logs through its own logrus logger,
// which writes to stderr: a line for many PDUs it cannot decode (3,324
// lines for 40,000 malformed inputs in the issue #8 test; 44 for the 1,000
// of TestLibraryLog), which a stranger can turn into a flood. The package
// discards it from the start; a server routes it into its own rate-limited
// log (SetLibraryLog).
func init() { SetLibraryLog(nil) }

// SetLibraryLog sends what the ASN.1 library logs to w (one formatted
// line per write, terminal colour codes removed; e.g. an epc.RateLog);
// nil discards it.
func SetLibraryLog(w io.Writer) {
	if w == nil {
		aperlog.GetLogger().SetOutput(io.Discard)
		return
	}
	aperlog.GetLogger().SetOutput(plainWriter{w})
}

// plainWriter removes ANSI SGR sequences (ESC [ ... m) from each write.
type plainWriter struct{ w io.Writer }

func (p plainWriter) Write(b []byte) (int, error) {
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b); i++ {
		if b[i] == 0x1b && i+1 < len(b) && b[i+1] == '[' {
			j := i + 2
			for j < len(b) && (b[j] >= '0' && b[j] <= '9' || b[j] == ';') {
				j++
			}
			if j < len(b) && b[j] == 'm' {
				i = j
				continue
			}
		}
		out = append(out, b[i])
	}
	if _, err := p.w.Write(out); err != nil {
		return 0, err
	}
	return len(b), nil
}
