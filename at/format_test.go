package at

import "testing"

func TestFormat(t *testing.T) {
	v1 := Format{Verbose: true}
	for _, g := range []struct{ got, want string }{
		{string(v1.Info("nbsim")), "\r\nnbsim\r\n"},
		{string(v1.Info("a", "b")), "\r\na\r\nb\r\n"},
		{string(v1.Info()), ""},
		{string(v1.OK()), "\r\nOK\r\n"},
		{string(v1.Error()), "\r\nERROR\r\n"},
		{string(v1.CMEError(CMEIncorrectParameters)), "\r\nERROR\r\n"},
		{string(Format{Verbose: true, CMEE: 1}.CMEError(CMEIncorrectParameters)), "\r\n+CME ERROR: 50\r\n"},
		{string(Format{Verbose: true, CMEE: 2}.CMEError(CMEIncorrectParameters)), "\r\n+CME ERROR: incorrect parameters\r\n"},
		{string(Format{Verbose: true, CMEE: 2}.CMEError(CMEOperationNotAllowed)), "\r\n+CME ERROR: operation not allowed\r\n"},
		{string(Format{Verbose: true, CMEE: 2}.CMEError(CME(999))), "\r\n+CME ERROR: unknown\r\n"},
		{string(v1.URC("+CEREG:1")), "\r\n+CEREG:1\r\n"},
		{string(Format{}.OK()), "0\r"},
		{string(Format{}.Error()), "4\r"},
		{string(Format{}.Info("x")), "x\r\n"},
		{string(Format{CMEE: 1}.CMEError(3)), "+CME ERROR: 3\r\n"},
		{string(Format{Verbose: true, Quiet: true}.OK()), ""},
		{string(Format{Verbose: true, Quiet: true, CMEE: 1}.CMEError(3)), ""},
	} {
		if g.got != g.want {
			t.Errorf("got %q, want %q", g.got, g.want)
		}
	}
	for c, s := range cmeText {
		if c.String() != s || s == "" {
			t.Errorf("%d: %q", c, c.String())
		}
	}
	if Quote("a\"b\\c\r") != `"a\22b\5Cc\0D"` {
		t.Errorf("Quote: %s", Quote("a\"b\\c\r"))
	}
}
