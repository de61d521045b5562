package scenarios

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// Duration is a time.Duration that reads Go durations ("1h30m", "10.24s",
// "40ms") and whole or fractional days ("7d", "1.5d"), from YAML strings or
// plain numbers of seconds.
type Duration time.Duration

// D returns the value as a time.Duration.
func (d Duration) D() time.Duration { return time.Duration(d) }

// Seconds returns the duration in seconds.
func (d Duration) Seconds() float64 { return time.Duration(d).Seconds() }

// String prints days when the value is a whole number of days.
func (d Duration) String() string {
	td := time.Duration(d)
	if td != 0 && td%(24*time.Hour) == 0 {
		return strconv.FormatInt(int64(td/(24*time.Hour)), 10) + "d"
	}
	return td.String()
}

// ParseDuration parses a Go duration or a number of days with a "d" suffix.
// A bare number is taken as seconds.
func ParseDuration(s string) (Duration, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, fmt.Errorf("empty duration")
	}
	if strings.HasSuffix(s, "d") && !strings.HasSuffix(s, "ms") {
		f, err := strconv.ParseFloat(strings.TrimSuffix(s, "d"), 64)
		if err != nil || f != f || f < -1e5 || f > 1e5 {
			return 0, fmt.Errorf("invalid duration %q (use a Go duration such as 36h or 10.24s, or days such as 7d)", s)
		}
		return Duration(math.Round(f * float64(24*time.Hour))), nil
	}
	if f, err := strconv.ParseFloat(s, 64); err == nil {
		// ±9.2e9 s is the range of a time.Duration (int64 nanoseconds).
		if f != f || f < -9.2e9 || f > 9.2e9 {
			return 0, fmt.Errorf("invalid duration %q", s)
		}
		// Round: 20.48 × 1e9 is 20479999999.999996 in floating point.
		return Duration(math.Round(f * float64(time.Second))), nil
	}
	td, err := time.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("invalid duration %q (use a Go duration such as 36h or 10.24s, or days such as 7d)", s)
	}
	return Duration(td), nil
}

// UnmarshalYAML implements yaml.Unmarshaler.
func (d *Duration) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.ScalarNode {
		return fmt.Errorf("line %d: expected a duration such as 10s, 3h or 7d", n.Line)
	}
	v, err := ParseDuration(n.Value)
	if err != nil {
		return fmt.Errorf("line %d: %v", n.Line, err)
	}
	*d = v
	return nil
}

// MarshalYAML implements yaml.Marshaler.
func (d Duration) MarshalYAML() (any, error) { return d.String(), nil }

// MarshalText implements encoding.TextMarshaler (used by JSON).
func (d Duration) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (d *Duration) UnmarshalText(b []byte) error {
	v, err := ParseDuration(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}
