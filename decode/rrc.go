package decode

import (
	"errors"
	"fmt"
)

// NAS inside LTE RRC (TS 36.331), for GSMTAP captures of a modem's
// signalling. Only the few messages that carry dedicatedInfoNAS are read,
// with a hand-written unaligned-PER (X.691) walk of the fields before it:
//
//	UL-DCCH  rrcConnectionSetupComplete (r8), ulInformationTransfer (r8)
//	DL-DCCH  dlInformationTransfer (r8), rrcConnectionReconfiguration (r8)
//	         with or without measConfig (walked in full: measurement
//	         objects, report configurations, measurement identities,
//	         quantity and gap configuration, s-Measure, HRPD
//	         pre-registration, speed state parameters; extension additions
//	         and extension alternatives are skipped by their length), but
//	         not after mobilityControlInfo (a handover: decoding it would
//	         need the radio resource configuration of most of 36.331)
//
// Other messages carry no NAS and are skipped. The walk is bounded by the
// message: every list has a constrained size, every length is checked
// against what is left, and a short or malformed message is an error.
// GSMTAP LTE RRC sub-types (osmocom gsmtap.h).
const (
	gsmtapRRCDLDCCH = 1
	gsmtapRRCULDCCH = 3
)

type rrcNASPDU struct {
	where string // message name
	nas   []byte
	off   int // byte offset of the NAS-PDU in the RRC PDU (-1 if not on a byte boundary)
	err   error
}

type bitReader struct {
	b   []byte
	pos int // in bits
	err error
}

var errRRCShort = errors.New("RRC message ends early")

func (r *bitReader) bits(n int) uint32 {
	if r.err != nil {
		return 0
	}
	if r.pos+n > len(r.b)*8 {
		r.err = errRRCShort
		return 0
	}
	var v uint32
	for i := 0; i < n; i++ {
		bit := r.b[(r.pos)/8] >> (7 - uint(r.pos%8)) & 1
		v = v<<1 | uint32(bit)
		r.pos++
	}
	return v
}

// fail records the first error.
func (r *bitReader) fail(err error) {
	if r.err == nil {
		r.err = err
	}
}

// skip passes n bits.
func (r *bitReader) skip(n int) {
	if r.err != nil {
		return
	}
	if n < 0 || r.pos+n > len(r.b)*8 {
		r.err = errRRCShort
		return
	}
	r.pos += n
}

// width is the number of bits of a constrained whole number with n values
// (X.691 §11.5.7.1: none for a single value).
func width(n int) int {
	w := 0
	for 1<<w < n {
		w++
	}
	return w
}

// cons reads a constrained whole number lo..hi.
func (r *bitReader) cons(lo, hi int) int { return lo + int(r.bits(width(hi-lo+1))) }

// opts reads the presence bitmap of n OPTIONAL or DEFAULT components.
func (r *bitReader) opts(n int) presence { return presence{v: r.bits(n), n: n} }

type presence struct {
	v uint32
	n int
}

// has tells whether component i (from 0, in ASN.1 order) is present.
func (p presence) has(i int) bool { return p.v>>(p.n-1-i)&1 == 1 }

// length reads an unconstrained length determinant (X.691 §11.9.3.6-7);
// fragmented lengths (16K and more) are refused.
func (r *bitReader) length() int {
	n := int(r.bits(8))
	if n&0x80 == 0 {
		return n
	}
	if n&0x40 != 0 {
		r.fail(errors.New("fragmented length"))
		return 0
	}
	return (n&0x3f)<<8 | int(r.bits(8))
}

// openType skips an open type: an extension addition group or an extension
// alternative of a CHOICE (X.691 §11.2).
func (r *bitReader) openType() { r.skip(8 * r.length()) }

// smallNumber reads a normally small non-negative whole number (§11.6), -1
// for one of 64 or more.
func (r *bitReader) smallNumber() int {
	if r.bits(1) == 0 {
		return int(r.bits(6))
	}
	r.skip(8 * r.length())
	return -1
}

// enum passes an ENUMERATED of n root values, extensible or not.
func (r *bitReader) enum(n int, ext bool) {
	if ext && r.bits(1) == 1 {
		r.smallNumber()
		return
	}
	r.skip(width(n))
}

// choice reads the index of a CHOICE of n root alternatives; an extension
// alternative is skipped and gives -1.
func (r *bitReader) choice(n int, ext bool) int {
	if ext && r.bits(1) == 1 {
		r.smallNumber()
		r.openType()
		return -1
	}
	return int(r.bits(width(n)))
}

// list walks a SEQUENCE (SIZE (lo..hi)) OF item.
func (r *bitReader) list(lo, hi int, item func()) {
	n := r.cons(lo, hi)
	for i := 0; i < n && r.err == nil; i++ {
		item()
	}
}

// extensions skips the extension additions of a SEQUENCE whose extension
// bit is set (§19.7-19.9): a bitmap, after its normally small length, and
// an open type for each addition present.
func (r *bitReader) extensions() {
	var n int
	if r.bits(1) == 0 {
		n = int(r.bits(6)) + 1
	} else {
		n = r.length()
	}
	present := 0
	for i := 0; i < n && r.err == nil; i++ {
		present += int(r.bits(1))
	}
	for i := 0; i < present && r.err == nil; i++ {
		r.openType()
	}
}

// octets reads an unconstrained OCTET STRING (lengths below 16384).
func (r *bitReader) octets() ([]byte, int) {
	n := int(r.bits(8))
	if n&0x80 != 0 {
		if n&0x40 != 0 {
			r.err = errors.New("fragmented OCTET STRING length")
			return nil, -1
		}
		n = (n&0x3f)<<8 | int(r.bits(8))
	}
	off := -1
	if r.pos%8 == 0 {
		off = r.pos / 8
	}
	out := make([]byte, n)
	for i := range out {
		out[i] = byte(r.bits(8))
	}
	if r.err != nil {
		return nil, -1
	}
	return out, off
}

// rrcNAS extracts the NAS-PDUs of a GSMTAP LTE RRC payload.
func rrcNAS(subtype uint8, b []byte) []rrcNASPDU {
	r := &bitReader{b: b}
	one := func(where string) []rrcNASPDU {
		nasb, off := r.octets()
		if r.err != nil {
			return []rrcNASPDU{{where: where, err: fmt.Errorf("dedicatedInfoNAS at bit %d: %w", r.pos, r.err)}}
		}
		return []rrcNASPDU{{where: where, nas: nasb, off: off}}
	}
	switch subtype {
	case gsmtapRRCULDCCH:
		if r.bits(1) != 0 { // messageClassExtension
			return nil
		}
		switch r.bits(4) {
		case 4: // rrcConnectionSetupComplete
			const where = "UL-DCCH RRCConnectionSetupComplete"
			r.bits(2) // rrc-TransactionIdentifier
			if r.bits(1) != 0 || r.bits(2) != 0 {
				return nil // criticalExtensionsFuture / spare
			}
			regMME := r.bits(1)
			r.bits(1) // nonCriticalExtension present
			r.bits(3) // selectedPLMN-Identity
			if regMME == 1 {
				if r.bits(1) == 1 { // plmn-Identity
					if r.bits(1) == 1 { // mcc
						r.bits(12)
					}
					r.bits(4 * (2 + int(r.bits(1))))
				}
				r.bits(16 + 8) // mmegi, mmec
			}
			return one(where)
		case 9: // ulInformationTransfer
			const where = "UL-DCCH ULInformationTransfer"
			if r.bits(1) != 0 || r.bits(2) != 0 {
				return nil
			}
			r.bits(1) // nonCriticalExtension present
			if r.bits(2) != 0 {
				return nil // CDMA2000
			}
			return one(where)
		}
	case gsmtapRRCDLDCCH:
		if r.bits(1) != 0 {
			return nil
		}
		switch r.bits(4) {
		case 1: // dlInformationTransfer
			const where = "DL-DCCH DLInformationTransfer"
			r.bits(2)
			if r.bits(1) != 0 || r.bits(2) != 0 {
				return nil
			}
			r.bits(1)
			if r.bits(2) != 0 {
				return nil
			}
			return one(where)
		case 4: // rrcConnectionReconfiguration
			const where = "DL-DCCH RRCConnectionReconfiguration"
			r.bits(2)
			if r.bits(1) != 0 || r.bits(3) != 0 {
				return nil
			}
			// measConfig, mobilityControlInfo, dedicatedInfoNASList,
			// radioResourceConfigDedicated, securityConfigHO,
			// nonCriticalExtension
			opt := r.opts(6)
			if r.err != nil || !opt.has(2) { // no dedicatedInfoNASList
				return nil
			}
			if opt.has(0) {
				r.measConfig()
				if r.err != nil {
					return []rrcNASPDU{{where: where, err: fmt.Errorf("measConfig at bit %d: %w", r.pos, r.err)}}
				}
			}
			if opt.has(1) {
				return []rrcNASPDU{{where: where, err: errors.New("dedicatedInfoNASList after mobilityControlInfo: not extracted")}}
			}
			n := int(r.bits(4)) + 1
			var out []rrcNASPDU
			for i := 0; i < n; i++ {
				out = append(out, one(where)...)
				if r.err != nil {
					break
				}
			}
			return out
		}
	}
	return nil
}

// Measurement configuration (TS 36.331 §6.3.5), skipped field by field.
// Sizes: maxObjectId, maxReportConfigId, maxMeasId and maxCellMeas are 32,
// maxCellReport 8.

// measConfig skips MeasConfig.
func (r *bitReader) measConfig() {
	ext := r.bits(1)
	o := r.opts(11)
	if o.has(0) { // measObjectToRemoveList
		r.list(1, 32, func() { r.skip(5) })
	}
	if o.has(1) { // measObjectToAddModList
		r.list(1, 32, r.measObjectToAddMod)
	}
	if o.has(2) { // reportConfigToRemoveList
		r.list(1, 32, func() { r.skip(5) })
	}
	if o.has(3) { // reportConfigToAddModList
		r.list(1, 32, r.reportConfigToAddMod)
	}
	if o.has(4) { // measIdToRemoveList
		r.list(1, 32, func() { r.skip(5) })
	}
	if o.has(5) { // measIdToAddModList: measId, measObjectId, reportConfigId
		r.list(1, 32, func() { r.skip(5 + 5 + 5) })
	}
	if o.has(6) {
		r.quantityConfig()
	}
	if o.has(7) { // measGapConfig: release, setup { gapOffset }
		if r.choice(2, false) == 1 {
			switch r.choice(2, true) {
			case 0:
				r.cons(0, 39) // gp0
			case 1:
				r.cons(0, 79) // gp1
			}
		}
	}
	if o.has(8) { // s-Measure: RSRP-Range
		r.skip(7)
	}
	if o.has(9) { // preRegistrationInfoHRPD
		p := r.opts(2)
		r.skip(1) // preRegistrationAllowed
		if p.has(0) {
			r.skip(8) // preRegistrationZoneId
		}
		if p.has(1) {
			r.list(1, 2, func() { r.skip(8) })
		}
	}
	if o.has(10) { // speedStatePars: release, setup
		if r.choice(2, false) == 1 {
			// MobilityStateParameters: t-Evaluation, t-HystNormal,
			// n-CellChangeMedium, n-CellChangeHigh; SpeedStateScaleFactors:
			// sf-Medium, sf-High
			r.skip(3 + 3 + 4 + 4 + 2 + 2)
		}
	}
	if ext == 1 {
		r.extensions()
	}
}

func (r *bitReader) measObjectToAddMod() {
	r.skip(5) // measObjectId
	switch r.choice(4, true) {
	case 0:
		r.measObjectEUTRA()
	case 1:
		r.measObjectUTRA()
	case 2:
		r.measObjectGERAN()
	case 3:
		r.measObjectCDMA2000()
	}
}

// cellIndexList skips CellIndexList.
func (r *bitReader) cellIndexList() { r.list(1, 32, func() { r.skip(5) }) }

func (r *bitReader) measObjectEUTRA() {
	ext := r.bits(1)
	// offsetFreq, cellsToRemoveList, cellsToAddModList,
	// blackCellsToRemoveList, blackCellsToAddModList, cellForWhichToReportCGI
	o := r.opts(6)
	// carrierFreq, allowedMeasBandwidth, presenceAntennaPort1, neighCellConfig
	r.skip(16 + 3 + 1 + 2)
	if o.has(0) {
		r.skip(5) // Q-OffsetRange
	}
	if o.has(1) {
		r.cellIndexList()
	}
	if o.has(2) { // cellIndex, physCellId, cellIndividualOffset
		r.list(1, 32, func() { r.skip(5 + 9 + 5) })
	}
	if o.has(3) {
		r.cellIndexList()
	}
	if o.has(4) { // cellIndex, PhysCellIdRange
		r.list(1, 32, func() {
			r.skip(5)
			p := r.opts(1)
			r.skip(9) // start
			if p.has(0) {
				r.skip(4) // range
			}
		})
	}
	if o.has(5) {
		r.skip(9) // PhysCellId
	}
	if ext == 1 {
		r.extensions()
	}
}

func (r *bitReader) measObjectUTRA() {
	ext := r.bits(1)
	// offsetFreq, cellsToRemoveList, cellsToAddModList, cellForWhichToReportCGI
	o := r.opts(4)
	r.skip(14) // carrierFreq: ARFCN-ValueUTRA
	if o.has(0) {
		r.skip(5) // Q-OffsetRangeInterRAT
	}
	if o.has(1) {
		r.cellIndexList()
	}
	if o.has(2) { // FDD or TDD cells: cellIndex, physCellId
		switch r.choice(2, false) {
		case 0:
			r.list(1, 32, func() { r.skip(5 + 9) })
		case 1:
			r.list(1, 32, func() { r.skip(5 + 7) })
		}
	}
	if o.has(3) {
		switch r.choice(2, false) {
		case 0:
			r.skip(9)
		case 1:
			r.skip(7)
		}
	}
	if ext == 1 {
		r.extensions()
	}
}

func (r *bitReader) measObjectGERAN() {
	ext := r.bits(1)
	o := r.opts(3) // offsetFreq, ncc-Permitted, cellForWhichToReportCGI
	// CarrierFreqsGERAN: startingARFCN, bandIndicator, followingARFCNs
	r.skip(10 + 1)
	switch r.choice(3, false) {
	case 0: // explicitListOfARFCNs
		r.list(0, 31, func() { r.skip(10) })
	case 1: // equallySpacedARFCNs: arfcn-Spacing, numberOfFollowingARFCNs
		r.skip(3 + 5)
	case 2: // variableBitMapOfARFCNs
		r.skip(8 * r.cons(1, 16))
	}
	if o.has(0) {
		r.skip(5) // Q-OffsetRangeInterRAT
	}
	if o.has(1) {
		r.skip(8) // ncc-Permitted
	}
	if o.has(2) {
		r.skip(3 + 3) // PhysCellIdGERAN
	}
	if ext == 1 {
		r.extensions()
	}
}

func (r *bitReader) measObjectCDMA2000() {
	ext := r.bits(1)
	// searchWindowSize, offsetFreq, cellsToRemoveList, cellsToAddModList,
	// cellForWhichToReportCGI
	o := r.opts(5)
	r.skip(1)        // cdma2000-Type
	r.enum(32, true) // CarrierFreqCDMA2000: bandClass
	r.skip(11)       // arfcn
	if o.has(0) {
		r.skip(4)
	}
	if o.has(1) {
		r.skip(5)
	}
	if o.has(2) {
		r.cellIndexList()
	}
	if o.has(3) { // cellIndex, PhysCellIdCDMA2000
		r.list(1, 32, func() { r.skip(5 + 9) })
	}
	if o.has(4) {
		r.skip(9)
	}
	if ext == 1 {
		r.extensions()
	}
}

func (r *bitReader) reportConfigToAddMod() {
	r.skip(5) // reportConfigId
	switch r.choice(2, false) {
	case 0:
		r.reportConfigEUTRA()
	case 1:
		r.reportConfigInterRAT()
	}
}

// thresholdEUTRA skips ThresholdEUTRA: RSRP-Range or RSRQ-Range.
func (r *bitReader) thresholdEUTRA() {
	switch r.choice(2, false) {
	case 0:
		r.skip(7)
	case 1:
		r.skip(6)
	}
}

func (r *bitReader) reportConfigEUTRA() {
	ext := r.bits(1)
	switch r.choice(2, false) { // triggerType
	case 0: // event
		switch r.choice(5, true) {
		case 0, 1, 3: // A1, A2, A4
			r.thresholdEUTRA()
		case 2: // A3: a3-Offset, reportOnLeave
			r.skip(6 + 1)
		case 4: // A5
			r.thresholdEUTRA()
			r.thresholdEUTRA()
		}
		r.skip(5 + 4) // hysteresis, timeToTrigger
	case 1: // periodical: purpose
		r.skip(1)
	}
	// triggerQuantity, reportQuantity, maxReportCells, reportInterval,
	// reportAmount
	r.skip(1 + 1 + 3 + 4 + 3)
	if ext == 1 {
		r.extensions()
	}
}

func (r *bitReader) reportConfigInterRAT() {
	ext := r.bits(1)
	threshold := func() { // UTRA (RSCP or EcN0), GERAN, CDMA2000
		switch r.choice(3, false) {
		case 0:
			switch r.choice(2, false) {
			case 0:
				r.skip(7)
			case 1:
				r.skip(6)
			}
		case 1, 2:
			r.skip(6)
		}
	}
	switch r.choice(2, false) { // triggerType
	case 0: // event
		switch r.choice(2, true) {
		case 0: // B1
			threshold()
		case 1: // B2
			r.thresholdEUTRA()
			threshold()
		}
		r.skip(5 + 4) // hysteresis, timeToTrigger
	case 1: // periodical: purpose
		r.skip(2)
	}
	r.skip(3 + 4 + 3) // maxReportCells, reportInterval, reportAmount
	if ext == 1 {
		r.extensions()
	}
}

func (r *bitReader) quantityConfig() {
	ext := r.bits(1)
	o := r.opts(4)                        // EUTRA, UTRA, GERAN, CDMA2000
	filter := func() { r.enum(16, true) } // FilterCoefficient
	if o.has(0) {                         // filterCoefficientRSRP, filterCoefficientRSRQ
		q := r.opts(2)
		for i := 0; i < 2; i++ {
			if q.has(i) {
				filter()
			}
		}
	}
	if o.has(1) { // measQuantityUTRA-FDD, measQuantityUTRA-TDD (one value), filterCoefficient
		q := r.opts(1)
		r.skip(1)
		if q.has(0) {
			filter()
		}
	}
	if o.has(2) { // measQuantityGERAN (one value), filterCoefficient
		if r.opts(1).has(0) {
			filter()
		}
	}
	if o.has(3) { // measQuantityCDMA2000
		r.skip(1)
	}
	if ext == 1 {
		r.extensions()
	}
}
