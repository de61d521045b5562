package scenarios

import (
	"testing"
)

// FuzzParse checks that no input makes Parse panic, and that whatever Parse
// accepts also passes Validate and resolves its sites.
func FuzzParse(f *testing.F) {
	for _, in := range Shipped() {
		data, _ := ShippedFile(in.Name)
		f.Add(data, "groups.collars.count=40000")
		f.Add(data, "random_access.ce.0.periodicity=160ms")
	}
	f.Add([]byte("a: &a [*a]\n"), "")
	f.Add([]byte("groups:\n  a: &g {count: 1}\n  b: *g\n  c: {<<: *g}\n"), "groups.b.count=2")
	f.Add([]byte("site_layout: {count: 99999999999}\n"), "site_layout.isd_m=1")
	f.Add([]byte("radio: {ce_rsrp_thresholds_dbm: [-100, .nan]}\n"), "radio.band=[1,{a: b}]")
	f.Fuzz(func(t *testing.T, data []byte, set string) {
		var sets []string
		if set != "" {
			sets = []string{set}
		}
		s, err := Parse(data, "fuzz.yaml", sets)
		if err != nil {
			if s != nil {
				t.Fatal("scenario and error")
			}
			_ = err.Error()
			return
		}
		if err := s.Validate(); err != nil {
			t.Fatalf("Parse accepted a scenario that Validate rejects: %v", err)
		}
		_ = s.Sites()
		_ = s.GroupNames()
	})
}
