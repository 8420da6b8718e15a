package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// cli runs the command in-process with its own environment.
type cli struct {
	t   *testing.T
	env map[string]string
}

func newCLI(t *testing.T) *cli {
	t.Helper()
	dir := t.TempDir()
	return &cli{t: t, env: map[string]string{
		"HOME":                t.TempDir(),
		"NEWSDIGEST_DATABASE": filepath.Join(dir, "nd.db"),
	}}
}

func (c *cli) run(args ...string) (code int, stdout, stderr string) {
	c.t.Helper()
	var out, errb bytes.Buffer
	code = run(context.Background(), args, strings.NewReader(""), &out, &errb, func(k string) string { return c.env[k] })
	return code, out.String(), errb.String()
}

func TestUsageAndBadInput(t *testing.T) {
	tests := []struct {
		name     string
		args     []string
		env      map[string]string
		code     int
		inStderr string
		inStdout string
	}{
		{name: "no command", args: nil, code: 2, inStdout: "Commands:"},
		{name: "help", args: []string{"--help"}, code: 0, inStdout: "Commands:"},
		{name: "unknown command", args: []string{"frobnicate"}, code: 2, inStderr: `unknown command "frobnicate"`},
		{name: "command help", args: []string{"articles", "--help"}, code: 0, inStdout: "--search"},
		{name: "help command", args: []string{"help", "digest"}, code: 0, inStdout: "--format"},
		{name: "bad flag", args: []string{"articles", "--frob"}, code: 2, inStderr: "flag provided but not defined"},
		{name: "bad since", args: []string{"articles", "--since", "yesterday"}, code: 2, inStderr: "bad duration"},
		{name: "bad limit", args: []string{"articles", "--limit", "0"}, code: 2, inStderr: "--limit"},
		{name: "bad format", args: []string{"digest", "--format", "pdf"}, code: 2, inStderr: "--format"},
		{name: "bad tz", args: []string{"digest", "--tz", "Mars/Olympus"}, code: 2, inStderr: "unknown time zone"},
		{name: "bad config value", args: []string{"articles"}, env: map[string]string{"NEWSDIGEST_POLL_INTERVAL": "often"}, code: 1, inStderr: "NEWSDIGEST_POLL_INTERVAL"},
		{name: "missing config file", args: []string{"--config", "/nonexistent/nd.conf", "articles"}, code: 1, inStderr: "config"},
		{name: "summarize nothing", args: []string{"summarize"}, code: 2, inStderr: "at least one file"},
		{name: "summarize missing file", args: []string{"summarize", "/nonexistent.txt"}, code: 1, inStderr: "no such file"},
		{name: "eval unknown", args: []string{"eval", "poetry"}, code: 2, inStderr: "unknown evaluation"},
		{name: "add not a URL", args: []string{"add", "ftp://example.com/x"}, code: 2, inStderr: "not an http"},
		{name: "sources unknown", args: []string{"sources", "frob"}, code: 2, inStderr: "unknown sources command"},
		{name: "remove unknown source", args: []string{"sources", "remove", "42"}, code: 1, inStderr: "no source with id 42"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newCLI(t)
			for k, v := range tt.env {
				c.env[k] = v
			}
			code, out, errs := c.run(tt.args...)
			if code != tt.code {
				t.Errorf("exit %d, want %d\nstdout: %s\nstderr: %s", code, tt.code, out, errs)
			}
			if !strings.Contains(errs, tt.inStderr) {
				t.Errorf("stderr %q does not contain %q", errs, tt.inStderr)
			}
			if !strings.Contains(out, tt.inStdout) {
				t.Errorf("stdout %q does not contain %q", out, tt.inStdout)
			}
			if strings.Contains(errs, "goroutine ") || strings.Contains(errs, "panic:") {
				t.Errorf("stack trace printed:\n%s", errs)
			}
		})
	}
}

func TestConfigFileRefusesSecrets(t *testing.T) {
	c := newCLI(t)
	conf := filepath.Join(t.TempDir(), "config")
	os.WriteFile(conf, []byte("# comment\nNEWSDIGEST_LOG_LEVEL=debug\nTELEGRAM_BOT_TOKEN=123456:abcdefghijklmnop\n"), 0o600)
	code, _, errs := c.run("--config", conf, "articles")
	if code == 0 || !strings.Contains(errs, "TELEGRAM_BOT_TOKEN is a secret") || strings.Contains(errs, "abcdefghijklmnop") {
		t.Fatalf("exit %d, stderr %q", code, errs)
	}
}

func TestImportArticlesSearch(t *testing.T) {
	c := newCLI(t)
	code, out, errs := c.run("import", "testdata/examples")
	if code != 0 || !strings.Contains(out, "6 articles new") {
		t.Fatalf("import: exit %d\n%s\n%s", code, out, errs)
	}
	// Importing again stores nothing new.
	if code, out, _ = c.run("import", "testdata/examples"); code != 0 || !strings.Contains(out, "6 already stored") {
		t.Fatalf("re-import: exit %d: %s", code, out)
	}
	code, out, _ = c.run("articles", "--search", "harbour bridge")
	if code != 0 || strings.Count(out, "harbour") < 1 || strings.Contains(out, "stork") {
		t.Fatalf("search: exit %d\n%s", code, out)
	}
	code, out, _ = c.run("articles", "--json", "--search", "stork")
	var got struct {
		Title, URL, Source string
	}
	if code != 0 || json.Unmarshal([]byte(strings.TrimSpace(out)), &got) != nil || !strings.Contains(got.Title, "stork") || got.Source != "Coastline Times" {
		t.Fatalf("search --json: exit %d, %q -> %+v", code, out, got)
	}
	// Hostile search input is an ordinary search, not an error.
	for _, q := range []string{`"`, "AND (", "*", "NEAR(", "✓"} {
		if code, _, errs = c.run("articles", "--search", q); code != 0 {
			t.Errorf("search %q: exit %d: %s", q, code, errs)
		}
	}
}

func TestIngestLocalFeed(t *testing.T) {
	feed, err := os.ReadFile("testdata/feeds/local.xml")
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/feed.xml":
			w.Header().Set("Content-Type", "application/rss+xml")
			w.Header().Set("ETag", `"v1"`)
			if r.Header.Get("If-None-Match") == `"v1"` {
				w.WriteHeader(http.StatusNotModified)
				return
			}
			w.Write(feed)
		case "/gone.xml":
			http.Error(w, "gone", http.StatusGone)
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	c := newCLI(t)

	// The address guard refuses loopback unless the operator allows it.
	code, _, errs := c.run("sources", "add", srv.URL+"/feed.xml")
	if code == 0 || !strings.Contains(errs, "--no-check") {
		t.Fatalf("add with the guard on: exit %d, %s", code, errs)
	}
	c.env["NEWSDIGEST_ALLOW_PRIVATE_ADDRESSES"] = "true"
	if code, out, errs := c.run("sources", "add", srv.URL+"/feed.xml"); code != 0 || !strings.Contains(out, "Eastmere Evening Post") {
		t.Fatalf("sources add: exit %d\n%s\n%s", code, out, errs)
	}
	if code, _, errs := c.run("sources", "add", "--no-check", "--name", "Gone", srv.URL+"/gone.xml"); code != 0 {
		t.Fatalf("sources add --no-check: exit %d: %s", code, errs)
	}
	code, out, errs := c.run("ingest")
	if code != 0 || !strings.Contains(out, "2 new") || !strings.Contains(out, "1 failed") || !strings.Contains(errs, "410") {
		t.Fatalf("ingest: exit %d\n%s\n%s", code, out, errs)
	}
	code, out, _ = c.run("ingest", "--all")
	if code != 0 || !strings.Contains(out, "1 not modified") {
		t.Fatalf("second ingest: exit %d\n%s", code, out)
	}
	code, out, _ = c.run("articles", "--search", "ferry")
	if code != 0 || !strings.Contains(out, "Eastmere ferry service") || !strings.Contains(out, "https://eastmere-post.example/ferry-resumes\n") {
		t.Fatalf("articles: exit %d\n%s", code, out)
	}
	code, out, _ = c.run("sources", "list")
	if code != 0 || !strings.Contains(out, "failing") || !strings.Contains(out, "Eastmere Evening Post") {
		t.Fatalf("sources list: %s", out)
	}
	code, out, _ = c.run("sources", "export-opml")
	if code != 0 || !strings.Contains(out, "<opml") || !strings.Contains(out, srv.URL+"/feed.xml") {
		t.Fatalf("export-opml: %s", out)
	}
	opml := filepath.Join(t.TempDir(), "feeds.opml")
	os.WriteFile(opml, []byte(out), 0o600)
	c2 := newCLI(t)
	if code, out, _ := c2.run("sources", "import-opml", opml); code != 0 || !strings.Contains(out, "2 added") {
		t.Fatalf("import-opml: %s", out)
	}
}

func TestSummarizeAndQuotesJSON(t *testing.T) {
	dir := t.TempDir()
	text := "Ferry returns to Eastmere\n\nThe ferry between Eastmere and Port Alder will run again from Monday. " +
		"\"The repairs took longer than we hoped,\" said Ola Brandt, who runs the ferry company. " +
		"\"But the landing stage is now stronger than before,\" she added.\n\nEngineers replaced twelve timber piles with steel ones."
	path := filepath.Join(dir, "ferry.txt")
	os.WriteFile(path, []byte(text), 0o600)
	c := newCLI(t)
	code, out, errs := c.run("summarize", "--json", "--sentences", "2", path)
	if code != 0 {
		t.Fatalf("summarize: exit %d: %s", code, errs)
	}
	var s struct {
		File, Title string
		Summary     []string
		Quotes      []struct{ Text, Speaker string }
	}
	if err := json.Unmarshal([]byte(out), &s); err != nil || s.Title != "Ferry returns to Eastmere" || len(s.Summary) == 0 || len(s.Summary) > 2 {
		t.Fatalf("summarize --json: %v: %s", err, out)
	}
	code, out, errs = c.run("quotes", "--json", path)
	if code != 0 {
		t.Fatalf("quotes: exit %d: %s", code, errs)
	}
	var q struct {
		File   string
		Quotes []quoteJSON
	}
	if err := json.Unmarshal([]byte(out), &q); err != nil || len(q.Quotes) != 2 {
		t.Fatalf("quotes --json: %v: %s", err, out)
	}
	runes := []rune(text)
	for _, qu := range q.Quotes {
		if string(runes[qu.Start:qu.End]) != qu.Text {
			t.Errorf("offsets [%d:%d] give %q, not %q", qu.Start, qu.End, string(runes[qu.Start:qu.End]), qu.Text)
		}
		if qu.Speaker != "Ola Brandt" {
			t.Errorf("quote %q: speaker %q, want Ola Brandt", qu.Text, qu.Speaker)
		}
	}
	if s := string(runes[q.Quotes[1].SpeakerStart:q.Quotes[1].SpeakerEnd]); s != "she" {
		t.Errorf("second quote's speaker mention is %q, want she", s)
	}
}

func TestDigestOfExamples(t *testing.T) {
	c := newCLI(t)
	if code, _, errs := c.run("import", "testdata/examples"); code != 0 {
		t.Fatalf("import: %s", errs)
	}
	code, out, errs := c.run("digest", "--since", "7d", "--color", "never")
	if code != 0 {
		t.Fatalf("digest: exit %d\n%s", code, errs)
	}
	// Two outlets covered the bridge: one story with both links.
	for _, want := range []string{"bridge", "Alder Gazette", "Coastline Times", "Elena Voss", "Helixa"} {
		if !strings.Contains(out, want) {
			t.Errorf("digest lacks %q:\n%s", want, out)
		}
	}
	if n := strings.Count(strings.ToLower(out), "harbour bridge gets green light"); n > 1 {
		t.Errorf("the bridge story appears %d times:\n%s", n, out)
	}
	for _, format := range []string{"markdown", "discord", "telegram"} {
		if code, out, errs := c.run("digest", "--since", "7d", "--format", format); code != 0 || out == "" {
			t.Errorf("digest --format %s: exit %d: %s", format, code, errs)
		}
	}
	code, out, _ = c.run("digest", "--since", "7d", "--filter", "exclude:battery", "--color", "never")
	if code != 0 || strings.Contains(out, "Helixa") {
		t.Errorf("digest with exclude filter still shows Helixa:\n%s", out)
	}
	code, _, errs = c.run("digest", "--filter", "exclude:/(/")
	if code == 0 || !strings.Contains(errs, "filter") {
		t.Errorf("bad filter regexp: exit %d: %s", code, errs)
	}
}
