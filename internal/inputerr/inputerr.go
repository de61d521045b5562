// Package inputerr is the error type of nbsim's input files (scenarios,
// subscriber files): where the problem is (file, line, key path), what is
// wrong and what is allowed, so every bad input is reported the same way.
package inputerr

import (
	"strconv"
	"strings"
)

// Error is one problem in an input: the file and line of the offending key
// or value (File "--set" and Line 0 for a command-line override), the key
// path ("groups.collars.count", "subscribers[3].k"), what is wrong and, for
// values from a fixed set, the allowed values.
type Error struct {
	File    string
	Line    int
	Path    string
	Msg     string
	Allowed string
}

// Error prints FILE:LINE: PATH: MSG (allowed: ...), leaving out the parts
// that are unknown.
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
