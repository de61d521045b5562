package emulate

import (
	"errors"
	"time"

	"github.com/nbsim/nbsim/module"
)

// Coverage as the module sees it. The network's side is the model's: above
// the scenario's radio.max_coupling_loss_db a device has no cell. The
// module's side is what a real one reports: it notices the loss, searches,
// gives up and says so, and finds the cell again.
//
// The cell selection criterion S (TS 36.304 §5.2.3.2) is Srxlev =
// Qrxlevmeas − Qrxlevmin > 0 (no offsets, compensation or temporary offset
// here). The model's one coverage threshold, radio.max_coupling_loss_db, is
// taken as Qrxlevmin: Srxlev ≤ 0 exactly when the coupling loss exceeds it
// (Qrxlevmin = the RSRP at that loss, −131.8 dBm in the lab scenario).
//
// Losing the cell: a module idle (DRX or eDRX), connected or in an access
// notices at once (a real one within a few DRX cycles, TS 36.133, or by
// radio link failure, T310, when connected: not modelled); a module in
// PSM does not listen and notices only when it wakes (uplink data, its
// periodic TAU). It then reports +CEREG: 2 (searching: the EMM-REGISTERED
// substate PLMN-SEARCH / the first intensive search of TS 24.301 §5.2.3.2)
// and, SearchTime later, +CEREG: 4 (unknown, "e.g. out of E-UTRAN
// coverage", TS 27.007 §10.1.22: EMM-REGISTERED.NO-CELL-AVAILABLE, entered
// "after a first intensive search failed"). It stays EMM-REGISTERED: the
// network keeps its context. While out of service, sends fail at once
// (ErrNoService: the AT layer answers its error code), +CSQ is 99,99 and
// +CESQ 255 (no serving cell measured: Status.NoService).
//
// Back in coverage: the module finds the same cell (one tracking area, TAC 1,
// in its TAI list) and is registered again. No NAS procedure is needed
// (TS 24.301 §5.5.3.2.2: a TAU is for a TA outside the list, among others),
// unless T3412 expired while there was no cell: then the periodic TAU runs
// now (§5.3.5) and +CEREG: 1 follows its TAU ACCEPT.

// SearchTime is how long a module that lost its cell searches before it
// reports no cell available (+CEREG: 4). The length of that first
// intensive search is the module's own (TS 24.301 §5.2.3.2 does not give
// it); 10 s is this emulator's choice.
const SearchTime = 10 * time.Second

// ErrNoService is Send's error while the module has no cell.
var ErrNoService = errors.New("no service: no suitable cell (out of coverage)")

// Coupling losses the control API and the timeline accept, dB.
const (
	MinCouplingLoss = 40
	MaxCouplingLoss = 250
)

// checkCoverage compares what the module believes with the model: a
// module that is registered and listening (not in PSM, unless woken says
// it just woke up) loses service when its device is out of coverage; one
// without service gets it back when its device is in coverage again.
func (md *mod) checkCoverage(woken bool) {
	in, err := md.e.net.Info(md.id)
	if err != nil || !md.radioOn {
		return
	}
	switch {
	case in.OutOfCoverage && !md.noService && md.reg == module.Registered && (!in.PSM || woken):
		md.loseService()
	case !in.OutOfCoverage && md.noService:
		md.regainService(in.Updating)
	}
}

// loseService: the module found no suitable cell.
func (md *mod) loseService() {
	md.noService = true
	md.searchGen++
	gen := md.searchGen
	md.e.trace(md.n, "radio", "no suitable cell: searching")
	md.setReg(module.Searching, 0, "no service: no suitable cell (out of coverage)")
	md.e.net.Engine().AfterFunc(SearchTime, func() {
		if md.noService && md.searchGen == gen && md.radioOn {
			md.e.trace(md.n, "radio", "no cell available")
			md.setReg(module.Unknown, 0, "")
		}
	})
}

// regainService: the module's cell is back. With a TAU under way (T3412
// expired meanwhile), +CEREG: 1 waits for its TAU ACCEPT (hooks.Registered).
func (md *mod) regainService(updating bool) {
	md.noService = false
	md.searchGen++
	md.e.trace(md.n, "radio", "cell found")
	if updating {
		md.returning = true
		return
	}
	md.setReg(module.Registered, 0, "")
}
