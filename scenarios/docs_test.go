package scenarios

import (
	"flag"
	"fmt"
	"os"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/nbsim/nbsim/mac"
)

// go test ./scenarios/ -run TestDocs -update rewrites the generated parts
// of docs/scenarios.md (the key tables and the list of shipped scenarios).
var update = flag.Bool("update", false, "rewrite the generated parts of docs/scenarios.md")

const docsPath = "../docs/scenarios.md"

// keyDoc is the hand-written part of one key's documentation; type and
// default come from the struct and Default().
type keyDoc struct {
	allowed string
	meaning string
}

var (
	msPeriodicities = fmtDurs(mac.NPRACHPeriodicities)
	msStartTimes    = fmtDurs(mac.NPRACHStartTimes)
)

// keyDocs documents every key. TestDocs fails when a key of the struct is
// missing here (or a key here no longer exists).
var keyDocs = map[string]keyDoc{
	"name":        {"", "Short name; empty = the file name without .yaml."},
	"description": {"", "One-line summary, shown in the list of shipped scenarios."},
	"seed":        {"0..2^64-1", "Seed of all random streams; `--seed` overrides it. The same seed and scenario give the same results."},
	"duration":    {"> 0, at most 400d", "Simulated time."},
	"signalling":  {strings.Join(SignallingModes, ", "), "Core-network fidelity: `typed` sizes messages from tables; `encoded` builds, protects, encodes and parses every NAS message with the real MME and device state machines (user-plane data itself is sized as in typed: it takes S1-U; see docs/results.md, Signalling)."},
	"expect":      {"`PATH OP NUMBER`, OP one of `< <= > >= == !=`", "Assertions on the results, checked after the run (see Expectations)."},

	"radio.band":                    {strings.Join(Bands, ", "), "E-UTRA operating band (TS 36.101 §5.5F): sets the carrier frequency for path loss."},
	"radio.deployment":              {strings.Join(Deployments, ", "), "NB-IoT operation mode (TS 36.300 §5.5a)."},
	"radio.pathloss":                {strings.Join(PathLossModels, ", "), "Path-loss model: macro models of TR 36.942 §4.5 / TR 45.820 Annex, or free space."},
	"radio.enb_tx_power_dbm":        {"", "eNB transmit power of the NB-IoT carrier (TR 45.820 Table 5.1-1: 43 dBm standalone)."},
	"radio.enb_antenna_gain_dbi":    {"", "eNB antenna gain (TR 36.942: 15 dBi macro)."},
	"radio.enb_cable_loss_db":       {">= 0", "eNB feeder/cable loss."},
	"radio.enb_noise_figure_db":     {">= 0", "eNB receiver noise figure. The default is phy.DefaultENBNoiseFigureDb, the value the link model's coverage check uses too (docs/model.md, Noise figure)."},
	"radio.enb_height_m":            {"> 0", "eNB antenna height."},
	"radio.ue_tx_power_dbm":         {"-30..33", "UE maximum output power Pcmax: 23 (power class 3), 20 (class 5), 14 (class 6), TS 36.101 §6.2.2F."},
	"radio.ue_noise_figure_db":      {">= 0", "UE receiver noise figure (TR 45.820: 5 dB)."},
	"radio.ue_height_m":             {"> 0", "UE antenna height."},
	"radio.shadowing_std_db":        {">= 0", "Standard deviation of log-normal shadowing (TR 45.820 / TR 36.942: 8 dB)."},
	"radio.max_coupling_loss_db":    {"> 0", "Devices whose coupling loss to the best cell exceeds this are out of coverage; they are counted, not dropped (TR 45.820: 164 dB)."},
	"radio.ce_rsrp_thresholds_dbm":  {"one fewer than CE levels, strictly descending, -140..-44", "NRSRP thresholds between CE0/CE1/CE2, rsrp-ThresholdsPrachInfoList (TS 36.331 §6.7.3.2, TS 36.321 §5.1.1)."},
	"radio.nprach_target_power_dbm": {"-120, -118, ..., -90", "preambleInitialReceivedTargetPower for CE0 open-loop power control (TS 36.321 §5.1.3, TS 36.213 §16.3.1); CE1/CE2 transmit at full power."},
	"radio.nprach_ramp_step_db":     {fmtFloats(NPRACHPowerRampingStepsDb), "powerRampingStep (TS 36.331 PowerRampingParameters): CE0's preamble target power rises by it at each transmission (TS 36.321 §5.1.3); CE1/CE2 transmit at full power. TS 36.331 has no default: dB2 is a common setting."},
	"radio.npusch_p0_dbm":           {"integers -126..24", "p0-NominalNPUSCH (TS 36.213 §16.2.1.1, TS 36.331 UplinkPowerControlCommon-NB)."},
	"radio.npusch_alpha":            {fmtFloats(NPUSCHAlphas), "alpha: path-loss compensation of NPUSCH power control (TS 36.213 §16.2.1.1)."},
	"radio.target_bler":             {"between 0 and 1", "First-transmission BLER target of link adaptation (repetitions and MCS) on NPUSCH/NPDSCH."},
	"radio.neighbour_interference":  {"true, false", "Uplink transmissions in other cells raise a cell's interference over thermal (noise rise)."},
	"radio.capture_threshold_db":    {">= 0", "If > 0, a collided preamble or Msg3 whose strongest signal exceeds the sum of the others by this margin is decoded (capture). 0 = off."},
	"radio.ul_subcarrier_spacing":   {strings.Join(ULSubcarrierSpacings, ", "), "NPUSCH subcarrier spacing the eNB grants (TS 36.213 §16.3.3, TS 36.211 §10.1): `15khz`; `3.75khz`, single tone only, 4× the power spectral density for 4× longer resource units (32 ms); `adaptive`, link adaptation picks per transmission. A 3.75 kHz tone takes a quarter of a 15 kHz lane (docs/model.md, Capacity)."},
	"radio.ul_tones":                {strings.Join(ULToneModes, ", "), "NPUSCH tones at 15 kHz (TS 36.213 Table 16.5.1.1-1): `single` (1 tone, as a UE without multiTone-r13), `multi` (3, 6 or 12 tones), `adaptive` (link adaptation picks). `multi` with `3.75khz` is refused."},
	"radio.sync_time":               {"1..3 durations 0s..1m, at least one per CE level", "Wake-up synchronisation and system-information acquisition (NPSS/NSSS, MIB-NB, SIB1-NB, SIB2-NB) before an access from PSM or power-on, per CE level (CE0 first): a receive interval. Default 0.4, 1.2, 3.6 s: an estimate, see docs/model.md (Random access)."},

	"radio.carriers":                  {"1..16", "NB-IoT carriers of every cell: the anchor and up to 15 non-anchor carriers (TS 36.331 SystemInformationBlockType22-NB dl-ConfigList-r14 / ul-ConfigList-r14, maxNonAnchorCarriers-NB-r14 = 15). Every carrier has the anchor's NPRACH configuration; a non-anchor downlink carries no NPSS/NSSS/NPBCH/SIB1-NB. Every cell uses the same carrier frequencies (reuse 1). See docs/model.md, Multi-carrier. NB-IoT random access only."},
	"radio.nprach_probability_anchor": {strings.Join(AnchorProbabilityValues, ", "), "nprach-ProbabilityAnchor-r14 (TS 36.331 NPRACH-ProbabilityAnchor-NB-r14): each preamble goes to the anchor carrier's NPRACH with this probability, else to one of the non-anchor carriers with equal probability (TS 36.321 §5.1.2). `equal` is 1/carriers. Anything but `equal` needs radio.carriers ≥ 2."},
	"radio.paging_weights":            {"empty, or one per carrier of 0..16, not all 0", "Paging weight of each carrier, anchor first (TS 36.331 pagingWeightAnchor-r14, pagingWeight-r14: w1..w16; 0 = the carrier is not used for paging). TS 36.304 §7.1 gives each device the paging carrier from its UE_ID and the weights. Empty = w1 on every carrier."},

	"sites":               {"1 or more entries, unique names", "Explicit base-station sites. Ignored when `site_layout` is given. An entry past the default list starts from `sectors: 3`; name and position must be given."},
	"sites.N.name":        {"non-empty, unique", "Site name, referenced by `groups.NAME.placement.site`. The first default site is `site1`."},
	"sites.N.x_m":         {"", "Position east of the origin, metres."},
	"sites.N.y_m":         {"", "Position north of the origin, metres."},
	"sites.N.sectors":     {"1, 3", "Cells of the site: 1 (omni) or 3 sectors."},
	"sites.N.azimuth_deg": {"", "Azimuth of the first sector; the others follow at 360/sectors degrees."},

	"partition.halo_m": {">= 0", "A shard's halo (`nbsim run --shard i/N`, docs/scale.md): the sites within this distance (metres) of one of the shard's own sites are simulated with their devices, so that their uplink interferes with the shard's cells as in the whole run, but not reported. 0 = 2 × the sites' median nearest-neighbour distance: the first two rings of sites around the region, whose devices make 99.5 % of the interference the region's cells receive from beyond the region on scale-1m and country-10m (the first ring alone: 95 %; docs/scale.md)."},
	"partition.tile_m": {">= 0", "Spatial clusters (docs/model.md, Clusters): the sites split into square tiles of this side (metres), one cluster per tile with a site; `nbsim run --workers` runs the clusters in parallel, `--shard` groups them into regions. Within a cluster the model is exact; between clusters interference crosses at window boundaries, one window late. 0 = 3 × the sites' median nearest-neighbour distance (the inter-site distance of a `site_layout`). A scenario whose sites fit one tile runs as one cluster, exactly as without clusters. Results depend on it, never on the number of workers."},

	"sites_file":      {"a CSV file", "Sites from a CSV of WGS84 positions, relative to the scenario file (see [Sites from a CSV](#sites-from-a-csv) for its columns): they replace `sites` (giving both, or `site_layout`, is refused), projected on the local frame centred on `origin`. The model has one eNB height, power and band: rows that give `height_m`, `tx_power_dbm` or `band` must agree, and set `radio.enb_height_m`, `radio.enb_tx_power_dbm`, `radio.band` (a different value given in the scenario too is refused)."},
	"sites_file_rows": {"0 (all) or 1..rows of sites_file", "Only the first N rows of `sites_file` are sites: candidate sites in order of preference, what `nbsim capacity --sites` varies. The frame's origin (without `origin`) stays the centroid of every row, so positions do not move with N."},
	"origin":          {"absent or a mapping", "The WGS84 anchor of the local frame (x east, y north, metres; PROJ's azimuthal equidistant projection centred on it): lets placement CSVs give `lat`,`lon` and makes cells.geojson and devices.geojson WGS84. Without it, a `sites_file` sets it to the sites' centroid (mean latitude and longitude, to 1e-7°); without either, the GeoJSON files are in the local frame (docs/results.md)."},
	"origin.lat":      {"-89..89", "Latitude of the origin, degrees (WGS84)."},
	"origin.lon":      {"-180..180", "Longitude of the origin, degrees (WGS84)."},

	"site_layout":         {"absent or a mapping", "Generate sites on a hexagonal grid instead of listing them: site1 at the origin, then ring 1 (6 sites), ring 2 (12 sites)… named site1..siteN. When given, `sites` is ignored."},
	"site_layout.count":   {"1..100000", "Number of sites."},
	"site_layout.isd_m":   {"> 0", "Inter-site distance, metres (TR 45.820 / TR 36.888: 1732 m)."},
	"site_layout.sectors": {"1, 3", "Sectors of every site."},

	"random_access.mode":                                 {strings.Join(AccessModes, ", "), "`nbiot`: NPRACH with CE levels (TS 36.321 §5.1, TS 36.331 NB-IoT); `lte`: one classic PRACH with the TR 37.868 assumptions (`random_access.lte`)."},
	"random_access.collision_handling":                   {strings.Join(CollisionHandlings, ", "), "`contention`: a collided preamble gets one RAR and the devices collide in Msg3, failing contention resolution; `undetected`: collided preambles get no RAR (TR 37.868 §6.2.2)."},
	"random_access.ce":                                   {"1 to 3 levels", "NPRACH resource and access parameters per CE level (TS 36.331 NPRACH-Parameters-NB, RACH-Info-NB). A file's list entry N starts from the default CE level N, so `ce: [{periodicity: 40ms}]` changes one field of CE0 (and leaves one CE level)."},
	"random_access.ce.N.periodicity":                     {msPeriodicities, "nprach-Periodicity (TS 36.331 §6.7.3.2)."},
	"random_access.ce.N.start_time":                      {msStartTimes, "nprach-StartTime: offset of the NPRACH within each period. start_time + repetitions × preamble length (5.6 ms format 0, 6.4 ms format 1, TS 36.211 §10.1.6) must fit in the period."},
	"random_access.ce.N.subcarrier_offset":               {fmtInts(mac.NPRACHSubcarrierOffsets), "nprach-SubcarrierOffset. Levels must not overlap in subcarriers, and offset + num_subcarriers ≤ 48."},
	"random_access.ce.N.num_subcarriers":                 {fmtInts(mac.NPRACHNumSubcarriers), "nprach-NumSubcarriers: preambles (start subcarriers) of the level."},
	"random_access.ce.N.num_cbra_start_subcarriers":      {"0 or " + fmtInts(mac.NPRACHNumCBRAStartSubcarriers) + "; at most num_subcarriers", "nprach-NumCBRA-StartSubcarriers: preambles for contention-based access; 0 = all."},
	"random_access.ce.N.repetitions_per_attempt":         {fmtInts(mac.NPRACHRepetitionsPerAttempt), "numRepetitionsPerPreambleAttempt."},
	"random_access.ce.N.max_num_preamble_attempt_ce":     {fmtInts(mac.MaxNumPreambleAttemptCE), "maxNumPreambleAttemptCE: attempts at this level before moving to the next (TS 36.321 §5.1.4)."},
	"random_access.ce.N.npdcch_num_repetitions_ra":       {fmtInts(mac.NPDCCHNumRepetitionsRA), "npdcch-NumRepetitions-RA (Rmax) of the Type-2 common search space."},
	"random_access.ce.N.npdcch_start_sf_css_ra":          {fmtFloats(mac.NPDCCHStartSFCSSRA), "npdcch-StartSF-CSS-RA (G); the search-space period is Rmax·G ms (TS 36.213 §16.6)."},
	"random_access.ce.N.npdcch_offset_ra":                {fmtFloats(mac.NPDCCHOffsetRA), "npdcch-Offset-RA (α_offset): the search space's periods start where the subframe number mod Rmax·G is α_offset·Rmax·G (TS 36.213 §16.6). A DCI of R repetitions starts at one of the Rmax/R candidates R subframes apart from there. The UE-specific search space of connected devices uses the level's Rmax, G and offset too (npdcch-ConfigDedicated-NB takes the same value sets)."},
	"random_access.ce.N.ra_response_window_size":         {fmtInts(mac.RAResponseWindowSizes), "ra-ResponseWindowSize in search-space periods (TS 36.321 §5.1.4)."},
	"random_access.ce.N.mac_contention_resolution_timer": {fmtInts(mac.MacContentionResolutionTimers), "mac-ContentionResolutionTimer in search-space periods (TS 36.321 §5.1.5)."},
	"random_access.ce.N.format":                          {"0, 1", "NPRACH preamble format: 0 (66.7 µs CP) or 1 (266.7 µs CP), TS 36.211 §10.1.6.1."},
	"random_access.ce.N.npusch_max_repetitions":          {fmtInts(NPUSCHMaxRepetitions), "Upper bound of NPUSCH repetitions for link adaptation at this level (TS 36.213 Table 16.5.1.1-3)."},
	"random_access.ce.N.npdsch_max_repetitions":          {fmtInts(NPDSCHMaxRepetitions), "Upper bound of NPDSCH repetitions for link adaptation at this level (TS 36.213 Table 16.4.1.3-2)."},
	"random_access.preamble_trans_max_ce":                {fmtInts(mac.PreambleTransMaxCE) + "; evaluation-only " + fmtInts(PreambleTransMaxEvaluationOnly), "preambleTransMax-CE: preamble transmissions over all CE levels before the access fails (TS 36.321 §5.1.4). 3..200 are TS 36.331 PreambleTransMax values (n3..n200); 1 (single-shot access) and 2 are evaluation-only: no network can signal them, and a run using one prints an `evaluation_only:` note."},
	"random_access.backoff_index":                        {"0..12", "Backoff Indicator the eNB sends in RARs: NB-IoT TS 36.321 Table 7.2-2 (index 2 = 512 ms, 5 = 4.096 s, 12 = 524.288 s); legacy Table 7.2-1 in `lte` mode."},
	"random_access.rar_processing":                       {">= 0", "Delay from the end of the preamble to the start of the RAR window (`nbiot` mode; `lte` mode uses `random_access.lte.preamble_processing`)."},
	"random_access.grants_per_rar":                       {">= 1", "Preambles one RAR can answer per cell and NPRACH occasion."},
	"random_access.max_harq_msg3_tx":                     {"1..8", "maxHARQ-Msg3Tx (TS 36.331 RACH-ConfigCommon-NB)."},
	"random_access.max_harq_msg4_tx":                     {"1..8", "HARQ transmissions of Msg4."},
	"random_access.barring.factor":                       {fmtFloats(mac.ACBarringFactors), "ac-BarringFactor: a device draws a uniform number and is barred unless it is below the factor; 1 = no barring (TS 36.331 §5.3.3.11)."},
	"random_access.barring.time":                         {fmtDurs(mac.ACBarringTimes), "ac-BarringTime: a barred device waits (0.7 + 0.6·rand)·time."},
	"random_access.lte.preambles":                        {"1..64", "Contention-based preambles per PRACH occasion (TR 37.868: 54)."},
	"random_access.lte.occasion_period":                  {"> 0", "PRACH occasion period (prach-ConfigIndex 6: 5 ms)."},
	"random_access.lte.preamble_length":                  {"> 0, at most occasion_period", "Preamble duration (format 0: 1 ms)."},
	"random_access.lte.rar_window":                       {fmtDurs(LTERARWindows), "ra-ResponseWindowSize (TS 36.331 RACH-ConfigCommon)."},
	"random_access.lte.grants_per_rar":                   {">= 1", "UL grants per RAR (TR 37.868: 3)."},
	"random_access.lte.backoff":                          {">= 0", "Backoff after a failed attempt (TR 37.868: 20 ms)."},
	"random_access.lte.max_preamble_tx":                  {fmtInts(mac.PreambleTransMaxCE) + "; evaluation-only " + fmtInts(PreambleTransMaxEvaluationOnly), "preambleTransMax (TR 37.868: 10); 1 and 2 are evaluation-only, as for preamble_trans_max_ce."},
	"random_access.lte.harq_error_rate":                  {"0..1", "HARQ error probability of Msg3 and Msg4 (TR 37.868: 10 %)."},
	"random_access.lte.max_harq_tx":                      {"1..8", "HARQ transmissions of Msg3/Msg4 (TR 37.868: 5)."},
	"random_access.lte.cr_timer":                         {fmtDurs(LTECRTimers), "mac-ContentionResolutionTimer (TR 37.868: 48 ms)."},
	"random_access.lte.preamble_processing":              {">= 0", "End of the preamble to the start of the RAR window (TR 37.868: 2 subframes; TS 36.321 §5.1.4: the window starts 3 subframes after the subframe holding the preamble's end). Used instead of `random_access.rar_processing` in `lte` mode."},
	"random_access.lte.msg3_delay":                       {">= 0", "RAR to Msg3 delay (UE processing, 5 subframes: Msg3 in subframe n+6 after a RAR in n, TS 36.213 §6.1.1)."},
	"random_access.lte.harq_rtt":                         {"> 0", "HARQ round-trip time of Msg3 (FDD: 8 ms, TS 36.213 §8)."},
	"random_access.lte.msg4_delay":                       {">= 0", "End of Msg3 to the start of Msg4: eNB processing (TR 37.868: 4 subframes)."},
	"random_access.lte.msg4_harq_rtt":                    {"> 0", "End of a Msg4 transmission to the end of its retransmission (TR 37.868: 5 subframes)."},

	"rrc.inactivity_timer":             {">= 0", "The eNB releases the RRC connection after this long without data."},
	"rrc.honour_rai":                   {"true, false", "The network releases the connection at once when the device signals release assistance (TS 36.321 §6.1.3.10 RAI, TS 24.301 §9.9.4.25)."},
	"rrc.cdrx.enabled":                 {"true, false", "Connected-mode DRX while the inactivity timer runs (TS 36.321 §5.7); off = continuous NPDCCH monitoring until release."},
	"rrc.cdrx.inactivity_timer":        {">= 0", "drx-InactivityTimer: continuous monitoring after the last activity."},
	"rrc.cdrx.on_duration":             {"> 0, shorter than the cycle", "onDurationTimer."},
	"rrc.cdrx.cycle":                   {fmtDurs(CDRXCycles), "drx-Cycle (TS 36.331 DRX-Config-NB, sf256..sf9216)."},
	"rrc.default_paging_cycle":         {fmtDurs(PagingCycles), "defaultPagingCycle of SIB2-NB (rf128..rf1024), idle-mode DRX without eDRX."},
	"rrc.npdcch_num_repetition_paging": {fmtInts(mac.NPDCCHNumRepetitionsPaging), "npdcch-NumRepetitionPaging (Rmax) of SIB2-NB's PCCH-Config-NB: the Type-1 common search space of paging DCIs (TS 36.213 §16.6)."},
	"rrc.signalling_delay":             {">= 0", "One-way eNB↔MME↔gateway processing and transport delay."},
	"rrc.ue_processing":                {">= 0", "Time the UE takes to answer a downlink message."},

	"core.psm.policy":         {strings.Join(TimerPolicies, ", "), "How the MME answers a PSM request: grant as requested, clamp into [min, max], or refuse (TS 24.301 §5.3.11)."},
	"core.psm.min":            {"<= max", "Lowest T3324 (active time) granted by `clamp`."},
	"core.psm.max":            {"<= 186m", "Highest T3324 granted by `clamp` (GPRS timer 2 maximum, TS 24.008 §10.5.7.4)."},
	"core.psm.t3412_min":      {"<= t3412_max", "Lowest periodic TAU timer (T3412 extended) granted by `clamp`."},
	"core.psm.t3412_max":      {"<= 9920h", "Highest T3412 granted by `clamp` (GPRS timer 3 maximum 31 × 320 h, TS 24.008 §10.5.7.4a)."},
	"core.edrx.policy":        {strings.Join(TimerPolicies, ", "), "How the MME answers an eDRX request (TS 24.301 §5.3.12)."},
	"core.edrx.min":           {"NB-S1 eDRX cycles, <= max", "Shortest eDRX cycle granted by `clamp`."},
	"core.edrx.max":           {"NB-S1 eDRX cycles", "Longest eDRX cycle granted by `clamp`."},
	"core.edrx.t3412_min":     {"<= t3412_max", "Not used for eDRX."},
	"core.edrx.t3412_max":     {"", "Not used for eDRX."},
	"core.mt_buffer_time":     {">= 0", "How long the gateway holds mobile-terminated data for an unreachable device (extended buffering, TS 23.401 §5.3.4.3)."},
	"core.mt_buffer_packets":  {">= 0", "Packets held per device; a packet that finds them all held (after those past mt_buffer_time go) is dropped (mt_buffer_full)."},
	"core.server_delay":       {">= 0", "Application-server turn-around before a reply."},
	"core.attach_round_trips": {">= 1", "NAS round trips of an attach (authentication, security mode, accept/complete)."},
	"core.nat_timeout":        {"0..24h", "`nbsim emulate` only: the NAT at SGi forgets a device endpoint's binding after this long without uplink, so its next datagram leaves from a new public port and downlink to the old one is dropped (operators: 20 s to 2 min; docs/emulate.md, NAT at SGi). 0: never. `--nat-timeout` overrides it; `nbsim run` has no NAT."},

	"groups":                                                    {"names of letters, digits, _ and -; at most 100,000,000 devices in all", "Device groups by name. Each starts from the group defaults below; a group given as just `name:` gets all defaults."},
	"groups.NAME.count":                                         {"1..100000000", "Devices in the group."},
	"groups.NAME.placement.shape":                               {strings.Join(PlacementShapes, ", "), "`disc`: uniform in radius_m; `ring`: uniform in area between min_m and max_m; `rectangle`: width_m × height_m; `area`: uniform over the bounding box of all sites plus margin_m; `per-site`: an equal share around every site, uniform in radius_m; `csv`: one position per row of `file`."},
	"groups.NAME.placement.site":                                {"a site name", "Centre of disc/ring/rectangle; empty = the first site."},
	"groups.NAME.placement.radius_m":                            {"> 0 for disc", "Disc radius."},
	"groups.NAME.placement.min_m":                               {">= 0 for ring", "Inner ring radius."},
	"groups.NAME.placement.max_m":                               {"> min_m for ring", "Outer ring radius."},
	"groups.NAME.placement.width_m":                             {"> 0 for rectangle", "Rectangle width (east-west)."},
	"groups.NAME.placement.height_m":                            {"> 0 for rectangle", "Rectangle height (north-south)."},
	"groups.NAME.placement.margin_m":                            {">= 0 for area", "Margin around the sites' bounding box."},
	"groups.NAME.placement.offset_x_m":                          {"", "Moves the centre east of the site."},
	"groups.NAME.placement.offset_y_m":                          {"", "Moves the centre north of the site."},
	"groups.NAME.placement.file":                                {"a CSV file, with shape csv", "Per-device positions for shape `csv`, relative to the scenario file: a header `x_m,y_m` (metres in the sites' frame) or `lat,lon` (WGS84 degrees: needs `origin` or `sites_file`), then one row per device. Without `count`, the group has one device per row; with it, the rows must match."},
	"groups.NAME.coverage":                                      {"absent or a mapping with one source", "Coverage from planning data instead of geometry: the devices' coupling loss to their serving cell (the group's `placement.site`, first sector; or the CSV's cell), CE level from the RSRP it gives. Placement, path loss, shadowing and penetration are not used; the devices do not interfere with other cells (see docs/model.md, Coverage from planning data)."},
	"groups.NAME.coverage.coupling_loss_db":                     {"0 (not used) or > 0, at most 250", "Every device at this coupling loss (dB)."},
	"groups.NAME.coverage.coupling_loss_distribution":           {"up to 1000 rows, shares summing to 1", "A table of coupling losses and their shares, drawn per device from its own stream."},
	"groups.NAME.coverage.coupling_loss_distribution.N.loss_db": {"> 0, at most 250", "Coupling loss of this row (dB)."},
	"groups.NAME.coverage.coupling_loss_distribution.N.share":   {"0..1", "Share of the group's devices at this loss."},
	"groups.NAME.coverage.coupling_loss_cdf":                    {"up to 1000 points, ascending, last p 1", "The coupling-loss CDF as points (loss_db, p = P(loss <= loss_db)), interpolated linearly between points; the probability of the first point is a mass at its loss."},
	"groups.NAME.coverage.coupling_loss_cdf.N.loss_db":          {"> 0, at most 250, strictly ascending", "Coupling loss of this point (dB)."},
	"groups.NAME.coverage.coupling_loss_cdf.N.p":                {"0..1, non-decreasing", "P(coupling loss <= loss_db)."},
	"groups.NAME.coverage.coupling_loss_csv":                    {"a CSV file", "Per-device coverage as planning tools export it, relative to the scenario file: a header with `coupling_loss_db` or `rsrp_dbm` (NRSRP; coupling loss = eNB power per subcarrier − RSRP) and optionally `cell` (a cell name as in results.json), one row per device. Without `count`, the group has one device per row; with it, the rows must match. A bad row is reported at its file and line."},
	"groups.NAME.penetration_loss_db":                           {">= 0", "Mean building (or body) penetration loss added to the coupling loss."},
	"groups.NAME.penetration_std_db":                            {">= 0", "Standard deviation of the penetration loss (normal, per device)."},
	"groups.NAME.antenna_gain_dbi":                              {"", "Device antenna gain (TR 45.820: 0 dBi; negative for body loss or small antennas)."},
	"groups.NAME.initially_attached":                            {"true, false", "Devices start registered (attached, in PSM or idle); otherwise they power on within power_on and attach."},
	"groups.NAME.power_on.model":                                {strings.Join(ArrivalModels, ", "), "Distribution of power-on times when not initially attached: uniform, Beta(3,4) (TR 37.868 §6.2.2.1) or all at the start."},
	"groups.NAME.power_on.start":                                {">= 0", "Start of the power-on window."},
	"groups.NAME.power_on.window":                               {"> 0 unless at-once", "Length of the power-on window."},
	"groups.NAME.report.period":                                 {">= 0", "Periodic uplink report interval; 0 = no periodic reports."},
	"groups.NAME.report.phase":                                  {strings.Join(ReportPhases, ", "), "`staggered`: each device reports at a random offset uniform in stagger_window; `synchronised`: all at multiples of period (plus jitter)."},
	"groups.NAME.report.stagger_window":                         {">= 0", "Window of the random offsets; 0 = the period."},
	"groups.NAME.report.jitter":                                 {">= 0", "Uniform random delay in [0, jitter] added to each report."},
	"groups.NAME.report.uplink_bytes":                           {"1..1600", "Application payload of a report (unless uplink_size is given)."},
	"groups.NAME.report.uplink_size":                            {"absent or a mapping", "Payload of each report drawn from a distribution (per report, from the device's own stream) instead of uplink_bytes. `uplink_size: {}` is the TR 45.820 Annex E model: Pareto, alpha 2.5, 20 bytes, capped at 200."},
	"groups.NAME.report.uplink_size.model":                      {strings.Join(SizeModels, ", "), "`fixed`: bytes; `uniform`: integers min_bytes..max_bytes; `pareto`: min_bytes / U^(1/alpha) capped at max_bytes, rounded to whole bytes."},
	"groups.NAME.report.uplink_size.bytes":                      {"1..1600, model fixed", "Payload of every report."},
	"groups.NAME.report.uplink_size.min_bytes":                  {"1..1600, models uniform and pareto", "Smallest payload (the Pareto scale)."},
	"groups.NAME.report.uplink_size.max_bytes":                  {">= min_bytes, at most 1600", "Largest payload (the Pareto cap)."},
	"groups.NAME.report.uplink_size.alpha":                      {"> 0, model pareto", "Pareto shape."},
	"groups.NAME.report.reply_probability":                      {"0..1", "Probability that the server answers a report (e.g. an application ack)."},
	"groups.NAME.report.reply_bytes":                            {"0..1600", "Application payload of a reply; 0 is an application ack with no payload (the reply carries only the overheads)."},
	"groups.NAME.arrivals":                                      {"absent or a mapping", "One-shot access arrivals (literature traffic models), in addition to reports: each device accesses once within the window. `arrivals: {}` is TR 37.868 traffic model 2."},
	"groups.NAME.arrivals.model":                                {strings.Join(ArrivalModels, ", "), "Arrival distribution: uniform (TR 37.868 model 1), Beta(3,4) (model 2) or all at start."},
	"groups.NAME.arrivals.start":                                {">= 0", "Start of the arrival window."},
	"groups.NAME.arrivals.window":                               {"> 0 unless at-once", "Length of the arrival window (TR 37.868: 60 s for model 1, 10 s for model 2)."},
	"groups.NAME.events":                                        {"list", "Bursts (alarm storms): each makes a fraction of the group send one extra report."},
	"groups.NAME.events.N.at":                                   {">= 0", "Start of the burst."},
	"groups.NAME.events.N.window":                               {"> 0", "Length of the burst."},
	"groups.NAME.events.N.fraction":                             {"0..1", "Share of the group's devices that report."},
	"groups.NAME.events.N.model":                                {strings.Join(BurstModels, ", "), "Distribution of the extra reports over the window."},
	"groups.NAME.downlink.mean_interval":                        {">= 0", "Mean interval of server-initiated (mobile-terminated) packets per device, Poisson; 0 = none."},
	"groups.NAME.downlink.bytes":                                {"0..1600, >= 1 if on", "Payload of a mobile-terminated packet."},
	"groups.NAME.psm.enabled":                                   {"true, false", "The device requests PSM (TS 24.301 §5.3.11)."},
	"groups.NAME.psm.t3324":                                     {"0..186m", "Requested active time T3324."},
	"groups.NAME.psm.t3412":                                     {"0..9920h", "Requested periodic TAU timer (T3412 extended)."},
	"groups.NAME.edrx.enabled":                                  {"true, false", "The device requests idle-mode eDRX (TS 24.301 §5.3.12)."},
	"groups.NAME.edrx.cycle":                                    {fmtDurs(EDRXCycles), "Requested eDRX cycle, NB-S1 mode (TS 24.008 Table 10.5.5.32)."},
	"groups.NAME.edrx.ptw":                                      {"2.56s × 1..16 (2.56s..40.96s)", "Requested paging time window, NB-S1 mode (TS 24.008 Table 10.5.5.32)."},
	"groups.NAME.rai":                                           {"true, false", "The device sends release assistance (RAI) with its last packet (TS 24.301 §9.9.4.25, TS 36.321 §6.1.3.10)."},
	"groups.NAME.data_path":                                     {strings.Join(DataPaths, ", "), "`control-plane`: data over NAS (CIoT CP optimisation, TS 23.401 §5.3.4B); `user-plane`: data radio bearer after a service request."},
	"groups.NAME.power.baseline_mw":                             {">= 0", "MCU and sensors, always drawn."},
	"groups.NAME.power.psm_mw":                                  {">= 0", "Radio in PSM (3 µA at 3.6 V)."},
	"groups.NAME.power.idle_sleep_mw":                           {">= 0", "Idle mode between paging occasions."},
	"groups.NAME.power.paging_occasion_mj":                      {">= 0", "Energy to wake for one paging occasion and read NPDCCH (millijoules)."},
	"groups.NAME.power.receive_mw":                              {">= 0", "Receiving NPDSCH (54 mA at 3.6 V, M5311 module)."},
	"groups.NAME.power.connected_monitor_mw":                    {">= 0", "Connected mode, monitoring NPDCCH with nothing to receive."},
	"groups.NAME.power.cdrx_sleep_mw":                           {">= 0", "Connected mode between C-DRX on-durations."},
	"groups.NAME.power.tx_base_mw":                              {">= 0", "Transmit chain without the PA; transmit draw = tx_base_mw + output power / pa_efficiency."},
	"groups.NAME.power.pa_efficiency":                           {"greater than 0, at most 1", "Power-amplifier efficiency."},
	"groups.NAME.power.tx_model":                                {strings.Join(TxModels, ", "), "Transmit draw: `per-output-level` (tx_base_mw + output power / pa_efficiency at the actual output power) or `flat` (tx_flat_mw whatever the output power, as TR 45.820 §5.4 assumes)."},
	"groups.NAME.power.tx_flat_mw":                              {"> 0, set only with tx_model flat", "Transmit draw of the flat model (TR 45.820 §5.4: 500 mW); refused with another tx_model, which would ignore it."},
	"groups.NAME.battery.capacity_mah":                          {"> 0", "Nominal capacity (Li-SOCl2 C cell: 7700 mAh)."},
	"groups.NAME.battery.voltage_v":                             {"> 0", "Nominal voltage."},
	"groups.NAME.battery.self_discharge_per_year":               {"0..1", "Fraction of nominal capacity lost per year."},
	"groups.NAME.battery.usable_fraction":                       {"greater than 0, at most 1", "Share of nominal capacity usable before cut-off."},
}

type docRow struct{ key, typ, def string }

// docSections walks the Scenario type and returns the rows per section
// (top-level key), in struct order; "" is the top level.
func docSections() (order []string, rows map[string][]docRow, paths []string) {
	rows = map[string][]docRow{}
	add := func(sec string, r docRow) {
		if _, ok := rows[sec]; !ok {
			order = append(order, sec)
		}
		rows[sec] = append(rows[sec], r)
		paths = append(paths, r.key)
	}
	var walk func(sec, path string, t reflect.Type, defs []reflect.Value)
	walk = func(sec, path string, t reflect.Type, defs []reflect.Value) {
		for _, f := range fieldsOf(t) {
			p := joinPath(path, f.name)
			s := sec
			if s == "-" {
				s = f.name
				if !isComposite(f.typ) {
					s = ""
				}
			}
			fd := make([]reflect.Value, len(defs))
			for i, d := range defs {
				fd[i] = d.Field(f.index)
			}
			ft := f.typ
			switch {
			case ft.Kind() == reflect.Pointer:
				add(s, docRow{key: p, typ: "mapping", def: "absent"})
				ed := []reflect.Value{newDefault(ft.Elem()).Elem()}
				walk(s, p, ft.Elem(), ed)
			case ft.Kind() == reflect.Map:
				add(s, docRow{key: p, typ: "mapping of name → group", def: "none"})
				walk(s, p+".NAME", ft.Elem().Elem(), []reflect.Value{newDefault(ft.Elem().Elem()).Elem()})
			case ft.Kind() == reflect.Slice && ft.Elem().Kind() == reflect.Struct:
				add(s, docRow{key: p, typ: "list of mappings", def: fmtDefault(fd)})
				var ed []reflect.Value
				if ft.Elem() == reflect.TypeOf(NPRACH{}) {
					for _, c := range defaultCE() {
						ed = append(ed, reflect.ValueOf(c))
					}
				} else {
					ed = []reflect.Value{elemDefault(ft.Elem(), 1<<20)}
				}
				walk(s, p+".N", ft.Elem(), ed)
			case ft.Kind() == reflect.Struct && ft != durationType:
				walk(s, p, ft, fd)
			default:
				add(s, docRow{key: p, typ: typeName(ft), def: fmtDefault(fd)})
			}
		}
	}
	walk("-", "", reflect.TypeOf(Scenario{}), []reflect.Value{reflect.ValueOf(Default())})
	return order, rows, paths
}

func isComposite(t reflect.Type) bool {
	if t == durationType {
		return false
	}
	switch t.Kind() {
	case reflect.Struct, reflect.Map, reflect.Pointer:
		return true
	case reflect.Slice:
		return t.Elem().Kind() == reflect.Struct
	}
	return false
}

func typeName(t reflect.Type) string {
	if t == durationType {
		return "duration"
	}
	switch t.Kind() {
	case reflect.String:
		return "string"
	case reflect.Bool:
		return "boolean"
	case reflect.Int, reflect.Int64, reflect.Uint64:
		return "integer"
	case reflect.Float64:
		return "number"
	case reflect.Slice:
		return "list of " + typeName(t.Elem()) + "s"
	}
	return t.String()
}

// fmtDefault prints the default(s) of a key; several (per CE level) are
// joined with " / " unless they are all equal.
func fmtDefault(vs []reflect.Value) string {
	out := make([]string, len(vs))
	same := true
	for i, v := range vs {
		out[i] = fmtValue(v)
		same = same && out[i] == out[0]
	}
	if same {
		return "`" + out[0] + "`"
	}
	return "`" + strings.Join(out, "` / `") + "` (CE0 / CE1 / CE2)"
}

func fmtValue(v reflect.Value) string {
	if v.Type() == durationType {
		return FormatDuration(Duration(v.Int()).D())
	}
	switch v.Kind() {
	case reflect.String:
		return strconv.Quote(v.String())
	case reflect.Bool:
		return strconv.FormatBool(v.Bool())
	case reflect.Int, reflect.Int64:
		return strconv.FormatInt(v.Int(), 10)
	case reflect.Uint64:
		return strconv.FormatUint(v.Uint(), 10)
	case reflect.Float64:
		return strconv.FormatFloat(v.Float(), 'g', -1, 64)
	case reflect.Slice:
		if v.Type().Elem().Kind() == reflect.Struct {
			if v.Len() == 1 {
				return "1 entry"
			}
			return fmt.Sprintf("%d entries", v.Len())
		}
		parts := make([]string, v.Len())
		for i := range parts {
			parts[i] = fmtValue(v.Index(i))
		}
		return "[" + strings.Join(parts, ", ") + "]"
	}
	return fmt.Sprint(v.Interface())
}

func genKeys(t *testing.T) string {
	order, rows, _ := docSections()
	var b strings.Builder
	for _, sec := range order {
		title := "`" + sec + "`"
		if sec == "" {
			title = "Top level"
		}
		fmt.Fprintf(&b, "\n### %s\n\n| Key | Type | Default | Allowed | Meaning |\n| --- | --- | --- | --- | --- |\n", title)
		for _, r := range rows[sec] {
			d, ok := keyDocs[r.key]
			if !ok {
				t.Errorf("keyDocs (scenarios/docs_test.go) has no entry for %q", r.key)
			}
			fmt.Fprintf(&b, "| `%s` | %s | %s | %s | %s |\n", r.key, r.typ, r.def, mdCell(d.allowed), mdCell(d.meaning))
		}
	}
	b.WriteString("\n")
	return b.String()
}

func mdCell(s string) string { return strings.ReplaceAll(s, "|", `\|`) }

func genShipped() string {
	var b strings.Builder
	b.WriteString("\n| Name | Description |\n| --- | --- |\n")
	for _, in := range Shipped() {
		fmt.Fprintf(&b, "| `%s` | %s |\n", in.Name, mdCell(in.Description))
	}
	b.WriteString("\n")
	return b.String()
}

// replaceBlock replaces the text between <!-- BEGIN name --> and <!-- END name -->.
func replaceBlock(doc, name, body string) (string, bool) {
	begin, end := "<!-- BEGIN "+name+" -->", "<!-- END "+name+" -->"
	i := strings.Index(doc, begin)
	j := strings.Index(doc, end)
	if i < 0 || j < i {
		return doc, false
	}
	return doc[:i+len(begin)] + "\n" + body + doc[j:], true
}

func TestDocs(t *testing.T) {
	checkSchema(t)
	data, err := os.ReadFile(docsPath)
	if err != nil {
		t.Fatal(err)
	}
	doc := string(data)
	want := doc
	for _, blk := range []struct{ name, body string }{{"keys", genKeys(t)}, {"shipped", genShipped()}} {
		var ok bool
		want, ok = replaceBlock(want, blk.name, blk.body)
		if !ok {
			t.Fatalf("%s: no <!-- BEGIN %s --> … <!-- END %s --> block", docsPath, blk.name, blk.name)
		}
	}
	// Every key documented here must still exist.
	_, _, paths := docSections()
	have := map[string]bool{}
	for _, p := range paths {
		have[p] = true
	}
	var stale []string
	for k := range keyDocs {
		if !have[k] {
			stale = append(stale, k)
		}
	}
	sort.Strings(stale)
	if len(stale) > 0 {
		t.Errorf("keyDocs documents keys the struct no longer has: %v", stale)
	}
	if want != doc && *update {
		if err := os.WriteFile(docsPath, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("rewrote %s", docsPath)
		doc = want
	}
	// Every key must appear in the document.
	for _, p := range paths {
		if !strings.Contains(doc, "`"+p+"`") {
			t.Errorf("%s does not document key %s", docsPath, p)
		}
	}
	if want != doc {
		t.Errorf("%s is out of date with the struct, defaults or shipped scenarios; run: go test ./scenarios/ -run TestDocs -update", docsPath)
	}
}
