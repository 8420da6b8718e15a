package sqlite

import (
	"fmt"
	"strings"
	"unicode"

	"github.com/newsdigest/newsdigest/store"
)

// Bounds on a search, so that a hostile query cannot cost unbounded time.
const (
	maxSearchBytes = 4096
	maxSearchWords = 64
)

// ftsQuery turns what a user typed into an FTS5 query that cannot be a
// syntax error: each whitespace-separated word becomes a quoted string
// (FTS5 operators and punctuation lose their meaning; inside quotes only the
// quote itself needs escaping, by doubling), and words are joined with
// spaces, FTS5's implicit AND, so all must match. A word ending in "*" is a
// prefix search. A word with nothing the tokenizer indexes (no letter, digit
// or private-use character, for example "(" or "*") is dropped; a search
// left with no words matches everything and ftsQuery returns "".
//
// Because the tokenizer splits a quoted word at punctuation the same way it
// split the text, "don't" or "covid-19" match as the phrase they are.
func ftsQuery(search string) (string, error) {
	if len(search) > maxSearchBytes {
		return "", fmt.Errorf("search longer than %d bytes: %w", maxSearchBytes, store.ErrInvalid)
	}
	var terms []string
	// Control characters mean nothing in a search and a NUL could end the
	// query string early, inside a quote.
	search = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) && !unicode.IsSpace(r) {
			return -1
		}
		return r
	}, search)
	for _, w := range strings.Fields(search) {
		prefix := strings.HasSuffix(w, "*")
		w = strings.TrimRight(w, "*")
		if !strings.ContainsFunc(w, isTokenRune) {
			continue
		}
		if len(terms) == maxSearchWords {
			return "", fmt.Errorf("search has more than %d words: %w", maxSearchWords, store.ErrInvalid)
		}
		t := `"` + strings.ReplaceAll(w, `"`, `""`) + `"`
		if prefix {
			t += "*"
		}
		terms = append(terms, t)
	}
	return strings.Join(terms, " "), nil
}

// isTokenRune reports whether the unicode61 tokenizer keeps r in a token
// (its default categories: letters, numbers and private use).
func isTokenRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsNumber(r) || unicode.Is(unicode.Co, r)
}
