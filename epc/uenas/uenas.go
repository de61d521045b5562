// Package uenas is the simulated device's NAS: what an NB-IoT module's
// EMM/ESM layer and USIM do, with the same codecs (epc/nas) and security
// (epc/security) as the MME. It builds the device's messages (attach with
// its PSM and eDRX requests, data over NAS with release assistance, control
// plane service requests) and answers the network's (authentication,
// security mode, attach accept), keeping the timers the network granted.
// Like the MME it is a state machine: bytes in, bytes out, no I/O.
package uenas

import (
	"errors"
	"fmt"
	"net/netip"
	"sync"
	"time"

	"github.com/nbsim/nbsim/epc"
	"github.com/nbsim/nbsim/epc/nas"
	"github.com/nbsim/nbsim/epc/security"
	"github.com/nbsim/nbsim/gpp"
)

// Device is one UE's NAS state.
type Device struct {
	// ctxStore holds a preattached device's security context in the
	// device's own allocation (d.ctx points to it): every message reads
	// both, and a simulator touches thousands of devices cold. The fields
	// a data exchange reads follow it; the rest comes last.
	ctxStore security.Context
	ctx      *security.Context

	IMSI string
	// Received is downlink user data, in order.
	Received [][]byte
	// LastReject is the last SERVICE REJECT or TAU REJECT; Reattach is set
	// when it deregistered the device, which must attach again (cleared by
	// AttachRequest).
	LastReject error
	Reattach   bool

	// What the device asks for (change it with Request once registered).
	PSM     epc.PSMRequest
	EDRX    epc.EDRXRequest
	PDNType nas.PDNType
	// UpdateNeeded says the request changed since the network last
	// granted it: the next TAU is a normal one ("TA updating") carrying
	// the new request (TS 24.301 §5.5.3.2.2). Cleared by TAU ACCEPT and
	// ATTACH ACCEPT.
	UpdateNeeded bool

	// What the network granted (from ATTACH ACCEPT / TAU ACCEPT).
	Registered bool
	T3324      time.Duration // 0 with PSM refused
	PSMGranted bool
	T3412      time.Duration
	EDRXCycle  time.Duration
	PTW        time.Duration
	Addr       netip.Addr
	// Rejected holds the EMM cause of an attach or authentication reject;
	// RejectCause the cause of an ATTACH REJECT.
	Rejected    error
	RejectCause nas.EMMCause

	usim *security.USIM // created at the first authentication (see auth)
	k    [16]byte
	opc  [16]byte
	snid security.SNID
	auth security.AuthResult
}

// scratch holds buffers a call uses and gives back (shared by the devices,
// and so already in cache, unlike a buffer of each device's).
var scratch = sync.Pool{New: func() any { return new([]byte) }}

// ErrRejected is wrapped by Device.Rejected.
var ErrRejected = errors.New("rejected by the network")

// New returns a device with USIM keys k and opc on network mcc/mnc.
func New(imsi string, k, opc [16]byte, mcc, mnc string) (*Device, error) {
	d := new(Device)
	if err := Init(d, imsi, k, opc, mcc, mnc); err != nil {
		return nil, err
	}
	return d, nil
}

// Init sets *d up as New does, for a Device the caller allocates (within a
// struct of its own, so that a simulator's per-device state is one
// allocation).
func Init(d *Device, imsi string, k, opc [16]byte, mcc, mnc string) error {
	snid, err := gpp.NewPLMN(mcc, mnc)
	if err != nil {
		return err
	}
	*d = Device{IMSI: imsi, k: k, opc: opc, snid: snid, PDNType: nas.PDNTypeIPv4}
	return nil
}

// capability is the UE network capability of an NB-IoT device: EEA0-3,
// EIA1-3, and the control-plane CIoT optimisation (TS 24.301 §9.9.3.34).
func capability() nas.UENetworkCapability {
	c := nas.UENetworkCapability{0xf0, 0x70, 0x00, 0x00, 0x00, 0x00, 0x00}
	c.Set(nas.UECapCPCIoT, true)
	return c
}

// AttachRequest builds ATTACH REQUEST (TS 24.301 §8.2.4) with a PDN
// CONNECTIVITY REQUEST and the device's PSM and eDRX requests.
func (d *Device) AttachRequest() ([]byte, error) {
	pdn := &nas.PDNConnectivityRequest{ESMHeader: nas.ESMHeader{PTI: 1}, RequestType: 1, PDNType: d.PDNType}
	esm, err := pdn.Marshal()
	if err != nil {
		return nil, err
	}
	req := &nas.AttachRequest{
		AttachType:          1, // EPS attach
		KSI:                 7, // no key available
		Identity:            nas.NewIMSI(d.IMSI),
		UENetworkCapability: capability(),
		ESMMessageContainer: esm,
	}
	req.T3324, req.T3412Extended, req.ExtendedDRXParameters = d.requestIEs()
	d.ctx, d.Reattach = nil, false
	return req.Marshal()
}

// Handle processes a downlink NAS message and returns the answer to send,
// if any.
func (d *Device) Handle(b []byte) ([]byte, error) {
	plain := b
	if len(b) > 0 && b[0]&0x0f == byte(nas.PDEMM) && b[0]>>4 != 0 {
		if b[0]>>4 == byte(nas.IntegrityProtectedNewContext) {
			// SECURITY MODE COMMAND: take the new context into use first
			// (TS 24.301 §5.4.3.3).
			inner, err := nas.ParseDirection(b[6:], nas.Downlink)
			if err != nil {
				return nil, err
			}
			smc, ok := inner.(*nas.SecurityModeCommand)
			if !ok {
				return nil, fmt.Errorf("new security context with %s", inner.MessageTypeName())
			}
			ctx, err := security.NewContext(d.auth.KASME, uint8(smc.KSI),
				security.CipheringAlg(smc.Algorithms.Ciphering()), security.IntegrityAlg(smc.Algorithms.Integrity()))
			if err != nil {
				return d.plainReply(&nas.SecurityModeReject{Cause: 24}) // #24 security mode rejected, unspecified
			}
			d.ctx = ctx
		}
		if d.ctx == nil {
			return nil, errors.New("protected message without a security context")
		}
		// Into a scratch buffer: ParseDirection copies the message.
		buf := scratch.Get().(*[]byte)
		defer scratch.Put(buf)
		p, err := d.ctx.UnprotectTo((*buf)[:0], b, true)
		if err != nil {
			return nil, err
		}
		*buf, plain = p, p
	}
	msg, err := nas.ParseDirection(plain, nas.Downlink)
	if err != nil {
		return nil, err
	}
	switch x := msg.(type) {
	case *nas.AuthenticationRequest:
		var autn [16]byte
		copy(autn[:], x.AUTN)
		res, err := d.sim().Authenticate(x.RAND, autn, d.snid)
		var ae *security.AuthError
		if errors.As(err, &ae) {
			f := &nas.AuthenticationFailure{Cause: nas.EMMCause(ae.Cause)}
			if errors.Is(err, security.ErrSynchFailure) {
				f.AUTS = ae.AUTS[:]
			}
			return d.plainReply(f)
		}
		if err != nil {
			return nil, err
		}
		d.auth = res
		return d.plainReply(&nas.AuthenticationResponse{RES: res.RES[:]})
	case *nas.SecurityModeCommand:
		return d.protected(&nas.SecurityModeComplete{}, byte(nas.IntegrityProtectedCipheredNew))
	case *nas.AttachAccept:
		d.accept(x.T3324, &x.T3412, x.T3412Extended, x.ExtendedDRXParameters)
		d.UpdateNeeded = false
		if act, err := nas.ParseActivateDefaultEPSBearerContextRequest(x.ESMMessageContainer); err == nil {
			if a, ok := act.PDNAddress.IPv4(); ok {
				d.Addr = a
			}
		}
		d.Registered = true
		accept, err := (&nas.ActivateDefaultEPSBearerContextAccept{ESMHeader: nas.ESMHeader{EBI: 5}}).Marshal()
		if err != nil {
			return nil, err
		}
		return d.protected(&nas.AttachComplete{ESMMessageContainer: accept}, byte(nas.IntegrityProtectedCiphered))
	case *nas.TrackingAreaUpdateAccept:
		d.accept(x.T3324, x.T3412, x.T3412Extended, x.ExtendedDRXParameters)
		d.UpdateNeeded = false
		return nil, nil
	case *nas.AttachReject:
		d.Rejected = fmt.Errorf("%w: attach reject, EMM cause #%d", ErrRejected, x.Cause)
		d.RejectCause = x.Cause
		return nil, nil
	case *nas.AuthenticationReject:
		d.Rejected = fmt.Errorf("%w: authentication reject", ErrRejected)
		d.ctx = nil
		return nil, nil
	case *nas.ServiceReject:
		d.implicitlyDetached(x.Cause, "service reject")
		return nil, nil
	case *nas.TrackingAreaUpdateReject:
		d.implicitlyDetached(x.Cause, "tracking area update reject")
		return nil, nil
	case *nas.ESMDataTransport:
		d.Received = append(d.Received, x.UserData)
		return nil, nil
	case *nas.DetachAccept:
		d.Registered = false
		return nil, nil
	}
	return nil, nil
}

// implicitlyDetached handles a SERVICE REJECT or TAU REJECT. With the
// causes that say the network lost the UE (#9 UE identity cannot be
// derived, #10 implicitly detached) the UE deletes its security context,
// enters EMM-DEREGISTERED and must attach again (TS 24.301 §5.6.1.5,
// §5.5.3.2.5); Reattach says so. Other causes leave it registered.
func (d *Device) implicitlyDetached(cause nas.EMMCause, what string) {
	d.LastReject = fmt.Errorf("%w: %s, EMM cause #%d", ErrRejected, what, cause)
	if cause == 9 || cause == 10 {
		d.Registered, d.ctx, d.Addr = false, nil, netip.Addr{}
		d.Reattach = true
	}
}

// accept takes the grants of ATTACH ACCEPT or TAU ACCEPT. T3412 comes
// from the T3412 extended value IE when present, else from the T3412
// value IE (TS 24.301 §5.3.5; a deactivated value keeps the last one).
func (d *Device) accept(t3324 *nas.GPRSTimer2, t3412 *nas.GPRSTimer, ext *nas.GPRSTimer3, edrx *nas.ExtendedDRXParameters) {
	d.PSMGranted, d.T3324 = false, 0
	if t3324 != nil {
		if v, ok := t3324.Duration(); ok {
			d.PSMGranted, d.T3324 = true, v
		}
	}
	switch {
	case ext != nil:
		if v, ok := ext.Duration(); ok {
			d.T3412 = v
		}
	case t3412 != nil:
		if v, ok := t3412.Duration(); ok {
			d.T3412 = v
		}
	}
	d.EDRXCycle, d.PTW = 0, 0
	if edrx != nil {
		if c, w, ok := gpp.EDRXFromCodeNB(edrx.EDRXValue, edrx.PagingTimeWindow); ok {
			d.EDRXCycle, d.PTW = c, w
		}
	}
}

// requestIEs codes the device's PSM and eDRX requests for ATTACH REQUEST
// and TRACKING AREA UPDATE REQUEST (TS 24.301 §5.3.11, §5.3.12).
func (d *Device) requestIEs() (*nas.GPRSTimer2, *nas.GPRSTimer3, *nas.ExtendedDRXParameters) {
	var t3324 *nas.GPRSTimer2
	var t3412 *nas.GPRSTimer3
	if d.PSM.Enabled {
		a, _ := gpp.EncodeGPRSTimer2(d.PSM.T3324)
		t := nas.GPRSTimer2(a)
		t3324 = &t
		if d.PSM.T3412 > 0 {
			b, _ := gpp.EncodeGPRSTimer3(d.PSM.T3412)
			t3 := nas.GPRSTimer3(b)
			t3412 = &t3
		}
	}
	var edrx *nas.ExtendedDRXParameters
	if d.EDRX.Enabled {
		c, w := gpp.EDRXCodeNB(d.EDRX.Cycle, d.EDRX.PTW)
		edrx = &nas.ExtendedDRXParameters{PagingTimeWindow: w, EDRXValue: c}
	}
	return t3324, t3412, edrx
}

func (d *Device) plainReply(m nas.Message) ([]byte, error) { return m.Marshal() }

func (d *Device) protected(m nas.Message, header byte) ([]byte, error) {
	return d.protectedSize(m, header, 0)
}

// protectedSize is protected for a message of about size octets:
// encoded after room for the security header and protected in place.
func (d *Device) protectedSize(m nas.Message, header byte, size int) ([]byte, error) {
	b, err := nas.Append(make([]byte, security.ProtectOverhead, security.ProtectOverhead+max(size, 64)), m)
	if err != nil {
		return nil, err
	}
	if d.ctx == nil {
		return nil, errors.New("no NAS security context")
	}
	if err := d.ctx.Seal(b, false, header); err != nil {
		return nil, err
	}
	return b, nil
}

// dataOverhead bounds what ESM DATA TRANSPORT, and CONTROL PLANE SERVICE
// REQUEST around it, add to the user data (a size hint).
const dataOverhead = 16

// Data builds ESM DATA TRANSPORT (TS 24.301 §8.3.25) for a connected device,
// with release assistance rai.
func (d *Device) Data(data []byte, rai nas.ReleaseAssistanceIndication) ([]byte, error) {
	m := &nas.ESMDataTransport{ESMHeader: nas.ESMHeader{EBI: 5}, UserData: data}
	if rai != nas.DDXNoInformation {
		m.ReleaseAssistanceIndication = raiPtr(rai)
	}
	return d.protectedSize(m, byte(nas.IntegrityProtectedCiphered), len(data)+dataOverhead)
}

// raiValues lets a message point to a constant release assistance
// indication instead of one allocated per message (messages only read it).
var raiValues = func() (v [16]nas.ReleaseAssistanceIndication) {
	for i := range v {
		v[i] = nas.ReleaseAssistanceIndication(i)
	}
	return v
}()

func raiPtr(rai nas.ReleaseAssistanceIndication) *nas.ReleaseAssistanceIndication {
	if int(rai) < len(raiValues) {
		return &raiValues[rai]
	}
	return &rai
}

// sim returns the USIM, created at first use: a device preattached before
// the run never authenticates, and need not expand its key.
func (d *Device) sim() *security.USIM {
	if d.usim == nil {
		d.usim = security.NewUSIM(d.k, d.opc)
	}
	return d.usim
}

// ServiceRequest builds CONTROL PLANE SERVICE REQUEST (TS 24.301 §8.2.33)
// from idle: with data (in an ESM DATA TRANSPORT) or, answering a page,
// without. Simplified to integrity protection of the whole message (the
// ESM container would be ciphered; with EEA0 nothing changes).
func (d *Device) ServiceRequest(data []byte, rai nas.ReleaseAssistanceIndication) ([]byte, error) {
	// The two messages come from a pool: encoding keeps nothing of them.
	msgs := srMessages.Get().(*srMsgs)
	defer func() {
		*msgs = srMsgs{}
		srMessages.Put(msgs)
	}()
	m := &msgs.sr
	if data != nil {
		e := &msgs.esm
		*e = nas.ESMDataTransport{ESMHeader: nas.ESMHeader{EBI: 5}, UserData: data}
		if rai != nas.DDXNoInformation {
			e.ReleaseAssistanceIndication = raiPtr(rai)
		}
		// In a scratch buffer: the encoding of m copies it.
		buf := scratch.Get().(*[]byte)
		defer scratch.Put(buf)
		b, err := nas.Append((*buf)[:0], e)
		if err != nil {
			return nil, err
		}
		*buf, m.ESMMessageContainer = b, b
	} else {
		m.ServiceType = 1 // mobile terminating request
	}
	return d.protectedSize(m, byte(nas.IntegrityProtected), len(data)+2*dataOverhead)
}

type srMsgs struct {
	sr  nas.ControlPlaneServiceRequest
	esm nas.ESMDataTransport
}

var srMessages = sync.Pool{New: func() any { return new(srMsgs) }}

// Request changes what the device asks for. A registered device whose
// request changed owes the network a normal TAU (TS 24.301 §5.5.3.2.2,
// the UE requesting PSM or eDRX, or other values of them): UpdateNeeded.
func (d *Device) Request(psm epc.PSMRequest, edrx epc.EDRXRequest) {
	if psm == d.PSM && edrx == d.EDRX {
		return
	}
	d.PSM, d.EDRX = psm, edrx
	d.UpdateNeeded = d.UpdateNeeded || d.Registered
}

// TAURequest builds a TRACKING AREA UPDATE REQUEST (TS 24.301 §5.5.3.2),
// integrity protected, with the device's PSM and eDRX requests: EPS
// update type "periodic updating", or "TA updating" when the request
// changed (UpdateNeeded; §5.5.3.2.2). The old GUTI is stood in for by the
// IMSI (the simulated network allocates no GUTIs).
func (d *Device) TAURequest() ([]byte, error) {
	t := nas.PeriodicUpdating
	if d.UpdateNeeded {
		t = nas.TAUpdating
	}
	m := &nas.TrackingAreaUpdateRequest{UpdateType: t, KSI: 0, OldGUTI: nas.NewIMSI(d.IMSI)}
	m.T3324, m.T3412Extended, m.ExtendedDRXParameters = d.requestIEs()
	return d.protected(m, byte(nas.IntegrityProtected))
}

// DetachRequest builds the UE-initiated DETACH REQUEST (TS 24.301
// §5.5.2.2.1, §8.2.11.1): EPS detach, with switch-off when the radio is
// being switched off (then the network sends no DETACH ACCEPT). The device
// is deregistered from then on.
func (d *Device) DetachRequest(switchOff bool) ([]byte, error) {
	t := nas.DetachType(1) // EPS detach
	if switchOff {
		t |= 0x08
	}
	m := &nas.DetachRequest{DetachType: t, KSI: 0, Identity: nas.NewIMSI(d.IMSI)}
	b, err := d.protected(m, byte(nas.IntegrityProtected))
	d.Registered, d.Addr = false, netip.Addr{}
	return b, err
}

// Preattach puts the device in the state an attach before the run left it
// in (see mme.MME.Preattach): registered, with an EPS security context from
// kasme and the network's grants.
func (d *Device) Preattach(kasme [32]byte, enc security.CipheringAlg, integ security.IntegrityAlg, psm epc.PSMGrant, edrx epc.EDRXGrant, addr netip.Addr) error {
	ctx, err := security.NewContext(kasme, 0, enc, integ)
	if err != nil {
		return err
	}
	return d.PreattachContext(ctx, psm, edrx, addr)
}

// PreattachContext is Preattach with the security context itself (the
// device's copy of the network's, mme.UE.SecurityContext), which saves
// deriving the same keys twice.
func (d *Device) PreattachContext(ctx *security.Context, psm epc.PSMGrant, edrx epc.EDRXGrant, addr netip.Addr) error {
	if ctx == nil {
		return errors.New("preattach: no security context")
	}
	d.ctxStore = *ctx
	d.ctx, d.Registered, d.Addr = &d.ctxStore, true, addr
	d.PSMGranted, d.T3324, d.T3412 = psm.Enabled, psm.T3324, psm.T3412
	d.EDRXCycle, d.PTW = edrx.Cycle, edrx.PTW
	return nil
}

// ServiceRequestUP builds the 4-octet SERVICE REQUEST (TS 24.301 §8.2.25)
// a user-plane device sends from idle to send data or answer a page.
func (d *Device) ServiceRequestUP() ([]byte, error) {
	if d.ctx == nil {
		return nil, errors.New("no NAS security context")
	}
	b, err := d.ctx.ServiceRequest()
	if err != nil {
		return nil, err
	}
	return b[:], nil
}
