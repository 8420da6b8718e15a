package digest

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// sumDanglingOpener reports whether a sentence opens with a pronoun or a
// demonstrative that points back at something said before it ("He added
// that", "They", "This is", "But she said"), which makes it a poor first
// sentence for a summary that lacks what came before. Case is ignored, so
// lower-cased text works too.
func sumDanglingOpener(s string) bool {
	var words [4]string
	n := 0
	rest := s
	for n < len(words) {
		w, r, ok := sumNextWord(rest)
		if !ok {
			break
		}
		if n == 0 && w == "" { // the sentence opens with a quotation mark
			return false
		}
		words[n] = strings.ToLower(w)
		n++
		rest = r
	}
	if n == 0 {
		return false
	}
	i := 0
	switch words[0] {
	case "but", "and", "yet", "also", "however", "nevertheless", "nonetheless", "meanwhile", "moreover",
		"furthermore", "besides", "instead", "thus", "therefore", "hence", "or", "nor":
		// A connective answers a sentence before it: "But the party
		// disagreed" contradicts something the summary does not say.
		return true
	case "so", "still":
		i = 1 // "So far", "Still images" are no connectives
	}
	if i >= n {
		return false
	}
	if sumPronounAfterIntro(s) {
		return true
	}
	w := words[i]
	next := ""
	if i+1 < n {
		next = words[i+1]
	}
	switch w {
	case "he", "she", "they", "him", "her", "his", "hers", "them", "their", "theirs", "its":
		return true
	case "this", "that", "these", "those", "such":
		return !sumTimeNoun(next)
	case "it":
		// "It is expected that ..." is not anaphoric; "It said ..." is.
		if (next == "is" || next == "was" || next == "has" || next == "had") && i+2 < n {
			return !sumImpersonal(words[i+2])
		}
		return true
	}
	return false
}

// sumPronounAfterIntro reports whether a short introductory phrase ends
// with a comma and a pronoun follows: "On Thursday, she and other parents
// …", "Speaking in London, he said …".
func sumPronounAfterIntro(s string) bool {
	comma := strings.IndexByte(s, ',')
	if comma < 0 || comma > 60 || structWords(s[:comma], 6) > 5 {
		return false
	}
	w, _, ok := sumNextWord(s[comma+1:])
	if !ok {
		return false
	}
	switch strings.ToLower(w) {
	case "he", "she", "they", "his", "her", "their", "its":
		return true
	}
	return false
}

// sumNextWord returns the next word of s (letters, digits, apostrophes
// inside), what follows it, and false when s has no more words. An opening
// quotation mark before the word comes back as an empty word.
func sumNextWord(s string) (word, rest string, ok bool) {
	i := 0
	for i < len(s) {
		if c := s[i]; c < utf8.RuneSelf && c != '"' && c != '`' && c != '\'' {
			if asciiAlnum(c) {
				break
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			break
		}
		switch r {
		case '"', '\u201c', '\u00ab', '\u2018', '\u201e', '`':
			return "", s[i+size:], true
		case '\'':
			if i == 0 {
				return "", s[i+size:], true
			}
		}
		i += size
	}
	if i >= len(s) {
		return "", "", false
	}
	j := i
	for j < len(s) {
		if c := s[j]; c < utf8.RuneSelf {
			if !asciiAlnum(c) {
				break
			}
			j++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[j:])
		if !(unicode.IsLetter(r) || unicode.IsDigit(r)) {
			break
		}
		j += size
	}
	return s[i:j], s[j:], true
}

func sumTimeNoun(w string) bool {
	switch w {
	case "week", "weekend", "year", "month", "morning", "afternoon", "evening", "season", "summer",
		"winter", "spring", "autumn", "time", "term", "decade", "century", "quarter":
		return true
	}
	return false
}

func sumImpersonal(w string) bool {
	switch w {
	case "understood", "expected", "thought", "believed", "likely", "unlikely", "unclear", "clear",
		"possible", "impossible", "hoped", "feared", "estimated", "reported", "said", "known", "not",
		"now", "been", "also", "time", "the", "a", "an":
		return true
	}
	return false
}

// sumFirstPerson reports whether s speaks in the first person ("I", "we",
// "our"): in a news report that is someone talking, a quotation even when
// its marks are a sentence away. "US" in capitals is the country.
func sumFirstPerson(s string) bool {
	// The words are the runs of letters and digits, as sumNextWord finds
	// them; only a short ASCII one can be a first-person pronoun.
	for i := 0; i < len(s); {
		for i < len(s) {
			if c := s[i]; c < utf8.RuneSelf {
				if asciiAlnum(c) {
					break
				}
				i++
				continue
			}
			r, n := utf8.DecodeRuneInString(s[i:])
			if unicode.IsLetter(r) || unicode.IsDigit(r) {
				break
			}
			i += n
		}
		start, ascii := i, true
		for i < len(s) {
			if c := s[i]; c < utf8.RuneSelf {
				if !asciiAlnum(c) {
					break
				}
				i++
				continue
			}
			r, n := utf8.DecodeRuneInString(s[i:])
			if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
				break
			}
			ascii = false
			i += n
		}
		if ascii && i-start <= 3 {
			switch s[start:i] {
			case "I", "i", "we", "We", "WE", "my", "My", "our", "Our", "me", "us", "Us":
				return true
			}
		}
	}
	return false
}
