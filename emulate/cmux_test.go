package emulate

import (
	"bufio"
	"bytes"
	"io"
	"net"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nbsim/nbsim/internal/cmuxtest"
	"github.com/nbsim/nbsim/internal/ippkt"
	"github.com/nbsim/nbsim/internal/ppptest"
	"github.com/nbsim/nbsim/pcap"
)

// A host drives the module as Zephyr's modem_cellular does: AT+CMUX, then
// DLC 1 for AT commands and DLC 2 for PPP (ATD*99***1#), through an
// independent TS 27.010 implementation (internal/cmuxtest) and the
// independent PPP client. AT commands on DLC 1 are answered while DLC 2
// carries PPP and a UDP echo through the simulated network; after the
// call, DLC 2 is an AT channel again; CLD returns the port to AT
// commands. Every frame the module sent decodes in tshark's MUX27010
// dissector with a correct checksum.
func TestCMUXPPP(t *testing.T) {
	echo, c := echoAndModule(t)
	rc := &recConn{Conn: c}
	a := &atClient{t: t, c: c, rd: bufio.NewReader(rc)}
	a.must("ATE0")
	a.must("AT+CEREG=1")
	a.must("AT+CFUN=1")
	a.must("AT+CGATT=1")
	a.wait("+CEREG:1", 30*time.Second)
	a.must("AT+CMUX=0,0,5,127")
	rc.mu.Lock()
	before := len(rc.got) - a.rd.Buffered()
	rc.mu.Unlock()
	mux, err := cmuxtest.Start(struct {
		io.Reader
		io.Writer
	}{a.rd, c}, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if err := mux.Test([]byte("nbsim"), 5*time.Second); err != nil {
		t.Fatal(err)
	}
	d1, err := mux.Open(1, 127, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	d2, err := mux.Open(2, 127, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	at1 := &atClient{t: t, c: chanConn{d1, c}, rd: bufio.NewReader(d1)}
	at1.must("ATE0")
	if out := at1.must("AT+CGPADDR"); !strings.Contains(strings.Join(out, " "), "10.45.") {
		t.Fatalf("AT+CGPADDR on DLC 1: %q", out)
	}
	at2 := &atClient{t: t, c: chanConn{d2, c}, rd: bufio.NewReader(d2)}
	at2.must("ATE0")
	d2.Write([]byte("ATD*99***1#\r"))
	if l := at2.line(10 * time.Second); l != "CONNECT" {
		t.Fatalf("ATD*99***1# on DLC 2: %q", l)
	}
	cl, err := ppptest.Dial(struct {
		io.Reader
		io.Writer
	}{at2.rd, d2}, ppptest.Config{Magic: 0x2, Name: "z", Secret: "z"}, 20*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	u := ippkt.UDP{Src: netip.AddrPortFrom(cl.Addr(), 40002), Dst: echo, Payload: []byte("over cmux")}
	pkt, _ := u.Marshal()
	if err := cl.SendIP(pkt); err != nil {
		t.Fatal(err)
	}
	if out := at1.must("AT+CSQ"); !strings.HasPrefix(out[0], "+CSQ:") {
		t.Fatalf("AT+CSQ on DLC 1 during the call: %q", out)
	}
	back, err := cl.RecvIP(30 * time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if r, err := ippkt.Parse(back); err != nil || string(r.Payload) != "re:over cmux" {
		t.Fatalf("echo over DLC 2: %x %v", back, err)
	}
	if err := cl.Terminate(10 * time.Second); err != nil {
		t.Fatal(err)
	}
	at2.rd = bufio.NewReader(io.MultiReader(bytes.NewReader(cl.Rest()), at2.rd))
	at2.wait("NO CARRIER", 10*time.Second)
	at2.must("AT")
	if s := mux.Signals(2); s&0x84 != 0x84 {
		t.Errorf("the module's MSC for DLC 2 is %#02x: want RTC and DV", s)
	}
	if err := mux.Close(5 * time.Second); err != nil {
		t.Fatal(err)
	}
	if e := mux.Errors(); len(e) > 0 {
		t.Fatalf("the CMUX client saw: %q", e)
	}
	a.rd = bufio.NewReader(io.MultiReader(bytes.NewReader(mux.Rest()), a.rd))
	a.must("AT")

	if _, err := exec.LookPath("tshark"); err != nil {
		t.Skip("no tshark: the frames are not checked")
	}
	rc.mu.Lock()
	frames := muxFrames(rc.got[before:])
	rc.mu.Unlock()
	tsharkMUX(t, frames)
}

// chanConn writes to a DLC; atClient only uses Write and SetReadDeadline.
type chanConn struct {
	*cmuxtest.Channel
	net.Conn
}

func (c chanConn) Write(b []byte) (int, error) { return c.Channel.Write(b) }
func (c chanConn) Read(b []byte) (int, error)  { return c.Channel.Read(b) }

// muxFrames cuts the module's byte stream into basic-option frames (flag
// to flag, by the length field), for the pcap.
func muxFrames(b []byte) [][]byte {
	var out [][]byte
	for {
		i := bytes.IndexByte(b, 0xf9)
		if i < 0 {
			return out
		}
		b = b[i:]
		for len(b) > 1 && b[1] == 0xf9 {
			b = b[1:]
		}
		if len(b) < 4 {
			return out
		}
		hl, n := 4, int(b[3]>>1)
		if b[3]&1 == 0 && len(b) >= 5 {
			hl, n = 5, n|int(b[4])<<7
		}
		end := hl + n + 2
		if len(b) < end {
			return out
		}
		out = append(out, b[:end])
		b = b[end-1:]
	}
}

// tsharkMUX writes frames the module sent as LINKTYPE_MUX27010 (each
// record: Wireshark's extended header size 0 and direction 1, module to
// application, then the frame with its flags) and checks that tshark
// reads every one with a correct checksum and nothing malformed.
func tsharkMUX(t *testing.T, frames [][]byte) {
	t.Helper()
	var buf bytes.Buffer
	w, err := pcap.NewWriterLinkType(&buf, pcap.LinkTypeMUX27010)
	if err != nil {
		t.Fatal(err)
	}
	tm := time.Unix(1.7e9, 0)
	for i, f := range frames {
		if err := w.WritePacket(tm.Add(time.Duration(i)*time.Millisecond), append([]byte{0, 1}, f...)); err != nil {
			t.Fatal(err)
		}
	}
	file := filepath.Join(t.TempDir(), "cmux.pcap")
	if err := os.WriteFile(file, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("tshark", "-r", file, "-V").CombinedOutput()
	if err != nil {
		t.Fatalf("tshark: %v\n%s", err, out)
	}
	text := string(out)
	for _, bad := range []string{"Malformed", "Checksum: incorrect", "Expert Info (Error"} {
		if strings.Contains(text, bad) {
			t.Fatalf("tshark finds %q in the module's frames:\n%s", bad, text)
		}
	}
	if n := strings.Count(text, "Correct: True"); n != len(frames) || n < 10 {
		t.Fatalf("%d frames with a correct checksum of %d:\n%s", n, len(frames), text)
	}
	for _, want := range []string{"Frame Type: UA (0x63)", "Frame Type: UIH (0xef)", "Modem Status Command", "DLCI number (decimal): 2"} {
		if !strings.Contains(text, want) {
			t.Errorf("no %q in tshark's reading of the module's frames", want)
		}
	}
}
