package version

import (
	"runtime/debug"
	"testing"
)

func TestFromBuildInfo(t *testing.T) {
	for _, c := range []struct {
		name string
		bi   debug.BuildInfo
		want string
	}{
		{"stamped", debug.BuildInfo{GoVersion: "go1.24.1", Main: debug.Module{Path: "github.com/nbsim/nbsim", Version: "(devel)"},
			Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: "6a69600abc"}, {Key: "vcs.time", Value: "2026-12-07T17:00:00Z"}, {Key: "vcs.modified", Value: "true"}}},
			"nbsim (devel) (commit 6a69600abc, modified, 2026-12-07T17:00:00Z) go1.24.1"},
		{"tagged", debug.BuildInfo{GoVersion: "go1.24.1", Main: debug.Module{Path: "github.com/nbsim/nbsim", Version: "v1.2.3"}},
			"nbsim v1.2.3 (commit unknown) go1.24.1"},
		{"empty", debug.BuildInfo{}, "nbsim (devel) (commit unknown)"},
	} {
		if got := fromBuildInfo(&c.bi).String(); got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
}
