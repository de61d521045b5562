package scenarios

import (
	"github.com/nbsim/nbsim/internal/inputerr"
	"sort"
)

// Error is one problem in a scenario: file, line, key path, what is wrong
// and what is allowed (the same type for every nbsim input file).
type Error = inputerr.Error

// Errors is a list of problems, printed one per line.
type Errors = inputerr.Errors

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
