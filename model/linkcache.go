package model

import (
	"math"
	"time"

	"github.com/nbsim/nbsim/mac"
	"github.com/nbsim/nbsim/phy"
	"github.com/nbsim/nbsim/scenarios"
)

// memo memoises answers by a uint64 key: a map, with a direct-mapped cache
// of 2^memoFrontBits entries in front of it (most lookups repeat the few
// keys of the devices being served right now).
type memo[V any] struct {
	m     map[uint64]V
	front [1 << memoFrontBits]memoEntry[V]
}

const memoFrontBits = 13

type memoEntry[V any] struct {
	key uint64
	v   V
	ok  bool
}

func (c *memo[V]) slot(k uint64) *memoEntry[V] {
	return &c.front[(k*0x9e3779b97f4a7c15)>>(64-memoFrontBits)]
}

func (c *memo[V]) get(k uint64) (V, bool) {
	e := c.slot(k)
	if e.ok && e.key == k {
		return e.v, true
	}
	v, ok := c.m[k]
	if ok {
		*e = memoEntry[V]{key: k, v: v, ok: true}
	}
	return v, ok
}

func (c *memo[V]) put(k uint64, v V) {
	if c.m == nil {
		c.m = map[uint64]V{}
	}
	c.m[k] = v
	*c.slot(k) = memoEntry[V]{key: k, v: v, ok: true}
}

// Link adaptation depends only on (direction, SNR, payload, repetition cap),
// so its answers are memoised with the SNR rounded to 0.1 dB — far finer
// than the 2 dB spacing of the MCS/repetition steps it chooses between.
// The key is packed into a uint64 (the map's fast path): SNR in 0.1 dB
// offset into 16 bits, payload 32 bits, repetition cap 15 bits, direction.
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
	q := laStep(snrDb)
	k, cache := laKey(up, q, bytes, maxReps)
	if cache {
		if t, ok := n.la.get(k); ok {
			return t
		}
	}
	s := float64(q) / 10
	// Cat NB1 (Rel-13) transport block limits: 1000 bits up, 680 down.
	o := phy.LinkAdaptOptions{MaxReps: maxReps, TargetBLER: n.sc.Radio.TargetBLER, Deployment: n.dep}
	var t []phy.Transmission
	if up {
		n.radio.ulShape(&o)
		o.MaxTBSBits = phy.MaxTBSBitsRel13UL
		t = phy.DefaultLinkAdapter().UL(s, bytes, o)
	} else {
		o.MaxTBSBits = phy.MaxTBSBitsRel13DL
		t = phy.DefaultLinkAdapter().DL(s, bytes, o)
	}
	if cache {
		n.la.put(k, t)
	}
	return t
}

// laStep is the SNR link adaptation works at, in 0.1 dB steps.
func laStep(snrDb float64) int32 {
	return roundHalfAway(max(-1000, min(1000, snrDb)) * 10) // builtins: math.Max/Min's rules, inline
}

// roundHalfAway is int32(math.Round(v)) for |v| ≤ 1e4 or NaN, without
// math.Round's bit manipulation: the conversion truncates, v − t is exact
// (|v| < 2^52), and a remainder of half or more moves away from zero.
// Link adaptation and the DCI memo round an SNR on every transmission.
func roundHalfAway(v float64) int32 {
	if v != v { // NaN: math.Round's NaN converts to int32's minimum on amd64; keep its answer
		return int32(math.Round(v))
	}
	t := int32(v)
	switch f := v - float64(t); {
	case f >= 0.5:
		t++
	case f <= -0.5:
		t--
	}
	return t
}

// quantSNR is the SNR (dB) link adaptation works at for snrDb: its
// transmissions' SNRs (phy.Transmission.SNRdB) follow from this one.
func quantSNR(snrDb float64) float64 { return float64(laStep(snrDb)) / 10 }

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
	snr := roundHalfAway(max(-400, min(400, snrDb)) * 2)
	k := dciKey(snr, rmax)
	if d, ok := n.dci.get(k); ok {
		return d
	}
	rs, err := phy.NPDCCHRepetitions(rmax)
	if err != nil || len(rs) == 0 {
		rs = []int{max(rmax, 1)}
	}
	d := phy.NPDCCHAirtime(decodableR(float64(snr)/2, rs, dciBits))
	n.dci.put(k, d)
	return d
}

// decodableR is the smallest repetition number of rs (ascending) at which a
// DCI of bits reaches 1 % BLER at SNR s dB, or the largest.
func decodableR(s float64, rs []int, bits int) int {
	req := phy.RequiredSNRdB(bits, 180000, time.Millisecond)
	for _, c := range rs {
		if phy.BLER(s+phy.RepetitionGainDb(c), req) <= 0.01 {
			return c
		}
	}
	return rs[len(rs)-1]
}

// grid is CE level ce's NPDCCH search space for a DCI of airtime dt (R
// repetitions of 1 ms): periods of Rmax·G from α_offset·Rmax·G, the
// Rmax/R candidates R subframes apart (TS 36.213 §16.6). The Type-2
// common search space (RAR, Msg4) and the UE-specific one (data) use the
// level's values alike (see docs/model.md).
func (ce *ceParams) grid(dt time.Duration) mac.Grid {
	r := max(1, int(dt/time.Millisecond))
	return mac.Grid{Period: ce.pdcch, Offset: ce.ssOffset, Step: dt, Count: max(1, ce.rmax/r)}
}

// Scheduling delays (TS 36.213): an NPDSCH starts at least 4 subframes
// after its DCI ends (subframe n+5, §16.4.1) plus k0 of Table 16.4.1-1, at
// most 128 subframes for Rmax < 128 and 1024 otherwise; an NPUSCH k0 = 8
// to 64 subframes after its DCI ends (Table 16.5.1-1).
const (
	pdschDelayMin = 4 * time.Millisecond
	puschDelayMin = 8 * time.Millisecond
	puschDelayMax = 64 * time.Millisecond
)

// pdschDelayMax is the longest DCI → NPDSCH delay for a search space with
// maximum Rmax.
func pdschDelayMax(rmax int) time.Duration {
	if rmax < 128 {
		return pdschDelayMin + 128*time.Millisecond
	}
	return pdschDelayMin + 1024*time.Millisecond
}

// dlSNR is the device's downlink SNR.
func (n *Network) dlSNR(u *ue) float64 { return n.dlSNRAt(float64(u.cl)) }

// dlSNRAt is the downlink SNR at coupling loss cl: phy.DLSNRdB, bit for
// bit, with the noise computed once.
func (n *Network) dlSNRAt(cl float64) float64 {
	return phy.SNRdB(n.sc.Radio.EnbTxPowerDbm, cl, n.radio.dlNoise, 0)
}

// radioOpts are the scenario's radio options the hot paths read: the
// NPUSCH subcarrier-spacing and tone policies, and the wake-up
// synchronisation time per CE level.
type radioOpts struct {
	only3750, allow3750   bool
	singleTone, multiTone bool
	// ulLaneScale is the number of uplink lanes per 15 kHz subcarrier: 4
	// when 3.75 kHz NPUSCH may be granted (48 lanes of 3.75 kHz: a 15 kHz
	// tone takes 4 aligned lanes, a 3.75 kHz tone one), else 1 (12 lanes,
	// so a 15 kHz-only carrier books exactly as before).
	ulLaneScale int
	sync        [3]time.Duration
	// Receiver noise (dBm), phy.ThermalNoiseDbm computed once: the UE's
	// over the carrier (downlink SNR), the eNB's over 15 kHz (NPUSCH link
	// adaptation) and 3.75 kHz (NPRACH).
	dlNoise, ulNoise15, ulNoise3750 float64
	// blockMW is phy.ReceiverBlockingDbm in mW; prachCeiling the NPRACH
	// noise rise of a blocked hopping group (detectPreambles).
	blockMW, prachCeiling float64
}

func newRadioOpts(r *scenarios.Radio) radioOpts {
	o := radioOpts{ulLaneScale: 1,
		dlNoise:     phy.ThermalNoiseDbm(phy.NBIoTCarrierHz, r.UeNoiseFigureDb),
		ulNoise15:   phy.ThermalNoiseDbm(15000, r.EnbNoiseFigureDb),
		ulNoise3750: phy.ThermalNoiseDbm(3750, r.EnbNoiseFigureDb),
		blockMW:     dbmToMW(phy.ReceiverBlockingDbm),
	}
	// Network.noise375 is the same value: the same expression.
	o.prachCeiling = 10 * math.Log10(1+o.blockMW/nprachHopGroup/dbmToMW(o.ulNoise3750))
	switch r.ULSubcarrierSpacing {
	case "3.75khz":
		o.only3750, o.allow3750 = true, true
	case "adaptive":
		o.allow3750 = true
	}
	if o.allow3750 {
		o.ulLaneScale = 4
	}
	switch r.ULTones {
	case "single":
		o.singleTone = true
	case "multi":
		o.multiTone = true
	}
	for i := range o.sync {
		if len(r.SyncTime) > 0 {
			o.sync[i] = r.SyncTime[min(i, len(r.SyncTime)-1)].D()
		}
	}
	return o
}

// ulShape sets the NPUSCH subcarrier-spacing and tone options of uplink
// link adaptation.
func (o *radioOpts) ulShape(l *phy.LinkAdaptOptions) {
	l.Allow3750Hz, l.Only3750Hz = o.allow3750, o.only3750
	l.SingleToneOnly, l.MultiToneOnly = o.singleTone, o.multiTone
}

// ulLanes is the number of uplink lanes transmission t occupies: its tones,
// times 4 on a carrier of 3.75 kHz lanes, where a 3.75 kHz tone takes one
// (a quarter of a 15 kHz subcarrier, for its 4× longer resource units).
func (o *radioOpts) ulLanes(t *phy.Transmission) int {
	if t.SCSHz == phy.SCS3750 {
		return 1
	}
	return t.Tones * o.ulLaneScale
}

// syncTime is the wake-up synchronisation time at CE level ce
// (radio.sync_time; the last entry serves the levels beyond the list).
func (o *radioOpts) syncTime(ce int) time.Duration { return o.sync[max(0, min(ce, 2))] }

// npusch375Power is the output power of a 3.75 kHz NPUSCH transmission of
// reps repetitions at coupling loss cl (TS 36.213 §16.2.1.1.1: M = 1/4);
// ulTransmit computes the 15 kHz power inline, this only for 3.75 kHz.
func (n *Network) npusch375Power(reps int, cl float64) float64 {
	r := &n.sc.Radio
	p, err := phy.NPUSCHTxPowerDbmSCS(reps, 1, phy.SCS3750, r.UeTxPowerDbm, r.NPUSCHP0Dbm, r.NPUSCHAlpha, cl)
	if err != nil { // cannot happen: 1 tone at 3.75 kHz is a valid shape
		return r.UeTxPowerDbm
	}
	return p
}

// flatTx is the flat transmit draw of a power profile, or 0 when the draw
// follows the output power.
func flatTx(p scenarios.Power) float64 {
	if p.TxModel == "flat" {
		return p.TxFlatMW
	}
	return 0
}
