package bot

import "testing"

func TestQuoteSet(t *testing.T) {
	tests := []struct {
		name    string
		summary string
		quotes  []string
		want    []bool
	}{
		{"distinct", "", []string{"We will build it.", "It costs too much."}, []bool{true, true}},
		{"same words, other punctuation", "", []string{"We will build it.", "we will build it"}, []bool{true, false}},
		{"shorter version of a shown quote", "",
			[]string{"For forty years the east side has been cut off. That ends today.", "For forty years the east side has been cut off"},
			[]bool{true, false}},
		{"longer version of a shown quote", "",
			[]string{"That ends today", "For forty years the east side has been cut off. That ends today."},
			[]bool{true, false}},
		{"already in the summary", `The library will stay open. "A library should be open when people need it most."`,
			[]string{"A library should be open when people need it most.", "We listened"}, []bool{false, true}},
		{"part of a word is not containment", "", []string{"art", "We love the arts"}, []bool{true, true}},
		{"its first sentence is already in the summary",
			`"For forty years the east side has been cut off from the city," the mayor said.`,
			[]string{"For forty years the east side has been cut off from the city. That ends today.", "We will pay for it"},
			[]bool{false, true}},
		{"two outlets cut one quote at different ends", "",
			[]string{"We have charged these cells three thousand times and they still hold ninety percent",
				"these cells three thousand times and they still hold ninety percent of their capacity"},
			[]bool{true, false}},
		{"a few words in common are no repeat", "",
			[]string{"We will build the bridge next year", "We will build the bridge with our own money"},
			[]bool{true, true}},
		{"empty", "", []string{"", "…"}, []bool{false, false}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newQuoteSet(tt.summary)
			for i, q := range tt.quotes {
				if got := s.add(q); got != tt.want[i] {
					t.Errorf("add(%q) = %v, want %v", q, got, tt.want[i])
				}
			}
		})
	}
}
