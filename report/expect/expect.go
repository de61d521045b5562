// Package expect is the syntax of an expectation, "PATH OP NUMBER" (see
// docs/results.md): its one definition, which the scenario's validation
// (package scenarios, before a run) and the evaluation against the results
// (package report, after it) share. It imports nothing of nbsim, so that
// scenarios can check the syntax without report's plotting dependencies.
package expect

import (
	"math"
	"regexp"
	"strconv"
	"strings"
)

// syntax is PATH OP NUMBER, spaces around OP optional. PATH is checked
// further by Parse (no empty segment); NUMBER by strconv.ParseFloat.
var syntax = regexp.MustCompile(`^([^\s<>=!]+)\s*(<=|>=|==|!=|<|>)\s*(\S+)$`)

// Problem is what is wrong with an expression that does not parse.
type Problem int

const (
	// BadForm: the expression is not PATH OP NUMBER.
	BadForm Problem = iota + 1
	// BadNumber: NUMBER is not a finite decimal.
	BadNumber
	// BadPath: PATH starts or ends with a dot or has an empty segment.
	BadPath
)

// SyntaxError is Parse's error. Each caller words it for its own context
// (scenarios names the key, report the expression); Error gives a plain
// form.
type SyntaxError struct {
	Problem Problem
	// Text is the offending number (BadNumber) or path (BadPath); empty for
	// BadForm.
	Text string
	// UseEquals is set for a BadForm expression that wrote = for ==.
	UseEquals bool
}

// Hint is " (use == for equality)" when UseEquals is set, otherwise "".
func (e *SyntaxError) Hint() string {
	if e.UseEquals {
		return " (use == for equality)"
	}
	return ""
}

func (e *SyntaxError) Error() string {
	switch e.Problem {
	case BadNumber:
		return strconv.Quote(e.Text) + " is not a finite number"
	case BadPath:
		return "malformed path " + strconv.Quote(e.Text)
	}
	return "want PATH OP NUMBER with OP one of < <= > >= == !=" + e.Hint()
}

// Parse splits "PATH OP NUMBER" (surrounding spaces ignored): PATH is a
// dot-separated path, OP one of < <= > >= == !=, NUMBER a finite decimal
// such as 0.99, 5, -3 or 1e-3. The error is a *SyntaxError.
func Parse(expr string) (path, op string, value float64, err error) {
	s := strings.TrimSpace(expr)
	m := syntax.FindStringSubmatch(s)
	if m == nil {
		eq := strings.Contains(s, "=") && !strings.ContainsAny(s, "<>!") && !strings.Contains(s, "==")
		return "", "", 0, &SyntaxError{Problem: BadForm, UseEquals: eq}
	}
	v, perr := strconv.ParseFloat(m[3], 64)
	if perr != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return "", "", 0, &SyntaxError{Problem: BadNumber, Text: m[3]}
	}
	if p := m[1]; strings.HasPrefix(p, ".") || strings.HasSuffix(p, ".") || strings.Contains(p, "..") {
		return "", "", 0, &SyntaxError{Problem: BadPath, Text: p}
	}
	return m[1], m[2], v, nil
}
