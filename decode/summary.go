package decode

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/nbsim/nbsim/epc/nas"
)

// UE is the per-UE procedure summary.
type UE struct {
	IMSI   string `json:"imsi,omitempty"`
	GUTI   string `json:"guti,omitempty"` // the last GUTI seen (sent by the UE or assigned)
	IMEISV string `json:"imeisv,omitempty"`
	// S1 lists the UE's S1 connections (UE-associated logical S1
	// connections), in order; empty for GSMTAP and hex NAS input.
	S1         []*Conn `json:"s1,omitempty"`
	FirstFrame int     `json:"first_frame"`
	LastFrame  int     `json:"last_frame"`

	Attaches []*Proc `json:"attaches,omitempty"`
	TAUs     []*Proc `json:"taus,omitempty"`
	Detaches []*Proc `json:"detaches,omitempty"`
	// ServiceRequests counts SERVICE REQUEST, EXTENDED SERVICE REQUEST and
	// CONTROL PLANE SERVICE REQUEST messages.
	ServiceRequests int `json:"service_requests,omitempty"`

	// Auth is the authentication outcome: "ok", "ok after failure (#21
	// Synch failure)", "failed (...)", "rejected", "no response".
	Auth         string `json:"auth,omitempty"`
	AuthRequests int    `json:"auth_requests,omitempty"`
	// Security is the NAS security algorithms of the last SECURITY MODE
	// COMMAND, e.g. "EEA0/EIA2".
	Security string `json:"security,omitempty"`

	// Requested are the PSM/eDRX timers the UE asked for in its last
	// ATTACH or TAU REQUEST; Granted the values of the last ATTACH or TAU
	// ACCEPT. An absent timer is "".
	Requested Timers `json:"requested,omitzero"`
	Granted   Timers `json:"granted,omitzero"`

	Rejects  []Reject  `json:"rejects,omitempty"`
	DataUL   Data      `json:"data_ul,omitzero"` // ESM DATA TRANSPORT (user data over NAS)
	DataDL   Data      `json:"data_dl,omitzero"`
	Releases []Release `json:"releases,omitempty"` // UE CONTEXT RELEASE COMMANDs

	authOK, authRejected bool
	authFailures         []string
	dead                 bool
}

// Conn is one S1 connection of a UE.
type Conn struct {
	ENB        string  `json:"enb,omitempty"` // eNB address
	ENBUEID    uint32  `json:"enb_ue"`
	MMEUEID    *uint32 `json:"mme_ue,omitempty"`
	FirstFrame int     `json:"first_frame"`
	LastFrame  int     `json:"last_frame"`
	Released   bool    `json:"released,omitempty"` // UE CONTEXT RELEASE COMPLETE seen
}

// Proc is one attach, TAU or detach.
type Proc struct {
	Frame int    `json:"frame"`          // frame of the request
	Type  string `json:"type,omitempty"` // attach type, update type, detach type
	// Result: "complete" (attach complete), "accepted", "rejected #cause",
	// "no answer", "switch-off" (UE detach with switch off: no accept).
	Result string   `json:"result"`
	End    int      `json:"end_frame,omitempty"` // frame that ended it
	MS     *float64 `json:"ms,omitempty"`        // duration, request to end, in milliseconds

	t0 time.Time
}

// Timers are PSM and eDRX values.
type Timers struct {
	T3412    string `json:"t3412,omitempty"`
	T3412Ext string `json:"t3412ext,omitempty"`
	T3324    string `json:"t3324,omitempty"`
	EDRX     string `json:"edrx,omitempty"`
}

// Reject is a reject or failure message with its cause.
type Reject struct {
	Frame   int    `json:"frame"`
	Message string `json:"message"`
	Cause   string `json:"cause,omitempty"`
}

// Data counts user data messages and octets.
type Data struct {
	Messages int `json:"messages"`
	Bytes    int `json:"bytes"`
}

// Release is a UE CONTEXT RELEASE COMMAND.
type Release struct {
	Frame int    `json:"frame"`
	Cause string `json:"cause"`
}

type tracker struct {
	ues    []*UE
	byENB  map[string]*connRef
	byMME  map[string]*connRef
	byIMSI map[string]*UE
	byTMSI map[uint32]*UE
	single *UE // GSMTAP device / hex NAS lines
}

type connRef struct {
	ue *UE
	c  *Conn
}

func (t *tracker) newUE(frame int) *UE {
	u := &UE{FirstFrame: frame, LastFrame: frame}
	t.ues = append(t.ues, u)
	return u
}

func summarize(recs []Record) []*UE {
	t := &tracker{byENB: map[string]*connRef{}, byMME: map[string]*connRef{}, byIMSI: map[string]*UE{}, byTMSI: map[uint32]*UE{}}
	plainLog := false
	for _, r := range recs {
		if r.Via == "GSMTAP" {
			plainLog = true
		}
	}
	for i := range recs {
		r := &recs[i]
		if r.Proto != ProtoS1AP && !slices.ContainsFunc(r.NAS, func(n NASRecord) bool { return n.msg != nil }) {
			continue
		}
		if plainLog && strings.HasPrefix(r.Via, "LTE-RRC") {
			continue
		}
		var u *UE
		if r.Proto == ProtoS1AP {
			u = t.s1ap(r)
		} else {
			if t.single == nil {
				t.single = t.newUE(r.Frame)
			}
			u = t.single
		}
		if u == nil {
			continue
		}
		for _, n := range r.NAS {
			if n.msg != nil {
				u = t.nasEvent(u, r, n)
			}
		}
		u.LastFrame = max(u.LastFrame, r.Frame)
	}
	var out []*UE
	for _, u := range t.ues {
		if u.dead {
			continue
		}
		u.Auth = authOutcome(u)
		out = append(out, u)
	}
	return out
}

func authOutcome(u *UE) string {
	fail := strings.Join(u.authFailures, ", ")
	switch {
	case u.authRejected:
		return "rejected"
	case u.authOK && fail != "":
		return "ok after failure (" + fail + ")"
	case u.authOK:
		return "ok"
	case fail != "":
		return "failed (" + fail + ")"
	case u.AuthRequests > 0:
		return "no response"
	}
	return ""
}

func fieldID(f Fields, k string) (uint32, bool) {
	v := f.Get(k)
	if v == "" {
		return 0, false
	}
	n, err := strconv.ParseUint(v, 10, 32)
	return uint32(n), err == nil
}

// s1ap finds (or creates) the UE of an S1AP record.
func (t *tracker) s1ap(r *Record) *UE {
	enbID, hasENB := fieldID(r.Fields, "enb-ue")
	mmeID, hasMME := fieldID(r.Fields, "mme-ue")
	if !hasENB && !hasMME {
		return nil
	}
	enbAddr, mmeAddr := r.Src, r.Dst
	if r.Dir == Downlink {
		enbAddr, mmeAddr = r.Dst, r.Src
	}
	ek := enbAddr + "|" + strconv.FormatUint(uint64(enbID), 10)
	mk := mmeAddr + "|" + strconv.FormatUint(uint64(mmeID), 10)
	var ref *connRef
	if r.Message == "InitialUEMessage" {
		u := t.newUE(r.Frame)
		if s := r.Fields.Get("s-tmsi"); s != "" {
			if i := strings.IndexByte(s, '/'); i >= 0 {
				if v, err := strconv.ParseUint(s[i+1:], 16, 32); err == nil {
					u = t.setTMSI(u, uint32(v))
				}
			}
		}
		ref = &connRef{u, &Conn{ENB: enbAddr, ENBUEID: enbID, FirstFrame: r.Frame}}
		u.S1 = append(u.S1, ref.c)
		t.byENB[ek] = ref
	} else {
		if hasENB {
			ref = t.byENB[ek]
		}
		if ref == nil && hasMME {
			ref = t.byMME[mk]
			if ref != nil && hasENB {
				if ref.c.ENB != enbAddr { // handover to another eNB
					ref = t.newConn(ref.ue, enbAddr, enbID, r.Frame)
				}
				t.byENB[ek] = ref
			}
		}
		if ref == nil {
			if !hasENB {
				return nil
			}
			ref = t.newConn(t.newUE(r.Frame), enbAddr, enbID, r.Frame)
			t.byENB[ek] = ref
		}
	}
	if hasMME {
		if ref.c.MMEUEID == nil || *ref.c.MMEUEID != mmeID {
			id := mmeID
			ref.c.MMEUEID = &id
		}
		t.byMME[mk] = ref
	}
	ref.c.LastFrame = r.Frame
	u := ref.ue
	switch r.Message {
	case "UEContextReleaseCommand":
		u.Releases = append(u.Releases, Release{r.Frame, r.Fields.Get("cause")})
	case "UEContextReleaseComplete":
		ref.c.Released = true
		for k, v := range t.byENB {
			if v == ref {
				delete(t.byENB, k)
			}
		}
		for k, v := range t.byMME {
			if v == ref {
				delete(t.byMME, k)
			}
		}
	}
	return u
}

func (t *tracker) newConn(u *UE, enb string, id uint32, frame int) *connRef {
	c := &Conn{ENB: enb, ENBUEID: id, FirstFrame: frame}
	u.S1 = append(u.S1, c)
	return &connRef{u, c}
}

// merge moves src into dst.
func (t *tracker) merge(src, dst *UE) *UE {
	if src == dst {
		return dst
	}
	// keep the earlier UE as the survivor
	if src.FirstFrame < dst.FirstFrame {
		src, dst = dst, src
	}
	dst.S1 = append(dst.S1, src.S1...)
	dst.Attaches = sortProcs(append(dst.Attaches, src.Attaches...))
	dst.TAUs = sortProcs(append(dst.TAUs, src.TAUs...))
	dst.Detaches = sortProcs(append(dst.Detaches, src.Detaches...))
	dst.ServiceRequests += src.ServiceRequests
	dst.AuthRequests += src.AuthRequests
	dst.authOK = dst.authOK || src.authOK
	dst.authRejected = dst.authRejected || src.authRejected
	dst.authFailures = append(dst.authFailures, src.authFailures...)
	dst.Rejects = append(dst.Rejects, src.Rejects...)
	slices.SortStableFunc(dst.Rejects, func(a, b Reject) int { return a.Frame - b.Frame })
	dst.Releases = append(dst.Releases, src.Releases...)
	slices.SortStableFunc(dst.Releases, func(a, b Release) int { return a.Frame - b.Frame })
	dst.DataUL.Messages += src.DataUL.Messages
	dst.DataUL.Bytes += src.DataUL.Bytes
	dst.DataDL.Messages += src.DataDL.Messages
	dst.DataDL.Bytes += src.DataDL.Bytes
	newer := src.LastFrame >= dst.LastFrame
	pick := func(d *string, s string) {
		if s != "" && (*d == "" || newer) {
			*d = s
		}
	}
	pick(&dst.IMSI, src.IMSI)
	pick(&dst.GUTI, src.GUTI)
	pick(&dst.IMEISV, src.IMEISV)
	pick(&dst.Security, src.Security)
	for _, p := range [][2]*Timers{{&dst.Requested, &src.Requested}, {&dst.Granted, &src.Granted}} {
		pick(&p[0].T3412, p[1].T3412)
		pick(&p[0].T3412Ext, p[1].T3412Ext)
		pick(&p[0].T3324, p[1].T3324)
		pick(&p[0].EDRX, p[1].EDRX)
	}
	dst.FirstFrame = min(dst.FirstFrame, src.FirstFrame)
	dst.LastFrame = max(dst.LastFrame, src.LastFrame)
	for _, m := range []map[string]*connRef{t.byENB, t.byMME} {
		for _, ref := range m {
			if ref.ue == src {
				ref.ue = dst
			}
		}
	}
	for k, v := range t.byIMSI {
		if v == src {
			t.byIMSI[k] = dst
		}
	}
	for k, v := range t.byTMSI {
		if v == src {
			t.byTMSI[k] = dst
		}
	}
	if t.single == src {
		t.single = dst
	}
	src.dead = true
	return dst
}

func sortProcs(p []*Proc) []*Proc {
	slices.SortStableFunc(p, func(a, b *Proc) int { return a.Frame - b.Frame })
	return p
}

func (t *tracker) setIMSI(u *UE, imsi string) *UE {
	if o := t.byIMSI[imsi]; o != nil && o != u {
		u = t.merge(u, o)
	}
	u.IMSI = imsi
	t.byIMSI[imsi] = u
	return u
}

func (t *tracker) setTMSI(u *UE, tmsi uint32) *UE {
	if o := t.byTMSI[tmsi]; o != nil && o != u {
		u = t.merge(u, o)
	}
	t.byTMSI[tmsi] = u
	return u
}

func (t *tracker) identity(u *UE, id *nas.EPSMobileIdentity) *UE {
	switch {
	case id.Raw != nil:
	case id.Type == nas.EPSIdentityIMSI:
		u = t.setIMSI(u, id.Digits)
	case id.Type == nas.EPSIdentityGUTI:
		u = t.setTMSI(u, id.GUTI.MTMSI)
		u.GUTI = id.GUTI.String()
	}
	return u
}

// pending is the last procedure not yet ended.
func pending(ps []*Proc) *Proc {
	if len(ps) == 0 {
		return nil
	}
	p := ps[len(ps)-1]
	if p.End != 0 || p.Result == "complete" || strings.HasPrefix(p.Result, "rejected") {
		return nil
	}
	return p
}

func end(p *Proc, r *Record, result string) {
	p.Result = result
	p.End = r.Frame
	if !p.t0.IsZero() && !r.Time.IsZero() {
		ms := float64(r.Time.Sub(p.t0).Microseconds()) / 1000
		p.MS = &ms
	}
}

func requested(t3324 *nas.GPRSTimer2, t3412ext *nas.GPRSTimer3, edrx *nas.ExtendedDRXParameters) Timers {
	var tm Timers
	if t3324 != nil {
		tm.T3324 = timerStr(t3324.Duration())
	}
	if t3412ext != nil {
		tm.T3412Ext = timerStr(t3412ext.Duration())
	}
	if edrx != nil {
		tm.EDRX = EDRXString(*edrx)
	}
	return tm
}

func (t *tracker) nasEvent(u *UE, r *Record, n NASRecord) *UE {
	e := &nasEv{t: t, u: u, r: r, n: n}
	_ = e.attach() || e.security() || e.tau() || e.detach() || e.other()
	return e.u
}

// nasEv is one NAS message of a UE's record as the summary takes it in:
// each method handles a family of messages and reports whether m was one.
type nasEv struct {
	t *tracker
	u *UE
	r *Record
	n NASRecord
}

// newProc starts a procedure of the UE; the one before still pending got
// no answer.
func (e *nasEv) newProc(list *[]*Proc, typ string) {
	if p := pending(*list); p != nil && p.Result == "" {
		p.Result = "no answer"
	}
	*list = append(*list, &Proc{Frame: e.r.Frame, Type: typ, t0: e.r.Time})
}

func (e *nasEv) reject(cause string) {
	e.u.Rejects = append(e.u.Rejects, Reject{e.r.Frame, e.n.Message, cause})
}

// attach: TS 24.301 §5.5.1.
func (e *nasEv) attach() bool {
	u := e.u
	switch m := e.n.msg.(type) {
	case *nas.AttachRequest:
		e.u = e.t.identity(u, &m.Identity)
		e.newProc(&e.u.Attaches, attachTypes[m.AttachType&7])
		e.u.Requested = requested(m.T3324, m.T3412Extended, m.ExtendedDRXParameters)
	case *nas.AttachAccept:
		if p := pending(u.Attaches); p != nil {
			p.Result = "accepted"
			p.End = 0
		}
		u.Granted = requested(m.T3324, m.T3412Extended, m.ExtendedDRXParameters)
		u.Granted.T3412 = timerStr(m.T3412.Duration())
		if m.GUTI != nil {
			e.u = e.t.identity(u, m.GUTI)
		}
	case *nas.AttachComplete:
		if p := pending(u.Attaches); p != nil {
			end(p, e.r, "complete")
		}
	case *nas.AttachReject:
		if p := pending(u.Attaches); p != nil {
			end(p, e.r, "rejected "+m.Cause.String())
		}
		e.reject(m.Cause.String())
	default:
		return false
	}
	return true
}

// security: authentication, security mode and identification (TS 24.301
// §5.4).
func (e *nasEv) security() bool {
	u := e.u
	switch m := e.n.msg.(type) {
	case *nas.AuthenticationRequest:
		u.AuthRequests++
	case *nas.AuthenticationResponse:
		u.authOK = true
	case *nas.AuthenticationFailure:
		u.authFailures = append(u.authFailures, m.Cause.String())
		e.reject(m.Cause.String())
	case *nas.AuthenticationReject:
		u.authRejected = true
		e.reject("")
	case *nas.SecurityModeCommand:
		u.Security = m.Algorithms.String()
	case *nas.SecurityModeComplete:
		if m.IMEISV != nil && m.IMEISV.Digits != "" {
			u.IMEISV = m.IMEISV.Digits
		}
	case *nas.SecurityModeReject:
		e.reject(m.Cause.String())
	case *nas.IdentityResponse:
		if m.Identity.Type == nas.MobileIdentityIMSI {
			e.u = e.t.setIMSI(u, m.Identity.Digits)
		}
	default:
		return false
	}
	return true
}

// tau: tracking area updating, TS 24.301 §5.5.3.
func (e *nasEv) tau() bool {
	u := e.u
	switch m := e.n.msg.(type) {
	case *nas.TrackingAreaUpdateRequest:
		e.u = e.t.identity(u, &m.OldGUTI)
		typ := ""
		if v := int(m.UpdateType.Value()); v < len(updateTypes) {
			typ = updateTypes[v]
		}
		e.newProc(&e.u.TAUs, typ)
		e.u.Requested = requested(m.T3324, m.T3412Extended, m.ExtendedDRXParameters)
	case *nas.TrackingAreaUpdateAccept:
		if p := pending(u.TAUs); p != nil {
			end(p, e.r, "accepted")
		}
		g := requested(m.T3324, m.T3412Extended, m.ExtendedDRXParameters)
		if m.T3412 != nil {
			g.T3412 = timerStr(m.T3412.Duration())
		}
		u.Granted = g
		if m.GUTI != nil {
			e.u = e.t.identity(u, m.GUTI)
		}
	case *nas.TrackingAreaUpdateReject:
		if p := pending(u.TAUs); p != nil {
			end(p, e.r, "rejected "+m.Cause.String())
		}
		e.reject(m.Cause.String())
	default:
		return false
	}
	return true
}

// detach: TS 24.301 §5.5.2.
func (e *nasEv) detach() bool {
	switch m := e.n.msg.(type) {
	case *nas.DetachRequest:
		e.u = e.t.identity(e.u, &m.Identity)
		typ := "ue"
		if m.DetachType.SwitchOff() {
			typ = "ue switch-off"
		}
		e.newProc(&e.u.Detaches, typ)
		if m.DetachType.SwitchOff() {
			e.u.Detaches[len(e.u.Detaches)-1].Result = "switch-off"
		}
	case *nas.NetworkDetachRequest:
		typ := "network"
		if m.EMMCause != nil {
			typ += " " + m.EMMCause.String()
		}
		e.newProc(&e.u.Detaches, typ)
	case *nas.DetachAccept:
		if p := pending(e.u.Detaches); p != nil {
			end(p, e.r, "accepted")
		}
	default:
		return false
	}
	return true
}

// other: service requests, GUTI reallocation, data over NAS and the ESM
// rejects.
func (e *nasEv) other() bool {
	u := e.u
	switch m := e.n.msg.(type) {
	case *nas.ServiceRequest, *nas.ExtendedServiceRequest, *nas.ControlPlaneServiceRequest:
		u.ServiceRequests++
	case *nas.ServiceReject:
		e.reject(m.Cause.String())
	case *nas.GUTIReallocationCommand:
		e.u = e.t.identity(u, &m.GUTI)
	case *nas.ESMDataTransport:
		d := &u.DataDL
		if e.n.dir == Uplink || (e.n.dir == "" && e.r.Dir == Uplink) {
			d = &u.DataUL
		}
		d.Messages++
		d.Bytes += len(m.UserData)
	case *nas.PDNConnectivityReject:
		e.reject(m.Cause.String())
	case *nas.PDNDisconnectReject:
		e.reject(m.Cause.String())
	case *nas.ActivateDefaultEPSBearerContextReject:
		e.reject(m.Cause.String())
	case *nas.ActivateDedicatedEPSBearerContextReject:
		e.reject(m.Cause.String())
	case *nas.ModifyEPSBearerContextReject:
		e.reject(m.Cause.String())
	default:
		return false
	}
	return true
}

// String is a one-line label of the UE.
func (u *UE) String() string {
	var s []string
	if u.IMSI != "" {
		s = append(s, "imsi="+u.IMSI)
	}
	if u.GUTI != "" {
		s = append(s, "guti="+u.GUTI)
	}
	if len(s) == 0 {
		s = append(s, "(no identity seen)")
	}
	return strings.Join(s, " ")
}
