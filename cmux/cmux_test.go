package cmux

import (
	"bytes"
	"testing"
)

// Golden frames: the SABM on DLC 0 that hosts send after AT+CMUX (the
// bytes f9 03 3f 01 1c f9 appear in Zephyr-driven modem traces), a UIH
// and a UIH with the two-octet length.
func TestFrameGolden(t *testing.T) {
	for _, c := range []struct {
		f    Frame
		want []byte
	}{
		{Frame{DLCI: 0, CR: true, PF: true, Type: SABM}, []byte{0xf9, 0x03, 0x3f, 0x01, 0x1c, 0xf9}},
		{Frame{DLCI: 1, CR: true, Type: UIH, Info: []byte("AT\r")}, []byte{0xf9, 0x07, 0xef, 0x07, 'A', 'T', '\r', 0xd3, 0xf9}},
	} {
		got := c.f.Append(nil)
		if !bytes.Equal(got, c.want) {
			t.Errorf("%v: %x, want %x", c.f, got, c.want)
		}
		var d Deframer
		fr := d.Feed(got, nil)
		if len(fr) != 1 || fr[0].DLCI != c.f.DLCI || fr[0].Type != c.f.Type || fr[0].CR != c.f.CR || fr[0].PF != c.f.PF || !bytes.Equal(fr[0].Info, c.f.Info) {
			t.Errorf("%x parsed as %v", got, fr)
		}
	}
	long := Frame{DLCI: 2, Type: UIH, Info: bytes.Repeat([]byte{0xf9}, 300)}
	b := long.Append(nil)
	if b[3] != byte(300<<1&0xff) || b[4] != byte(300>>7) {
		t.Fatalf("two-octet length %x", b[3:5])
	}
	var d Deframer
	// garbage, a bad frame, then the good one split in two writes
	in := append([]byte("junk\xf9\x01"), b[:100]...)
	fr := d.Feed(in, nil)
	fr = d.Feed(b[100:], fr)
	if len(fr) != 1 || len(fr[0].Info) != 300 {
		t.Fatalf("got %d frames %+v", len(fr), d.Stats)
	}
	sabm := Frame{DLCI: 3, Type: SABM, PF: true}.Append(nil)
	sabm[4] ^= 1
	bad := d.Stats.BadFCS
	if fr := d.Feed(sabm, nil); len(fr) != 0 || d.Stats.BadFCS != bad+1 {
		t.Fatalf("a SABM with a bad FCS passed: %v %+v", fr, d.Stats)
	}
}

func TestMux(t *testing.T) {
	m := New(Config{N1: 32})
	in := func(fs ...Frame) (out []Frame, ev []Event) {
		var b []byte
		for _, f := range fs {
			b = f.Append(b)
		}
		m.Input(b)
		var d Deframer
		return d.Feed(m.TakeOut(), nil), m.TakeEvents()
	}
	// SABM on DLC 1 before DLC 0: DM
	if out, _ := in(Frame{DLCI: 1, CR: true, PF: true, Type: SABM}); len(out) != 1 || out[0].Type != DM {
		t.Fatalf("SABM on DLC 1 first: %v", out)
	}
	if out, _ := in(Frame{CR: true, PF: true, Type: SABM}); len(out) != 1 || out[0].Type != UA || !out[0].PF || !out[0].CR {
		t.Fatalf("SABM on DLC 0: %v", out)
	}
	out, ev := in(Frame{DLCI: 2, CR: true, PF: true, Type: SABM})
	if len(out) != 2 || out[0].Type != UA || out[1].Type != UIH || out[1].DLCI != 0 || len(ev) != 1 || ev[0].Kind != Opened || ev[0].DLCI != 2 {
		t.Fatalf("SABM on DLC 2: %v %v", out, ev)
	}
	msgs, _ := ParseMsgs(out[1].Info)
	if len(msgs) != 1 || msgs[0].Type != MsgMSC || !msgs[0].Command || msgs[0].Value[0]>>2 != 2 {
		t.Fatalf("the module's MSC: %+v", msgs)
	}
	// data is split at N1
	m.Send(2, bytes.Repeat([]byte("x"), 40))
	var d Deframer
	if fr := d.Feed(m.TakeOut(), nil); len(fr) != 2 || len(fr[0].Info) != 32 || len(fr[1].Info) != 8 {
		t.Fatalf("Send: %v", fr)
	}
	// MSC with RTC clear, an unknown command (RLS), PN, Test
	ctl := Msg{Type: MsgMSC, Command: true, Value: []byte{2<<2 | 3, SigRTR | 1}}.Append(nil)
	ctl = Msg{Type: MsgRLS, Command: true, Value: []byte{2<<2 | 3, 1}}.Append(ctl)
	ctl = Msg{Type: MsgPN, Command: true, Value: []byte{2, 0, 0, 10, 0xff, 0x00, 3, 2}}.Append(ctl)
	out, ev = in(Frame{CR: true, Type: UIH, Info: ctl})
	if len(out) != 3 || len(ev) != 1 || ev[0].Kind != Signals || ev[0].Signals != SigRTR {
		t.Fatalf("control: %v %v", out, ev)
	}
	r, _ := ParseMsgs(out[1].Info)
	p, _ := ParseMsgs(out[2].Info)
	if len(r) != 1 || r[0].Type != MsgNSC || r[0].Value[0] != MsgRLS|3 || len(p) != 1 || p[0].Value[4] != 32 || p[0].Command {
		t.Fatalf("NSC %+v, PN %+v", r, p)
	}
	// the N1 a PN agreed applies to the DLC's frames (§5.4.6.3.1)
	pn := Msg{Type: MsgPN, Command: true, Value: []byte{2, 0, 0, 10, 16, 0, 3, 2}}.Append(nil)
	if out, _ = in(Frame{CR: true, Type: UIH, Info: pn}); len(out) != 1 {
		t.Fatalf("PN: %v", out)
	}
	if p, _ = ParseMsgs(out[0].Info); len(p) != 1 || p[0].Value[4] != 16 {
		t.Fatalf("PN for N1 16 answered %+v", p)
	}
	m.Send(2, bytes.Repeat([]byte("y"), 40))
	if fr := d.Feed(m.TakeOut(), nil); len(fr) != 3 || len(fr[0].Info) != 16 || len(fr[2].Info) != 8 {
		t.Fatalf("Send after PN N1 16: %v", fr)
	}
	// UIH data, DISC, CLD
	if _, ev = in(Frame{DLCI: 2, CR: true, Type: UIH, Info: []byte("AT\r")}); len(ev) != 1 || string(ev[0].Data) != "AT\r" {
		t.Fatalf("UIH: %v", ev)
	}
	if out, ev = in(Frame{DLCI: 2, CR: true, PF: true, Type: DISC}); len(out) != 1 || out[0].Type != UA || ev[0].Kind != Closed {
		t.Fatalf("DISC: %v %v", out, ev)
	}
	if out, ev = in(Frame{CR: true, Type: UIH, Info: Msg{Type: MsgCLD, Command: true}.Append(nil)}); len(out) != 1 || ev[0].Kind != CloseDown || !m.Done() {
		t.Fatalf("CLD: %v %v", out, ev)
	}
}

// The longest information field the two-octet length can say is 32767
// octets (15 bits, TS 27.010 §5.2.1.5), though AT+CMUX takes N1 up to
// 32768: data for a DLC never goes out in a frame whose length wraps.
func TestSendLongestN1(t *testing.T) {
	m := New(Config{N1: MaxN1})
	m.Input(append(Frame{CR: true, PF: true, Type: SABM}.Append(nil), Frame{DLCI: 1, CR: true, PF: true, Type: SABM}.Append(nil)...))
	m.TakeOut()
	data := bytes.Repeat([]byte{0xa5}, 40000)
	m.Send(1, data)
	var d Deframer
	var got []byte
	for _, f := range d.Feed(m.TakeOut(), nil) {
		got = append(got, f.Info...)
	}
	if !bytes.Equal(got, data) {
		t.Fatalf("%d of %d octets came through (%+v)", len(got), len(data), d.Stats)
	}
}
