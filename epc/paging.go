package epc

import "time"

// Reach describes when a registered device in idle mode can be paged.
type Reach struct {
	// DRX is the idle-mode paging cycle (TS 36.304 §7.1, T).
	DRX time.Duration
	// Offset places this device's paging occasion within each cycle: the
	// paging frame of UE_ID (TS 36.304 §7.1: SFN mod T = (T div N)·(UE_ID
	// mod N)), here with N = T (one PF per radio frame), so the offset is
	// (UE_ID mod T/10ms)·10ms.
	Offset time.Duration
	// EDRX, when > 0, is the eDRX cycle: the device is reachable only in a
	// paging time window PTW starting at its paging hyperframe (TS 36.304
	// §7.3), with paging occasions every DRX inside it.
	EDRX, PTW  time.Duration
	EDRXOffset time.Duration // PH start within the eDRX cycle
}

// UEIDOffset returns the paging offset for UE_ID = imsi mod 4096 (TS 36.304
// §7.1 for NB-IoT), for paging cycle drx.
func UEIDOffset(ueID uint64, drx time.Duration) time.Duration {
	frames := int64(drx / (10 * time.Millisecond))
	if frames <= 0 {
		return 0
	}
	return time.Duration(int64(ueID%4096)%frames) * 10 * time.Millisecond
}

// NextPO returns the first paging occasion at or after t (virtual ns).
func (r Reach) NextPO(t int64) int64 {
	drx := int64(r.DRX)
	if drx <= 0 {
		return t
	}
	off := int64(r.Offset) % drx
	next := func(t int64) int64 { // next DRX PO ≥ t
		if t <= off {
			return off
		}
		k := (t - off + drx - 1) / drx
		return k*drx + off
	}
	if r.EDRX <= 0 {
		return next(t)
	}
	cyc := int64(r.EDRX)
	ph := int64(r.EDRXOffset) % cyc
	ptw := int64(r.PTW)
	if ptw <= 0 || ptw > cyc {
		ptw = cyc
	}
	// window k covers [k·cyc+ph, k·cyc+ph+ptw); start from the last window
	// that opened at or before t (floor division: before the first PH, the
	// window of the previous cycle may still be open, as it wraps past the
	// cycle's end when ph+ptw > cyc).
	k := (t - ph) / cyc
	if (t-ph)%cyc < 0 {
		k--
	}
	for i := 0; i < 3; i++ {
		ws := k*cyc + ph
		we := ws + ptw
		s := t
		if s < ws {
			s = ws
		}
		if po := next(s); po < we {
			return po
		}
		k++
	}
	return next(t) // unreachable with sane parameters
}

// PagingOccasionsPerSecond is the average rate at which a device in idle
// mode wakes for a paging occasion: 1/DRX without eDRX, (PTW/DRX)/eDRX with it.
func (r Reach) PagingOccasionsPerSecond() float64 {
	if r.DRX <= 0 {
		return 0
	}
	if r.EDRX <= 0 {
		return 1 / r.DRX.Seconds()
	}
	ptw := r.PTW
	if ptw <= 0 || ptw > r.EDRX {
		ptw = r.EDRX
	}
	n := float64(int64(ptw / r.DRX))
	if n < 1 {
		n = 1
	}
	return n / r.EDRX.Seconds()
}
