package main

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
)

// redactHandler removes secrets from every log record before it is
// written: the message, every attribute (errors and URLs included, since
// the Telegram library puts the token in request URLs) and groups.
type redactHandler struct {
	next     slog.Handler
	replacer *strings.Replacer
}

// newRedactHandler wraps next so that none of secrets is ever printed.
// Secrets shorter than 8 characters are ignored: too short to be a token
// and too likely to match ordinary words.
func newRedactHandler(next slog.Handler, secrets ...string) slog.Handler {
	var pairs []string
	for _, s := range secrets {
		if len(s) >= 8 {
			pairs = append(pairs, s, "[REDACTED]")
		}
	}
	if len(pairs) == 0 {
		return next
	}
	return &redactHandler{next: next, replacer: strings.NewReplacer(pairs...)}
}

func (h *redactHandler) Enabled(ctx context.Context, l slog.Level) bool {
	return h.next.Enabled(ctx, l)
}

func (h *redactHandler) Handle(ctx context.Context, r slog.Record) error {
	out := slog.NewRecord(r.Time, r.Level, h.replacer.Replace(r.Message), r.PC)
	r.Attrs(func(a slog.Attr) bool {
		out.AddAttrs(h.attr(a))
		return true
	})
	return h.next.Handle(ctx, out)
}

func (h *redactHandler) attr(a slog.Attr) slog.Attr {
	v := a.Value.Resolve()
	switch v.Kind() {
	case slog.KindString:
		return slog.String(a.Key, h.replacer.Replace(v.String()))
	case slog.KindGroup:
		attrs := v.Group()
		out := make([]any, len(attrs))
		for i, g := range attrs {
			out[i] = h.attr(g)
		}
		return slog.Group(a.Key, out...)
	case slog.KindAny:
		// Errors, URLs, structs: log their text, redacted.
		return slog.String(a.Key, h.replacer.Replace(fmt.Sprint(v.Any())))
	}
	return slog.Attr{Key: a.Key, Value: v}
}

func (h *redactHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	red := make([]slog.Attr, len(attrs))
	for i, a := range attrs {
		red[i] = h.attr(a)
	}
	return &redactHandler{next: h.next.WithAttrs(red), replacer: h.replacer}
}

func (h *redactHandler) WithGroup(name string) slog.Handler {
	return &redactHandler{next: h.next.WithGroup(name), replacer: h.replacer}
}

// redactString removes secrets from s, for errors printed outside slog.
func redactString(s string, secrets ...string) string {
	for _, sec := range secrets {
		if len(sec) >= 8 {
			s = strings.ReplaceAll(s, sec, "[REDACTED]")
		}
	}
	return s
}
