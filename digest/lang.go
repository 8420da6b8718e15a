package digest

import (
	"unicode"
	"unicode/utf8"
)

// langSample bounds the text DetectLanguage reads: the first few kilobytes
// of an article say what language it is in as well as the whole would.
const langSample = 2048

// Languages whose sentences and quotations this package handles fully.
// Other detected codes still get sentences split on their final marks, but
// quotations are looked for only in these (see Quotes).
func langHandled(lang string) bool {
	switch lang {
	case "en", "ru", "de", "fr", "es":
		return true
	}
	return false
}

// DetectLanguage guesses the ISO 639-1 code of text's language from its
// script and, for Latin script, its commonest function words. It knows en,
// ru, uk, de, fr, es, it, pt and nl, and a few non-Latin scripts (zh, ja,
// ko, ar, he, el); it returns "" when unsure.
func DetectLanguage(text string) string {
	if len(text) > langSample {
		cut := langSample
		for cut > 0 && !utf8.RuneStart(text[cut]) {
			cut--
		}
		text = text[:cut]
	}
	var latin, cyrillic, ukr, han, kana, hangul, arabic, hebrew, greek int
	for i := 0; i < len(text); {
		if c := text[i]; c < utf8.RuneSelf {
			if (c|0x20)-'a' < 26 {
				latin++
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(text[i:])
		i += n
		switch {
		case r == 'і' || r == 'ї' || r == 'є' || r == 'ґ' || r == 'І' || r == 'Ї' || r == 'Є':
			cyrillic++
			ukr++
		case unicode.Is(unicode.Cyrillic, r):
			cyrillic++
		case unicode.Is(unicode.Latin, r):
			latin++
		case unicode.Is(unicode.Hiragana, r) || unicode.Is(unicode.Katakana, r):
			kana++
		case unicode.Is(unicode.Han, r):
			han++
		case unicode.Is(unicode.Hangul, r):
			hangul++
		case unicode.Is(unicode.Arabic, r):
			arabic++
		case unicode.Is(unicode.Hebrew, r):
			hebrew++
		case unicode.Is(unicode.Greek, r):
			greek++
		}
	}
	total := latin + cyrillic + han + kana + hangul + arabic + hebrew + greek
	if total < 10 {
		return ""
	}
	switch {
	case cyrillic*2 > total:
		if ukr*50 > cyrillic {
			return "uk"
		}
		return "ru"
	case kana*10 > total:
		return "ja"
	case han*2 > total:
		return "zh"
	case hangul*2 > total:
		return "ko"
	case arabic*2 > total:
		return "ar"
	case hebrew*2 > total:
		return "he"
	case greek*2 > total:
		return "el"
	case latin*2 <= total:
		return ""
	}
	return langLatin(text)
}

// langLatin scores Latin-script text by its function words.
func langLatin(text string) string {
	var score [langCount]int
	var buf [16]byte
	words := 0
	for i := 0; i < len(text); {
		if c := text[i]; c < utf8.RuneSelf && (c|0x20 < 'a' || c|0x20 > 'z') {
			i++ // not a letter
			continue
		}
		r, n := utf8.DecodeRuneInString(text[i:])
		if !unicode.IsLetter(r) {
			i += n
			continue
		}
		// Lower-case the word into buf; longer words are never function words.
		w := 0
		long := false
		for i < len(text) {
			if c := text[i]; c < utf8.RuneSelf {
				if c|0x20 < 'a' || c|0x20 > 'z' {
					if c != '\'' {
						break
					}
				} else if c <= 'Z' {
					c += 'a' - 'A'
				}
				if w < len(buf) {
					buf[w] = c
					w++
				} else {
					long = true
				}
				i++
				continue
			}
			r, n = utf8.DecodeRuneInString(text[i:])
			if !unicode.IsLetter(r) && r != '\'' && r != '’' {
				break
			}
			if r == '’' {
				r = '\''
			}
			if r < utf8.RuneSelf {
				if w < len(buf) {
					c := byte(r)
					if c >= 'A' && c <= 'Z' {
						c += 'a' - 'A'
					}
					buf[w] = c
					w++
				} else {
					long = true
				}
			} else if lr := unicode.ToLower(r); w+utf8.RuneLen(lr) <= len(buf) {
				w += utf8.EncodeRune(buf[w:], lr)
			} else {
				long = true
			}
			i += n
		}
		words++
		if !long {
			if l := langFunctionWord(buf[:w]); l >= 0 {
				score[l]++
			}
		}
	}
	best, second := 0, 0 // scores
	bestLang := -1
	for l, sc := range score {
		if sc > best {
			best, second, bestLang = sc, best, l
		} else if sc > second {
			second = sc
		}
	}
	if bestLang < 0 || best < 2 || best*20 < words || best < second*5/4+1 {
		return ""
	}
	return langCodes[bestLang]
}

const (
	langEN = iota
	langDE
	langFR
	langES
	langIT
	langPT
	langNL
	langCount
)

var langCodes = [langCount]string{"en", "de", "fr", "es", "it", "pt", "nl"}

// langFunctionWord returns the language a frequent, distinctive function
// word belongs to, or -1. Words shared by several languages are left out.
func langFunctionWord(w []byte) int {
	switch string(w) {
	case "the", "and", "of", "to", "is", "that", "was", "for", "with", "on", "he", "she", "it", "said",
		"they", "his", "her", "have", "has", "be", "are", "this", "from", "by", "at", "not", "but", "which",
		"will", "would", "who", "were", "been", "their", "an", "or", "we", "you", "i":
		return langEN
	case "der", "die", "das", "und", "ist", "nicht", "sich", "mit", "auf", "den", "dem", "ein",
		"eine", "einen", "zu", "von", "auch", "sie", "wir", "ich", "wird", "wurde", "dass", "für",
		"nach", "bei", "aus", "noch", "sagte", "oder", "werden", "hat", "im", "vom", "zum", "zur":
		return langDE
	case "le", "les", "et", "est", "une", "dans", "du", "des", "pour", "qui", "pas", "sur", "au", "aux",
		"avec", "il", "elle", "ils", "nous", "vous", "ce", "cette", "mais", "été", "sont", "a-t-il", "être",
		"d'un", "d'une", "l'a", "qu'il", "c'est", "n'est", "selon", "très", "leur", "ont", "déclaré":
		return langFR
	case "el", "los", "las", "y", "es", "una", "por", "para", "con", "del", "su", "sus", "lo", "como",
		"pero", "más", "fue", "este", "esta", "según", "dijo", "también", "ha", "han", "muy", "hay", "sin",
		"entre", "sobre", "cuando", "ya", "porque":
		return langES
	case "di", "che", "è", "gli", "della", "delle", "degli", "nel", "nella", "sono", "anche", "non",
		"per", "più", "questo", "questa", "dell'", "alla", "allo", "ai", "dei", "uno":
		return langIT
	case "o", "os", "não", "uma", "com", "dos", "em", "na", "nos",
		"nas", "foi", "ele", "ela", "são", "pelo", "pela", "também", "está":
		return langPT
	case "het", "een", "van", "niet", "dat", "zijn", "voor", "met", "op", "ook", "maar", "wordt",
		"hij", "zij", "werd", "naar", "bij", "heeft", "geen", "deze":
		return langNL
	}
	return -1
}
