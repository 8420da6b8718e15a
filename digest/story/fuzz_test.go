package story

import (
	"strings"
	"testing"
)

// FuzzParseFilterRule checks that any input parses or fails cleanly, that
// a parsed rule's String parses back to the same rule, and that applying
// it to an article does not panic.
func FuzzParseFilterRule(f *testing.F) {
	for _, s := range []string{
		"include:climate", "exclude:/foot(ball)?/i", "lang:en-GB", "source:bbc", "limit:10",
		"include:/a/b/", "exclude:///", "include:", "bogus", "include:北京", "exclude:/(?i)\\bwar\\b/",
		"include: two  words ", "exclude:/a{1000}/", "lang:english", "include:/", "include://i",
	} {
		f.Add(s)
	}
	a := Article{ID: 1, Source: "Harbour Times", URL: "https://harbourtimes.example/x", Title: "Dock workers strike", Body: strikeBody, Language: "en"}
	f.Fuzz(func(t *testing.T, s string) {
		r, err := ParseFilterRule(s)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "story: ") {
				t.Fatalf("error without package prefix: %v", err)
			}
			return
		}
		again, err := ParseFilterRule(r.String())
		if err != nil {
			t.Fatalf("%q parsed to %q, which does not parse: %v", s, r.String(), err)
		}
		if again.Kind != r.Kind || again.Value != r.Value || again.Regexp != r.Regexp || again.Limit != r.Limit {
			t.Fatalf("%q -> %q -> %+v, not %+v", s, r.String(), again, r)
		}
		Filter{Rules: []Rule{r}}.Keep(a)
	})
}
