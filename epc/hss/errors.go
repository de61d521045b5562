package hss

import (
	"strconv"
	"strings"
)

// Error is one problem in a subscriber file: the file and line of the
// offending key or value, the key path ("subscribers[3].k"), what is wrong
// and, where it applies, what is allowed.
type Error struct {
	File    string
	Line    int
	Key     string
	Msg     string
	Allowed string
}

// Error prints FILE:LINE: KEY: MSG (allowed: ...), leaving out unknown parts.
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
	if e.Key != "" {
		b.WriteString(e.Key)
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

// Errors is every problem found in one file, printed one per line.
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
