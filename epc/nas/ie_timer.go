package nas

import (
	"fmt"
	"time"

	"github.com/nbsim/nbsim/gpp"
)

// GPRSTimer is TS 24.008 §10.5.7.3 (T3412, T3402, T3423, T3442): timer
// unit in bits 8-6, timer value in bits 5-1.
type GPRSTimer uint8

// GPRSTimer2 is TS 24.008 §10.5.7.4 (T3324, T3346, T3448, T3402 in
// ATTACH REJECT): the same octet as GPRSTimer, in a TLV IE.
type GPRSTimer2 uint8

// GPRSTimer3 is TS 24.008 §10.5.7.4a (T3412 extended value, T3396,
// back-off timer, T3447): its own units, in a TLV IE.
type GPRSTimer3 uint8

// TimerDeactivated is the octet with unit 111: the timer is deactivated.
// It has the same value for the three timer formats.
const TimerDeactivated = gpp.TimerDeactivated

// Unit is bits 8-6; Value bits 5-1.
func (t GPRSTimer) Unit() uint8  { return uint8(t) >> 5 }
func (t GPRSTimer) Value() uint8 { return uint8(t) & 0x1f }

// Duration is the timer value; ok is false when the timer is deactivated.
func (t GPRSTimer) Duration() (d time.Duration, ok bool) { return gpp.GPRSTimerDuration(uint8(t)) }
func (t GPRSTimer) String() string                       { return timerString(t.Duration()) }

// Unit is bits 8-6; Value bits 5-1.
func (t GPRSTimer2) Unit() uint8  { return uint8(t) >> 5 }
func (t GPRSTimer2) Value() uint8 { return uint8(t) & 0x1f }

// Duration is the timer value; ok is false when the timer is deactivated.
func (t GPRSTimer2) Duration() (time.Duration, bool) { return gpp.GPRSTimerDuration(uint8(t)) }
func (t GPRSTimer2) String() string                  { return timerString(t.Duration()) }

// Unit is bits 8-6; Value bits 5-1.
func (t GPRSTimer3) Unit() uint8  { return uint8(t) >> 5 }
func (t GPRSTimer3) Value() uint8 { return uint8(t) & 0x1f }

// Duration is the timer value; ok is false when the timer is deactivated.
func (t GPRSTimer3) Duration() (time.Duration, bool) { return gpp.GPRSTimer3Duration(uint8(t)) }
func (t GPRSTimer3) String() string                  { return timerString(t.Duration()) }

func timerString(d time.Duration, ok bool) string {
	if ok {
		return d.String()
	}
	return "deactivated"
}

func (t *GPRSTimer) encodeValue(e *encoder)  { e.u8(uint8(*t)) }
func (t *GPRSTimer2) encodeValue(e *encoder) { e.u8(uint8(*t)) }
func (t *GPRSTimer3) encodeValue(e *encoder) { e.u8(uint8(*t)) }

func (t *GPRSTimer) decodeValue(v []byte) error {
	if len(v) != 1 {
		return invalidf("GPRS timer of %d octets", len(v))
	}
	*t = GPRSTimer(v[0])
	return nil
}

func (t *GPRSTimer2) decodeValue(v []byte) error {
	if len(v) != 1 {
		return invalidf("GPRS timer 2 of %d octets", len(v))
	}
	*t = GPRSTimer2(v[0])
	return nil
}

func (t *GPRSTimer3) decodeValue(v []byte) error {
	if len(v) != 1 {
		return invalidf("GPRS timer 3 of %d octets", len(v))
	}
	*t = GPRSTimer3(v[0])
	return nil
}

// DRXParameter is TS 24.008 §10.5.5.6 as TS 24.301 §9.9.3.8 uses it.
type DRXParameter struct {
	SplitPGCycleCode uint8 // octet 2
	// CNCoefficient is bits 8-5 of octet 3: CN specific DRX cycle length
	// coefficient and DRX value for S1 mode (0: not specified by the MS;
	// 6..9: T = 32, 64, 128, 256).
	CNCoefficient uint8
	SplitOnCCCH   bool  // bit 4
	NonDRXTimer   uint8 // bits 3-1
}

func (p *DRXParameter) encodeValue(e *encoder) {
	e.u8(p.SplitPGCycleCode)
	var s uint8
	if p.SplitOnCCCH {
		s = 0x08
	}
	e.u8(p.CNCoefficient&0x0f<<4 | s | p.NonDRXTimer&0x07)
}

func (p *DRXParameter) decodeValue(v []byte) error {
	if len(v) != 2 {
		return invalidf("DRX parameter of %d octets", len(v))
	}
	*p = DRXParameter{SplitPGCycleCode: v[0], CNCoefficient: v[1] >> 4,
		SplitOnCCCH: v[1]&0x08 != 0, NonDRXTimer: v[1] & 0x07}
	return nil
}

// ExtendedDRXParameters is TS 24.008 §10.5.5.32 as TS 24.301 §9.9.3.46
// uses it: paging time window (bits 8-5) and eDRX value (bits 4-1).
type ExtendedDRXParameters struct {
	PagingTimeWindow uint8
	EDRXValue        uint8
}

func (p ExtendedDRXParameters) String() string {
	return fmt.Sprintf("PTW %d eDRX %d", p.PagingTimeWindow, p.EDRXValue)
}

func (p *ExtendedDRXParameters) encodeValue(e *encoder) {
	e.u8(p.PagingTimeWindow&0x0f<<4 | p.EDRXValue&0x0f)
}

func (p *ExtendedDRXParameters) decodeValue(v []byte) error {
	if len(v) != 1 {
		return invalidf("extended DRX parameters of %d octets", len(v))
	}
	*p = ExtendedDRXParameters{PagingTimeWindow: v[0] >> 4, EDRXValue: v[0] & 0x0f}
	return nil
}
