package epc

import (
	"slices"
	"testing"
)

func TestProcedures(t *testing.T) {
	cases := []struct {
		name string
		got  []Msg
		want []Msg
	}{
		{"attach 3", Attach(3), []Msg{AttachRequest, AuthenticationRequest, AuthenticationResponse, SecurityModeCommand, SecurityModeComplete, AttachAccept, AttachComplete}},
		{"attach 1", Attach(1), []Msg{AttachRequest, AttachAccept, AttachComplete}},
		{"attach 4", Attach(4), []Msg{AttachRequest, IdentityRequest, IdentityResponse, AuthenticationRequest, AuthenticationResponse, SecurityModeCommand, SecurityModeComplete, AttachAccept, AttachComplete}},
		{"tau", TAU(), []Msg{TrackingAreaUpdateRequest, TrackingAreaUpdateAccept}},
		{"cp data", Service(true, false), nil},
		{"cp paged", Service(true, true), []Msg{ControlPlaneServiceRequest}},
		{"up", Service(false, false), []Msg{ServiceRequest, ASSecuritySetup, ASSetupComplete}},
	}
	for _, c := range cases {
		if !slices.Equal(c.got, c.want) {
			t.Errorf("%s: got %v, want %v", c.name, c.got, c.want)
		}
	}
	// Every procedure starts with the UE and alternates where it is an exchange.
	for _, m := range Attach(4) {
		if (Typed{}).Size(m) <= 0 {
			t.Errorf("%v: size %d", m, (Typed{}).Size(m))
		}
	}
	if !AttachRequest.Uplink() || AttachAccept.Uplink() || !AttachComplete.Uplink() || RRCConnectionRelease.Uplink() {
		t.Error("directions")
	}
	if Msg(200).String() != "msg(200)" || (Typed{}).Size(Msg(200)) != 0 || Msg(200).Uplink() {
		t.Error("unknown message")
	}
}
