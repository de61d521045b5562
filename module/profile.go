package module

import (
	"bytes"
	"embed"
	"fmt"
	"maps"
	"os"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"

	"go.yaml.in/yaml/v3"
)

// A Profile is a module as data: who makes it, the AT manual it follows,
// its command set, defaults, boot sequence, socket limits and power
// table. The shipped profiles are profiles/*.yaml (embedded);
// docs/firmware.md describes the format and docs/at-commands.md the
// commands of each.
type Profile struct {
	// Name is what --module takes: lower case letters, digits, '-'.
	Name   string `yaml:"name"`
	Vendor string `yaml:"vendor"`
	// Manufacturer, Model and Revision are what ATI, AT+CGMI, AT+CGMM and
	// AT+CGMR print (a Config may override them).
	Manufacturer string `yaml:"manufacturer"`
	Model        string `yaml:"model"`
	Revision     string `yaml:"revision"`
	// Description is ATI's "Profile:" line.
	Description string `yaml:"description"`
	// Manual is the vendor AT manual the profile follows.
	Manual Manual `yaml:"manual"`
	// Families are the vendor command families the module has, on top of
	// the standard ones (V.250, TS 27.007) every profile has.
	Families []string `yaml:"families"`
	// Without are commands of those families the module lacks: they
	// answer ERROR as unknown commands do.
	Without []string `yaml:"without"`
	// Echo is the ATE default at power-on (V.250 §6.2.4).
	Echo bool `yaml:"echo"`
	// CMEE is the +CMEE default at power-on (TS 27.007 §9.1): 0 plain
	// ERROR, 1 numeric, 2 verbose.
	CMEE int `yaml:"cmee"`
	// CFUN4 accepts AT+CFUN=4 (transmit and receive RF off, TS 27.007
	// §8.2), as an AT+CFUN=0 that reads back 4; the BC95 takes 0 and 1.
	CFUN4 bool `yaml:"cfun4"`
	// InfoSpace writes information responses and URCs with a space after
	// the colon ("+CSQ: 31,99", as TS 27.007 writes them); false keeps
	// the BC95's "+CSQ:31,99".
	InfoSpace bool `yaml:"info_space"`
	// Boot are the lines the module prints by itself after power-on and
	// after a reboot, each after its delay from power-on; the port takes
	// input from the first (the UART is up).
	Boot []BootLine `yaml:"boot"`
	// Sockets are the socket limits.
	Sockets Sockets `yaml:"sockets"`
	// URC overrides URC formats of the command families.
	URC URCFormats `yaml:"urc"`
	// Power is the module's current per state from its datasheet; absent,
	// the scenario's device power model is used.
	Power *PowerTable `yaml:"power"`

	cmds map[string]handler
}

// Manual names a vendor document and its version.
type Manual struct {
	Title   string `yaml:"title"`
	Version string `yaml:"version"`
}

// BootLine is one line of the boot sequence.
type BootLine struct {
	After Duration `yaml:"after"`
	Line  string   `yaml:"line"`
}

// Sockets are a profile's socket limits.
type Sockets struct {
	// Max is the number of sockets (socket ids 0..Max-1).
	Max int `yaml:"max"`
	// MaxPayload is the largest datagram one send or read carries.
	MaxPayload int `yaml:"max_payload"`
}

// URCFormats are URC formats a profile sets instead of its families'.
type URCFormats struct {
	// SocketRecv is the URC of a datagram queued on a socket, with
	// {id} (the socket) and {len} (its bytes) replaced, e.g.
	// '+QIURC: "recv",{id},{len}'; empty: the socket family's own.
	SocketRecv string `yaml:"socket_recv"`
}

// PowerTable is a module's supply current per state, at a voltage, from
// its datasheet (Source). The emulator turns it into the device power
// model: milliwatts = current × voltage.
type PowerTable struct {
	Source   string  `yaml:"source"`
	VoltageV float64 `yaml:"voltage_v"`
	// PSMUA is the current in PSM (µA).
	PSMUA float64 `yaml:"psm_ua"`
	// IdleMA is the current in idle between paging occasions (mA).
	IdleMA float64 `yaml:"idle_ma"`
	// RxMA is the current while receiving, connected (mA).
	RxMA float64 `yaml:"rx_ma"`
	// TxMA is the current while transmitting at 23 dBm (mA).
	TxMA float64 `yaml:"tx_ma"`
}

// Duration is a YAML duration: "25s", "1m30s", "500ms".
type Duration time.Duration

// UnmarshalYAML reads a Go duration string.
func (d *Duration) UnmarshalYAML(n *yaml.Node) error {
	v, err := time.ParseDuration(n.Value)
	if err != nil || n.Kind != yaml.ScalarNode {
		return fmt.Errorf("line %d: %q is not a duration (e.g. 500ms, 25s)", n.Line, n.Value)
	}
	*d = Duration(v)
	return nil
}

// DefaultProfile is the profile of a module whose Config names none.
const DefaultProfile = "bc95"

//go:embed profiles/*.yaml
var shippedFS embed.FS

var shipped = sync.OnceValues(func() (map[string]*Profile, error) {
	out := map[string]*Profile{}
	ents, err := shippedFS.ReadDir("profiles")
	if err != nil {
		return nil, err
	}
	for _, e := range ents {
		data, err := shippedFS.ReadFile("profiles/" + e.Name())
		if err != nil {
			return nil, err
		}
		p, err := ParseProfile(data, "profiles/"+e.Name())
		if err != nil {
			return nil, err
		}
		if strings.TrimSuffix(e.Name(), ".yaml") != p.Name {
			return nil, fmt.Errorf("profiles/%s: name %q differs from the file name", e.Name(), p.Name)
		}
		out[p.Name] = p
	}
	return out, nil
})

// ProfileNames are the shipped profiles, sorted.
func ProfileNames() []string {
	m, err := shipped()
	if err != nil {
		panic(err)
	}
	return slices.Sorted(maps.Keys(m))
}

// LookupProfile returns a shipped profile by name.
func LookupProfile(name string) (*Profile, error) {
	m, err := shipped()
	if err != nil {
		panic(err) // the shipped profiles are tested
	}
	p, ok := m[name]
	if !ok {
		return nil, fmt.Errorf("unknown module %q (allowed: %s)", name, strings.Join(ProfileNames(), ", "))
	}
	return p, nil
}

// LoadProfile reads a profile file.
func LoadProfile(path string) (*Profile, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return ParseProfile(data, path)
}

// maxProfileBytes bounds a profile file.
const maxProfileBytes = 1 << 20

// ParseProfile decodes and checks a profile. Decoding is strict: unknown
// and duplicate keys are refused. Errors read "file:line: key: what is
// wrong (allowed: …)".
func ParseProfile(data []byte, file string) (*Profile, error) {
	if len(data) > maxProfileBytes {
		return nil, fmt.Errorf("%s: %d bytes: a profile has at most %d", file, len(data), maxProfileBytes)
	}
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, decodeError(file, err)
	}
	if root.Kind != yaml.DocumentNode || len(root.Content) == 0 || root.Content[0].Kind != yaml.MappingNode {
		return nil, fmt.Errorf("%s:1: a profile is a mapping of keys (name, vendor, families, …)", file)
	}
	p := &Profile{}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(p); err != nil {
		return nil, decodeError(file, err)
	}
	if err := p.check(); err != nil {
		pe := err.(*profileError)
		return nil, fmt.Errorf("%s:%d: %s: %s", file, keyLine(root.Content[0], pe.key), pe.key, pe.msg)
	}
	return p, nil
}

type profileError struct{ key, msg string }

func (e *profileError) Error() string { return e.key + ": " + e.msg }

func bad(key, format string, args ...any) error {
	return &profileError{key: key, msg: fmt.Sprintf(format, args...)}
}

var profileName = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,31}$`)

// check validates a decoded profile and builds its command set.
func (p *Profile) check() error {
	switch {
	case !profileName.MatchString(p.Name):
		return bad("name", "%q: 1 to 32 lower-case letters, digits and '-'", p.Name)
	case p.Manufacturer == "" || p.Model == "" || p.Revision == "":
		return bad("model", "manufacturer, model and revision are all needed (ATI, AT+CGMI/CGMM/CGMR print them)")
	case p.Manual.Title == "":
		return bad("manual", "title (and version) of the AT manual the profile follows")
	case p.CMEE < 0 || p.CMEE > 2:
		return bad("cmee", "%d (allowed: 0, 1, 2)", p.CMEE)
	case p.Sockets.Max < 0 || p.Sockets.Max > maxSocketsAny:
		return bad("sockets", "max %d (allowed: 0..%d)", p.Sockets.Max, maxSocketsAny)
	case p.Sockets.MaxPayload < 0 || p.Sockets.MaxPayload > maxPayloadAny:
		return bad("sockets", "max_payload %d (allowed: 1..%d)", p.Sockets.MaxPayload, maxPayloadAny)
	}
	for _, s := range []string{p.Manufacturer, p.Model, p.Revision, p.Description} {
		if strings.ContainsAny(s, "\r\n") {
			return bad("model", "identification text has no line breaks")
		}
	}
	if len(p.Boot) > 16 {
		return bad("boot", "%d lines (at most 16)", len(p.Boot))
	}
	for i, b := range p.Boot {
		if b.After < 0 || time.Duration(b.After) > 2*time.Minute {
			return bad("boot", "line %d: after %v (allowed: 0s..2m)", i+1, time.Duration(b.After))
		}
		if b.Line == "" || strings.ContainsAny(b.Line, "\r\n") || len(b.Line) > 128 {
			return bad("boot", "line %d: %q: one line of 1..128 characters", i+1, b.Line)
		}
	}
	if u := p.URC.SocketRecv; u != "" && (!strings.Contains(u, "{id}") || strings.ContainsAny(u, "\r\n") || len(u) > 64) {
		return bad("urc", "socket_recv %q: one line of at most 64 characters with {id} (and {len} if wanted)", u)
	}
	if err := p.Power.check(); err != nil {
		return err
	}
	cmds, err := commandSet(p.Families, p.Without)
	if err != nil {
		key := "families"
		if strings.HasPrefix(err.Error(), "command") {
			key = "without"
		}
		return bad(key, "%v", err)
	}
	p.cmds = cmds
	return nil
}

// Limits of any profile.
const (
	maxSocketsAny = 32
	maxPayloadAny = 4096
)

func (t *PowerTable) check() error {
	if t == nil {
		return nil
	}
	if !(t.VoltageV > 0 && t.VoltageV <= 5) {
		return bad("power", "voltage_v %v (allowed: above 0, at most 5)", t.VoltageV)
	}
	for _, f := range []struct {
		name string
		v    float64
		max  float64
	}{{"psm_ua", t.PSMUA, 1000}, {"idle_ma", t.IdleMA, 100}, {"rx_ma", t.RxMA, 1000}, {"tx_ma", t.TxMA, 2000}} {
		if !(f.v > 0 && f.v <= f.max) {
			return bad("power", "%s %v (allowed: above 0, at most %v)", f.name, f.v, f.max)
		}
	}
	if t.Source == "" {
		return bad("power", "source: the datasheet (title, version, table) the currents come from")
	}
	return nil
}

// keyLine is the line of a top-level key in a profile's mapping (1 if
// absent).
func keyLine(m *yaml.Node, key string) int {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i].Line
		}
	}
	return 1
}

var (
	unknownField = regexp.MustCompile(`^line (\d+): field (\S+) not found in type module\.(\w+)$`)
	lineMsg      = regexp.MustCompile(`^line (\d+): (.*)$`)
)

// decodeError turns the decoder's errors into "file:line: …" lines naming
// the allowed keys of an unknown one.
func decodeError(file string, err error) error {
	msgs := []string{strings.TrimPrefix(err.Error(), "yaml: ")}
	if te, ok := err.(*yaml.TypeError); ok {
		msgs = te.Errors
	}
	var lines []string
	for _, e := range msgs {
		if m := unknownField.FindStringSubmatch(e); m != nil {
			lines = append(lines, fmt.Sprintf("%s:%s: unknown key %q (allowed: %s)", file, m[1], m[2], strings.Join(yamlKeys(m[3]), ", ")))
			continue
		}
		if m := lineMsg.FindStringSubmatch(e); m != nil {
			lines = append(lines, fmt.Sprintf("%s:%s: %s", file, m[1], m[2]))
			continue
		}
		lines = append(lines, file+": "+e)
	}
	return fmt.Errorf("%s", strings.Join(lines, "\n"))
}

// yamlKeys are the keys of a profile type by its Go name.
func yamlKeys(typ string) []string {
	var t reflect.Type
	for _, v := range []any{Profile{}, Manual{}, BootLine{}, Sockets{}, PowerTable{}, URCFormats{}} {
		if reflect.TypeOf(v).Name() == typ {
			t = reflect.TypeOf(v)
		}
	}
	if t == nil {
		return nil
	}
	var keys []string
	for i := range t.NumField() {
		if k, _, _ := strings.Cut(t.Field(i).Tag.Get("yaml"), ","); k != "" {
			keys = append(keys, k)
		}
	}
	return keys
}

// String is the profile's name and model.
func (p *Profile) String() string { return p.Name + " (" + p.Manufacturer + " " + p.Model + ")" }

// ManualText is the manual's title and version.
func (p *Profile) ManualText() string {
	return strings.TrimSpace(p.Manual.Title + " " + p.Manual.Version)
}
