package main

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// Bad --timeline files and NAT flags: exit status 2 with the file, line,
// key and what is allowed, before anything runs.
func TestEmulateBadFaultFlags(t *testing.T) {
	dir := t.TempDir()
	file := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	bad := file("bad.yaml", "- at: 1m\n  do: flood\n")
	mods := file("mods.yaml", "- at: 1m\n  modules: [3]\n  do: nat_rebind\n")
	over := file("over.yaml", "- {at: 1m, for: 2m, do: core_unreachable}\n- {at: 2m, do: core_restart}\n")
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--timeline", bad}, bad + `:2: timeline[0].do: unknown action "flood" (allowed: access_failures, core_restart`},
		{[]string{"--timeline", mods, "--ues", "2"}, mods + ":2: timeline[0].modules: module 3: the emulation has modules 0..1 (--ues 2)"},
		{[]string{"--timeline", over}, over + ":2: timeline[1]: core_restart at 2m overlaps core_unreachable at 1m–3m (line 1)"},
		{[]string{"--timeline", filepath.Join(dir, "none.yaml")}, "--timeline: open"},
		{[]string{"--nat-timeout", "48h"}, "--nat-timeout: 48h0m0s: between 0 (no timeout) and 24h"},
		{[]string{"--nat-timeout", "-1s"}, "--nat-timeout: -1s"},
		{[]string{"--nat-public", "garbage"}, `--nat-public: "garbage": want an IPv4 address of this host`},
		{[]string{"--nat-public", "192.0.2.77"}, "--nat-public: 192.0.2.77: listen udp4 192.0.2.77:0: bind: cannot assign requested address"},
	} {
		args := append(append([]string{"emulate"}, free...), c.args...)
		code, stdout, stderr := run(t, args...)
		mustExit(t, 2, code, stdout, stderr)
		mustContain(t, fmt.Sprintf("stderr of %q", c.args), stderr, c.want)
	}
}

// A run with --timeline plays it: the trace shows each action at its
// network time, and the NAT flags are taken.
func TestEmulateTimelineRun(t *testing.T) {
	tl := filepath.Join(t.TempDir(), "t.yaml")
	body := "- {at: 500ms, for: 1s, do: {coverage: {coupling_loss_db: 170}}}\n- {at: 1s, do: nat_rebind}\n- {at: 1s, for: 1s, do: core_unreachable}\n"
	if err := os.WriteFile(tl, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	args := append(append([]string{"emulate"}, free...), "--timeline", tl, "--nat-timeout", "30s",
		"--nat-public", "127.0.0.1,127.0.0.2", "--duration", "3s", "--trace", "-")
	code, stdout, stderr := run(t, args...)
	mustExit(t, 0, code, stdout, stderr)
	mustContain(t, "trace", stdout,
		"     0.500 net timeline "+tl+":1 coverage: coupling loss 170.0 dB on every module, for 1s",
		"     1.000 net timeline "+tl+":2 nat_rebind: bindings forgotten on every module",
		"     1.000 net timeline core reachable false",
		"     1.500 net timeline "+tl+":1 coverage: ends",
		"     2.000 net timeline "+tl+":3 core_unreachable: ends")
}
