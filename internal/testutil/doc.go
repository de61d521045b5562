// Package testutil holds helpers several packages' tests share: real
// network peers to test against.
package testutil
