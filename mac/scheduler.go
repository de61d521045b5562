package mac

import "time"

// Channel is what a reservation carries, for the accounting of a
// carrier's busy time by physical channel. Reservations are placed the same
// whatever their channel; only the books differ.
type Channel uint8

// Channels.
const (
	// Shared: NPDSCH on the downlink, NPUSCH on the uplink (TS 36.211 §10.2.3, §10.1.3).
	Shared Channel = iota
	// Control: NPDCCH, on the downlink (TS 36.211 §10.2.5).
	Control
	// Gap: lane time left idle inside one transmission, between its parts
	// (a DCI and its NPDSCH, TS 36.213 §16.4.1), that this first-come,
	// first-served scheduler gives to nobody else. Booked with Book, never
	// reserved: it is not in Utilisation.
	Gap
	// NumChannels is the number of channels.
	NumChannels
)

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
	// by channel: lane-nanoseconds allocated, in total and per step of
	// time (see Track)
	busyBy [NumChannels]float64
	step   int64
	steps  [NumChannels][]float64
	nSteps int
	last   int // first lane of the latest reservation (LastLane)
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
// than earliest, and returns its start and end times. It is booked as
// Shared.
func (c *Carrier) Reserve(earliest int64, width int, dur time.Duration) (start, end int64) {
	return c.ReserveFor(Shared, earliest, width, dur)
}

// ReserveFor is Reserve booking the busy time to channel ch; the placement
// does not depend on ch.
func (c *Carrier) ReserveFor(ch Channel, earliest int64, width int, dur time.Duration) (start, end int64) {
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
	c.last = best
	c.busy += float64(d) * float64(width)
	c.book(ch, bestAt, d, width)
	return bestAt, bestAt + d
}

// LastLane is the first lane of the latest reservation: it took lanes
// LastLane() to LastLane()+width−1 (the subcarriers an uplink transmission
// occupies, for the interference it causes and meets).
func (c *Carrier) LastLane() int { return c.last }

// Book adds [from, to) on width lanes to ch's books without reserving it
// (for Gap); nothing is placed, Utilisation does not change.
func (c *Carrier) Book(ch Channel, from, to int64, width int) {
	if to > from {
		c.book(ch, from, to-from, max(1, min(width, len(c.free))))
	}
}

// book adds a reservation of width lanes over [at, at+d) to ch's books.
func (c *Carrier) book(ch Channel, at, d int64, width int) {
	if ch >= NumChannels {
		ch = Shared
	}
	w := float64(width)
	c.busyBy[ch] += float64(d) * w
	if c.nSteps == 0 {
		return
	}
	s := c.steps[ch]
	if s == nil {
		s = make([]float64, c.nSteps)
		c.steps[ch] = s
	}
	// Spread over the steps the interval overlaps; what falls beyond the
	// last step is not tracked.
	for k := at / c.step; k < int64(len(s)) && k*c.step < at+d; k++ {
		lo, hi := max(at, k*c.step), min(at+d, (k+1)*c.step)
		if k >= 0 && hi > lo {
			s[k] += float64(hi-lo) * w
		}
	}
}

// Track starts keeping the busy time of each channel per step of time:
// n steps of length step from time 0 (BusyIn reads them). It is meant to be
// called before the first reservation; earlier ones are not in the steps.
func (c *Carrier) Track(step time.Duration, n int) {
	if step <= 0 || n <= 0 {
		return
	}
	c.step, c.nSteps = int64(step), n
	c.steps = [NumChannels][]float64{}
}

// BusyIn returns the lane-nanoseconds channel ch took in step k (0 when
// not tracked or out of range).
func (c *Carrier) BusyIn(ch Channel, k int) float64 {
	if ch >= NumChannels || k < 0 || k >= len(c.steps[ch]) {
		return 0
	}
	return c.steps[ch][k]
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

// UtilisationOf is the share of lane-time channel ch took over a period of
// length d (clamped to 1). The shares of the reserved channels (Shared,
// Control) add up to Utilisation (before clamping).
func (c *Carrier) UtilisationOf(ch Channel, d time.Duration) float64 {
	if d <= 0 || ch >= NumChannels {
		return 0
	}
	return min(1, c.busyBy[ch]/(float64(d)*float64(len(c.free))))
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
