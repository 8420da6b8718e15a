package render

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"
)

// CheckDiscordMessages checks every message with CheckDiscordMessage.
func CheckDiscordMessages(msgs []DiscordMessage) error {
	if len(msgs) == 0 {
		return errors.New("render: discord: no messages")
	}
	for i, m := range msgs {
		if err := CheckDiscordMessage(m); err != nil {
			return fmt.Errorf("message %d: %w", i, err)
		}
	}
	return nil
}

// CheckDiscordMessage reports why Discord would reject m, or why m could
// mention someone: lengths in code points over Discord's limits (content
// 2000; per embed title 256, description 4096, 25 fields of name 256 and
// value 1024, footer 2048, author 256; 10 embeds and 6000 across them), an
// empty message, embed or field, invalid UTF-8, an embed URL that is not
// absolute http(s), a timestamp that is not RFC 3339, a colour out of
// range, or text that reads as a mention: "@everyone", "@here", "<@123>",
// "<@!123>", "<@&123>" or "<#123>". It returns nil for a valid message.
func CheckDiscordMessage(m DiscordMessage) error {
	if m.Content == "" && len(m.Embeds) == 0 {
		return errors.New("render: discord: empty message")
	}
	if err := discordText("content", m.Content, DiscordContentMax); err != nil {
		return err
	}
	if len(m.Embeds) > DiscordEmbedsMax {
		return fmt.Errorf("render: discord: %d embeds, more than %d", len(m.Embeds), DiscordEmbedsMax)
	}
	total := 0
	for i, e := range m.Embeds {
		if err := checkDiscordEmbed(e); err != nil {
			return fmt.Errorf("render: discord: embed %d: %w", i, err)
		}
		total += discordEmbedSize(e)
	}
	if total > DiscordMessageTextMax {
		return fmt.Errorf("render: discord: embeds hold %d characters, more than %d", total, DiscordMessageTextMax)
	}
	return nil
}

func checkDiscordEmbed(e DiscordEmbed) error {
	empty := e.Title == "" && e.Description == "" && len(e.Fields) == 0 &&
		(e.Footer == nil || e.Footer.Text == "") && (e.Author == nil || e.Author.Name == "")
	if empty {
		return errors.New("empty embed")
	}
	checks := []struct {
		what string
		s    string
		max  int
	}{
		{"title", e.Title, DiscordTitleMax},
		{"description", e.Description, DiscordDescriptionMax},
	}
	if e.Footer != nil {
		if e.Footer.Text == "" {
			return errors.New("footer without text")
		}
		checks = append(checks, struct {
			what string
			s    string
			max  int
		}{"footer", e.Footer.Text, DiscordFooterMax})
	}
	if e.Author != nil {
		if e.Author.Name == "" {
			return errors.New("author without name")
		}
		checks = append(checks, struct {
			what string
			s    string
			max  int
		}{"author", e.Author.Name, DiscordAuthorMax})
	}
	for _, c := range checks {
		if err := discordText(c.what, c.s, c.max); err != nil {
			return err
		}
	}
	if len(e.Fields) > DiscordFieldsMax {
		return fmt.Errorf("%d fields, more than %d", len(e.Fields), DiscordFieldsMax)
	}
	for i, f := range e.Fields {
		if f.Name == "" || f.Value == "" {
			return fmt.Errorf("field %d: empty name or value", i)
		}
		if err := discordText(fmt.Sprintf("field %d name", i), f.Name, DiscordFieldNameMax); err != nil {
			return err
		}
		if err := discordText(fmt.Sprintf("field %d value", i), f.Value, DiscordFieldValueMax); err != nil {
			return err
		}
	}
	if e.URL != "" && !httpURL(e.URL) {
		return fmt.Errorf("url %q is not an absolute http(s) URL", e.URL)
	}
	if e.Author != nil && e.Author.URL != "" && !httpURL(e.Author.URL) {
		return fmt.Errorf("author url %q is not an absolute http(s) URL", e.Author.URL)
	}
	if e.Timestamp != "" {
		if _, err := time.Parse(time.RFC3339, e.Timestamp); err != nil {
			return fmt.Errorf("timestamp: %w", err)
		}
	}
	if e.Color < 0 || e.Color > 0xFFFFFF {
		return fmt.Errorf("color %d out of range", e.Color)
	}
	return nil
}

// discordText checks one string's encoding, length and mentions.
func discordText(what, s string, max int) error {
	if !utf8.ValidString(s) {
		return fmt.Errorf("%s: invalid UTF-8", what)
	}
	if n := runeLen(s); n > max {
		return fmt.Errorf("%s: %d characters, more than %d", what, n, max)
	}
	if m := DiscordMention(s); m != "" {
		return fmt.Errorf("%s: holds the mention %q", what, m)
	}
	return nil
}

// DiscordMention returns the first mention in s that Discord would
// resolve ("@everyone", "@here", "<@123>", "<@!123>", "<@&123>",
// "<#123>"), or "" when there is none. Case is ignored to be safe.
func DiscordMention(s string) string {
	lower := strings.ToLower(s)
	for _, w := range []string{"@everyone", "@here"} {
		if i := strings.Index(lower, w); i >= 0 {
			return s[i : i+len(w)]
		}
	}
	for i := 0; i < len(s); i++ {
		if s[i] != '<' || i+1 >= len(s) {
			continue
		}
		j := i + 1
		switch s[j] {
		case '@':
			j++
			if j < len(s) && (s[j] == '!' || s[j] == '&') {
				j++
			}
		case '#':
			j++
		default:
			continue
		}
		k := j
		for k < len(s) && s[k] >= '0' && s[k] <= '9' {
			k++
		}
		if k > j && k < len(s) && s[k] == '>' {
			return s[i : k+1]
		}
	}
	return ""
}

func httpURL(s string) bool {
	u, err := url.Parse(s)
	if err != nil {
		return false
	}
	return (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}
