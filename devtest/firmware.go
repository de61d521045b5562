package devtest

import (
	"bytes"
	"fmt"
	"io"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// firmware is the firmware process of a session.
type firmware struct {
	cmd   *exec.Cmd
	start time.Time
	out   *tail
	log   io.WriteCloser
	done  chan struct{}
	err   error
	ended time.Time
	once  sync.Once
}

// expand replaces the placeholders of the firmware command.
func expand(tmpl, port, server string, c *Config) string {
	return strings.NewReplacer("{port}", shellQuote(port), "{server}", shellQuote(server),
		"{speed}", strconv.FormatFloat(c.Speed, 'g', -1, 64),
		"{period}", strconv.FormatFloat(c.Period.Seconds(), 'g', -1, 64)).Replace(tmpl)
}

func shellQuote(s string) string {
	if s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("/.:_-", r))
	}) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

func startFirmware(c *Config, session, port, server string) (*firmware, error) {
	line := expand(c.Firmware, port, server, c)
	cmd := exec.Command("/bin/sh", "-c", line)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	// A child left holding the output open does not keep Wait waiting.
	cmd.WaitDelay = time.Second
	f := &firmware{cmd: cmd, out: &tail{max: 4096}, done: make(chan struct{})}
	var w io.Writer = f.out
	if c.FirmwareOutput != nil {
		lw, err := c.FirmwareOutput(session)
		if err != nil {
			return nil, err
		}
		f.log = lw
		w = io.MultiWriter(f.out, lw)
	}
	cmd.Stdout, cmd.Stderr = w, w
	f.start = time.Now()
	if err := cmd.Start(); err != nil {
		if f.log != nil {
			f.log.Close()
		}
		return nil, badInput("session %s: --firmware %q: %v", session, line, err)
	}
	go func() {
		f.err = cmd.Wait()
		f.ended = time.Now()
		close(f.done)
	}()
	return f, nil
}

// exited reports, once the process has ended, how: its status and the
// end of its output.
func (f *firmware) exited() string {
	select {
	case <-f.done:
	default:
		return ""
	}
	status := "exit status 0"
	if f.err != nil {
		status = f.err.Error()
	}
	msg := fmt.Sprintf("%s after %v", status, f.ended.Sub(f.start).Round(time.Millisecond))
	if o := strings.TrimSpace(f.out.String()); o != "" {
		msg += "; its output ends:\n" + o
	}
	return msg
}

// stop ends the firmware's process group: SIGTERM, then SIGKILL after a
// second.
func (f *firmware) stop() {
	f.once.Do(func() {
		select {
		case <-f.done:
		default:
			_ = syscall.Kill(-f.cmd.Process.Pid, syscall.SIGTERM)
			select {
			case <-f.done:
			case <-time.After(time.Second):
				_ = syscall.Kill(-f.cmd.Process.Pid, syscall.SIGKILL)
				<-f.done
			}
		}
		// Whatever the command left behind in its process group.
		_ = syscall.Kill(-f.cmd.Process.Pid, syscall.SIGKILL)
		if f.log != nil {
			f.log.Close()
		}
	})
}

// tail keeps the last max bytes written to it.
type tail struct {
	mu  sync.Mutex
	b   bytes.Buffer
	max int
}

func (t *tail) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.b.Write(p)
	if t.b.Len() > t.max {
		b := t.b.Bytes()[t.b.Len()-t.max:]
		t.b.Reset()
		t.b.Write(b)
	}
	return len(p), nil
}

func (t *tail) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.b.String()
}
