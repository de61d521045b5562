package platform

import (
	"errors"
	"fmt"
)

// Errors returned by [Platform.Queue] and [New]. Test with errors.Is.
var (
	// ErrBadEndpoint: an endpoint name is empty, too long or has characters
	// outside [A-Za-z0-9._-].
	ErrBadEndpoint = errors.New("bad endpoint name")
	// ErrBadPayload: a command payload is empty or longer than MaxPayload.
	ErrBadPayload = errors.New("bad payload")
	// ErrQueueFull: the endpoint already has Config.MaxPending commands
	// waiting; the HTTP API answers 507.
	ErrQueueFull = errors.New("command queue full")
	// ErrLimit: a platform-wide limit (Config.MaxEndpoints,
	// Config.MaxCommands) is reached; the HTTP API answers 507.
	ErrLimit = errors.New("platform limit reached")
	// ErrClosed: the platform was closed.
	ErrClosed = errors.New("platform closed")
	// ErrBadConfig: a Config field has a value New does not accept.
	ErrBadConfig = errors.New("bad platform config")
)

// FieldError is an input error that names the field at fault and says what
// is allowed. The HTTP API returns its text as {"error": "..."} with 400.
type FieldError struct {
	Field  string // JSON field, query parameter, path element or Config field
	Reason string // what is wrong and what is allowed
	Err    error  // sentinel it wraps, if any
}

func (e *FieldError) Error() string { return fmt.Sprintf("%s: %s", e.Field, e.Reason) }

func (e *FieldError) Unwrap() error { return e.Err }
