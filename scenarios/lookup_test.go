package scenarios

import (
	"strings"
	"testing"
)

func TestNumber(t *testing.T) {
	sc, err := Load("cow-collars", []string{"groups.collars.count=1234"})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		path    string
		v       float64
		integer bool
	}{
		{"groups.collars.count", 1234, true},
		{"radio.enb_noise_figure_db", sc.Radio.EnbNoiseFigureDb, false},
		{"random_access.ce.0.periodicity", 0.04, false},
		{"seed", float64(sc.Seed), true},
		{"groups.collars.report.period", sc.Groups["collars"].Report.Period.Seconds(), false},
	} {
		v, integer, err := sc.Number(c.path)
		if err != nil || v != c.v || integer != c.integer {
			t.Errorf("Number(%s) = %v, %v, %v; want %v, %v", c.path, v, integer, err, c.v, c.integer)
		}
	}
	for _, c := range []struct{ path, want string }{
		{"groups.cows.count", `no "cows"`},
		{"radio.bnad", "unknown key"},
		{"random_access.ce.7.periodicity", "index 0..2"},
		{"radio.band", "not a number"},
		{"radio", "not a number"},
		{"seed.x", "seed has no keys"},
		{"site_layout.count", "not set"},
	} {
		if _, _, err := sc.Number(c.path); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Number(%s) = %v, want an error with %q", c.path, err, c.want)
		}
	}
}

// sites_file_rows keeps the first N rows, at the positions they have with
// every row (the origin is every row's centroid).
func TestSitesFileRows(t *testing.T) {
	all, err := Load("district", nil)
	if err != nil {
		t.Fatal(err)
	}
	three, err := Load("district", []string{"sites_file_rows=3"})
	if err != nil {
		t.Fatal(err)
	}
	if len(all.SiteList) != 7 || len(three.SiteList) != 3 || *three.Origin != *all.Origin {
		t.Fatalf("%d and %d sites, origins %v %v", len(all.SiteList), len(three.SiteList), *all.Origin, *three.Origin)
	}
	for i := range three.SiteList {
		a, b := all.SiteList[i], three.SiteList[i]
		if a.Name != b.Name || a.XM != b.XM || a.YM != b.YM {
			t.Errorf("site %d: %+v vs %+v", i, a, b)
		}
	}
	for _, c := range []struct{ set, want string }{
		{"sites_file_rows=8", "has 7 sites"},
		{"sites_file_rows=-1", "has 7 sites"},
	} {
		if _, err := Load("district", []string{c.set}); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v", c.set, err)
		}
	}
	if _, err := Load("cow-collars", []string{"sites_file_rows=2"}); err == nil || !strings.Contains(err.Error(), "without a sites_file") {
		t.Errorf("without a file: %v", err)
	}
}
