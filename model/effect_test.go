package model

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/nbsim/nbsim/epc/mme"
	"github.com/nbsim/nbsim/epc/uenas"
)

// fakeEffect implements mme.Effect (through the embedded Page) without
// being one of its types: what an effect added without a handler looks
// like to the model.
type fakeEffect struct{ mme.Page }

// effectsCore is a Core whose HandleNAS returns effs.
type effectsCore struct {
	Core
	effs []mme.Effect
}

func (c effectsCore) HandleNAS(mme.UEID, []byte, time.Duration) []mme.Effect { return c.effs }

// TestEffectsHandled: exchange and downlinkEffects have a case for every
// mme.Effect (a SendNAS of nothing fails in the device, the others are
// taken) and fail with errUnhandledEffect, naming the type, on one they
// do not know.
func TestEffectsHandled(t *testing.T) {
	dev := func(t *testing.T) *encDev {
		d, err := uenas.New("001010000000001", [16]byte{}, [16]byte{}, "001", "01")
		if err != nil {
			t.Fatal(err)
		}
		return &encDev{d: d}
	}
	for _, ef := range append(mme.AllEffects(), fakeEffect{}) {
		_, unknown := ef.(fakeEffect)
		t.Run(fmt.Sprintf("%T", ef), func(t *testing.T) {
			e := &encoded{mme: effectsCore{effs: []mme.Effect{ef}}}
			_, other, err := e.exchange(nil, dev(t), []byte{0x07}, 0, nil)
			if errors.Is(err, errUnhandledEffect) != unknown {
				t.Errorf("exchange: %v", err)
			}
			if _, send := ef.(mme.SendNAS); !send && !unknown && (len(other) != 1 || fmt.Sprintf("%T", other[0]) != fmt.Sprintf("%T", ef)) {
				t.Errorf("exchange's other effects %#v, want %#v", other, ef)
			}
			if unknown && err.Error() != "model: unhandled MME effect model.fakeEffect" {
				t.Errorf("exchange: %v", err)
			}
			_, _, err = downlinkEffects(dev(t), []mme.Effect{ef})
			if errors.Is(err, errUnhandledEffect) != unknown {
				t.Errorf("downlinkEffects: %v", err)
			}
		})
	}
}
