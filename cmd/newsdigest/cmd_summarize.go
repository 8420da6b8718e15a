package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/newsdigest/newsdigest/digest"
)

func runSummarize(ctx context.Context, a *app, args []string) error {
	fs := newFlagSet(a, "summarize", "PATH...", "Print the summary and key quotes of each text file.\nA first line followed by a blank line is the title.")
	sentences := fs.Int("sentences", 3, "sentences in each summary")
	maxChars := fs.Int("chars", 0, "at most this many characters in each summary (0: no limit)")
	keys := fs.Int("quotes", 2, "key quotes per file")
	asJSON := fs.Bool("json", false, `one JSON line per file: {"file","title","summary":[...],"quotes":[...]}`)
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(rest) == 0 {
		return usagef("give at least one file")
	}
	if *sentences < 1 || *sentences > 50 {
		return usagef("--sentences must be from 1 to 50")
	}
	if *keys < 0 || *keys > 10 || *maxChars < 0 {
		return usagef("--quotes must be from 0 to 10 and --chars not negative")
	}
	failed := 0
	enc := json.NewEncoder(a.stdout)
	enc.SetEscapeHTML(false)
	for i, path := range rest {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		text, err := readTextFile(path)
		if err != nil {
			fmt.Fprintf(a.stderr, "newsdigest summarize: %v\n", err)
			failed++
			continue
		}
		title, body := splitTitle(text)
		d := digest.Parse(title, body)
		summary := digest.SummaryText(d, digest.Summarize(d, digest.SummaryOptions{Sentences: *sentences, MaxChars: *maxChars}))
		kq := digest.KeyQuotes(d, digest.Quotes(d), *keys)
		if *asJSON {
			type quoteOut struct {
				Text    string `json:"text"`
				Speaker string `json:"speaker"`
				Cue     string `json:"cue,omitempty"`
			}
			out := struct {
				File     string     `json:"file"`
				Title    string     `json:"title"`
				Language string     `json:"language,omitempty"`
				Summary  []string   `json:"summary"`
				Quotes   []quoteOut `json:"quotes"`
			}{File: path, Title: title, Language: d.Language, Summary: summary, Quotes: []quoteOut{}}
			if out.Summary == nil {
				out.Summary = []string{}
			}
			for _, k := range kq {
				out.Quotes = append(out.Quotes, quoteOut{Text: k.Text, Speaker: k.Quote.Speaker, Cue: k.Quote.Cue})
			}
			if err := enc.Encode(out); err != nil {
				return err
			}
			continue
		}
		if i > 0 {
			fmt.Fprintln(a.stdout)
		}
		fmt.Fprintf(a.stdout, "== %s\n", path)
		if title != "" {
			fmt.Fprintf(a.stdout, "%s\n", title)
		}
		fmt.Fprintln(a.stdout)
		if len(summary) == 0 {
			fmt.Fprintln(a.stdout, "(no prose to summarise)")
		}
		for _, s := range summary {
			fmt.Fprintf(a.stdout, "%s\n", s)
		}
		for _, k := range kq {
			fmt.Fprintf(a.stdout, "\n“%s”\n  — %s\n", k.Text, speakerOr(k.Quote.Speaker))
		}
	}
	if failed > 0 {
		return fmt.Errorf("%d of %d files could not be read", failed, len(rest))
	}
	return nil
}

func speakerOr(s string) string {
	if strings.TrimSpace(s) == "" {
		return "unattributed"
	}
	return s
}
