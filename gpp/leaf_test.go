package gpp

import (
	"go/build"
	"strings"
	"testing"
)

// TestLeaf: gpp imports only the standard library (no dot in a path's
// first element), so that every package may import it.
func TestLeaf(t *testing.T) {
	pkg, err := build.ImportDir(".", 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range pkg.Imports {
		if first, _, _ := strings.Cut(p, "/"); strings.Contains(first, ".") {
			t.Errorf("gpp imports %s: it must import only the standard library", p)
		}
	}
}
