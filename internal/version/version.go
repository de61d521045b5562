// Package version tells which nbsim this is: the module version and the
// VCS commit the Go toolchain stamps into the binary (runtime/debug
// ReadBuildInfo), for --version, results and campaign records.
package version

import (
	"runtime/debug"
	"strings"
)

// Devel is the version of a binary built from a working tree rather than
// installed as a tagged module version (`go install ...@v1.2.3`), as the Go
// toolchain reports it.
const Devel = "(devel)"

// Info is what the binary knows about its build.
type Info struct {
	Module   string `json:"module"`             // module path
	Version  string `json:"version"`            // module version, or "(devel)"
	Commit   string `json:"commit,omitempty"`   // VCS revision; "" when not stamped (go run, -buildvcs=false, tests)
	Time     string `json:"time,omitempty"`     // commit time (RFC 3339)
	Modified bool   `json:"modified,omitempty"` // the tree had uncommitted changes
	Go       string `json:"go"`                 // toolchain version
}

// Get reads the build information; without it (a binary built without
// module support) the version is "(devel)" and the rest unknown.
func Get() Info {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return Info{Module: "github.com/nbsim/nbsim", Version: Devel}
	}
	return fromBuildInfo(bi)
}

func fromBuildInfo(bi *debug.BuildInfo) Info {
	in := Info{Module: bi.Main.Path, Version: bi.Main.Version, Go: bi.GoVersion}
	if in.Module == "" {
		in.Module = "github.com/nbsim/nbsim"
	}
	if in.Version == "" {
		in.Version = Devel
	}
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			in.Commit = s.Value
		case "vcs.time":
			in.Time = s.Value
		case "vcs.modified":
			in.Modified = s.Value == "true"
		}
	}
	return in
}

// String is one line: "nbsim VERSION (commit C[, modified], TIME) GO", the
// parts that are unknown left out; "commit unknown" when none was stamped.
func (in Info) String() string {
	var b strings.Builder
	b.WriteString("nbsim ")
	b.WriteString(in.Version)
	b.WriteString(" (commit ")
	if in.Commit == "" {
		b.WriteString("unknown")
	} else {
		b.WriteString(in.Commit)
	}
	if in.Modified {
		b.WriteString(", modified")
	}
	if in.Time != "" {
		b.WriteString(", ")
		b.WriteString(in.Time)
	}
	b.WriteString(")")
	if in.Go != "" {
		b.WriteString(" ")
		b.WriteString(in.Go)
	}
	return b.String()
}
