package phy

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// Band is an E-UTRA operating band usable by NB-IoT, reduced to the centre
// frequencies of its uplink and downlink ranges (the frequencies used for
// path loss).
type Band struct {
	Name  string  // "B3", "B20", ...
	ULMHz float64 // centre of the uplink (UE transmit) range, MHz
	DLMHz float64 // centre of the downlink (eNB transmit) range, MHz
}

type bandDef struct {
	num                    int
	ulLo, ulHi, dlLo, dlHi float64 // MHz
}

// bandDefs: operating band ranges from TS 36.101 Table 5.5-1 (E-UTRA
// operating bands), restricted to bands listed for NB-IoT in TS 36.101
// Table 5.5F-1 (Category NB1/NB2 operating bands). The release in which each
// band gained NB-IoT support differs (Rel-13: 1, 2, 3, 5, 8, 12, 13, 17, 18,
// 19, 20, 26, 28, 66; later: 25, 71, 85) (check).
var bandDefs = []bandDef{
	{1, 1920, 1980, 2110, 2170},
	{2, 1850, 1910, 1930, 1990},
	{3, 1710, 1785, 1805, 1880},
	{5, 824, 849, 869, 894},
	{8, 880, 915, 925, 960},
	{12, 699, 716, 729, 746},
	{13, 777, 787, 746, 756},
	{17, 704, 716, 734, 746},
	{18, 815, 830, 860, 875},
	{19, 830, 845, 875, 890},
	{20, 832, 862, 791, 821},
	{25, 1850, 1915, 1930, 1995},
	{26, 814, 849, 859, 894},
	{28, 703, 748, 758, 803},
	{66, 1710, 1780, 2110, 2200},
	{71, 663, 698, 617, 652},
	{85, 698, 716, 728, 746},
}

func (b bandDef) band() Band {
	return Band{
		Name:  "B" + strconv.Itoa(b.num),
		ULMHz: (b.ulLo + b.ulHi) / 2,
		DLMHz: (b.dlLo + b.dlHi) / 2,
	}
}

// LookupBand returns the band called name. Names are "B<n>" as in
// [BandNames]; matching ignores case and surrounding space and also accepts
// "<n>" and "band <n>". Unknown names give an error listing the allowed ones.
func LookupBand(name string) (Band, error) {
	s := strings.ToUpper(strings.TrimSpace(name))
	s = strings.TrimSpace(strings.TrimPrefix(s, "BAND"))
	s = strings.TrimPrefix(s, "B")
	if n, err := strconv.Atoi(s); err == nil {
		for _, b := range bandDefs {
			if b.num == n {
				return b.band(), nil
			}
		}
	}
	return Band{}, fmt.Errorf("phy: unknown band %q (allowed: %s)", name, strings.Join(BandNames(), ", "))
}

// BandNames lists the supported band names in ascending band number.
func BandNames() []string {
	defs := append([]bandDef(nil), bandDefs...)
	sort.Slice(defs, func(i, j int) bool { return defs[i].num < defs[j].num })
	out := make([]string, len(defs))
	for i, b := range defs {
		out[i] = "B" + strconv.Itoa(b.num)
	}
	return out
}

// Deployment is the NB-IoT operation mode (TS 36.331 MIB-NB
// operationModeInfo-r13; TS 36.211 §10).
type Deployment int

const (
	Standalone Deployment = iota // dedicated carrier, e.g. refarmed GSM
	GuardBand                    // inside an LTE carrier's guard band
	InBand                       // one PRB inside an LTE carrier
)

var deploymentNames = []string{"standalone", "guard-band", "in-band"}

// String returns "standalone", "guard-band" or "in-band".
func (d Deployment) String() string {
	if d >= 0 && int(d) < len(deploymentNames) {
		return deploymentNames[d]
	}
	return fmt.Sprintf("Deployment(%d)", int(d))
}

// DeploymentNames lists the names accepted by [ParseDeployment].
func DeploymentNames() []string { return append([]string(nil), deploymentNames...) }

// ParseDeployment parses a deployment name. Case, '-', '_' and spaces are
// ignored ("guard-band", "GuardBand" and "guard_band" are the same).
func ParseDeployment(s string) (Deployment, error) {
	k := strings.NewReplacer("-", "", "_", "", " ", "").Replace(strings.ToLower(strings.TrimSpace(s)))
	switch k {
	case "standalone":
		return Standalone, nil
	case "guardband":
		return GuardBand, nil
	case "inband":
		return InBand, nil
	}
	return 0, fmt.Errorf("phy: unknown deployment %q (allowed: %s)", s, strings.Join(deploymentNames, ", "))
}

// TypicalENBTxPowerDbm is the usual total NB-IoT carrier power for the
// deployment, used only as a default: 43 dBm standalone; 35 dBm in-band and
// guard-band (a 46 dBm, 10 MHz LTE carrier's per-PRB power plus a 6 dB NB-IoT
// PSD boost). These are the NB-IoT evaluation assumptions of TR 45.820 /
// TR 36.802 (check); operators configure their own.
func (d Deployment) TypicalENBTxPowerDbm() float64 {
	if d == Standalone {
		return 43
	}
	return 35
}

// MaxNPDSCHITBS is the largest NPDSCH I_TBS for the deployment: 10 in-band
// (the LTE control region and CRS leave fewer resource elements), 13
// otherwise (TS 36.213 §16.4.1.5.1; Rel-13 UEs stop at 12 through their
// 680-bit TBS limit) (check).
func (d Deployment) MaxNPDSCHITBS() int {
	if d == InBand {
		return 10
	}
	return 13
}
