package digest

import (
	"unicode"
	"unicode/utf8"
)

// Nicknames in quotation marks inside a name: Marcia "Cia" Price, John
// “Tig” Tiegen. They are part of the name, not quotations, and a speaker's
// noun phrase runs on across them.

// quoteDropNicknames removes from spans the nicknames inside names, in place.
func quoteDropNicknames(text string, spans []quoteSpan) []quoteSpan {
	out := spans[:0]
	for _, sp := range spans {
		if !quoteIsNickname(text, sp) {
			out = append(out, sp)
		}
	}
	return out
}

// quoteIsNickname reports whether the quotation sp is a nickname: one to
// three capitalised words between a capitalised first name and a
// capitalised word that goes on with the name, with a space on each side.
func quoteIsNickname(text string, sp quoteSpan) bool {
	if sp.close == sp.ce || sp.ce-sp.cs > 40 || sp.ce <= sp.cs {
		return false
	}
	words := 0
	atStart := true
	for _, r := range text[sp.cs:sp.ce] {
		switch {
		case r == ' ':
			if atStart {
				return false
			}
			atStart = true
		case atStart:
			if !unicode.IsUpper(r) {
				return false
			}
			atStart = false
			words++
		case !unicode.IsLetter(r) && r != '.' && r != '-' && r != '\'' && r != '’':
			return false
		}
	}
	if words == 0 || words > 3 {
		return false
	}
	// Before: "Marcia ", a capitalised word with a lower-case letter (not
	// "CNN "), not a possessive.
	if sp.open < 2 || text[sp.open-1] != ' ' {
		return false
	}
	s := sp.open - 1
	lower := false
	for s > 0 {
		r, n := utf8.DecodeLastRuneInString(text[:s])
		if !unicode.IsLetter(r) {
			break
		}
		lower = lower || unicode.IsLower(r)
		s -= n
	}
	first, _ := utf8.DecodeRuneInString(text[s:])
	if s == sp.open-1 || !unicode.IsUpper(first) || !lower {
		return false
	}
	// After: " Price", a capitalised word that is no day, month or the like.
	if sp.close+1 >= len(text) || text[sp.close] != ' ' {
		return false
	}
	e := sp.close + 1
	for e < len(text) {
		r, n := utf8.DecodeRuneInString(text[e:])
		if !unicode.IsLetter(r) {
			break
		}
		e += n
	}
	next, _ := utf8.DecodeRuneInString(text[sp.close+1:])
	if e == sp.close+1 || !unicode.IsUpper(next) {
		return false
	}
	var buf [32]byte
	return e-sp.close-1 > len(buf) || !speakerIsNonName(string(appendLower(buf[:0], text[sp.close+1:e])))
}

// nickEnd returns the token after the nickname whose opening mark is token
// k, when a capitalised word goes on with the name after it, or k.
func (c *quoteCtx) nickEnd(k, hi int) int {
	if !quoteIsMarkRune(quotePunct(c.text, c.toks[k])) {
		return k
	}
	for j := k + 1; j < hi && j <= k+4; j++ {
		t := c.toks[j]
		if t.word {
			if !t.cap || t.inq {
				return k
			}
			continue
		}
		if j > k+1 && quoteIsMarkRune(quotePunct(c.text, t)) && j+1 < hi && c.toks[j+1].word && c.toks[j+1].cap {
			return j + 1
		}
		return k
	}
	return k
}

// nickStart returns the first token of the nickname whose closing mark is
// token k-1, when a capitalised word stands before it, or k.
func (c *quoteCtx) nickStart(k, lo int) int {
	if k-1 < lo || !quoteIsMarkRune(quotePunct(c.text, c.toks[k-1])) {
		return k
	}
	for j := k - 2; j >= lo && j >= k-5; j-- {
		t := c.toks[j]
		if t.word {
			if !t.cap || t.inq {
				return k
			}
			continue
		}
		if j < k-2 && quoteIsMarkRune(quotePunct(c.text, t)) && j-1 >= lo && c.toks[j-1].word && c.toks[j-1].cap {
			return j
		}
		return k
	}
	return k
}
