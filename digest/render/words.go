package render

import (
	"fmt"
	"strings"
	"time"

	"github.com/newsdigest/newsdigest/digest"
)

// This file holds the words every platform shows, as plain text; each
// renderer escapes and decorates them its own way.

const (
	dateLayout  = "Mon 2 Jan 2006, 15:04"
	lateNotice  = "Sent late: this digest missed its scheduled time."
	untitled    = "Untitled story"
	updateLabel = "Update:"
	warnSign    = "⚠"
)

// digestName is the digest's name, or a neutral one when it has none.
func digestName(d digest.Digest) string {
	if n := clean(d.Name); n != "" {
		return n
	}
	return "Digest"
}

// headerWhen is "Tue 25 Nov 2026, 08:00 (last 24 h)", either part left out
// when the digest does not say.
func headerWhen(d digest.Digest) string {
	var parts []string
	if !d.At.IsZero() {
		parts = append(parts, d.At.Format(dateLayout))
	}
	if w := window(d.Since, d.Until); w != "" {
		parts = append(parts, "("+w+")")
	}
	return strings.Join(parts, " ")
}

// window names the span a digest covers: "last 45 min", "last 24 h",
// "last 1 h 30 min", "last 3 days".
func window(since, until time.Time) string {
	if since.IsZero() || until.IsZero() || !until.After(since) {
		return ""
	}
	dur := until.Sub(since).Round(time.Minute)
	h, m := int(dur/time.Hour), int(dur%time.Hour/time.Minute)
	switch {
	case h == 0:
		return fmt.Sprintf("last %d min", max(m, 1))
	case m == 0 && h >= 72 && h%24 == 0:
		return fmt.Sprintf("last %d days", h/24)
	case m == 0:
		return fmt.Sprintf("last %d h", h)
	default:
		return fmt.Sprintf("last %d h %d min", h, m)
	}
}

// emptyNotice is what a digest without stories says instead.
func emptyNotice(d digest.Digest) string {
	if d.Since.IsZero() {
		return "No new stories."
	}
	return "No new stories since " + d.Since.Format(dateLayout) + "."
}

// failingNotice summarises failing sources for a footer, one clause per
// distinct error: "Reuters failing since Tuesday: HTTP 403" or "2 sources
// failing since 07:30: timeout (AP, BBC)". Empty when none fail.
func failingNotice(d digest.Digest) string {
	type group struct {
		err   string
		names []string
		since time.Time
	}
	var groups []*group
	byErr := map[string]*group{}
	for _, f := range d.Failing {
		e := clean(f.Error)
		if e == "" {
			e = "unknown error"
		}
		g := byErr[e]
		if g == nil {
			g = &group{err: e}
			byErr[e] = g
			groups = append(groups, g)
		}
		name := clean(f.Name)
		if name == "" {
			name = "unnamed source"
		}
		g.names = append(g.names, name)
		if !f.Since.IsZero() && (g.since.IsZero() || f.Since.Before(g.since)) {
			g.since = f.Since
		}
	}
	clauses := make([]string, 0, len(groups))
	for _, g := range groups {
		var b strings.Builder
		if len(g.names) == 1 {
			b.WriteString(g.names[0])
		} else {
			fmt.Fprintf(&b, "%d sources", len(g.names))
		}
		b.WriteString(" failing")
		if !g.since.IsZero() {
			b.WriteString(" since " + relativeDay(g.since, d.At))
		}
		b.WriteString(": " + g.err)
		if len(g.names) > 1 {
			b.WriteString(" (" + strings.Join(g.names, ", ") + ")")
		}
		clauses = append(clauses, b.String())
	}
	return strings.Join(clauses, "; ")
}

// relativeDay names t as seen at now, in now's time zone: "07:30" today,
// "yesterday", a weekday within the last week, else a date.
func relativeDay(t, now time.Time) string {
	if now.IsZero() {
		return t.Format("2 Jan 2006 15:04")
	}
	t = t.In(now.Location())
	ty, tm, td := t.Date()
	ny, nm, nd := now.Date()
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
	days := int(day(ny, nm, nd).Sub(day(ty, tm, td)).Hours() / 24)
	switch {
	case days == 0:
		return t.Format("15:04")
	case days == 1:
		return "yesterday"
	case days > 1 && days < 7:
		return t.Weekday().String()
	case ty == ny:
		return t.Format("2 Jan")
	default:
		return t.Format("2 Jan 2006")
	}
}

// story is a StoryItem cleaned and reduced to what every platform shows.
type story struct {
	id       string
	headline string // never empty; renderers add "Update:" when update is set
	update   bool
	summary  string
	quotes   []quote
	links    []link
	best     string // the URL the headline links to; "" when none is safe
	time     time.Time
}

type quote struct {
	text, speaker, outlet string
}

type link struct {
	label string
	url   string // safe http(s) URL or ""
}

func prepare(s digest.StoryItem) story {
	st := story{
		id:       clean(s.ID),
		headline: clean(s.Headline),
		update:   s.Update,
		summary:  clean(s.Summary),
		time:     s.Time,
	}
	if st.headline == "" {
		st.headline = untitled
	}
	for _, q := range s.Quotes {
		t := clean(q.Text)
		if t == "" {
			continue
		}
		st.quotes = append(st.quotes, quote{text: t, speaker: clean(q.Speaker), outlet: clean(q.Outlet)})
	}
	for _, l := range s.Links {
		u := safeURL(l.URL)
		label := clean(l.Outlet)
		if label == "" {
			label = clean(l.Title)
		}
		if label == "" {
			label = hostOf(u)
		}
		if label == "" {
			continue // neither a name nor a usable address: nothing to show
		}
		st.links = append(st.links, link{label: label, url: u})
		if st.best == "" {
			st.best = u
		}
	}
	if st.best == "" {
		for _, q := range s.Quotes {
			if u := safeURL(q.URL); u != "" {
				st.best = u
				break
			}
		}
	}
	return st
}

// attribution is " — Speaker (Outlet)", " — Speaker", " — Outlet" or "".
func (q quote) attribution() string {
	switch {
	case q.speaker != "" && q.outlet != "":
		return " — " + q.speaker + " (" + q.outlet + ")"
	case q.speaker != "":
		return " — " + q.speaker
	case q.outlet != "":
		return " — " + q.outlet
	}
	return ""
}
