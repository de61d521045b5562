package inputerr

import (
	"errors"
	"testing"
)

func TestFormat(t *testing.T) {
	cases := []struct {
		e    Error
		want string
	}{
		{Error{File: "a.yaml", Line: 3, Path: "groups.x.count", Msg: "must be > 0"}, "a.yaml:3: groups.x.count: must be > 0"},
		{Error{File: "--set", Path: "radio.band", Msg: `unknown band "B99"`, Allowed: "B3, B5"}, `--set: radio.band: unknown band "B99" (allowed: B3, B5)`},
		{Error{Line: 7, Msg: "bad"}, "line 7: bad"},
		{Error{Msg: "bad"}, "bad"},
	}
	for _, c := range cases {
		if got := c.e.Error(); got != c.want {
			t.Errorf("got %q, want %q", got, c.want)
		}
	}
	es := Errors{&cases[0].e, &cases[1].e}
	if es.Error() != cases[0].want+"\n"+cases[1].want {
		t.Errorf("Errors: %q", es.Error())
	}
	var one *Error
	if !errors.As(error(es), &one) || one != &cases[0].e {
		t.Error("errors.As does not find the first *Error")
	}
}
