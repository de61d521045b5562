package at

// Characters of the line discipline (V.250 §6.2.1–6.2.3: S3, S4, S5 at
// their defaults).
const (
	CR = '\r' // S3, command line termination
	LF = '\n' // S4, response formatting; ignored on input
	BS = '\b' // S5, command line editing
)

// DefaultMaxLine is the default longest command line, "AT" included. It
// leaves room for a 512-byte payload written as 1024 hex digits after the
// longest AT+NSOSTF header.
const DefaultMaxLine = 1200

// Line is one command line given by the line discipline.
type Line struct {
	// Text is the line without its terminator, starting with "AT" in the
	// case it was typed.
	Text string
	// Repeat says the line came from "A/" (V.250 §5.2.4): Text is the
	// previous command line.
	Repeat bool
	// TooLong says the line exceeded the maximum length; Text is empty
	// and the line must be answered with ERROR.
	TooLong bool
}

// LineReader assembles command lines from bytes, per V.250 §5.2:
// characters before "AT" (or "A/") are ignored; CR ends a line; LF and
// other control characters are ignored; BS deletes the last character;
// "A/" repeats the previous line without waiting for CR. Memory stays
// bounded by Max: a longer line is consumed up to its CR and reported
// TooLong. The zero value is ready (Max 0 means DefaultMaxLine).
type LineReader struct {
	// Max is the longest line kept, "AT" included.
	Max  int
	buf  []byte
	over bool
	last string
}

// Feed takes one byte; ok says a line is complete.
func (r *LineReader) Feed(c byte) (l Line, ok bool) {
	limit := r.Max
	if limit <= 0 {
		limit = DefaultMaxLine
	}
	switch {
	case c == CR:
		if r.over {
			r.reset()
			return Line{TooLong: true}, true
		}
		if len(r.buf) < 2 {
			r.reset()
			return Line{}, false
		}
		t := string(r.buf)
		r.reset()
		r.last = t
		return Line{Text: t}, true
	case c == BS:
		if len(r.buf) > 0 && !r.over {
			r.buf = r.buf[:len(r.buf)-1]
		}
		return Line{}, false
	case c < 0x20 || c == 0x7f:
		return Line{}, false
	}
	switch len(r.buf) {
	case 0:
		if c == 'A' || c == 'a' {
			r.buf = append(r.buf, c)
		}
		return Line{}, false
	case 1:
		switch {
		case c == 'T' || c == 't':
			r.buf = append(r.buf, c)
		case c == '/':
			r.reset()
			if r.last == "" {
				return Line{}, false
			}
			return Line{Text: r.last, Repeat: true}, true
		case c == 'A' || c == 'a':
			r.buf[0] = c
		default:
			r.reset()
		}
		return Line{}, false
	}
	if r.over || len(r.buf) >= limit {
		r.over = true
		return Line{}, false
	}
	r.buf = append(r.buf, c)
	return Line{}, false
}

// Reset drops a partial line and the line "A/" would repeat.
func (r *LineReader) Reset() {
	r.reset()
	r.last = ""
}

func (r *LineReader) reset() {
	r.buf = r.buf[:0]
	r.over = false
	if cap(r.buf) > 4096 {
		r.buf = nil
	}
}
