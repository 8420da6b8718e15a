package bot

import (
	"strings"
	"unicode"
)

// quoteSet keeps a story's key quotes distinct. Outlets quote the same words
// at different lengths ("For forty years the east side has been cut off"
// and the same sentence followed by "That ends today."), and a summary may
// already carry a quote verbatim: showing either twice wastes the reader's
// two quote lines, so a quote is a repeat when its words are contained in
// one already shown, contain one, or appear in the summary, or when it
// shares a run of quoteOverlapWords words with any of them (the summary
// carries its first sentence, or two outlets cut it at different ends).
type quoteSet struct {
	summary string
	shown   []string
}

// quoteOverlapWords is the shortest run of words two quotes share that
// makes one a repeat of the other: long enough that no two people say it
// by chance.
const quoteOverlapWords = 8

func newQuoteSet(summary string) *quoteSet {
	return &quoteSet{summary: quoteWords(summary)}
}

// add reports whether text is new, and if so remembers it.
func (s *quoteSet) add(text string) bool {
	w := quoteWords(text)
	if w == "" || strings.Contains(s.summary, w) || quoteOverlap(s.summary, w) {
		return false
	}
	for _, o := range s.shown {
		if strings.Contains(o, w) || strings.Contains(w, o) || quoteOverlap(o, w) {
			return false
		}
	}
	s.shown = append(s.shown, w)
	return true
}

// quoteOverlap reports whether the padded word strings a and b (as
// quoteWords makes them) share a run of quoteOverlapWords words.
func quoteOverlap(a, b string) bool {
	words := strings.Fields(b)
	for i := 0; i+quoteOverlapWords <= len(words); i++ {
		if strings.Contains(a, " "+strings.Join(words[i:i+quoteOverlapWords], " ")+" ") {
			return true
		}
	}
	return false
}

// quoteWords is text lower-cased with punctuation dropped and spaces
// collapsed, padded with spaces so that containment matches whole words.
func quoteWords(text string) string {
	var b strings.Builder
	b.WriteByte(' ')
	space := true
	for _, r := range text {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(unicode.ToLower(r))
			space = false
		case unicode.IsSpace(r) || unicode.IsPunct(r) && r != '\'' && r != '’':
			if !space {
				b.WriteByte(' ')
				space = true
			}
		}
	}
	if !space {
		b.WriteByte(' ')
	}
	if strings.TrimSpace(b.String()) == "" {
		return ""
	}
	return b.String()
}
