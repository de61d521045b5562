// Package phy holds the radio physical-layer models of nbsim: NB-IoT
// operating bands and deployment modes, path loss, antenna pattern and
// coupling loss, noise and SNR, NRSRP and coverage-enhancement (CE) level
// selection, uplink power control, NPRACH preamble timing and detection, the
// NPDSCH/NPUSCH transport-block tables, a block-error model and the link
// adaptation an eNB scheduler performs. Everything is a pure function or an
// immutable value: there is no global random source and no clock. Callers
// draw shadowing and any other random samples themselves (this package only
// supplies their parameters) and pass the results in. No function panics;
// bad names and indices return errors listing what is allowed, and float
// inputs that are NaN or ±Inf are saturated (NaN in the pessimistic
// direction), so results are always finite.
//
// # Models and sources
//
// Each item gives the model, its formula and the 3GPP clause it comes from,
// then the simplification made and why it does not change what nbsim users
// look at: coverage, the CE-level distribution, airtime and energy per
// report, and congestion. Items marked "(check)" are quoted from memory or
// from secondary copies of the specification and should be verified against
// the spec text.
//
// Bands ([LookupBand]). E-UTRA operating bands with NB-IoT support, TS 36.101
// Table 5.5-1 / Table 5.5F-1; each band is reduced to the centre of its
// uplink and of its downlink range. Simplification: one frequency per band
// and direction. Across any supported band the macro path loss changes by
// less than 0.5 dB (e.g. 21·log10(1880/1805) = 0.37 dB over the B3
// downlink), far below the 10 dB shadowing.
//
// Deployment ([Deployment]). Standalone, guard-band, in-band (TS 36.331
// operationModeInfo). It enters the downlink only: in-band NPDSCH has 104
// instead of 152 resource elements per subframe (first 3 OFDM symbols are
// the LTE control region and LTE CRS are punctured, TS 36.213 §16.4.1.4;
// NRS of two ports, TS 36.211 §10.2.6) and is limited to I_TBS ≤ 10
// (TS 36.213 §16.4.1.5.1) (check). The carrier power is taken as given;
// [Deployment.TypicalENBTxPowerDbm] offers 43 dBm standalone and 35 dBm
// in-band/guard-band (TR 45.820 / TR 36.802 evaluation assumptions) (check).
//
// Path loss ([NewPathLoss]). "urban-macro": TR 36.942 §4.5.2,
// L = 40(1 − 4·10⁻³·Dhb)·log10(R km) − 18·log10(Dhb) + 21·log10(f MHz) + 80
// (Dhb = eNB height above rooftop). "rural-macro": TR 36.942 §4.5.3 (Hata
// with the open-area correction), L = 69.55 + 26.16·log10 f − 13.82·log10 Hb
// + (44.9 − 6.55·log10 Hb)·log10 R − 4.78·(log10 f)² + 18.33·log10 f − 40.94.
// "free-space": Friis with the 3-D distance. Both macro models are floored at
// free space (TR 25.942 §4.1, whose models TR 36.942 reuses) (check).
// Distances below 10 m are evaluated at 10 m, frequencies are clamped to
// [100 MHz, 100 GHz]. Simplification: median models without terrain,
// clutter or UE-height terms (the UE is at 1.5 m / street level as in the
// TR); validity is a few hundred metres to ~20 km and ~700-2000 MHz, which
// covers NB-IoT macro cells. Shadowing parameters ([ShadowingFor]):
// log-normal, σ = 10 dB, inter-site correlation 0.5, decorrelation distance
// 50 m (TR 36.942 §4.5) (check).
//
// Antenna ([SectorGainDb]). TR 36.942 §4.2.1 3-sector pattern
// A(θ) = −min(12(θ/65°)², 20 dB), angle wrapped to [−180°, 180°], with a
// 15 dBi boresight gain ([DefaultENBAntennaGainDb]) (check). Simplification:
// horizontal pattern only (no downtilt/vertical pattern). Downtilt matters
// close to the mast, where coupling loss is low and every UE is in CE level 0
// anyway; the cell edge, which drives coverage and CE levels, is near the
// horizon.
//
// Coupling loss ([CouplingLossDb], [MaxCouplingLossDb]). CL = PL + shadowing
// + penetration − (G_eNB + pattern) − G_UE, between antenna connectors,
// floored at a 70 dB minimum coupling loss (TR 36.942 macro assumptions)
// (check). NB-IoT targets 164 dB maximum coupling loss (TR 45.820 §5,
// TR 36.888). Penetration loss is the caller's input (e.g. indoor/deep
// indoor classes).
//
// Noise and SNR ([ThermalNoiseDbm], [ULSNRdB], [DLSNRdB], [SINRdB]).
// N = −174 dBm/Hz + 10·log10(BW) + NF. Uplink SNR = P_tx − CL − N(BW, NF_eNB)
// − IoT, where the interference-over-thermal IoT carries the neighbour-cell
// noise rise; downlink SNR over the 180 kHz carrier. Defaults: UE 23 dBm
// (power class 3, TS 36.101 §6.2.2F), NF 5 dB UE / 5 dB eNB (see
// [DefaultENBNoiseFigureDb] for the eNB's sources). Simplification: interference is an aggregate rise over thermal
// (or a list of interferer powers for [SINRdB]) rather than per-symbol
// collisions; congestion effects enter through IoT computed by the caller.
//
// NRSRP and CE level ([RSRPdBm], [CELevel], [RSRPRangeToDbm]). NRSRP
// (TS 36.214 §5.1.26) = P_tx − 10·log10(12) − CL: the carrier power spread
// evenly over the 12 subcarriers, i.e. no NRS power boost (pass a boosted
// power if the operator boosts NRS). CE level (TS 36.321 §5.1.1, TS 36.331
// rsrp-ThresholdsPrachInfoList): 0 if NRSRP ≥ th[0], 1 if ≥ th[1], else the
// highest level. RSRP-Range n ↔ [−141 + n, −140 + n) dBm (TS 36.133 Table
// 9.1.4-1). Simplification: the caller's NRSRP is the filtered measurement
// (no measurement error); measurement noise of a few dB only smears CE-level
// boundaries, and callers can add it.
//
// Power control ([NPRACHTxPowerDbm], [NPUSCHTxPowerDbm],
// [PreambleReceivedTargetPowerDbm]). NPRACH, TS 36.213 §16.3.1: CE level 0
// min(P_CMAX, NARROWBAND_PREAMBLE_RECEIVED_TARGET_POWER + PL), higher levels
// P_CMAX; target per TS 36.321 §5.1.3 (initial + (counter − 1)·step −
// 10·log10(reps), DELTA_PREAMBLE = 0 (check)). NPUSCH, TS 36.213
// §16.2.1.1.1: P_CMAX if N_Rep > 2, else min(P_CMAX, 10·log10(M) + P_O + α·PL)
// with M = tones (15 kHz) or 1/4 (3.75 kHz). PL is taken equal to the
// coupling loss (the UE's estimate nrs-Power − NRSRP is exact without
// measurement error).
//
// NPRACH ([PreambleDuration], [PreambleDetectProb]). TS 36.211 §10.1.6.1
// Table 10.1.6.1-1: symbol group = CP (66.7 µs format 0, 266.7 µs format 1)
// + 5 × 266.7 µs, 4 groups per repetition (5.6 / 6.4 ms), plus a 40 ms gap
// after every 64 repetitions (check). Detection is a logistic in dB,
// P_d = 1/(1 + exp(−(SNR − SNR50(R))/2 dB)), placed so that P_d = 99%
// (missed detection 1%, TS 36.104 §8.5.3) at the required SNR of every
// repetition number R. Anchor table ([NPRACHAnchorTable], SNR per 3.75 kHz
// subcarrier for P_d = 99%):
//
//	reps        1      2      4      8      16     32     64     128
//	SNR (dB)   12.73  10.72   8.71   6.70   4.69   2.68   0.67  −1.34
//
// The 8-repetition value is TS 36.141 Table 8.5.3.5-1 / TS 36.104 §8.5.3
// (format 0, 1 Tx / 2 Rx, EPA 1 Hz, 200 Hz offset); the others are derived
// from it with a repetition gain of 10·log10(R/8) − 1.0 dB per doubling
// (non-coherent accumulation across repetitions) (check against the other
// rows of the table). Both formats share the table (format 1 only has a
// longer CP). The 2 dB logistic scale reproduces the fading-averaged miss
// probability of a slowly fading, 2-branch channel (≈10× per 5 dB). False
// alarms (≤ 0.1%, [PreambleFalseAlarmProb]) and preamble collisions are not
// part of this function; collisions are the MAC's business.
//
// Transport blocks ([NPUSCHTBS], [NPDSCHTBS], [RUDuration]). TS 36.213 Table
// 16.5.1.2-2 (NPUSCH, I_TBS 0..13 × I_RU 0..7) and Table 16.4.1.5.1-1
// (NPDSCH, I_TBS 0..13 × I_SF 0..7), Rel-14 (Cat NB2, up to 2536 bits);
// Cat NB1 (Rel-13) uses the same tables up to 1000 bits uplink / 680 bits
// downlink and I_TBS ≤ 12, single-tone NPUSCH up to I_TBS 10 (Table
// 16.5.1.2-1). N_RU / N_SF = {1, 2, 3, 4, 5, 6, 8, 10} (Tables 16.5.1.1-2,
// 16.4.1.3-1). RU durations, TS 36.211 Table 10.1.2.3-1: 15 kHz 1/3/6/12
// tones → 8/4/2/1 ms, 3.75 kHz single tone 32 ms; NPUSCH format 2 (HARQ-ACK)
// 2 ms / 8 ms. Repetitions: NPUSCH {1..128} (Table 16.5.1.1-3), NPDSCH
// {1..2048} (Table 16.4.1.3-2), NPDCCH R_max {1..2048} (TS 36.331) with
// R ∈ {R_max/8, R_max/4, R_max/2, R_max} (TS 36.213 Table 16.6-1). SIB1-NB
// repetitions and TBS, TS 36.213 Tables 16.4.1.3-3 and 16.4.1.5.2-1.
//
// Required SNR ([RequiredSNRdB], [LinkModel]). Attenuated Shannon bound,
// TR 36.942 Annex A.1: Thr = α·BW·log2(1 + SNR) with α = 0.6 (check), so a
// transmission of spectral efficiency η = (TBS + 24 CRC bits) / (BW·T) needs
// SNR = 2^(η/α) − 1, plus an implementation margin (2 dB by default). The
// required SNR is defined as the SNR with 10% first-transmission BLER, the
// usual link-adaptation operating point. In-band NPDSCH has its efficiency
// scaled by 152/104 for the resource elements lost to LTE. Repetitions add
// 10·log10(R) − 0.75 dB per doubling (imperfect channel estimation and
// frequency offset across long repetition bundles). [ConformanceLinkModel]
// instead fits TS 36.104 Table 8.5.1.1.1-1 (NPUSCH 3.75 kHz, FRC A16-1:
// −1.9 / −9.2 / −12.2 dB at 1 / 16 / 64 repetitions, 70% throughput) with a
// 5 dB margin and 1.25 dB per doubling; the default model is 3-6 dB better
// than that minimally conformant receiver and still reaches the 164 dB MCL at
// about 200 bit/s uplink, consistent with the NB-IoT design target
// (TR 45.820). Simplifications: no explicit modulation (QPSK near its 2
// bit/symbol ceiling is slightly optimistic at I_TBS 12-13, used only at
// high SNR where airtime is already ~1-5 ms); the same model for NPUSCH and
// NPDSCH (the UE's single receive antenna is in the caller's noise figure
// and SNR); fast fading is folded into the margin rather than simulated.
// These shift airtime per report by a repetition step at most, while CE
// level and coverage are set by NRSRP and the maximum repetitions.
//
// BLER ([BLER]). BLER = 1 / (1 + 9·exp((SNR_eff − SNR_req)/1 dB)): 10% at the
// required SNR, 50% 2.2 dB below, 1% 2.4 dB above, where SNR_eff is the
// per-repetition SNR plus the repetition gain. HARQ retransmissions are
// drawn by the caller from this first-transmission BLER.
//
// Link adaptation ([LinkAdaptUL], [LinkAdaptDL], [LinkAdapter]). For every
// table entry (tones × I_TBS × I_RU uplink, I_TBS × I_SF downlink) the
// smallest repetition number meeting the BLER target is found; the payload
// is then carried by n − 1 full blocks plus one block for the remainder,
// choosing the split with the least airtime plus one NPDCCH subframe per
// repetition and block (each block needs a DCI; option PureAirtime drops
// this). Uplink SNR per subcarrier is the full-power single-tone SNR minus
// 10·log10(tones) (power spread) or plus 6.02 dB for 3.75 kHz. If nothing
// meets the target at the maximum repetitions, the most robust choice is
// returned with its higher BLER. Simplifications: a real scheduler also
// weighs NPDCCH search-space timing, scheduling delays and other users; the
// per-block DCI cost captures the first-order effect of segmentation, and
// contention is modelled by the MAC. Uplink gaps (40 ms per 256 ms of
// NPUSCH, TS 36.211 §10.1.3.6) (check) are in Transmission.Elapsed.
//
// Downlink availability ([DLAvailableFraction], [NPDCCHAirtime]). Anchor
// carrier: NPBCH in subframe 0 of every frame (TS 36.211 §10.2.4), NPSS in
// subframe 5 of every frame (§10.2.7.1), NSSS in subframe 9 of even frames
// (§10.2.7.2) and SIB1-NB in 8 subframes per repetition, 4/8/16 repetitions
// per 2560 ms (TS 36.213 §16.4.1.3, TS 36.331) leave 73.75% / 72.5% / 70% of
// subframes for NPDCCH/NPDSCH. A DCI with R repetitions occupies R subframes.
// Simplification: other SI messages and MBSFN/invalid subframes are not
// subtracted; they take a few percent of the carrier and the caller can
// reduce the fraction further.
package phy
