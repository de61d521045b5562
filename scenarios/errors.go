package scenarios

import (
	"sort"
	"strconv"
	"strings"
)

// Error is one problem in a scenario: where it is (file and line of the
// offending key or value; File "--set" and Line 0 for a command-line
// override), the key path ("groups.collars.count"), what is wrong and, for
// values from a fixed set, the allowed values.
type Error struct {
	File    string
	Line    int
	Path    string
	Msg     string
	Allowed string
}

// Error prints FILE:LINE: PATH: MSG (allowed: ...). Parts that are unknown
// are left out (no line for --set values and for Validate on a struct).
func (e *Error) Error() string {
	var b strings.Builder
	if e.File != "" {
		b.WriteString(e.File)
		if e.Line > 0 {
			b.WriteString(":")
			b.WriteString(strconv.Itoa(e.Line))
		}
		b.WriteString(": ")
	} else if e.Line > 0 {
		b.WriteString("line ")
		b.WriteString(strconv.Itoa(e.Line))
		b.WriteString(": ")
	}
	if e.Path != "" {
		b.WriteString(e.Path)
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	if e.Allowed != "" {
		b.WriteString(" (allowed: ")
		b.WriteString(e.Allowed)
		b.WriteString(")")
	}
	return b.String()
}

// Errors is a list of problems, printed one per line.
type Errors []*Error

func (es Errors) Error() string {
	parts := make([]string, len(es))
	for i, e := range es {
		parts[i] = e.Error()
	}
	return strings.Join(parts, "\n")
}

// Unwrap lets errors.As find the individual *Error values.
func (es Errors) Unwrap() []error {
	out := make([]error, len(es))
	for i, e := range es {
		out[i] = e
	}
	return out
}

// maxErrors bounds how many problems one parse reports.
const maxErrors = 100

// sortErrors orders problems with a line by file position; the others
// (overrides, cross-field checks on defaults) keep their order after them.
func sortErrors(es Errors) {
	sort.SliceStable(es, func(i, j int) bool {
		li, lj := es[i].Line, es[j].Line
		if li > 0 && lj > 0 {
			return li < lj
		}
		return li > 0 && lj <= 0
	})
}
