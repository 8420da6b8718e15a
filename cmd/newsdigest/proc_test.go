package main

import (
	"bytes"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// asCommand makes the test binary act as the newsdigest command, so that
// tests can run it as a real separate process (to kill it with SIGKILL, or
// to run several replicas) without building anything first.
const asCommand = "NEWSDIGEST_TEST_AS_COMMAND"

func TestMain(m *testing.M) {
	if os.Getenv(asCommand) == "1" {
		main() // exits
	}
	os.Exit(m.Run())
}

// proc is newsdigest running as a child process.
type proc struct {
	t    *testing.T
	name string
	cmd  *exec.Cmd
	out  *syncBuffer
	done chan struct{}
	err  error // after done
}

// startProc runs "newsdigest args..." with only the given environment
// (plus PATH and a private HOME): nothing leaks in from the test's own.
// Its output is kept and printed if the test fails.
func startProc(t *testing.T, name string, env map[string]string, args ...string) *proc {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = []string{asCommand + "=1", "PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir()}
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	p := &proc{t: t, name: name, cmd: cmd, out: &syncBuffer{}, done: make(chan struct{})}
	cmd.Stdout, cmd.Stderr = p.out, p.out
	if err := cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", name, err)
	}
	go func() { p.err = cmd.Wait(); close(p.done) }()
	t.Cleanup(func() {
		p.Kill()
		if t.Failed() {
			t.Logf("--- output of %s:\n%s", name, p.out.String())
		}
	})
	return p
}

// Kill sends SIGKILL, as a crash or an OOM kill would, and waits.
func (p *proc) Kill() {
	select {
	case <-p.done:
		return
	default:
	}
	_ = p.cmd.Process.Signal(syscall.SIGKILL)
	<-p.done
}

// Stop sends SIGTERM and waits up to timeout for a clean exit.
func (p *proc) Stop(timeout time.Duration) error {
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
		return p.err
	case <-time.After(timeout):
		p.Kill()
		return fmt.Errorf("%s did not exit within %v of SIGTERM", p.name, timeout)
	}
}

// Exited reports whether the process has ended, and how.
func (p *proc) Exited() (bool, error) {
	select {
	case <-p.done:
		return true, p.err
	default:
		return false, nil
	}
}

// Output is what the process has written so far.
func (p *proc) Output() string { return p.out.String() }

// waitHealthy polls http://listen/healthz until it answers 200.
func (p *proc) waitHealthy(listen string, timeout time.Duration) {
	p.t.Helper()
	deadline := time.Now().Add(timeout)
	c := &http.Client{Timeout: time.Second}
	for time.Now().Before(deadline) {
		if done, err := p.Exited(); done {
			p.t.Fatalf("%s exited before it was healthy: %v\n%s", p.name, err, p.Output())
		}
		resp, err := c.Get("http://" + listen + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	p.t.Fatalf("%s: /healthz not ready after %v\n%s", p.name, timeout, p.Output())
}

// freeAddr returns a loopback address nothing listens on now.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// syncBuffer is a bytes.Buffer safe for a process's two output streams.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.buf.Len() > 8<<20 { // keep the first 8 MiB of a runaway log
		return len(p), nil
	}
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func TestProcHarness(t *testing.T) {
	listen := freeAddr(t)
	p := startProc(t, "serve", map[string]string{
		"NEWSDIGEST_DATABASE": t.TempDir() + "/nd.db",
		"NEWSDIGEST_LISTEN":   listen,
	}, "serve", "--no-poll")
	p.waitHealthy(listen, 20*time.Second)
	if err := p.Stop(10 * time.Second); err != nil {
		t.Fatalf("serve did not stop cleanly on SIGTERM: %v\n%s", err, p.Output())
	}
	if !strings.Contains(p.Output(), "shutting down") {
		t.Errorf("serve logged no shutdown:\n%s", p.Output())
	}
	var exitErr *exec.ExitError
	if _, err := p.Exited(); errors.As(err, &exitErr) {
		t.Errorf("exit status %d after SIGTERM, want 0", exitErr.ExitCode())
	}
}
