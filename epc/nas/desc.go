package nas

//go:generate go run ./internal/gen -o methods.go

// One descriptor list per message: each message file declares its struct
// and a descOf list of its IEs in the order of its table in TS 24.301 §8.
// The generator (internal/gen) reads those lists and writes methods.go:
// the encode and decode methods, the IE values for Describe, and the
// Marshal/Parse methods. Nothing else lists a message's IEs.

// Format is an IE format of TS 24.007 §11.2.1.1.
type Format uint8

// IE formats (TS 24.007 §11.2.1.1: T type only, V value only, TV type and
// value, LV length and value, TLV type, length and value, LV-E and TLV-E
// with a two-octet length).
const (
	FormatT Format = iota + 1
	FormatV
	FormatTV
	FormatLV
	FormatTLV
	FormatLVE
	FormatTLVE
)

var formatNames = [...]string{FormatT: "T", FormatV: "V", FormatTV: "TV", FormatLV: "LV", FormatTLV: "TLV",
	FormatLVE: "LV-E", FormatTLVE: "TLV-E"}

func (f Format) String() string {
	if int(f) < len(formatNames) && formatNames[f] != "" {
		return formatNames[f]
	}
	return "format?"
}

// Presence is the presence column of a TS 24.301 §8 message table.
type Presence uint8

// Presence values (TS 24.007 §11.2.5).
const (
	Mandatory   Presence = iota + 1 // M
	Optional                        // O
	Conditional                     // C
)

func (p Presence) String() string {
	switch p {
	case Mandatory:
		return "M"
	case Optional:
		return "O"
	case Conditional:
		return "C"
	}
	return "?"
}

// IE is one row of a message table of TS 24.301 §8.
type IE struct {
	// IEI is the IE identifier of an optional IE; for a type 1 IE (a TV
	// IE of one octet, TS 24.007 §11.2.4) its bits 8-5, e.g. 0x90.
	IEI uint8
	// Name is the IE's name as TS 24.301 §8 writes it (lower case where
	// the spec's running text has it so: it is the name errors give).
	Name     string
	Format   Format
	Presence Presence
	// Len is, for V and TV IEs, the length in octets that the table gives
	// (IEI included for TV); 0 for a V IE of half an octet. Two half-octet
	// V IEs in a row share an octet, the first in bits 4-1.
	Len int
	// Field is the message struct's field the IE fills ("" for a spare
	// half octet).
	Field string
}

// MessageDesc describes a message: its type, direction and IEs.
type MessageDesc struct {
	Type MessageType // 0 for SERVICE REQUEST (§9.3.1: no message type)
	// Dir is the direction TS 24.301 §8 gives (DirectionUnknown: both).
	Dir Direction
	// Name is the message's name where Type does not give it.
	Name string
	// IEs after the header, in table order. A message with Custom set has
	// no IE grammar (SERVICE REQUEST): its IEs are informative and its
	// encode and decode are written by hand.
	IEs    []IE
	Custom bool
}

// descOf is the descriptor list of message struct M (M is the struct the
// generator writes the methods for).
type descOf[M any] MessageDesc

// described is implemented (in methods.go) by every message with a
// descriptor.
type described interface {
	descriptor() *MessageDesc
	ieValues() []any
}

// Describe returns the descriptor of m's message and the value of each of
// its IEs, in the order of the descriptor's IEs: nil for an absent
// optional IE and for a spare half octet, the pointed-to value for an
// optional IE held by a pointer. It returns nil, nil for a message without
// a descriptor (SecurityProtected, RawMessage).
func Describe(m Message) (*MessageDesc, []any) {
	if d, ok := m.(described); ok {
		return d.descriptor(), d.ieValues()
	}
	return nil, nil
}

// Descriptors returns the descriptor of every message this package models,
// in source order. They are shared: do not modify them.
func Descriptors() []*MessageDesc { return append([]*MessageDesc(nil), messageDescs[:]...) }

// Index is the position of the IE called name in d.IEs, or -1.
func (d *MessageDesc) Index(name string) int {
	for i := range d.IEs {
		if d.IEs[i].Name == name {
			return i
		}
	}
	return -1
}

// MessageName is the name of the message d describes.
func (d *MessageDesc) MessageName() string {
	if d.Name != "" {
		return d.Name
	}
	return d.Type.String()
}

// ESMHeaderOf returns the header of an ESM message.
func ESMHeaderOf(m Message) (ESMHeader, bool) {
	if h, ok := m.(interface{ esmHeader() *ESMHeader }); ok {
		return *h.esmHeader(), true
	}
	return ESMHeader{}, false
}

func (h *ESMHeader) esmHeader() *ESMHeader { return h }

// opt is the value of an optional IE held by a pointer (nil if absent).
func opt[T any](p *T) any {
	if p == nil {
		return nil
	}
	return *p
}

// optBytes is the value of an optional IE held as octets (nil if absent).
func optBytes[S ~[]byte](b S) any {
	if b == nil {
		return nil
	}
	return b
}
