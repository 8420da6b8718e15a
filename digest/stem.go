package digest

// This file is the Porter stemmer as NLTK's PorterStemmer runs it in its
// default NLTK_EXTENSIONS mode, which is what rouge_score (and so every
// published ROUGE number computed with it) uses. Reproducing it exactly,
// irregular forms and all, is what lets our ROUGE match theirs.

// PorterStem returns the Porter stem of a lower-case ASCII word, exactly as
// NLTK's PorterStemmer (NLTK_EXTENSIONS mode) gives it. A word holding
// anything other than a-z is returned unchanged apart from case: digits and
// non-ASCII letters are outside the algorithm.
func PorterStem(word string) string {
	if irregular, ok := stemIrregular(word); ok {
		return irregular
	}
	if len(word) <= 2 {
		return word
	}
	for i := 0; i < len(word); i++ {
		if c := word[i]; c < 'a' || c > 'z' {
			return word
		}
	}
	var small [32]byte
	buf := append(small[:0], word...)
	out := stemBytes(buf)
	if string(out) == word {
		return word
	}
	return string(out)
}

// stemIrregular is NLTK's short table of irregular forms.
func stemIrregular(w string) (string, bool) {
	switch w {
	case "sky", "skies":
		return "sky", true
	case "dying":
		return "die", true
	case "lying":
		return "lie", true
	case "tying":
		return "tie", true
	case "news":
		return "news", true
	case "innings", "inning":
		return "inning", true
	case "outings", "outing":
		return "outing", true
	case "cannings", "canning":
		return "canning", true
	case "howe":
		return "howe", true
	case "proceed":
		return "proceed", true
	case "exceed":
		return "exceed", true
	case "succeed":
		return "succeed", true
	}
	return "", false
}

// stemBytes stems w (lower-case a-z, longer than two letters) in place and
// returns the stem, which is never longer than w.
func stemBytes(w []byte) []byte {
	w = stemStep1a(w)
	w = stemStep1b(w)
	w = stemStep1c(w)
	w = stemStep2(w)
	w = stemStep3(w)
	w = stemStep4(w)
	w = stemStep5a(w)
	w = stemStep5b(w)
	return w
}

func stemVowel(c byte) bool {
	return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u'
}

// stemCons reports whether w[i] is a consonant: not a vowel, and not a y
// that follows a consonant. A run of y's alternates, so it is walked
// rather than recursed into.
func stemCons(w []byte, i int) bool {
	c := w[i]
	if stemVowel(c) {
		return false
	}
	if c != 'y' {
		return true
	}
	j := i
	for j > 0 && w[j-1] == 'y' {
		j--
	}
	// w[j] is the first y of the run: a consonant at the start of the
	// word or after a vowel.
	cons := j == 0 || stemVowel(w[j-1])
	if (i-j)%2 == 1 {
		cons = !cons
	}
	return cons
}

// stemMeasure is Porter's m: the number of vowel-consonant sequences.
func stemMeasure(w []byte) int {
	m := 0
	prevCons := true // nothing before the first letter
	prevVowel := false
	for i := range w {
		c := w[i]
		var cons bool
		switch {
		case stemVowel(c):
			cons = false
		case c == 'y':
			cons = i == 0 || !prevCons
		default:
			cons = true
		}
		if cons && prevVowel {
			m++
		}
		prevCons = cons
		prevVowel = !cons
	}
	return m
}

func stemHasVowel(w []byte) bool {
	prevCons := true
	for i, c := range w {
		cons := !stemVowel(c) && (c != 'y' || i == 0 || !prevCons)
		if !cons {
			return true
		}
		prevCons = cons
	}
	return false
}

func stemEndsDoubleCons(w []byte) bool {
	n := len(w)
	return n >= 2 && w[n-1] == w[n-2] && stemCons(w, n-1)
}

// stemEndsCVC is Porter's *o, with NLTK's extension for two-letter stems.
func stemEndsCVC(w []byte) bool {
	n := len(w)
	if n >= 3 && stemCons(w, n-3) && !stemCons(w, n-2) && stemCons(w, n-1) {
		c := w[n-1]
		if c != 'w' && c != 'x' && c != 'y' {
			return true
		}
	}
	return n == 2 && !stemCons(w, 0) && stemCons(w, 1)
}

func stemHasSuffix(w []byte, s string) bool {
	if len(w) < len(s) {
		return false
	}
	// Comparing from the last letter turns most tries into a compare or two.
	w = w[len(w)-len(s):]
	for i := len(s) - 1; i >= 0; i-- {
		if w[i] != s[i] {
			return false
		}
	}
	return true
}

// stemReplace swaps suffix s of w for r; r is never longer than s here.
func stemReplace(w []byte, s, r string) []byte {
	return append(w[:len(w)-len(s)], r...)
}

// stemCond says which condition a rule's stem must meet.
type stemCond uint8

const (
	stemAlways stemCond = iota
	stemM0              // m > 0
	stemM1              // m > 1
	stemM1ST            // m > 1 and the stem ends in s or t
	stemLogi            // m > 0 of the word less "ogi" (NLTK's logi rule)
)

type stemRule struct {
	suffix, repl string
	cond         stemCond
}

// stemRules is a step's rules grouped by the last letter of their
// suffix, each group in NLTK's order. A rule can only match a word that ends
// in its suffix's last letter, so the first rule of the word's group that
// matches is the first rule of the whole step that matches.
type stemRules [26][]stemRule

// stemApply applies the first rule whose suffix w has; when that rule's
// condition fails, no later rule is tried.
func stemApply(w []byte, rules *stemRules) []byte {
	if len(w) == 0 {
		return w
	}
	last := w[len(w)-1] - 'a'
	if last >= byte(len(rules)) {
		return w
	}
	for _, r := range rules[last] {
		if !stemHasSuffix(w, r.suffix) {
			continue
		}
		stem := w[:len(w)-len(r.suffix)]
		ok := false
		switch r.cond {
		case stemAlways:
			ok = true
		case stemM0:
			ok = stemMeasure(stem) > 0
		case stemM1:
			ok = stemMeasure(stem) > 1
		case stemM1ST:
			ok = stemMeasure(stem) > 1 && (stem[len(stem)-1] == 's' || stem[len(stem)-1] == 't')
		case stemLogi:
			ok = stemMeasure(w[:len(w)-3]) > 0
		}
		if !ok {
			return w
		}
		return stemReplace(w, r.suffix, r.repl)
	}
	return w
}

func stemStep1a(w []byte) []byte {
	if len(w) == 0 || w[len(w)-1] != 's' {
		return w // every suffix of this step ends in s
	}
	if len(w) == 4 && stemHasSuffix(w, "ies") {
		return stemReplace(w, "ies", "ie")
	}
	switch {
	case stemHasSuffix(w, "sses"):
		return stemReplace(w, "sses", "ss")
	case stemHasSuffix(w, "ies"):
		return stemReplace(w, "ies", "i")
	case stemHasSuffix(w, "ss"):
		return w
	case stemHasSuffix(w, "s"):
		return w[:len(w)-1]
	}
	return w
}

func stemStep1b(w []byte) []byte {
	if len(w) == 0 || w[len(w)-1] != 'd' && w[len(w)-1] != 'g' {
		return w // every suffix of this step ends in d or g
	}
	if stemHasSuffix(w, "ied") {
		if len(w) == 4 {
			return stemReplace(w, "ied", "ie")
		}
		return stemReplace(w, "ied", "i")
	}
	if stemHasSuffix(w, "eed") {
		if stemMeasure(w[:len(w)-3]) > 0 {
			return w[:len(w)-1]
		}
		return w
	}
	var stem []byte
	switch {
	case stemHasSuffix(w, "ed") && stemHasVowel(w[:len(w)-2]):
		stem = w[:len(w)-2]
	case stemHasSuffix(w, "ing") && stemHasVowel(w[:len(w)-3]):
		stem = w[:len(w)-3]
	default:
		return w
	}
	switch {
	case stemHasSuffix(stem, "at"), stemHasSuffix(stem, "bl"), stemHasSuffix(stem, "iz"):
		return append(stem, 'e')
	case stemEndsDoubleCons(stem):
		if c := stem[len(stem)-1]; c != 'l' && c != 's' && c != 'z' {
			return stem[:len(stem)-1]
		}
		return stem
	case stemMeasure(stem) == 1 && stemEndsCVC(stem):
		return append(stem, 'e')
	}
	return stem
}

func stemStep1c(w []byte) []byte {
	n := len(w)
	if n > 2 && w[n-1] == 'y' && stemCons(w, n-2) {
		w[n-1] = 'i'
	}
	return w
}

// stemStep2Rules in NLTK's order: ational tional enci anci izer bli alli
// entli eli ousli ization ation ator alism iveness fulness ousness aliti
// iviti biliti fulli logi.
var stemStep2Rules = stemRules{
	'i' - 'a': {
		{"enci", "ence", stemM0},
		{"anci", "ance", stemM0},
		{"bli", "ble", stemM0},
		{"alli", "al", stemM0},
		{"entli", "ent", stemM0},
		{"eli", "e", stemM0},
		{"ousli", "ous", stemM0},
		{"aliti", "al", stemM0},
		{"iviti", "ive", stemM0},
		{"biliti", "ble", stemM0},
		{"fulli", "ful", stemM0},
		{"logi", "log", stemLogi},
	},
	'l' - 'a': {
		{"ational", "ate", stemM0},
		{"tional", "tion", stemM0},
	},
	'm' - 'a': {
		{"alism", "al", stemM0},
	},
	'n' - 'a': {
		{"ization", "ize", stemM0},
		{"ation", "ate", stemM0},
	},
	'r' - 'a': {
		{"izer", "ize", stemM0},
		{"ator", "ate", stemM0},
	},
	's' - 'a': {
		{"iveness", "ive", stemM0},
		{"fulness", "ful", stemM0},
		{"ousness", "ous", stemM0},
	},
}

func stemStep2(w []byte) []byte {
	// NLTK applies alli -> al first and then runs step 2 again.
	for stemHasSuffix(w, "alli") && stemMeasure(w[:len(w)-4]) > 0 {
		w = w[:len(w)-2]
	}
	return stemApply(w, &stemStep2Rules)
}

// stemStep3Rules in NLTK's order: icate ative alize iciti ical ful ness.
var stemStep3Rules = stemRules{
	'e' - 'a': {
		{"icate", "ic", stemM0},
		{"ative", "", stemM0},
		{"alize", "al", stemM0},
	},
	'i' - 'a': {
		{"iciti", "ic", stemM0},
	},
	'l' - 'a': {
		{"ical", "ic", stemM0},
		{"ful", "", stemM0},
	},
	's' - 'a': {
		{"ness", "", stemM0},
	},
}

func stemStep3(w []byte) []byte { return stemApply(w, &stemStep3Rules) }

// stemStep4Rules in NLTK's order: al ance ence er ic able ible ant ement
// ment ent ion ou ism ate iti ous ive ize.
var stemStep4Rules = stemRules{
	'c' - 'a': {
		{"ic", "", stemM1},
	},
	'e' - 'a': {
		{"ance", "", stemM1},
		{"ence", "", stemM1},
		{"able", "", stemM1},
		{"ible", "", stemM1},
		{"ate", "", stemM1},
		{"ive", "", stemM1},
		{"ize", "", stemM1},
	},
	'i' - 'a': {
		{"iti", "", stemM1},
	},
	'l' - 'a': {
		{"al", "", stemM1},
	},
	'm' - 'a': {
		{"ism", "", stemM1},
	},
	'n' - 'a': {
		{"ion", "", stemM1ST},
	},
	'r' - 'a': {
		{"er", "", stemM1},
	},
	's' - 'a': {
		{"ous", "", stemM1},
	},
	't' - 'a': {
		{"ant", "", stemM1},
		{"ement", "", stemM1},
		{"ment", "", stemM1},
		{"ent", "", stemM1},
	},
	'u' - 'a': {
		{"ou", "", stemM1},
	},
}

func stemStep4(w []byte) []byte { return stemApply(w, &stemStep4Rules) }

func stemStep5a(w []byte) []byte {
	if !stemHasSuffix(w, "e") {
		return w
	}
	stem := w[:len(w)-1]
	m := stemMeasure(stem)
	if m > 1 || (m == 1 && !stemEndsCVC(stem)) {
		return stem
	}
	return w
}

func stemStep5b(w []byte) []byte {
	if stemHasSuffix(w, "ll") && stemMeasure(w[:len(w)-1]) > 1 {
		return w[:len(w)-1]
	}
	return w
}
