package scenarios

import (
	"math"
	"strconv"
)

// The scenario struct is the configuration: one field per YAML key, and
// Default() holds the one documented default for every field. A scenario file
// is decoded on top of Default(), so a file only names what it changes.
//
// Durations are written as Go durations or with a day suffix ("36h", "7d",
// "10.24s"); see Duration.

// Scenario is one simulation set-up.
type Scenario struct {
	// Name is the scenario's short name (file name without .yaml for shipped ones).
	Name string `yaml:"name" json:"name"`
	// Description is a one-line summary shown by `nbsim scenarios`.
	Description string `yaml:"description" json:"description"`
	// Seed selects the random streams; --seed overrides it.
	Seed uint64 `yaml:"seed" json:"seed"`
	// Duration is the simulated time.
	Duration Duration `yaml:"duration" json:"duration"`
	// Signalling is the core-network fidelity: "typed" (default).
	Signalling string `yaml:"signalling" json:"signalling"`

	Radio Radio `yaml:"radio" json:"radio"`
	// SiteList is the `sites:` list of explicit sites. It is ignored when
	// SiteLayout is set; use the Sites method, which resolves both.
	SiteList   []Site      `yaml:"sites" json:"sites"`
	SiteLayout *SiteLayout `yaml:"site_layout,omitempty" json:"site_layout,omitempty"`
	// SitesFile: the sites from a CSV of WGS84 positions (scenarios/geo.go),
	// relative to the scenario file; it replaces `sites:`.
	SitesFile string `yaml:"sites_file" json:"sites_file"`
	// SitesFileRows: only the first N rows of sites_file are sites (0 =
	// all): candidate sites in order of preference, what `nbsim capacity
	// --sites` varies. The frame's origin stays that of all rows.
	SitesFileRows int `yaml:"sites_file_rows" json:"sites_file_rows"`
	// Origin anchors the local frame (x east, y north, metres) on the
	// ground; with a sites_file and no origin, the sites' centroid.
	Origin       *Origin           `yaml:"origin,omitempty" json:"origin,omitempty"`
	RandomAccess RandomAccess      `yaml:"random_access" json:"random_access"`
	RRC          RRC               `yaml:"rrc" json:"rrc"`
	Core         Core              `yaml:"core" json:"core"`
	Groups       map[string]*Group `yaml:"groups" json:"groups"`
	// Partition splits the sites into spatial clusters that run in
	// parallel (nbsim run --workers) and group into shards (--shard).
	Partition Partition `yaml:"partition" json:"partition"`
	// Expect lists assertions on KPIs, e.g. "access_success_probability >= 0.99"
	// or "groups.collars.battery_years.p5 >= 5".
	Expect []string `yaml:"expect" json:"expect"`
}

// Partition is the spatial decomposition of the network (docs/model.md,
// Clusters): square tiles over the sites' bounding box, one cluster per
// tile with a site. It depends on the scenario only, never on the number
// of workers.
type Partition struct {
	// TileM is the tiles' side (metres); 0: TileISDs times the sites'
	// median nearest-neighbour distance (one cluster for a single site).
	TileM float64 `yaml:"tile_m" json:"tile_m"`
	// HaloM is a shard's halo (nbsim run --shard): the sites within this
	// distance (metres) of one of the region's sites are simulated but not
	// reported; 0: HaloISDs times the median nearest-neighbour distance.
	HaloM float64 `yaml:"halo_m" json:"halo_m"`
}

// HaloISDs is the default halo in inter-site distances: the first two
// rings of neighbour sites of a regular layout (at 1, √3 and 2).
const HaloISDs = 2

// TileISDs is the default tile side in inter-site distances.
const TileISDs = 3

// Radio holds the link-budget parameters shared by all cells.
type Radio struct {
	Band       string `yaml:"band" json:"band"`             // B3, B5, B8, B20, B28
	Deployment string `yaml:"deployment" json:"deployment"` // standalone, guard-band, in-band
	PathLoss   string `yaml:"pathloss" json:"pathloss"`     // urban-macro, rural-macro, free-space

	EnbTxPowerDbm     float64 `yaml:"enb_tx_power_dbm" json:"enb_tx_power_dbm"`
	EnbAntennaGainDbi float64 `yaml:"enb_antenna_gain_dbi" json:"enb_antenna_gain_dbi"`
	EnbCableLossDb    float64 `yaml:"enb_cable_loss_db" json:"enb_cable_loss_db"`
	EnbNoiseFigureDb  float64 `yaml:"enb_noise_figure_db" json:"enb_noise_figure_db"`
	EnbHeightM        float64 `yaml:"enb_height_m" json:"enb_height_m"`
	UeTxPowerDbm      float64 `yaml:"ue_tx_power_dbm" json:"ue_tx_power_dbm"` // Pcmax: 23 (class 3), 20 (class 5), 14 (class 6)
	UeNoiseFigureDb   float64 `yaml:"ue_noise_figure_db" json:"ue_noise_figure_db"`
	UeHeightM         float64 `yaml:"ue_height_m" json:"ue_height_m"`
	ShadowingStdDb    float64 `yaml:"shadowing_std_db" json:"shadowing_std_db"`
	// MaxCouplingLossDb: devices whose coupling loss to the best cell exceeds
	// it are out of coverage (counted, never silently dropped).
	MaxCouplingLossDb float64 `yaml:"max_coupling_loss_db" json:"max_coupling_loss_db"`
	// CERSRPThresholdsDbm: 0..2 descending NRSRP thresholds (TS 36.331
	// rsrp-ThresholdsPrachInfoList) separating CE0/CE1/CE2.
	CERSRPThresholdsDbm []float64 `yaml:"ce_rsrp_thresholds_dbm" json:"ce_rsrp_thresholds_dbm"`
	// NPRACHTargetPowerDbm: narrowbandPreambleReceivedTargetPower (TS 36.321 §5.1.3), CE0 power control.
	NPRACHTargetPowerDbm float64 `yaml:"nprach_target_power_dbm" json:"nprach_target_power_dbm"`
	// NPRACHRampStepDb: powerRampingStep (TS 36.331
	// PowerRampingParameters, dB0/dB2/dB4/dB6): CE0's target rises by it at
	// each preamble transmission (TS 36.321 §5.1.3).
	NPRACHRampStepDb float64 `yaml:"nprach_ramp_step_db" json:"nprach_ramp_step_db"`
	// NPUSCHP0Dbm / NPUSCHAlpha: NPUSCH open-loop power control (TS 36.213 §16.2.1.1).
	NPUSCHP0Dbm float64 `yaml:"npusch_p0_dbm" json:"npusch_p0_dbm"`
	NPUSCHAlpha float64 `yaml:"npusch_alpha" json:"npusch_alpha"`
	// TargetBLER for link adaptation of NPUSCH/NPDSCH.
	TargetBLER float64 `yaml:"target_bler" json:"target_bler"`
	// NeighbourInterference: whether uplink transmissions in other cells raise
	// the interference over thermal of a cell (noise rise). Default true.
	NeighbourInterference bool `yaml:"neighbour_interference" json:"neighbour_interference"`
	// CaptureThresholdDb: if > 0, a collided preamble/Msg3 whose strongest
	// signal exceeds the others by this margin is decoded (capture). 0 = off.
	CaptureThresholdDb float64 `yaml:"capture_threshold_db" json:"capture_threshold_db"`
	// ULSubcarrierSpacing: the NPUSCH subcarrier spacing the eNB grants in
	// the RAR (TS 36.213 §16.3.3, TS 36.211 §10.1): "15khz", "3.75khz"
	// (single tone only) or "adaptive" (link adaptation picks per
	// transmission).
	ULSubcarrierSpacing string `yaml:"ul_subcarrier_spacing" json:"ul_subcarrier_spacing"`
	// ULTones: NPUSCH tone allocations at 15 kHz (TS 36.213 Table
	// 16.5.1.1-1): "single", "multi" (3, 6, 12) or "adaptive".
	ULTones string `yaml:"ul_tones" json:"ul_tones"`
	// SyncTime: wake-up synchronisation and system-information acquisition
	// (NPSS/NSSS, MIB-NB, SIB1-NB, SIB2-NB) per CE level, CE0 first.
	SyncTime []Duration `yaml:"sync_time" json:"sync_time"`
	// Carriers: NB-IoT carriers of every cell, the anchor and Carriers-1
	// non-anchor carriers (TS 36.331 SystemInformationBlockType22-NB,
	// dl-ConfigList-r14 / ul-ConfigList-r14; at most
	// maxNonAnchorCarriers-NB-r14 = 15 non-anchor carriers).
	Carriers int `yaml:"carriers" json:"carriers"`
	// NPRACHProbabilityAnchor: nprach-ProbabilityAnchor-r14 (TS 36.331
	// NPRACH-ProbabilityAnchor-NB-r14), the probability that a preamble
	// goes to the anchor carrier's NPRACH (TS 36.321 §5.1.2): "equal"
	// (1/Carriers, every carrier alike) or one of AnchorProbabilities.
	NPRACHProbabilityAnchor string `yaml:"nprach_probability_anchor" json:"nprach_probability_anchor"`
	// PagingWeights: the paging weight of each carrier, anchor first
	// (TS 36.331 pagingWeightAnchor-r14, then each DL-ConfigCommon-NB-r14's
	// pagingWeight-r14: w1..w16), 0 for a carrier not used for paging;
	// empty = w1 for every carrier. TS 36.304 §7.1 spreads the devices
	// over the carriers by these weights.
	PagingWeights []int `yaml:"paging_weights" json:"paging_weights"`
}

// MaxCarriers is the anchor plus maxNonAnchorCarriers-NB-r14 = 15
// non-anchor carriers (TS 36.331 §6.7, multiplicity constants).
const MaxCarriers = 16

// AnchorProbabilities are the values of nprach-ProbabilityAnchor-r14
// (TS 36.331 NPRACH-ProbabilityAnchor-NB-r14: zero, oneSixteenth,
// oneFifteenth, ..., oneThird, oneHalf), as the scenario writes them.
var AnchorProbabilities = []string{"0", "1/16", "1/15", "1/14", "1/13", "1/12", "1/11", "1/10",
	"1/9", "1/8", "1/7", "1/6", "1/5", "1/4", "1/3", "1/2"}

// AnchorProbabilityValues are what radio.nprach_probability_anchor takes:
// "equal" and AnchorProbabilities.
var AnchorProbabilityValues = append([]string{"equal"}, AnchorProbabilities...)

// AnchorProbability is the probability of the anchor carrier's NPRACH:
// 1/Carriers for "equal" (or an empty value), else the value written
// (false when it is not one of AnchorProbabilities).
func (r *Radio) AnchorProbability() (float64, bool) {
	switch p := r.NPRACHProbabilityAnchor; p {
	case "", "equal":
		return 1 / float64(max(1, r.Carriers)), true
	case "0":
		return 0, true
	default:
		for _, a := range AnchorProbabilities[1:] {
			if p == a {
				d, _ := strconv.Atoi(a[2:])
				return 1 / float64(d), true
			}
		}
	}
	return 0, false
}

// PagingWeight is carrier k's paging weight W(k) (TS 36.304 §7.1): w1
// when radio.paging_weights is empty.
func (r *Radio) PagingWeight(k int) int {
	if len(r.PagingWeights) == 0 {
		return 1
	}
	return r.PagingWeights[k]
}

// Site is a base-station location with one or more sectors (cells).
type Site struct {
	Name    string  `yaml:"name" json:"name"`
	XM      float64 `yaml:"x_m" json:"x_m"`
	YM      float64 `yaml:"y_m" json:"y_m"`
	Sectors int     `yaml:"sectors" json:"sectors"` // 1 (omni) or 3
	// AzimuthDeg of the first sector; the others follow at 360/sectors.
	AzimuthDeg float64 `yaml:"azimuth_deg" json:"azimuth_deg"`
	// Azimuths, when set (a sites_file's azimuths column), are the
	// sectors' azimuths one by one instead; see SectorAzimuth.
	Azimuths []float64 `yaml:"-" json:"-"`
	// TiltDeg is a sites_file's tilt_deg: reported, not modelled (no
	// vertical antenna pattern, docs/model.md).
	TiltDeg float64 `yaml:"-" json:"-"`
}

// SectorAzimuth is the azimuth (degrees from north, clockwise, in [0,
// 360)) of sector k (0-based) of a site with sectors > 1.
func (s *Site) SectorAzimuth(k, sectors int) float64 {
	if k < len(s.Azimuths) {
		return s.Azimuths[k]
	}
	return math.Mod(s.AzimuthDeg+float64(k)*360/float64(sectors), 360)
}

// SiteLayout generates sites on a hexagonal grid instead of listing them.
type SiteLayout struct {
	Count   int     `yaml:"count" json:"count"`
	ISDM    float64 `yaml:"isd_m" json:"isd_m"` // inter-site distance
	Sectors int     `yaml:"sectors" json:"sectors"`
}

// RandomAccess configures the access procedure.
type RandomAccess struct {
	// Mode: "nbiot" (NPRACH, TS 36.321/36.331 NB-IoT) or "lte" (classic PRACH
	// with the TR 37.868 evaluation assumptions).
	Mode string `yaml:"mode" json:"mode"`
	// CollisionHandling: "contention" (one RAR per collided preamble, the
	// devices collide in Msg3 and fail contention resolution) or "undetected"
	// (collided preambles get no RAR, TR 37.868 assumption).
	CollisionHandling string `yaml:"collision_handling" json:"collision_handling"`
	// CE holds one NPRACH resource per CE level (1..3 entries), nbiot mode.
	CE []NPRACH `yaml:"ce" json:"ce"`
	// PreambleTransMaxCE: preambleTransMax-CE (TS 36.331 RACH-ConfigCommon-NB),
	// preamble transmissions over all CE levels before the access fails.
	PreambleTransMaxCE int `yaml:"preamble_trans_max_ce" json:"preamble_trans_max_ce"`
	// BackoffIndex: the Backoff Indicator the eNB sends in RARs (TS 36.321
	// Table 7.2-2 for NB-IoT, Table 7.2-1 for lte), 0..12.
	BackoffIndex int `yaml:"backoff_index" json:"backoff_index"`
	// RARProcessing: delay from the end of the preamble to the start of the RAR window.
	RARProcessing Duration `yaml:"rar_processing" json:"rar_processing"`
	// GrantsPerRAR: how many preambles one RAR can answer (per cell, per occasion).
	GrantsPerRAR int `yaml:"grants_per_rar" json:"grants_per_rar"`
	// MaxHARQMsg3Tx: maxHARQ-Msg3Tx (TS 36.331), 1..8.
	MaxHARQMsg3Tx int `yaml:"max_harq_msg3_tx" json:"max_harq_msg3_tx"`
	// MaxHARQMsg4Tx: HARQ transmissions of Msg4.
	MaxHARQMsg4Tx int `yaml:"max_harq_msg4_tx" json:"max_harq_msg4_tx"`
	// Barring: access class barring (TS 36.331 §5.3.3.11).
	Barring Barring `yaml:"barring" json:"barring"`
	// LTE holds the classic PRACH parameters used when Mode is "lte".
	LTE LTEPRACH `yaml:"lte" json:"lte"`
}

// NPRACH is one CE level's NPRACH resource and its access parameters
// (TS 36.331 NPRACH-Parameters-NB, RACH-Info-NB).
type NPRACH struct {
	Periodicity                  Duration `yaml:"periodicity" json:"periodicity"`                                         // 40ms..2560ms
	StartTime                    Duration `yaml:"start_time" json:"start_time"`                                           // 8ms..1024ms
	SubcarrierOffset             int      `yaml:"subcarrier_offset" json:"subcarrier_offset"`                             // 0,12,24,36,2,18,34
	NumSubcarriers               int      `yaml:"num_subcarriers" json:"num_subcarriers"`                                 // 12,24,36,48
	NumCBRAStart                 int      `yaml:"num_cbra_start_subcarriers" json:"num_cbra_start_subcarriers"`           // 0 = all
	RepetitionsPerAttempt        int      `yaml:"repetitions_per_attempt" json:"repetitions_per_attempt"`                 // 1..128
	MaxNumPreambleAttemptCE      int      `yaml:"max_num_preamble_attempt_ce" json:"max_num_preamble_attempt_ce"`         // 3..10
	NPDCCHNumRepetitionsRA       int      `yaml:"npdcch_num_repetitions_ra" json:"npdcch_num_repetitions_ra"`             // Rmax 1..2048
	NPDCCHStartSFCSSRA           float64  `yaml:"npdcch_start_sf_css_ra" json:"npdcch_start_sf_css_ra"`                   // G: 1.5..64
	NPDCCHOffsetRA               float64  `yaml:"npdcch_offset_ra" json:"npdcch_offset_ra"`                               // α_offset: 0, 1/8, 1/4, 3/8
	RAResponseWindowSize         int      `yaml:"ra_response_window_size" json:"ra_response_window_size"`                 // 2..10 PDCCH periods
	MacContentionResolutionTimer int      `yaml:"mac_contention_resolution_timer" json:"mac_contention_resolution_timer"` // 1..64 PDCCH periods
	Format                       int      `yaml:"format" json:"format"`                                                   // preamble format 0 or 1
	// NPUSCHMaxRepetitions / NPDSCHMaxRepetitions bound link adaptation at this CE level.
	NPUSCHMaxRepetitions int `yaml:"npusch_max_repetitions" json:"npusch_max_repetitions"`
	NPDSCHMaxRepetitions int `yaml:"npdsch_max_repetitions" json:"npdsch_max_repetitions"`
}

// Barring is access barring: a device draws a uniform number; if it is not
// below Factor the access is barred for (0.7 + 0.6·rand)·Time.
type Barring struct {
	Factor float64  `yaml:"factor" json:"factor"` // 0.00..0.95 step 0.05, or 1 = no barring
	Time   Duration `yaml:"time" json:"time"`     // 4s..512s
}

// LTEPRACH is the classic LTE PRACH set-up of TR 37.868 Table 6.2.2.1.3.
type LTEPRACH struct {
	Preambles      int      `yaml:"preambles" json:"preambles"`             // contention preambles per occasion (54)
	OccasionPeriod Duration `yaml:"occasion_period" json:"occasion_period"` // 5ms (prach-ConfigIndex 6)
	PreambleLength Duration `yaml:"preamble_length" json:"preamble_length"` // 1ms format 0
	RARWindow      Duration `yaml:"rar_window" json:"rar_window"`           // 5ms
	GrantsPerRAR   int      `yaml:"grants_per_rar" json:"grants_per_rar"`   // 3
	Backoff        Duration `yaml:"backoff" json:"backoff"`                 // 20ms
	MaxPreambleTx  int      `yaml:"max_preamble_tx" json:"max_preamble_tx"` // 10
	HARQErrorRate  float64  `yaml:"harq_error_rate" json:"harq_error_rate"` // 0.1 for Msg3 and Msg4
	MaxHARQTx      int      `yaml:"max_harq_tx" json:"max_harq_tx"`         // 5
	CRTimer        Duration `yaml:"cr_timer" json:"cr_timer"`               // 48ms
	// PreambleProcessing: end of the preamble → start of the RAR window
	// (TR 37.868: 2 subframes; TS 36.321 §5.1.4: the window starts 3
	// subframes after the subframe holding the preamble's end). Replaces
	// random_access.rar_processing in lte mode.
	PreambleProcessing Duration `yaml:"preamble_processing" json:"preamble_processing"`
	Msg3Delay          Duration `yaml:"msg3_delay" json:"msg3_delay"`       // RAR → Msg3 start: UE processing, 5 subframes (TS 36.213 §6.1.1: Msg3 in n+6)
	HARQRTT            Duration `yaml:"harq_rtt" json:"harq_rtt"`           // Msg3 HARQ round trip: 8 ms (FDD, TS 36.213 §8)
	Msg4Delay          Duration `yaml:"msg4_delay" json:"msg4_delay"`       // Msg3 end → Msg4 start: eNB processing, 4 subframes (TR 37.868)
	Msg4HARQRTT        Duration `yaml:"msg4_harq_rtt" json:"msg4_harq_rtt"` // Msg4 end → its retransmission's end: 5 subframes (TR 37.868)
}

// RRC configures connected mode.
type RRC struct {
	// InactivityTimer: the eNB releases the connection after this long without data.
	InactivityTimer Duration `yaml:"inactivity_timer" json:"inactivity_timer"`
	// HonourRAI: the network releases at once when the device signals RAI.
	HonourRAI bool `yaml:"honour_rai" json:"honour_rai"`
	// CDRX: connected-mode DRX while the inactivity timer runs (TS 36.321 §5.7).
	CDRX CDRX `yaml:"cdrx" json:"cdrx"`
	// DefaultPagingCycle: defaultPagingCycle of SIB2-NB (128..1024 radio frames → 1.28..10.24 s).
	DefaultPagingCycle Duration `yaml:"default_paging_cycle" json:"default_paging_cycle"`
	// NPDCCHNumRepetitionPaging: npdcch-NumRepetitionPaging-r13 of SIB2-NB's
	// PCCH-Config-NB (TS 36.331 §6.7.3.2, r1..r2048), the Rmax of the Type-1
	// common search space that carries paging DCIs (TS 36.213 §16.6).
	NPDCCHNumRepetitionPaging int `yaml:"npdcch_num_repetition_paging" json:"npdcch_num_repetition_paging"`
	// SignallingDelay: one-way eNB↔MME↔gateway processing/transport delay.
	SignallingDelay Duration `yaml:"signalling_delay" json:"signalling_delay"`
	// UEProcessing: time the UE takes to answer a downlink message.
	UEProcessing Duration `yaml:"ue_processing" json:"ue_processing"`
}

// CDRX is connected-mode DRX. With it off, the device monitors NPDCCH
// continuously until release.
type CDRX struct {
	Enabled bool `yaml:"enabled" json:"enabled"`
	// InactivityTimer: drx-InactivityTimer, continuous monitoring after the last activity.
	InactivityTimer Duration `yaml:"inactivity_timer" json:"inactivity_timer"`
	OnDuration      Duration `yaml:"on_duration" json:"on_duration"`
	Cycle           Duration `yaml:"cycle" json:"cycle"`
}

// Core configures the (message-level) EPC.
type Core struct {
	// PSM / EDRX: how the MME answers the devices' requests.
	PSM  TimerPolicy `yaml:"psm" json:"psm"`
	EDRX TimerPolicy `yaml:"edrx" json:"edrx"`
	// MTBufferTime: how long mobile-terminated data waits for an unreachable device.
	MTBufferTime Duration `yaml:"mt_buffer_time" json:"mt_buffer_time"`
	// MTBufferPackets: at most this many packets are held per device.
	MTBufferPackets int `yaml:"mt_buffer_packets" json:"mt_buffer_packets"`
	// ServerDelay: application-server turn-around for replies.
	ServerDelay Duration `yaml:"server_delay" json:"server_delay"`
	// AttachRoundTrips: NAS round trips of an attach (auth, SMC, accept/complete).
	AttachRoundTrips int `yaml:"attach_round_trips" json:"attach_round_trips"`
	// NATTimeout: nbsim emulate's NAT at SGi forgets a binding without
	// uplink for this long (0: never; emulate/nat.go).
	NATTimeout Duration `yaml:"nat_timeout" json:"nat_timeout"`
}

// TimerPolicy says how the network grants a requested timer:
// "grant" (as requested), "clamp" (into [Min, Max]) or "refuse".
type TimerPolicy struct {
	Policy string   `yaml:"policy" json:"policy"`
	Min    Duration `yaml:"min" json:"min"`
	Max    Duration `yaml:"max" json:"max"`
	// For PSM the range applies to T3324; T3412Min/Max clamp the periodic TAU.
	T3412Min Duration `yaml:"t3412_min" json:"t3412_min"`
	T3412Max Duration `yaml:"t3412_max" json:"t3412_max"`
}

// Group is a population of identical devices.
type Group struct {
	Count int `yaml:"count" json:"count"`
	// Placement of the devices.
	Placement Placement `yaml:"placement" json:"placement"`
	// Coverage: the devices' coupling loss from planning data instead of
	// geometry (nil = from placement and path loss).
	Coverage *Coverage `yaml:"coverage,omitempty" json:"coverage,omitempty"`
	// PenetrationLossDb: mean building/body loss; PenetrationStdDb its spread.
	PenetrationLossDb float64 `yaml:"penetration_loss_db" json:"penetration_loss_db"`
	PenetrationStdDb  float64 `yaml:"penetration_std_db" json:"penetration_std_db"`
	AntennaGainDbi    float64 `yaml:"antenna_gain_dbi" json:"antenna_gain_dbi"`
	// InitiallyAttached: devices start registered (attached, in PSM or idle);
	// otherwise they power on during PowerOn and attach.
	InitiallyAttached bool    `yaml:"initially_attached" json:"initially_attached"`
	PowerOn           Arrival `yaml:"power_on" json:"power_on"`
	Report            Report  `yaml:"report" json:"report"`
	// Arrivals: one-shot access arrivals (literature models), in addition to reports.
	Arrivals *Arrival `yaml:"arrivals,omitempty" json:"arrivals,omitempty"`
	// Events: alarm storms etc.
	Events []Burst `yaml:"events" json:"events"`
	// Downlink: server-initiated (mobile-terminated) data.
	Downlink MTTraffic   `yaml:"downlink" json:"downlink"`
	PSM      PSMRequest  `yaml:"psm" json:"psm"`
	EDRX     EDRXRequest `yaml:"edrx" json:"edrx"`
	// RAI: the device sends release assistance with its last packet.
	RAI bool `yaml:"rai" json:"rai"`
	// DataPath: "control-plane" (data over NAS, CIoT CP optimisation) or "user-plane".
	DataPath string  `yaml:"data_path" json:"data_path"`
	Power    Power   `yaml:"power" json:"power"`
	Battery  Battery `yaml:"battery" json:"battery"`
}

// Placement places devices around a site.
type Placement struct {
	// Shape: "disc" (uniform in a disc of RadiusM), "ring" (uniform distance in
	// [MinM, MaxM]), "rectangle" (WidthM × HeightM), "area" (uniform over the
	// bounding box of all sites plus MarginM), "per-site" (an equal share of
	// the group around every site, uniform in a disc of RadiusM: the same load
	// on every site of a large layout).
	Shape   string  `yaml:"shape" json:"shape"`
	Site    string  `yaml:"site" json:"site"` // centre: a site name; "" = first site
	RadiusM float64 `yaml:"radius_m" json:"radius_m"`
	MinM    float64 `yaml:"min_m" json:"min_m"`
	MaxM    float64 `yaml:"max_m" json:"max_m"`
	WidthM  float64 `yaml:"width_m" json:"width_m"`
	HeightM float64 `yaml:"height_m" json:"height_m"`
	MarginM float64 `yaml:"margin_m" json:"margin_m"`
	// OffsetXM/OffsetYM move the centre from the site.
	OffsetXM float64 `yaml:"offset_x_m" json:"offset_x_m"`
	OffsetYM float64 `yaml:"offset_y_m" json:"offset_y_m"`
	// File: shape "csv", a CSV of per-device x_m,y_m (metres in the sites'
	// frame), relative to the scenario file. Points holds its rows once
	// Parse or Load has read it.
	File   string  `yaml:"file" json:"file"`
	Points []Point `yaml:"-" json:"-"`
}

// Point is one device position of a placement CSV.
type Point struct{ XM, YM float64 }

// Coverage gives a group's coupling loss from planning data: exactly one
// of CouplingLossDb (> 0), Distribution, CDF or CSV.
type Coverage struct {
	// CouplingLossDb: every device at this coupling loss to its serving cell.
	CouplingLossDb float64 `yaml:"coupling_loss_db" json:"coupling_loss_db"`
	// Distribution: a table of losses and their shares (summing to 1), drawn per device.
	Distribution []LossShare `yaml:"coupling_loss_distribution" json:"coupling_loss_distribution"`
	// CDF: points of the cumulative distribution of the loss (ascending
	// loss and probability, the last probability 1), interpolated linearly.
	CDF []LossProb `yaml:"coupling_loss_cdf" json:"coupling_loss_cdf"`
	// CSV: a file of per-device rows (coupling_loss_db or rsrp_dbm, and an
	// optional cell), relative to the scenario file. Rows holds them once
	// Parse or Load has read it.
	CSV  string        `yaml:"coupling_loss_csv" json:"coupling_loss_csv"`
	Rows []CoverageRow `yaml:"-" json:"-"`
}

// LossShare is one row of a coupling-loss table.
type LossShare struct {
	LossDb float64 `yaml:"loss_db" json:"loss_db"`
	Share  float64 `yaml:"share" json:"share"`
}

// LossProb is one point of a coupling-loss CDF: P(loss <= LossDb) = P.
type LossProb struct {
	LossDb float64 `yaml:"loss_db" json:"loss_db"`
	P      float64 `yaml:"p" json:"p"`
}

// CoverageRow is one device of a coverage CSV: its coupling loss (from the
// file's coupling_loss_db, or from rsrp_dbm and the eNB power) and its
// serving cell's name ("" = the group's site's first cell).
type CoverageRow struct {
	LossDb  float64
	RSRPDbm float64
	RSRP    bool // the row gave RSRP, not coupling loss
	Cell    string
	Line    int // the row's line in the file
}

// Arrival is a one-shot arrival process: each device arrives once within Window.
type Arrival struct {
	// Model: "uniform" or "beta" (Beta(3,4), TR 37.868) or "at-once".
	Model  string   `yaml:"model" json:"model"`
	Start  Duration `yaml:"start" json:"start"`
	Window Duration `yaml:"window" json:"window"`
}

// Report is the periodic uplink report.
type Report struct {
	Period Duration `yaml:"period" json:"period"` // 0 = no periodic reports
	// Phase: "staggered" (random offset uniform in StaggerWindow) or
	// "synchronised" (all at multiples of Period, plus Jitter).
	Phase         string   `yaml:"phase" json:"phase"`
	StaggerWindow Duration `yaml:"stagger_window" json:"stagger_window"`
	// Jitter: uniform random delay in [0, Jitter] added to each report.
	Jitter      Duration `yaml:"jitter" json:"jitter"`
	UplinkBytes int      `yaml:"uplink_bytes" json:"uplink_bytes"`
	// UplinkSize: the payload drawn per report from a distribution instead
	// of UplinkBytes (nil = UplinkBytes).
	UplinkSize       *SizeDist `yaml:"uplink_size,omitempty" json:"uplink_size,omitempty"`
	ReplyProbability float64   `yaml:"reply_probability" json:"reply_probability"`
	ReplyBytes       int       `yaml:"reply_bytes" json:"reply_bytes"`
}

// SizeDist is a packet-size distribution: "fixed" (Bytes), "uniform"
// (integers MinBytes..MaxBytes) or "pareto" (MinBytes / U^(1/Alpha),
// capped at MaxBytes: the TR 45.820 Annex E packet-size model).
type SizeDist struct {
	Model    string  `yaml:"model" json:"model"`
	Bytes    int     `yaml:"bytes" json:"bytes"`
	MinBytes int     `yaml:"min_bytes" json:"min_bytes"`
	MaxBytes int     `yaml:"max_bytes" json:"max_bytes"`
	Alpha    float64 `yaml:"alpha" json:"alpha"`
}

// Burst makes Fraction of the group send one extra report within Window from At.
type Burst struct {
	At       Duration `yaml:"at" json:"at"`
	Window   Duration `yaml:"window" json:"window"`
	Fraction float64  `yaml:"fraction" json:"fraction"`
	Model    string   `yaml:"model" json:"model"` // uniform (default) or beta
}

// MTTraffic is server-initiated downlink: Poisson with mean interval MeanInterval (0 = none).
type MTTraffic struct {
	MeanInterval Duration `yaml:"mean_interval" json:"mean_interval"`
	Bytes        int      `yaml:"bytes" json:"bytes"`
}

// PSMRequest is what the device asks for (TS 24.301 T3324/T3412 extended).
type PSMRequest struct {
	Enabled bool     `yaml:"enabled" json:"enabled"`
	T3324   Duration `yaml:"t3324" json:"t3324"` // active time
	T3412   Duration `yaml:"t3412" json:"t3412"` // periodic TAU
}

// EDRXRequest is the requested eDRX cycle and paging time window.
type EDRXRequest struct {
	Enabled bool     `yaml:"enabled" json:"enabled"`
	Cycle   Duration `yaml:"cycle" json:"cycle"` // 20.48s .. 10485.76s
	PTW     Duration `yaml:"ptw" json:"ptw"`     // 2.56s .. 40.96s
}

// Power is the device's power draw per state, in milliwatts.
type Power struct {
	BaselineMW  float64 `yaml:"baseline_mw" json:"baseline_mw"`     // MCU + sensors, always on
	PSMMW       float64 `yaml:"psm_mw" json:"psm_mw"`               // radio in PSM
	IdleSleepMW float64 `yaml:"idle_sleep_mw" json:"idle_sleep_mw"` // between paging occasions
	// PagingOccasionMJ: energy to wake for one paging occasion and read NPDCCH.
	PagingOccasionMJ float64 `yaml:"paging_occasion_mj" json:"paging_occasion_mj"`
	ReceiveMW        float64 `yaml:"receive_mw" json:"receive_mw"`
	// ConnectedMonitorMW: connected mode, monitoring NPDCCH with nothing to receive.
	ConnectedMonitorMW float64 `yaml:"connected_monitor_mw" json:"connected_monitor_mw"`
	// CDRXSleepMW: connected mode between C-DRX on-durations.
	CDRXSleepMW float64 `yaml:"cdrx_sleep_mw" json:"cdrx_sleep_mw"`
	// Transmit power draw: TxBaseMW + output power / PAEfficiency.
	TxBaseMW     float64 `yaml:"tx_base_mw" json:"tx_base_mw"`
	PAEfficiency float64 `yaml:"pa_efficiency" json:"pa_efficiency"`
	// TxModel: "per-output-level" (the draw above, at the actual output
	// power) or "flat" (TxFlatMW whatever the output power, as TR 45.820
	// §5.4 assumes).
	TxModel  string  `yaml:"tx_model" json:"tx_model"`
	TxFlatMW float64 `yaml:"tx_flat_mw" json:"tx_flat_mw"`
}

// Battery is the energy store.
type Battery struct {
	CapacityMAh float64 `yaml:"capacity_mah" json:"capacity_mah"`
	VoltageV    float64 `yaml:"voltage_v" json:"voltage_v"`
	// SelfDischargePerYear: fraction of nominal capacity lost per year.
	SelfDischargePerYear float64 `yaml:"self_discharge_per_year" json:"self_discharge_per_year"`
	// UsableFraction: share of nominal capacity usable before cut-off.
	UsableFraction float64 `yaml:"usable_fraction" json:"usable_fraction"`
}
