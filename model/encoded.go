package model

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/nbsim/nbsim/epc"
	"github.com/nbsim/nbsim/epc/hss"
	"github.com/nbsim/nbsim/epc/mme"
	"github.com/nbsim/nbsim/epc/nas"
	"github.com/nbsim/nbsim/epc/security"
	"github.com/nbsim/nbsim/epc/uenas"
	"github.com/nbsim/nbsim/sim"
)

// Encoded signalling: every NAS message of a device is built by the device's
// NAS (epc/uenas) or the MME (epc/mme), encoded, protected with the device's
// real security context, parsed and processed by the other side; message
// sizes on the air and on S1-MME are those of the encodings. The model keeps
// deciding timing (radio, scheduling, timers); the core's state machines
// check and answer every message, and their counters (rejects, discarded
// messages) are reported.
type encoded struct {
	mme  *mme.MME
	hss  *hss.Store
	devs []*encDev // by device index, created at first use
	mcc  string
	mnc  string
	zero []byte // payload bytes (their content does not matter), reused
}

type encDev struct {
	d     *uenas.Device
	id    mme.UEID
	legs  []leg
	fails int
}

// radioOverhead is what RRC, PDCP, RLC and MAC add to a NAS message on the
// air (dedicatedInfoNAS in ULInformationTransfer-NB / DLInformationTransfer-NB,
// headers; approximate).
const radioOverhead = 10

// imsiBase is the IMSI of device 0 in the default subscriber file.
const imsiBase = 1010000000001

func newEncoded(n *Network) (*encoded, error) {
	h, err := hss.Default()
	if err != nil {
		return nil, err
	}
	cfg := mme.DefaultConfig()
	core := n.sc.Core
	if p, err := epc.ParsePolicy(core.PSM.Policy); err == nil {
		cfg.PSM = epc.PSMPolicy{Policy: p, T3324Min: core.PSM.Min.D(), T3324Max: core.PSM.Max.D(),
			T3412Min: core.PSM.T3412Min.D(), T3412Max: core.PSM.T3412Max.D()}
	}
	if p, err := epc.ParsePolicy(core.EDRX.Policy); err == nil {
		cfg.EDRX = epc.EDRXPolicy{Policy: p, Min: core.EDRX.Min.D(), Max: core.EDRX.Max.D()}
	}
	cfg.BufferTime, cfg.BufferPackets = core.MTBufferTime.D(), core.MTBufferPackets
	seed := n.seed
	m, err := mme.New(cfg, h, rand.NewChaCha8(seedBytes(seed)))
	if err != nil {
		return nil, err
	}
	if uint64(len(n.ues)) > h.Count() {
		return nil, fmt.Errorf("signalling: encoded needs a subscriber per device: %d devices, %d subscribers", len(n.ues), h.Count())
	}
	return &encoded{mme: m, hss: h, devs: make([]*encDev, len(n.ues)), mcc: cfg.MCC, mnc: cfg.MNC}, nil
}

func seedBytes(seed uint64) [32]byte {
	var b [32]byte
	s := sim.NewStream(seed, "core", 0, "rand")
	for i := 0; i < 4; i++ {
		v := s.Uint64()
		for j := 0; j < 8; j++ {
			b[i*8+j] = byte(v >> (8 * j))
		}
	}
	return b
}

// dev returns device id's NAS, creating it with its subscription and the
// group's PSM/eDRX requests.
func (e *encoded) dev(n *Network, id int32) (*encDev, error) {
	if d := e.devs[id]; d != nil {
		return d, nil
	}
	imsi := fmt.Sprintf("%015d", imsiBase+int64(id))
	sub, ok := e.hss.Lookup(imsi)
	if !ok {
		return nil, fmt.Errorf("no subscriber %s", imsi)
	}
	d, err := uenas.New(imsi, sub.K, sub.OPc, e.mcc, e.mnc)
	if err != nil {
		return nil, err
	}
	g := n.groups[n.ues[id].group].cfg
	d.PSM = epc.PSMRequest{Enabled: g.PSM.Enabled, T3324: g.PSM.T3324.D(), T3412: g.PSM.T3412.D()}
	d.EDRX = epc.EDRXRequest{Enabled: g.EDRX.Enabled, Cycle: g.EDRX.Cycle.D(), PTW: g.EDRX.PTW.D()}
	ed := &encDev{d: d}
	e.devs[id] = ed
	return ed, nil
}

// exchange sends an uplink NAS message and runs the conversation it starts
// until neither side has more to say, appending every message as a leg.
// It returns the MME's other effects.
func (e *encoded) exchange(n *Network, ed *encDev, up []byte, now sim.Time, legs []leg) ([]leg, []mme.Effect, error) {
	var other []mme.Effect
	queue := [][]byte{up}
	for len(queue) > 0 {
		msg := queue[0]
		queue = queue[1:]
		legs = append(legs, leg{up: true, nas: true, bytes: len(msg) + radioOverhead})
		for _, eff := range e.mme.HandleNAS(ed.id, msg, time.Duration(now)) {
			s, ok := eff.(mme.SendNAS)
			if !ok {
				other = append(other, eff)
				continue
			}
			legs = append(legs, leg{up: false, nas: true, bytes: len(s.NAS) + radioOverhead})
			reply, err := ed.d.Handle(s.NAS)
			if err != nil {
				return legs, other, fmt.Errorf("%s: device on %s: %w", ed.d.IMSI, s.Msg, err)
			}
			if reply != nil {
				queue = append(queue, reply)
			}
		}
	}
	return legs, other, nil
}

// attachNow registers a device before the run starts (initially attached
// devices): both sides get the security context an attach would have left,
// with K_ASME = KDF(K, FC 0x7f, "nbsim pre-run attach") standing in for the
// one AKA would have derived (FC 0x7f is not a 3GPP value: this context is
// nbsim's own), and the MME's grants.
func (e *encoded) attachNow(n *Network, id int32) error {
	ed, err := e.dev(n, id)
	if err != nil {
		return err
	}
	sub, _ := e.hss.Lookup(ed.d.IMSI)
	kasme := security.KDF(sub.K[:], 0x7f, []byte("nbsim pre-run attach"))
	u, err := e.mme.Preattach(ed.d.IMSI, kasme, ed.d.PSM, ed.d.EDRX, ed.d.PDNType)
	if err != nil {
		return err
	}
	ed.id = u.ID
	enc, integ := e.mme.Algorithms()
	return ed.d.Preattach(kasme, enc, integ, u.PSM, u.EDRX, u.Addr)
}

// entryLegs runs the signalling of an access purpose and returns its legs.
func (e *encoded) entryLegs(n *Network, id int32, p purpose, now sim.Time) ([]leg, error) {
	ed, err := e.dev(n, id)
	if err != nil {
		return nil, err
	}
	var first []byte
	switch p {
	case pAttach:
		ed.id = e.mme.Connect()
		first, err = ed.d.AttachRequest()
	case pTAU:
		first, err = ed.d.TAURequest()
	case pMT:
		first, err = ed.d.ServiceRequest(nil, nas.DDXNoInformation)
	default:
		ed.legs = ed.legs[:0]
		return nil, nil // control-plane data: the first report rides in Msg5
	}
	if err != nil {
		return nil, err
	}
	legs, _, err := e.exchange(n, ed, first, now, ed.legs[:0])
	ed.legs = legs
	if err == nil && p == pAttach && !ed.d.Registered {
		err = fmt.Errorf("%s: attach rejected: %v", ed.d.IMSI, ed.d.Rejected)
	}
	return legs, err
}

// uplinkData encodes one report: a Control Plane Service Request carrying
// it when it opens the connection, else an ESM DATA TRANSPORT; with release
// assistance when the group uses RAI and no more reports wait.
func (e *encoded) uplinkData(n *Network, id int32, u *ue, payload int) (int, error) {
	ed, err := e.dev(n, id)
	if err != nil {
		return 0, err
	}
	g := n.groups[u.group].cfg
	rai := nas.DDXNoInformation
	if g.RAI && len(u.pend) == 1 {
		rai = nas.DDXNoFurtherData
		if g.Report.ReplyProbability > 0 {
			rai = nas.DDXSingleDownlink
		}
	}
	data := e.payload(payload)
	var b []byte
	if u.flags&fFirstUL != 0 {
		b, err = ed.d.ServiceRequest(data, rai)
	} else {
		b, err = ed.d.Data(data, rai)
	}
	if err != nil {
		return 0, err
	}
	legs, _, err := e.exchange(n, ed, b, n.eng.Now(), ed.legs[:0])
	ed.legs = legs
	if err != nil {
		return 0, err
	}
	return len(b) + radioOverhead, nil
}

// downlinkData encodes one downlink packet through the MME to the device.
func (e *encoded) downlinkData(n *Network, id int32, payload int) (int, error) {
	ed, err := e.dev(n, id)
	if err != nil {
		return 0, err
	}
	size := 0
	for _, eff := range e.mme.HandleDownlink(ed.d.IMSI, e.payload(payload), time.Duration(n.eng.Now())) {
		if s, ok := eff.(mme.SendNAS); ok {
			size += len(s.NAS) + radioOverhead
			if _, err := ed.d.Handle(s.NAS); err != nil {
				return 0, err
			}
		}
	}
	return size, nil
}

func (e *encoded) payload(n int) []byte {
	if len(e.zero) < n {
		e.zero = make([]byte, n)
	}
	return e.zero[:n]
}

// released tells the MME a device's connection is gone.
func (e *encoded) released(id int32, now sim.Time) {
	if ed := e.devs[id]; ed != nil && ed.id != 0 {
		e.mme.Released(ed.id, time.Duration(now))
	}
}

// failures reports the core's rejects and discards by cause.
func (e *encoded) failures() map[string]int64 {
	out := map[string]int64{}
	for k, v := range e.mme.C.Rejected {
		out["rejected_"+k] += v
	}
	for k, v := range e.mme.C.Discarded {
		out["discarded_"+k] += v
	}
	return out
}

// failEncoded stops the run on the first error of the encoded core: a
// message one side could not build or the other could not take is a bug
// to see, not something to count and go on.
func (n *Network) failEncoded(err error) {
	if n.encErr == nil {
		n.encErr = err
	}
	n.eng.Stop()
}
