package at

import (
	"errors"
	"fmt"
)

// Errors the parser and the parameter helpers return, wrapped with detail.
var (
	// ErrNotAT: the line does not begin with "AT" (any case).
	ErrNotAT = errors.New("not an AT command line")
	// ErrSyntax: the line is not a well-formed command line.
	ErrSyntax = errors.New("syntax error")
	// ErrMissing: a mandatory parameter is absent or empty.
	ErrMissing = errors.New("missing parameter")
	// ErrRange: a numeric parameter lies outside its range.
	ErrRange = errors.New("parameter out of range")
	// ErrType: a parameter is not of the expected type (number, hex).
	ErrType = errors.New("parameter of the wrong type")
)

// SyntaxError is a malformed command line; Pos is the byte offset in the
// line (spaces outside strings removed) where parsing stopped.
type SyntaxError struct {
	Pos int
	Msg string
}

func (e *SyntaxError) Error() string { return fmt.Sprintf("at: offset %d: %s", e.Pos, e.Msg) }

// Unwrap makes errors.Is(err, ErrSyntax) hold.
func (e *SyntaxError) Unwrap() error { return ErrSyntax }
