package postgres

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

// searchTerm is one word of a search as a tsquery: function applied to
// text, with the 'simple' configuration.
type searchTerm struct {
	function string // "phraseto_tsquery" or "to_tsquery"
	text     string
}

// searchTerms turns what a user typed into tsqueries that cannot be a
// syntax error, with the rules of the SQLite backend: each
// whitespace-separated word must match; a word ending in "*" is a prefix;
// a word with no letter or digit is dropped, and a search left with no
// words matches everything (searchTerms returns none).
//
// A plain word goes to phraseto_tsquery as a parameter: PostgreSQL's parser
// splits it the way it split the text ("covid-19", "don't" match as the
// phrase they are) and never fails, whatever the word holds. A prefix word
// is split here into its runs of letters and digits, each quoted as a
// lexeme, joined with <-> (followed by) and the last marked :* (prefix), and
// goes to to_tsquery: the quoting leaves no operator to misread.
func searchTerms(search string) ([]searchTerm, error) {
	if len(search) > maxSearchBytes {
		return nil, fmt.Errorf("search longer than %d bytes: %w", maxSearchBytes, store.ErrInvalid)
	}
	// The server refuses NUL and invalid UTF-8; control characters mean
	// nothing in a search.
	search = strings.ToValidUTF8(search, " ")
	search = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) && !unicode.IsSpace(r) {
			return -1
		}
		return r
	}, search)
	var terms []searchTerm
	for _, w := range strings.Fields(search) {
		prefix := strings.HasSuffix(w, "*")
		w = strings.TrimRight(w, "*")
		runs := strings.FieldsFunc(w, func(r rune) bool { return !isTokenRune(r) })
		if len(runs) == 0 {
			continue
		}
		if len(terms) == maxSearchWords {
			return nil, fmt.Errorf("search has more than %d words: %w", maxSearchWords, store.ErrInvalid)
		}
		if !prefix {
			terms = append(terms, searchTerm{"phraseto_tsquery", w})
			continue
		}
		for i, r := range runs {
			runs[i] = "'" + strings.ReplaceAll(strings.ReplaceAll(r, `\`, `\\`), "'", "''") + "'"
		}
		terms = append(terms, searchTerm{"to_tsquery", strings.Join(runs, " <-> ") + ":*"})
	}
	return terms, nil
}

// isTokenRune reports whether r can be part of a word PostgreSQL's parser
// indexes: letters and digits.
func isTokenRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsNumber(r)
}
