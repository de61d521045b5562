package phy

import "fmt"

// errorf formats a package error with the "phy: " prefix.
func errorf(format string, args ...any) error {
	return fmt.Errorf("phy: "+format, args...)
}
