package digest

import "testing"

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

func BenchmarkPorterStem(b *testing.B) {
	words := []string{"generously", "relational", "running", "conditional", "happiness", "electricity"}
	b.ReportAllocs()
	for b.Loop() {
		for _, w := range words {
			PorterStem(w)
		}
	}
}
