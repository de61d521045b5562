package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// TestRegenerateIsNoOp runs the generator into a temporary directory and
// checks that the committed methods.go is what it writes.
func TestRegenerateIsNoOp(t *testing.T) {
	src, err := Generate("../..")
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "methods.go")
	if err := os.WriteFile(out, src, 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile("../../methods.go")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Error("epc/nas/methods.go is stale: run go generate ./epc/nas")
	}
}
