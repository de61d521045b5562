package testutil

import (
	"os"
	"path/filepath"
)

// Captures is the folder of real S1AP / NAS-EPS / CoAP traces that sits
// beside the repository (../shared/captures from its root), found from the
// working directory of a test (its package's folder) by walking up to
// go.mod. It returns "" when there is no repository root above.
func Captures() string {
	dir, err := os.Getwd()
	if err != nil {
		return ""
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return filepath.Join(dir, "..", "shared", "captures")
		}
		up := filepath.Dir(dir)
		if up == dir {
			return ""
		}
		dir = up
	}
}
