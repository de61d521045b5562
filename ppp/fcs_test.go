package ppp

import "testing"

// The check values of the CRC catalogue: CRC-16/IBM-SDLC (the PPP FCS-16,
// X.25) of "123456789" is 0x906e; CRC-32/ISO-HDLC (FCS-32) 0xcbf43926.
func TestFCS(t *testing.T) {
	if got := FCS16([]byte("123456789")); got != 0x906e {
		t.Errorf("FCS16 = %#04x, want 0x906e", got)
	}
	if got := FCS32([]byte("123456789")); got != 0xcbf43926 {
		t.Errorf("FCS32 = %#08x, want 0xcbf43926", got)
	}
	for _, f32 := range []bool{false, true} {
		fr := Framing{FCS32: f32}.AppendFrame(nil, ProtoIPv4, []byte{1, 2, 3})
		var d Deframer
		d.FCS32 = f32
		got := d.Feed(fr, nil)
		if len(got) != 1 || got[0].Proto != ProtoIPv4 || string(got[0].Info) != "\x01\x02\x03" {
			t.Fatalf("FCS32 %v: %x gave %v", f32, fr, got)
		}
		fr[3] ^= 1
		if got := d.Feed(fr, nil); len(got) != 0 || d.Stats.BadFCS != 1 {
			t.Fatalf("FCS32 %v: a corrupted frame passed: %v %+v", f32, got, d.Stats)
		}
	}
}
