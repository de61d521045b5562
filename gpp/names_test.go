package gpp

import "testing"

func TestS1APMessageName(t *testing.T) {
	for _, c := range []struct {
		code, pdu uint8
		want      string
	}{
		{12, 0, "InitialUEMessage"},
		{17, 0, "S1SetupRequest"}, {17, 1, "S1SetupResponse"}, {17, 2, "S1SetupFailure"},
		{9, 2, "InitialContextSetupFailure"},
		{23, 1, "UEContextReleaseComplete"},
		{66, 0, "MMEEarlyStatusTransfer"},
		{10, 1, ""},  // Paging has no outcome (class 2)
		{67, 0, ""},  // beyond the procedures of §9.1
		{255, 0, ""}, // likewise
		{17, 3, ""},  // no fourth PDU alternative
	} {
		got, ok := S1APMessageName(c.code, c.pdu)
		if got != c.want || ok != (c.want != "") {
			t.Errorf("S1APMessageName(%d, %d) = %q, %v; want %q", c.code, c.pdu, got, ok, c.want)
		}
	}
	for code := range len(s1apProcMessages) {
		if n, ok := S1APMessageName(uint8(code), 0); !ok || n == "" {
			t.Errorf("procedure %d has no initiating message name", code)
		}
	}
}

func TestS1APCauseName(t *testing.T) {
	for _, c := range []struct {
		g, v   uint8
		group  string
		name   string
		wantOK bool
	}{
		{0, 20, "radioNetwork", "user-inactivity", true},
		{0, 35, "radioNetwork", "x2-handover-triggered", true},
		{1, 0, "transport", "transport-resource-unavailable", true},
		{2, 2, "nas", "detach", true},
		{3, 4, "protocol", "semantic-error", true},
		{4, 5, "misc", "unknown-PLMN", true},
		{2, 5, "nas", "", false},
		{5, 0, "", "", false},
	} {
		g, gok := S1APCauseGroupName(c.g)
		n, ok := S1APCauseName(c.g, c.v)
		if g != c.group || gok != (c.group != "") || n != c.name || ok != c.wantOK {
			t.Errorf("cause %d/%d = %q %v, %q %v; want %q, %q %v", c.g, c.v, g, gok, n, ok, c.group, c.name, c.wantOK)
		}
	}
}

func TestNASCauseNames(t *testing.T) {
	for _, c := range []struct {
		name string
		f    func(uint8) (string, bool)
		v    uint8
		want string
	}{
		{"EMM", EMMCauseName, 2, "IMSI unknown in HSS"},
		{"EMM", EMMCauseName, 22, "Congestion"},
		{"EMM", EMMCauseName, 111, "Protocol error, unspecified"},
		{"EMM", EMMCauseName, 1, ""},
		{"ESM", ESMCauseName, 27, "Missing or unknown APN"},
		{"ESM", ESMCauseName, 113, "Multiple accesses to a PDN connection not allowed"},
		{"ESM", ESMCauseName, 0, ""},
	} {
		if got, ok := c.f(c.v); got != c.want || ok != (c.want != "") {
			t.Errorf("%s cause %d = %q, %v; want %q", c.name, c.v, got, ok, c.want)
		}
	}
}

func TestNASCauseStrings(t *testing.T) {
	for _, c := range []struct{ got, want string }{
		{EMMCauseString(22), "#22 Congestion"},
		{EMMCauseString(1), "#1"},
		{ESMCauseString(27), "#27 Missing or unknown APN"},
		{ESMCauseString(255), "#255"},
	} {
		if c.got != c.want {
			t.Errorf("%q, want %q", c.got, c.want)
		}
	}
}
