package telegramtest

import (
	"fmt"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// parseHTML parses Telegram's HTML dialect the way the Bot API server does
// (tdlib's parse_html): it returns the plain text and its entities, or the
// text that follows "Bad Request: can't parse entities: ".
//
// Telegram's parser is byte-oriented and lenient in places a browser is not
// (an unknown "&name;" stays literal, "</>" closes any tag) and strict in
// others (every "<" starts a tag, only a fixed set of tags exists, an
// unquoted attribute value may hold only letters, digits, "." and "-"). The
// fake copies both sides, byte offsets in messages included. The input must
// be valid UTF-8.
func parseHTML(src string) (string, []Entity, error) {
	// at reads like tdlib's NUL-terminated buffer: past the end is 0.
	at := func(i int) byte {
		if i < len(src) {
			return src[i]
		}
		return 0
	}

	type open struct {
		tag      string
		argument string
		offset   int // UTF-16 offset in the output
		begin    int // byte offset in the output
	}
	var (
		out      strings.Builder
		entities []Entity
		stack    []open
		offset   int // UTF-16 units written so far
	)
	out.Grow(len(src))

	for i := 0; i < len(src); i++ {
		c := src[i]
		if c == '&' {
			if code, next := decodeHTMLEntity(src, i); code != 0 {
				if code >= 0xd800 && code <= 0xdfff {
					return "", nil, fmt.Errorf("Text contains invalid Unicode characters after decoding HTML entities, check for unmatched surrogate code units")
				}
				out.WriteRune(rune(code))
				offset += utf16Units(rune(code))
				i = next - 1
				continue
			}
		}
		if c != '<' {
			if c&0xc0 != 0x80 { // first byte of a UTF-8 sequence
				offset++
				if c >= 0xf0 { // four bytes: a surrogate pair in UTF-16
					offset++
				}
			}
			out.WriteByte(c)
			continue
		}

		begin := i
		i++
		if at(i) != '/' {
			// A start tag.
			for !isHTMLSpace(at(i)) && at(i) != '>' {
				i++
			}
			if at(i) == 0 {
				return "", nil, fmt.Errorf("Unclosed start tag at byte offset %d", begin)
			}
			tag := strings.ToLower(src[begin+1 : i])
			if !allowedTags[tag] {
				return "", nil, fmt.Errorf("Unsupported start tag %q at byte offset %d", tag, begin)
			}

			argument := ""
			for at(i) != '>' {
				for at(i) != 0 && isHTMLSpace(at(i)) {
					i++
				}
				if at(i) == '>' {
					break
				}
				nameBegin := i
				for !isHTMLSpace(at(i)) && at(i) != '=' && at(i) != '>' {
					i++
				}
				name := src[nameBegin:min(i, len(src))]
				if name == "" {
					return "", nil, fmt.Errorf("Empty attribute name in the tag %q at byte offset %d", tag, begin)
				}
				for at(i) != 0 && isHTMLSpace(at(i)) {
					i++
				}
				if at(i) != '=' {
					if tag == "blockquote" && name == "expandable" {
						argument = "expandable"
						continue
					}
					return "", nil, fmt.Errorf("Expected equal sign in declaration of an attribute of the tag %q at byte offset %d", tag, begin)
				}
				i++
				for at(i) != 0 && isHTMLSpace(at(i)) {
					i++
				}
				if at(i) == 0 {
					return "", nil, fmt.Errorf("Unclosed start tag %q at byte offset %d", tag, begin)
				}

				var value string
				if q := at(i); q != '\'' && q != '"' {
					// A name token: letters, digits, periods and hyphens,
					// case-insensitive.
					tokenBegin := i
					for isASCIIAlnum(at(i)) || at(i) == '.' || at(i) == '-' {
						i++
					}
					value = strings.ToLower(src[tokenBegin:i])
					if !isHTMLSpace(at(i)) && at(i) != '>' {
						return "", nil, fmt.Errorf("Unexpected end of name token at byte offset %d", tokenBegin)
					}
				} else {
					// A string literal; entities are decoded inside it.
					i++
					var v strings.Builder
					for at(i) != q && at(i) != 0 {
						if at(i) == '&' {
							if code, next := decodeHTMLEntity(src, i); code != 0 {
								v.WriteRune(rune(code))
								i = next
								continue
							}
						}
						v.WriteByte(src[i])
						i++
					}
					if at(i) == q {
						i++
					}
					value = v.String()
				}
				if at(i) == 0 {
					return "", nil, fmt.Errorf("Unclosed start tag at byte offset %d", begin)
				}

				switch {
				case tag == "a" && name == "href":
					argument = value
				case tag == "code" && name == "class" && strings.HasPrefix(value, "language-"):
					argument = value[len("language-"):]
				case tag == "span" && name == "class" && strings.HasPrefix(value, "tg-"):
					argument = value[len("tg-"):]
				case tag == "tg-emoji" && name == "emoji-id":
					argument = value
				}
			}
			if tag == "span" && argument != "spoiler" {
				return "", nil, fmt.Errorf("Tag \"span\" must have class \"tg-spoiler\" at byte offset %d", begin)
			}
			stack = append(stack, open{tag: tag, argument: argument, offset: offset, begin: out.Len()})
			continue
		}

		// An end tag.
		if len(stack) == 0 {
			return "", nil, fmt.Errorf("Unexpected end tag at byte offset %d", begin)
		}
		for !isHTMLSpace(at(i)) && at(i) != '>' {
			i++
		}
		endTag := strings.ToLower(src[begin+2 : min(i, len(src))])
		for at(i) != 0 && isHTMLSpace(at(i)) {
			i++
		}
		if at(i) != '>' {
			return "", nil, fmt.Errorf("Unclosed end tag at byte offset %d", begin)
		}
		top := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if endTag != "" && endTag != top.tag {
			return "", nil, fmt.Errorf("Unmatched end tag at byte offset %d, expected \"</%s>\", found \"</%s>\"", begin, top.tag, endTag)
		}
		if offset == top.offset {
			continue // an empty element makes no entity
		}
		e := Entity{Offset: top.offset, Length: offset - top.offset}
		switch top.tag {
		case "i", "em":
			e.Type = "italic"
		case "b", "strong":
			e.Type = "bold"
		case "s", "strike", "del":
			e.Type = "strikethrough"
		case "u", "ins":
			e.Type = "underline"
		case "tg-spoiler", "span":
			e.Type = "spoiler"
		case "tg-emoji":
			id, err := strconv.ParseInt(top.argument, 10, 64)
			if err != nil || id == 0 {
				return "", nil, fmt.Errorf("Invalid custom emoji identifier specified")
			}
			e.Type, e.CustomEmojiID = "custom_emoji", top.argument
		case "a":
			link := top.argument
			if link == "" {
				link = out.String()[top.begin:]
			}
			if id, ok := linkUserID(link); ok {
				e.Type, e.User = "text_mention", &User{ID: id}
			} else if link = checkedLink(link); link != "" {
				e.Type, e.URL = "text_link", link
			} else {
				continue // Telegram drops a link it cannot use
			}
		case "pre":
			if n := len(entities); n > 0 && entities[n-1].Type == "code" && entities[n-1].Offset == e.Offset &&
				entities[n-1].Length == e.Length && entities[n-1].Language != "" {
				entities[n-1].Type = "pre"
				continue
			}
			e.Type = "pre"
		case "code":
			if n := len(entities); n > 0 && entities[n-1].Type == "pre" && entities[n-1].Offset == e.Offset &&
				entities[n-1].Length == e.Length && top.argument != "" {
				entities[n-1].Language = top.argument
				continue
			}
			e.Type, e.Language = "code", top.argument
		case "blockquote":
			e.Type = "blockquote"
			if top.argument == "expandable" {
				e.Type = "expandable_blockquote"
			}
		}
		entities = append(entities, e)
	}
	if len(stack) > 0 {
		return "", nil, fmt.Errorf("Can't find end tag corresponding to start tag %q", stack[len(stack)-1].tag)
	}
	for i := range entities {
		if entities[i].Type == "code" {
			entities[i].Language = "" // only pre keeps a language
		}
	}
	sort.SliceStable(entities, func(a, b int) bool {
		if entities[a].Offset != entities[b].Offset {
			return entities[a].Offset < entities[b].Offset
		}
		return entities[a].Length > entities[b].Length
	})
	return out.String(), entities, nil
}

// allowedTags are the tags Telegram's HTML accepts.
var allowedTags = map[string]bool{
	"a": true, "b": true, "strong": true, "i": true, "em": true, "s": true, "strike": true, "del": true,
	"u": true, "ins": true, "tg-spoiler": true, "tg-emoji": true, "span": true, "pre": true, "code": true,
	"blockquote": true,
}

// decodeHTMLEntity decodes the character reference at src[pos] ('&'):
// &lt; &gt; &amp; &quot; and numeric ones, the trailing ';' optional. It
// returns the code point (0 when there is none, and the '&' is then a
// literal) and the position after the reference.
func decodeHTMLEntity(src string, pos int) (uint32, int) {
	at := func(i int) byte {
		if i < len(src) {
			return src[i]
		}
		return 0
	}
	end := pos + 1
	var code uint32
	if at(pos+1) == '#' {
		end++
		if at(pos+2) == 'x' {
			end++
			for isHexDigit(at(end)) && code < 0x110000 {
				code = code*16 + uint32(hexValue(at(end)))
				end++
			}
		} else {
			for at(end) >= '0' && at(end) <= '9' && code < 0x110000 {
				code = code*10 + uint32(at(end)-'0')
				end++
			}
		}
		if code == 0 || code >= 0x10ffff || end-pos >= 10 {
			return 0, pos
		}
	} else {
		for isASCIILetter(at(end)) {
			end++
		}
		switch src[pos+1 : end] {
		case "lt":
			code = '<'
		case "gt":
			code = '>'
		case "amp":
			code = '&'
		case "quot":
			code = '"'
		default:
			return 0, pos
		}
	}
	if at(end) == ';' {
		end++
	}
	return code, end
}

// linkUserID recognises tg://user?id=N, which Telegram turns into a
// text_mention.
func linkUserID(link string) (int64, bool) {
	u, err := url.Parse(link)
	if err != nil || !strings.EqualFold(u.Scheme, "tg") || !strings.EqualFold(u.Host, "user") {
		return 0, false
	}
	id, err := strconv.ParseInt(u.Query().Get("id"), 10, 64)
	return id, err == nil && id > 0
}

// checkedLink is the URL Telegram keeps for a text_link, or "" when it
// drops the link: http(s) URLs need a host; a bare host gets "http://".
func checkedLink(link string) string {
	link = strings.TrimSpace(link)
	if link == "" || !utf8.ValidString(link) {
		return ""
	}
	if !strings.Contains(link, "://") && !strings.HasPrefix(strings.ToLower(link), "tg:") {
		link = "http://" + link
	}
	u, err := url.Parse(link)
	if err != nil {
		return ""
	}
	switch strings.ToLower(u.Scheme) {
	case "http", "https", "ftp":
		if u.Hostname() == "" || strings.ContainsAny(u.Hostname(), " <>\"") {
			return ""
		}
	case "tg", "ton":
	default:
		return ""
	}
	return link
}

// isHTMLSpace is tdlib's is_space, which also counts NUL (the end of text).
func isHTMLSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == 0 || c == '\v' || c == '\f'
}

func isASCIILetter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }
func isASCIIAlnum(c byte) bool  { return isASCIILetter(c) || (c >= '0' && c <= '9') }
func isHexDigit(c byte) bool    { return (c >= '0' && c <= '9') || (c|0x20 >= 'a' && c|0x20 <= 'f') }

func hexValue(c byte) byte {
	if c <= '9' {
		return c - '0'
	}
	return (c | 0x20) - 'a' + 10
}

// utf16Units is how many UTF-16 code units r takes.
func utf16Units(r rune) int {
	if r >= 0x10000 {
		return 2
	}
	return 1
}

// utf16Len is the length of s in UTF-16 code units, the unit of Telegram's
// message limits and entity offsets.
func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n += utf16Units(r)
	}
	return n
}
