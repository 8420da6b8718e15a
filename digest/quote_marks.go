package digest

import (
	"unicode"
	"unicode/utf8"
)

// quoteSpan is a quotation found by its marks: the opening mark starts at
// open, the quoted words are Text[cs:ce] (marks and surrounding spaces
// excluded) and the closing mark ends at close. A quotation that runs to the
// end of its paragraph because the next paragraph continues it has no closing
// mark: close == ce then.
type quoteSpan struct {
	open, cs, ce, close int
	para                int
}

// quoteMarkFamily says which closing marks answer an opening mark.
type quoteMarkFamily byte

const (
	quoteFamNone           quoteMarkFamily = iota
	quoteFamStraight                       // "…"
	quoteFamCurly                          // “…” (also “…" and “…“ in careless text)
	quoteFamLow                            // „…“ or „…”
	quoteFamGuil                           // «…»
	quoteFamGuilRev                        // »…« (German, Danish)
	quoteFamRightRight                     // ”…” (Swedish, Finnish)
	quoteFamSingleCurly                    // ‘…’ where single quotes are a text's main marks
	quoteFamSingleStraight                 // '…' likewise
)

// quoteFindSpans pairs quotation marks paragraph by paragraph. Quotations
// do not cross paragraphs, except that one left open at the end of a
// paragraph that began with it continues when the next paragraph opens with
// the same mark (the convention for quotations several paragraphs long).
// Marks nested inside a quotation belong to it.
func quoteFindSpans(d *Document) []quoteSpan {
	text := d.Text
	singles := quoteSinglesAreMain(text)
	var out []quoteSpan
	for pi, p := range d.Paragraphs {
		out = quoteSpansIn(text, p.Start, p.End, pi, singles, d.Paragraphs, out)
	}
	return out
}

// quoteSinglesAreMain reports whether text uses single quotation marks as
// its main marks: it has no double marks at all, yet has single marks
// opening words.
func quoteSinglesAreMain(text string) bool {
	opens := 0
	for i := 0; i < len(text); {
		if c := text[i]; c < utf8.RuneSelf && c != '"' && c != '\'' {
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(text[i:])
		switch r {
		case '"', '“', '”', '«', '»', '„':
			return false
		case '‘', '\'':
			prev, _ := utf8.DecodeLastRuneInString(text[:i])
			next, _ := utf8.DecodeRuneInString(text[i+n:])
			if quoteLeftOpen(prev, i == 0) && unicode.IsLetter(next) {
				opens++
			}
		}
		i += n
	}
	return opens > 0
}

// quoteLeftOpen reports whether a mark after prev stands where a quotation
// may open: at the start, after space, an opening bracket, a dash or a colon.
func quoteLeftOpen(prev rune, atStart bool) bool {
	if atStart {
		return true
	}
	switch prev {
	case '(', '[', '{', '—', '–', '-', ':', '/', '…':
		return true
	}
	return sentIsSpace(prev)
}

// quoteRightClose reports whether a mark before next stands where a
// quotation may close: at the end, before space or punctuation.
func quoteRightClose(next rune, atEnd bool) bool {
	if atEnd {
		return true
	}
	if sentIsSpace(next) {
		return true
	}
	switch next {
	case '.', ',', ';', ':', '!', '?', ')', ']', '}', '—', '–', '-', '…', '"', '\'', '’', '”', '»', '«', '“', '/':
		return true
	}
	return false
}

// quoteOpener returns the family a mark opens at this place, or none.
func quoteOpener(r, prev, next rune, atStart, atEnd, singles bool) quoteMarkFamily {
	left := quoteLeftOpen(prev, atStart)
	if atEnd || sentIsSpace(next) && r != '«' && r != '»' {
		return quoteFamNone // nothing follows: a closing mark gone astray
	}
	switch r {
	case '"':
		if !left && (unicode.IsLetter(prev) || unicode.IsDigit(prev) || unicode.IsPunct(prev)) && quoteRightClose(next, atEnd) {
			return quoteFamNone
		}
		if !left && (unicode.IsLetter(prev) || unicode.IsDigit(prev)) {
			return quoteFamNone // 5'11" or a word"glued
		}
		return quoteFamStraight
	case '“':
		return quoteFamCurly
	case '„':
		return quoteFamLow
	case '«':
		return quoteFamGuil
	case '»':
		if left && !sentIsSpace(next) {
			return quoteFamGuilRev
		}
	case '”':
		if left && unicode.IsLetter(next) {
			return quoteFamRightRight
		}
	case '‘':
		if singles && left {
			return quoteFamSingleCurly
		}
	case '\'':
		if singles && left && unicode.IsLetter(next) {
			return quoteFamSingleStraight
		}
	}
	return quoteFamNone
}

// quoteCloses reports whether r closes a quotation of family f here.
func quoteCloses(f quoteMarkFamily, r, prev, next rune, atEnd bool) bool {
	switch f {
	case quoteFamStraight:
		return r == '"' || r == '”'
	case quoteFamCurly:
		if r == '”' || r == '"' {
			return true
		}
		// A “ standing where a quotation closes, as in „…“ misused.
		return r == '“' && !sentIsSpace(prev) && quoteRightClose(next, atEnd)
	case quoteFamLow:
		return r == '“' || r == '”' || r == '"'
	case quoteFamGuil:
		return r == '»'
	case quoteFamGuilRev:
		return r == '«'
	case quoteFamRightRight:
		return r == '”' && quoteRightClose(next, atEnd)
	case quoteFamSingleCurly:
		return r == '’' && quoteRightClose(next, atEnd) && !sentIsSpace(prev)
	case quoteFamSingleStraight:
		return r == '\'' && quoteRightClose(next, atEnd) && !sentIsSpace(prev)
	}
	return false
}

// quoteNests reports whether r opens a quotation nested in one of family f
// (same marks again), so the next closing mark is the inner one's.
func quoteNests(f quoteMarkFamily, r, prev, next rune, atStart bool) bool {
	switch f {
	case quoteFamCurly, quoteFamStraight:
		return r == '“' && quoteLeftOpen(prev, atStart) && !sentIsSpace(next)
	case quoteFamGuil:
		return r == '«'
	case quoteFamLow:
		return r == '„'
	}
	return false
}

// quoteSpansIn appends the quotations of the paragraph text[ps:pe].
func quoteSpansIn(text string, ps, pe, pi int, singles bool, paras []Paragraph, out []quoteSpan) []quoteSpan {
	from := ps
	for retry := 0; ; retry++ {
		var stray int
		out, stray = quoteScan(text, ps, from, pe, pi, singles, paras, out)
		if stray < 0 || retry == 3 {
			return out
		}
		// A mark left open that nothing continues was a stray: pair the
		// marks after it again without it.
		from = stray
	}
}

// quoteScan pairs marks in text[from:pe] of the paragraph starting at ps.
// It returns the position just after an opening mark left unclosed at the
// end of the paragraph, or -1.
func quoteScan(text string, ps, from, pe, pi int, singles bool, paras []Paragraph, out []quoteSpan) ([]quoteSpan, int) {
	open := -1
	var fam quoteMarkFamily
	depth := 0
	openLen := 0
	prev := rune(-1)
	if from > ps {
		prev, _ = utf8.DecodeLastRuneInString(text[ps:from])
	}
	for i := from; i < pe; {
		if c := text[i]; c < utf8.RuneSelf && c != '"' && c != '\'' {
			prev = rune(c) // no quotation mark
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(text[i:pe])
		if !quoteIsMarkRune(r) {
			prev = r
			i += n
			continue
		}
		next := rune(-1)
		if i+n < pe {
			next, _ = utf8.DecodeRuneInString(text[i+n : pe])
		}
		atStart, atEnd := i == ps, i+n >= pe
		if open < 0 {
			if f := quoteOpener(r, prev, next, atStart, atEnd, singles); f != quoteFamNone {
				open, fam, depth, openLen = i, f, 0, n
			}
		} else if depth > 0 && quoteClosesNested(fam, r) {
			depth--
		} else if quoteNests(fam, r, prev, next, atStart) {
			depth++
		} else if quoteCloses(fam, r, prev, next, atEnd) {
			cs, ce := sentTrimSpace(text, open+openLen, i)
			if cs < ce {
				out = append(out, quoteSpan{open: open, cs: cs, ce: ce, close: i + n, para: pi})
			}
			open = -1
		}
		prev = r
		i += n
	}
	if open < 0 {
		return out, -1
	}
	if pi+1 < len(paras) {
		// Left open at the end of the paragraph: it continues if the next
		// paragraph opens with a mark of the same family.
		np := paras[pi+1]
		if np.Start < np.End {
			r, _ := utf8.DecodeRuneInString(text[np.Start:np.End])
			if quoteIsMarkRune(r) && quoteOpener(r, -1, 'a', true, false, singles) == fam {
				cs, ce := sentTrimSpace(text, open+openLen, pe)
				if cs < ce {
					out = append(out, quoteSpan{open: open, cs: cs, ce: ce, close: ce, para: pi})
				}
				return out, -1
			}
		}
	}
	return out, open + openLen
}

func quoteClosesNested(f quoteMarkFamily, r rune) bool {
	switch f {
	case quoteFamCurly, quoteFamStraight:
		return r == '”'
	case quoteFamGuil:
		return r == '»'
	case quoteFamLow:
		return r == '“'
	}
	return false
}

func quoteIsMarkRune(r rune) bool {
	switch r {
	case '"', '“', '”', '„', '«', '»', '‘', '’', '\'':
		return true
	}
	return false
}
