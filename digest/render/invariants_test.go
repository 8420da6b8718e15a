package render

import (
	"encoding/json"
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"

	"github.com/newsdigest/newsdigest/digest"
)

// The invariants every rendering must keep, whatever the input. Property
// tests and fuzzers share them.

// field is one piece of story text the output must show, whole or, when
// longer than its cap, shortened with "…".
type field struct {
	what string
	text string // cleaned
	cap  int    // escaped size above which shortening is allowed; 0: never
}

// storyFields lists what of d must appear, with the caps of a platform.
func storyFields(d digest.Digest, caps map[string]int) []field {
	var fs []field
	add := func(what, raw string) {
		t := clean(raw)
		if t == "" {
			return
		}
		fs = append(fs, field{what: what, text: t, cap: caps[what]})
	}
	for _, s := range d.Stories {
		add("headline", s.Headline)
		add("summary", s.Summary)
		for _, q := range s.Quotes {
			if clean(q.Text) == "" {
				continue
			}
			add("quote", q.Text)
			add("speaker", q.Speaker)
			add("outlet", q.Outlet)
		}
		for _, l := range s.Links {
			if clean(l.Outlet) != "" {
				add("label", l.Outlet)
			} else if safeURL(l.URL) == "" {
				add("label", l.Title)
			}
		}
	}
	return fs
}

// checkPreserved reports a field missing from visible, unless it was too
// long for its cap and its start is there followed by "…".
func checkPreserved(visible string, fs []field, cost costFunc) error {
	seen := map[field]bool{}
	for _, f := range fs {
		if seen[f] {
			continue
		}
		seen[f] = true
		if strings.Contains(visible, f.text) {
			continue
		}
		size := 0
		var prev rune
		for _, r := range f.text {
			size += cost(prev, r)
			prev = r
		}
		if f.cap == 0 || size <= f.cap {
			return fmt.Errorf("%s %.80q (size %d, cap %d) is missing", f.what, f.text, size, f.cap)
		}
		if !strings.Contains(visible, "…") {
			return fmt.Errorf("%s %.80q shortened without …", f.what, f.text)
		}
		if head := firstWord(f.text, 12); head != "" && !strings.Contains(visible, head) {
			return fmt.Errorf("%s %.80q shortened to nothing of its start", f.what, f.text)
		}
	}
	return nil
}

// firstWord is the first word of s if it is no longer than n runes, else
// "" (a word that long may be cut anywhere).
func firstWord(s string, n int) string {
	w, _, _ := strings.Cut(s, " ")
	if runeLen(w) > n {
		return ""
	}
	return w
}

// unZWJ undoes the mention guard for comparison with the article text.
func unZWJ(s string) string { return strings.ReplaceAll(s, "@\u200D", "@") }

// checkAt reports an "@" not followed by the zero-width joiner.
func checkAt(s string) error {
	for i := 0; i < len(s); i++ {
		if s[i] == '@' && !strings.HasPrefix(s[i+1:], "\u200D") {
			return fmt.Errorf("bare @ in %.80q", s[max(0, i-20):])
		}
	}
	return nil
}

var discordCaps = map[string]int{
	"headline": DiscordTitleMax - runeLen("Update: ") - runeLen(" (continued)"),
	"summary":  DiscordDescriptionMax,
	"quote":    DiscordDescriptionMax - 2*discordSpeakerMax*2 - 20,
	"speaker":  discordSpeakerMax,
	"outlet":   discordSpeakerMax,
	"label":    discordLabelMax,
}

// checkDiscord checks what Discord(d) returned.
func checkDiscord(d digest.Digest, msgs []DiscordMessage) error {
	if err := CheckDiscordMessages(msgs); err != nil {
		return err
	}
	if _, err := json.Marshal(msgs); err != nil {
		return err
	}
	var visible strings.Builder
	titled := 0
	for i, m := range msgs {
		if i == 0 && m.Content == "" {
			return fmt.Errorf("no header")
		}
		if i > 0 && m.Content != "" {
			return fmt.Errorf("message %d has content", i)
		}
		if err := discordMarkup(m.Content, true); err != nil {
			return fmt.Errorf("content: %w", err)
		}
		for j, e := range m.Embeds {
			if err := discordMarkup(e.Title, false); err != nil {
				return fmt.Errorf("message %d embed %d title: %w", i, j, err)
			}
			if err := discordMarkup(e.Description, false); err != nil {
				return fmt.Errorf("message %d embed %d description: %w", i, j, err)
			}
			if e.Footer != nil {
				if err := checkAt(e.Footer.Text); err != nil {
					return err
				}
			}
			if e.Title != "" && !strings.HasSuffix(e.Title, ` \(continued\)`) {
				titled++
			}
			visible.WriteString(discordVisible(e.Title) + "\n" + discordVisible(e.Description) + "\n\n")
		}
	}
	if titled != len(d.Stories) {
		return fmt.Errorf("%d story embeds for %d stories", titled, len(d.Stories))
	}
	fs := storyFields(d, discordCaps)
	return checkPreserved(visible.String(), fs, discordCost)
}

// discordMarkup reports Markdown in s that article text could have made:
// any unescaped special character except the renderer's own quote marker
// ("> " at a line's start) and masked links "[label](url)"; in content,
// also "*" and parentheses.
func discordMarkup(s string, content bool) error {
	if err := checkAt(s); err != nil {
		return err
	}
	lineStart := true
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == '\\':
			next, n := utf8.DecodeRuneInString(s[i+1:])
			if n == 0 || !(strings.ContainsRune(discordSpecial, next) || next == '.') {
				return fmt.Errorf("stray backslash at %d in %.80q", i, s)
			}
			i += 1 + n
			lineStart = false
			continue
		case r == '>' && lineStart && strings.HasPrefix(s[i:], "> “"):
		case r == '[':
			end := indexUnescaped(s[i:], "](")
			if end < 0 {
				return fmt.Errorf("unescaped [ at %d in %.80q", i, s)
			}
			if err := discordMarkup(s[i+1:i+end], false); err != nil {
				return fmt.Errorf("link label: %w", err)
			}
			close := strings.IndexByte(s[i+end:], ')')
			u := s[i+end+2 : i+end+close]
			if !httpURL(u) || strings.ContainsAny(u, " ()[]<>@") {
				return fmt.Errorf("bad link target %q", u)
			}
			i += end + close + 1
			lineStart = false
			continue
		case content && (r == '*' || r == '(' || r == ')'):
		case strings.ContainsRune(discordSpecial, r):
			return fmt.Errorf("unescaped %q at %d in %.80q", r, i, s)
		}
		lineStart = r == '\n'
		i += size
	}
	return nil
}

// discordVisible is roughly what Discord shows for s: escapes resolved,
// link targets dropped, the mention guard removed.
func discordVisible(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == '\\' && i+1 < len(s):
			next, n := utf8.DecodeRuneInString(s[i+1:])
			b.WriteRune(next)
			i += 1 + n
			continue
		case r == '[':
			end := indexUnescaped(s[i:], "](")
			close := strings.IndexByte(s[i+end:], ')')
			b.WriteString(discordVisible(s[i+1 : i+end]))
			i += end + close + 1
			continue
		}
		b.WriteRune(r)
		i += size
	}
	return unZWJ(b.String())
}

var telegramCaps = map[string]int{
	"headline": telegramHeadlineMax - runeLen("Update: "),
	"summary":  TelegramTextMax,
	"quote":    TelegramTextMax - 2*telegramSpeakerMax*2 - 20,
	"speaker":  telegramSpeakerMax,
	"outlet":   telegramSpeakerMax,
	"label":    telegramLabelMax,
}

// checkTelegram checks what Telegram(d) returned.
func checkTelegram(d digest.Digest, msgs []string) error {
	if len(msgs) == 0 {
		return fmt.Errorf("no messages")
	}
	safe := map[string]bool{}
	for _, s := range d.Stories {
		for _, l := range s.Links {
			safe[safeURL(l.URL)] = true
		}
		for _, q := range s.Quotes {
			safe[safeURL(q.URL)] = true
		}
	}
	var visible strings.Builder
	for i, m := range msgs {
		text, err := TelegramVisibleText(m)
		if err != nil {
			return fmt.Errorf("message %d: %w", i, err)
		}
		if err := checkAt(text); err != nil {
			return fmt.Errorf("message %d: %w", i, err)
		}
		other, hrefs, err := xnetText(m)
		if err != nil {
			return fmt.Errorf("message %d: %w", i, err)
		}
		if other != text {
			return fmt.Errorf("message %d: x/net/html reads %.80q, we read %.80q", i, other, text)
		}
		for _, h := range hrefs {
			if !safe[h] {
				return fmt.Errorf("message %d: link %q is not one of the story's", i, h)
			}
		}
		visible.WriteString(unZWJ(text) + "\n\n")
	}
	fs := storyFields(d, telegramCaps)
	return checkPreserved(visible.String(), fs, telegramCost)
}

// xnetText reads a Telegram message with golang.org/x/net/html, a second
// opinion on the text it shows and the links it holds.
func xnetText(s string) (string, []string, error) {
	z := html.NewTokenizer(strings.NewReader(s))
	var (
		b     strings.Builder
		hrefs []string
	)
	for {
		switch z.Next() {
		case html.ErrorToken:
			return b.String(), hrefs, nil
		case html.TextToken:
			b.Write(z.Text())
		case html.StartTagToken:
			tok := z.Token()
			switch tok.Data {
			case "b", "i", "blockquote", "code":
			case "a":
				for _, a := range tok.Attr {
					hrefs = append(hrefs, a.Val)
				}
			default:
				return "", nil, fmt.Errorf("unexpected tag %q", tok.Data)
			}
		case html.EndTagToken:
		default:
			return "", nil, fmt.Errorf("unexpected token %v", z.Token())
		}
	}
}

// checkText checks what Text(d, opts) returned.
func checkText(d digest.Digest, opts TextOptions, out string) error {
	if !utf8.ValidString(out) {
		return fmt.Errorf("invalid UTF-8")
	}
	plain := out
	if opts.Color {
		plain = stripANSI(out)
	} else if strings.Contains(out, "\x1b") {
		return fmt.Errorf("ESC in uncoloured output")
	}
	for _, r := range plain {
		if r != '\n' && (r < ' ' || r == 0x7f || r >= 0x80 && r < 0xa0) {
			return fmt.Errorf("control character %U", r)
		}
	}
	if opts.Width > 0 {
		w := max(opts.Width, minWidth)
		for _, line := range strings.Split(plain, "\n") {
			if cellWidth(line) > w && !strings.Contains(line, "http") && !oneCluster(line) {
				return fmt.Errorf("line %d cells wide, more than %d: %.80q", cellWidth(line), w, line)
			}
		}
	}
	squeezed := squeeze(plain)
	for _, f := range storyFields(d, nil) {
		if !strings.Contains(squeezed, squeeze(f.text)) {
			return fmt.Errorf("%s %.80q is missing", f.what, f.text)
		}
	}
	return nil
}

// oneCluster reports a line whose only over-wide part is a single
// unbreakable sequence (a base with many combining marks, say).
func oneCluster(line string) bool {
	t := strings.TrimLeft(line, " ")
	rs := []rune(t)
	return len(rs) > 0 && graphemeSafeCut(rs, len(rs)-1) == 0
}

func squeeze(s string) string {
	return strings.Join(strings.Fields(s), "")
}

func stripANSI(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == 0x1b && i+1 < len(s) && s[i+1] == '[' {
			j := i + 2
			for j < len(s) && (s[j] >= '0' && s[j] <= '9' || s[j] == ';') {
				j++
			}
			i = j // skips the final letter too
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// checkMarkdown checks what Markdown(d) returned.
func checkMarkdown(d digest.Digest, out string) error {
	var visible strings.Builder
	for _, line := range strings.Split(out, "\n") {
		v, err := mdLine(line)
		if err != nil {
			return fmt.Errorf("%w in line %.100q", err, line)
		}
		visible.WriteString(v + "\n")
	}
	for _, f := range storyFields(d, nil) {
		if !strings.Contains(visible.String(), f.text) {
			return fmt.Errorf("%s %.80q is missing", f.what, f.text)
		}
	}
	return nil
}

// mdLine strips the renderer's own Markdown from one line and reports any
// other: an unescaped special, or what would start a block.
func mdLine(line string) (string, error) {
	if line == "---" || line == "" {
		return "", nil
	}
	for _, p := range []string{"## ", "### ", "> "} {
		if rest, ok := strings.CutPrefix(line, p); ok {
			line = rest
			break
		}
	}
	line = strings.TrimPrefix(line, "**Update:** ")
	if len(line) > 2 && line[0] == '*' && line[len(line)-1] == '*' && !escapedEnd(line[:len(line)-1]) {
		line = line[1 : len(line)-1]
	}
	if line != "" && strings.ContainsRune("-+=", rune(line[0])) {
		return "", fmt.Errorf("unescaped %q starts a line", line[0])
	}
	if i := strings.IndexFunc(line, func(r rune) bool { return r < '0' || r > '9' }); i > 0 && (line[i] == '.' || line[i] == ')') {
		return "", fmt.Errorf("unescaped list number")
	}
	var b strings.Builder
	for i := 0; i < len(line); {
		r, size := utf8.DecodeRuneInString(line[i:])
		switch {
		case r == '\\':
			next, n := utf8.DecodeRuneInString(line[i+1:])
			if n == 0 || next >= 0x80 || !strings.ContainsRune(`!"#$%&'()*+,-./:;<=>?@[\]^_`+"`{|}~", next) {
				return "", fmt.Errorf("stray backslash")
			}
			b.WriteRune(next)
			i += 1 + n
			continue
		case r == '[':
			end := indexUnescaped(line[i:], "](")
			if end < 0 {
				return "", fmt.Errorf("unescaped [")
			}
			label, err := mdLine("x" + line[i+1:i+end])
			if err != nil {
				return "", fmt.Errorf("link label: %w", err)
			}
			close := strings.IndexByte(line[i+end:], ')')
			u := line[i+end+2 : i+end+close]
			if !httpURL(u) || strings.ContainsAny(u, " ()[]<>") {
				return "", fmt.Errorf("bad link target %q", u)
			}
			b.WriteString(label[1:])
			i += end + close + 1
			continue
		case strings.ContainsRune(mdSpecial, r):
			return "", fmt.Errorf("unescaped %q", r)
		}
		b.WriteRune(r)
		i += size
	}
	return b.String(), nil
}

// indexUnescaped is strings.Index skipping backslash-escaped characters.
func indexUnescaped(s, sub string) int {
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' {
			i++
			continue
		}
		if strings.HasPrefix(s[i:], sub) {
			return i
		}
	}
	return -1
}

// escapedEnd reports whether s ends in an odd number of backslashes, so
// that the character after it is escaped.
func escapedEnd(s string) bool {
	n := len(s) - len(strings.TrimRight(s, "\\"))
	return n%2 == 1
}
