package emulate

import (
	"math"
	"time"

	"github.com/nbsim/nbsim/device"
	"github.com/nbsim/nbsim/model"
	"github.com/nbsim/nbsim/module"
)

func log10p(x float64) float64   { return math.Log10(x) }
func dbToLin(db float64) float64 { return math.Pow(10, db/10) }

// energy turns the model's account of a module into the module's energy
// report: time per power state, charge used, charge per message, and the
// battery life if the firmware kept doing what it did (the average power
// over the time observed, with the battery's self-discharge and usable
// fraction as in results.json).
func energy(in model.Info, batteryMAh float64) module.Energy {
	b := in.Battery
	if batteryMAh > 0 {
		b.CapacityMAh = batteryMAh
	}
	e := module.Energy{Time: map[string]time.Duration{}, Messages: in.Messages, BatteryMAh: b.CapacityMAh}
	// The module's state names (module.Energy): connected reception
	// includes monitoring and C-DRX.
	names := map[string]string{"psm": "psm", "idle": "idle", "off": "off", "tx": "connected-tx",
		"rx": "connected-rx", "connected": "connected-rx", "cdrx": "connected-rx"}
	for st, v := range in.StateTime {
		if n, ok := names[device.State(st).String()]; ok {
			e.Time[n] += v
		}
	}
	v := b.VoltageV
	if v <= 0 {
		v = 3.6
	}
	e.Charge = in.EnergyMJ / v / 3600 // mJ / V = mC; / 3600 = mAh
	if in.Messages > 0 {
		e.PerMessage = e.Charge / float64(in.Messages)
	}
	if s := in.Elapsed.Seconds(); s > 0 && in.EnergyMJ > 0 {
		e.BatteryYears = b.Years(in.EnergyMJ / s)
	}
	return e
}
