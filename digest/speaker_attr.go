package digest

import (
	"strings"
	"unicode/utf8"
)

// cueAt reports whether token k starts a cue, and returns the token after
// it and the cue's text.
func (c *quoteCtx) cueAt(k, hi int) (int, string, bool) {
	if k < 0 || k >= hi || !c.toks[k].word || c.toks[k].inq {
		return 0, "", false
	}
	w := c.low(c.toks[k])
	if !speakerIsCue(c.lang, w) {
		return 0, "", false
	}
	end := k + 1
	if trail := speakerCueTrail(c.lang, w); trail != nil {
		ok := true
		for j, tw := range trail {
			if k+1+j >= hi || c.low(c.toks[k+1+j]) != tw {
				ok = false
				break
			}
		}
		if ok {
			end = k + 1 + len(trail)
		} else if speakerCueNeedsTrail(w) {
			return 0, "", false
		}
	}
	return end, strings.ToLower(c.text[c.toks[k].s:c.toks[end-1].e]), true
}

// isCueTok reports whether token k is a speech verb.
func (c *quoteCtx) isCueTok(k, hi int) bool {
	_, _, ok := c.cueAt(k, hi)
	return ok
}

// attribute finds the speaker of a quotation from its own sentence: an
// attribution after it ("…," Peskov said; "…," said Paul Martin), before
// it (Burton said, "…"; the spokesman noted that "…"), or "according to".
// It reports false when the sentence has none.
func (c *quoteCtx) attribute(sp quoteSpan, next *quoteSpan, si int) (quoteAttr, bool) {
	if !c.handled {
		return quoteAttr{npS: -1}, false
	}
	sc := c.sentenceAt(sp.close - 1)
	// After the quotation, up to the end of the sentence or the next quotation.
	p0, p1 := c.tokAt(sp.close), c.sentTok[sc+1]
	if next != nil {
		if n := c.tokAt(next.open); n < p1 {
			p1 = n
		}
	}
	// `"… when we hoped to get it." Boeing continues to lead …`: a
	// quotation that ends with a full stop has mostly ended its sentence,
	// and the words after it are the next one, glued on where the text
	// lost a paragraph break. Only a plain speech verb after it ("Omar
	// Haddad said this to the crowd") attributes it then.
	glued := p0 < p1 && c.toks[p0].word && c.toks[p0].cap && c.endsWithStop(sp)
	// Before it, back to the start of its sentence or the previous quotation.
	r1 := c.tokAt(sp.open)
	r0 := c.sentTok[si]
	for k := r1 - 1; k >= r0; k-- {
		if c.toks[k].inq {
			r0 = k + 1
			for r0 < r1 && !c.toks[r0].word {
				r0++ // the previous quotation's closing mark
			}
			break
		}
	}
	if r1-r0 > 0 {
		// Mid-sentence quotation: an attribution right after it still wins
		// (to find "those smallest areas …," Peskov said).
		if c.endsStatement(sp) {
			if a, ok := c.attributePost(p0, p1); ok {
				return a, true
			}
		}
		if a, ok := c.attributePre(r0, r1); ok {
			return a, true
		}
	}
	if a, ok := c.attributePost(p0, p1); ok && (!glued || speakerIsPlainCue(a.cue)) {
		return a, true
	}
	if a, ok := c.attributeLater(p0, p1); ok && (!glued || speakerIsPlainCue(a.cue)) {
		return a, true
	}
	return quoteAttr{npS: -1}, false
}

// endsStatement reports whether the quoted words end with the comma, or
// the question or exclamation mark, that precedes an attribution.
func (c *quoteCtx) endsStatement(sp quoteSpan) bool {
	content := strings.TrimRight(c.text[sp.cs:sp.ce], "'’”\" ")
	last, _ := utf8.DecodeLastRuneInString(content)
	if last == ',' || last == '!' || last == '?' || last == '—' || last == '–' || last == '…' {
		return true
	}
	// «…», — сказал он: the comma stands after the closing mark.
	rest := strings.TrimLeftFunc(c.text[sp.close:], sentIsSpace)
	return strings.HasPrefix(rest, ",")
}

// endsWithStop reports whether the quoted words end with a single full
// stop, not an ellipsis that trails off before an attribution.
func (c *quoteCtx) endsWithStop(sp quoteSpan) bool {
	content := strings.TrimRight(c.text[sp.cs:sp.ce], "'’”\" ")
	return strings.HasSuffix(content, ".") && !strings.HasSuffix(content, "..")
}

// isDash reports whether token k is a dash.
func (c *quoteCtx) isDash(k int) bool {
	switch quotePunct(c.text, c.toks[k]) {
	case '—', '–', '―', '-':
		return true
	}
	return false
}

// attributePost reads an attribution that follows a quotation: "Peskov
// said", "he noted", "said Paul Martin", "a-t-il déclaré", "— сказал он",
// "― Pamela Padilla".
func (c *quoteCtx) attributePost(p0, p1 int) (quoteAttr, bool) {
	k := p0
	dash := false
	for n := 0; k < p1 && n < 3 && !c.toks[k].word; n++ {
		switch quotePunct(c.text, c.toks[k]) {
		case ',', ':', ';':
			k++
			continue
		case '—', '–', '―', '-':
			dash = true
			k++
			continue
		}
		break
	}
	if k >= p1 || !c.toks[k].word {
		return quoteAttr{}, false
	}
	start := k
	// Inverted: the cue first ("said Paul Martin", "a déclaré Macron").
	j := c.skipRight(k, p1)
	if end, cue, ok := c.cueAt(j, p1); ok {
		if c.isParticiple(j) {
			return quoteAttr{}, false // "…," adding that …: the subject is elsewhere
		}
		if g := quoteFrenchInversion(c.low(c.toks[j])); g != 0 {
			return quoteAttr{npS: j, npE: j + 1, cue: cue}, true
		}
		if a, b := c.npRightLoose(end, p1); a >= 0 {
			// "der Sprecher des Ministeriums, Thomas Müller,", "Helixa's
			// chief executive, Ines Marlow": a name in apposition.
			return quoteAttr{npS: a, npE: c.appositiveName(a, b, p1), cue: cue}, true
		}
		if end < p1 && quoteFrenchInversion(c.low(c.toks[end])) != 0 { // "a-t-il déclaré"
			return quoteAttr{npS: end, npE: end + 1, cue: cue}, true
		}
		return quoteAttr{}, false
	}
	// "Peskov said", "the Kremlin spokesman noted", "Paul Martin, a detective, said",
	// "panel Chairman Rep. Jason Chaffetz said".
	a, b := c.npRightLoose(start, p1)
	if a < 0 {
		return quoteAttr{}, false
	}
	if _, b2 := c.npRight(a+c.looseSkip(a, p1), p1, true); b2 > b {
		b = b2
	}
	b = c.appositiveName(a, b, p1) // "Helixa's chief executive, Ines Marlow, said"
	j = c.skipParens(b, p1)
	// Appositives between commas: "Scott Pruitt, the attorney general of
	// Oklahoma, one of the states suing, said".
	for groups := 0; groups < 3 && j < p1 && quoteIsPunct(c.text, c.toks[j], ','); groups++ {
		if c.isCueTok(c.skipRight(j+1, p1), p1) {
			j++ // "Peskov, said" does not occur; a comma before the verb ends nothing
			break
		}
		m := j + 1
		for m < p1 && m < j+25 && !quoteIsPunct(c.text, c.toks[m], ',') {
			m++
		}
		if m >= p1 || !quoteIsPunct(c.text, c.toks[m], ',') {
			// "Michael Lamberty, a Lufthansa spokesman told the BBC": an
			// appositive whose closing comma is missing, then the verb.
			if j+1 < p1 && c.isBareName(a, b) && speakerIsArticle(c.low(c.toks[j+1])) {
				if a2, b2 := c.npRight(j+1, p1, false); a2 >= 0 {
					if _, cue, ok := c.cueAt(c.skipRight(b2, p1), p1); ok {
						return quoteAttr{npS: a, npE: b, cue: cue}, true
					}
				}
			}
			break
		}
		j = m
		if c.isCueTok(c.skipRight(j+1, p1), p1) {
			j++
			break
		}
	}
	j = c.skipRight(j, p1)
	if _, cue, ok := c.cueAt(j, p1); ok {
		return quoteAttr{npS: a, npE: b, cue: cue}, true
	}
	// "― Pamela Padilla": a dash and a name, nothing else.
	if dash && c.hasName(a, b) && (b >= p1 || c.endsHere(b, p1)) {
		return quoteAttr{npS: a, npE: b, cue: ""}, true
	}
	return quoteAttr{}, false
}

// isBareName reports whether the tokens [a,b) are a person's name and
// nothing else: a few capitalised words, "Michael Lamberty".
func (c *quoteCtx) isBareName(a, b int) bool {
	if b-a < 1 || b-a > 4 {
		return false
	}
	for k := a; k < b; k++ {
		t := c.toks[k]
		if !t.word || !t.cap || speakerIsNonName(c.low(t)) || speakerIsTitleWord(c.low(t)) {
			return false
		}
	}
	return true
}

// endsHere reports whether only punctuation remains from token k to hi.
func (c *quoteCtx) endsHere(k, hi int) bool {
	for ; k < hi; k++ {
		if c.toks[k].word {
			return false
		}
	}
	return true
}

// hasName reports whether tokens [a,b) hold a capitalised word.
func (c *quoteCtx) hasName(a, b int) bool {
	for k := a; k < b; k++ {
		if c.toks[k].cap && !speakerIsNonName(c.low(c.toks[k])) {
			return true
		}
	}
	return false
}

// skipParens steps over a parenthesis at token k: "(D-Wis.)".
func (c *quoteCtx) skipParens(k, hi int) int {
	if k >= hi || !quoteIsPunct(c.text, c.toks[k], '(') {
		return k
	}
	for j := k + 1; j < hi && j < k+15; j++ {
		if quoteIsPunct(c.text, c.toks[j], ')') {
			return j + 1
		}
	}
	return k
}

// skipRight skips auxiliaries and adverbs from token k.
func (c *quoteCtx) skipRight(k, hi int) int {
	for n := 0; k < hi && n < 3 && c.toks[k].word && speakerIsSkippable(c.low(c.toks[k])) &&
		!speakerIsCue(c.lang, c.low(c.toks[k])); n++ {
		k++
	}
	return k
}

// skipLeft steps left from token k over auxiliaries and adverbs.
func (c *quoteCtx) skipLeft(k, lo int) int {
	for n := 0; k >= lo && n < 3 && c.toks[k].word && speakerIsSkippable(c.low(c.toks[k])) &&
		!speakerIsCue(c.lang, c.low(c.toks[k])); n++ {
		k--
	}
	return k
}

// quoteFrenchInversion returns the gender of a French inverted subject
// pronoun glued to its verb ("a-t-il", "dit-elle"), or 0.
func quoteFrenchInversion(w string) byte {
	switch {
	case strings.HasSuffix(w, "-il"), strings.HasSuffix(w, "-ils"):
		return 'm'
	case strings.HasSuffix(w, "-elle"), strings.HasSuffix(w, "-elles"):
		return 'f'
	}
	return 0
}

// attributePre reads an attribution before a quotation in its sentence:
// "Burton said, "…"", "the Kremlin spokesman noted that "…"", "According
// to Peskov, … "…"". The cue nearest the quotation wins.
func (c *quoteCtx) attributePre(r0, r1 int) (quoteAttr, bool) {
	lo := r0
	if r1-lo > 40 {
		lo = r1 - 40
	}
	for k := r1 - 1; k >= lo; k-- {
		t := c.toks[k]
		if !t.word {
			continue
		}
		w := c.low(t)
		// "according to X", "selon X", "по словам X".
		if n := c.accordingAt(k, r1); n > 0 {
			if a, b := c.npRight(k+n, r1, false); a >= 0 {
				return quoteAttr{npS: a, npE: b, cue: strings.ToLower(c.text[t.s:c.toks[k+n-1].e])}, true
			}
			continue
		}
		end, cue, ok := c.cueAt(k, r1)
		if !ok {
			continue
		}
		if g := quoteFrenchInversion(w); g != 0 {
			return quoteAttr{npS: k, npE: k + 1, cue: cue}, true
		}
		if c.isParticiple(k) && k-1 >= r0 && c.toks[k-1].word {
			// "footage of Hillary Clinton asking, "…"": the phrase just before.
			if a, b := c.npLeft(k-1, r0); a >= 0 && !c.isObjectPronoun(a, b) {
				return quoteAttr{npS: a, npE: b, cue: cue}, true
			}
		}
		if !c.isParticiple(k) {
			if a, b := c.npLeft(c.skipLeft(k-1, r0), r0); a >= 0 {
				return quoteAttr{npS: a, npE: b, cue: cue}, true
			}
			// Inverted: "Said Trump: "…"", "как заявил Песков, «…»".
			if a, b := c.npRight(c.skipRight(end, r1), r1, false); a >= 0 && !c.isObjectPronoun(a, b) {
				return quoteAttr{npS: a, npE: b, cue: cue}, true
			}
		}
		// "she laughed and admitted "…"": the pronoun or name before the other verb.
		if j := c.skipLeft(k-1, r0); j >= r0 && c.toks[j].word && c.low(c.toks[j]) == "and" {
			for m := j - 1; m >= r0 && m > j-6 && c.toks[m].word; m-- {
				if a, b := c.npRight(m, j, false); a >= 0 && (speakerPronoun(c.low(c.toks[m])) != 0 || c.toks[m].cap) {
					if m == r0 || !c.toks[m-1].word || c.npBoundary(m-1, j) {
						return quoteAttr{npS: a, npE: b, cue: cue}, true
					}
				}
			}
		}
		// The subject of the whole clause: "Trump attacked Clinton, saying, "…"",
		// "I laughed and said, "…"".
		if a, b := c.clauseSubject(r0, k); a >= 0 {
			return quoteAttr{npS: a, npE: b, cue: cue}, true
		}
		return quoteAttr{}, false
	}
	return c.attributeColonClause(r0, r1)
}

// attributeColonClause attributes a quotation introduced by a colon with
// no speech verb: "Pew Research: "…"", "Perez lobbies for a higher wage:
// "…"", "the board was conclusive in its findings: "…"".
func (c *quoteCtx) attributeColonClause(r0, r1 int) (quoteAttr, bool) {
	k := r1 - 1
	if k < r0 || !quoteIsPunct(c.text, c.toks[k], ':') {
		return quoteAttr{}, false
	}
	if a, b := c.npLeft(k-1, r0); a >= 0 && c.hasName(a, b) {
		return quoteAttr{npS: a, npE: b}, true
	}
	if a, b := c.clauseSubject(r0, k); a >= 0 {
		return quoteAttr{npS: a, npE: b}, true
	}
	return quoteAttr{}, false
}

// isParticiple reports whether cue token k is a participle ("saying",
// "adding"), whose subject is the clause's, not the word before it.
func (c *quoteCtx) isParticiple(k int) bool {
	w := c.low(c.toks[k])
	switch c.lang {
	case "en", "":
		return strings.HasSuffix(w, "ing")
	case "ru", "uk":
		return strings.HasSuffix(w, "ив") || strings.HasSuffix(w, "ав") || strings.HasSuffix(w, "яв")
	}
	return false
}

// isObjectPronoun reports whether [a,b) is a lone pronoun that cannot be
// a subject standing after its verb in English ("scolded him").
func (c *quoteCtx) isObjectPronoun(a, b int) bool {
	if b-a != 1 || (c.lang != "en" && c.lang != "") {
		return false
	}
	switch c.low(c.toks[a]) {
	case "he", "she":
		return false
	}
	return speakerPronoun(c.low(c.toks[a])) != 0
}

// clauseSubject finds the subject of the clause that ends before token k
// in the sentence starting at r0: introductory phrases up to a comma are
// skipped ("During a speech earlier, Trump attacked …").
func (c *quoteCtx) clauseSubject(r0, k int) (int, int) {
	pos := r0
	for pos < k && !c.toks[pos].word {
		pos++ // a stray mark or a dash at the start
	}
	for guard := 0; guard < 4 && pos < k; guard++ {
		w := c.low(c.toks[pos])
		if !c.toks[pos].word || !speakerIsIntro(w) {
			break
		}
		j := pos + 1
		for j < k && !quoteIsPunct(c.text, c.toks[j], ',') {
			j++
		}
		if j >= k {
			return -1, -1
		}
		pos = j + 1
	}
	a, b := c.npRight(pos, k, true)
	if a < 0 || b >= k || c.isObjectPronoun(a, b) {
		return -1, -1
	}
	return a, b
}

// attributeLater finds an attribution later in the quotation's sentence,
// past other words: ""…" for criminal behavior, she said", ""…" was the
// message, according to Trump".
func (c *quoteCtx) attributeLater(p0, p1 int) (quoteAttr, bool) {
	for k := p0; k < p1 && k < p0+30; k++ {
		if n := c.accordingAt(k, p1); n > 0 {
			if a, b := c.npRight(k+n, p1, false); a >= 0 {
				return quoteAttr{npS: a, npE: b, cue: strings.ToLower(c.text[c.toks[k].s:c.toks[k+n-1].e])}, true
			}
		}
		if !quoteIsPunct(c.text, c.toks[k], ',') {
			continue
		}
		// ", said David Wasserman, an analyst" closing the sentence.
		if j := c.skipRight(k+1, p1); c.isCueTok(j, p1) && !c.isParticiple(j) {
			end, cue, _ := c.cueAt(j, p1)
			if a, b := c.npRightLoose(end, p1); a >= 0 && !c.isObjectPronoun(a, b) {
				return quoteAttr{npS: a, npE: c.appositiveName(a, b, p1), cue: cue}, true
			}
		}
		// ", she said" or ", Warren said" closing the sentence.
		a, b := c.npRight(k+1, p1, false)
		if a < 0 {
			continue
		}
		j := c.skipRight(b, p1)
		if _, cue, ok := c.cueAt(j, p1); ok {
			return quoteAttr{npS: a, npE: b, cue: cue}, true
		}
	}
	return quoteAttr{}, false
}

// attributeNext attributes a quotation that opens a paragraph and has no
// cue of its own to the speaker named at the start of the next sentence
// (""…" Trump said this on Monday.").
func (c *quoteCtx) attributeNext(sp quoteSpan) (quoteAttr, bool) {
	if !c.handled {
		return quoteAttr{npS: -1}, false
	}
	si := c.sentenceAt(sp.close - 1)
	if si+1 >= len(c.d.Sentences) {
		return quoteAttr{npS: -1}, false
	}
	lo, hi := c.sentTok[si+1], c.sentTok[si+2]
	if c.d.Sentences[si+1].Paragraph != sp.para {
		return quoteAttr{npS: -1}, false
	}
	if lo < hi && c.toks[lo].inq {
		return quoteAttr{npS: -1}, false
	}
	a, b := c.npRight(lo, hi, true)
	if a < 0 || a != lo {
		return quoteAttr{npS: -1}, false
	}
	// Only a plain verb of saying reaches back: "Boeing continues to lead
	// …" or "Organisers say …" open sentences of their own.
	if _, cue, ok := c.cueAt(c.skipRight(b, hi), hi); ok && speakerIsPlainCue(cue) {
		return quoteAttr{npS: a, npE: b, cue: cue}, true
	}
	// ""…?" Helixa's chief executive, Ines Marlow (Newport), asked.": a
	// role, the name in apposition, the verb after a comma.
	if b2 := c.appositiveName(a, b, hi); b2 > b {
		j := c.skipParens(b2, hi)
		if j < hi && quoteIsPunct(c.text, c.toks[j], ',') {
			j++
		}
		if _, cue, ok := c.cueAt(c.skipRight(j, hi), hi); ok && speakerIsPlainCue(cue) {
			return quoteAttr{npS: a, npE: b2, cue: cue}, true
		}
	}
	return quoteAttr{npS: -1}, false
}

// attributeSigned attributes a quotation whose paragraph is followed by a
// paragraph that only signs it: "- Hillary Clinton."
func (c *quoteCtx) attributeSigned(sp quoteSpan) (quoteAttr, bool) {
	if !c.handled || sp.para+1 >= len(c.d.Paragraphs) {
		return quoteAttr{npS: -1}, false
	}
	p := c.d.Paragraphs[sp.para+1]
	if p.Last-p.First != 1 || c.sentenceAt(sp.close-1)+1 != p.First {
		return quoteAttr{npS: -1}, false
	}
	lo, hi := c.sentTok[p.First], c.sentTok[p.First+1]
	if lo < hi && c.isDash(lo) {
		if a, b := c.npRight(lo+1, hi, false); a >= 0 && c.hasName(a, b) &&
			(c.endsHere(b, hi) || quoteIsPunct(c.text, c.toks[b], ',') && hi-b <= 8) {
			return quoteAttr{npS: a, npE: b}, true // "— Anna Berg, campaign manager"
		}
	}
	return quoteAttr{npS: -1}, false
}

// attributeColon attributes a quotation that opens a paragraph to the
// previous paragraph when that one ends with a colon ("Caddell continued:",
// "The New York Times reports:").
func (c *quoteCtx) attributeColon(sp quoteSpan) (quoteAttr, bool) {
	if !c.handled || sp.para == 0 {
		return quoteAttr{npS: -1}, false
	}
	p := c.d.Paragraphs[sp.para-1]
	if p.Last <= p.First || !strings.HasSuffix(c.text[p.Start:p.End], ":") {
		return quoteAttr{npS: -1}, false
	}
	si := p.Last - 1
	r0, r1 := c.sentTok[si], c.sentTok[si+1]
	if r1 > r0 && c.toks[r1-1].inq {
		return quoteAttr{npS: -1}, false // "Here they are:" inside a quotation several paragraphs long
	}
	for r1 > r0 && !c.toks[r1-1].word {
		r1--
	}
	for k := r1 - 1; k >= r0; k-- {
		if c.toks[k].inq {
			r0 = k + 1
			break
		}
	}
	if a, ok := c.attributePre(r0, r1); ok {
		return a, true
	}
	return quoteAttr{npS: -1}, false
}

// accordingAt returns how many tokens "according to" and its equivalents
// take at token k, or 0.
func (c *quoteCtx) accordingAt(k, hi int) int {
	var ws [3]string
	n := 0
	for j := k; j < hi && n < 3 && c.toks[j].word; j++ {
		ws[n] = c.low(c.toks[j])
		n++
	}
	return speakerAccording(c.lang, ws[:n])
}

// npStarter reports whether a word can begin a noun phrase naming a
// speaker: a determiner, a capitalised word, a number, a role noun.
func (c *quoteCtx) npStarter(k int) bool {
	t := c.toks[k]
	if !t.word {
		return false
	}
	w := c.low(t)
	if w == "that" || w == "this" || w == "these" || w == "those" {
		return false
	}
	if t.cap {
		return !speakerIsNonName(w) || w == "the" || w == "a" || w == "an" || speakerIsDeterminer(w)
	}
	if w[0] >= '0' && w[0] <= '9' {
		return true
	}
	return speakerIsDeterminer(w) || speakerIsRoleNoun(w)
}

// npBoundary reports whether a word ends a noun phrase: a function word
// that starts a clause, a speech verb, a time word.
func (c *quoteCtx) npBoundary(k, hi int) bool {
	t := c.toks[k]
	w := c.low(t)
	if c.isCueTok(k, hi) && !t.cap {
		return true
	}
	if c.lang != "en" && c.lang != "" && speakerIsAdjunct(w) {
		return true
	}
	switch w {
	case "that", "which", "who", "whom", "whose", "when", "while", "as", "because", "if", "but", "or", "to",
		"so", "than", "though", "although", "after", "before", "during", "since", "until", "on", "by",
		"has", "had", "have", "is", "was", "were", "are", "will", "would", "could", "can", "should", "did",
		"does", "do", "not", "also", "later", "then", "again", "again,", "yesterday", "today", "tonight",
		"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "last", "earlier",
		"что", "который", "которая", "когда", "dass", "der", "die", "qui", "que", "quien":
		return !(t.cap && (w == "der" || w == "die"))
	}
	return speakerPronoun(w) != 0
}

// npLeft finds the noun phrase naming a speaker that ends at token k
// (inclusive) and starts no earlier than lo: a pronoun, a name, a role
// ("the Kremlin spokesman", "a stunned Anna Ramirez", "the 34-year-old
// mother of three", "Rep. Gwen Moore (D-Wis.)"). It returns token bounds
// [a,b), or -1.
func (c *quoteCtx) npLeft(k, lo int) (int, int) {
	if k < lo || c.toks[k].inq {
		return -1, -1
	}
	if quoteIsPunct(c.text, c.toks[k], ')') {
		j := k - 1
		for j > lo && j > k-15 && !quoteIsPunct(c.text, c.toks[j], '(') {
			j--
		}
		if j > lo && quoteIsPunct(c.text, c.toks[j], '(') {
			if a, _ := c.npLeft(j-1, lo); a >= 0 {
				return a, k + 1
			}
		}
		return -1, -1
	}
	if quoteIsPunct(c.text, c.toks[k], ',') {
		j := k - 1
		for j > lo && j > k-25 && !quoteIsPunct(c.text, c.toks[j], ',') {
			j--
		}
		seg := j + 1
		if j < lo || !quoteIsPunct(c.text, c.toks[j], ',') {
			seg = lo
		}
		// "After winning Ohio, Gov. John Kasich (R-OH), said": the phrase
		// between the commas is the subject itself.
		if seg < k && !c.isParenthetical(seg, k) {
			if a, b := c.npLeft(k-1, seg); a == seg {
				return a, b
			}
		}
		// "Sanders, who lost the primaries, said", "McConnell, R-Ky., said":
		// the phrase before the parenthetical clause.
		if j > lo && quoteIsPunct(c.text, c.toks[j], ',') {
			return c.npLeft(j-1, lo)
		}
		return -1, -1
	}
	if !c.toks[k].word {
		return -1, -1
	}
	w := c.low(c.toks[k])
	if speakerPronoun(w) != 0 {
		return k, k + 1
	}
	if w == "who" || w == "which" {
		// "Jen Psaki, who called for …": the relative pronoun's antecedent.
		if k-1 >= lo && quoteIsPunct(c.text, c.toks[k-1], ',') {
			return c.npLeft(k-2, lo)
		}
		return -1, -1
	}
	if w == "and" {
		return -1, -1
	}
	// The longest run of words with no clause boundary, then its first
	// word that can start a noun phrase.
	a := k + 1
	for j := k; j >= lo && j > k-10; j-- {
		t := c.toks[j]
		if t.inq {
			break
		}
		if !t.word {
			if r := quotePunct(c.text, t); (r == '-' || r == '/') && j > lo && c.toks[j-1].word {
				continue // "9/11 widow", "Rep. Jim Clyburn, D-S.C."
			}
			break
		}
		w := c.low(t)
		if w == "and" || w == "&" {
			if j > lo && c.toks[j-1].cap && j+1 <= k && c.toks[j+1].cap {
				continue // "Burton and Nick"
			}
			break
		}
		if c.npBoundary(j, k+1) {
			break
		}
		a = j
	}
	for a <= k && !c.npStarter(a) {
		a++
	}
	if a > k {
		return -1, -1
	}
	return a, k + 1
}

// isParenthetical reports whether the tokens [a,b) between two commas
// are an aside to the noun phrase before them: a relative clause ("who
// lost the primaries"), an appositive ("a former aide"), a party and state
// label ("R-Ky.").
func (c *quoteCtx) isParenthetical(a, b int) bool {
	w := c.low(c.toks[a])
	switch w {
	case "who", "which", "whose", "whom", "a", "an", "the", "one", "himself", "herself", "itself", "its", "his",
		"her", "their", "now", "then", "also", "too", "however", "meanwhile", "though", "still":
		return true
	}
	if lbl := c.text[c.toks[a].s:c.toks[b-1].e]; c.toks[a].cap &&
		(b-a <= 3 && strings.Contains(lbl, "-") || b-a == 1 && strings.Contains(lbl, ".")) {
		return true // "R-Ky.", "D-N.Y.", "Calif.", but not "Laurence H. Tribe"
	}
	return !c.toks[a].cap && !c.npStarter(a)
}

// npRight finds the noun phrase naming a speaker that starts at token k and
// ends before hi: a pronoun, a name ("Paul Martin"), names joined by "and",
// a role ("the spokesman", "пресс-секретарь президента Дмитрий Песков").
// With pp it may hold prepositional phrases ("Mr. Morgan of the Sierra
// Club", "a narrator in the Clinton ad"), as a subject before its verb does.
func (c *quoteCtx) npRight(k, hi int, pp bool) (int, int) {
	if k >= hi || !c.toks[k].word || c.toks[k].inq {
		return -1, -1
	}
	w := c.low(c.toks[k])
	if speakerPronoun(w) != 0 {
		return k, k + 1
	}
	if !c.npStarter(k) {
		return -1, -1
	}
	j := k
	for ; j < hi && j < k+12; j++ {
		t := c.toks[j]
		if t.inq {
			break
		}
		if !t.word {
			if r := quotePunct(c.text, t); (r == '-' || r == '/') && j > k && j+1 < hi && c.toks[j+1].word {
				continue
			}
			if n := c.nickEnd(j, hi); n > j && j > k && c.toks[j-1].cap {
				j = n - 1 // Marcia "Cia" Price
				continue
			}
			break
		}
		w := c.low(t)
		if j > k && c.npBoundary(j, hi) {
			break
		}
		if j > k && (w == "and" || w == "&" || w == "и" || w == "und" || w == "et" || w == "y") {
			if c.toks[j-1].cap && j+1 < hi && c.toks[j+1].cap && c.toks[j+1].word {
				continue
			}
			if pp && j+1 < hi && c.toks[j+1].word && !c.npBoundary(j+1, hi) {
				continue // "the Vermont senator and Democratic presidential candidate"
			}
			break
		}
		if j > k && !pp {
			switch w {
			case "of", "from", "at", "in", "for", "with", "on", "about", "via":
				if w == "of" && c.toks[j-1].cap && j+1 < hi && c.toks[j+1].cap {
					continue // "Secretary of State"
				}
				return c.npTrim(k, j)
			}
		}
		if j > k && pp {
			switch w {
			case "about", "via", "on", "over", "after", "into", "against":
				return c.npTrim(k, j)
			}
		}
	}
	return c.npTrim(k, j)
}

// looseSkip counts the lower-case words at k that stand before a noun
// phrase's first proper word ("retired Army Lt. Gen. Mick Bednarek",
// "panel Chairman Rep. Jason Chaffetz"), at most three.
func (c *quoteCtx) looseSkip(k, hi int) int {
	n := 0
	for j := k; j < hi && n < 3 && c.toks[j].word && !c.toks[j].cap && !c.npStarter(j) && !c.npBoundary(j, hi); j++ {
		n++
	}
	if k+n < hi && c.npStarter(k+n) {
		return n
	}
	return 0
}

// npRightLoose is npRight allowing a few lower-case words before the phrase.
func (c *quoteCtx) npRightLoose(k, hi int) (int, int) {
	n := c.looseSkip(k, hi)
	a, b := c.npRight(k+n, hi, false)
	if a < 0 {
		return -1, -1
	}
	return k, b
}

// npTrim drops trailing words that cannot end a noun phrase (prepositions,
// determiners) from [a,b).
func (c *quoteCtx) npTrim(a, b int) (int, int) {
	for b > a {
		w := c.low(c.toks[b-1])
		switch w {
		case "of", "from", "at", "in", "for", "with", "the", "a", "an":
			b--
			continue
		}
		break
	}
	if b <= a {
		return -1, -1
	}
	return a, b
}
