package decode

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
)

var shortSecurity = map[string]string{
	"integrity protected":                                            "integrity",
	"integrity protected and ciphered":                               "integrity+ciphered",
	"integrity protected with new EPS security context":              "integrity,new-context",
	"integrity protected and ciphered with new EPS security context": "integrity+ciphered,new-context",
	"integrity protected and partially ciphered":                     "integrity+partly-ciphered",
}

func arrow(r *Record) string {
	switch {
	case r.Proto == ProtoS1AP && r.Dir == Uplink:
		return "eNB→MME"
	case r.Proto == ProtoS1AP && r.Dir == Downlink:
		return "MME→eNB"
	case r.Dir == Uplink:
		return "UE→NW"
	case r.Dir == Downlink:
		return "NW→UE"
	}
	return "?"
}

func quote(v string) string {
	if v == "" || strings.ContainsAny(v, " =|\"\t") {
		return strconv.Quote(v)
	}
	return v
}

func writeFields(b *strings.Builder, f Fields) {
	for _, kv := range f {
		b.WriteByte(' ')
		b.WriteString(kv.Key)
		b.WriteByte('=')
		b.WriteString(quote(kv.Value))
	}
}

// Line formats one record as a line of text (without newline).
func Line(r *Record) string {
	var b strings.Builder
	fmt.Fprintf(&b, "#%-5d %8.3fs  %-7s  ", r.Frame, r.Rel, arrow(r))
	if r.Proto == ProtoS1AP {
		b.WriteString("S1AP ")
		b.WriteString(r.Message)
		writeFields(&b, r.Fields)
		if r.Error != "" {
			b.WriteString(" ERROR ")
			b.WriteString(r.Error)
		}
		for _, n := range r.NAS {
			b.WriteString(" | ")
			writeNAS(&b, &n)
		}
		return b.String()
	}
	if len(r.NAS) == 0 {
		b.WriteString("NAS ERROR ")
		b.WriteString(r.Error)
	}
	for i, n := range r.NAS {
		if i > 0 {
			b.WriteString(" | ")
		}
		writeNAS(&b, &n)
	}
	if r.Via != "" && r.Via != "GSMTAP" && r.Via != "hex" {
		fmt.Fprintf(&b, " (in %s)", r.Via)
	}
	return b.String()
}

func writeNAS(b *strings.Builder, n *NASRecord) {
	if n.In == "ESM container" {
		b.WriteString("ESM ")
	} else {
		b.WriteString("NAS ")
	}
	if n.Security != "" {
		s := shortSecurity[n.Security]
		if s == "" {
			s = n.Security
		}
		b.WriteString("[" + s + "] ")
	}
	b.WriteString(n.Message)
	writeFields(b, n.Fields)
	if n.Error != "" {
		b.WriteString(" ERROR ")
		b.WriteString(n.Error)
	}
}

// WriteText writes one line per record, a blank line and the per-UE
// summary.
func WriteText(w io.Writer, res *Result) error {
	var b strings.Builder
	for i := range res.Records {
		b.WriteString(Line(&res.Records[i]))
		b.WriteByte('\n')
	}
	fmt.Fprintf(&b, "\n%d packets, %d S1AP messages, %d NAS messages, %d decoding errors, %d UEs\n",
		res.Packets, res.S1AP, res.NAS, res.Errors, len(res.UEs))
	for i, u := range res.UEs {
		b.WriteByte('\n')
		writeUE(&b, i+1, u)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func ms(p *Proc) string {
	if p.MS == nil {
		return ""
	}
	return " in " + strconv.FormatFloat(*p.MS, 'f', -1, 64) + " ms"
}

func procLine(b *strings.Builder, what string, ps []*Proc) {
	for _, p := range ps {
		fmt.Fprintf(b, "  %s: ", what)
		if p.Type != "" {
			b.WriteString(p.Type + ", ")
		}
		res := p.Result
		if res == "" {
			res = "no answer"
		}
		fmt.Fprintf(b, "frame %d", p.Frame)
		if p.End != 0 {
			fmt.Fprintf(b, "→%d", p.End)
		}
		fmt.Fprintf(b, " %s%s\n", res, ms(p))
	}
}

func writeUE(b *strings.Builder, n int, u *UE) {
	fmt.Fprintf(b, "UE %d: %s  frames %d-%d\n", n, u, u.FirstFrame, u.LastFrame)
	if u.IMEISV != "" {
		fmt.Fprintf(b, "  imeisv: %s\n", u.IMEISV)
	}
	if len(u.S1) > 0 {
		var s []string
		for _, c := range u.S1 {
			x := "enb-ue=" + strconv.FormatUint(uint64(c.ENBUEID), 10)
			if c.MMEUEID != nil {
				x += " mme-ue=" + strconv.FormatUint(uint64(*c.MMEUEID), 10)
			}
			x += fmt.Sprintf(" (%d-%d", c.FirstFrame, c.LastFrame)
			if c.Released {
				x += ", released"
			}
			s = append(s, x+")")
		}
		fmt.Fprintf(b, "  s1: %s\n", strings.Join(s, "; "))
	}
	procLine(b, "attach", u.Attaches)
	if u.Auth != "" || u.Security != "" {
		b.WriteString("  ")
		if u.Auth != "" {
			fmt.Fprintf(b, "authentication: %s (%d request%s)", u.Auth, u.AuthRequests, plural(u.AuthRequests))
			if u.Security != "" {
				b.WriteString("; ")
			}
		}
		if u.Security != "" {
			fmt.Fprintf(b, "security: %s", u.Security)
		}
		b.WriteByte('\n')
	}
	var tm []string
	for _, x := range []struct{ name, req, got string }{
		{"t3412", "", u.Granted.T3412},
		{"t3412ext", u.Requested.T3412Ext, u.Granted.T3412Ext},
		{"t3324", u.Requested.T3324, u.Granted.T3324},
		{"edrx", u.Requested.EDRX, u.Granted.EDRX},
	} {
		if x.req == "" && x.got == "" {
			continue
		}
		got := x.got
		if got == "" {
			got = "not granted"
		}
		s := x.name + "=" + got
		if x.req != "" {
			s += " (requested " + x.req + ")"
		}
		tm = append(tm, s)
	}
	if len(tm) > 0 {
		fmt.Fprintf(b, "  timers: %s\n", strings.Join(tm, ", "))
	}
	procLine(b, "tau", u.TAUs)
	if u.ServiceRequests > 0 {
		fmt.Fprintf(b, "  service requests: %d\n", u.ServiceRequests)
	}
	procLine(b, "detach", u.Detaches)
	for _, r := range u.Rejects {
		fmt.Fprintf(b, "  reject: frame %d %s %s\n", r.Frame, r.Message, r.Cause)
	}
	if u.DataUL.Messages+u.DataDL.Messages > 0 {
		fmt.Fprintf(b, "  data over NAS: uplink %d messages %d bytes, downlink %d messages %d bytes\n",
			u.DataUL.Messages, u.DataUL.Bytes, u.DataDL.Messages, u.DataDL.Bytes)
	}
	if len(u.Releases) > 0 {
		var s []string
		for _, r := range u.Releases {
			s = append(s, fmt.Sprintf("%d %s", r.Frame, r.Cause))
		}
		fmt.Fprintf(b, "  releases: %d (%s)\n", len(u.Releases), strings.Join(s, ", "))
	}
}

// WriteJSON writes the result as one indented JSON document.
func WriteJSON(w io.Writer, res *Result) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(res)
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
