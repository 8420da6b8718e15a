package digest

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// KeyQuoteChoice is a quotation picked to stand for an article in a digest.
type KeyQuoteChoice struct {
	Quote Quote
	// Text is what to show: the quotation verbatim, or shortened by cutting
	// whole sentences, each cut marked with "…". Every other character of it
	// is Document.Text[p[0]:p[1]] for the Pieces p, in order.
	Text   string
	Pieces [][2]int // byte spans into Document.Text that Text is made of
	Score  float64
}

// keyQuoteMaxWords is the length past which a key quote is shortened, when
// it can be by cutting whole sentences from its end.
const keyQuoteMaxWords = 45

// KeyQuotes ranks the quotations qs of d (as Quotes returns them) for a
// digest and returns at most n, best first. It prefers whole statements to
// fragments, the story's main speakers to passing ones, and informative
// statements to phatic ones; a quotation with no known speaker, a fragment
// or one that leans on the sentence before it ("But it cannot…") is a last
// resort or left out. Long quotations are shortened by dropping whole
// sentences from the end, marked "…"; a word is never changed.
func KeyQuotes(d *Document, qs []Quote, n int) []KeyQuoteChoice {
	if n <= 0 || len(qs) == 0 {
		return nil
	}
	// How much each speaker says: the story's main speakers say the most.
	words := make(map[string]int)
	total := 0
	lengths := make([]int, len(qs))
	for i, q := range qs {
		lengths[i] = structWords(q.Text, 1<<30)
		if q.Speaker != "" {
			words[q.Speaker] += lengths[i]
			total += lengths[i]
		}
	}
	topic := keyQuoteTopic(d)
	type scored struct {
		q     int // index into qs
		score float64
	}
	ranked := make([]scored, 0, len(qs))
	for i, q := range qs {
		s := keyQuoteScore(d, q, lengths[i], i, len(qs), words, total, topic)
		if s > 0 && lengths[i] > keyQuoteMaxWords && keyQuoteShownWords(d, q) > keyQuoteMaxWords+15 {
			s *= 0.3 // no sentence end to cut it at: a wall of words
		}
		if s > 0 {
			ranked = append(ranked, scored{i, s})
		}
	}
	if len(ranked) == 0 {
		return nil
	}
	sort.SliceStable(ranked, func(i, j int) bool { return ranked[i].score > ranked[j].score })
	if len(ranked) > n {
		ranked = ranked[:n]
	}
	// Only the quotations chosen are cut to length.
	out := make([]KeyQuoteChoice, len(ranked))
	for i, r := range ranked {
		q := qs[r.q]
		pieces := keyQuotePieces(d, q)
		out[i] = KeyQuoteChoice{Quote: q, Text: keyQuoteText(d.Text, pieces, q.End), Pieces: pieces, Score: r.score}
	}
	return out
}

// keyQuoteScore rates one quotation; 0 leaves it out.
func keyQuoteScore(d *Document, q Quote, n, idx, count int, words map[string]int, total int, topic map[string]bool) float64 {
	if n < 6 {
		return 0
	}
	if q.Partial && n < 12 {
		return 0 // a fragment of someone else's sentence
	}
	if r, _ := utf8.DecodeRuneInString(q.Text); q.Partial && unicode.IsLower(r) {
		return 0 // "never before has he been so outspoken": reads as a fragment however long
	}
	if q.Sentence < len(d.Sentences) && d.Sentences[q.Sentence].Kind != Prose {
		return 0
	}
	// Length: whole statements of a sentence or two read best.
	var s float64
	switch {
	case n < 10:
		s = 0.5
	case n < 15:
		s = 0.8
	case n <= 45:
		s = 1
	case n <= 80:
		s = 0.8
	default:
		s = 0.5
	}
	if q.Partial {
		s *= 0.2
	}
	// Who said it: a person named beats one described ("a spokesman", "the
	// letter"), who beats nobody.
	switch {
	case q.Speaker == "":
		s *= 0.25
	case total > 0:
		s *= 0.6 + 0.6*float64(words[q.Speaker])/float64(total)
	}
	if r, _ := utf8.DecodeRuneInString(q.Speaker); unicode.IsLower(r) {
		s *= 0.6
	}
	// A statement that leans on what came before, or opens with a hedge.
	var buf [32]byte
	first := string(keyQuoteFirstWords(buf[:0], q.Text))
	if keyQuoteLeans(first) {
		s *= 0.5
	} else if keyQuoteHedges(first) {
		s *= 0.7
	}
	if strings.HasSuffix(strings.TrimRight(q.Text, ",\"”’»"), "?") {
		s *= 0.6
	}
	// Informative: shares words with the headline and the lede.
	if len(topic) > 0 {
		hits := 0
		keyQuoteWords(q.Text, func(w []byte) bool {
			if topic[string(w)] {
				hits++
			}
			return hits < 3 // more hits count no more
		})
		s *= 1 + 0.4*min(float64(hits)/3, 1)
	}
	// Earlier quotations carry the story; later ones add colour.
	s *= 1 - 0.15*float64(idx)/float64(max(count, 1))
	return s
}

// keyQuoteFirstWords appends to dst the first two words of a quotation
// (as strings.Fields splits it), joined by a space and in lower case.
func keyQuoteFirstWords(dst []byte, text string) []byte {
	s1, e1 := keyQuoteField(text, 0)
	if s1 == e1 {
		return dst
	}
	s2, e2 := keyQuoteField(text, e1)
	dst = appendLower(dst, text[s1:e1])
	if s2 < e2 {
		dst = append(dst, ' ')
		dst = appendLower(dst, text[s2:e2])
	}
	return dst
}

// keyQuoteField returns the span of the first white-space separated field
// of s at or after i; start == end when there is none.
func keyQuoteField(s string, i int) (start, end int) {
	space := func(i int) (bool, int) {
		if c := s[i]; c < utf8.RuneSelf {
			return c == ' ' || c-'\t' <= '\r'-'\t', 1
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		return unicode.IsSpace(r), n
	}
	for i < len(s) {
		sp, n := space(i)
		if !sp {
			break
		}
		i += n
	}
	start = i
	for i < len(s) {
		sp, n := space(i)
		if sp {
			break
		}
		i += n
	}
	return start, i
}

// keyQuoteLeans reports whether a quotation starts by leaning on what came
// before it, so that alone it reads as a fragment.
func keyQuoteLeans(first string) bool {
	w, _, _ := strings.Cut(first, " ")
	w = strings.TrimRight(w, ",;:")
	switch w {
	case "but", "and", "or", "so", "because", "that's", "that’s", "this", "that", "these", "those", "it's",
		"it’s", "also", "then", "which", "he", "she", "they", "it", "aber", "und", "mais", "et", "pero", "и",
		"но", "а", "это":
		return true
	}
	return false
}

// keyQuoteHedges reports whether a quotation opens with a hedge or filler.
func keyQuoteHedges(first string) bool {
	w, _, _ := strings.Cut(first, " ")
	w = strings.TrimRight(w, ",;:")
	switch w {
	case "certainly", "well", "look", "yes", "no", "oh", "frankly", "honestly", "basically", "obviously", "sure",
		"okay", "ok":
		return w != "no" // "No, these are the red lines" is a statement
	}
	switch first {
	case "the thing", "i think", "i mean", "you know", "of course", "i guess", "thank you", "i don't", "we'll see":
		return true
	}
	return false
}

// keyQuoteTopic returns the content words of the title and the first prose
// sentence.
func keyQuoteTopic(d *Document) map[string]bool {
	topic := make(map[string]bool)
	add := func(s string) {
		keyQuoteWords(s, func(w []byte) bool {
			if !topic[string(w)] {
				topic[string(w)] = true
			}
			return true
		})
	}
	add(d.Title)
	for i, s := range d.Sentences {
		if s.Kind == Prose {
			add(d.SentenceText(i))
			break
		}
	}
	return topic
}

// keyQuoteWords calls f with each lower-case word of s that is long enough
// to carry meaning, until f returns false. The word f gets is valid only
// during the call.
func keyQuoteWords(s string, f func(w []byte) bool) {
	var buf [32]byte
	start := -1
	more := true
	emit := func(end int) {
		if w := s[start:end]; utf8.RuneCountInString(w) >= 4 {
			more = f(appendLower(buf[:0], w))
		}
		start = -1
	}
	for i := 0; i < len(s); {
		var word bool
		n := 1
		if c := s[i]; c < utf8.RuneSelf {
			word = asciiAlnum(c)
		} else {
			var r rune
			r, n = utf8.DecodeRuneInString(s[i:])
			word = unicode.IsLetter(r) || unicode.IsDigit(r)
		}
		if word {
			if start < 0 {
				start = i
			}
		} else if start >= 0 {
			if emit(i); !more {
				return
			}
		}
		i += n
	}
	if start >= 0 {
		emit(len(s))
	}
}

// keyQuotePieces returns the spans a key quote shows: the whole quotation,
// or, when it is long, its first sentences up to keyQuoteMaxWords. A
// trailing comma, the one before "he said", is left off.
func keyQuotePieces(d *Document, q Quote) [][2]int {
	end := q.End
	if structWords(q.Text, keyQuoteMaxWords) > keyQuoteMaxWords {
		// Sentence ends inside the quotation, from the document's sentences.
		best := -1
		for i := q.Sentence; i < len(d.Sentences); i++ {
			s := d.Sentences[i]
			if s.End >= q.End || s.Start > q.End {
				break
			}
			if s.End <= q.Start {
				continue
			}
			if structWords(d.Text[q.Start:s.End], keyQuoteMaxWords) <= keyQuoteMaxWords {
				best = s.End
			}
		}
		if best > q.Start {
			end = best
		}
	}
	// Only a dangling comma goes; everything else is verbatim.
	e := end
	for e > q.Start {
		r, n := utf8.DecodeLastRuneInString(d.Text[q.Start:e])
		if r != ',' && r != ';' && !sentIsSpace(r) {
			break
		}
		e -= n
	}
	if e <= q.Start {
		e = end
	}
	return [][2]int{{q.Start, e}}
}

// keyQuoteShownWords counts the words a key quote of q would show once
// shortened.
func keyQuoteShownWords(d *Document, q Quote) int {
	n := 0
	for _, p := range keyQuotePieces(d, q) {
		n += structWords(d.Text[p[0]:p[1]], 1<<30)
	}
	return n
}

// keyQuoteText joins the pieces, marking each cut with "…", including a
// cut at the end when words of the quotation ending at end were dropped.
func keyQuoteText(text string, pieces [][2]int, end int) string {
	if len(pieces) == 1 && !keyQuoteCutAfter(text, pieces[0][1], end) {
		// The quotation as it stands, in a copy of its own: a digest that
		// keeps it does not keep the whole article.
		return strings.Clone(text[pieces[0][0]:pieces[0][1]])
	}
	var b strings.Builder
	last := 0
	for i, p := range pieces {
		if i > 0 {
			b.WriteString(" … ")
		}
		b.WriteString(text[p[0]:p[1]])
		last = p[1]
	}
	if keyQuoteCutAfter(text, last, end) && !strings.HasSuffix(text[:last], "...") && !strings.HasSuffix(text[:last], "…") {
		b.WriteString(" …") // unless the quotation already trails off there
	}
	return b.String()
}

// keyQuoteCutAfter reports whether words of the quotation ending at end
// were dropped after last.
func keyQuoteCutAfter(text string, last, end int) bool {
	return last < end && strings.IndexFunc(text[last:end], func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) >= 0
}
