package digest

import (
	"strings"
	"testing"
)

func TestKeyQuotes(t *testing.T) {
	body := `The council approved the transport plan on Tuesday, council leader Maria Jensen said.

"This plan gives every district a fair share of buses, trams and cycle lanes for the next ten years," Jensen said. "But it will take time."

Opposition member Tom Alders called the vote "rushed and careless" and walked out.

"Thank you," someone shouted from the gallery.`
	d := Parse("Council approves transport plan", body)
	qs := Quotes(d)
	ks := KeyQuotes(d, qs, 2)
	if len(ks) == 0 {
		t.Fatal("no key quotes")
	}
	if !strings.HasPrefix(ks[0].Text, "This plan gives every district") || ks[0].Quote.Speaker != "Maria Jensen" {
		t.Errorf("best key quote %q by %q", ks[0].Text, ks[0].Quote.Speaker)
	}
	if strings.HasSuffix(ks[0].Text, ",") {
		t.Errorf("key quote keeps the comma before its attribution: %q", ks[0].Text)
	}
	for _, k := range ks {
		if k.Quote.Partial || strings.HasPrefix(k.Text, "But") || k.Text == "Thank you," {
			t.Errorf("chose a fragment, a leaning or a phatic quote: %q", k.Text)
		}
		for _, p := range k.Pieces {
			if !strings.Contains(k.Text, d.Text[p[0]:p[1]]) {
				t.Errorf("piece %q not in %q", d.Text[p[0]:p[1]], k.Text)
			}
		}
	}
	if got := KeyQuotes(d, qs, 0); got != nil {
		t.Errorf("n=0 gave %d", len(got))
	}
	if got := KeyQuotes(d, nil, 2); got != nil {
		t.Errorf("no quotes gave %d", len(got))
	}
}

// TestKeyQuotesShortened: a long quotation is cut by whole sentences from
// its end, the cut marked "…", every word kept as written.
func TestKeyQuotesShortened(t *testing.T) {
	long := "We have worked on this plan for three years with every district and every school in the city. " +
		"It brings new buses to the north, new trams to the east and safer cycle lanes everywhere we could find room. " +
		"It will cost less than the old plan, and it will be finished by the end of the decade if the money arrives on time. " +
		"Nobody should think this is the last word."
	body := `"` + long + `" Jensen said.`
	d := Parse("", body)
	ks := KeyQuotes(d, Quotes(d), 1)
	if len(ks) != 1 {
		t.Fatalf("%d key quotes", len(ks))
	}
	k := ks[0]
	if !strings.HasSuffix(k.Text, " …") || len(k.Text) >= len(long) {
		t.Errorf("not shortened: %q", k.Text)
	}
	shown := strings.TrimSuffix(k.Text, " …")
	if !strings.HasPrefix(long, shown) || !strings.HasSuffix(shown, ".") {
		t.Errorf("shortened %q is not whole sentences from the start of %q", shown, long)
	}
	if n := len(strings.Fields(shown)); n > keyQuoteMaxWords {
		t.Errorf("shortened to %d words, more than %d", n, keyQuoteMaxWords)
	}
}

// TestKeyQuoteChoice: each row is an article whose best key quote, by the
// rules a reader would apply, is want (its first words), or none at all.
func TestKeyQuoteChoice(t *testing.T) {
	wall := strings.Repeat("and the money went to the roads and the schools and the parks ", 5)
	tests := []struct {
		name string
		body string
		want string // prefix of the best key quote's text; "" none
	}{
		{"a fragment in lower case is no key quote",
			`Correspondent Mark Reed said the chancellor had spoken before but "never before has he been so outspoken in defending the history of the country".`,
			""},
		{"a person named beats a role",
			`"We are doing research into the possibilities we have for the airline," a spokesman said. ` +
				`"We are checking whether there is action to be taken and in which courts," Michael Lamberty said.`,
			"We are checking whether"},
		{"a quotation with no sentence end to cut loses to one that reads",
			`"We built it ` + wall + `all of it," Jensen said. "The city is better for the plan we made together," Jensen said.`,
			"The city is better"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := Parse("", tt.body)
			ks := KeyQuotes(d, Quotes(d), 1)
			switch {
			case tt.want == "" && len(ks) > 0:
				t.Errorf("chose %q by %q, want none", ks[0].Text, ks[0].Quote.Speaker)
			case tt.want != "" && (len(ks) == 0 || !strings.HasPrefix(ks[0].Text, tt.want)):
				for _, q := range Quotes(d) {
					t.Logf("quote %q by %q", q.Text, q.Speaker)
				}
				t.Errorf("got %v, want one starting %q", ks, tt.want)
			}
		})
	}
}

// TestKeyQuoteTextEllipsis: a quotation that trails off with its own
// ellipsis gets no second one when it is cut there.
func TestKeyQuoteTextEllipsis(t *testing.T) {
	tests := []struct {
		text   string
		pieces [][2]int
		end    int
		want   string
	}{
		{"He had no proof. ... He lied again and again.", [][2]int{{0, 20}}, 45, "He had no proof. ..."},
		{"He had no proof… He lied again and again.", [][2]int{{0, 18}}, 41, "He had no proof…"},
		{"He had no proof. He lied again and again.", [][2]int{{0, 16}}, 41, "He had no proof. …"},
		{"He had no proof.", [][2]int{{0, 16}}, 16, "He had no proof."},
	}
	for _, tt := range tests {
		if got := keyQuoteText(tt.text, tt.pieces, tt.end); got != tt.want {
			t.Errorf("keyQuoteText(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}
