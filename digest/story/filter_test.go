package story

import (
	"errors"
	"regexp/syntax"
	"slices"
	"strings"
	"testing"
)

func TestParseFilterRule(t *testing.T) {
	tests := []struct {
		in     string
		kind   RuleKind
		value  string
		regexp bool
		str    string // canonical form
	}{
		{"include:climate", RuleInclude, "climate", false, "include:climate"},
		{"  Include :  climate change  ", RuleInclude, "climate change", false, "include:climate change"},
		{"exclude:/foot(ball)?/", RuleExclude, "foot(ball)?", true, "exclude:/foot(ball)?/"},
		{"exclude:/FIFA/i", RuleExclude, "(?i)FIFA", true, "exclude:/(?i)FIFA/"},
		{"include:/a/b/", RuleInclude, "a/b", true, "include:/a/b/"},
		{"include:///", RuleInclude, "/", true, "include:///"},
		{"include:/i/", RuleInclude, "i", true, "include:/i/"},
		{"include:covid:19", RuleInclude, "covid:19", false, "include:covid:19"},
		{"lang:EN", RuleLanguage, "en", false, "lang:en"},
		{"language:pt-BR", RuleLanguage, "pt", false, "lang:pt"},
		{"source:bbc", RuleSource, "bbc", false, "source:bbc"},
		{"source:/\\.gov$/", RuleSource, "\\.gov$", true, "source:/\\.gov$/"},
		{"limit:10", RuleLimit, "10", false, "limit:10"},
		{"include:Zürich", RuleInclude, "Zürich", false, "include:Zürich"},
		{"include:北京", RuleInclude, "北京", false, "include:北京"},
	}
	for _, tt := range tests {
		r, err := ParseFilterRule(tt.in)
		if err != nil {
			t.Errorf("ParseFilterRule(%q): %v", tt.in, err)
			continue
		}
		if r.Kind != tt.kind || r.Value != tt.value || r.Regexp != tt.regexp || r.String() != tt.str {
			t.Errorf("ParseFilterRule(%q) = kind %d value %q regexp %v string %q; want %d %q %v %q",
				tt.in, r.Kind, r.Value, r.Regexp, r.String(), tt.kind, tt.value, tt.regexp, tt.str)
		}
	}
}

func TestParseFilterRuleErrors(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", "empty filter rule"},
		{"   ", "empty filter rule"},
		{"bitcoin", "has no kind: write include:bitcoin"},
		{"topic:bitcoin", `unknown kind "topic"`},
		{"include:", "nothing after the colon"},
		{"include:--", "no letters or digits"},
		{"exclude:/(/", "bad regular expression (RE2 syntax): error parsing regexp: missing closing )"},
		{"exclude:/a(?=b)/", "bad regular expression"},
		{"exclude:/abc", "between slashes"},
		{"exclude:/", "between slashes"},
		{"exclude://", "regular expression is empty"},
		{"exclude://i", "regular expression is empty"},
		{"exclude:/" + strings.Repeat("a", 513) + "/", "the limit is 512"},
		{"include:" + strings.Repeat("word ", 110), "the limit is 512"},
		{strings.Repeat("x", 2000), "the limit is 1024"},
		{"lang:english", "want lang:en"},
		{"lang:klingon", "want a two-letter code"},
		{"lang:e", "want a two-letter code"},
		{"limit:0", "from 1 to 50"},
		{"limit:ten", "from 1 to 50"},
		{"limit:51", "from 1 to 50"},
		{"include:a\x00b", "control character"},
		{"include:\xff", "not valid UTF-8"},
	}
	for _, tt := range tests {
		_, err := ParseFilterRule(tt.in)
		if err == nil {
			t.Errorf("ParseFilterRule(%q) succeeded, want an error", tt.in)
			continue
		}
		if !strings.Contains(err.Error(), tt.want) || !strings.HasPrefix(err.Error(), "story: ") {
			t.Errorf("ParseFilterRule(%q) error %q, want it to contain %q", short(tt.in), err, tt.want)
		}
	}
	var syntaxErr *syntax.Error
	if _, err := ParseFilterRule("exclude:/[z-a]/"); !errors.As(err, &syntaxErr) {
		t.Errorf("regexp error %v does not wrap *syntax.Error", err)
	}
}

func TestFilterKeep(t *testing.T) {
	strike := Article{ID: 1, Source: "Harbour Times", URL: "https://www.harbourtimes.example/strike", Title: "Dock workers strike at Port of Valmora", Body: strikeBody, Language: "en"}
	football := Article{ID: 2, Source: "Sport Desk", URL: "https://sport.example/derby", Title: "Valmora FC win the derby", Body: "Valmora FC beat Ostrava United 2-1 in front of 30,000 fans.", Language: "en"}
	german := Article{ID: 3, Source: "Zeitung", URL: "https://zeitung.example/streik", Title: "Hafenarbeiter in Zürich streiken", Body: "Die Hafenarbeiter legten am Dienstag die Arbeit nieder.", Language: "de-CH"}
	unknown := Article{ID: 4, Source: "Blog", Title: "ΟΔΥΣΣΕΑΣ returns", Body: "Ο Οδυσσέας γύρισε.", Language: ""}

	tests := []struct {
		name   string
		rules  []string
		a      Article
		keep   bool
		reason string
	}{
		{"no rules", nil, strike, true, "no rule excludes it"},
		{"include word in title", []string{"include:strike"}, strike, true, "include:strike matches the title"},
		{"include word in text", []string{"include:citrus"}, strike, true, "include:citrus matches the text"},
		{"include is whole words", []string{"include:cit"}, strike, false, "matches none of include:cit"},
		{"include any case", []string{"include:VALMORA"}, football, true, "include:VALMORA matches the title"},
		{"include phrase", []string{"include:port authority"}, strike, true, "include:port authority matches the text"},
		{"include phrase out of order", []string{"include:authority port"}, strike, false, "matches none of"},
		{"exclude beats include", []string{"include:valmora", "exclude:derby"}, football, false, "exclude:derby matches the title"},
		{"exclude regexp", []string{"exclude:/\\d+-\\d+/"}, football, false, "exclude:/\\d+-\\d+/ matches the text"},
		{"exclude matches source", []string{"exclude:sport desk"}, football, false, "matches the source"},
		{"exclude matches host", []string{"exclude:sport"}, football, false, "exclude:sport matches the source"},
		{"lang kept", []string{"lang:en"}, strike, true, "no rule excludes it"},
		{"lang with region", []string{"lang:de"}, german, true, "no rule excludes it"},
		{"lang dropped", []string{"lang:en", "lang:fr"}, german, false, `language "de" is not en or fr`},
		{"lang unknown passes", []string{"lang:en"}, unknown, true, "no rule excludes it"},
		{"source by name word", []string{"source:harbour"}, strike, true, "no rule excludes it"},
		{"source by host", []string{"source:harbourtimes"}, strike, true, "no rule excludes it"},
		{"source mismatch", []string{"source:bbc", "source:/reuters/"}, strike, false, `source "Harbour Times" matches none of source:bbc, source:/reuters/`},
		{"unicode fold ü", []string{"include:ZÜRICH"}, german, true, "include:ZÜRICH matches the title"},
		{"unicode final sigma", []string{"include:οδυσσεας"}, unknown, true, "matches the title"},
		{"accents are not folded", []string{"include:οδυσσέας"}, Article{Title: "Odysseas", Body: "Ο Οδυσσεας γύρισε."}, false, "matches none of"},
		{"unicode final sigma, same accents", []string{"include:ΟΔΥΣΣΈΑΣ"}, unknown, true, "matches the text"},
		{"limit does not filter", []string{"limit:3"}, strike, true, "no rule excludes it"},
	}
	for _, tt := range tests {
		f, err := ParseFilter(tt.rules...)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		keep, reason := f.Keep(tt.a)
		if keep != tt.keep || !strings.Contains(reason, tt.reason) {
			t.Errorf("%s: Keep = %v %q, want %v %q", tt.name, keep, reason, tt.keep, tt.reason)
		}
	}
}

func TestFilterCJK(t *testing.T) {
	a := Article{Title: "北京举行会议", Body: "上海天气晴朗"}
	for rule, want := range map[string]bool{"include:北京": true, "include:京举": true, "include:广州": false, "include:上海": true} {
		f, _ := ParseFilter(rule)
		if got, _ := f.Keep(a); got != want {
			t.Errorf("%s on %q: %v, want %v", rule, a.Title, got, want)
		}
	}
}

func TestParseFilterAllErrors(t *testing.T) {
	f, err := ParseFilter("include:ok", "bogus", "limit:99", "limit:5")
	if err == nil || !strings.Contains(err.Error(), "bogus") || !strings.Contains(err.Error(), "limit:99") {
		t.Fatalf("error %v, want both bad rules named", err)
	}
	if got := f.Strings(); !slices.Equal(got, []string{"include:ok", "limit:5"}) {
		t.Errorf("good rules = %q", got)
	}
	if f.Limit() != 5 {
		t.Errorf("Limit = %d, want 5", f.Limit())
	}
}

func TestHandBuiltRules(t *testing.T) {
	// Rules made without ParseFilterRule still work.
	f := Filter{Rules: []Rule{{Kind: RuleExclude, Value: "port", Regexp: true}, {Kind: RuleInclude, Value: "Valmora"}}}
	if keep, _ := f.Keep(Article{Title: "Valmora port"}); keep {
		t.Error("hand-built exclude regexp did not match")
	}
	if keep, _ := f.Keep(Article{Title: "Valmora bus"}); !keep {
		t.Error("hand-built include keyword did not match")
	}
}

func TestPreview(t *testing.T) {
	f, err := ParseFilter("include:valmora", "exclude:football")
	if err != nil {
		t.Fatal(err)
	}
	arts := []Article{
		{ID: 1, Title: "Valmora port strike"},
		{ID: 2, Title: "Valmora football derby"},
		{ID: 3, Title: "Comet found"},
		{ID: 4, Title: "Buses in Valmora"},
	}
	kept, dropped := Preview(f, arts)
	ids := func(rows []PreviewRow) (out []int64) {
		for _, r := range rows {
			out = append(out, r.ID)
		}
		return out
	}
	if !slices.Equal(ids(kept), []int64{1, 4}) || !slices.Equal(ids(dropped), []int64{2, 3}) {
		t.Errorf("kept %v dropped %v, want [1 4] [2 3]", ids(kept), ids(dropped))
	}
	if dropped[0].Reason != "exclude:football matches the title" || dropped[1].Reason != "matches none of include:valmora" {
		t.Errorf("reasons %q, %q", dropped[0].Reason, dropped[1].Reason)
	}
}
