//go:build !linux

package report

// exchange is not available: WriteDir replaces DIR with two renames.
func exchange(a, b string) error { return errExchangeUnsupported }
