package digest

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// A summary sentence must tell the reader something on its own. Some
// sentences of a news report cannot: a quotation with nobody named
// ("A library should be open when people need it most."), the middle or
// the end of a quotation several sentences long, a quotation that only
// "he said" attributes, and a question. The summariser takes them only
// when no other candidate is left (see sumLeaning).

// sumQuoteState is what a sentence does with the quotation marks of its
// paragraph.
type sumQuoteState struct {
	inside  int  // words inside quotation marks
	outside int  // words outside them
	startIn bool // starts inside a quotation
	endIn   bool // ends inside one
	pronoun bool // outside the quotation only a pronoun and a verb or two: `"…," he said.`
	glued   bool // opens with a quotation that ends with its own full stop, then goes on: `"… get it." Boeing continues …`
}

// sumLeaning tells, for a candidate, whether it cannot stand alone and so
// is for a summary only a last resort: it is a quotation and nothing
// else, so nobody is named; it starts inside a quotation, so it opens
// mid-statement and closes a mark it never opened (`The model does not
// work here," Clinton said.`); its quotation is attributed to a bare
// pronoun ("…," he said); it is a quotation of its own with the next
// sentence glued on, as the splitter leaves a quotation that ends with a
// full stop and a speech verb follows (`"… get it." Boeing continues to
// lead …`); or it asks a question. Such a sentence stands
// all the same right after the sentence before it in its paragraph, which
// names the speaker or opens the quotation (see follows). A sentence that
// opens a quotation the next sentence goes on with is taken: it says who
// speaks, and only its closing mark is missing. It reads a candidate only
// when asked, since a summary looks at a few of them.
type sumLeaning struct {
	d     *Document
	cands []int
	memo  []int8 // 0 not read yet, 1 leans, 2 stands alone
}

func newSumLeaning(d *Document, cands []int) *sumLeaning {
	return &sumLeaning{d: d, cands: cands, memo: make([]int8, len(cands))}
}

// poor reports whether candidate c leans.
func (l *sumLeaning) poor(c int) bool {
	if l.memo[c] == 0 {
		si := l.cands[c]
		s := l.d.Sentences[si]
		// A paragraph starts outside any quotation.
		open := si > 0 && l.d.Sentences[si-1].Paragraph == s.Paragraph && sumEndsOpen(l.d, si-1)
		text := l.d.Text[s.Start:s.End]
		st, _ := sumScanQuotes(text, open)
		l.memo[c] = 2
		if st.inside > 0 && st.outside == 0 || st.startIn || st.pronoun || st.glued || sumIsQuestion(text) {
			l.memo[c] = 1
		}
	}
	return l.memo[c] == 1
}

// follows reports whether candidate c, if it leans, leans on the
// candidate before it: the sentence just before it in its paragraph,
// which names the speaker or opens the quotation. A question leans on
// nothing a summary can give it.
func (l *sumLeaning) follows(c int) bool {
	if c == 0 || l.cands[c-1] != l.cands[c]-1 {
		return false
	}
	s := l.d.Sentences[l.cands[c]]
	if l.d.Sentences[l.cands[c-1]].Paragraph != s.Paragraph {
		return false
	}
	return !sumIsQuestion(l.d.Text[s.Start:s.End])
}

// sumEndsOpen reports whether sentence si ends inside a quotation, reading
// its paragraph from the start.
func sumEndsOpen(d *Document, si int) bool {
	pi := d.Sentences[si].Paragraph
	if pi < 0 || pi >= len(d.Paragraphs) {
		return false
	}
	p := d.Paragraphs[pi]
	open := false
	for k := p.First; k <= si; k++ {
		s := d.Sentences[k]
		_, open = sumScanQuotes(d.Text[s.Start:s.End], open)
	}
	return open
}

// sumScanQuotes reads the quotation marks of sentence s, which starts
// inside a quotation when open is true, and returns what it found and
// whether the sentence ends inside one. Double marks of every kind count
// (straight, curly, low, guillemets, and the doubled backquotes and
// apostrophes that tokenized text writes for them); single marks are too
// often apostrophes to go by.
func sumScanQuotes(s string, open bool) (sumQuoteState, bool) {
	if !open && !sumHasQuoteMark(s) {
		return sumQuoteState{outside: 1}, false // most sentences: no quotation at all
	}
	st := sumQuoteState{startIn: open}
	prev := rune(' ')
	inWord := false
	// The first words outside the quotation, for the pronoun test.
	var out [2]string
	nOut := 0
	wordStart := 0
	glueAt := -1 // where the words after a leading quotation that ended with a full stop begin
	for i := 0; i < len(s); {
		r, n := rune(s[i]), 1
		if r >= utf8.RuneSelf {
			r, n = utf8.DecodeRuneInString(s[i:])
		}
		letter := r < utf8.RuneSelf && asciiAlnum(byte(r)) || r >= utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r)) ||
			inWord && (r == '\'' || r == '’') && i+n < len(s) && asciiAlnum(s[i+n])
		if letter {
			if !inWord {
				inWord = true
				wordStart = i
				if open {
					st.inside++
				} else {
					st.outside++
				}
			}
			prev = r
			i += n
			continue
		}
		if inWord {
			inWord = false
			if !open && nOut < len(out) {
				out[nOut] = s[wordStart:i]
			}
			if !open {
				nOut++
			}
		}
		mark := 0 // 1 opens, -1 closes, 2 either
		switch r {
		case '“', '„', '«':
			mark = 1
		case '”', '»':
			mark = -1
		case '"':
			mark = 2
		case '`':
			if i+1 < len(s) && s[i+1] == '`' {
				mark, n = 1, 2
			}
		case '\'':
			if i+1 < len(s) && s[i+1] == '\'' {
				mark, n = -1, 2
			}
		}
		if mark == 2 {
			// A straight mark opens before a word and after a space,
			// closes after a word; only where it could do either does the
			// state decide.
			next := rune(' ')
			if i+1 < len(s) {
				next, _ = utf8.DecodeRuneInString(s[i+1:])
			}
			opens := quoteLeftOpen(prev, false) && !sentIsSpace(next)
			closes := !quoteLeftOpen(prev, false) && (sentIsSpace(next) || unicode.IsPunct(next))
			switch {
			case opens && !closes:
				mark = 1
			case closes && !opens:
				mark = -1
			case open:
				mark = -1
			default:
				mark = 1
			}
		}
		switch mark {
		case 1:
			open = true
		case -1:
			if !open {
				// A closing mark with no opening one: the sentence began
				// inside a quotation.
				st.startIn = true
				st.inside += st.outside
				st.outside, nOut = 0, 0
			} else if !st.startIn && st.outside == 0 && glueAt < 0 && prev == '.' && (i < 2 || s[i-2] != '.') {
				glueAt = i + n
			}
			open = false
		}
		prev = r
		i += n
	}
	if inWord && !open {
		if nOut < len(out) {
			out[nOut] = s[wordStart:]
		}
		nOut++
	}
	st.endIn = open
	if st.inside > 0 && nOut > 0 && nOut <= 6 {
		st.pronoun = sumOnlyPronoun(out[:min(nOut, len(out))])
	}
	if glueAt >= 0 && st.outside > 0 {
		st.glued = !sumSaysNext(s[glueAt:])
	}
	return st, open
}

// sumSaysNext reports whether a plain verb of saying comes within the
// first words of s: `Omar Haddad said this to the crowd` attributes the
// quotation before it, `Boeing continues to lead` does not.
func sumSaysNext(s string) bool {
	for i, w := range strings.Fields(s) {
		if i == 6 {
			break
		}
		if speakerIsPlainCue(strings.ToLower(strings.TrimRight(w, ",.;:"))) {
			return true
		}
	}
	return false
}

// sumHasQuoteMark reports whether s holds a double quotation mark of any
// kind that sumScanQuotes reads, looking at bytes only: “ ” „ are E2 80
// 9C to 9E in UTF-8, « » are C2 AB and C2 BB.
func sumHasQuoteMark(s string) bool {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '"', '`':
			return true
		case '\'':
			if i+1 < len(s) && s[i+1] == '\'' {
				return true
			}
		case 0xE2:
			if i+2 < len(s) && s[i+1] == 0x80 && s[i+2] >= 0x9C && s[i+2] <= 0x9E {
				return true
			}
		case 0xC2:
			if i+1 < len(s) && (s[i+1] == 0xAB || s[i+1] == 0xBB) {
				return true
			}
		}
	}
	return false
}

// sumOnlyPronoun reports whether the few words outside a quotation
// attribute it to a pronoun alone: "he said", "she told the BBC", "but he
// added". The pronoun is their first or second word; a name standing
// there instead makes it a real attribution.
func sumOnlyPronoun(words []string) bool {
	for i, w := range words {
		if i > 1 {
			break
		}
		switch w {
		case "he", "she", "they", "He", "She", "They":
			return true
		}
	}
	return false
}

// sumIsQuestion reports whether s asks a question: it ends with a question
// mark, before any closing marks.
func sumIsQuestion(s string) bool {
	for len(s) > 0 {
		r, n := utf8.DecodeLastRuneInString(s)
		if sentIsCloser(r) || sentIsSpace(r) {
			s = s[:len(s)-n]
			continue
		}
		return r == '?'
	}
	return false
}
