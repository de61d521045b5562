package at

import (
	"errors"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
)

func p(raw string) Param                        { return Param{Raw: raw} }
func q(raw string) Param                        { return Param{Raw: raw, Quoted: true} }
func empty() Param                              { return Param{Empty: true} }
func cmd(n string, k Kind, ps ...Param) Command { return Command{Name: n, Kind: k, Params: ps} }

var parseGolden = []struct {
	line string
	want []Command
	err  error
}{
	{"AT", nil, nil},
	{"at", nil, nil},
	{"AT ", nil, nil},
	{"ATI", []Command{cmd("I", Action)}, nil},
	{"ATE0", []Command{cmd("E", Set, p("0"))}, nil},
	{"ate1", []Command{cmd("E", Set, p("1"))}, nil},
	{"ATE0V1", []Command{cmd("E", Set, p("0")), cmd("V", Set, p("1"))}, nil},
	{"ATZ", []Command{cmd("Z", Action)}, nil},
	{"AT&F", []Command{cmd("&F", Action)}, nil},
	{"AT&f0", []Command{cmd("&F", Set, p("0"))}, nil},
	{"ATQ0", []Command{cmd("Q", Set, p("0"))}, nil},
	{"ATE007", []Command{cmd("E", Set, p("7"))}, nil},
	{"ATS3?", []Command{cmd("S3", Read)}, nil},
	{"ATS3=13", []Command{cmd("S3", Set, p("13"))}, nil},
	{"ATS05=?", []Command{cmd("S5", Test)}, nil},
	{"ATD*99#", []Command{cmd("D", Set, p("*99#"))}, nil},
	{"AT+CGMI", []Command{cmd("+CGMI", Action)}, nil},
	{"at+cgmi", []Command{cmd("+CGMI", Action)}, nil},
	{"AT+CFUN?", []Command{cmd("+CFUN", Read)}, nil},
	{"AT+CFUN=?", []Command{cmd("+CFUN", Test)}, nil},
	{"AT+CFUN=1", []Command{cmd("+CFUN", Set, p("1"))}, nil},
	{"AT+CFUN=", []Command{cmd("+CFUN", Set)}, nil},
	{"AT + CFUN = 1 , 0", []Command{cmd("+CFUN", Set, p("1"), p("0"))}, nil},
	{`AT+CGDCONT=1,"IP","iot.example"`, []Command{cmd("+CGDCONT", Set, p("1"), q("IP"), q("iot.example"))}, nil},
	{`AT+CGDCONT=1,"NONIP",""`, []Command{cmd("+CGDCONT", Set, p("1"), q("NONIP"), q(""))}, nil},
	{`AT+CPSMS=1,,,"01000011","00000101"`, []Command{cmd("+CPSMS", Set, p("1"), empty(), empty(), q("01000011"), q("00000101"))}, nil},
	{"AT+X=,", []Command{cmd("+X", Set, empty(), empty())}, nil},
	{`AT+X="a\22b\5Cc"`, []Command{cmd("+X", Set, q(`a"b\c`))}, nil},
	{`AT+X=" a;b,c "`, []Command{cmd("+X", Set, q(" a;b,c "))}, nil},
	{"AT+NSOST=0,192.168.5.1,5683,2,AB30", []Command{cmd("+NSOST", Set, p("0"), p("192.168.5.1"), p("5683"), p("2"), p("AB30"))}, nil},
	{"AT+NSOSTF=0,10.0.0.1,9,0x200,1,FF", []Command{cmd("+NSOSTF", Set, p("0"), p("10.0.0.1"), p("9"), p("0x200"), p("1"), p("FF"))}, nil},
	{"AT+NCONFIG=AUTOCONNECT,TRUE", []Command{cmd("+NCONFIG", Set, p("AUTOCONNECT"), p("TRUE"))}, nil},
	{"AT+CMEE=1;+CGMI;+CFUN?", []Command{cmd("+CMEE", Set, p("1")), cmd("+CGMI", Action), cmd("+CFUN", Read)}, nil},
	{"ATE0;+CMEE=2;I", []Command{cmd("E", Set, p("0")), cmd("+CMEE", Set, p("2")), cmd("I", Action)}, nil},
	{"AT+CGMI;", []Command{cmd("+CGMI", Action)}, nil},
	{"AT^FOO?", []Command{cmd("^FOO", Read)}, nil},
	{"AT+NUESTATS=RADIO", []Command{cmd("+NUESTATS", Set, p("RADIO"))}, nil},
	// errors
	{"", nil, ErrNotAT},
	{"A", nil, ErrNotAT},
	{"XAT", nil, ErrNotAT},
	{"AT+", nil, ErrSyntax},
	{"AT+CGMI+CGMR", nil, ErrSyntax},
	{`AT+X="abc`, nil, ErrSyntax},
	{`AT+X="\4"`, nil, ErrSyntax},
	{`AT+X="\ZZ"`, nil, ErrSyntax},
	{`AT+X=ab"c"`, nil, ErrSyntax},
	{`AT+X="a"b`, nil, ErrSyntax},
	{"AT+X?1", nil, ErrSyntax},
	{"AT&", nil, ErrSyntax},
	{"AT&1", nil, ErrSyntax},
	{"ATS", nil, ErrSyntax},
	{"ATS3", nil, ErrSyntax},
	{"AT=1", nil, ErrSyntax},
	{"AT1", nil, ErrSyntax},
}

func TestParseGolden(t *testing.T) {
	for _, g := range parseGolden {
		got, err := Parse(g.line)
		if g.err != nil {
			if !errors.Is(err, g.err) {
				t.Errorf("Parse(%q) error %v, want %v", g.line, err, g.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("Parse(%q): %v", g.line, err)
			continue
		}
		if !reflect.DeepEqual(got, g.want) {
			t.Errorf("Parse(%q)\n got %#v\nwant %#v", g.line, got, g.want)
		}
		// The canonical form parses to the same commands.
		again, err := Parse(JoinLine(got))
		if err != nil || !reflect.DeepEqual(again, got) {
			t.Errorf("Parse(JoinLine(Parse(%q))) = %#v, %v; JoinLine %q", g.line, again, err, JoinLine(got))
		}
	}
}

// randCommand builds a random well-formed command.
func randCommand(r *rand.Rand, last bool) Command {
	const nameChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!%-./:_"
	switch r.IntN(5) {
	case 0: // basic
		letters := "ABCEFHIJKLMNOPQRTUVWXYZ"
		c := Command{Name: string(letters[r.IntN(len(letters))])}
		if r.IntN(3) == 0 {
			c.Name = "&" + c.Name
		}
		if r.IntN(2) == 0 {
			c.Kind = Set
			c.Params = []Param{{Raw: trimZeros(strings.Repeat("9", r.IntN(3)) + string(rune('0'+r.IntN(10))))}}
		}
		return c
	case 1: // S parameter
		c := Command{Name: "S" + trimZeros(string(rune('0'+r.IntN(10)))), Kind: []Kind{Read, Test, Set}[r.IntN(3)]}
		if c.Kind == Set {
			c.Params = []Param{{Raw: "13"}}
		}
		return c
	case 2:
		if last {
			return Command{Name: "D", Kind: Set, Params: []Param{{Raw: "*99#"}}}
		}
	}
	n := 1 + r.IntN(8)
	b := []byte{"+#$^"[r.IntN(4)]}
	for range n {
		b = append(b, nameChars[r.IntN(len(nameChars))])
	}
	c := Command{Name: string(b), Kind: Kind(r.IntN(4))}
	if c.Kind == Set {
		np := r.IntN(5)
		for range np {
			var pr Param
			switch r.IntN(3) {
			case 0:
				pr.Empty = true
			case 1:
				pr.Quoted = true
				s := make([]byte, r.IntN(6))
				for i := range s {
					s[i] = byte(r.IntN(256))
				}
				pr.Raw = string(s)
			default:
				pr.Raw = strings.Repeat("A1", 1+r.IntN(3))
			}
			c.Params = append(c.Params, pr)
		}
		if np == 1 && c.Params[0].Empty {
			c.Params = nil // "AT+X=" is no parameters
		}
	}
	return c
}

func TestParseRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	n := 20000
	if testing.Short() {
		n = 2000
	}
	for range n {
		var cmds []Command
		k := r.IntN(4)
		for i := range k {
			cmds = append(cmds, randCommand(r, i == k-1))
		}
		line := JoinLine(cmds)
		got, err := Parse(line)
		if err != nil {
			t.Fatalf("Parse(%q): %v", line, err)
		}
		if !reflect.DeepEqual(got, cmds) {
			t.Fatalf("Parse(%q)\n got %#v\nwant %#v", line, got, cmds)
		}
	}
}

// A strict prefix of a line that ends in a string constant does not parse
// to the same commands.
func TestParsePrefix(t *testing.T) {
	line := `AT+CMEE=1;+CGDCONT=1,"IP","apn";+CPSMS=1,,,"01000011","00000101"`
	full, err := Parse(line)
	if err != nil {
		t.Fatal(err)
	}
	for i := 2; i < len(line); i++ {
		got, err := Parse(line[:i])
		if err == nil && reflect.DeepEqual(got, full) {
			t.Errorf("prefix %q parses like the whole line", line[:i])
		}
	}
}

func TestParams(t *testing.T) {
	c := cmd("+X", Set, p("12"), q("s"), empty(), p("0x200"), p("AbCd"), p("ABC"), q("01000011"), p("-3"), p("+3"), q(""))
	if v, err := c.Int(0, 0, 20); v != 12 || err != nil {
		t.Errorf("Int(0) = %d, %v", v, err)
	}
	if _, err := c.Int(0, 0, 11); !errors.Is(err, ErrRange) {
		t.Errorf("Int(0) out of range: %v", err)
	}
	if _, err := c.Int(1, 0, 20); !errors.Is(err, ErrType) {
		t.Errorf("Int of a string: %v", err)
	}
	if _, err := c.Int(2, 0, 20); !errors.Is(err, ErrMissing) {
		t.Errorf("Int of empty: %v", err)
	}
	if _, err := c.Int(99, 0, 20); !errors.Is(err, ErrMissing) {
		t.Errorf("Int of absent: %v", err)
	}
	if v, err := c.IntOr(2, 7, 0, 20); v != 7 || err != nil {
		t.Errorf("IntOr(empty) = %d, %v", v, err)
	}
	if v, err := c.Int(3, 0, 0xfff); v != 0x200 || err != nil {
		t.Errorf("Int(0x200) = %d, %v", v, err)
	}
	if v, err := c.Int(7, -5, 5); v != -3 || err != nil {
		t.Errorf("Int(-3) = %d, %v", v, err)
	}
	if _, err := c.Int(8, -5, 5); !errors.Is(err, ErrType) {
		t.Errorf("Int(+3): %v", err)
	}
	if s, err := c.Str(1); s != "s" || err != nil {
		t.Errorf("Str(1) = %q, %v", s, err)
	}
	if s, err := c.Str(0); s != "12" || err != nil {
		t.Errorf("Str(0) = %q, %v", s, err)
	}
	if s, err := c.Str(9); s != "" || err != nil {
		t.Errorf("Str(\"\") = %q, %v", s, err)
	}
	if _, err := c.Str(2); !errors.Is(err, ErrMissing) {
		t.Errorf("Str(empty): %v", err)
	}
	if b, err := c.Hex(4); err != nil || string(b) != "\xab\xcd" {
		t.Errorf("Hex(4) = %x, %v", b, err)
	}
	if _, err := c.Hex(5); !errors.Is(err, ErrType) {
		t.Errorf("Hex odd: %v", err)
	}
	if _, err := c.Hex(1); !errors.Is(err, ErrType) {
		t.Errorf("Hex non-hex: %v", err)
	}
	if b, err := c.Hex(9); err != nil || len(b) != 0 {
		t.Errorf("Hex(\"\") = %x, %v", b, err)
	}
	if v, err := c.Bits(6, 8); v != 0x43 || err != nil {
		t.Errorf("Bits = %#x, %v", v, err)
	}
	if _, err := c.Bits(6, 4); !errors.Is(err, ErrType) {
		t.Errorf("Bits wrong width: %v", err)
	}
	if _, err := c.Bits(4, 4); !errors.Is(err, ErrType) {
		t.Errorf("Bits non-binary: %v", err)
	}
	for v := range 256 {
		s := BitString(uint8(v), 8)
		c := cmd("+X", Set, q(s))
		if got, err := c.Bits(0, 8); err != nil || got != uint8(v) {
			t.Fatalf("Bits(BitString(%d)) = %d, %v", v, got, err)
		}
	}
	if s := BitString(5, 4); s != "0101" {
		t.Errorf("BitString(5,4) = %q", s)
	}
}

func FuzzParse(f *testing.F) {
	for _, g := range parseGolden {
		f.Add(g.line)
	}
	f.Fuzz(func(t *testing.T, line string) {
		cmds, err := Parse(line)
		if err != nil {
			return
		}
		for _, c := range cmds {
			c.Int(0, -1000, 1000)
			c.Hex(0)
			c.Str(1)
			c.Bits(0, 8)
		}
		// Whatever parses has a canonical form that parses the same.
		again, err := Parse(JoinLine(cmds))
		if err != nil || !reflect.DeepEqual(again, cmds) {
			t.Fatalf("%q → %q → %#v, %v; want %#v", line, JoinLine(cmds), again, err, cmds)
		}
	})
}
