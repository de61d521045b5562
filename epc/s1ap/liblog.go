package s1ap

import (
	"io"

	aperlog "github.com/free5gc/aper/logger"
)

// The ASN.1 library (free5gc/aper) logs through its own logrus logger,
// which writes to stderr: a warning line for many PDUs it cannot decode
// (3,324 lines for 40,000 malformed inputs in the issue #8 test), which a
// stranger can turn into a flood. The package discards it from the start;
// a server routes it into its own rate-limited log (SetLibraryLog).
func init() { SetLibraryLog(nil) }

// SetLibraryLog sends what the ASN.1 library logs to w (one formatted line
// per write, e.g. an epc.RateLog); nil discards it.
func SetLibraryLog(w io.Writer) {
	if w == nil {
		w = io.Discard
	}
	aperlog.GetLogger().SetOutput(w)
}
