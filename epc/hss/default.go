package hss

import _ "embed"

//go:embed default.yaml
var defaultYAML []byte

// DefaultFile is the shipped subscriber file: the test PLMN 001/01, one
// subscriber with the TS 35.208 test set 1 keys, and the IMSI range of the
// devices of the shipped scenarios (device n has IMSI 001010000000001 + n).
func DefaultFile() []byte { return append([]byte(nil), defaultYAML...) }

// Default returns a new store parsed from DefaultFile.
func Default() (*Store, error) { return Parse(defaultYAML, "default.yaml") }
