package phy

import (
	"fmt"
	"math"
	"strings"
)

// PathLoss is a distance-dependent median propagation loss in dB (positive).
// Shadowing, penetration and antenna gains are not included; see
// [CouplingLossDb].
type PathLoss interface {
	// Loss returns the path loss in dB for a horizontal eNB-UE distance in
	// metres and a carrier frequency in MHz. It never returns NaN or ±Inf:
	// distances are clamped to [MinPathLossDistanceM, MaxPathLossDistanceM]
	// and frequencies to [100 MHz, 100 GHz]; NaN counts as the far/high end.
	Loss(distanceM, freqMHz float64) float64
	// Name returns the model name accepted by [NewPathLoss].
	Name() string
}

const (
	// MinPathLossDistanceM is the distance below which path-loss models
	// are evaluated at this distance instead (the macro-cell formulas are
	// meaningless, and would tend to −Inf, close to the mast).
	MinPathLossDistanceM = 10.0
	// MaxPathLossDistanceM caps distances so results stay finite. The Hata
	// family is validated only up to ~20 km; beyond that it extrapolates.
	MaxPathLossDistanceM = 1e7

	minFreqMHz = 100.0
	maxFreqMHz = 1e5

	speedOfLight = 299792458.0 // m/s
)

// Path-loss model names accepted by NewPathLoss.
const (
	PathLossUrbanMacro = "urban-macro"
	PathLossRuralMacro = "rural-macro"
	PathLossFreeSpace  = "free-space"
)

var pathLossNames = []string{PathLossUrbanMacro, PathLossRuralMacro, PathLossFreeSpace}

// PathLossNames lists the model names accepted by [NewPathLoss].
func PathLossNames() []string { return append([]string(nil), pathLossNames...) }

// NewPathLoss returns the named path-loss model.
//
//   - "urban-macro": TR 36.942 §4.5.2 macro cell, urban area:
//     L = 40(1 − 4·10⁻³·Dhb)·log10(R) − 18·log10(Dhb) + 21·log10(f) + 80,
//     R in km, f in MHz, Dhb = bsHeightM interpreted as the eNB antenna
//     height above the average rooftop level (TR 36.942 uses 15 m), with
//     0 < Dhb < 250 m (the distance slope must stay positive). The UE is at
//     street level (the formula has no UE-height term; ueHeightM is only
//     validated). Intended for R of a few hundred metres to ~20 km and f of
//     ~700-2000 MHz.
//   - "rural-macro": TR 36.942 §4.5.3, Hata open-area model:
//     L = 69.55 + 26.16·log10(f) − 13.82·log10(Hb) + [44.9 − 6.55·log10(Hb)]·log10(R)
//     − 4.78·(log10 f)² + 18.33·log10(f) − 40.94,
//     Hb = bsHeightM above ground (TR 36.942 uses 45 m). Hata's validity is
//     150-1500 MHz (COST-231 extends to 2000 MHz), Hb 30-200 m, R 1-20 km;
//     TR 36.942 applies it at 900 and 2000 MHz. The UE is 1.5 m (no UE term).
//   - "free-space": Friis, L = 20·log10(4π·d·f/c) ≈ 32.45 + 20·log10(f MHz)
//   - 20·log10(d km), with d the 3-D distance using both antenna heights.
//
// Both macro models are floored at the free-space loss of the horizontal
// distance ("L shall in no circumstances be less than free space loss",
// TR 25.942 §4.1, whose macro models TR 36.942 reuses) (check).
func NewPathLoss(name string, bsHeightM, ueHeightM float64) (PathLoss, error) {
	if math.IsNaN(bsHeightM) || math.IsInf(bsHeightM, 0) || math.IsNaN(ueHeightM) || math.IsInf(ueHeightM, 0) {
		return nil, fmt.Errorf("phy: path loss %q: antenna heights must be finite (got bs %v m, ue %v m)", name, bsHeightM, ueHeightM)
	}
	if ueHeightM < 0 || bsHeightM < 0 {
		return nil, fmt.Errorf("phy: path loss %q: antenna heights must be >= 0 (got bs %v m, ue %v m)", name, bsHeightM, ueHeightM)
	}
	switch strings.ToLower(strings.TrimSpace(name)) {
	case PathLossUrbanMacro:
		if bsHeightM <= 0 || bsHeightM >= 250 {
			return nil, fmt.Errorf("phy: path loss %q: eNB height above rooftop must be in (0, 250) m, got %v", name, bsHeightM)
		}
		return urbanMacro{dhb: bsHeightM}, nil
	case PathLossRuralMacro:
		if bsHeightM <= 0 {
			return nil, fmt.Errorf("phy: path loss %q: eNB height must be > 0 m, got %v", name, bsHeightM)
		}
		return ruralMacro{hb: bsHeightM}, nil
	case PathLossFreeSpace:
		return freeSpace{dh: bsHeightM - ueHeightM}, nil
	}
	return nil, fmt.Errorf("phy: unknown path loss model %q (allowed: %s)", name, strings.Join(pathLossNames, ", "))
}

func sanitizeDistance(d float64) float64 {
	return clampF(d, MinPathLossDistanceM, MaxPathLossDistanceM, MaxPathLossDistanceM)
}

func sanitizeFreq(f float64) float64 { return clampF(f, minFreqMHz, maxFreqMHz, maxFreqMHz) }

// freeSpaceDb is the Friis loss for distance d (m) and frequency f (MHz).
func freeSpaceDb(dM, fMHz float64) float64 {
	return 20 * math.Log10(4*math.Pi*dM*fMHz*1e6/speedOfLight)
}

type urbanMacro struct{ dhb float64 }

func (urbanMacro) Name() string { return PathLossUrbanMacro }

func (m urbanMacro) Loss(distanceM, freqMHz float64) float64 {
	d, f := sanitizeDistance(distanceM), sanitizeFreq(freqMHz)
	// TR 36.942 §4.5.2.
	l := 40*(1-4e-3*m.dhb)*math.Log10(d/1000) - 18*math.Log10(m.dhb) + 21*math.Log10(f) + 80
	return math.Max(l, freeSpaceDb(d, f))
}

type ruralMacro struct{ hb float64 }

func (ruralMacro) Name() string { return PathLossRuralMacro }

func (m ruralMacro) Loss(distanceM, freqMHz float64) float64 {
	d, f := sanitizeDistance(distanceM), sanitizeFreq(freqMHz)
	lf, lh := math.Log10(f), math.Log10(m.hb)
	// TR 36.942 §4.5.3 (Hata, open/rural area correction included).
	l := 69.55 + 26.16*lf - 13.82*lh + (44.9-6.55*lh)*math.Log10(d/1000) - 4.78*lf*lf + 18.33*lf - 40.94
	return math.Max(l, freeSpaceDb(d, f))
}

type freeSpace struct{ dh float64 }

func (freeSpace) Name() string { return PathLossFreeSpace }

func (m freeSpace) Loss(distanceM, freqMHz float64) float64 {
	d, f := sanitizeDistance(distanceM), sanitizeFreq(freqMHz)
	d3 := math.Max(math.Hypot(d, m.dh), MinPathLossDistanceM)
	return freeSpaceDb(d3, f)
}

// Shadowing holds log-normal shadow-fading parameters for a path-loss
// model. Samples are drawn by the caller (this package has no randomness).
type Shadowing struct {
	SigmaDb                float64 // standard deviation of the log-normal shadowing, dB
	InterSiteCorrelation   float64 // correlation of the shadowing towards two different sites
	DecorrelationDistanceM float64 // distance at which the spatial autocorrelation falls to 1/e (exponential model), m
}

// ShadowingFor returns the shadowing parameters to use with a path-loss
// model: macro models σ = 10 dB, inter-site correlation 0.5, decorrelation
// distance 50 m (TR 36.942 §4.5 and its system-simulation assumptions)
// (check); free space has no shadowing.
func ShadowingFor(pathLossName string) (Shadowing, error) {
	switch strings.ToLower(strings.TrimSpace(pathLossName)) {
	case PathLossUrbanMacro, PathLossRuralMacro:
		return Shadowing{SigmaDb: 10, InterSiteCorrelation: 0.5, DecorrelationDistanceM: 50}, nil
	case PathLossFreeSpace:
		return Shadowing{}, nil
	}
	return Shadowing{}, fmt.Errorf("phy: unknown path loss model %q (allowed: %s)", pathLossName, strings.Join(pathLossNames, ", "))
}

// Antenna pattern parameters, TR 36.942 §4.2.1 (3-sector cell).
const (
	SectorBeamwidthDeg      = 65.0 // θ3dB
	SectorMaxAttenuationDb  = 20.0 // Am
	DefaultENBAntennaGainDb = 15.0 // dBi boresight gain of a macro sector antenna, TR 36.942 (check)
)

// SectorGainDb is the horizontal pattern of a 3-sector macro antenna relative
// to boresight, TR 36.942 §4.2.1: A(θ) = −min(12·(θ/θ3dB)², Am), θ3dB = 65°,
// Am = 20 dB. Any angle is accepted and wrapped to [−180°, 180°]; NaN and ±Inf
// give −Am. The vertical pattern (downtilt) is not modelled.
func SectorGainDb(offAxisDeg float64) float64 {
	if math.IsNaN(offAxisDeg) || math.IsInf(offAxisDeg, 0) {
		return -SectorMaxAttenuationDb
	}
	th := math.Remainder(offAxisDeg, 360)
	r := th / SectorBeamwidthDeg
	return -math.Min(12*r*r, SectorMaxAttenuationDb)
}

// MinCouplingLossDb is the minimum coupling loss between a UE and a macro
// eNB (antenna connector to antenna connector) of the TR 36.942 macro-cell
// deployment assumptions: 70 dB in urban areas (80 dB rural) (check).
// [CouplingLossDb] never returns less.
const MinCouplingLossDb = 70.0

// MaxCouplingLossDb is the NB-IoT coverage target: 164 dB maximum coupling
// loss, i.e. 20 dB beyond GPRS (TR 45.820 §5; TR 36.888).
const MaxCouplingLossDb = 164.0

// CouplingLossDb is the loss between the UE and eNB antenna connectors:
//
//	CL = PL + shadowing + penetration − (G_eNB + pattern) − G_UE,
//
// floored at [MinCouplingLossDb]. patternGainDb is typically
// [SectorGainDb] (≤ 0). NaN inputs are treated pessimistically (losses as
// +∞, gains as −∞), so the result is then large but finite.
func CouplingLossDb(pathLossDb, shadowingDb, penetrationDb, enbAntennaGainDbi, patternGainDb, ueAntennaGainDbi float64) float64 {
	cl := satDb(pathLossDb, dbLimit) + satDb(shadowingDb, dbLimit) + satDb(penetrationDb, dbLimit) -
		satDb(enbAntennaGainDbi, -dbLimit) - satDb(patternGainDb, -dbLimit) - satDb(ueAntennaGainDbi, -dbLimit)
	return math.Max(satDb(cl, dbLimit), MinCouplingLossDb)
}
