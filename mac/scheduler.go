package mac

import "time"

// Carrier is a simple resource scheduler for one NB-IoT carrier direction.
// The uplink has 12 lanes (15 kHz subcarriers); an NPUSCH transmission of
// t tones uses an aligned set of t lanes (TS 36.213 Table 16.5.1.1-1: 3-tone
// allocations start at subcarriers 0,3,6,9; 6-tone at 0,6; 12-tone at 0).
// The downlink has one lane (NPDCCH and NPDSCH each occupy the whole PRB in
// their subframes). Requests are served first come, first served at the
// earliest time the lanes are free: no pre-emption, no back-filling. A
// request that cannot start before its deadline is still placed (the caller
// decides what a late start means).
type Carrier struct {
	free []int64 // per lane: time it becomes free (ns)
	// Stretch ≥ 1 scales every allocation to account for resources the
	// carrier spends on other things (NPRACH on the uplink; NPBCH, NPSS,
	// NSSS and SIB1-NB on the downlink anchor carrier).
	Stretch float64
	busy    float64 // lane-nanoseconds allocated
}

// NewCarrier returns a carrier with lanes lanes.
func NewCarrier(lanes int, stretch float64) *Carrier {
	if lanes < 1 {
		lanes = 1
	}
	if !(stretch >= 1) { // also NaN, which would make every reservation end at MinInt64
		stretch = 1
	}
	return &Carrier{free: make([]int64, lanes), Stretch: stretch}
}

// Lanes returns the number of lanes.
func (c *Carrier) Lanes() int { return len(c.free) }

// Reserve places a transmission of dur on width lanes starting no earlier
// than earliest, and returns its start and end times.
func (c *Carrier) Reserve(earliest int64, width int, dur time.Duration) (start, end int64) {
	n := len(c.free)
	if width < 1 {
		width = 1
	}
	if width > n {
		width = n
	}
	d := int64(float64(dur) * c.Stretch)
	best, bestAt := 0, int64(-1)
	for i := 0; i+width <= n; i += width {
		at := earliest
		for j := i; j < i+width; j++ {
			if c.free[j] > at {
				at = c.free[j]
			}
		}
		if bestAt < 0 || at < bestAt {
			best, bestAt = i, at
			if at == earliest {
				break // no lane can start earlier, and ties keep the first
			}
		}
	}
	for j := best; j < best+width; j++ {
		c.free[j] = bestAt + d
	}
	c.busy += float64(d) * float64(width)
	return bestAt, bestAt + d
}

// Utilisation is the share of lane-time allocated over a period of length d.
func (c *Carrier) Utilisation(d time.Duration) float64 {
	if d <= 0 {
		return 0
	}
	u := c.busy / (float64(d) * float64(len(c.free)))
	if u > 1 {
		u = 1
	}
	return u
}

// Backlog returns how far in the future the earliest lane becomes free,
// seen from now (0 if some lane is free).
func (c *Carrier) Backlog(now int64) time.Duration {
	m := c.free[0]
	for _, f := range c.free[1:] {
		if f < m {
			m = f
		}
	}
	if m <= now {
		return 0
	}
	return time.Duration(m - now)
}
