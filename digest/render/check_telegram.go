package render

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// CheckTelegramHTML reports why Telegram would reject s as a message with
// parse_mode HTML, or would show it other than written: a tag other than
// b, strong, i, em, u, ins, s, strike, del, a href, code, pre, blockquote,
// tg-spoiler and span class="tg-spoiler"; an attribute those do not take;
// a link other than absolute http(s); tags unbalanced or nested where
// Telegram forbids it (a in a, anything in code or pre but code in pre,
// blockquote in blockquote); a "<" that starts no tag or an "&" that
// starts no entity (only &lt; &gt; &amp; &quot; and numeric references
// exist); invalid UTF-8; visible text empty or over 4096 code points or
// UTF-16 units; more than 100 entities. It returns nil for a valid message.
//
// It is stricter than Telegram in two ways: links must be http(s) (not
// tg:// or mailto:), and the entity count includes every tag.
func CheckTelegramHTML(s string) error {
	_, err := TelegramVisibleText(s)
	return err
}

// TelegramVisibleText returns the text Telegram shows for the HTML message
// s, tags removed and entities decoded, or the error CheckTelegramHTML
// reports.
func TelegramVisibleText(s string) (string, error) {
	p := tgParser{s: s}
	text, err := p.parse()
	if err != nil {
		return "", fmt.Errorf("render: telegram html: %w", err)
	}
	if strings.TrimSpace(text) == "" {
		return "", errors.New("render: telegram html: message text is empty")
	}
	if n := runeLen(text); n > TelegramTextMax {
		return "", fmt.Errorf("render: telegram html: %d characters, more than %d", n, TelegramTextMax)
	}
	if n := utf16Len(text); n > TelegramTextMax {
		return "", fmt.Errorf("render: telegram html: %d UTF-16 units, more than %d", n, TelegramTextMax)
	}
	if p.entities > TelegramEntitiesMax {
		return "", fmt.Errorf("render: telegram html: %d entities, more than %d", p.entities, TelegramEntitiesMax)
	}
	return text, nil
}

type tgParser struct {
	s        string
	i        int
	text     strings.Builder
	stack    []string
	entities int
}

func (p *tgParser) parse() (string, error) {
	if !utf8.ValidString(p.s) {
		return "", errors.New("invalid UTF-8")
	}
	for p.i < len(p.s) {
		switch p.s[p.i] {
		case '<':
			if err := p.tag(); err != nil {
				return "", fmt.Errorf("at byte %d: %w", p.i, err)
			}
		case '&':
			r, err := p.entity(p.s[p.i:])
			if err != nil {
				return "", fmt.Errorf("at byte %d: %w", p.i, err)
			}
			p.text.WriteRune(r)
		default:
			r, size := utf8.DecodeRuneInString(p.s[p.i:])
			p.text.WriteRune(r)
			p.i += size
		}
	}
	if len(p.stack) > 0 {
		return "", fmt.Errorf("unclosed <%s>", p.stack[len(p.stack)-1])
	}
	return p.text.String(), nil
}

// entity decodes the reference at the start of s and advances past it.
func (p *tgParser) entity(s string) (rune, error) {
	end := strings.IndexByte(s, ';')
	if end < 0 || end > 12 {
		return 0, errors.New(`"&" starts no entity (write &amp;)`)
	}
	name := s[1:end]
	p.i += end + 1
	switch name {
	case "lt":
		return '<', nil
	case "gt":
		return '>', nil
	case "amp":
		return '&', nil
	case "quot":
		return '"', nil
	}
	if !strings.HasPrefix(name, "#") {
		return 0, fmt.Errorf("unsupported entity &%s;", name)
	}
	var (
		n   uint64
		err error
	)
	if strings.HasPrefix(name, "#x") || strings.HasPrefix(name, "#X") {
		n, err = strconv.ParseUint(name[2:], 16, 32)
	} else {
		n, err = strconv.ParseUint(name[1:], 10, 32)
	}
	r := rune(n)
	if err != nil || n == 0 || !utf8.ValidRune(r) {
		return 0, fmt.Errorf("bad numeric entity &%s;", name)
	}
	return r, nil
}

// tag reads one start or end tag at p.i.
func (p *tgParser) tag() error {
	end := strings.IndexByte(p.s[p.i:], '>')
	if end < 0 {
		return errors.New(`"<" starts no tag (write &lt;)`)
	}
	raw := p.s[p.i+1 : p.i+end]
	p.i += end + 1
	if name, ok := strings.CutPrefix(raw, "/"); ok {
		name = strings.ToLower(strings.TrimSpace(name))
		if len(p.stack) == 0 || p.stack[len(p.stack)-1] != name {
			return fmt.Errorf("unexpected </%s>", name)
		}
		p.stack = p.stack[:len(p.stack)-1]
		return nil
	}
	name, attrs, err := splitTag(raw)
	if err != nil {
		return err
	}
	if err := p.nesting(name); err != nil {
		return err
	}
	if err := checkAttrs(name, attrs, p.inside("pre")); err != nil {
		return err
	}
	p.stack = append(p.stack, name)
	p.entities++
	return nil
}

// nesting applies Telegram's rules on what may hold what.
func (p *tgParser) nesting(name string) error {
	if n := len(p.stack); n > 0 {
		top := p.stack[n-1]
		if top == "code" || (top == "pre" && name != "code") {
			return fmt.Errorf("<%s> inside <%s>", name, top)
		}
	}
	if (name == "a" || name == "blockquote" || name == "pre" || name == "code") && p.inside(name) {
		return fmt.Errorf("<%s> inside <%s>", name, name)
	}
	return nil
}

func (p *tgParser) inside(name string) bool {
	for _, t := range p.stack {
		if t == name {
			return true
		}
	}
	return false
}

// splitTag parses `name attr="v" attr2='v' attr3=v attr4` into its parts.
func splitTag(raw string) (string, map[string]string, error) {
	i := 0
	for i < len(raw) && (isAlnum(raw[i]) || raw[i] == '-') {
		i++
	}
	if i == 0 {
		return "", nil, errors.New(`"<" starts no tag (write &lt;)`)
	}
	name := strings.ToLower(raw[:i])
	attrs := map[string]string{}
	for {
		j := i
		for i < len(raw) && isSpace(raw[i]) {
			i++
		}
		if i == len(raw) {
			return name, attrs, nil
		}
		if i == j {
			return "", nil, fmt.Errorf("malformed tag <%s>", raw)
		}
		k := i
		for i < len(raw) && (isAlnum(raw[i]) || raw[i] == '-' || raw[i] == '_') {
			i++
		}
		if i == k {
			return "", nil, fmt.Errorf("malformed attribute in <%s>", raw)
		}
		key := strings.ToLower(raw[k:i])
		val := ""
		if i < len(raw) && raw[i] == '=' {
			i++
			if i == len(raw) {
				return "", nil, fmt.Errorf("attribute %s without value", key)
			}
			if q := raw[i]; q == '"' || q == '\'' {
				e := strings.IndexByte(raw[i+1:], q)
				if e < 0 {
					return "", nil, fmt.Errorf("unterminated attribute %s", key)
				}
				val = raw[i+1 : i+1+e]
				i += e + 2
			} else {
				v := i
				for i < len(raw) && !isSpace(raw[i]) {
					i++
				}
				val = raw[v:i]
			}
			dec, err := decodeAttr(val)
			if err != nil {
				return "", nil, fmt.Errorf("attribute %s: %w", key, err)
			}
			val = dec
		}
		if _, dup := attrs[key]; dup {
			return "", nil, fmt.Errorf("attribute %s repeated", key)
		}
		attrs[key] = val
	}
}

func decodeAttr(v string) (string, error) {
	if strings.ContainsRune(v, '<') {
		return "", errors.New(`raw "<" in attribute`)
	}
	var b strings.Builder
	p := tgParser{}
	for i := 0; i < len(v); {
		if v[i] != '&' {
			b.WriteByte(v[i])
			i++
			continue
		}
		p.i = 0
		r, err := p.entity(v[i:])
		if err != nil {
			return "", err
		}
		b.WriteRune(r)
		i += p.i
	}
	return b.String(), nil
}

// checkAttrs allows each tag only the attributes Telegram reads.
func checkAttrs(name string, attrs map[string]string, inPre bool) error {
	switch name {
	case "b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "tg-spoiler", "pre":
		if len(attrs) > 0 {
			return fmt.Errorf("<%s> takes no attributes", name)
		}
	case "blockquote":
		for k := range attrs {
			if k != "expandable" {
				return fmt.Errorf("<blockquote> does not take %s", k)
			}
		}
	case "a":
		href, ok := attrs["href"]
		if !ok || len(attrs) != 1 {
			return errors.New(`<a> takes exactly one attribute, href`)
		}
		if !httpURL(href) {
			return fmt.Errorf("<a href=%q> is not an absolute http(s) URL", href)
		}
	case "span":
		if len(attrs) != 1 || attrs["class"] != "tg-spoiler" {
			return errors.New(`<span> needs class="tg-spoiler" and nothing else`)
		}
	case "code":
		for k, v := range attrs {
			if k != "class" || !inPre || !strings.HasPrefix(v, "language-") {
				return errors.New(`<code> takes only class="language-…", inside <pre>`)
			}
		}
	default:
		return fmt.Errorf("unsupported tag <%s>", name)
	}
	return nil
}

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }
