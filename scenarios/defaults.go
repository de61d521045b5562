package scenarios

import (
	"time"

	"github.com/nbsim/nbsim/phy"
)

// This file holds the one documented default of every configuration field.
// A scenario file is decoded on top of Default(); every group under
// `groups:` on top of DefaultGroup(). docs/scenarios.md lists the same values
// (a test regenerates and compares its key table).

// Default returns the default scenario: one three-sector site, no device
// groups, NB-IoT random access with three CE levels.
func Default() Scenario {
	return Scenario{
		Seed:          1,                             // any fixed seed; --seed overrides it
		Duration:      Duration(24 * time.Hour),      // one day: one full cycle of daily reports
		Signalling:    "typed",                       // message-level core, no ASN.1/NAS encoding
		Radio:         defaultRadio(),                // TR 45.820 / TR 36.942 macro link budget
		SiteList:      []Site{defaultFirstSite()},    // a single macro site at the origin
		SiteLayout:    nil,                           // explicit sites unless site_layout is given
		SitesFile:     "",                            // no sites CSV: sites or site_layout
		SitesFileRows: 0,                             // every row of the sites CSV
		Origin:        nil,                           // no geographic anchor (the sites_file's centroid when one is given)
		RandomAccess:  defaultRandomAccess(),         // three CE levels, TS 36.331 value sets
		RRC:           defaultRRC(),                  // typical operator settings
		Core:          defaultCore(),                 // grant what devices ask, 3GPP timer maxima
		Groups:        map[string]*Group{},           // no devices until a file adds groups
		Partition:     Partition{TileM: 0, HaloM: 0}, // tiles of TileISDs, halos of HaloISDs inter-site distances
		Expect:        nil,                           // no assertions
	}
}

func defaultRadio() Radio {
	return Radio{
		Band:       "B20",         // 800 MHz, the common European NB-IoT band
		Deployment: "standalone",  // TR 45.820 evaluation assumption
		PathLoss:   "urban-macro", // TR 45.820 / TR 36.942 macro model

		EnbTxPowerDbm:     43,  // TR 45.820 Table 5.1-1: 43 dBm per 200 kHz carrier (standalone)
		EnbAntennaGainDbi: 15,  // TR 36.942 §4.5: macro antenna gain 15 dBi
		EnbCableLossDb:    2,   // typical feeder loss (TR 36.942 link budget)
		EnbHeightM:        30,  // TR 36.942 macro base-station height
		UeTxPowerDbm:      23,  // power class 3, TS 36.101 §6.2.2F
		UeNoiseFigureDb:   5,   // TR 45.820 Table 5.1-1: UE NF 5 dB
		UeHeightM:         1.5, // TR 36.942 UE height
		ShadowingStdDb:    8,   // TR 45.820 / TR 36.942 log-normal shadowing 8 dB
		MaxCouplingLossDb: 164, // TR 45.820 §5: NB-IoT MCL target 164 dB

		// the one eNB noise-figure default, shared with the link model's
		// coverage check (phy/linkbudget.go says where it comes from)
		EnbNoiseFigureDb: phy.DefaultENBNoiseFigureDb,

		CERSRPThresholdsDbm:   []float64{-110, -120}, // CE0 above -110 dBm, CE1 down to -120 dBm, CE2 below
		NPRACHTargetPowerDbm:  -112,                  // preambleInitialReceivedTargetPower, TS 36.331 PowerRampingParameters
		NPRACHRampStepDb:      2,                     // powerRampingStep dB2: TS 36.331 sets no default; the step networks commonly broadcast
		NPUSCHP0Dbm:           -100,                  // p0-NominalNPUSCH, TS 36.331 UplinkPowerControlCommon-NB
		NPUSCHAlpha:           1.0,                   // alpha, full path-loss compensation
		TargetBLER:            0.1,                   // usual 10 % first-transmission BLER target
		NeighbourInterference: true,                  // uplink noise rise from other cells
		CaptureThresholdDb:    0,                     // no capture: collided preambles are lost
		ULSubcarrierSpacing:   "15khz",               // 15 kHz NPUSCH only, the Rel-13 deployments' common choice
		ULTones:               "adaptive",            // single or multi-tone as link adaptation chooses
		SyncTime:              defaultSyncTime(),     // docs/model.md, Random access, step 2: an estimate, see there

		// Multi-carrier (docs/model.md, Multi-carrier): off by default.
		Carriers:                1,       // the anchor carrier alone, as a Rel-13 cell
		NPRACHProbabilityAnchor: "equal", // 1/carriers: every carrier's NPRACH alike
		PagingWeights:           nil,     // w1 on every carrier (TS 36.331 pagingWeight-r14 DEFAULT w1)
	}
}

// defaultSyncTime is the wake-up synchronisation and system-information
// time of CE0, CE1 and CE2: 0.4, 1.2 and 3.6 s. No measured or 3GPP-
// evaluated figure could be read for it (docs/model.md, Random access, says
// what bounds it); these are the times nbsim has always used.
func defaultSyncTime() []Duration {
	return []Duration{Duration(400 * time.Millisecond), Duration(1200 * time.Millisecond), Duration(3600 * time.Millisecond)}
}

// defaultFirstSite is the one site of the default scenario.
func defaultFirstSite() Site {
	return Site{Name: "site1", XM: 0, YM: 0, Sectors: 3, AzimuthDeg: 0}
}

// defaultSite is where a site listed in a file beyond the default list starts.
func defaultSite() Site {
	return Site{Sectors: 3} // three-sector macro site; name and position must be given
}

// defaultSiteLayout is where a `site_layout:` section starts.
func defaultSiteLayout() SiteLayout {
	return SiteLayout{
		Count:   1,    // one site unless told otherwise
		ISDM:    1732, // TR 45.820 / TR 36.888 macro inter-site distance 1732 m
		Sectors: 3,    // three-sector macro sites
	}
}

func defaultRandomAccess() RandomAccess {
	return RandomAccess{
		Mode:               "nbiot",      // NPRACH, TS 36.321 §5.1 NB-IoT
		CollisionHandling:  "contention", // collided preambles get a RAR, fail in contention resolution
		CE:                 defaultCE(),
		PreambleTransMaxCE: 10,                                                  // preambleTransMax-CE n10, common operator setting
		BackoffIndex:       2,                                                   // TS 36.321 Table 7.2-2 index 2 = 512 ms
		RARProcessing:      Duration(4 * time.Millisecond),                      // RAR window starts 3 subframes after the preamble (TS 36.321 §5.1.4) plus 1 ms
		GrantsPerRAR:       8,                                                   // RAR payload of an NPDSCH carries several MAC RARs
		MaxHARQMsg3Tx:      4,                                                   // maxHARQ-Msg3Tx n4
		MaxHARQMsg4Tx:      4,                                                   // same as Msg3
		Barring:            Barring{Factor: 1, Time: Duration(4 * time.Second)}, // no barring; s4 if enabled
		LTE:                defaultLTE(),
	}
}

// defaultCE is the three-level NPRACH configuration: 12 subcarriers per
// level on non-overlapping offsets, repetitions and search spaces growing
// with coverage class (a common vendor default).
func defaultCE() []NPRACH {
	ms := func(v int) Duration { return Duration(time.Duration(v) * time.Millisecond) }
	return []NPRACH{
		{ // CE0: normal coverage
			Periodicity: ms(80), StartTime: ms(8), SubcarrierOffset: 0, NumSubcarriers: 12, NumCBRAStart: 0,
			RepetitionsPerAttempt: 1, MaxNumPreambleAttemptCE: 4, NPDCCHNumRepetitionsRA: 8, NPDCCHStartSFCSSRA: 4, NPDCCHOffsetRA: 0,
			RAResponseWindowSize: 5, MacContentionResolutionTimer: 8, Format: 0,
			NPUSCHMaxRepetitions: 4, NPDSCHMaxRepetitions: 4,
		},
		{ // CE1: robust coverage
			Periodicity: ms(320), StartTime: ms(8), SubcarrierOffset: 12, NumSubcarriers: 12, NumCBRAStart: 0,
			RepetitionsPerAttempt: 8, MaxNumPreambleAttemptCE: 4, NPDCCHNumRepetitionsRA: 64, NPDCCHStartSFCSSRA: 2, NPDCCHOffsetRA: 0,
			RAResponseWindowSize: 5, MacContentionResolutionTimer: 8, Format: 0,
			NPUSCHMaxRepetitions: 32, NPDSCHMaxRepetitions: 32,
		},
		{ // CE2: extreme coverage, long-CP format 1
			Periodicity: ms(640), StartTime: ms(8), SubcarrierOffset: 24, NumSubcarriers: 12, NumCBRAStart: 0,
			RepetitionsPerAttempt: 32, MaxNumPreambleAttemptCE: 4, NPDCCHNumRepetitionsRA: 256, NPDCCHStartSFCSSRA: 2, NPDCCHOffsetRA: 0,
			RAResponseWindowSize: 5, MacContentionResolutionTimer: 8, Format: 1,
			NPUSCHMaxRepetitions: 128, NPDSCHMaxRepetitions: 256,
		},
	}
}

// defaultLTE is the PRACH set-up of TR 37.868 Table 6.2.2.1.3.
func defaultLTE() LTEPRACH {
	ms := func(v int) Duration { return Duration(time.Duration(v) * time.Millisecond) }
	return LTEPRACH{
		Preambles:      54,     // 64 minus 10 dedicated preambles
		OccasionPeriod: ms(5),  // prach-ConfigIndex 6: one occasion every 5 ms
		PreambleLength: ms(1),  // preamble format 0
		RARWindow:      ms(5),  // ra-ResponseWindowSize sf5
		GrantsPerRAR:   3,      // 3 UL grants per RAR
		Backoff:        ms(20), // backoff indicator 20 ms
		MaxPreambleTx:  10,     // preambleTransMax n10
		HARQErrorRate:  0.1,    // 10 % Msg3/Msg4 HARQ error probability
		MaxHARQTx:      5,      // maxHARQ-Msg3Tx n5
		CRTimer:        ms(48), // mac-ContentionResolutionTimer sf48
		Msg3Delay:      ms(5),  // RAR → Msg3: 5 subframes of UE processing
		HARQRTT:        ms(8),  // FDD HARQ round trip 8 ms
		// TR 37.868 Table 6.2.2.1.3-1 processing times (docs/validation.md, tr37868)
		PreambleProcessing: ms(2), // preamble end → RAR window start
		Msg4Delay:          ms(4), // eNB processing of Msg3 before Msg4
		Msg4HARQRTT:        ms(5), // Msg4 retransmission 5 subframes after the previous one
	}
}

func defaultRRC() RRC {
	return RRC{
		InactivityTimer: Duration(20 * time.Second), // typical operator RRC inactivity timer
		HonourRAI:       true,                       // the network releases at once on RAI (TS 36.321 §6.1.3.10)
		CDRX: CDRX{
			Enabled: false, // continuous monitoring until release
			// NB-IoT DRX-Config-NB counts these timers in NPDCCH periods (TS 36.331
			// §6.7.3.2, TS 36.321 §5.7): pp32 and pp8 of a 32 ms CE0 period (Rmax 8 × G 4).
			InactivityTimer: Duration(1024 * time.Millisecond), // drx-InactivityTimer pp32
			OnDuration:      Duration(256 * time.Millisecond),  // onDurationTimer pp8
			Cycle:           Duration(2048 * time.Millisecond), // drx-Cycle sf2048 (TS 36.331 DRX-Config-NB)
		},
		DefaultPagingCycle: Duration(2560 * time.Millisecond), // defaultPagingCycle rf256
		// npdcch-NumRepetitionPaging r256: the deepest CE level's
		// npdcch-NumRepetitions-RA (CE2 above), so a page reaches every
		// device a RAR reaches (TS 36.331 PCCH-Config-NB).
		NPDCCHNumRepetitionPaging: 256,
		SignallingDelay:           Duration(20 * time.Millisecond), // eNB↔MME↔gateway one-way
		UEProcessing:              Duration(10 * time.Millisecond), // UE turn-around of a downlink message
	}
}

func defaultCore() Core {
	return Core{
		PSM: TimerPolicy{
			Policy:   "grant",                     // the MME grants what the device asks for
			Min:      0,                           // T3324 lower bound for "clamp"
			Max:      Duration(186 * time.Minute), // T3324 maximum: GPRS timer 2, 31 × 6 min (TS 24.008 §10.5.7.4)
			T3412Min: 0,                           // T3412 lower bound for "clamp"
			T3412Max: Duration(9920 * time.Hour),  // T3412 extended maximum: GPRS timer 3, 31 × 320 h (TS 24.008 §10.5.7.4a)
		},
		EDRX: TimerPolicy{
			Policy: "grant",                               // grant the requested eDRX cycle
			Min:    Duration(20480 * time.Millisecond),    // shortest NB-S1 eDRX cycle (TS 24.008 Table 10.5.5.32)
			Max:    Duration(10485760 * time.Millisecond), // longest NB-S1 eDRX cycle
		},
		MTBufferTime:     Duration(2 * time.Hour),          // gateway holds downlink data for a sleeping device
		MTBufferPackets:  10,                               // per device
		ServerDelay:      Duration(100 * time.Millisecond), // application-server turn-around
		AttachRoundTrips: 3,                                // authentication, security mode, attach accept/complete
	}
}

// DefaultGroup returns the defaults every group under `groups:` starts from:
// 100 static sensors attached and in PSM, one 50-byte report a day.
func DefaultGroup() Group {
	return Group{
		Count:             100,                                                                     // a small population
		Placement:         Placement{Shape: "disc", Site: "", RadiusM: 2000},                       // uniform in 2 km around the first site
		PenetrationLossDb: 0,                                                                       // outdoor
		PenetrationStdDb:  0,                                                                       // no spread
		AntennaGainDbi:    0,                                                                       // TR 45.820: 0 dBi device antenna
		InitiallyAttached: true,                                                                    // steady state: attached and asleep
		PowerOn:           Arrival{Model: "uniform", Start: 0, Window: Duration(60 * time.Second)}, // used when not initially attached
		Report: Report{
			Period:           Duration(24 * time.Hour), // one report a day
			Phase:            "staggered",              // random, uniform offsets
			StaggerWindow:    0,                        // 0 = spread over the whole period
			Jitter:           0,                        // no per-report jitter
			UplinkBytes:      50,                       // small sensor report (TR 45.820 Annex E: 20..200 bytes)
			ReplyProbability: 0,                        // no application reply
			ReplyBytes:       16,                       // size of a reply when there is one
		},
		Arrivals: nil,                                   // no one-shot arrivals
		Events:   nil,                                   // no bursts
		Downlink: MTTraffic{MeanInterval: 0, Bytes: 16}, // no server-initiated data
		PSM: PSMRequest{
			Enabled: true,                       // NB-IoT devices normally use PSM
			T3324:   Duration(10 * time.Second), // short active time after each exchange
			T3412:   Duration(24 * time.Hour),   // one periodic TAU a day
		},
		EDRX: EDRXRequest{
			Enabled: false,                              // PSM only
			Cycle:   Duration(20480 * time.Millisecond), // shortest NB-S1 eDRX cycle
			PTW:     Duration(2560 * time.Millisecond),  // shortest paging time window
		},
		RAI:      false,           // no release assistance
		DataPath: "control-plane", // CIoT control-plane optimisation, TS 23.401 §5.3.4B
		Power: Power{
			BaselineMW:         0.1,   // MCU and sensors asleep
			PSMMW:              0.011, // 3 µA at 3.6 V (module data sheets, PSM floor current)
			IdleSleepMW:        0.5,   // idle mode between paging occasions
			PagingOccasionMJ:   1.2,   // wake, synchronise, read NPDCCH once
			ReceiveMW:          194,   // 54 mA at 3.6 V, M5311 module receive current
			ConnectedMonitorMW: 80,    // connected, monitoring NPDCCH
			CDRXSleepMW:        3,     // connected, between C-DRX on-durations
			TxBaseMW:           100,   // transmit chain without the PA
			PAEfficiency:       0.45,  // power amplifier efficiency at 23 dBm

			TxModel:  "per-output-level", // the draw follows the output power
			TxFlatMW: defaultTxFlatMW,    // TR 45.820 §5.4: 500 mW transmitting (with tx_model flat)
		},
		Battery: Battery{
			CapacityMAh:          7700, // Li-SOCl2 C-size cell
			VoltageV:             3.6,  // Li-SOCl2 nominal voltage
			SelfDischargePerYear: 0.01, // Li-SOCl2: about 1 % a year
			UsableFraction:       0.9,  // capacity usable before cut-off
		},
	}
}

// defaultArrival is where an `arrivals:` section of a group starts: the
// TR 37.868 traffic model 2 (Beta(3,4) over 10 s).
func defaultArrival() Arrival {
	return Arrival{Model: "beta", Start: 0, Window: Duration(10 * time.Second)}
}

// defaultSizeDist is where a report's `uplink_size:` section starts: the
// TR 45.820 Annex E packet-size model (Pareto, alpha 2.5, 20 bytes minimum,
// capped at 200 bytes).
func defaultSizeDist() SizeDist {
	return SizeDist{Model: "pareto", Bytes: 50, MinBytes: 20, MaxBytes: 200, Alpha: 2.5}
}

// defaultBurst is where each entry of a group's `events:` list starts.
func defaultBurst() Burst {
	return Burst{At: 0, Window: Duration(10 * time.Second), Fraction: 1, Model: "uniform"}
}

// defaultTxFlatMW is the flat transmit draw of TR 45.820 §5.4 (500 mW),
// the default of groups.NAME.power.tx_flat_mw.
const defaultTxFlatMW = 500
