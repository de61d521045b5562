package ppp

import "errors"

// ErrMalformed is what parse errors wrap.
var ErrMalformed = errors.New("malformed")
