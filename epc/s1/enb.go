package s1

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"sync"

	"github.com/nbsim/nbsim/epc/nas"
	"github.com/nbsim/nbsim/epc/s1ap"
	"github.com/nbsim/nbsim/epc/s1mme"
	"github.com/nbsim/nbsim/epc/uenas"
	"github.com/nbsim/nbsim/gpp"
)

// ENBConfig is a simulated eNodeB's identity.
type ENBConfig struct {
	ENBID uint32 // macro eNB ID (20 bits)
	TAC   uint16
	PLMN  s1ap.PLMN // zero: 001/01
	Name  string
	// CellID is the E-UTRAN cell identity (28 bits); zero: ENBID<<8 | 1.
	CellID uint32
	// S1UAddr is the eNB's S1-U address in Initial Context Setup Response
	// (the simulated eNB has no S1-U); invalid: DefaultENBS1UAddress.
	S1UAddr netip.Addr
}

// DefaultENBS1UAddress is a simulated eNB's S1-U address (RFC 5737
// TEST-NET-1).
var DefaultENBS1UAddress = netip.MustParseAddr("192.0.2.1")

// ENBCounters count what a simulated eNB saw.
type ENBCounters struct {
	InitialUE, UplinkNAS, DownlinkNAS int64
	ReleaseRequests, ReleaseCommands  int64
	Pagings                           int64 // Paging messages received
	PagesAnswered                     int64 // service requests sent for pages
	ContextSetups                     int64 // Initial Context Setup Requests answered with a Response
	ErrorIndications                  int64
	Unexpected                        int64 // PDUs for unknown UEs or not handled
	Failures                          int64 // PDUs whose handling failed (a recovered panic)
}

// ErrENBClosed is returned for a closed or lost association.
var ErrENBClosed = errors.New("s1: eNB association closed")

// ENB is a simulated eNodeB with simulated devices on one S1-MME
// association. Its methods are safe for concurrent use.
type ENB struct {
	cfg     ENBConfig
	conn    s1mme.Conn
	MMEC    uint8  // from S1 Setup Response
	MMEName string // from S1 Setup Response

	mu      sync.Mutex
	devs    map[*uenas.Device]*ueCtx
	conns   map[uint32]*ueCtx // eNB UE S1AP ID → connected device
	nextUE  uint32
	changed chan struct{} // closed and replaced on every state change
	err     error
	done    chan struct{}
	c       ENBCounters
}

type ueCtx struct {
	dev       *uenas.Device
	connected bool
	enbUE     uint32
	mmeUE     uint32
	hasMME    bool
	// contextSetup is set by Initial Context Setup on the connection: AS
	// security from kenb and the default bearer's E-RAB.
	contextSetup bool
	kenb         s1ap.SecurityKey
}

// DialENB connects to the MME at url (sctp://HOST:PORT or udp://HOST:PORT)
// as macro eNB enbID serving tracking area tac of PLMN 001/01 on NB-IoT,
// and does the S1 Setup.
func DialENB(ctx context.Context, url string, enbID uint32, tac uint16) (*ENB, error) {
	return DialENBConfig(ctx, url, ENBConfig{ENBID: enbID, TAC: tac})
}

// DialENBConfig is DialENB with a full configuration.
func DialENBConfig(ctx context.Context, url string, cfg ENBConfig) (*ENB, error) {
	if cfg.PLMN == (s1ap.PLMN{}) {
		cfg.PLMN = gpp.MustPLMN("001", "01")
	}
	if cfg.CellID == 0 {
		cfg.CellID = cfg.ENBID<<8 | 1
	}
	if cfg.Name == "" {
		cfg.Name = fmt.Sprintf("nbsim-enb-%d", cfg.ENBID)
	}
	if !cfg.S1UAddr.IsValid() {
		cfg.S1UAddr = DefaultENBS1UAddress
	}
	conn, err := s1mme.Dial(ctx, url)
	if err != nil {
		return nil, err
	}
	e := &ENB{cfg: cfg, conn: conn, devs: map[*uenas.Device]*ueCtx{}, conns: map[uint32]*ueCtx{},
		changed: make(chan struct{}), done: make(chan struct{})}
	if err := e.setup(ctx); err != nil {
		conn.Close()
		return nil, err
	}
	go e.readLoop()
	return e, nil
}

// setup: S1 Setup (§8.7.3) with the TA on NB-IoT.
func (e *ENB) setup(ctx context.Context) error {
	nbiot := s1ap.RATTypeNBIoT
	drx := s1ap.NBIoTDefaultPagingDRX256
	name := e.cfg.Name
	req := &s1ap.S1SetupRequest{
		GlobalENBID:           s1ap.GlobalENBID{PLMN: e.cfg.PLMN, Kind: s1ap.MacroENB, ID: e.cfg.ENBID},
		ENBName:               &name,
		SupportedTAs:          []s1ap.SupportedTA{{TAC: e.cfg.TAC, BroadcastPLMNs: []s1ap.PLMN{e.cfg.PLMN}, RATType: &nbiot}},
		DefaultPagingDRX:      s1ap.PagingDRX128,
		NBIoTDefaultPagingDRX: &drx,
	}
	b, err := req.Marshal()
	if err != nil {
		return err
	}
	if err := e.conn.Send(StreamNonUE, b); err != nil {
		return fmt.Errorf("s1 setup: %w", err)
	}
	type res struct {
		pdu []byte
		err error
	}
	ch := make(chan res, 1)
	go func() {
		_, pdu, err := e.conn.Recv()
		ch <- res{pdu, err}
	}()
	var r res
	select {
	case r = <-ch:
	case <-ctx.Done():
		e.conn.Close()
		return fmt.Errorf("s1 setup: %w", ctx.Err())
	}
	if r.err != nil {
		return fmt.Errorf("s1 setup: %w", r.err)
	}
	m, err := s1ap.Parse(r.pdu)
	if err != nil {
		return fmt.Errorf("s1 setup: %w", err)
	}
	switch x := m.(type) {
	case *s1ap.S1SetupResponse:
		if len(x.ServedGUMMEIs) > 0 && len(x.ServedGUMMEIs[0].MMECs) > 0 {
			e.MMEC = x.ServedGUMMEIs[0].MMECs[0]
		}
		if x.MMEName != nil {
			e.MMEName = *x.MMEName
		}
		return nil
	case *s1ap.S1SetupFailure:
		return fmt.Errorf("s1 setup failure: cause %v", x.Cause)
	}
	return fmt.Errorf("s1 setup: unexpected answer %T", m)
}

// Close ends the association (SCTP SHUTDOWN) and waits for the reader.
func (e *ENB) Close() error {
	err := e.conn.Close()
	<-e.done
	return err
}

// Done is closed when the association has ended; Err then says why.
func (e *ENB) Done() <-chan struct{} { return e.done }

// Err is the error that ended the association, nil while it is up.
func (e *ENB) Err() error {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.err
}

// Counters returns a copy of the eNB's counters.
func (e *ENB) Counters() ENBCounters {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.c
}

// Do runs f under the eNB's lock, to read the state of devices.
func (e *ENB) Do(f func()) {
	e.mu.Lock()
	defer e.mu.Unlock()
	f()
}

// Connected reports whether dev has an S1 connection (is ECM-CONNECTED).
func (e *ENB) Connected(dev *uenas.Device) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	u := e.devs[dev]
	return u != nil && u.connected
}

// WaitIdle waits until dev has no S1 connection (after a UE Context
// Release), ctx is done or the association ends.
func (e *ENB) WaitIdle(ctx context.Context, dev *uenas.Device) error {
	return e.Wait(ctx, dev, func(*uenas.Device) bool {
		u := e.devs[dev]
		return u == nil || !u.connected
	})
}

// Wait waits until cond(dev) holds (evaluated under the eNB's lock after
// every message: cond must not call the ENB's methods), ctx is done or the
// association ends.
func (e *ENB) Wait(ctx context.Context, dev *uenas.Device, cond func(*uenas.Device) bool) error {
	e.mu.Lock()
	for {
		if cond(dev) {
			e.mu.Unlock()
			return nil
		}
		if e.err != nil {
			err := e.err
			e.mu.Unlock()
			return err
		}
		ch := e.changed
		e.mu.Unlock()
		select {
		case <-ch:
		case <-ctx.Done():
			return ctx.Err()
		}
		e.mu.Lock()
	}
}

func (e *ENB) notify() {
	close(e.changed)
	e.changed = make(chan struct{})
}

func (e *ENB) readLoop() {
	defer close(e.done)
	for {
		_, pdu, err := e.conn.Recv()
		if err != nil {
			e.mu.Lock()
			e.err = fmt.Errorf("%w: %v", ErrENBClosed, err)
			for id, u := range e.conns {
				u.connected = false
				delete(e.conns, id)
			}
			e.notify()
			e.mu.Unlock()
			return
		}
		e.handleLocked(pdu)
	}
}

// handleLocked handles one PDU from the MME under e.mu; a panic while
// handling it is recovered and counted (Failures): the eNB goes on.
func (e *ENB) handleLocked(pdu []byte) {
	e.mu.Lock()
	defer e.mu.Unlock()
	defer func() {
		if r := recover(); r != nil {
			e.c.Failures++
		}
		e.notify()
	}()
	if h := testHookPeerPDU; h != nil {
		h(pdu)
	}
	e.handle(pdu)
}

func (e *ENB) send(stream uint16, m s1ap.Message) error {
	b, err := m.Marshal()
	if err != nil {
		return err
	}
	return e.conn.Send(stream, b)
}

func (e *ENB) tai() s1ap.TAI { return s1ap.TAI{PLMN: e.cfg.PLMN, TAC: e.cfg.TAC} }
func (e *ENB) cgi() s1ap.EUTRANCGI {
	return s1ap.EUTRANCGI{PLMN: e.cfg.PLMN, CellID: e.cfg.CellID}
}

// handle processes one PDU from the MME; e.mu is held.
func (e *ENB) handle(pdu []byte) {
	m, err := s1ap.Parse(pdu)
	if err != nil {
		e.c.Unexpected++
		return
	}
	switch x := m.(type) {
	case *s1ap.DownlinkNASTransport:
		e.c.DownlinkNAS++
		u := e.conns[x.ENBUES1APID]
		if u == nil {
			e.c.Unexpected++
			mmeID, enbID := x.MMEUES1APID, x.ENBUES1APID
			cause := s1ap.CauseRadioNetworkUnknownENBUEID
			_ = e.send(StreamUE, &s1ap.ErrorIndication{MMEUES1APID: &mmeID, ENBUES1APID: &enbID, Cause: &cause})
			return
		}
		u.mmeUE, u.hasMME = x.MMEUES1APID, true
		reply, err := u.dev.Handle(x.NASPDU)
		if err != nil || reply == nil {
			return
		}
		e.c.UplinkNAS++
		_ = e.send(StreamUE, &s1ap.UplinkNASTransport{MMEUES1APID: u.mmeUE, ENBUES1APID: u.enbUE,
			NASPDU: reply, EUTRANCGI: e.cgi(), TAI: e.tai()})
	case *s1ap.UEContextReleaseCommand:
		e.c.ReleaseCommands++
		var u *ueCtx
		if x.UES1APIDs.ENBUES1APID != nil {
			u = e.conns[*x.UES1APIDs.ENBUES1APID]
		} else {
			for _, c := range e.conns {
				if c.hasMME && c.mmeUE == x.UES1APIDs.MMEUES1APID {
					u = c
				}
			}
		}
		enbUE := uint32(0)
		if x.UES1APIDs.ENBUES1APID != nil {
			enbUE = *x.UES1APIDs.ENBUES1APID
		}
		if u != nil {
			enbUE = u.enbUE
			u.connected = false
			delete(e.conns, u.enbUE)
		} else {
			e.c.Unexpected++
		}
		_ = e.send(StreamUE, &s1ap.UEContextReleaseComplete{MMEUES1APID: x.UES1APIDs.MMEUES1APID, ENBUES1APID: enbUE})
	case *s1ap.Paging:
		e.c.Pagings++
		for dev, u := range e.devs {
			if u.connected || !dev.Registered || !e.paged(x.UEPagingID, dev.IMSI) {
				continue
			}
			b, err := dev.ServiceRequest(nil, 0)
			if err != nil {
				continue
			}
			e.c.PagesAnswered++
			_ = e.connect(u, b, s1ap.RRCMTAccess, true)
		}
	case *s1ap.InitialContextSetupRequest:
		e.initialContextSetup(x)
	case *s1ap.ErrorIndication:
		e.c.ErrorIndications++
	default:
		e.c.Unexpected++
	}
}

// initialContextSetup answers Initial Context Setup Request (§8.3.1): the
// device's connection takes K_eNB and sets up every E-RAB, the eNB's end
// of each at its S1-U address with GTP-TEID eNB UE S1AP ID << 8 | E-RAB
// ID (unique in the eNB). An unknown eNB UE S1AP ID gets Initial Context
// Setup Failure (§8.3.1.3). e.mu is held.
func (e *ENB) initialContextSetup(x *s1ap.InitialContextSetupRequest) {
	u := e.conns[x.ENBUES1APID]
	if u == nil {
		e.c.Unexpected++
		_ = e.send(StreamUE, &s1ap.InitialContextSetupFailure{MMEUES1APID: x.MMEUES1APID, ENBUES1APID: x.ENBUES1APID,
			Cause: s1ap.CauseRadioNetworkUnknownENBUEID})
		return
	}
	// After a user-plane SERVICE REQUEST this is the MME's first PDU on
	// the connection.
	u.mmeUE, u.hasMME = x.MMEUES1APID, true
	u.contextSetup, u.kenb = true, x.SecurityKey
	resp := &s1ap.InitialContextSetupResponse{MMEUES1APID: x.MMEUES1APID, ENBUES1APID: x.ENBUES1APID,
		ERABSetup: make([]s1ap.ERABSetupItem, len(x.ERABs))}
	for i, r := range x.ERABs {
		resp.ERABSetup[i] = s1ap.ERABSetupItem{ERABID: r.ERABID, TransportLayerAddress: e.cfg.S1UAddr.AsSlice(),
			GTPTEID: u.enbUE<<8 | uint32(r.ERABID)}
	}
	e.c.ContextSetups++
	_ = e.send(StreamUE, resp)
}

func (e *ENB) paged(id s1ap.UEPagingID, imsi string) bool {
	if id.STMSI != nil {
		return id.STMSI.MMEC == e.MMEC && id.STMSI.MTMSI == MTMSI(imsi)
	}
	got, err := gpp.DecodeTBCD(id.IMSI)
	return err == nil && got == imsi
}

// connect opens a UE-associated connection with an Initial UE Message
// carrying nasPDU; e.mu is held.
func (e *ENB) connect(u *ueCtx, nasPDU []byte, cause s1ap.RRCEstablishmentCause, withSTMSI bool) error {
	e.nextUE++
	if e.nextUE >= 1<<24 { // eNB UE S1AP ID is 24 bits
		e.nextUE = 1
	}
	u.enbUE, u.connected, u.hasMME, u.contextSetup = e.nextUE, true, false, false
	e.conns[u.enbUE] = u
	m := &s1ap.InitialUEMessage{ENBUES1APID: u.enbUE, NASPDU: nasPDU, TAI: e.tai(), EUTRANCGI: e.cgi(),
		RRCEstablishmentCause: cause}
	if withSTMSI {
		m.STMSI = &s1ap.STMSI{MMEC: e.MMEC, MTMSI: MTMSI(u.dev.IMSI)}
	}
	e.c.InitialUE++
	return e.send(StreamUE, m)
}

func (e *ENB) ue(dev *uenas.Device) *ueCtx {
	u := e.devs[dev]
	if u == nil {
		u = &ueCtx{dev: dev}
		e.devs[dev] = u
	}
	return u
}

// AttachDevice attaches dev through this eNB (Initial UE Message with its
// ATTACH REQUEST, then the NAS exchange) and waits until it is registered
// or rejected. The device stays connected until the MME or Release ends
// the connection.
func (e *ENB) AttachDevice(ctx context.Context, dev *uenas.Device) error {
	e.mu.Lock()
	if e.err != nil {
		e.mu.Unlock()
		return e.err
	}
	u := e.ue(dev)
	if u.connected {
		// A new attach replaces the old connection, as after a radio link
		// failure.
		delete(e.conns, u.enbUE)
		u.connected = false
	}
	dev.Registered, dev.Rejected = false, nil
	b, err := dev.AttachRequest()
	if err == nil {
		err = e.connect(u, b, s1ap.RRCMOSignalling, false)
	}
	e.mu.Unlock()
	if err != nil {
		return err
	}
	if err := e.Wait(ctx, dev, func(d *uenas.Device) bool { return d.Registered || d.Rejected != nil }); err != nil {
		return fmt.Errorf("attach %s: %w", dev.IMSI, err)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	return dev.Rejected
}

// SendData sends uplink user data of a registered device with release
// assistance rai: in Uplink NAS Transport (ESM DATA TRANSPORT) when the
// device is connected, else in a control plane service request in an
// Initial UE Message with its S-TMSI. It returns once the data is sent.
func (e *ENB) SendData(ctx context.Context, dev *uenas.Device, data []byte, rai nas.ReleaseAssistanceIndication) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.err != nil {
		return e.err
	}
	u := e.devs[dev]
	if u == nil || !dev.Registered {
		return fmt.Errorf("send data %s: device not registered", dev.IMSI)
	}
	if u.connected {
		if !u.hasMME {
			return fmt.Errorf("send data %s: connection being set up", dev.IMSI)
		}
		b, err := dev.Data(data, rai)
		if err != nil {
			return err
		}
		e.c.UplinkNAS++
		return e.send(StreamUE, &s1ap.UplinkNASTransport{MMEUES1APID: u.mmeUE, ENBUES1APID: u.enbUE,
			NASPDU: b, EUTRANCGI: e.cgi(), TAI: e.tai()})
	}
	b, err := dev.ServiceRequest(data, rai)
	if err != nil {
		return err
	}
	return e.connect(u, b, s1ap.RRCMOData, true)
}

// Release asks the MME to release dev's connection (UE Context Release
// Request, cause radio user-inactivity, as an eNB's inactivity timer does).
func (e *ENB) Release(dev *uenas.Device) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	u := e.devs[dev]
	if u == nil || !u.connected || !u.hasMME {
		return fmt.Errorf("release %s: not connected", dev.IMSI)
	}
	e.c.ReleaseRequests++
	return e.send(StreamUE, &s1ap.UEContextReleaseRequest{MMEUES1APID: u.mmeUE, ENBUES1APID: u.enbUE,
		Cause: s1ap.CauseRadioNetworkUserInactivity})
}
