package at

import (
	"fmt"
	"strconv"
	"strings"
)

// Kind is the form of a command (TS 27.007 §4.1, V.250 §5.4).
type Kind uint8

// Command forms.
const (
	Action Kind = iota // AT+X, or a basic command without a number (ATI)
	Test               // AT+X=?
	Read               // AT+X?
	Set                // AT+X=<params>, or a basic command with a number (ATE0)
)

func (k Kind) String() string {
	switch k {
	case Test:
		return "test"
	case Read:
		return "read"
	case Set:
		return "set"
	}
	return "action"
}

// Param is one parameter of a command.
type Param struct {
	// Raw is the value: an unquoted parameter as typed (spaces removed),
	// a quoted one with its quotes removed and \HH escapes decoded.
	Raw string
	// Quoted says the parameter was a string constant ("...").
	Quoted bool
	// Empty says the parameter was omitted (nothing between the commas).
	Empty bool
}

// Command is one command of a command line.
type Command struct {
	// Name is upper case: "+CGMI" for an extended command (with its
	// prefix character), "E" or "&F" for a basic one, "S3" for an S
	// parameter, "D" for dial (whose Params[0].Raw is the rest of the line).
	Name   string
	Kind   Kind
	Params []Param
}

// Basic says whether c is a basic command or S parameter (not extended).
func (c Command) Basic() bool { return c.Name != "" && !isExtPrefix(c.Name[0]) }

// Parse splits a command line into its commands. The line must begin with
// "AT" in any case; "AT" alone gives no commands. Spaces outside string
// constants are ignored (V.250 §5.1). Commands follow each other directly
// after a basic command, and after a ';' (V.250 §5.3–5.4, TS 27.007 §4.0).
func Parse(line string) ([]Command, error) {
	if len(line) < 2 || !strings.EqualFold(line[:2], "AT") {
		return nil, fmt.Errorf("at: %q: %w", clip(line), ErrNotAT)
	}
	p := parser{s: stripSpaces(line), i: 2}
	var cmds []Command
	for {
		p.space()
		if p.eof() {
			return cmds, nil
		}
		c := p.s[p.i]
		switch {
		case c == ';':
			p.i++
			continue
		case isExtPrefix(c):
			cmd, err := p.extended()
			if err != nil {
				return nil, err
			}
			cmds = append(cmds, cmd)
			p.space()
			if !p.eof() {
				if p.s[p.i] != ';' {
					return nil, p.errf("want ';' or end of line after %s, got %q", cmd.Name, p.s[p.i])
				}
				p.i++
			}
		default:
			cmd, err := p.basic()
			if err != nil {
				return nil, err
			}
			cmds = append(cmds, cmd)
		}
	}
}

// stripSpaces removes the spaces outside string constants.
func stripSpaces(s string) string {
	if strings.IndexByte(s, ' ') < 0 {
		return s
	}
	b := make([]byte, 0, len(s))
	in := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '"' {
			in = !in
		}
		if c != ' ' || in {
			b = append(b, c)
		}
	}
	return string(b)
}

type parser struct {
	s string
	i int
}

func (p *parser) eof() bool { return p.i >= len(p.s) }

func (p *parser) space() {
	for p.i < len(p.s) && p.s[p.i] == ' ' {
		p.i++
	}
}

func (p *parser) errf(format string, args ...any) error {
	return &SyntaxError{Pos: p.i, Msg: fmt.Sprintf(format, args...)}
}

// isExtPrefix: '+' (V.250 §5.4.1) and the vendor prefixes '#', '$', '^',
// and '%' (Nordic nRF91: AT%XSYSTEMMODE, AT%CONEVAL).
func isExtPrefix(c byte) bool { return c == '+' || c == '#' || c == '$' || c == '^' || c == '%' }

// isNameChar is V.250 §5.4.1: A–Z, 0–9 and ! % - . / : _.
func isNameChar(c byte) bool {
	switch {
	case c >= 'A' && c <= 'Z', c >= 'a' && c <= 'z', c >= '0' && c <= '9':
		return true
	}
	return strings.IndexByte("!%-./:_", c) >= 0
}

func isLetter(c byte) bool { return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' }

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// extended reads +NAME[=?|?|=params].
func (p *parser) extended() (Command, error) {
	start := p.i
	p.i++
	for p.i < len(p.s) && isNameChar(p.s[p.i]) {
		p.i++
	}
	if p.i == start+1 {
		return Command{}, p.errf("command name missing after %q", p.s[start])
	}
	cmd := Command{Name: strings.ToUpper(p.s[start:p.i])}
	p.space()
	if p.eof() || p.s[p.i] == ';' {
		return cmd, nil
	}
	switch p.s[p.i] {
	case '?':
		p.i++
		cmd.Kind = Read
		return cmd, nil
	case '=':
		p.i++
		p.space()
		if !p.eof() && p.s[p.i] == '?' {
			p.i++
			cmd.Kind = Test
			return cmd, nil
		}
		cmd.Kind = Set
		params, err := p.params()
		if err != nil {
			return Command{}, err
		}
		cmd.Params = params
		return cmd, nil
	}
	return Command{}, p.errf("unexpected %q after %s", p.s[p.i], cmd.Name)
}

// params reads comma-separated parameters up to ';' or the end of line.
// No text at all gives no parameters; otherwise there is one parameter
// more than there are commas.
func (p *parser) params() ([]Param, error) {
	p.space()
	if p.eof() || p.s[p.i] == ';' {
		return nil, nil
	}
	var out []Param
	for {
		p.space()
		var pr Param
		if !p.eof() && p.s[p.i] == '"' {
			s, err := p.quoted()
			if err != nil {
				return nil, err
			}
			pr = Param{Raw: s, Quoted: true}
		} else {
			var b strings.Builder
			for !p.eof() {
				c := p.s[p.i]
				if c == ',' || c == ';' {
					break
				}
				if c == '"' {
					return nil, p.errf("quote inside an unquoted parameter")
				}
				if c != ' ' {
					b.WriteByte(c)
				}
				p.i++
			}
			pr = Param{Raw: b.String(), Empty: b.Len() == 0}
		}
		out = append(out, pr)
		p.space()
		if p.eof() || p.s[p.i] == ';' {
			return out, nil
		}
		if p.s[p.i] != ',' {
			return nil, p.errf("want ',' after parameter %d, got %q", len(out), p.s[p.i])
		}
		p.i++
	}
}

// quoted reads a string constant; \HH is the character of hex code HH
// (V.250 §5.4.2.2).
func (p *parser) quoted() (string, error) {
	p.i++ // opening quote
	var b strings.Builder
	for !p.eof() {
		c := p.s[p.i]
		switch c {
		case '"':
			p.i++
			return b.String(), nil
		case '\\':
			if p.i+3 > len(p.s) {
				return "", p.errf("incomplete \\HH escape")
			}
			v, err := strconv.ParseUint(p.s[p.i+1:p.i+3], 16, 8)
			if err != nil {
				return "", p.errf("bad \\HH escape %q", p.s[p.i:p.i+3])
			}
			b.WriteByte(byte(v))
			p.i += 3
		default:
			b.WriteByte(c)
			p.i++
		}
	}
	return "", p.errf("unterminated string constant")
}

// basic reads one basic command (V.250 §5.3.1): a letter or & and a
// letter, then an optional decimal number; S parameters Sn?, Sn=?, Sn=v;
// D takes the rest of the line.
func (p *parser) basic() (Command, error) {
	c := p.s[p.i]
	var name string
	switch {
	case c == '&':
		if p.i+1 >= len(p.s) || !isLetter(p.s[p.i+1]) {
			return Command{}, p.errf("want a letter after '&'")
		}
		name = "&" + strings.ToUpper(p.s[p.i+1:p.i+2])
		p.i += 2
	case isLetter(c):
		name = strings.ToUpper(p.s[p.i : p.i+1])
		p.i++
	default:
		return Command{}, p.errf("unexpected %q", c)
	}
	switch name {
	case "D":
		rest := strings.ReplaceAll(p.s[p.i:], " ", "")
		p.i = len(p.s)
		return Command{Name: "D", Kind: Set, Params: []Param{{Raw: rest, Empty: rest == ""}}}, nil
	case "S":
		start := p.i
		for p.i < len(p.s) && isDigit(p.s[p.i]) {
			p.i++
		}
		if p.i == start {
			return Command{}, p.errf("S parameter number missing")
		}
		cmd := Command{Name: "S" + trimZeros(p.s[start:p.i])}
		p.space()
		switch {
		case p.i < len(p.s) && p.s[p.i] == '?':
			p.i++
			cmd.Kind = Read
		case p.i+1 < len(p.s) && p.s[p.i] == '=' && p.s[p.i+1] == '?':
			p.i += 2
			cmd.Kind = Test
		case p.i < len(p.s) && p.s[p.i] == '=':
			p.i++
			p.space()
			start := p.i
			for p.i < len(p.s) && isDigit(p.s[p.i]) {
				p.i++
			}
			cmd.Kind = Set
			v := p.s[start:p.i]
			cmd.Params = []Param{{Raw: v, Empty: v == ""}}
		default:
			return Command{}, p.errf("want '?', '=?' or '=' after %s", cmd.Name)
		}
		return cmd, nil
	}
	p.space()
	start := p.i
	for p.i < len(p.s) && isDigit(p.s[p.i]) {
		p.i++
	}
	if p.i == start {
		return Command{Name: name}, nil
	}
	return Command{Name: name, Kind: Set, Params: []Param{{Raw: trimZeros(p.s[start:p.i])}}}, nil
}

// trimZeros drops leading zeros of a decimal number ("007" → "7").
func trimZeros(s string) string {
	t := strings.TrimLeft(s, "0")
	if t == "" && s != "" {
		return "0"
	}
	return t
}

func clip(s string) string {
	if len(s) > 32 {
		return s[:32] + "…"
	}
	return s
}

// String is the canonical text of the command, without "AT": Parse of
// "AT"+String() gives the command back.
func (c Command) String() string {
	var b strings.Builder
	b.WriteString(c.Name)
	if c.Basic() {
		switch {
		case c.Name == "D":
			if len(c.Params) > 0 {
				b.WriteString(c.Params[0].Raw)
			}
		case c.Name[0] == 'S' && len(c.Name) > 1:
			switch c.Kind {
			case Read:
				b.WriteByte('?')
			case Test:
				b.WriteString("=?")
			case Set:
				b.WriteByte('=')
				if len(c.Params) > 0 {
					b.WriteString(c.Params[0].Raw)
				}
			}
		default:
			if c.Kind == Set && len(c.Params) > 0 {
				b.WriteString(c.Params[0].Raw)
			}
		}
		return b.String()
	}
	switch c.Kind {
	case Read:
		b.WriteByte('?')
	case Test:
		b.WriteString("=?")
	case Set:
		b.WriteByte('=')
		for i, p := range c.Params {
			if i > 0 {
				b.WriteByte(',')
			}
			if p.Quoted {
				b.WriteString(Quote(p.Raw))
			} else {
				b.WriteString(p.Raw)
			}
		}
	}
	return b.String()
}

// JoinLine joins commands into a command line, "AT" first, ';' between
// commands. A "D" command takes the rest of a line, so it must be last.
func JoinLine(cmds []Command) string {
	var b strings.Builder
	b.WriteString("AT")
	for i, c := range cmds {
		if i > 0 {
			b.WriteByte(';')
		}
		b.WriteString(c.String())
	}
	return b.String()
}

// Quote makes a string constant of s: '"', '\' and control characters
// become \HH escapes (V.250 §5.4.2.2).
func Quote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '"' || c == '\\' || c < 0x20 || c == 0x7f {
			fmt.Fprintf(&b, "\\%02X", c)
			continue
		}
		b.WriteByte(c)
	}
	b.WriteByte('"')
	return b.String()
}
