// Package testutil holds helpers several packages' tests share: real
// network peers to test against, and the real captures beside the
// repository (Captures, CaptureFile, CaptureFiles: the one place tests find
// them, skipping with the reason when they are absent).
package testutil
