package model

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/nbsim/nbsim/device"
	"github.com/nbsim/nbsim/epc"
	"github.com/nbsim/nbsim/epc/hss"
	"github.com/nbsim/nbsim/epc/mme"
	"github.com/nbsim/nbsim/epc/nas"
	"github.com/nbsim/nbsim/epc/s1"
	"github.com/nbsim/nbsim/epc/s1ap"
	"github.com/nbsim/nbsim/epc/security"
	"github.com/nbsim/nbsim/epc/uenas"
	"github.com/nbsim/nbsim/gpp"
	"github.com/nbsim/nbsim/report"
	"github.com/nbsim/nbsim/sim"
)

// Encoded signalling: every NAS message of a device is built by the device's
// NAS (epc/uenas) or the MME (epc/mme), encoded, protected with the device's
// real security context, parsed and processed by the other side; message
// sizes on the air and on S1-MME are those of the encodings. The model keeps
// deciding timing (radio, scheduling, timers); the core's state machines
// check and answer every message, and their counters (rejects, discarded
// messages) are reported.
//
// Core is the MME as encoded signalling uses it: *mme.MME in process, or a
// remote MME reached over S1-MME (s1.RemoteCore, the CLI's --mme).
type Core interface {
	Connect() mme.UEID
	HandleNAS(id mme.UEID, nas []byte, now time.Duration) []mme.Effect
	HandleDownlink(imsi string, data []byte, now time.Duration) []mme.Effect
	Released(id mme.UEID, now time.Duration)
	Preattach(imsi string, kasme [32]byte, psm epc.PSMRequest, edrx epc.EDRXRequest, pdn nas.PDNType) (*mme.UE, error)
	Algorithms() (security.CipheringAlg, security.IntegrityAlg)
	Failures() map[string]int64
}

type encoded struct {
	mme  Core
	hss  *hss.Store
	devs []*encDev // by device index, created at first use
	mcc  string
	mnc  string
	zero []byte // payload bytes (their content does not matter), reused
	plmn s1ap.PLMN

	// The S1AP messages s1apNAS and release encode, reused (Marshal
	// keeps nothing of them).
	initial  s1ap.InitialUEMessage
	ulNAS    s1ap.UplinkNASTransport
	dlNAS    s1ap.DownlinkNASTransport
	relReq   s1ap.UEContextReleaseRequest
	relCmd   s1ap.UEContextReleaseCommand
	relDone  s1ap.UEContextReleaseComplete
	relENBID uint32
	s1buf    []byte       // roundTrip's encoding
	other    []mme.Effect // exchange's other effects

	// imsis holds the IMSIs of devices 0, 1, ... (15 digits each) in one
	// string: the MME hashes and compares a device's IMSI on every
	// downlink, and they then share a few cache lines instead of taking
	// one allocation each.
	imsis string
}

func imsiDigits(n int) string {
	b := make([]byte, 0, 15*n)
	for id := 0; id < n; id++ {
		b = fmt.Appendf(b, "%015d", imsiBase+int64(id))
	}
	return string(b)
}

type encDev struct {
	d    *uenas.Device // &dev
	id   mme.UEID
	legs []leg
	// The device's NAS and the first array of its legs are part of this
	// allocation: a run reaches thousands of devices cold, and each one
	// is then one allocation to fetch instead of three.
	dev    uenas.Device
	legBuf [8]leg
	k      [16]byte // the subscriber key (for attachNow's K_ASME)
	// rel holds the S1 release PDUs of the device's last release of each
	// kind (by the MME, by the eNodeB), encoded and checked.
	rel [2]relPDUs
}

// relPDUs are the PDUs of one release: the same UE S1AP IDs give the same
// octets, which a deterministic encoder and parser need not encode and
// check again. They are never modified once made (a tracer gets them).
type relPDUs struct {
	mmeID, enbID uint32
	pdus         [][]byte
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
	// The model's radio timeline decides when a connection ends (see
	// session.go); the MME's release requests take effect there.
	cfg.DeliverDuringRelease = true
	seed := n.seed
	m, err := mme.New(cfg, h, rand.NewChaCha8(seedBytes(seed)))
	if err != nil {
		return nil, err
	}
	if uint64(len(n.ues)) > h.Count() {
		return nil, fmt.Errorf("signalling: encoded needs a subscriber per device: %d devices, %d subscribers", len(n.ues), h.Count())
	}
	plmn, err := gpp.NewPLMN(cfg.MCC, cfg.MNC)
	if err != nil {
		return nil, err
	}
	return &encoded{mme: m, hss: h, devs: make([]*encDev, len(n.ues)), mcc: cfg.MCC, mnc: cfg.MNC, plmn: plmn,
		imsis: imsiDigits(len(n.ues))}, nil
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
	var imsi string
	if i := 15 * int(id); i+15 <= len(e.imsis) {
		imsi = e.imsis[i : i+15]
	} else {
		imsi = fmt.Sprintf("%015d", imsiBase+int64(id))
	}
	sub, ok := e.hss.Lookup(imsi)
	if !ok {
		return nil, fmt.Errorf("no subscriber %s", imsi)
	}
	ed := &encDev{k: sub.K}
	if err := uenas.Init(&ed.dev, imsi, sub.K, sub.OPc, e.mcc, e.mnc); err != nil {
		return nil, err
	}
	ed.d, ed.legs = &ed.dev, ed.legBuf[:0]
	g := n.groups[n.ues[id].group].cfg
	ed.d.PSM = epc.PSMRequest{Enabled: g.PSM.Enabled, T3324: g.PSM.T3324.D(), T3412: g.PSM.T3412.D()}
	ed.d.EDRX = epc.EDRXRequest{Enabled: g.EDRX.Enabled, Cycle: g.EDRX.Cycle.D(), PTW: g.EDRX.PTW.D()}
	e.devs[id] = ed
	return ed, nil
}

// exchange sends an uplink NAS message and runs the conversation it starts
// until neither side has more to say, appending every message as a leg.
// It returns the MME's other effects.
func (e *encoded) exchange(n *Network, ed *encDev, up []byte, now sim.Time, legs []leg) ([]leg, []mme.Effect, error) {
	// The other effects go in a slice the next exchange reuses: callers
	// read them at once.
	other := e.other[:0]
	defer func() { e.other = other }()
	queue := append(make([][]byte, 0, 4), up)
	for len(queue) > 0 {
		msg := queue[0]
		queue = queue[1:]
		legs = append(legs, leg{up: true, nas: true, bytes: len(msg) + radioOverhead, pdu: msg})
		effs := e.mme.HandleNAS(ed.id, msg, time.Duration(now))
		if err := e.coreErr(); err != nil {
			return legs, other, err
		}
		for _, eff := range effs {
			s, ok := eff.(mme.SendNAS)
			if !ok {
				if err := otherEffect(eff); err != nil {
					return legs, other, err
				}
				other = append(other, eff)
				continue
			}
			legs = append(legs, leg{up: false, nas: true, bytes: len(s.NAS) + radioOverhead, pdu: s.NAS})
			reply, err := ed.d.Handle(s.NAS)
			ed.forgetReceived()
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

// errUnhandledEffect: the core returned an mme.Effect the model has no
// case for (an effect type added without its handler).
var errUnhandledEffect = errors.New("model: unhandled MME effect")

// otherEffect checks an effect of HandleNAS other than SendNAS, which
// exchange returns to its caller: Deliver is the uplink data (the caller
// hands it to the live emulator and the trace); the model times the
// connection itself, so Release (it releases on RAI or inactivity),
// SetupContext (the data radio bearer is part of its access timing) and
// Page are not acted on, nor Dropped (downlink reports the drops of
// HandleDownlink).
func otherEffect(eff mme.Effect) error {
	switch eff.(type) {
	case mme.Deliver, mme.Release, mme.SetupContext, mme.Page, mme.Dropped:
		return nil
	}
	return fmt.Errorf("%w %T", errUnhandledEffect, eff)
}

// forgetReceived drops the device's record of the downlink data it
// received (uenas.Device.Received): the model does not read it, and a
// run-long history per device is memory the collector keeps scanning.
func (ed *encDev) forgetReceived() {
	clear(ed.d.Received)
	ed.d.Received = ed.d.Received[:0]
}

// coreErr is the error of a core that can fail as a whole (an external
// core whose association is gone), nil otherwise.
func (e *encoded) coreErr() error {
	if c, ok := e.mme.(interface{ Err() error }); ok {
		return c.Err()
	}
	return nil
}

// attachNow registers a device before the run starts (initially attached
// devices): both sides get the security context an attach would have left,
// with K_ASME = KDF(K, FC 0x7f, "nbsim pre-run attach") standing in for the
// one AKA would have derived (FC 0x7f is not a 3GPP value: this context is
// nbsim's own), and the MME's grants.
func (e *encoded) preattach(n *Network, id int32) error {
	ed, err := e.dev(n, id)
	if err != nil {
		return err
	}
	kasme := security.KDF(ed.k[:], 0x7f, []byte("nbsim pre-run attach"))
	u, err := e.mme.Preattach(ed.d.IMSI, kasme, ed.d.PSM, ed.d.EDRX, ed.d.PDNType)
	if errors.Is(err, s1.ErrNoPreattach) {
		// An external core: attach over the air at time zero, as
		// entryLegs(pAttach) does, and release the connection.
		if _, err := e.entryLegs(n, id, pAttach, 0); err != nil {
			return err
		}
		e.mme.Released(ed.id, 0)
		return e.coreErr()
	}
	if err != nil {
		return err
	}
	ed.id = u.ID
	if ctx := u.SecurityContext(); ctx != nil {
		// The same context as deriving it from kasme, without deriving
		// the keys a second time.
		return ed.d.PreattachContext(ctx, u.PSM, u.EDRX, u.Addr)
	}
	enc, integ := e.mme.Algorithms()
	return ed.d.Preattach(kasme, enc, integ, u.PSM, u.EDRX, u.Addr)
}

// entry runs the signalling of the device's access purpose when it
// starts (u.step 0) and returns its legs. The core's silence (live: the
// core made unreachable), a reject and a lost context come back as
// errCoreDown, *rejectError and errReattach.
func (e *encoded) entry(n *Network, id int32, u *ue, now sim.Time) ([]leg, error) {
	if u.step != 0 {
		return e.devs[id].legs, nil
	}
	p := u.dev.Purpose
	if n.obs.coreDown() && (p != pData || !n.groups[u.group].cp || !u.dev.Any(device.Registered)) {
		return nil, errCoreDown
	}
	legs, err := e.entryLegs(n, id, p, now)
	if err != nil {
		if ed := e.devs[id]; ed != nil && ed.d.Rejected != nil {
			return legs, &rejectError{cause: ed.d.RejectCause, why: ed.d.Rejected.Error(), err: err}
		}
		return legs, err
	}
	return e.devs[id].legs, nil
}

// rejectError: the core rejected the device's attach.
type rejectError struct {
	cause nas.EMMCause
	why   string
	err   error
}

func (e *rejectError) Error() string { return e.err.Error() }
func (e *rejectError) Unwrap() error { return e.err }

// errCoreDown: the core does not answer (live fault injection).
var errCoreDown = errors.New("the core does not answer")

// entryLegs runs the signalling of an access purpose and returns its legs.
func (e *encoded) entryLegs(n *Network, id int32, p device.Purpose, now sim.Time) ([]leg, error) {
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
	case pMT, pData:
		if !n.groups[n.ues[id].group].cp {
			// User plane: SERVICE REQUEST, then the AS set-up of the typed
			// procedure (radio-only messages).
			first, err = ed.d.ServiceRequestUP()
			if err != nil {
				return nil, err
			}
			legs, _, err := e.exchange(n, ed, first, now, ed.legs[:0])
			ed.legs = append(legs, n.legs[p][0][1:]...)
			if err == nil && ed.d.Reattach {
				return legs, errReattach
			}
			return ed.legs, err
		}
		if p == pData {
			ed.legs = ed.legs[:0]
			return nil, nil // control-plane data: the first report rides in Msg5
		}
		first, err = ed.d.ServiceRequest(nil, nas.DDXNoInformation)
	default:
		ed.legs = ed.legs[:0]
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	legs, _, err := e.exchange(n, ed, first, now, ed.legs[:0])
	ed.legs = legs
	if err == nil && ed.d.Reattach {
		return legs, errReattach
	}
	if err == nil && p == pAttach && !ed.d.Registered {
		err = fmt.Errorf("%s: attach rejected: %v", ed.d.IMSI, ed.d.Rejected)
	}
	return legs, err
}

// uplinkData encodes one report: a Control Plane Service Request carrying
// it when it opens the connection, else an ESM DATA TRANSPORT; with release
// assistance when the group uses RAI and no more reports wait.
func (e *encoded) uplink(n *Network, id int32, u *ue, payload, _ int) (int, []byte, error) {
	ed, err := e.dev(n, id)
	if err != nil {
		return 0, nil, err
	}
	g := n.groups[u.group].cfg
	rai := nas.DDXNoInformation
	if g.RAI && n.groups[u.group].dc.Q().Len(u.dev.Pend) == 1 {
		rai = nas.DDXNoFurtherData
		if g.Report.ReplyProbability > 0 {
			rai = nas.DDXSingleDownlink
		}
	}
	data := e.payload(payload)
	if c, r, ok := n.obs.uplink(id); ok {
		data, rai = c, r
	}
	var b []byte
	if u.flags&fFirstUL != 0 {
		b, err = ed.d.ServiceRequest(data, rai)
	} else {
		b, err = ed.d.Data(data, rai)
	}
	if err != nil {
		return 0, nil, err
	}
	legs, other, err := e.exchange(n, ed, b, n.eng.Now(), ed.legs[:0])
	ed.legs = legs
	if err != nil {
		return 0, nil, err
	}
	if ed.d.Reattach {
		// SERVICE REJECT #9/#10: the core lost the device (restarted); the
		// report was not taken and waits for the new attach.
		return 0, nil, errReattach
	}
	for _, o := range other {
		if d, ok := o.(mme.Deliver); ok {
			n.obs.sgi(id, d.Src, d.Data)
		}
	}
	if n.trace != nil {
		for _, o := range other {
			if d, ok := o.(mme.Deliver); ok {
				n.trace.SGi(n.eng.Now().D(), d.Src, true, len(d.Data))
			}
		}
	}
	return len(b) + radioOverhead, b, nil
}

// droppedError: the core dropped downlink data (e.g. it lost the device's
// context when it restarted).
type droppedError struct{ cause string }

func (e *droppedError) Error() string { return "the core dropped the downlink: " + e.cause }

// errReattach says the device must attach again before its data can go.
var errReattach = errors.New("the core rejected the device's service request (#9/#10): attach again")

// downlink encodes one downlink packet through the MME to the device.
func (e *encoded) downlink(n *Network, id int32, _ *ue, payload, _ int) (int, []byte, error) {
	ed, err := e.dev(n, id)
	if err != nil {
		return 0, nil, err
	}
	data := e.payload(payload)
	if c, ok := n.obs.downlink(id); ok {
		data = c
	}
	size, pdu, err := downlinkEffects(ed, e.mme.HandleDownlink(ed.d.IMSI, data, time.Duration(n.eng.Now())))
	if err != nil {
		return 0, nil, err
	}
	if n.trace != nil {
		n.trace.SGi(n.eng.Now().D(), ed.d.Addr, false, payload)
	}
	return size, pdu, nil
}

// downlinkEffects runs the effects of HandleDownlink for a connected
// device: its Downlink NAS Transport. The model pages and releases on its
// own timing, so Page, Release (release assistance) and SetupContext are
// not acted on; HandleDownlink returns no Deliver.
func downlinkEffects(ed *encDev, effs []mme.Effect) (int, []byte, error) {
	size := 0
	var pdu []byte
	for _, eff := range effs {
		switch x := eff.(type) {
		case mme.Dropped:
			return 0, nil, &droppedError{x.Cause}
		case mme.SendNAS:
			size += len(x.NAS) + radioOverhead
			pdu = x.NAS
			_, err := ed.d.Handle(x.NAS)
			ed.forgetReceived()
			if err != nil {
				return 0, nil, err
			}
		case mme.Page, mme.Release, mme.SetupContext, mme.Deliver: // not acted on (above)
		default:
			return 0, nil, fmt.Errorf("%w %T", errUnhandledEffect, eff)
		}
	}
	if pdu == nil {
		return 0, nil, fmt.Errorf("%s: the MME sent no downlink for a connected device", ed.d.IMSI)
	}
	return size, pdu, nil
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

// report names the mode and counts the core's rejects and discards by cause.
func (e *encoded) report(s *report.Signalling) {
	s.Mode = "encoded"
	s.FailuresByCause = e.mme.Failures()
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

// Identities on S1-MME: the eNodeB UE S1AP ID is the device number + 1
// (24 bits, TS 36.413 §9.2.3.4), the MME UE S1AP ID the MME's; the E-UTRAN
// cell identity is the site's eNB ID (20 bits) and the sector (8 bits).
func (e *encoded) ids(n *Network, id int32, u *ue) (mmeID, enbID uint32, cgi s1ap.EUTRANCGI, tai s1ap.TAI) {
	if ed := e.devs[id]; ed != nil {
		mmeID = uint32(ed.id)
	}
	c := &n.cells[u.cell]
	sector := uint32(0)
	for i := int(u.cell) - 1; i >= 0 && n.cells[i].site == c.site; i-- {
		sector++
	}
	cgi = s1ap.EUTRANCGI{PLMN: e.plmn, CellID: uint32(c.site+1)<<8 | sector}
	tai = s1ap.TAI{PLMN: e.plmn, TAC: 1}
	return mmeID, uint32(id) + 1, cgi, tai
}

// s1apNAS wraps a NAS message in its S1AP message: Initial UE Message for
// the first uplink message of a connection, Uplink or Downlink NAS Transport
// otherwise (TS 36.413 §8.6), encodes it and parses it back.
func (e *encoded) nas(n *Network, id int32, u *ue, up bool, _ int, pdu []byte, now sim.Time) (int64, error) {
	mmeID, enbID, cgi, tai := e.ids(n, id, u)
	var m s1ap.Message
	switch {
	case up && u.flags&fFirstUL != 0:
		cause := s1ap.RRCMOData
		switch u.dev.Purpose {
		case pAttach, pTAU:
			cause = s1ap.RRCMOSignalling
		case pMT:
			cause = s1ap.RRCMTAccess
		}
		e.initial = s1ap.InitialUEMessage{ENBUES1APID: enbID, NASPDU: pdu, TAI: tai, EUTRANCGI: cgi, RRCEstablishmentCause: cause}
		m = &e.initial
	case up:
		e.ulNAS = s1ap.UplinkNASTransport{MMEUES1APID: mmeID, ENBUES1APID: enbID, NASPDU: pdu, EUTRANCGI: cgi, TAI: tai}
		m = &e.ulNAS
	default:
		e.dlNAS = s1ap.DownlinkNASTransport{MMEUES1APID: mmeID, ENBUES1APID: enbID, NASPDU: pdu}
		m = &e.dlNAS
	}
	b, err := e.roundTrip(n, m)
	if err != nil {
		return 0, err
	}
	if n.trace != nil {
		n.trace.S1AP(now.D(), n.cells[u.cell].site, up, b)
	}
	return int64(len(b)), nil
}

// roundTrip encodes an S1AP message and checks it parses back. Without a
// tracer the encoding is in a buffer the next call reuses (only its
// length is booked).
func (e *encoded) roundTrip(n *Network, m s1ap.Message) ([]byte, error) {
	var buf []byte
	if n.trace == nil {
		buf = e.s1buf[:0]
	}
	b, err := s1ap.Append(buf, m)
	if err != nil {
		return nil, err
	}
	if n.trace == nil {
		e.s1buf = b
	}
	if err := s1ap.Check(b); err != nil {
		return nil, fmt.Errorf("S1AP %T does not parse back: %w", m, err)
	}
	return b, nil
}

// release books the S1 release of a device's connection: the eNodeB's UE
// Context Release Request when its inactivity timer ends it, the MME's
// Command and the eNodeB's Complete (TS 36.413 §8.3.2-8.3.3).
func (e *encoded) release(n *Network, id int32, u *ue, byENB bool) error {
	mmeID, enbID, _, _ := e.ids(n, id, u)
	var cache *relPDUs
	if ed := e.devs[id]; ed != nil {
		cache = &ed.rel[0]
		if byENB {
			cache = &ed.rel[1]
		}
		if cache.pdus != nil && cache.mmeID == mmeID && cache.enbID == enbID {
			for i, b := range cache.pdus {
				e.bookRelease(n, u, i, len(cache.pdus), b)
			}
			return nil
		}
	}
	var all [3]s1ap.Message
	msgs := all[:0]
	cause := s1ap.CauseNASNormalRelease
	if byENB {
		cause = s1ap.CauseRadioNetworkUserInactivity
		e.relReq = s1ap.UEContextReleaseRequest{MMEUES1APID: mmeID, ENBUES1APID: enbID, Cause: cause}
		msgs = append(msgs, &e.relReq)
	}
	e.relENBID = enbID
	e.relCmd = s1ap.UEContextReleaseCommand{UES1APIDs: s1ap.UES1APIDs{MMEUES1APID: mmeID, ENBUES1APID: &e.relENBID}, Cause: cause}
	e.relDone = s1ap.UEContextReleaseComplete{MMEUES1APID: mmeID, ENBUES1APID: enbID}
	msgs = append(msgs, &e.relCmd, &e.relDone)
	var pdus [][]byte
	if cache != nil {
		pdus = make([][]byte, 0, len(msgs))
	}
	for i, m := range msgs {
		b, err := e.roundTrip(n, m)
		if err != nil {
			return err
		}
		if cache != nil {
			pdus = append(pdus, append([]byte(nil), b...))
		}
		e.bookRelease(n, u, i, len(msgs), b)
	}
	if cache != nil {
		*cache = relPDUs{mmeID: mmeID, enbID: enbID, pdus: pdus}
	}
	return nil
}

// bookRelease counts PDU i of the n of a release (and traces it).
func (e *encoded) bookRelease(n *Network, u *ue, i, count int, b []byte) {
	n.s1ap(1, int64(len(b)))
	if n.trace != nil {
		uplink := i != count-2 // the Command goes down, Request and Complete up
		n.trace.S1AP(n.eng.Now().D(), n.cells[u.cell].site, uplink, b)
	}
}

// page books the S1AP Paging for a device (TS 36.413 §8.5), with the NB-IoT
// UE identity index (IMSI mod 4096).
func (e *encoded) page(n *Network, id int32, u *ue) error {
	ed, err := e.dev(n, id)
	if err != nil {
		return err
	}
	_, _, _, tai := e.ids(n, id, u)
	imsi := imsiBase + int64(id)
	idx := uint16(imsi % 4096)
	imsiTBCD, err := gpp.TBCD(ed.d.IMSI)
	if err != nil {
		return err
	}
	m := &s1ap.Paging{
		UEIdentityIndexValue: uint16(imsi % 1024),
		UEPagingID:           s1ap.UEPagingID{IMSI: imsiTBCD},
		CNDomain:             s1ap.CNDomainPS,
		TAIs:                 []s1ap.TAI{tai},
		NBIoTUEIdentityIndex: &idx,
	}
	b, err := e.roundTrip(n, m)
	if err != nil {
		return err
	}
	n.s1ap(1, int64(len(b)))
	if n.trace != nil {
		n.trace.S1AP(n.eng.Now().D(), n.cells[u.cell].site, false, b)
	}
	return nil
}

// start books the S1 Setup of every eNodeB (one per site) at time zero
// (TS 36.413 §8.7.3): Supported TAs with RAT type NB-IoT, and the MME's
// served GUMMEI.
func (e *encoded) start(n *Network) error {
	sites := 0
	for i := range n.cells {
		sites = max(sites, n.cells[i].site+1)
	}
	rat := s1ap.RATTypeNBIoT
	for s := 0; s < sites; s++ {
		req := &s1ap.S1SetupRequest{
			GlobalENBID:      s1ap.GlobalENBID{PLMN: e.plmn, Kind: s1ap.MacroENB, ID: uint32(s + 1)},
			SupportedTAs:     []s1ap.SupportedTA{{TAC: 1, BroadcastPLMNs: []s1ap.PLMN{e.plmn}, RATType: &rat}},
			DefaultPagingDRX: s1ap.PagingDRX256,
		}
		resp := &s1ap.S1SetupResponse{
			ServedGUMMEIs:       []s1ap.ServedGUMMEI{{PLMNs: []s1ap.PLMN{e.plmn}, GroupIDs: []uint16{1}, MMECs: []uint8{1}}},
			RelativeMMECapacity: 127,
		}
		for i, m := range []s1ap.Message{req, resp} {
			b, err := e.roundTrip(n, m)
			if err != nil {
				return err
			}
			n.s1ap(1, int64(len(b)))
			if n.trace != nil {
				n.trace.S1AP(0, s, i == 0, b)
			}
		}
	}
	return nil
}
