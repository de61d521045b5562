//go:build !linux

package emulate

import "fmt"

// openTUN fails: TUN interfaces are Linux's here.
func openTUN(name string) (tunDevice, string, error) {
	return nil, "", fmt.Errorf("%s: %w", name, ErrTUN)
}
