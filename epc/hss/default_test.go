package hss

import (
	"bytes"
	"os"
	"testing"
)

// The embedded default is the file under testdata, and it covers the
// devices of the shipped scenarios.
func TestDefault(t *testing.T) {
	s, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	for _, imsi := range []string{"001010123456789", "001010000000001", "001010001000050"} {
		if _, ok := s.Lookup(imsi); !ok {
			t.Errorf("%s missing", imsi)
		}
	}
	file, err := os.ReadFile("../../testdata/hss/subscribers.yaml")
	if err != nil {
		t.Skip(err)
	}
	if !bytes.Equal(file, DefaultFile()) {
		t.Error("epc/hss/default.yaml differs from testdata/hss/subscribers.yaml: copy one onto the other")
	}
}
