package at

import (
	"reflect"
	"strings"
	"testing"
)

func feed(r *LineReader, s string) []Line {
	var out []Line
	for i := 0; i < len(s); i++ {
		if l, ok := r.Feed(s[i]); ok {
			out = append(out, l)
		}
	}
	return out
}

func TestLineReader(t *testing.T) {
	for _, g := range []struct {
		in   string
		want []Line
	}{
		{"AT\r", []Line{{Text: "AT"}}},
		{"AT\r\n", []Line{{Text: "AT"}}},
		{"\r\nAT+CGMI\r\n", []Line{{Text: "AT+CGMI"}}},
		{"at+cgmi\r", []Line{{Text: "at+cgmi"}}},
		{"xyzAT\r", []Line{{Text: "AT"}}},
		{"\x00\xffAT\r", []Line{{Text: "AT"}}},
		{"hello\r", nil},
		{"\r\r\n\r", nil},
		{"A\r", nil},
		{"AAT\r", []Line{{Text: "AT"}}},
		{"AT+CGMX\bI\r", []Line{{Text: "AT+CGMI"}}},
		{"AT\b\bAT\r", []Line{{Text: "AT"}}},
		{"AT\b\b\b\bI\r", nil},
		{"AT+C\nGMI\r", []Line{{Text: "AT+CGMI"}}},
		{"A/", nil}, // nothing to repeat yet
		{"AT+CSQ\rA/", []Line{{Text: "AT+CSQ"}, {Text: "AT+CSQ", Repeat: true}}},
		{"AT+CSQ\ra/a/", []Line{{Text: "AT+CSQ"}, {Text: "AT+CSQ", Repeat: true}, {Text: "AT+CSQ", Repeat: true}}},
	} {
		var r LineReader
		if got := feed(&r, g.in); !reflect.DeepEqual(got, g.want) {
			t.Errorf("%q: got %#v, want %#v", g.in, got, g.want)
		}
	}
}

func TestLineReaderTooLong(t *testing.T) {
	r := LineReader{Max: 10}
	got := feed(&r, "AT+"+strings.Repeat("X", 100)+"\rAT+CGMI\r")
	want := []Line{{TooLong: true}, {Text: "AT+CGMI"}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %#v, want %#v", got, want)
	}
	// exactly Max is kept
	got = feed(&r, "AT+1234567\r")
	if len(got) != 1 || got[0].Text != "AT+1234567" {
		t.Fatalf("line of Max chars: %#v", got)
	}
	// BS does not shorten an overflowed line
	got = feed(&r, "AT+12345678\b\b\r")
	if len(got) != 1 || !got[0].TooLong {
		t.Fatalf("overflow then BS: %#v", got)
	}
	var d LineReader
	long := "AT+NSOST=0,10.0.0.1,9,512," + strings.Repeat("AB", 512)
	if got := feed(&d, long+"\r"); len(got) != 1 || got[0].Text != long {
		t.Fatalf("default Max refuses a 512-byte NSOST line (%d chars)", len(long))
	}
}

func FuzzLine(f *testing.F) {
	f.Add([]byte("AT+CGMI\r\nA/"))
	f.Add([]byte("AT\b\b\bAT+X=\"\r"))
	f.Add([]byte(strings.Repeat("ATATAT", 100) + "\r"))
	f.Fuzz(func(t *testing.T, in []byte) {
		r := LineReader{Max: 64}
		for _, c := range in {
			l, ok := r.Feed(c)
			if len(r.buf) > 64 {
				t.Fatalf("buffer grew to %d", len(r.buf))
			}
			if !ok {
				continue
			}
			if l.TooLong {
				if l.Text != "" {
					t.Fatal("TooLong with text")
				}
				continue
			}
			if len(l.Text) < 2 || len(l.Text) > 64 || !strings.EqualFold(l.Text[:2], "AT") {
				t.Fatalf("line %q", l.Text)
			}
			if strings.ContainsAny(l.Text, "\r\n\b") {
				t.Fatalf("control character in %q", l.Text)
			}
		}
	})
}
