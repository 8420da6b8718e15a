package digest

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// sentSplitDocument fills d.Paragraphs and d.Sentences from d.Text.
func sentSplitDocument(d *Document) {
	text := d.Text
	// Rough capacity guesses keep appends from reallocating on ordinary articles.
	d.Paragraphs = make([]Paragraph, 0, 8+len(text)/400)
	d.Sentences = make([]Sentence, 0, 8+len(text)/100)
	dateline := false
	labels := 0 // short lines before the story, like "ABSTRACT." and "FULL TEXT."
	for _, p := range sentParagraphSpans(text) {
		pi := len(d.Paragraphs)
		first := len(d.Sentences)
		ps := p[0]
		if pi-labels < 3 && !dateline {
			if n := structDatelineLen(text[ps:p[1]]); n > 0 {
				dateline = true
				d.Sentences = append(d.Sentences, Sentence{Start: ps, End: ps + n, Paragraph: pi, Kind: Dateline})
				ps, _ = sentTrimSpace(text, ps+n, p[1])
			} else if structWords(text[ps:p[1]], 3) <= 2 {
				labels++
			}
		}
		d.Sentences = sentSplitSpan(text, ps, p[1], pi, d.Language, d.Sentences)
		d.Paragraphs = append(d.Paragraphs, Paragraph{Start: p[0], End: p[1], First: first, Last: len(d.Sentences)})
	}
}

// sentParagraphSpans returns [start,end) byte spans of paragraphs, trimmed of
// surrounding white space. A blank line always ends a paragraph; a single
// line break ends one too unless the line after it continues the line before
// it: the line before does not end like a sentence or a heading would and the
// line after starts in lower case, or the line before is long (hard-wrapped
// prose) and does not end a sentence.
func sentParagraphSpans(text string) [][2]int {
	var spans [][2]int
	start, end := -1, -1 // current paragraph, -1 none
	prevLineLen := 0
	for pos := 0; pos <= len(text); {
		nl := strings.IndexByte(text[pos:], '\n')
		lineEnd := len(text)
		next := len(text) + 1
		if nl >= 0 {
			lineEnd = pos + nl
			next = lineEnd + 1
		}
		ls, le := sentTrimSpace(text, pos, lineEnd)
		if ls == le { // blank line
			if start >= 0 {
				spans = append(spans, [2]int{start, end})
				start = -1
			}
		} else if start >= 0 && sentLineContinues(text[start:end], prevLineLen, text[ls:le]) {
			end = le
			prevLineLen = utf8.RuneCountInString(text[ls:le])
		} else {
			if start >= 0 {
				spans = append(spans, [2]int{start, end})
			}
			start, end = ls, le
			prevLineLen = utf8.RuneCountInString(text[ls:le])
		}
		pos = next
	}
	if start >= 0 {
		spans = append(spans, [2]int{start, end})
	}
	return spans
}

// sentLineContinues reports whether line continues the paragraph para
// (whose last line is prevLen runes long) rather than starting a new one.
func sentLineContinues(para string, prevLen int, line string) bool {
	last, _ := utf8.DecodeLastRuneInString(para)
	if sentIsFinal(last) || sentIsCloser(last) || last == ':' {
		return false
	}
	first, _ := utf8.DecodeRuneInString(line)
	if unicode.IsLower(first) {
		return true
	}
	// Hard-wrapped prose: a long line broken mid-sentence. Headings and
	// furniture are short, so they still stand alone.
	return prevLen >= 60 && !sentLooksLikeListItem(line)
}

func sentLooksLikeListItem(line string) bool {
	r, _ := utf8.DecodeRuneInString(line)
	return r == '-' || r == '*' || r == '•' || r == '–' || r == '—'
}

// sentTrimSpace narrows [s,e) to exclude leading and trailing white space.
func sentTrimSpace(text string, s, e int) (int, int) {
	for s < e {
		r, n := utf8.DecodeRuneInString(text[s:e])
		if !sentIsSpace(r) {
			break
		}
		s += n
	}
	for e > s {
		r, n := utf8.DecodeLastRuneInString(text[s:e])
		if !sentIsSpace(r) {
			break
		}
		e -= n
	}
	return s, e
}

func sentIsSpace(r rune) bool {
	if r < utf8.RuneSelf {
		return r == ' ' || uint32(r)-'\t' <= '\r'-'\t' // \t \n \v \f \r
	}
	return sentIsSpaceRune(r)
}

// sentIsSpaceRune is sentIsSpace for runes past ASCII.
func sentIsSpaceRune(r rune) bool {
	switch r {
	case 0xA0, 0x2007, 0x202F, 0x200B, 0xFEFF:
		return true
	}
	return unicode.IsSpace(r)
}

// asciiAlnum reports whether the ASCII byte c is a letter or a digit, as
// unicode.IsLetter and unicode.IsDigit say for runes below utf8.RuneSelf.
func asciiAlnum(c byte) bool {
	return c|0x20 >= 'a' && c|0x20 <= 'z' || c >= '0' && c <= '9'
}

// sentIsFinal reports whether r ends a sentence.
func sentIsFinal(r rune) bool {
	switch r {
	case '.', '!', '?', '…', '。', '！', '？', '‼', '⁇', '⁈', '⁉':
		return true
	}
	return false
}

// sentIsCloser reports whether r may close a quotation or parenthesis right
// after a sentence's final mark.
func sentIsCloser(r rune) bool {
	switch r {
	case '"', '\'', '”', '’', '»', '«', '“', '‘', ')', ']', '›', '‹', '」', '』':
		return true
	}
	return false
}

// sentIsOpener reports whether r may open a quotation or parenthesis at the
// start of a sentence.
func sentIsOpener(r rune) bool {
	switch r {
	case '"', '\'', '“', '‘', '„', '«', '»', '(', '[', '‹', '›', '「', '『', '¿', '¡', '‚':
		return true
	}
	return false
}

// sentSplitSpan appends the sentences of paragraph text[ps:pe] to out.
func sentSplitSpan(text string, ps, pe, para int, lang string, out []Sentence) []Sentence {
	start := ps
	i := ps
	for i < pe {
		if c := text[i]; c < utf8.RuneSelf && c != '.' && c != '!' && c != '?' {
			i++ // not a final mark
			continue
		}
		r, n := utf8.DecodeRuneInString(text[i:pe])
		if !sentIsFinal(r) {
			i += n
			continue
		}
		// A run of final marks: "?!", "...", "…".
		j := i + n
		for j < pe {
			r2, n2 := utf8.DecodeRuneInString(text[j:pe])
			if !sentIsFinal(r2) {
				break
			}
			j += n2
		}
		// Closing quotation marks and brackets belong to the sentence.
		closed := false
		for j < pe {
			r2, n2 := utf8.DecodeRuneInString(text[j:pe])
			if sentIsCloser(r2) {
				j += n2
				closed = true
				continue
			}
			// French: « Bonjour. » with a (narrow) no-break space inside.
			if (r2 == ' ' || r2 == 0xA0 || r2 == 0x202F) && j+n2 < pe {
				r3, n3 := utf8.DecodeRuneInString(text[j+n2 : pe])
				if r3 == '»' {
					j += n2 + n3
					closed = true
					continue
				}
			}
			break
		}
		if j >= pe {
			break
		}
		// A boundary needs white space after the marks ("3.5", "U.S.A", "example.com" are not).
		r2, _ := utf8.DecodeRuneInString(text[j:pe])
		if !sentIsSpace(r2) {
			i = j
			continue
		}
		k := j
		for k < pe {
			r3, n3 := utf8.DecodeRuneInString(text[k:pe])
			if !sentIsSpace(r3) {
				break
			}
			k += n3
		}
		if k >= pe {
			break
		}
		if sentIsBoundary(text, ps, i, j, k, pe, r, closed, lang) && !sentInShortQuote(text, start, i, pe) {
			out = append(out, Sentence{Start: start, End: j, Paragraph: para})
			start = k
		}
		i = k
	}
	if start < pe {
		out = append(out, Sentence{Start: start, End: pe, Paragraph: para})
	}
	return out
}

// sentIsBoundary decides whether the final mark at text[i] (mark run and
// closers ending at j, next word starting at k) ends a sentence.
func sentIsBoundary(text string, ps, i, j, k, pe int, mark rune, closed bool, lang string) bool {
	next, _ := utf8.DecodeRuneInString(text[k:pe])
	if unicode.IsLower(next) {
		return false // "… cats!" insists Burton; "e.g. this"; "… 3 p.m. on Monday"
	}
	switch next {
	case ',', ';', ':', ')', '-', '—', '―', '–', '.', '…': // also a spaced ellipsis ". . .
		return false // "… cats!" — says Burton; «Готовы?» — спросил он
	}
	if closed && sentTailIsAttribution(text, k, pe, lang) {
		return false // "Why isn't this clear?" Vitter demanded.
	}
	if mark != '.' || closed {
		return true
	}
	if i+1 < len(text) && text[i+1] == '.' {
		return true // an ellipsis "..." before a capital
	}
	// The word before the full stop decides abbreviations and initials.
	ws := i
	for ws > ps {
		r, n := utf8.DecodeLastRuneInString(text[ps:ws])
		if sentIsSpace(r) || sentIsOpener(r) || r == '/' || r == '—' || r == '–' {
			break
		}
		ws -= n
	}
	word := text[ws:i]
	if word == "" {
		return true
	}
	nextWord := sentWordAt(text, k, pe)
	return !sentIsAbbreviation(word, nextWord, lang)
}

// sentWordAt returns the run of letters and digits starting at k.
func sentWordAt(text string, k, pe int) string {
	e := k
	for e < pe {
		r, n := utf8.DecodeRuneInString(text[e:pe])
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			break
		}
		e += n
	}
	return text[k:e]
}

// sentIsAbbreviation reports whether word, written just before a full stop
// and followed by nextWord, is an abbreviation or an initial rather than the
// end of a sentence.
func sentIsAbbreviation(word, nextWord, lang string) bool {
	first, fn := utf8.DecodeRuneInString(word)
	// Initials: "John F. Kennedy", "В. Путин", "J.R.R.".
	if fn == len(word) && unicode.IsUpper(first) {
		return true
	}
	if strings.Contains(word, ".") {
		if strings.ContainsAny(word, "0123456789") {
			return false // "8.6%", "$4.9m", "2.0": a number ends the sentence
		}
		// "U.S.", "a.m.", "D.C.", "z.B.", "т.е.": an abbreviation unless the next
		// word is one that usually starts a sentence.
		return !sentIsCommonStarter(nextWord)
	}
	nextIsNum := nextWord != "" && nextWord[0] >= '0' && nextWord[0] <= '9'
	lw := strings.ToLower(word)
	switch lw {
	case "no", "nos", "nr", "art", "p", "pp", "vol", "fig", "ch", "sec", "para", "op", "n", "núm", "num", "n°":
		return nextIsNum
	}
	if sentIsMonthAbbr(lw) {
		return nextIsNum || !sentIsCommonStarter(nextWord)
	}
	if sentIsTitleAbbr(lw) {
		return true
	}
	if sentIsCompanyAbbr(lw) || lw == "del" { // "Del. Stacey Plaskett" (Delegate), but "…, Del. He said"
		return !sentIsCommonStarter(nextWord)
	}
	// "am 24. Januar", "le 1. mai" are rare outside German, but ordinal day
	// numbers before a month name never end a sentence.
	if len(word) <= 2 && word[0] >= '0' && word[0] <= '9' && sentIsMonthName(strings.ToLower(nextWord)) {
		return true
	}
	return false
}

func sentIsTitleAbbr(w string) bool {
	switch w {
	case "mr", "mrs", "ms", "mx", "dr", "prof", "sen", "rep", "reps", "gov", "gen", "col", "lt", "sgt",
		"capt", "cmdr", "adm", "maj", "rev", "fr", "st", "mt", "ft", "jr", "sr", "sra", "srta", "dña", "hon",
		"pres", "supt", "insp", "det", "cpl", "pvt", "brig", "lieut", "messrs", "mme", "mlle", "mgr",
		"vs", "v", "cf", "approx", "dept", "est", "ave", "blvd", "rd", "hwy", "univ", "assn",
		"e.g", "i.e", "al", "ca", "bzw", "vgl", "ggf", "evtl", "inkl", "zzgl", "sog", "str", "hr", "fr.in",
		"г", "гг", "ул", "д", "им", "тыс", "млн", "млрд", "руб", "см", "др", "пр", "проф", "акад", "кв", "обл",
		"sgto", "avda", "dra", "lic", "ing", "arq", "pág", "etc.)":
		return true
	}
	return false
}

func sentIsCompanyAbbr(w string) bool {
	switch w {
	case "inc", "corp", "co", "ltd", "llc", "plc", "bros", "cos", "gmbh", "ag", "sa", "nv", "bv":
		return true
	}
	return false
}

func sentIsMonthAbbr(w string) bool {
	switch w {
	case "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
		"janv", "févr", "avr", "juil", "déc", "ene", "dic", "dez", "okt", "янв", "февр", "апр", "авг", "сент", "окт", "нояб", "дек":
		return true
	}
	return false
}

func sentIsMonthName(w string) bool {
	switch w {
	case "januar", "jänner", "februar", "märz", "april", "mai", "juni", "juli", "august", "september",
		"oktober", "november", "dezember",
		"january", "february", "march", "may", "june", "july", "october", "december":
		return true
	}
	return false
}

// sentIsCommonStarter reports whether w is a word that usually begins a
// sentence, so that "… in the U.S. The" ends one.
func sentIsCommonStarter(w string) bool {
	switch w {
	case "The", "He", "She", "It", "They", "We", "I", "You", "This", "That", "These", "Those", "There",
		"But", "And", "In", "On", "At", "A", "An", "His", "Her", "Its", "Their", "Our", "My", "If", "When",
		"While", "After", "Before", "As", "Some", "Many", "Most", "Other", "Officials", "However", "Still",
		"Yet", "So", "Now", "Then", "What", "Who", "Why", "How", "Where", "Asked", "According", "Last",
		"Earlier", "Meanwhile", "Also", "Both", "For", "From", "With", "Under", "Since", "Although",
		"Der", "Die", "Das", "Er", "Sie", "Es", "Wir", "Ich", "Le", "La", "Les", "Il", "Elle", "Ils", "Nous",
		"El", "Los", "Las", "Él", "Ella", "Он", "Она", "Они", "Мы", "Это", "В", "На", "По":
		return true
	}
	return false
}

// sentInShortQuote reports whether the final mark at i sits inside a short
// quotation opened in the middle of the sentence that began at start and
// closed soon after, as in a programme called "Moscow. Kremlin. Putin":
// such a quotation is a name, and its full stops end nothing.
func sentInShortQuote(text string, start, i, pe int) bool {
	const reach = 80
	lo := i - reach
	if lo < start {
		lo = start
	}
	open := -1
	for k := i; k > lo; {
		r, n := utf8.DecodeLastRuneInString(text[lo:k])
		k -= n
		if r == '"' || r == '“' || r == '„' || r == '«' || r == '”' || r == '»' {
			if r == '”' || r == '»' && (k == 0 || !sentIsSpace(rune(text[k-1]))) {
				return false // the last mark before i closes a quotation
			}
			open = k
			break
		}
	}
	if open <= start {
		return false // no quotation, or one that opens the sentence: a real statement
	}
	if r, _ := utf8.DecodeLastRuneInString(text[start:open]); !sentIsSpace(r) {
		return false
	}
	hi := i + reach
	if hi > pe {
		hi = pe
	}
	words := 1
	for k := i; k < hi; {
		r, n := utf8.DecodeRuneInString(text[k:hi])
		switch {
		case r == '"' || r == '”' || r == '“' || r == '»' || r == '«':
			if k > 0 && sentIsSpace(rune(text[k-1])) {
				return false // an opening mark: the quotation did not close
			}
			// Closed soon, followed by more of the same sentence.
			prev, _ := utf8.DecodeLastRuneInString(text[:k])
			if sentIsFinal(prev) || prev == ',' {
				return false
			}
			return words+structWords(text[open:i], 8) <= 8
		case sentIsSpace(r):
			words++
		}
		k += n
	}
	return false
}

// sentTailIsAttribution reports whether the words from k are a short
// attribution that belongs to the quotation before them: a few words
// naming a speaker, then a speech verb ("Vitter demanded.", "Rep. Jane Doe
// (D-Wis.) said Friday."), with no sentence end before the verb.
func sentTailIsAttribution(text string, k, pe int, lang string) bool {
	words := 0
	for i := k; i < pe && words < 12; {
		for i < pe && sentIsSpace(rune(text[i])) {
			i++
		}
		j := i
		for j < pe && !sentIsSpace(rune(text[j])) {
			j++
		}
		if i >= j {
			break
		}
		raw := text[i:j]
		if strings.ContainsAny(raw, "\"“”«»„") {
			return false // another quotation, not a tail
		}
		w := strings.TrimRight(raw, ",.;:!?)")
		w = strings.TrimLeft(w, "(")
		if words > 0 && speakerIsCue(lang, strings.ToLower(w)) {
			// A tail ends its sentence; a verb that introduces a new
			// quotation ("Il a ajouté : « Merci. »") does not.
			switch raw[len(raw)-1] {
			case '.', '!', '?':
				return true // "Clinton said." ends the sentence
			case ':':
				return false
			}
			rest := strings.TrimLeft(text[j:pe], " ,")
			for _, intro := range [...]string{":", "\"", "«", "“", "„"} {
				if strings.HasPrefix(rest, intro) {
					return false
				}
			}
			return true
		}
		if last := raw[len(raw)-1]; (last == '.' || last == '!' || last == '?') && !quoteKeepsDot(strings.TrimSuffix(w, ".")) &&
			!strings.Contains(w, ".") {
			return false
		}
		words++
		i = j
	}
	return false
}
