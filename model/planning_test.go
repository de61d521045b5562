package model

import (
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/nbsim/nbsim/device"
	"github.com/nbsim/nbsim/phy"
	"github.com/nbsim/nbsim/scenarios"
	"github.com/nbsim/nbsim/sim"
)

func buildYAML(t *testing.T, file, src string) *Network {
	t.Helper()
	sc, err := scenarios.Parse([]byte(src), file, nil)
	if err != nil {
		t.Fatal(err)
	}
	n, err := Build(sc, 1)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// 164 dB to a 43 dBm carrier: NRSRP = 43 − 10·log10(12) − 164 = −131.79 dBm,
// below both default thresholds (−110, −120): CE2; 164 is the maximum
// coupling loss, so in coverage; 164.5 is beyond it.
func TestCoverageFixedLoss(t *testing.T) {
	n := buildYAML(t, "s.yaml", `
groups:
  deep: {count: 50, coverage: {coupling_loss_db: 164}}
  beyond: {count: 5, coverage: {coupling_loss_db: 164.5}, placement: {site: site1}}
`)
	if got, want := phy.RSRPdBm(43, 164), 43-10*math.Log10(12)-164; math.Abs(got-want) > 1e-9 || math.Abs(want+131.79) > 0.01 {
		t.Fatalf("RSRP %g, want %g", got, want)
	}
	for id := range n.ues {
		u := &n.ues[id]
		g := n.groups[u.group]
		wantCL, out := float32(164), false
		if g.name == "beyond" {
			wantCL, out = 164.5, true
		}
		if u.cl != wantCL || u.ceBase != 2 || u.cell != 0 || u.nb != [nNeighbours]int32{-1, -1, -1, -1} {
			t.Fatalf("%s device %d: cl %g CE%d cell %d nb %v, want cl %g CE2 cell 0 no neighbours", g.name, id, u.cl, u.ceBase, u.cell, u.nb, wantCL)
		}
		if (u.dev.Flags&device.OutOfCoverage != 0) != out {
			t.Errorf("%s device %d: out of coverage %v, want %v", g.name, id, !out, out)
		}
	}
	if n.cells[0].devices != 55 || n.cells[1].devices != 0 {
		t.Errorf("cell devices %d %d, want 55 0", n.cells[0].devices, n.cells[1].devices)
	}
}

func TestCoverageDistribution(t *testing.T) {
	n := buildYAML(t, "s.yaml", `
groups:
  g:
    count: 10000
    coverage:
      coupling_loss_distribution:
        - {loss_db: 130, share: 0.5}
        - {loss_db: 150, share: 0.0}
        - {loss_db: 155, share: 0.3}
        - {loss_db: 164, share: 0.2}
`)
	counts := map[float32]int{}
	ce := [3]int{}
	for i := range n.ues {
		counts[n.ues[i].cl]++
		ce[n.ues[i].ceBase]++
	}
	want := map[float32]float64{130: 0.5, 155: 0.3, 164: 0.2}
	for cl, share := range want {
		// 4 standard deviations of a binomial share over 10,000 devices.
		tol := 4 * math.Sqrt(share*(1-share)/10000)
		if got := float64(counts[cl]) / 10000; math.Abs(got-share) > tol {
			t.Errorf("share at %g dB = %.4f, want %.2f ± %.4f", cl, got, share, tol)
		}
	}
	if len(counts) != 3 {
		t.Errorf("losses drawn %v, want only 130, 155, 164", counts)
	}
	// 130 dB: RSRP −97.8 (CE0); 155: −122.8 (CE2); 164: CE2.
	if ce[0] != counts[130] || ce[1] != 0 || ce[2] != counts[155]+counts[164] {
		t.Errorf("CE levels %v for losses %v", ce, counts)
	}
}

func TestCoverageCDF(t *testing.T) {
	n := buildYAML(t, "s.yaml", `
groups:
  g:
    count: 10000
    coverage: {coupling_loss_cdf: [{loss_db: 120, p: 0.2}, {loss_db: 140, p: 0.6}, {loss_db: 160, p: 1}]}
`)
	at, below := 0, 0
	for i := range n.ues {
		cl := n.ues[i].cl
		if cl < 120 || cl > 160 {
			t.Fatalf("loss %g outside the CDF", cl)
		}
		if cl == 120 {
			at++
		}
		if cl <= 150 {
			below++
		}
	}
	// A mass of 0.2 at 120 dB; P(loss <= 150) = 0.6 + 0.4·(10/20) = 0.8.
	if got := float64(at) / 1e4; math.Abs(got-0.2) > 0.016 {
		t.Errorf("P(120 dB) = %.4f, want 0.2", got)
	}
	if got := float64(below) / 1e4; math.Abs(got-0.8) > 0.016 {
		t.Errorf("P(<= 150 dB) = %.4f, want 0.8", got)
	}
	inv := cdfInverse([]scenarios.LossProb{{LossDb: 120, P: 0.2}, {LossDb: 140, P: 0.6}, {LossDb: 160, P: 1}})
	for _, c := range []struct{ x, want float64 }{{0, 120}, {0.2, 120}, {0.4, 130}, {0.6, 140}, {0.9, 155}, {0.999999, 159.99995}} {
		if got := inv(c.x); math.Abs(got-c.want) > 1e-3 {
			t.Errorf("inverse CDF(%g) = %g, want %g", c.x, got, c.want)
		}
	}
}

func TestCoverageCSVAndPlacementCSV(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "cl.csv"), []byte("rsrp_dbm,cell\n-100,site1/2\n-125,\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "xy.csv"), []byte("x_m,y_m\n0,500\n0,-500\n"), 0o644)
	n := buildYAML(t, filepath.Join(dir, "s.yaml"), `
groups:
  a: {coverage: {coupling_loss_csv: cl.csv}}
  b: {placement: {shape: csv, file: xy.csv}}
`)
	// RSRP −100 dBm: coupling loss 43 − 10.79 + 100 = 132.21 dB, CE0, cell site1/2;
	// −125 dBm: 157.21 dB, CE2, the first cell.
	base := 43 - 10*math.Log10(12)
	a0, a1 := n.ues[0], n.ues[1]
	if math.Abs(float64(a0.cl)-(base+100)) > 1e-4 || n.cells[a0.cell].name != "site1/2" || a0.ceBase != 0 {
		t.Errorf("row 1: cl %g cell %s CE%d", a0.cl, n.cells[a0.cell].name, a0.ceBase)
	}
	if math.Abs(float64(a1.cl)-(base+125)) > 1e-4 || a1.cell != 0 || a1.ceBase != 2 {
		t.Errorf("row 2: cl %g cell %d CE%d", a1.cl, a1.cell, a1.ceBase)
	}
	// The default site's sectors point at 0°, 120°, 240°: a device 500 m
	// north is served by sector 1, one 500 m south by sector 2 or 3.
	b0, b1 := n.ues[2], n.ues[3]
	if n.cells[b0.cell].name != "site1/1" || n.cells[b1.cell].name == "site1/1" {
		t.Errorf("csv placement: cells %s, %s", n.cells[b0.cell].name, n.cells[b1.cell].name)
	}
}

// The TR 45.820 packet-size model: Pareto, alpha 2.5, scale 20 bytes, cap
// 200. E[min(X, c)] = xm + xm/(α−1)·(1 − (xm/c)^(α−1)) = 20 + 13.33·(1 − 0.1^1.5) = 32.91 bytes.
func TestParetoSizeMean(t *testing.T) {
	d := scenarios.SizeDist{Model: "pareto", MinBytes: 20, MaxBytes: 200, Alpha: 2.5}
	want := 20 + 20/1.5*(1-math.Pow(0.1, 1.5))
	r := sim.NewStream(1, "test", 0, "uplink-size")
	const N = 200000
	sum, capped, lo, hi := 0.0, 0, math.MaxInt, 0
	for i := 0; i < N; i++ {
		x := sizeFrom(&d, &r)
		sum += float64(x)
		if x == 200 {
			capped++
		}
		lo, hi = min(lo, x), max(hi, x)
	}
	// Standard deviation of the capped variable < 20 bytes: the mean of
	// 200,000 draws is within 0.15 bytes (and rounding is unbiased).
	if mean := sum / N; math.Abs(mean-want) > 0.15 {
		t.Errorf("pareto mean %.3f, want %.3f", mean, want)
	}
	// P(X >= 199.5) = (20/199.5)^2.5 = 0.00318.
	if p := float64(capped) / N; math.Abs(p-math.Pow(20/199.5, 2.5)) > 0.0005 {
		t.Errorf("share at the cap %.5f, want %.5f", p, math.Pow(20/199.5, 2.5))
	}
	if lo != 20 || hi != 200 {
		t.Errorf("range %d..%d, want 20..200", lo, hi)
	}
	u := scenarios.SizeDist{Model: "uniform", MinBytes: 10, MaxBytes: 13}
	seen := map[int]int{}
	for i := 0; i < 4000; i++ {
		seen[sizeFrom(&u, &r)]++
	}
	for b := 10; b <= 13; b++ {
		if seen[b] < 850 || seen[b] > 1150 {
			t.Errorf("uniform 10..13: %v", seen)
			break
		}
	}
	if f := (scenarios.SizeDist{Model: "fixed", Bytes: 77}); sizeFrom(&f, &r) != 77 {
		t.Error("fixed size")
	}
}
