package report

import "time"

// sample returns a small, consistent Results.
func sample() *Results {
	kpi := func(devs, gen, del, drop, inflight int64, batt float64) KPI {
		return KPI{
			ReportsGenerated: gen, ReportsDelivered: del, ReportsDropped: drop, ReportsInFlight: inflight,
			AccessAttempts: gen + 2, AccessSuccesses: gen, AccessFailures: 1,
			AccessSuccessProbability:  Ratio(gen, gen+2),
			CollisionProbability:      0.0125,
			PreambleTransmissionsMean: 1.25,
			AccessDelayMs:             Dist{Mean: 150, P50: 120, P95: 400, P99: 900},
			LatencyMs:                 Dist{Mean: 900, P50: 800, P95: 2000, P99: 4000},
			EnergyPerReportMJ:         85.5,
			BatteryYears:              BatteryDist{Mean: batt, P5: batt - 2, Min: batt - 3},
			Devices:                   devs, OutOfCoverage: 1, CELevels: []int64{devs - 3, 1, 1},
			TimeInStateS:   map[string]float64{StatePSM: 1000, StateTx: 10, StateRx: 20},
			EnergyByStateJ: map[string]float64{StatePSM: 1, StateTx: 3, StateRx: 1},
		}
	}
	meters := kpi(60, 600, 590, 8, 2, 12)
	collars := kpi(40, 400, 395, 4, 1, 6)
	total := kpi(100, 1000, 985, 12, 3, 9.6)
	total.AccessAttempts = meters.AccessAttempts + collars.AccessAttempts
	total.AccessSuccesses = 1000
	total.AccessFailures = 2
	total.OutOfCoverage = 2
	total.CELevels = []int64{94, 2, 2}
	return &Results{
		Scenario:  "test",
		Seed:      42,
		DurationS: 36 * 3600,
		KPI:       total,
		Groups:    map[string]GroupResult{"meters": {KPI: meters}, "collars": {KPI: collars}},
		Cells: []CellKPI{
			{Name: "site1/1", Devices: 50, Preambles: 700, Collisions: 5, ULUtilisation: 0.02, DLUtilisation: 0.01, IoT: IoTDist{Mean: 0.4, P50: 0.2, P99: 2.5, Max: 3.5}},
			{Name: "site1/2", Devices: 48, Preambles: 650, Collisions: 7, ULUtilisation: 0.05, DLUtilisation: 0.02, IoT: IoTDist{Mean: 0.6, P50: 0.3, P99: 3.5, Max: 4.5}},
		},
		DropsByCause: map[string]int64{"ra_failure": 10, "buffer_overflow": 2},
		Perf:         Perf{Events: 123456, WallS: 1.5, EventsPerS: 82304, ReportsPerS: 666.7},
	}
}

func sampleTS() *TimeSeries {
	ts := &TimeSeries{Step: time.Minute}
	for m := range 30 {
		ts.Rows = append(ts.Rows, Row{Minute: m, Arrivals: int64(m % 7), Preambles: int64(m%7 + 1), Collisions: int64(m % 3), Successes: int64(m % 7), Failures: int64(m % 2), Connected: int64(m % 4)})
	}
	return ts
}

func sampleSamples() *Samples {
	s := &Samples{}
	for i := range 500 {
		s.AccessDelaysMs = append(s.AccessDelaysMs, float64(100+(i*37)%400))
		s.BatteryYears = append(s.BatteryYears, 5+float64((i*13)%100)/10)
	}
	return s
}
