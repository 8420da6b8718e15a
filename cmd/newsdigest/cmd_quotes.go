package main

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/newsdigest/newsdigest/digest"
)

// quoteJSON is one quote of `newsdigest quotes --json`. Offsets count
// Unicode code points into the file's text exactly as read; start/end span
// the quoted words without their quotation marks.
type quoteJSON struct {
	Text         string `json:"text"`
	Start        int    `json:"start"`
	End          int    `json:"end"`
	Speaker      string `json:"speaker"`
	SpeakerStart int    `json:"speaker_start"`
	SpeakerEnd   int    `json:"speaker_end"`
	Cue          string `json:"cue"`
	Partial      bool   `json:"partial"`
	Key          bool   `json:"key"`
}

func runQuotes(ctx context.Context, a *app, args []string) error {
	fs := newFlagSet(a, "quotes", "PATH...", "Print every quote in each text file, with its speaker and cue.")
	asJSON := fs.Bool("json", false, `one JSON line per file: {"file","quotes":[{"text","start","end","speaker","speaker_start","speaker_end","cue","partial","key"}]}`)
	keys := fs.Int("key", 2, "how many quotes to mark as key quotes")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(rest) == 0 {
		return usagef("give at least one file")
	}
	enc := json.NewEncoder(a.stdout)
	enc.SetEscapeHTML(false)
	failed := 0
	for i, path := range rest {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		text, err := readTextFile(path)
		if err != nil {
			fmt.Fprintf(a.stderr, "newsdigest quotes: %v\n", err)
			failed++
			continue
		}
		// The whole file is the body, so that offsets are into the file.
		d := digest.Parse("", text)
		qs := digest.Quotes(d)
		key := map[int]bool{}
		for _, k := range digest.KeyQuotes(d, qs, *keys) {
			key[k.Quote.Start] = true
		}
		out := make([]quoteJSON, 0, len(qs))
		for _, q := range qs {
			o := quoteJSON{Text: q.Text, Speaker: q.Speaker, Cue: q.Cue, Partial: q.Partial, Key: key[q.Start], SpeakerStart: -1, SpeakerEnd: -1}
			off := digest.RuneOffsets(d.Text, q.Start, q.End)
			o.Start, o.End = off[0], off[1]
			if q.SpeakerStart >= 0 {
				so := digest.RuneOffsets(d.Text, q.SpeakerStart, q.SpeakerEnd)
				o.SpeakerStart, o.SpeakerEnd = so[0], so[1]
			}
			out = append(out, o)
		}
		if *asJSON {
			if err := enc.Encode(struct {
				File   string      `json:"file"`
				Quotes []quoteJSON `json:"quotes"`
			}{path, out}); err != nil {
				return err
			}
			continue
		}
		if i > 0 {
			fmt.Fprintln(a.stdout)
		}
		fmt.Fprintf(a.stdout, "== %s: %d quotes\n", path, len(out))
		for _, q := range out {
			mark := " "
			if q.Key {
				mark = "*"
			}
			kind := ""
			if q.Partial {
				kind = " (partial)"
			}
			fmt.Fprintf(a.stdout, "%s [%d:%d] “%s”\n    — %s, %s%s\n", mark, q.Start, q.End, q.Text, speakerOr(q.Speaker), orDash(q.Cue), kind)
		}
	}
	if failed > 0 {
		return fmt.Errorf("%d of %d files could not be read", failed, len(rest))
	}
	return nil
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
