package module

import "testing"

func TestSmoke(t *testing.T) {
	h := newHarness(t)
	h.expect("AT\r", okS)
	h.expect("AT+CGMI\r", info("nbsim"))
	h.expect("ATI\r", info("nbsim", "NBSIM-BC95", "Revision:nbsim-1.0", "Profile:"+Profile))
	h.expect("AT+FOO\r", "\r\nERROR\r\n")
}
