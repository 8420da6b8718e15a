package digest

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Quote is one direct quotation in a document and who said it.
type Quote struct {
	// Text is the quoted words without the quotation marks; it is always
	// exactly Document.Text[Start:End].
	Text       string
	Start, End int // byte offsets into Document.Text

	// Speaker is the speaker's resolved name: "Dmitry Peskov" whether the
	// text said "Peskov", "he" or "the Kremlin spokesman". A speaker named
	// only by role ("the TV host") keeps the role; "" when unknown.
	Speaker string
	// SpeakerStart and SpeakerEnd are byte offsets of the mention the
	// attribution rests on ("he" in "he noted", or the mention a
	// continuation quote inherits); -1 when there is none.
	SpeakerStart, SpeakerEnd int

	Cue       string // the speech verb in lower case: "said", "stressed", "according to"; "" none
	Partial   bool   // a fragment inside the author's sentence, not a whole statement
	Continued bool   // no cue of its own: attributed to the previous quotation's speaker
	Sentence  int    // index of the sentence where the quotation opens
	Paragraph int
}

// Quotes finds the direct quotations of d in text order, with their
// speakers. It looks for the quotation marks of the document's language
// (straight and curly double quotes, « », „ “, » «, and single quotes where
// a text uses them as its main marks) and leaves out what only looks like a
// quotation: titles and names in quotation marks, scare-quoted words, and
// quotations nested inside another. Documents in languages it does not
// handle (see DetectLanguage) get their quotations found by marks but no
// speakers, rather than speakers guessed with the wrong grammar.
func Quotes(d *Document) []Quote {
	if d == nil || len(d.Sentences) == 0 {
		return nil
	}
	spans := quoteDropNicknames(d.Text, quoteFindSpans(d))
	if len(spans) == 0 {
		return nil
	}
	c := quoteNewCtx(d, spans)
	out := make([]Quote, 0, len(spans))
	var prev *quoteAttr // the last attributed quotation
	prevPara := -1
	for i, sp := range spans {
		q := Quote{
			Text: d.Text[sp.cs:sp.ce], Start: sp.cs, End: sp.ce,
			SpeakerStart: -1, SpeakerEnd: -1,
			Sentence: c.sentenceAt(sp.open), Paragraph: sp.para,
		}
		if c.isTitle(sp) || c.isAside(sp) || d.Sentences[q.Sentence].Kind != Prose {
			continue
		}
		q.Partial = c.isPartial(sp, q.Sentence)
		var next *quoteSpan
		if i+1 < len(spans) {
			next = &spans[i+1]
		}
		a, own := c.attribute(sp, next, q.Sentence)
		if q.Partial && (!own && c.isScare(sp) || c.isWordOrTwo(sp)) {
			continue
		}
		if !own && c.opensParagraph(sp) {
			a, own = c.attributeColon(sp)
			if !own {
				a, own = c.attributeSigned(sp)
			}
		}
		if !own && prev != nil && (sp.para == prevPara || (sp.para == prevPara+1 && c.opensParagraph(sp))) {
			a = *prev
			a.continued = true
			own = true
		}
		if !own && c.opensParagraph(sp) {
			a, own = c.attributeNext(sp)
		}
		if own {
			q.Cue = a.cue
			q.Continued = a.continued
			if a.npS >= 0 {
				q.SpeakerStart, q.SpeakerEnd = c.toks[a.npS].s, c.toks[a.npE-1].e
				if a.continued {
					q.Speaker = a.speaker
				} else {
					a.speaker = c.speakerName(a, sp.open)
					q.Speaker = a.speaker
				}
			}
			a2 := a
			prev = &a2
			prevPara = sp.para
		}
		out = append(out, q)
	}
	return out
}

// quoteCtx holds what attribution needs to know about a document: its
// tokens, the names mentioned in it and who has spoken so far.
type quoteCtx struct {
	d        *Document
	text     string
	lang     string
	handled  bool
	toks     []quoteTok
	lowed    string // the lower-case forms of words that differ from their text
	sentTok  []int  // sentTok[i] is the first token of sentence i; one more entry at the end
	spans    []quoteSpan
	ents     []quoteEntity
	entIndex map[string][]int // entityKey → entities, oldest first
	mentions []quoteMention   // person-name mentions outside quotations, in text order
	said     []quoteMention   // who spoke, at the mention each attribution rested on
}

func quoteNewCtx(d *Document, spans []quoteSpan) *quoteCtx {
	c := &quoteCtx{d: d, text: d.Text, lang: d.Language, spans: spans}
	c.handled = langHandled(d.Language) || d.Language == "" || d.Language == "uk"

	// News prose has about one token for every five bytes, rarely more
	// than one for every 4.6 (and then the slice grows).
	c.toks = make([]quoteTok, 0, len(d.Text)*11/50+16)
	c.sentTok = make([]int, 0, len(d.Sentences)+1)
	lowed := make([]byte, 0, len(d.Text)/4+16)
	for _, s := range d.Sentences {
		c.sentTok = append(c.sentTok, len(c.toks))
		c.toks, lowed = quoteTokenize(d.Text, s.Start, s.End, c.toks, lowed)
	}
	c.sentTok = append(c.sentTok, len(c.toks))
	c.lowed = string(lowed)
	// Flag the tokens inside quotations (marks included).
	si := 0
	for k := range c.toks {
		t := &c.toks[k]
		for si < len(spans) && spans[si].close <= t.s {
			si++
		}
		if si < len(spans) && t.s >= spans[si].open && t.s < spans[si].close {
			t.inq = t.s >= spans[si].cs && t.e <= spans[si].ce
		}
	}
	if c.handled {
		c.findNames()
	}
	return c
}

// sentenceAt returns the index of the sentence holding byte offset pos.
func (c *quoteCtx) sentenceAt(pos int) int {
	ss := c.d.Sentences
	i := sort.Search(len(ss), func(i int) bool { return ss[i].End > pos })
	if i >= len(ss) {
		return len(ss) - 1
	}
	return i
}

// tokAt returns the index of the first token starting at or after pos.
func (c *quoteCtx) tokAt(pos int) int {
	return sort.Search(len(c.toks), func(i int) bool { return c.toks[i].s >= pos })
}

// opensParagraph reports whether the quotation is the first thing in its paragraph.
func (c *quoteCtx) opensParagraph(sp quoteSpan) bool {
	return sp.open == c.d.Paragraphs[sp.para].Start
}

// isTitle reports whether the quotation names something rather than
// quoting someone: a few capitalised words with no sentence punctuation, as
// in a "Moscow. Kremlin. Putin" programme or "One Hundred Years of Solitude".
func (c *quoteCtx) isTitle(sp quoteSpan) bool {
	content := c.text[sp.cs:sp.ce]
	last, _ := utf8.DecodeLastRuneInString(content)
	named := c.namedBefore(sp.open)
	if named && structWords(content, 12) <= 12 && last != '!' && last != '?' {
		// "the documentary "13th,"", "his commentary, "Melania, tell your story,""
		return true
	}
	if last == ',' || last == '.' {
		// "on CBS's "Face the Nation,"": a name ends with the sentence's comma
		// only after a possessive or "on", "of".
		if !c.titleContext(sp.open) {
			return false
		}
		content = strings.TrimRight(content, ",.")
	} else if last == '!' || last == '?' || last == '…' || last == ':' || last == ';' {
		return false
	}
	words := 0
	for _, w := range strings.Fields(content) {
		w = strings.Trim(w, "()[]")
		if w == "" {
			continue
		}
		words++
		if words > 8 {
			return false
		}
		r, _ := utf8.DecodeRuneInString(w)
		if strings.ContainsAny(w, ",;!?") {
			return false
		}
		if unicode.IsUpper(r) || unicode.IsDigit(r) {
			continue
		}
		if !unicode.IsLetter(r) || words == 1 || !quoteIsTitleFunctionWord(strings.ToLower(w)) {
			return false
		}
	}
	return words > 0
}

func quoteIsTitleFunctionWord(w string) bool {
	switch w {
	case "of", "the", "a", "an", "and", "in", "on", "for", "to", "with", "at", "by", "from", "or", "de", "la", "le",
		"les", "des", "du", "el", "los", "las", "y", "und", "der", "die", "das", "von", "и", "в", "на", "не", "с":
		return true
	}
	return false
}

// isScare reports whether a quotation without a speech verb is a
// scare-quoted word or phrase: a few words with no sentence punctuation.
func (c *quoteCtx) isScare(sp quoteSpan) bool {
	content := c.text[sp.cs:sp.ce]
	return structWords(content, 4) <= 4
}

// isPartial reports whether the quotation is a fragment worked into the
// author's sentence rather than a statement of its own: it starts in lower
// case, or opens in mid-sentence after anything but a colon, a comma or a dash.
func (c *quoteCtx) isPartial(sp quoteSpan, si int) bool {
	first, _ := utf8.DecodeRuneInString(c.text[sp.cs:sp.ce])
	if unicode.IsLower(first) {
		return true
	}
	s := c.d.Sentences[si]
	if sp.open <= s.Start {
		return false
	}
	before := strings.TrimRightFunc(c.text[s.Start:sp.open], sentIsSpace)
	if before == "" {
		return false
	}
	last, _ := utf8.DecodeLastRuneInString(before)
	switch last {
	case ':', ',', '—', '–', '-', '(':
		return false
	}
	return true
}

// isAside reports whether the quoted words are only a parenthesis, like
// "(CROSSTALK.)" in a transcript.
func (c *quoteCtx) isAside(sp quoteSpan) bool {
	content := c.text[sp.cs:sp.ce]
	return strings.HasPrefix(content, "(") && strings.HasSuffix(strings.TrimRight(content, ".,"), ")") &&
		strings.Count(content, "(") == 1
}

// wordBefore returns the lower-case word just before byte offset pos in
// its sentence, and whether a comma stands between.
func (c *quoteCtx) wordBefore(pos int) (string, bool) {
	e := pos
	comma := false
	for e > 0 {
		r, n := utf8.DecodeLastRuneInString(c.text[:e])
		if r == ',' && !comma {
			comma = true
		} else if !sentIsSpace(r) {
			break
		}
		e -= n
	}
	s := e
	for s > 0 {
		r, n := utf8.DecodeLastRuneInString(c.text[:s])
		if !unicode.IsLetter(r) && r != '\'' && r != '’' {
			break
		}
		s -= n
	}
	return strings.ToLower(c.text[s:e]), comma
}

// namedBefore reports whether a quotation at pos follows a noun that names
// a work: "the documentary "13th"", "his commentary, "…"".
func (c *quoteCtx) namedBefore(pos int) bool {
	w, _ := c.wordBefore(pos)
	switch w {
	case "documentary", "film", "movie", "book", "novel", "song", "album", "show", "programme", "program",
		"series", "episode", "column", "commentary", "op-ed", "editorial", "essay", "headline", "titled",
		"entitled", "dubbed", "nicknamed", "nickname", "moniker", "catchphrase", "motto", "tagline", "podcast", "play", "musical", "poem", "slogan", "hashtag", "magazine",
		"newspaper", "channel", "broadcast", "segment", "article":
		return true
	}
	return false
}

// titleContext reports whether a quotation at pos follows a possessive or
// a preposition that introduces a named work ("on CNN's", "episode of").
func (c *quoteCtx) titleContext(pos int) bool {
	w, comma := c.wordBefore(pos)
	if comma {
		return false
	}
	if strings.HasSuffix(w, "'s") || strings.HasSuffix(w, "’s") {
		return true
	}
	switch w {
	case "of", "on", "in", "called", "named":
		return true
	}
	return false
}

// isWordOrTwo reports whether a fragment is one or two words with no
// sentence punctuation, "quack" or "budget reforms": a term the author
// borrows, not a statement, even with a speech verb nearby.
func (c *quoteCtx) isWordOrTwo(sp quoteSpan) bool {
	content := c.text[sp.cs:sp.ce]
	last, _ := utf8.DecodeLastRuneInString(content)
	return structWords(content, 3) <= 2 && !sentIsFinal(last)
}
