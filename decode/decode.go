package decode

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/nbsim/nbsim/epc/nas"
	"github.com/nbsim/nbsim/epc/s1ap"
	"github.com/nbsim/nbsim/pcap"
)

// Protocols of a Record.
const (
	ProtoS1AP = "S1AP"
	ProtoNAS  = "NAS-EPS"
)

// Directions of a Record.
const (
	Uplink   = "uplink"
	Downlink = "downlink"
)

// Options tune decoding.
type Options struct {
	// ForceNAS makes Hex read every line as a NAS message (no S1AP try).
	ForceNAS bool
}

// KV is one decoded field.
type KV struct {
	Key, Value string
}

// Fields is an ordered list of decoded fields. It marshals to a JSON object
// whose keys keep this order.
type Fields []KV

// Get returns the value of key, or "".
func (f Fields) Get(key string) string {
	for _, kv := range f {
		if kv.Key == key {
			return kv.Value
		}
	}
	return ""
}

// MarshalJSON writes the fields as an object in their order.
func (f Fields) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, kv := range f {
		if i > 0 {
			b.WriteByte(',')
		}
		k, _ := json.Marshal(kv.Key)
		v, _ := json.Marshal(kv.Value)
		b.Write(k)
		b.WriteByte(':')
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

func (f *Fields) add(k, v string) { *f = append(*f, KV{k, v}) }

// Record is one S1AP PDU, or one NAS-EPS message that came without S1AP
// (GSMTAP, hex input).
type Record struct {
	Frame int       `json:"frame"`         // Wireshark frame number (hex input: line number)
	Time  time.Time `json:"time,omitzero"` // capture time
	Rel   float64   `json:"t"`             // seconds since the first packet of the capture
	Src   string    `json:"src,omitempty"` // IP source
	Dst   string    `json:"dst,omitempty"` // IP destination
	Dir   string    `json:"dir,omitempty"` // Uplink or Downlink ("" when unknown)
	Proto string    `json:"proto"`         // ProtoS1AP or ProtoNAS
	Via   string    `json:"via,omitempty"` // carrier of a NAS-EPS record: "GSMTAP", "LTE-RRC UL-DCCH ULInformationTransfer", "hex"
	// Offset is the byte offset of the PDU in the captured frame (-1 when
	// it is not known, e.g. for a reassembled SCTP message).
	Offset  int         `json:"offset"`
	Message string      `json:"message"` // S1AP message name; for NAS-EPS records the name of the (first) NAS message
	Fields  Fields      `json:"fields,omitempty"`
	NAS     []NASRecord `json:"nas,omitempty"`
	Error   string      `json:"error,omitempty"`
}

// NASRecord is one NAS message inside a Record.
type NASRecord struct {
	// In is "" for a NAS-PDU as carried (S1AP NAS-PDU IE, GSMTAP, RRC
	// dedicatedInfoNAS, hex line) and "ESM container" for the ESM message
	// container of an EMM message.
	In string `json:"in,omitempty"`
	// Security is the security header of a protected message ("integrity
	// protected and ciphered", ...); "" for a plain message.
	Security string `json:"security,omitempty"`
	// Message is the message name as TS 24.301 writes it, "Ciphered
	// message" when the payload of a protected message does not decode.
	Message string `json:"message"`
	Fields  Fields `json:"fields,omitempty"`
	Error   string `json:"error,omitempty"`
	Len     int    `json:"len"`

	msg nas.Message // decoded (inner) message, for the summary
	dir string
	raw []byte // the octets as carried
}

// Result is what a capture holds.
type Result struct {
	Records []Record `json:"records"`
	UEs     []*UE    `json:"ues"`
	// Packets is the number of packets read; S1AP and NAS count the S1AP
	// PDUs and the NAS-PDUs as carried (not counting ESM containers).
	Packets int `json:"packets"`
	S1AP    int `json:"s1ap"`
	NAS     int `json:"nas"`
	Errors  int `json:"errors"` // records with a decoding error (in S1AP or in a NAS message)
}

// FileError is a capture that cannot be read (or not to its end).
type FileError struct {
	Path   string
	Frame  int   // frame being read (0 when not applicable)
	Offset int64 // byte offset of the record or block in the file
	Err    error
}

func (e *FileError) Error() string {
	if e.Frame > 0 {
		return fmt.Sprintf("%s: frame %d at byte offset %d: %v", e.Path, e.Frame, e.Offset, e.Err)
	}
	return fmt.Sprintf("%s: %v", e.Path, e.Err)
}

func (e *FileError) Unwrap() error { return e.Err }

// File decodes the pcap or pcapng file at path. On a read error it returns
// the records decoded before it and a *FileError.
func File(path string, opt Options) (*Result, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, &FileError{Path: path, Err: unwrapPath(err)}
	}
	defer f.Close()
	return Reader(path, f, opt)
}

func unwrapPath(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// Reader decodes a pcap or pcapng stream; name is used in errors.
func Reader(name string, r io.Reader, opt Options) (*Result, error) {
	pr, err := pcap.NewReader(bufio.NewReaderSize(r, 1<<16))
	if err != nil {
		return &Result{}, fileError(name, err)
	}
	var pkts []pcap.Packet
	var rerr error
	for {
		p, err := pr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			rerr = fileError(name, err)
			break
		}
		pkts = append(pkts, p)
	}
	res := Packets(pkts, opt)
	return res, rerr
}

func fileError(name string, err error) error {
	var fe *pcap.FormatError
	if errors.As(err, &fe) {
		msg := fe.Msg
		if fe.Err != nil {
			msg += ": " + fe.Err.Error()
		}
		return &FileError{Path: name, Frame: fe.Frame, Offset: fe.Offset, Err: errors.New(msg)}
	}
	if errors.Is(err, pcap.ErrUnknownFormat) {
		return &FileError{Path: name, Err: errors.New("not a pcap or pcapng file")}
	}
	return &FileError{Path: name, Err: err}
}

// Packets decodes captured packets (in capture order).
func Packets(pkts []pcap.Packet, opt Options) *Result {
	res := &Result{Packets: len(pkts)}
	var t0 time.Time
	for _, p := range pkts {
		if !p.Time.IsZero() {
			t0 = p.Time
			break
		}
	}
	d := pcap.NewDecoder()
	for _, p := range pkts {
		fr, err := d.Decode(p)
		base := Record{Frame: p.Index, Time: p.Time}
		if !p.Time.IsZero() && !t0.IsZero() {
			base.Rel = p.Time.Sub(t0).Seconds()
		}
		if fr.Src.IsValid() {
			base.Src, base.Dst = fr.Src.String(), fr.Dst.String()
		}
		if err != nil && !errors.Is(err, pcap.ErrFragment) && relevant(fr) {
			r := base
			r.Proto = guessProto(fr)
			r.Offset = -1
			r.Error = fmt.Sprintf("frame %d: %v", p.Index, err)
			res.Records = append(res.Records, r)
		}
		for _, s := range fr.SCTP {
			if !isS1AP(s) {
				continue
			}
			r := base
			r.Offset = offsetIn(p.Data, s.Payload)
			if s.DstPort == pcap.PortS1AP {
				r.Dir = Uplink
			} else if s.SrcPort == pcap.PortS1AP {
				r.Dir = Downlink
			}
			decodeS1AP(&r, s.Payload)
			res.Records = append(res.Records, r)
		}
		if g := fr.GSMTAP; g != nil {
			dir := Downlink
			if g.Uplink {
				dir = Uplink
			}
			off := offsetIn(p.Data, g.Payload)
			switch g.Type {
			case pcap.GSMTAPTypeLTENAS:
				r := base
				r.Dir, r.Via, r.Offset = dir, "GSMTAP", off
				decodeNASOnly(&r, g.Payload)
				res.Records = append(res.Records, r)
			case pcap.GSMTAPTypeLTERRC:
				for _, c := range rrcNAS(g.SubType, g.Payload) {
					r := base
					r.Dir, r.Via, r.Offset = dir, "LTE-RRC "+c.where, off
					if c.err != nil {
						r.Proto = ProtoNAS
						r.Error = fmt.Sprintf("frame %d: %s: %v", p.Index, r.Via, c.err)
						res.Records = append(res.Records, r)
						continue
					}
					if off >= 0 {
						r.Offset = off + c.off
					}
					decodeNASOnly(&r, c.nas)
					res.Records = append(res.Records, r)
				}
			}
		}
	}
	finish(res)
	return res
}

// relevant reports whether a frame that failed to decapsulate may have
// carried S1AP or GSMTAP.
func relevant(fr pcap.Frame) bool {
	if fr.Protocol == pcap.ProtoSCTP {
		return true
	}
	if fr.UDP != nil && (fr.UDP.SrcPort == pcap.PortGSMTAP || fr.UDP.DstPort == pcap.PortGSMTAP) {
		return true
	}
	return false
}

func guessProto(fr pcap.Frame) string {
	if fr.Protocol == pcap.ProtoSCTP {
		return ProtoS1AP
	}
	return ProtoNAS
}

func isS1AP(s pcap.SCTPData) bool {
	if s.PPID == pcap.PPIDS1AP {
		return true
	}
	return s.PPID == 0 && (s.SrcPort == pcap.PortS1AP || s.DstPort == pcap.PortS1AP)
}

// offsetIn returns the offset of sub in data when sub aliases data (the
// pcap decoder's payloads do, except reassembled ones), else -1.
func offsetIn(data, sub []byte) int {
	if len(sub) == 0 || len(data) == 0 {
		return -1
	}
	if i := bytes.Index(data, sub); i >= 0 {
		return i
	}
	return -1
}

// Hex decodes hex dumps: one PDU per line (whitespace inside the hex and
// "# comments" allowed, blank lines skipped). Each line is tried as an
// S1AP-PDU, then as a NAS message (only NAS with opt.ForceNAS). Lines that
// are not hex give an error Record; a read error is returned.
func Hex(r io.Reader, opt Options) (*Result, error) {
	res := &Result{}
	sc := bufio.NewScanner(r)
	sc.Buffer(nil, 16<<20)
	line := 0
	for sc.Scan() {
		line++
		s := sc.Text()
		if i := strings.IndexByte(s, '#'); i >= 0 {
			s = s[:i]
		}
		s = strings.Join(strings.Fields(s), "")
		s = strings.TrimPrefix(strings.TrimPrefix(s, "0x"), "0X")
		if s == "" {
			continue
		}
		res.Packets++
		rec := Record{Frame: line, Via: "hex", Offset: 0}
		b, err := hex.DecodeString(s)
		if err != nil {
			rec.Proto = ProtoNAS
			rec.Error = fmt.Sprintf("line %d: not hex: %v", line, hexErr(err))
			res.Records = append(res.Records, rec)
			continue
		}
		var s1err error
		if !opt.ForceNAS {
			m, err := s1ap.Parse(b)
			if err == nil && plausibleS1AP(m, b) {
				rec.Dir = s1apDir(m)
				decodeS1APMessage(&rec, m, b)
				res.Records = append(res.Records, rec)
				continue
			}
			if err == nil {
				err = errors.New("not a plausible S1AP-PDU")
			}
			s1err = err
		}
		decodeNASOnly(&rec, b)
		if rec.Error != "" && s1err != nil {
			if pd := b[0] & 0x0f; pd != 2 && pd != 7 {
				// not NAS-looking: the S1AP error is the one to show
				rec = Record{Frame: line, Via: "hex", Proto: ProtoS1AP, Message: "?",
					Error: fmt.Sprintf("line %d: S1AP: %s (not NAS-EPS either)", line, strings.TrimSpace(s1err.Error()))}
			} else {
				rec.Error += fmt.Sprintf(" (not S1AP either: %v)", s1err)
				rec.NAS[0].Error = rec.Error
			}
		}
		res.Records = append(res.Records, rec)
	}
	if err := sc.Err(); err != nil {
		finish(res)
		return res, err
	}
	finish(res)
	return res, nil
}

func hexErr(err error) string {
	var ie hex.InvalidByteError
	if errors.As(err, &ie) {
		return fmt.Sprintf("invalid character %q", rune(ie))
	}
	if errors.Is(err, hex.ErrLength) {
		return "odd number of hex digits"
	}
	return err.Error()
}

// plausibleS1AP guards the S1AP-first guess of hex input: a NAS message can
// happen to decode as an S1AP envelope of some procedure, so a generic PDU
// is accepted only when it re-encodes to the input.
func plausibleS1AP(m s1ap.Message, b []byte) bool {
	p, ok := m.(*s1ap.PDU)
	if !ok {
		return true
	}
	if len(p.Trailing) > 0 {
		return false
	}
	out, err := p.Marshal()
	return err == nil && bytes.Equal(out, b)
}

func finish(res *Result) {
	for i := range res.Records {
		r := &res.Records[i]
		if r.Proto == ProtoS1AP && r.Error == "" {
			res.S1AP++
		}
		bad := r.Error != ""
		for _, n := range r.NAS {
			if n.In == "" && n.Error == "" {
				res.NAS++
			}
			if n.Error != "" {
				bad = true
			}
		}
		if bad {
			res.Errors++
		}
	}
	res.UEs = summarize(res.Records)
}

func itoa[T ~int | ~uint8 | ~uint16 | ~uint32 | ~int64](v T) string {
	return strconv.FormatInt(int64(v), 10)
}
