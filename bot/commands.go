package bot

import (
	"fmt"
	"strings"
)

// Spec describes one command: the same name, arguments and help text on
// every platform. Adapters register these (Telegram setMyCommands, Discord
// slash commands).
type Spec struct {
	Name    string
	Args    string // usage of the arguments, "" for none
	Summary string // one line, at most 100 characters (Discord's limit)
	Help    string // longer help with examples
	Admin   bool   // changes the chat's settings: administrators only
	Options []Option
}

// Option is a named argument, for platforms with typed options (Discord).
type Option struct {
	Name        string
	Description string
	Required    bool
	Choices     []string
	Rest        bool // takes the rest of the line
}

// Specs lists every command in the order help shows them.
func Specs() []Spec {
	return []Spec{
		{Name: "digest", Args: "[topic] [since]", Summary: "a digest of the latest news now",
			Help:    "/digest: the top stories of the last 24 hours.\n/digest climate: stories about climate.\n/digest 6h or /digest climate 3d: another period.",
			Options: []Option{{Name: "topic", Description: "only stories about this"}, {Name: "since", Description: "period, like 6h or 3d"}}},
		{Name: "search", Args: "WORDS", Summary: "search stored articles",
			Help:    "/search interest rates: the newest articles with all these words.",
			Options: []Option{{Name: "words", Description: "words to look for", Required: true, Rest: true}}},
		{Name: "quotes", Args: "PERSON", Summary: "recent key quotes by a person",
			Help:    "/quotes Peskov: the latest key quotes by that speaker.",
			Options: []Option{{Name: "person", Description: "a speaker's name or part of it", Required: true, Rest: true}}},
		{Name: "story", Args: "ID", Summary: "one story with all its sources and quotes",
			Help:    "/story 1a2b3c: the story with that id (digests show each story's id).",
			Options: []Option{{Name: "id", Description: "story id from a digest", Required: true}}},
		{Name: "subscribe", Args: "[schedule] [time zone]", Summary: "get a digest on a schedule (default daily 08:00)", Admin: true,
			Help:    "/subscribe: daily at 08:00 in this chat's time zone.\n/subscribe weekdays 07:30 Europe/Berlin\n/subscribe daily 08:00,18:00\n/subscribe every 2h quiet 22:00-07:00: every two hours, none from 22:00 to 07:00 (what comes in at night is in the 08:00 digest)\n/subscribe cron 0 8 * * 1-5 America/New_York",
			Options: []Option{{Name: "schedule", Description: "daily 08:00, weekdays 07:30, every 2h, or cron ...; add quiet 22:00-07:00 for quiet hours"}, {Name: "timezone", Description: "IANA time zone, like Europe/Berlin"}}},
		{Name: "unsubscribe", Summary: "stop scheduled digests", Admin: true,
			Help: "/unsubscribe: no more scheduled digests here; /digest still works."},
		{Name: "schedule", Summary: "the current schedule and the next digest", Help: "/schedule: the schedule, its quiet hours and when the next digest comes, in this chat's time."},
		{Name: "filter", Args: "add|remove|list|test [RULE]", Summary: "choose which stories this chat gets", Admin: true,
			Help:    "/filter add include:climate\n/filter add exclude:football\n/filter add exclude:/transfer (news|rumou?r)/\n/filter add lang:en\n/filter add source:bbc\n/filter remove 2\n/filter list\n/filter test: what the filters keep and drop from the last day.",
			Options: []Option{{Name: "action", Description: "add, remove, list or test", Required: true, Choices: []string{"add", "remove", "list", "test"}}, {Name: "rule", Description: "include:WORD, exclude:/REGEXP/, lang:en, source:NAME, or a number to remove", Rest: true}}},
		{Name: "sources", Args: "[add URL|remove ID]", Summary: "the feeds newsdigest reads (admins: add, remove)",
			Help:    "/sources: every feed and its health.\n/sources add https://example.com/feed.xml (administrators)\n/sources remove 3 (administrators)",
			Options: []Option{{Name: "action", Description: "list, add or remove", Choices: []string{"list", "add", "remove"}}, {Name: "target", Description: "feed URL to add or id to remove"}}},
		{Name: "status", Summary: "source health and this chat's subscription", Help: "/status: failing sources and this chat's subscription state."},
		{Name: "add", Args: "URL", Summary: "add one article by its link and see its summary",
			Help:    "/add https://example.com/news/story: stores the article and replies with its summary and key quotes. In a private chat, just send the link.",
			Options: []Option{{Name: "url", Description: "the article's link", Required: true}}},
		{Name: "help", Args: "[command]", Summary: "what newsdigest can do", Help: "/help: every command.\n/help subscribe: one command in detail.",
			Options: []Option{{Name: "command", Description: "a command's name"}}},
	}
}

// lookupSpec finds a command by name.
func lookupSpec(name string) (Spec, bool) {
	for _, s := range Specs() {
		if s.Name == name {
			return s, true
		}
	}
	return Spec{}, false
}

// helpText is the answer to /help (all commands, or one).
func helpText(topic string) string {
	topic = strings.TrimPrefix(strings.ToLower(strings.TrimSpace(topic)), "/")
	if topic != "" {
		s, ok := lookupSpec(topic)
		if !ok {
			return fmt.Sprintf("There is no /%s command. /help lists them all.", topic)
		}
		admin := ""
		if s.Admin {
			admin = "\n(Administrators only in groups.)"
		}
		return fmt.Sprintf("/%s %s\n%s\n\n%s%s", s.Name, s.Args, s.Summary, s.Help, admin)
	}
	var b strings.Builder
	b.WriteString("newsdigest posts short news digests: headlines, a summary, a key quote and every outlet's link.\n\n")
	for _, s := range Specs() {
		line := "/" + s.Name
		if s.Args != "" {
			line += " " + s.Args
		}
		fmt.Fprintf(&b, "%s: %s\n", line, s.Summary)
	}
	b.WriteString("\n/help COMMAND explains one command.")
	return b.String()
}

func sprintf(format string, args ...any) string {
	if len(args) == 0 {
		return format
	}
	return fmt.Sprintf(format, args...)
}
