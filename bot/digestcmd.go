package bot

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/newsdigest/newsdigest/digest/story"
)

// parseDigestArgs reads "/digest [topic] [since]": a word that parses as a
// period is the period, the rest is the topic.
func parseDigestArgs(args []string) (topic string, since time.Duration, err error) {
	since = DefaultWindow
	var words []string
	for _, a := range args {
		if d, perr := ParsePeriod(a); perr == nil {
			if d > MaxWindow {
				return "", 0, fmt.Errorf("%s is too long: a digest covers at most 7 days", a)
			}
			since = d
			continue
		}
		words = append(words, a)
	}
	topic = strings.Join(words, " ")
	if len([]rune(topic)) > 100 {
		return "", 0, fmt.Errorf("that topic is too long: use a few words")
	}
	return topic, since, nil
}

// ParsePeriod reads a period as people type it: "90m", "6h", "3d", "1w".
func ParsePeriod(s string) (time.Duration, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	if len(s) < 2 || len(s) > 8 {
		return 0, fmt.Errorf("bad period %q: use something like 6h or 3d", s)
	}
	unit := map[byte]time.Duration{'m': time.Minute, 'h': time.Hour, 'd': 24 * time.Hour, 'w': 7 * 24 * time.Hour}[s[len(s)-1]]
	n, err := strconv.Atoi(s[:len(s)-1])
	if unit == 0 || err != nil || n <= 0 || n > 10000 {
		return 0, fmt.Errorf("bad period %q: use something like 6h or 3d", s)
	}
	return time.Duration(n) * unit, nil
}

func (b *Bot) handleDigest(ctx context.Context, req Request) Reply {
	topic, since, err := parseDigestArgs(req.Args)
	if err != nil {
		return errorReply("%v", err)
	}
	c, err := b.channel(ctx, req)
	if err != nil {
		return b.internalError(req, "load this chat's settings", err)
	}
	now := b.now()
	name := "Digest"
	if topic != "" {
		name = "Digest: " + topic
	}
	built, err := b.Pipeline.Build(ctx, BuildRequest{
		Name: name, Now: now, Location: b.location(c), Since: now.Add(-since), Topic: topic,
		Topics: c.Topics, Filters: c.Filters, Max: b.maxStories(c),
	})
	if err != nil {
		return b.internalError(req, "make the digest", err)
	}
	return Reply{Digest: built.Digest}
}

// handleStory shows one story of the last week with all its sources and quotes.
func (b *Bot) handleStory(ctx context.Context, req Request) Reply {
	if len(req.Args) != 1 {
		return errorReply("Usage: /story ID, with the id a digest shows for the story.")
	}
	key := strings.TrimPrefix(req.Args[0], "#")
	if _, err := strconv.ParseInt(key, 10, 64); err != nil {
		return errorReply("%q is not a story id: digests show each story's id, like #1234.", clipRunes(req.Args[0], 32))
	}
	c, err := b.channel(ctx, req)
	if err != nil {
		return b.internalError(req, "load this chat's settings", err)
	}
	now := b.now()
	built, err := b.Pipeline.Build(ctx, BuildRequest{Name: "Story", Now: now, Location: b.location(c),
		Since: now.Add(-MaxWindow), StoryKey: key, Max: 1})
	if err != nil {
		return b.internalError(req, "find the story", err)
	}
	for _, it := range built.Digest.Stories {
		if it.ID == key {
			d := *built.Digest
			d.Name = "Story #" + key
			d.Stories = append(d.Stories[:0:0], it)
			d.Failing = nil
			return Reply{Digest: &d}
		}
	}
	return errorReply("No story #%s in the last 7 days.", key)
}

func (b *Bot) handleQuotes(ctx context.Context, req Request) Reply {
	person := strings.TrimSpace(strings.Join(req.Args, " "))
	if person == "" {
		return errorReply("Whose quotes? For example: /quotes Peskov")
	}
	if len([]rune(person)) > 80 {
		return errorReply("That name is too long.")
	}
	qs, err := b.Store.QuotesBySpeaker(ctx, person, 5)
	if err != nil {
		return b.internalError(req, "look up the quotes", err)
	}
	if len(qs) == 0 {
		return textReply("No recent key quotes by %q.", person)
	}
	names := b.sourceNames(ctx)
	var sb strings.Builder
	fmt.Fprintf(&sb, "Recent key quotes by %s:\n", qs[0].Quote.Speaker)
	for _, q := range qs {
		fmt.Fprintf(&sb, "\n“%s”\n— %s, %s", q.Quote.Text, q.Quote.Speaker, outlet(q.Article, names))
		if t := q.Article.EffectiveTime(); !t.IsZero() {
			fmt.Fprintf(&sb, ", %s", ago(b.now(), t))
		}
		if q.Article.URL != "" {
			fmt.Fprintf(&sb, "\n%s", q.Article.URL)
		}
		sb.WriteString("\n")
	}
	return Reply{Text: strings.TrimSpace(sb.String())}
}

const maxFilters = 50

func (b *Bot) handleFilter(ctx context.Context, req Request) Reply {
	if len(req.Args) == 0 {
		return errorReply("Usage: /filter add RULE, /filter remove N, /filter list or /filter test. /help filter shows the rules.")
	}
	c, err := b.channel(ctx, req)
	if err != nil {
		return b.internalError(req, "load this chat's settings", err)
	}
	switch strings.ToLower(req.Args[0]) {
	case "list":
		if len(c.Filters) == 0 {
			return textReply("No filters: this chat gets every story. /filter add include:WORD adds one.")
		}
		var sb strings.Builder
		sb.WriteString("Filters:\n")
		for i, f := range c.Filters {
			fmt.Fprintf(&sb, "%d. %s\n", i+1, f)
		}
		return Reply{Text: strings.TrimSpace(sb.String()), Ephemeral: true}
	case "add":
		rule := strings.TrimSpace(strings.Join(req.Args[1:], " "))
		if rule == "" {
			return errorReply("Which rule? For example: /filter add exclude:football")
		}
		if len(c.Filters) >= maxFilters {
			return errorReply("This chat has %d filters, the most allowed. Remove one first.", maxFilters)
		}
		if _, err := story.ParseFilterRule(rule); err != nil {
			return errorReply("%v", err)
		}
		c.Filters = append(c.Filters, rule)
		if err := b.Store.SaveChannel(ctx, c); err != nil {
			return b.internalError(req, "save the filter", err)
		}
		return Reply{Text: fmt.Sprintf("Filter %d added: %s. /filter test shows what it keeps and drops.", len(c.Filters), rule)}
	case "remove":
		if len(req.Args) != 2 {
			return errorReply("Usage: /filter remove N (/filter list shows the numbers)")
		}
		n, err := strconv.Atoi(req.Args[1])
		if err != nil || n < 1 || n > len(c.Filters) {
			return errorReply("There is no filter %q: /filter list shows them.", clipRunes(req.Args[1], 20))
		}
		removed := c.Filters[n-1]
		c.Filters = append(c.Filters[:n-1:n-1], c.Filters[n:]...)
		if err := b.Store.SaveChannel(ctx, c); err != nil {
			return b.internalError(req, "save the filters", err)
		}
		return Reply{Text: fmt.Sprintf("Removed filter %d: %s.", n, removed)}
	case "test":
		return b.filterPreview(ctx, req, c.Filters)
	}
	return errorReply("Unknown action %q: use add, remove, list or test.", clipRunes(req.Args[0], 20))
}

// filterPreview shows what the chat's filters keep and drop from the last day.
func (b *Bot) filterPreview(ctx context.Context, req Request, rules []string) Reply {
	f, err := story.ParseFilter(rules...)
	if err != nil {
		return errorReply("This chat's filters have a problem: %v", err)
	}
	now := b.now()
	arts, err := b.Pipeline.window(ctx, BuildRequest{Now: now, Since: now.Add(-DefaultWindow)})
	if err != nil {
		return b.internalError(req, "load the articles", err)
	}
	names := b.sourceNames(ctx)
	in := make([]story.Article, len(arts))
	for i, a := range arts {
		in[i] = storyArticle(a, nil, names)
	}
	kept, dropped := story.Preview(f, in)
	var sb strings.Builder
	fmt.Fprintf(&sb, "Of %d articles from the last 24 h, the filters keep %d and drop %d.\n", len(arts), len(kept), len(dropped))
	show := func(title string, rows []story.PreviewRow) {
		if len(rows) == 0 {
			return
		}
		fmt.Fprintf(&sb, "\n%s:\n", title)
		for i, r := range rows {
			if i == 5 {
				fmt.Fprintf(&sb, "… and %d more\n", len(rows)-5)
				break
			}
			fmt.Fprintf(&sb, "- %s (%s): %s\n", clipRunes(r.Title, 90), clipRunes(r.Source, 30), r.Reason)
		}
	}
	show("Kept", kept)
	show("Dropped", dropped)
	return Reply{Text: strings.TrimSpace(sb.String()), Ephemeral: true}
}
