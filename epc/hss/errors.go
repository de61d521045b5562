package hss

import (
	"github.com/nbsim/nbsim/internal/inputerr"
)

// Error is one problem in a subscriber file: file, line, key path, what is wrong
// and what is allowed (the same type for every nbsim input file).
type Error = inputerr.Error

// Errors is a list of problems, printed one per line.
type Errors = inputerr.Errors

// maxErrors bounds how many problems one parse reports.
const maxErrors = 100
