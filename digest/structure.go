package digest

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// structClassify sets the Kind of every sentence: prose, or one of the kinds
// of furniture around a story that a summary or quote must never show.
func structClassify(d *Document) {
	for pi, p := range d.Paragraphs {
		n := p.Last - p.First
		if n == 0 {
			continue
		}
		if n == 1 && d.Sentences[p.First].Kind == Prose {
			s := &d.Sentences[p.First]
			if k, ok := structLoneKind(d.Text[s.Start:s.End], pi); ok {
				s.Kind = k
				continue
			}
		}
		for si := p.First; si < p.Last; si++ {
			s := &d.Sentences[si]
			if s.Kind == Prose && structIsBoilerplate(d.Text[s.Start:s.End]) {
				s.Kind = Boilerplate
			}
		}
	}
}

// structLoneKind classifies a paragraph that is a single sentence.
func structLoneKind(s string, para int) (SentenceKind, bool) {
	switch {
	case structIsBoilerplate(s):
		return Boilerplate, true
	case structIsCredit(s):
		return Credit, true
	case structIsByline(s):
		return Byline, true
	case structIsSubheading(s):
		return Subheading, true
	}
	return Prose, false
}

// structWords counts white-space separated words in s, stopping at max+1.
func structWords(s string, max int) int {
	n := 0
	in := false
	for i := 0; i < len(s); {
		var space bool
		if c := s[i]; c < utf8.RuneSelf {
			space = c == ' ' || c-'\t' <= '\r'-'\t'
			i++
		} else {
			r, size := utf8.DecodeRuneInString(s[i:])
			space = sentIsSpace(r)
			i += size
		}
		if space {
			in = false
		} else if !in {
			in = true
			n++
			if n > max {
				return n
			}
		}
	}
	return n
}

// structIsSubheading: a short line without final punctuation, alone in its
// paragraph, that starts like a heading.
func structIsSubheading(s string) bool {
	if len(s) > 120 {
		return false
	}
	last, _ := utf8.DecodeLastRuneInString(s)
	if sentIsFinal(last) || sentIsCloser(last) || last == ',' || last == ';' || last == ':' || last == '-' {
		return false
	}
	first, _ := utf8.DecodeRuneInString(s)
	if !unicode.IsUpper(first) && !unicode.IsDigit(first) && !unicode.Is(unicode.Han, first) {
		return false
	}
	// A line of prose that lost its full stop still reads as a sentence when
	// it is long; headings rarely have commas inside.
	return strings.Count(s, ",") <= 1 && structWords(s, 14) <= 14
}

// structIsByline: "By Jane Smith", "By Jane Smith and John Doe, BBC News",
// "Reporting by …; Editing by …".
func structIsByline(s string) bool {
	for _, p := range [...]string{"By ", "BY ", "Written by ", "Reporting by ", "Additional reporting by ",
		"Von ", "Par ", "Por ", "Автор: ", "Text: ", "Words by "} {
		if strings.HasPrefix(s, p) {
			rest := s[len(p):]
			r, _ := utf8.DecodeRuneInString(rest)
			return unicode.IsUpper(r) && structWords(s, 16) <= 16 && structBylineNames(rest)
		}
	}
	return false
}

// structBylineNames reports whether the words after "By" up to the first
// comma, dash or bar read as names: capitalised words and "and", not a day
// or a month ("By Thursday it had …", "By March the firm had …") and not
// a clause ("By Monday night they were …").
func structBylineNames(rest string) bool {
	if i := strings.IndexAny(rest, ",|—–("); i >= 0 {
		rest = rest[:i]
	}
	for i, w := range strings.Fields(rest) {
		if i == 0 && (sentIsMonthName(strings.ToLower(w)) || speakerIsNonName(strings.ToLower(w))) {
			return false
		}
		switch w {
		case "and", "&", "de", "van", "von", "der", "da", "di", "le", "la", "in", "for":
			continue
		}
		r, _ := utf8.DecodeRuneInString(w)
		if !unicode.IsUpper(r) {
			return false
		}
	}
	return true
}

// structIsCredit: photo and image credits and captions' credit lines.
func structIsCredit(s string) bool {
	// The cheap tests first; the word count last.
	if len(s) <= 300 && structCreditText(s) && structWords(s, 20) <= 20 {
		return true
	}
	// A caption is a credit however long it runs.
	for _, p := range [...]string{"Image copyright", "Image caption", "Media caption", "Image source", "Getty Images"} {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

// structCreditText reports whether s reads like a credit, whatever its length.
func structCreditText(s string) bool {
	t := strings.TrimLeft(s, "([ ")
	for _, p := range [...]string{"Photo:", "Photo by", "Photo credit", "Photos:", "Photograph:", "Photograph by",
		"Image:", "Image copyright", "Image caption", "Image source", "Images:", "Picture:", "Pictures:", "Credit:",
		"Source:", "AP Photo", "Getty Images", "Reuters/", "AFP/", "EPA/", "Foto:", "Bild:", "Фото:", "Фото ",
		"Crédit photo", "Crédits photo", "Photo :", "Foto de", "Video:", "Illustration:", "Illustration by", "File photo",
		"FILE PHOTO", "FILE -"} {
		if strings.HasPrefix(t, p) {
			return true
		}
	}
	if strings.HasPrefix(s, "(") && strings.HasSuffix(s, ")") {
		inner := s[1 : len(s)-1]
		for _, w := range [...]string{"Getty", "Photo", "Images", "Reuters", "AFP", "AP", "EPA", "Shutterstock", "Image"} {
			if strings.Contains(inner, w) {
				return true
			}
		}
	}
	return false
}

// structIsBoilerplate: "Read more", share buttons, sign-up prompts.
func structIsBoilerplate(s string) bool {
	t := structTrimMarks(s)
	// The prefixes are short: lower-case only the start of the sentence,
	// in a buffer on the stack when it is ASCII.
	head := t
	if len(head) > 30 {
		cut := 30
		for cut > 0 && !utf8.RuneStart(head[cut]) {
			cut--
		}
		head = head[:cut]
	}
	var buf [30]byte
	lower := head
	if !quoteIsASCIILower(head) {
		ascii := true
		for i := 0; i < len(head); i++ {
			c := head[i]
			if c >= utf8.RuneSelf {
				ascii = false
				break
			}
			if c >= 'A' && c <= 'Z' {
				c += 'a' - 'A'
			}
			buf[i] = c
		}
		if ascii {
			lower = string(buf[:len(head)])
		} else {
			lower = strings.ToLower(head)
		}
	}
	return structBoilerplateRest(s, t, lower)
}

// structTrimMarks is strings.TrimLeft(s, "[(*>•- \"“„«'‘"), without
// building a set of the marks on every call.
func structTrimMarks(s string) string {
	for len(s) > 0 {
		switch c := s[0]; c {
		case '[', '(', '*', '>', '-', ' ', '"', '\'':
			s = s[1:]
			continue
		}
		if s[0] < utf8.RuneSelf {
			return s
		}
		switch r, n := utf8.DecodeRuneInString(s); r {
		case '•', '“', '„', '«', '‘':
			s = s[n:]
		default:
			return s
		}
	}
	return s
}

// structBoilerplateRest is structIsBoilerplate past the cheap checks: s is
// the sentence, t the sentence without leading marks, lower its start.
func structBoilerplateRest(s, t, lower string) bool {
	for _, p := range [...]string{"read more", "read also", "see also", "related:", "related articles", "related stories",
		"related coverage", "more:", "watch:", "watch the video", "listen:", "share this", "share on", "share:",
		"share via", "click here", "sign up", "subscribe", "follow us", "follow @", "advertisement", "copy link",
		"email this", "tweet this", "print this", "comments", "leave a comment", "next article", "previous article",
		"recommended", "you may also like", "most read", "trending:", "this article was", "all rights reserved",
		"©", "copyright ©", "loading", "skip advertisement", "continue reading", "story continues",
		"читайте также", "читать также", "подробнее", "смотрите также", "поделиться", "подписывайтесь",
		"lesen sie auch", "mehr zum thema", "auch interessant", "teilen", "anzeige", "lire aussi", "à lire aussi",
		"a lire aussi", "voir aussi", "partager", "lea también", "leer más", "te puede interesar", "compartir",
		"publicidad"} {
		// Comparing the first byte first turns most tries into one compare.
		if lower != "" && lower[0] == p[0] && strings.HasPrefix(lower, p) {
			return structWords(s, 25) <= 25
		}
	}
	if lower != "" && (lower[0] == 's' || lower[0] == 'w' || lower[0] == 'c') && structWords(s, 25) <= 25 &&
		(strings.HasPrefix(lower, "scroll down for") || strings.HasPrefix(lower, "watch the full") ||
			strings.HasPrefix(lower, "click to ")) {
		return true
	}
	if strings.HasPrefix(lower, "follow ") && structWords(s, 25) <= 25 {
		all := strings.ToLower(t)
		if strings.Contains(all, "twitter") || strings.Contains(all, "facebook") || strings.Contains(all, "instagram") ||
			strings.Contains(all, "@") {
			return true
		}
	}
	// An embedded social media post: "… pic.twitter.com/P2qpm3 — Apple
	// Music (@AppleMusic) September 27, 2016".
	if strings.IndexByte(s, '/') >= 0 && (strings.Contains(s, "pic.twitter.com/") || strings.Contains(s, "https://t.co/")) {
		return true
	}
	// A row of share buttons: "Facebook Twitter Email".
	if structWords(s, 6) <= 6 {
		n := 0
		for _, w := range strings.Fields(strings.ToLower(t)) {
			switch strings.Trim(w, "|·•,") {
			case "facebook", "twitter", "x", "email", "whatsapp", "linkedin", "pinterest", "reddit", "telegram",
				"print", "share", "messenger", "vk", "":
				n++
			default:
				return false
			}
		}
		return n >= 2
	}
	return false
}

// structDatelineLen returns the byte length of a dateline at the start of a
// paragraph ("MOSCOW, January 24. /TASS/.", "WASHINGTON (Reuters) -",
// "SAN FRANCISCO, Calif. —", "МОСКВА, 24 января. /ТАСС/."), 0 when none.
func structDatelineLen(p string) int {
	const window = 80
	if len(p) > 0 && p[0] == '(' { // "(Reuters) - …", "(CNN)Two …"
		if n := structAgencyDash(p); n > 0 {
			return n
		}
		return structAgencyGlued(p)
	}
	// The place: upper-case words, at least three letters.
	i, letters := 0, 0
	for i < len(p) && i < window {
		r, n := utf8.DecodeRuneInString(p[i:])
		if unicode.IsLetter(r) {
			if !unicode.IsUpper(r) {
				break
			}
			letters++
		} else if r != ' ' && r != '.' && r != '-' && r != '\'' && r != '’' || r == '-' && i > 0 && p[i-1] == ' ' {
			break // a spaced hyphen is a dash, "WASHINGTON - A visa …", not "WINSTON-SALEM"
		}
		i += n
	}
	if letters < 3 {
		return 0
	}
	// Back off a trailing upper-case word run that is really the start of a
	// sentence in capitals; require the place be followed by ",", "(", "/" or a dash.
	for i > 0 && p[i-1] == ' ' {
		i--
	}
	rest := p[i:]
	if strings.HasPrefix(rest, " (") || strings.HasPrefix(rest, "(") {
		if n := structAgencyDash(strings.TrimLeft(rest, " ")); n > 0 {
			return i + (len(rest) - len(strings.TrimLeft(rest, " "))) + n
		}
		return 0
	}
	if n := structDash(rest); n > 0 {
		return i + n
	}
	if !strings.HasPrefix(rest, ",") {
		return 0
	}
	// ", January 24. /TASS/." or ", Calif. —" or ", Jan 5 (Reuters) -".
	lim := len(p)
	if lim > i+window {
		lim = i + window
	}
	j := i + 1
	words := 0
	for j < lim {
		r, n := utf8.DecodeRuneInString(p[j:])
		switch {
		case r == '/':
			e := strings.IndexByte(p[j+1:lim], '/')
			if e <= 0 {
				return 0
			}
			agency := p[j+1 : j+1+e]
			if !structIsAgencyName(agency) {
				return 0
			}
			k := j + 1 + e + 1
			if k < len(p) && p[k] == '.' {
				k++
			}
			return k
		case r == '(':
			if n := structAgencyDash(p[j:]); n > 0 {
				return j + n
			}
			return 0
		case r == '—' || r == '–' || (r == '-' && j > 0 && p[j-1] == ' '):
			if n := structDash(p[j-1:]); n > 0 && p[j-1] == ' ' {
				return j - 1 + n
			}
			return 0
		case r == ' ':
			if j+1 < lim && p[j+1] != ' ' {
				words++
				if words > 5 {
					return 0
				}
			}
		case unicode.IsLetter(r) || unicode.IsDigit(r) || r == '.' || r == ',':
		default:
			return 0
		}
		j += n
	}
	return 0
}

// structAgencyDash matches "(Reuters) -", "(AP) —" at the start of s.
func structAgencyDash(s string) int {
	if !strings.HasPrefix(s, "(") {
		return 0
	}
	e := strings.IndexByte(s, ')')
	if e <= 1 || e > 40 || !structIsAgencyName(s[1:e]) {
		return 0
	}
	if n := structDash(s[e+1:]); n > 0 {
		return e + 1 + n
	}
	return 0
}

// structAgencyGlued matches an agency in parentheses in capitals that the
// story follows with no dash, "(CNN)Two survivors …" or "(CNN) Two
// survivors …", and returns its length.
func structAgencyGlued(s string) int {
	e := strings.IndexByte(s, ')')
	if e <= 1 || e > 12 {
		return 0
	}
	for _, r := range s[1:e] {
		if !unicode.IsUpper(r) {
			return 0
		}
	}
	rest := strings.TrimLeft(s[e+1:], " ")
	if r, _ := utf8.DecodeRuneInString(rest); !unicode.IsUpper(r) && !unicode.IsDigit(r) && !sentIsOpener(r) {
		return 0
	}
	return e + 1
}

// structDash matches " - ", " — ", " – ", " -- " at the start of s and
// returns its length without the trailing space.
func structDash(s string) int {
	t := strings.TrimLeft(s, " ")
	lead := len(s) - len(t)
	if lead == 0 {
		return 0
	}
	for _, d := range [...]string{"--", "—", "–", "―", "-"} {
		if strings.HasPrefix(t, d) {
			after := t[len(d):]
			if after == "" || after[0] == ' ' {
				return lead + len(d)
			}
		}
	}
	return 0
}

// structIsAgencyName: a short name with an upper-case letter and no
// sentence punctuation ("TASS", "Reuters", "AP", "ТАСС", "dpa").
func structIsAgencyName(s string) bool {
	if s == "" || len(s) > 30 {
		return false
	}
	upper := false
	for _, r := range s {
		switch {
		case unicode.IsUpper(r):
			upper = true
		case unicode.IsLetter(r), r == ' ', r == '-', r == '.', r == '&', r == '/':
		default:
			return false
		}
	}
	return upper || s == "dpa"
}
