package report

// Shape is the form of a run's results before the run: every value 0, the
// named groups, cells and CE levels, and every cell's resources. Evaluate
// against it finds the expectation paths that cannot exist (checked before
// a simulation, so that a typo costs no run). Its numeric paths are those
// of a real run's results.json, but for the entries of
// preamble_transmissions_cdf, whose length the run decides (a test of the
// CLI holds the two together). carriers > 1 gives each cell its carriers.
func Shape(scenario string, seed uint64, groups, cells []string, ceLevels, carriers int) *Results {
	r := &Results{Scenario: scenario, Seed: seed, Groups: map[string]GroupResult{}}
	r.KPI.CELevels = make([]int64, ceLevels)
	for _, g := range groups {
		r.Groups[g] = GroupResult{KPI: KPI{CELevels: make([]int64, ceLevels)}}
	}
	names := ResourceNames(ceLevels)
	util := func() map[string]float64 {
		m := make(map[string]float64, len(names))
		for _, n := range names {
			m[n] = 0
		}
		return m
	}
	r.Bottleneck = Bottleneck{Resource: ResNone, Utilisation: util()}
	for _, c := range cells {
		ck := CellKPI{Name: c, Resources: resources(names, ceLevels), Bottleneck: Bottleneck{Resource: ResNone, Utilisation: util()}}
		if carriers > 1 {
			for k := range carriers {
				ck.Carriers = append(ck.Carriers, CarrierKPI{Carrier: k, Resources: resources(names, ceLevels)})
			}
		}
		r.Cells = append(r.Cells, ck)
	}
	return r
}

// resources is a cell's (or carrier's) resources map, every figure 0: the
// NPRACH ones (the first ceLevels names) with their collision probability.
func resources(names []string, ceLevels int) map[string]ResourceUse {
	res := make(map[string]ResourceUse, len(names))
	for i, n := range names {
		res[n] = ResourceUse{}
		if i < ceLevels {
			res[n] = ResourceUse{CollisionProbability: new(float64)}
		}
	}
	return res
}

// ResourceNames are the radio resources of a cell with ceLevels CE levels,
// the keys of cells.N.resources and of bottleneck.utilisation: NPRACH per
// CE level, NPDCCH, NPDSCH, the downlink's held gaps, NPUSCH.
func ResourceNames(ceLevels int) []string {
	names := make([]string, 0, ceLevels+4)
	for k := range ceLevels {
		names = append(names, NPRACHResource(k))
	}
	return append(names, ResNPDCCH, ResNPDSCH, ResDLGap, ResNPUSCH)
}
