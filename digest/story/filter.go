package story

import (
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// RuleKind says what a filter rule does.
type RuleKind int

const (
	RuleInclude  RuleKind = iota + 1 // keep only articles that match an include rule
	RuleExclude                      // drop articles that match
	RuleLanguage                     // keep only articles in one of the rules' languages
	RuleSource                       // keep only articles from one of the rules' sources
	RuleLimit                        // the most stories a digest shows
)

// Limits on user-entered rules.
const (
	MaxRuleLen    = 1024 // bytes in a whole rule
	MaxPatternLen = 512  // bytes in a keyword or regular expression
	MaxLimit      = 50   // largest limit:N
)

// maxFilterText bounds how much of each field Keep reads, so a huge
// article costs bounded time.
const maxFilterText = 1 << 20

// Rule is one parsed filter rule. Make rules with ParseFilterRule; its
// String form parses back to the same rule, so that is what to store.
type Rule struct {
	Kind RuleKind
	// Value is the keyword or phrase, the regular expression (without
	// its slashes; a trailing /i flag becomes a leading (?i)), the
	// language code or the source, as the rule matches it.
	Value  string
	Regexp bool
	Limit  int // for RuleLimit

	phrase string         // " w1 w2 ": the keyword's words, for whole-word matching
	re     *regexp.Regexp // the compiled Value when Regexp
}

// ParseFilterRule parses one rule as a user types it:
//
//	include:climate        keep only articles that mention a word or phrase
//	include:/clim(ate|at)/ ... or that match an RE2 regular expression (/…/i: any case)
//	exclude:football       drop articles that mention it (title, text or source)
//	lang:en                keep only articles in English (more lang: rules: any of them)
//	source:bbc             keep only articles from a source whose name or host has the word
//	limit:10               show at most 10 stories
//
// Keywords match whole words in any case, in any script ("Zürich" matches
// "zürich", not "zürichsee"). Errors say what is wrong and how to write
// the rule.
func ParseFilterRule(s string) (Rule, error) {
	s = strings.TrimSpace(s)
	if err := checkRuleText(s); err != nil {
		return Rule{}, err
	}
	kindText, value, ok := strings.Cut(s, ":")
	if !ok {
		return Rule{}, fmt.Errorf("story: filter rule %q has no kind: write include:%s or exclude:%s", short(s), short(s), short(s))
	}
	value = strings.TrimSpace(value)
	r := Rule{Value: value}
	switch strings.ToLower(strings.TrimSpace(kindText)) {
	case "include":
		r.Kind = RuleInclude
	case "exclude":
		r.Kind = RuleExclude
	case "source":
		r.Kind = RuleSource
	case "lang", "language":
		r.Kind = RuleLanguage
		return parseLanguage(s, r)
	case "limit":
		r.Kind = RuleLimit
		n, err := strconv.Atoi(value)
		if err != nil || n < 1 || n > MaxLimit {
			return Rule{}, fmt.Errorf("story: filter rule %q: the limit must be a whole number from 1 to %d, as in limit:10", short(s), MaxLimit)
		}
		r.Limit, r.Value = n, strconv.Itoa(n)
		return r, nil
	default:
		return Rule{}, fmt.Errorf("story: filter rule %q: unknown kind %q; the kinds are include:, exclude:, lang:, source: and limit:", short(s), short(kindText))
	}
	if value == "" {
		return Rule{}, fmt.Errorf("story: filter rule %q has nothing after the colon: write a word, a phrase or a /regular expression/", short(s))
	}
	if strings.HasPrefix(value, "/") {
		return parseRegexp(s, r)
	}
	if len(value) > MaxPatternLen {
		return Rule{}, fmt.Errorf("story: filter rule %q: the keyword is %d bytes; the limit is %d", short(s), len(value), MaxPatternLen)
	}
	w := words(value)
	if len(w) == 0 {
		return Rule{}, fmt.Errorf("story: filter rule %q: %q has no letters or digits to match; for punctuation use a /regular expression/", short(s), short(value))
	}
	r.phrase = " " + strings.Join(w, " ") + " "
	return r, nil
}

// checkRuleText rejects rules no one types: empty, huge, not UTF-8, or
// with control characters.
func checkRuleText(s string) error {
	switch {
	case s == "":
		return errors.New("story: empty filter rule: write include:word, exclude:word, lang:en, source:name or limit:10")
	case len(s) > MaxRuleLen:
		return fmt.Errorf("story: filter rule is %d bytes; the limit is %d", len(s), MaxRuleLen)
	case !utf8.ValidString(s):
		return fmt.Errorf("story: filter rule %q is not valid UTF-8 text", short(s))
	}
	for _, r := range s {
		if unicode.IsControl(r) {
			return fmt.Errorf("story: filter rule %q contains a control character (%U)", short(s), r)
		}
	}
	return nil
}

// parseRegexp parses the value "/pattern/" or "/pattern/i" of r.
func parseRegexp(s string, r Rule) (Rule, error) {
	v := r.Value
	var pattern string
	switch {
	case len(v) >= 3 && strings.HasSuffix(v, "/i"):
		pattern = "(?i)" + v[1:len(v)-2]
	case len(v) >= 2 && strings.HasSuffix(v, "/"):
		pattern = v[1 : len(v)-1]
	default:
		return Rule{}, fmt.Errorf("story: filter rule %q: a regular expression is written between slashes, /pattern/ or /pattern/i for any case", short(s))
	}
	if pattern == "" || pattern == "(?i)" {
		return Rule{}, fmt.Errorf("story: filter rule %q: the regular expression is empty", short(s))
	}
	if len(pattern) > MaxPatternLen {
		return Rule{}, fmt.Errorf("story: filter rule %q: the regular expression is %d bytes; the limit is %d", short(s), len(pattern), MaxPatternLen)
	}
	re, err := regexp.Compile(pattern)
	if err != nil {
		return Rule{}, fmt.Errorf("story: filter rule %q: bad regular expression (RE2 syntax): %w", short(s), err)
	}
	r.Value, r.Regexp, r.re = pattern, true, re
	return r, nil
}

// parseLanguage parses the value of a lang: rule: an ISO 639 code, with
// any region ("en-GB") dropped.
func parseLanguage(s string, r Rule) (Rule, error) {
	v := strings.ToLower(r.Value)
	if i := strings.IndexAny(v, "-_"); i >= 0 {
		v = v[:i]
	}
	if !isLanguageCode(v) {
		hint := "a two-letter code such as en, de or fr"
		if code := languageCode(v); code != "" {
			hint = "lang:" + code
		}
		return Rule{}, fmt.Errorf("story: filter rule %q: want %s", short(s), hint)
	}
	r.Value = v
	return r, nil
}

func isLanguageCode(v string) bool {
	if len(v) < 2 || len(v) > 3 {
		return false
	}
	for i := 0; i < len(v); i++ {
		if v[i] < 'a' || v[i] > 'z' {
			return false
		}
	}
	return true
}

// languageCode maps a few language names people type instead of a code.
func languageCode(name string) string {
	switch name {
	case "english":
		return "en"
	case "german", "deutsch":
		return "de"
	case "french", "français", "francais":
		return "fr"
	case "spanish", "español", "espanol":
		return "es"
	case "italian", "italiano":
		return "it"
	case "portuguese", "português", "portugues":
		return "pt"
	case "dutch", "nederlands":
		return "nl"
	case "russian", "русский":
		return "ru"
	case "ukrainian", "українська":
		return "uk"
	case "polish", "polski":
		return "pl"
	case "chinese", "中文":
		return "zh"
	case "japanese", "日本語":
		return "ja"
	case "arabic", "العربية":
		return "ar"
	}
	return ""
}

// short cuts s for quoting in an error message.
func short(s string) string {
	const n = 60
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

// String returns the rule in the form ParseFilterRule reads.
func (r Rule) String() string {
	var kind string
	switch r.Kind {
	case RuleInclude:
		kind = "include"
	case RuleExclude:
		kind = "exclude"
	case RuleSource:
		kind = "source"
	case RuleLanguage:
		return "lang:" + r.Value
	case RuleLimit:
		return "limit:" + strconv.Itoa(r.Limit)
	default:
		return "invalid:" + r.Value
	}
	if r.Regexp {
		return kind + ":/" + r.Value + "/"
	}
	return kind + ":" + r.Value
}

// Filter is a channel's set of rules.
type Filter struct {
	Rules []Rule
}

// ParseFilter parses each rule (see ParseFilterRule). It reports every
// bad rule, not just the first.
func ParseFilter(rules ...string) (Filter, error) {
	var f Filter
	var errs []error
	for _, s := range rules {
		r, err := ParseFilterRule(s)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		f.Rules = append(f.Rules, r)
	}
	return f, errors.Join(errs...)
}

// Strings returns the rules in the form ParseFilter reads.
func (f Filter) Strings() []string {
	out := make([]string, len(f.Rules))
	for i, r := range f.Rules {
		out[i] = r.String()
	}
	return out
}

// Limit returns the most stories a digest for this filter shows: the last
// limit: rule, or 0 when there is none.
func (f Filter) Limit() int {
	n := 0
	for _, r := range f.Rules {
		if r.Kind == RuleLimit {
			n = r.Limit
		}
	}
	return n
}

// fields is an article's text as filter rules see it, normalised lazily.
type fields struct {
	raw  [3]string // title, text (lede and body), source (name and host)
	norm [3]string
	done [3]bool
}

// fieldName names field i of fields for a reason.
func fieldName(i int) string {
	return [...]string{"title", "text", "source"}[i]
}

func newFields(a Article) *fields {
	text := a.Body
	if a.Lede != "" && !strings.HasPrefix(strings.TrimSpace(a.Body), strings.TrimSpace(a.Lede)) {
		text = a.Lede + "\n" + a.Body
	}
	source := a.Source
	if u, err := url.Parse(a.URL); err == nil && u.Host != "" {
		source += "\n" + u.Host
	}
	return &fields{raw: [3]string{clip(a.Title, maxFilterText), clip(text, maxFilterText), clip(source, maxFilterText)}}
}

func (f *fields) normalized(i int) string {
	if !f.done[i] {
		f.norm[i], f.done[i] = normalizeWords(f.raw[i]), true
	}
	return f.norm[i]
}

// match reports whether r matches one of the given fields, and which.
func (r Rule) match(f *fields, which ...int) (string, bool) {
	re := r.re
	if r.Regexp && re == nil { // a Rule built by hand rather than parsed
		var err error
		if re, err = regexp.Compile(r.Value); err != nil {
			return "", false
		}
	}
	phrase := r.phrase
	if !r.Regexp && phrase == "" {
		w := words(r.Value)
		if len(w) == 0 {
			return "", false
		}
		phrase = " " + strings.Join(w, " ") + " "
	}
	for _, i := range which {
		if r.Regexp && re.MatchString(f.raw[i]) || !r.Regexp && strings.Contains(f.normalized(i), phrase) {
			return fieldName(i), true
		}
	}
	return "", false
}

// Keep reports whether the filter keeps a, and why, in words a user can
// read. Rules apply in this order: languages (an article of unknown
// language passes), sources, exclude rules (any match drops), include
// rules (when there are any, one must match).
func (f Filter) Keep(a Article) (bool, string) {
	var langs, sources, includes, excludes []Rule
	for _, r := range f.Rules {
		switch r.Kind {
		case RuleLanguage:
			langs = append(langs, r)
		case RuleSource:
			sources = append(sources, r)
		case RuleInclude:
			includes = append(includes, r)
		case RuleExclude:
			excludes = append(excludes, r)
		}
	}
	if len(langs) > 0 {
		lang := strings.ToLower(strings.TrimSpace(a.Language))
		if i := strings.IndexAny(lang, "-_"); i >= 0 {
			lang = lang[:i]
		}
		if lang != "" && !anyValue(langs, lang) {
			return false, fmt.Sprintf("language %q is not %s", lang, listValues(langs))
		}
	}
	if len(sources)+len(includes)+len(excludes) == 0 {
		return true, "no rule excludes it" // and no need to read the text
	}
	fl := newFields(a)
	if len(sources) > 0 {
		found := false
		for _, r := range sources {
			if _, ok := r.match(fl, 2); ok {
				found = true
				break
			}
		}
		if !found {
			return false, fmt.Sprintf("source %q matches none of %s", short(a.Source), listRules(sources))
		}
	}
	for _, r := range excludes {
		if where, ok := r.match(fl, 0, 1, 2); ok {
			return false, fmt.Sprintf("%s matches the %s", r, where)
		}
	}
	if len(includes) == 0 {
		return true, "no rule excludes it"
	}
	for _, r := range includes {
		if where, ok := r.match(fl, 0, 1, 2); ok {
			return true, fmt.Sprintf("%s matches the %s", r, where)
		}
	}
	return false, "matches none of " + listRules(includes)
}

func anyValue(rules []Rule, v string) bool {
	for _, r := range rules {
		if r.Value == v {
			return true
		}
	}
	return false
}

func listValues(rules []Rule) string {
	vals := make([]string, len(rules))
	for i, r := range rules {
		vals[i] = r.Value
	}
	return strings.Join(vals, " or ")
}

func listRules(rules []Rule) string {
	vals := make([]string, len(rules))
	for i, r := range rules {
		vals[i] = r.String()
	}
	return strings.Join(vals, ", ")
}

// PreviewRow is one article in a filter preview.
type PreviewRow struct {
	ID     int64
	Source string
	Title  string
	URL    string
	Reason string
}

// Preview applies f to articles and returns those it keeps and those it
// drops, each with the reason, in the order given: what a user sees
// before saving a filter.
func Preview(f Filter, articles []Article) (kept, dropped []PreviewRow) {
	for _, a := range articles {
		ok, why := f.Keep(a)
		row := PreviewRow{ID: a.ID, Source: a.Source, Title: a.Title, URL: a.URL, Reason: why}
		if ok {
			kept = append(kept, row)
		} else {
			dropped = append(dropped, row)
		}
	}
	return kept, dropped
}
