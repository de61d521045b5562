package model

import (
	"math"
	"time"

	"github.com/nbsim/nbsim/phy"
)

// Link adaptation depends only on (direction, SNR, payload, repetition cap),
// so its answers are memoised with the SNR rounded to 0.1 dB — far finer
// than the 2 dB spacing of the MCS/repetition steps it chooses between.
// The key is packed into a uint64 (the map's fast path): SNR in 0.1 dB
// offset into 16 bits, payload 32 bits, repetition cap 15 bits, direction.
type laCache map[uint64][]phy.Transmission

// laFrontBits sizes the direct-mapped cache in front of laCache and the
// NPDCCH cache (2^laFrontBits entries each).
const laFrontBits = 10

type laEntry struct {
	key uint64
	t   []phy.Transmission
	ok  bool
}

type dciEntry struct {
	key uint64
	d   time.Duration
	ok  bool
}

func laKey(up bool, snr int32, bytes, reps int) (uint64, bool) {
	if bytes < 0 || bytes > math.MaxUint32 || reps < 0 || reps >= 1<<15 {
		return 0, false
	}
	k := uint64(uint16(snr+1<<15)) | uint64(bytes)<<16 | uint64(reps)<<48
	if up {
		k |= 1 << 63
	}
	return k, true
}

func (n *Network) linkAdapt(up bool, snrDb float64, bytes, maxReps int) []phy.Transmission {
	if n.la == nil {
		n.la = laCache{}
	}
	q := int32(math.Round(max(-1000, min(1000, snrDb)) * 10)) // builtins: math.Max/Min's rules, inline
	k, cache := laKey(up, q, bytes, maxReps)
	// A direct-mapped cache in front of the map: most lookups repeat the
	// few (SNR, size) pairs of the devices being served right now.
	slot := &n.laFront[(k*0x9e3779b97f4a7c15)>>(64-laFrontBits)]
	if cache && slot.ok && slot.key == k {
		return slot.t
	}
	if t, ok := n.la[k]; ok && cache {
		*slot = laEntry{key: k, t: t, ok: true}
		return t
	}
	s := float64(q) / 10
	// Cat NB1 (Rel-13) transport block limits: 1000 bits up, 680 down.
	o := phy.LinkAdaptOptions{MaxReps: maxReps, TargetBLER: n.sc.Radio.TargetBLER, Deployment: n.dep}
	var t []phy.Transmission
	if up {
		o.MaxTBSBits = phy.MaxTBSBitsRel13UL
		t = phy.DefaultLinkAdapter().UL(s, bytes, o)
	} else {
		o.MaxTBSBits = phy.MaxTBSBitsRel13DL
		t = phy.DefaultLinkAdapter().DL(s, bytes, o)
	}
	if cache {
		n.la[k] = t
		*slot = laEntry{key: k, t: t, ok: true}
	}
	return t
}

// dciKey memoises NPDCCH repetition choices: the SNR in 0.5 dB steps and
// Rmax, packed into a uint64 (the map's fast path).
func dciKey(snr int32, rmax int) uint64 { return uint64(uint32(snr)) | uint64(uint32(rmax))<<32 }

// dciBits is the size of DCI format N0/N1 (23 bits, TS 36.212 §6.4.3).
const dciBits = 23

// dciTime is the NPDCCH airtime the eNB uses for a device at downlink SNR
// snrDb in a search space with maximum Rmax: the smallest R of TS 36.213
// Table 16.6-1 ({Rmax/8, Rmax/4, Rmax/2, Rmax}) whose BLER, by the same link
// model as the data channels, is at most 1 %.
func (n *Network) dciTime(snrDb float64, rmax int) time.Duration {
	if n.dci == nil {
		n.dci = map[uint64]time.Duration{}
	}
	snr := int32(math.Round(max(-400, min(400, snrDb)) * 2))
	k := dciKey(snr, rmax)
	slot := &n.dciFront[(k*0x9e3779b97f4a7c15)>>(64-laFrontBits)]
	if slot.ok && slot.key == k {
		return slot.d
	}
	if d, ok := n.dci[k]; ok {
		*slot = dciEntry{key: k, d: d, ok: true}
		return d
	}
	rs, err := phy.NPDCCHRepetitions(rmax)
	if err != nil || len(rs) == 0 {
		rs = []int{max(rmax, 1)}
	}
	s := float64(snr) / 2
	req := phy.RequiredSNRdB(dciBits, 180000, time.Millisecond)
	r := rs[len(rs)-1]
	for _, c := range rs {
		if phy.BLER(s+phy.RepetitionGainDb(c), req) <= 0.01 {
			r = c
			break
		}
	}
	d := phy.NPDCCHAirtime(r)
	n.dci[k] = d
	*slot = dciEntry{key: k, d: d, ok: true}
	return d
}

// dlSNR is the device's downlink SNR.
func (n *Network) dlSNR(u *ue) float64 {
	r := &n.sc.Radio
	return phy.DLSNRdB(r.EnbTxPowerDbm, float64(u.cl), r.UeNoiseFigureDb)
}
