package digest

import (
	"strings"
	"testing"
)

// TestPorterStem checks the examples of Porter's paper and NLTK's
// extensions against the stems NLTK's PorterStemmer (NLTK_EXTENSIONS
// mode, as rouge_score uses it) gives for them.
func TestPorterStem(t *testing.T) {
	tests := []struct{ word, want string }{
		{"caresses", "caress"},
		{"ponies", "poni"},
		{"ties", "tie"},
		{"caress", "caress"},
		{"cats", "cat"},
		{"feed", "feed"},
		{"agreed", "agre"},
		{"plastered", "plaster"},
		{"bled", "bled"},
		{"motoring", "motor"},
		{"sing", "sing"},
		{"conflated", "conflat"},
		{"troubled", "troubl"},
		{"sized", "size"},
		{"hopping", "hop"},
		{"tanned", "tan"},
		{"falling", "fall"},
		{"hissing", "hiss"},
		{"fizzed", "fizz"},
		{"failing", "fail"},
		{"filing", "file"},
		{"happy", "happi"},
		{"sky", "sky"},
		{"relational", "relat"},
		{"conditional", "condit"},
		{"rational", "ration"},
		{"valenci", "valenc"},
		{"hesitanci", "hesit"},
		{"digitizer", "digit"},
		{"conformabli", "conform"},
		{"radicalli", "radic"},
		{"differentli", "differ"},
		{"vileli", "vile"},
		{"analogousli", "analog"},
		{"vietnamization", "vietnam"},
		{"predication", "predic"},
		{"operator", "oper"},
		{"feudalism", "feudal"},
		{"decisiveness", "decis"},
		{"hopefulness", "hope"},
		{"callousness", "callous"},
		{"formaliti", "formal"},
		{"sensitiviti", "sensit"},
		{"sensibiliti", "sensibl"},
		{"triplicate", "triplic"},
		{"formative", "form"},
		{"formalize", "formal"},
		{"electriciti", "electr"},
		{"electrical", "electr"},
		{"hopeful", "hope"},
		{"goodness", "good"},
		{"revival", "reviv"},
		{"allowance", "allow"},
		{"inference", "infer"},
		{"airliner", "airlin"},
		{"gyroscopic", "gyroscop"},
		{"adjustable", "adjust"},
		{"defensible", "defens"},
		{"irritant", "irrit"},
		{"replacement", "replac"},
		{"adjustment", "adjust"},
		{"dependent", "depend"},
		{"adoption", "adopt"},
		{"homologou", "homolog"},
		{"communism", "commun"},
		{"activate", "activ"},
		{"angulariti", "angular"},
		{"homologous", "homolog"},
		{"effective", "effect"},
		{"bowdlerize", "bowdler"},
		{"probate", "probat"},
		{"rate", "rate"},
		{"cease", "ceas"},
		{"controll", "control"},
		{"roll", "roll"},
		{"dying", "die"},
		{"lying", "lie"},
		{"news", "news"},
		{"innings", "inning"},
		{"proceed", "proceed"},
		{"flies", "fli"},
		{"dies", "die"},
		{"spied", "spi"},
		{"died", "die"},
		{"enjoy", "enjoy"},
		{"generously", "gener"},
		{"archaeology", "archaeolog"},
		{"geology", "geolog"},
		{"fully", "fulli"},
		{"generalli", "gener"},
		{"yyyy", "yyyi"},
		{"a", "a"},
		{"is", "is"},
		{"2004", "2004"},
		{"café", "café"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := PorterStem(tt.word); got != tt.want {
			t.Errorf("PorterStem(%q) = %q, want %q", tt.word, got, tt.want)
		}
	}
}

func TestStemMeasure(t *testing.T) {
	tests := []struct {
		w string
		m int
	}{
		{"tr", 0}, {"ee", 0}, {"tree", 0}, {"y", 0}, {"by", 0},
		{"trouble", 1}, {"oats", 1}, {"trees", 1}, {"ivy", 1},
		{"troubles", 2}, {"private", 2}, {"oaten", 2}, {"orrery", 2},
	}
	for _, tt := range tests {
		if got := stemMeasure([]byte(tt.w)); got != tt.m {
			t.Errorf("measure(%q) = %d, want %d", tt.w, got, tt.m)
		}
	}
}

// TestStemRulesOrder checks that every rule sits in the group of its
// suffix's last letter and that each group keeps NLTK's order, so that the
// first rule of a word's group that matches is NLTK's first match.
func TestStemRulesOrder(t *testing.T) {
	tests := []struct {
		name  string
		rules *stemRules
		nltk  string // the step's suffixes in NLTK's order
	}{
		{"step2", &stemStep2Rules, "ational tional enci anci izer bli alli entli eli ousli ization ation ator alism iveness fulness ousness aliti iviti biliti fulli logi"},
		{"step3", &stemStep3Rules, "icate ative alize iciti ical ful ness"},
		{"step4", &stemStep4Rules, "al ance ence er ic able ible ant ement ment ent ion ou ism ate iti ous ive ize"},
	}
	for _, tt := range tests {
		order := strings.Fields(tt.nltk)
		pos := make(map[string]int)
		for i, s := range order {
			pos[s] = i
		}
		n := 0
		for letter, group := range tt.rules {
			for k, r := range group {
				n++
				if int(r.suffix[len(r.suffix)-1]-'a') != letter {
					t.Errorf("%s: %q is in the group of %q", tt.name, r.suffix, rune('a'+letter))
				}
				if _, ok := pos[r.suffix]; !ok {
					t.Errorf("%s: %q is not one of NLTK's suffixes", tt.name, r.suffix)
				}
				if k > 0 && pos[group[k-1].suffix] >= pos[r.suffix] {
					t.Errorf("%s: %q comes after %q in NLTK", tt.name, group[k-1].suffix, r.suffix)
				}
			}
		}
		if n != len(order) {
			t.Errorf("%s: %d rules, NLTK has %d", tt.name, n, len(order))
		}
	}
}

func BenchmarkPorterStem(b *testing.B) {
	words := []string{"generously", "relational", "running", "conditional", "happiness", "electricity"}
	b.ReportAllocs()
	for b.Loop() {
		for _, w := range words {
			PorterStem(w)
		}
	}
}
