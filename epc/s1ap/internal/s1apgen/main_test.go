package main

import (
	"bytes"
	"os"
	"testing"
)

// TestGenerated: epc/s1ap/messages_gen.go is what s1apgen writes from the
// tables (run go generate ./epc/s1ap after changing them).
func TestGenerated(t *testing.T) {
	want, err := generate()
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile("../../messages_gen.go")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Error("epc/s1ap/messages_gen.go is not what s1apgen writes: run go generate ./epc/s1ap")
	}
}
