package sweep

import (
	"context"
	"testing"
	"time"
)

// BenchmarkCampaign runs 2 points × 3 seeds of cow-collars × 1 day on every
// CPU and reports the wall time per run (s/run) and the planning time per
// point (plan-s/point: each point loaded, validated and built once before
// the runs). The target, 100 points × 3 seeds in ≤ 120 s on 2
// cores, is 0.4 s/run + plan (docs/planning.md "Performance").
func BenchmarkCampaign(b *testing.B) {
	const src = `scenario: cow-collars
seeds: 3
axes:
  - key: random_access.ce.0.periodicity
    values: [40ms, 80ms]
kpis: [access_success_probability, groups.collars.battery_years.p5]
`
	for range b.N {
		c, err := Parse([]byte(src), "bench.yaml")
		if err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		p, err := NewPlan(c)
		if err != nil {
			b.Fatal(err)
		}
		planned := time.Since(start)
		start = time.Now()
		s, err := Run(context.Background(), p, b.TempDir(), Options{})
		if err != nil || s.OK != 6 {
			b.Fatalf("%+v %v", s, err)
		}
		b.ReportMetric(time.Since(start).Seconds()/6, "s/run")
		b.ReportMetric(planned.Seconds()/2, "plan-s/point")
	}
}
