package nas

import (
	"math/rand/v2"
	"testing"
)

// TestDescriptors checks the descriptor lists against the rules of
// TS 24.007 §11.2 and TS 24.301 §8 that the generator relies on.
func TestDescriptors(t *testing.T) {
	for _, d := range Descriptors() {
		name := d.MessageName()
		seen := map[string]bool{}
		ieis := map[uint8]bool{}
		optional := false
		half := 0
		for _, e := range d.IEs {
			if seen[e.Name] {
				t.Errorf("%s: IE %q twice", name, e.Name)
			}
			seen[e.Name] = true
			if e.Format < FormatT || e.Format > FormatTLVE || e.Presence < Mandatory || e.Presence > Conditional {
				t.Errorf("%s: %s: format %v presence %v", name, e.Name, e.Format, e.Presence)
			}
			if e.Format == FormatV && e.Len == 0 {
				half++
			} else if half%2 != 0 {
				t.Errorf("%s: %s: follows an odd number of half-octet IEs", name, e.Name)
			}
			switch e.Presence {
			case Mandatory:
				if optional || e.IEI != 0 {
					t.Errorf("%s: mandatory %s after an optional IE, or with an IEI", name, e.Name)
				}
			default:
				optional = true
				key := e.IEI
				if ieis[key] || key == 0 {
					t.Errorf("%s: %s: IEI 0x%02x zero or twice", name, e.Name, key)
				}
				ieis[key] = true
				if e.Format == FormatTV && (e.IEI >= 0x80) != (e.Len == 1) {
					t.Errorf("%s: %s: TV IEI 0x%02x of %d octets", name, e.Name, e.IEI, e.Len)
				}
			}
		}
		if half%2 != 0 {
			t.Errorf("%s: odd number of half-octet IEs", name)
		}
	}
}

// TestDescribe: every generated message describes itself, with one value
// per IE, and every plain message type Parse models has a descriptor.
func TestDescribe(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, name := range generatorNames {
		m := generators[name](&gen{r: r, full: true})
		d, vals := Describe(m)
		switch name {
		case "SecurityProtected", "RawMessage":
			if d != nil {
				t.Errorf("%s has a descriptor", name)
			}
			continue
		}
		if d == nil || len(vals) != len(d.IEs) {
			t.Fatalf("%s: descriptor %v, %d values", name, d, len(vals))
		}
		if d.MessageName() != m.MessageTypeName() {
			t.Errorf("%s: descriptor of %s", name, d.MessageName())
		}
	}
	for i := range 256 {
		mt := MessageType(i)
		if _, raw := newMessage(mt).(*RawMessage); !raw {
			if d, _ := Describe(newMessage(mt)); d == nil || d.Type != mt {
				t.Errorf("%s: no descriptor", mt)
			}
		}
	}
}
