package digest

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// quoteTok is a word or a punctuation mark of the text, as attribution sees
// it. Words keep inner apostrophes and hyphens ("host’s", "Rossiya-1"),
// dots of initials and abbreviations ("U.S.", "Mr.", "G.K.").
//
// A word's lower-case form without a final full stop is ls:le of the text
// itself when the word has no upper-case letter and is ASCII, else of the
// lower-cased words quoteTokenize collects (see quoteCtx.low). The token
// holds no pointer, so a document's tokens cost the garbage collector
// nothing to scan.
type quoteTok struct {
	s, e   int
	ls, le int  // a word's lower-case form; see above
	word   bool // letters or digits; otherwise a single punctuation rune
	cap    bool // a word whose first rune is upper case
	inq    bool // inside a quotation's words (set by Quotes)
	lowed  bool // ls:le is in the lower-cased words, not the text
}

// quoteTokenize appends the tokens of text[s:e] to out. The lower-case
// forms of words that differ from their text are appended to lowed.
func quoteTokenize(text string, s, e int, out []quoteTok, lowed []byte) ([]quoteTok, []byte) {
	i := s
	for i < e {
		r, n := rune(text[i]), 1
		if r >= utf8.RuneSelf {
			r, n = utf8.DecodeRuneInString(text[i:e])
		}
		if sentIsSpace(r) {
			i += n
			continue
		}
		if r < utf8.RuneSelf && !asciiAlnum(byte(r)) || r >= utf8.RuneSelf && !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			out = append(out, quoteTok{s: i, e: i + n})
			i += n
			continue
		}
		start := i
		letters := 0
		i += n
		if unicode.IsLetter(r) {
			letters++
		}
		for i < e {
			if c := text[i]; c < utf8.RuneSelf && (c|0x20 >= 'a' && c|0x20 <= 'z' || c >= '0' && c <= '9') {
				if c > '9' {
					letters++
				}
				i++
				continue
			}
			r2, n2 := utf8.DecodeRuneInString(text[i:e])
			if unicode.IsLetter(r2) || unicode.IsDigit(r2) || unicode.Is(unicode.Mn, r2) {
				if unicode.IsLetter(r2) {
					letters++
				}
				i += n2
				continue
			}
			if quoteMojibakeTail(text, i, r2) {
				i += n2 // "FranÃ§ois": UTF-8 read as Latin-1 keeps one word
				continue
			}
			if r2 == '\'' || r2 == '’' || r2 == '-' || r2 == '.' || r2 == '‐' {
				if i+n2 < e {
					r3, _ := utf8.DecodeRuneInString(text[i+n2 : e])
					if unicode.IsLetter(r3) || (r2 != '.' && unicode.IsDigit(r3)) {
						// "U.S": a dot joins only single letters (initials).
						if r2 != '.' || letters == 1 || quoteDotJoins(text[start:i]) {
							i += n2
							continue
						}
					}
				}
				if r2 == '.' && quoteKeepsDot(text[start:i]) {
					i += n2
				}
			}
			break
		}
		ls, le, isLowed := start, i, false
		if w := text[start:i]; !quoteIsASCIILower(w) {
			isLowed = true
			ls = len(lowed)
			lowed = appendLower(lowed, w)
			le = len(lowed)
		}
		if isLowed && lowed[le-1] == '.' || !isLowed && text[le-1] == '.' {
			le--
		}
		// Filling the token in place, field by field, is faster than
		// copying one built on the stack.
		out = append(out, quoteTok{})
		t := &out[len(out)-1]
		t.s, t.e, t.ls, t.le = start, i, ls, le
		t.word, t.cap, t.lowed = true, unicode.IsUpper(r), isLowed
	}
	return out, lowed
}

// quoteMojibakeTail reports whether r, at byte i of text, is the second
// half of a UTF-8 letter decoded as Latin-1 ("ç" shown as "Ã§"): a
// Latin-1 symbol or control right after "Â" or "Ã", composed or
// decomposed ("A" and a combining mark), which are such letters' first
// halves. The guillemets are left alone; they are quotation marks.
func quoteMojibakeTail(text string, i int, r rune) bool {
	if r < 0x80 || r > 0xBF || r == '«' || r == '»' || i < 2 || text[i-1] != 0x82 && text[i-1] != 0x83 {
		return false
	}
	return text[i-2] == 0xC3 || i >= 3 && text[i-2] == 0xCC && text[i-3] == 'A' // "Ã" or "A\u0303"
}

// appendLower appends strings.ToLower(w) to dst.
func appendLower(dst []byte, w string) []byte {
	for i := 0; i < len(w); {
		c := w[i]
		if c < utf8.RuneSelf {
			if c >= 'A' && c <= 'Z' {
				c += 'a' - 'A'
			}
			dst = append(dst, c)
			i++
			continue
		}
		// As strings.ToLower (strings.Map) does: an invalid byte becomes
		// U+FFFD.
		r, n := utf8.DecodeRuneInString(w[i:])
		dst = utf8.AppendRune(dst, unicode.ToLower(r))
		i += n
	}
	return dst
}

// quoteDotJoins reports whether w (letters so far, with dots) is a run of
// initials such as "U.S" or "G.K", which a following letter continues.
func quoteDotJoins(w string) bool {
	last := strings.LastIndexByte(w, '.')
	return last >= 0 && utf8.RuneCountInString(w[last+1:]) == 1
}

// quoteKeepsDot reports whether the full stop after w belongs to it: an
// initial, a run of initials, or a title abbreviation.
func quoteKeepsDot(w string) bool {
	if utf8.RuneCountInString(w) == 1 {
		r, _ := utf8.DecodeRuneInString(w)
		return unicode.IsUpper(r)
	}
	if strings.IndexByte(w, '.') >= 0 {
		return true
	}
	switch w {
	case "Mr", "Mrs", "Ms", "Dr", "Prof", "Sen", "Rep", "Gov", "Gen", "Col", "Lt", "Sgt", "Capt", "Adm", "Maj",
		"Rev", "St", "Jr", "Sr", "Sra", "Mme", "Mlle", "Fr", "Hon", "Pres", "Supt", "Det", "Cpl", "Pvt", "Brig", "Lieut", "Del":
		return true
	}
	return false
}

// low returns the lower-case form of a token's text without a trailing
// full stop.
func (c *quoteCtx) low(t quoteTok) string {
	if t.word {
		if t.lowed {
			return c.lowed[t.ls:t.le]
		}
		return c.text[t.ls:t.le]
	}
	w := c.text[t.s:t.e]
	if t.cap || !quoteIsASCIILower(w) {
		w = strings.ToLower(w)
	}
	return strings.TrimSuffix(w, ".")
}

func quoteIsASCIILower(w string) bool {
	for i := 0; i < len(w); i++ {
		c := w[i]
		if c >= 0x80 || (c >= 'A' && c <= 'Z') {
			return false
		}
	}
	return true
}

// quoteIsPunct reports whether token t is the punctuation rune r.
func quoteIsPunct(text string, t quoteTok, r rune) bool {
	if t.word {
		return false
	}
	r2, _ := utf8.DecodeRuneInString(text[t.s:t.e])
	return r2 == r
}

// quotePunct returns the rune of a punctuation token, or -1 for a word.
func quotePunct(text string, t quoteTok) rune {
	if t.word {
		return -1
	}
	r, _ := utf8.DecodeRuneInString(text[t.s:t.e])
	return r
}
