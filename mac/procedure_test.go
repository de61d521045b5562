package mac

import (
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/nbsim/nbsim/sim"
)

func TestAttemptAfterFailure(t *testing.T) {
	type step struct {
		next   Next
		ce     uint8
		txAtCE uint16
	}
	cases := []struct {
		name              string
		maxCE             uint8
		maxAtCE, transMax int
		want              []step // after each failed transmission
	}{
		{
			name: "escalate twice then stay at the top level", maxCE: 2, maxAtCE: 3, transMax: 10,
			want: []step{
				{Retry, 0, 1}, {Retry, 0, 2}, {Escalate, 1, 0},
				{Retry, 1, 1}, {Retry, 1, 2}, {Escalate, 2, 0},
				{Retry, 2, 1}, {Retry, 2, 2}, {Retry, 2, 3}, // no level beyond MaxCE
				{Fail, 2, 4},
			},
		},
		{
			name: "fail before escalating", maxCE: 2, maxAtCE: 5, transMax: 3,
			want: []step{{Retry, 0, 1}, {Retry, 0, 2}, {Fail, 0, 3}},
		},
		{
			name: "fail wins over escalation at the same count", maxCE: 1, maxAtCE: 3, transMax: 3,
			want: []step{{Retry, 0, 1}, {Retry, 0, 2}, {Fail, 0, 3}},
		},
		{
			name: "LTE mode: maxAtCE = transMax, one level", maxCE: 0, maxAtCE: 4, transMax: 4,
			want: []step{{Retry, 0, 1}, {Retry, 0, 2}, {Retry, 0, 3}, {Fail, 0, 4}},
		},
		{
			name: "no per-level limit", maxCE: 2, maxAtCE: 0, transMax: 4,
			want: []step{{Retry, 0, 1}, {Retry, 0, 2}, {Retry, 0, 3}, {Fail, 0, 4}},
		},
		{
			name: "one attempt per level", maxCE: 2, maxAtCE: 1, transMax: 5,
			want: []step{{Escalate, 1, 0}, {Escalate, 2, 0}, {Retry, 2, 1}, {Retry, 2, 2}, {Fail, 2, 3}},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a := Attempt{MaxCE: c.maxCE}
			for i, w := range c.want {
				a.Sent()
				if int(a.Tx) != i+1 {
					t.Fatalf("after %d sends Tx = %d", i+1, a.Tx)
				}
				got := a.AfterFailure(c.maxAtCE, c.transMax)
				if got != w.next || a.CE != w.ce || a.TxAtCE != w.txAtCE {
					t.Fatalf("failure %d: %v CE %d TxAtCE %d, want %v CE %d TxAtCE %d",
						i+1, got, a.CE, a.TxAtCE, w.next, w.ce, w.txAtCE)
				}
				if a.CE > a.MaxCE {
					t.Fatalf("CE %d beyond MaxCE %d", a.CE, a.MaxCE)
				}
			}
			// Once failed, it stays failed.
			if got := a.AfterFailure(c.maxAtCE, c.transMax); got != Fail {
				t.Errorf("after the last failure: %v, want fail", got)
			}
		})
	}
}

func TestAttemptSent(t *testing.T) {
	a := Attempt{MaxCE: 1}
	a.Sent()
	a.Sent()
	if a.Tx != 2 || a.TxAtCE != 2 {
		t.Fatalf("Tx %d TxAtCE %d, want 2 2", a.Tx, a.TxAtCE)
	}
	if a.AfterFailure(2, 10) != Escalate {
		t.Fatal("want escalate")
	}
	a.Sent()
	if a.Tx != 3 || a.TxAtCE != 1 || a.CE != 1 {
		t.Fatalf("after escalation Tx %d TxAtCE %d CE %d, want 3 1 1", a.Tx, a.TxAtCE, a.CE)
	}
}

func TestBackoff(t *testing.T) {
	for _, nb := range []bool{true, false} {
		for bi := 0; bi <= 12; bi++ {
			b, _ := BackoffValue(bi, nb)
			rng := sim.NewStream(1, "backoff", uint64(bi), fmt.Sprint(nb))
			const n = 20000
			var sum float64
			var bins [10]int
			for i := 0; i < n; i++ {
				d := Backoff(&rng, bi, nb)
				if d < 0 || d > b {
					t.Fatalf("bi %d nb %v: backoff %v outside [0, %v]", bi, nb, d, b)
				}
				if b == 0 {
					continue
				}
				sum += float64(d)
				k := int(10 * float64(d) / float64(b))
				bins[min(k, 9)]++
			}
			if b == 0 {
				continue
			}
			// uniform: mean B/2 with sd B/sqrt(12 n); each decile 1/10
			mean := sum / n
			if se := float64(b) / math.Sqrt(12*n); math.Abs(mean-float64(b)/2) > 4*se {
				t.Errorf("bi %d nb %v: mean %v, want %v ± %v", bi, nb, time.Duration(mean), b/2, time.Duration(4*se))
			}
			for k, c := range bins {
				within(t, fmt.Sprintf("bi %d nb %v decile %d", bi, nb, k), c, n, 0.1, 4.5)
			}
		}
	}
	// Reserved and invalid indices: no backoff.
	rng := sim.NewStream(1, "backoff", 99, "")
	for _, bi := range []int{-1, 13, 14, 15, 100} {
		for _, nb := range []bool{true, false} {
			if d := Backoff(&rng, bi, nb); d != 0 {
				t.Errorf("Backoff(%d, %v) = %v, want 0", bi, nb, d)
			}
		}
	}
}

func TestBarred(t *testing.T) {
	const T = 16 * time.Second
	rng := sim.NewStream(1, "barred", 0, "")
	for _, f := range []float64{1, 1.5, math.Inf(1)} {
		for i := 0; i < 1000; i++ {
			if b, w := Barred(&rng, f, T); b || w != 0 {
				t.Fatalf("factor %v: barred %v wait %v", f, b, w)
			}
		}
	}
	for _, f := range []float64{0, 0.05, 0.3, 0.5, 0.95} {
		const n = 20000
		barred := 0
		var sum float64
		lo, hi := time.Duration(math.MaxInt64), time.Duration(0)
		for i := 0; i < n; i++ {
			b, w := Barred(&rng, f, T)
			if !b {
				if w != 0 {
					t.Fatalf("factor %v: not barred but wait %v", f, w)
				}
				continue
			}
			barred++
			if w < T*7/10 || w > T*13/10 {
				t.Fatalf("factor %v: wait %v outside [0.7T, 1.3T]", f, w)
			}
			sum += float64(w)
			lo, hi = min(lo, w), max(hi, w)
		}
		if f == 0 && barred != n {
			t.Errorf("factor 0: barred %d of %d, want all", barred, n)
		}
		within(t, fmt.Sprintf("factor %v barring", f), barred, n, 1-f, 4)
		if barred > 1000 {
			// wait uniform in [0.7T, 1.3T]: mean T, sd 0.6T/sqrt(12)
			mean := sum / float64(barred)
			if se := 0.6 * float64(T) / math.Sqrt(12*float64(barred)); math.Abs(mean-float64(T)) > 4*se {
				t.Errorf("factor %v: mean wait %v, want %v", f, time.Duration(mean), T)
			}
			if lo > T*72/100 || hi < T*128/100 {
				t.Errorf("factor %v: waits span [%v, %v], want close to [0.7T, 1.3T]", f, lo, hi)
			}
		}
	}
}
