package digest

import (
	"reflect"
	"testing"
)

func parseSentenceTexts(d *Document) []string {
	out := make([]string, len(d.Sentences))
	for i := range d.Sentences {
		out[i] = d.SentenceText(i)
	}
	return out
}

func TestParseSentences(t *testing.T) {
	tests := []struct {
		name string
		body string
		want []string
	}{
		{"plain", "The cat sat. The dog ran! Did it? Yes.",
			[]string{"The cat sat.", "The dog ran!", "Did it?", "Yes."}},
		{"abbreviations", "Mr. Smith went to the U.S. Embassy on Jan. 5 with Dr. Jones. They left at 3 p.m. on Monday.",
			[]string{"Mr. Smith went to the U.S. Embassy on Jan. 5 with Dr. Jones.", "They left at 3 p.m. on Monday."}},
		{"abbreviation ends sentence", "He moved to the U.S. The move was sudden.",
			[]string{"He moved to the U.S.", "The move was sudden."}},
		{"numbers and decimals", "Growth was 3.5 percent. See No. 7 on St. Mark's list.",
			[]string{"Growth was 3.5 percent.", "See No. 7 on St. Mark's list."}},
		{"initials", "John F. Kennedy and J. R. R. Tolkien met. Nobody saw.",
			[]string{"John F. Kennedy and J. R. R. Tolkien met.", "Nobody saw."}},
		{"ellipsis", "He paused... Then he spoke. Wait… Go on.",
			[]string{"He paused...", "Then he spoke.", "Wait…", "Go on."}},
		{"quote tail stays", `"I love cats!" insists Burton. "I absolutely do."`,
			[]string{`"I love cats!" insists Burton.`, `"I absolutely do."`}},
		{"quote ends sentence", `It was "quite predicted." "That is so," he said.`,
			[]string{`It was "quite predicted."`, `"That is so," he said.`}},
		{"title with full stops", `He spoke on the "Moscow. Kremlin. Putin" programme. Then he left.`,
			[]string{`He spoke on the "Moscow. Kremlin. Putin" programme.`, "Then he left."}},
		{"russian", "Песков заявил об этом в воскресенье. «Мы готовы», — сказал он. В. Путин согласен.",
			[]string{"Песков заявил об этом в воскресенье.", "«Мы готовы», — сказал он.", "В. Путин согласен."}},
		{"german ordinal date", "Das Treffen ist am 24. Januar in Berlin. Er kommt z.B. morgen.",
			[]string{"Das Treffen ist am 24. Januar in Berlin.", "Er kommt z.B. morgen."}},
		{"french spaced guillemets", "« Nous sommes prêts. » Il a ajouté : « Merci. » Fin.",
			[]string{"« Nous sommes prêts. »", "Il a ajouté : « Merci. »", "Fin."}},
		{"spanish inverted marks", "¿Vienes? ¡Claro! Dijo que sí.",
			[]string{"¿Vienes?", "¡Claro!", "Dijo que sí."}},
		{"decimal number ends a sentence", "Profits fell by 6.6% to 8.6%. Krispy Kreme said so. It cost $4.9m. Shares fell.",
			[]string{"Profits fell by 6.6% to 8.6%.", "Krispy Kreme said so.", "It cost $4.9m.", "Shares fell."}},
		{"empty", "", []string{}},
		{"spaces only", " \n\n\t ", []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := Parse("", tt.body)
			got := parseSentenceTexts(d)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("sentences:\n got %q\nwant %q", got, tt.want)
			}
		})
	}
}

func TestParseParagraphs(t *testing.T) {
	tests := []struct {
		name string
		body string
		want []string
	}{
		{"blank lines", "One. Two.\n\nThree.", []string{"One. Two.", "Three."}},
		{"one per line", "First line.\nSecond line.\nThird", []string{"First line.", "Second line.", "Third"}},
		{"hard wrapped", "This is a long line of prose that was wrapped by an old mail program at\nseventy characters or so. It goes on.\n\nNext.",
			[]string{"This is a long line of prose that was wrapped by an old mail program at\nseventy characters or so. It goes on.", "Next."}},
		{"lower-case continuation", "He said that\nit would rain.", []string{"He said that\nit would rain."}},
		{"CRLF", "One.\r\n\r\nTwo.\r\n", []string{"One.", "Two."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := Parse("", tt.body)
			var got []string
			for _, p := range d.Paragraphs {
				got = append(got, d.Text[p.Start:p.End])
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("paragraphs:\n got %q\nwant %q", got, tt.want)
			}
		})
	}
}

func TestParseKinds(t *testing.T) {
	tests := []struct {
		name string
		body string
		want []SentenceKind
	}{
		{"tass dateline", "MOSCOW, January 24. /TASS/. Russia expects talks, he said.", []SentenceKind{Dateline, Prose}},
		{"reuters dateline", "WASHINGTON (Reuters) - The U.S. Senate voted on Tuesday.", []SentenceKind{Dateline, Prose}},
		{"state dateline", "SAN FRANCISCO, Calif. — Rain fell.", []SentenceKind{Dateline, Prose}},
		{"russian dateline", "МОСКВА, 24 января. /ТАСС/. Россия ожидает диалога.", []SentenceKind{Dateline, Prose}},
		{"no dateline", "NATO said on Monday it would meet.", []SentenceKind{Prose}},
		{"capitals sentence", "BREAKING NEWS. The markets fell.", []SentenceKind{Prose, Prose}},
		{"subheading", "The talks went well.\nFlexibility in relations\nThey will meet again.", []SentenceKind{Prose, Subheading, Prose}},
		{"byline", "By Jane Smith, BBC News\n\nThe talks went well.", []SentenceKind{Byline, Prose}},
		{"credit", "Photo: Reuters\n\nThe talks went well.\n\n(Getty Images)", []SentenceKind{Credit, Prose, Credit}},
		{"read more", "The talks went well.\n\nRead more: Why talks fail\n\nShare this article", []SentenceKind{Prose, Boilerplate, Boilerplate}},
		{"share buttons", "The talks went well.\nFacebook Twitter Email", []SentenceKind{Prose, Boilerplate}},
		{"dateline on a line of its own", "WASHINGTON —\n\nThe Senate voted on Tuesday.", []SentenceKind{Dateline, Prose}},
		{"dateline after archive labels", "ABSTRACT.\n\nThe program is debated again.\n\nFULL TEXT.\n\nWASHINGTON - A visa program will expire.",
			[]SentenceKind{Prose, Prose, Prose, Dateline, Prose}},
		{"horizontal bar dateline", "WASHINGTON ― The Senate voted on Tuesday.", []SentenceKind{Dateline, Prose}},
		{"agency glued to the story", "(CNN)Two survivors were found on Monday.", []SentenceKind{Dateline, Prose}},
		{"agency before the story", "(CNN) Two survivors were found on Monday.", []SentenceKind{Dateline, Prose}},
		{"parenthesis that is prose", "(The vote was close.) The council met.", []SentenceKind{Prose, Prose}},
		{"by and a day is prose", "The bird came on Monday.\n\nBy Thursday it had built a nest.", []SentenceKind{Prose, Prose}},
		{"by and a month is prose", "By March the firm had closed.\n\nThe talks went well.", []SentenceKind{Prose, Prose}},
		{"byline with two names", "By Jane Smith and Tom Reyes\n\nThe talks went well.", []SentenceKind{Byline, Prose}},
		{"long caption", "Image caption The minister, seen here at the summit in June, has denied every claim that the former aide made against him in the book\n\nThe talks went well.", []SentenceKind{Credit, Prose}},
		{"scroll down", "The talks went well. Scroll down for video. They will meet again.", []SentenceKind{Prose, Boilerplate, Prose}},
		{"embedded post", "The talks went well.\n\nWe met today.pic.twitter.com/AbC123 — Jane Doe (@janedoe) May 2, 2024\n\nThey will meet again.", []SentenceKind{Prose, Boilerplate, Prose}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := Parse("", tt.body)
			var got []SentenceKind
			for _, s := range d.Sentences {
				got = append(got, s.Kind)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("kinds of %q: got %v want %v", parseSentenceTexts(d), got, tt.want)
			}
		})
	}
}

func TestDetectLanguage(t *testing.T) {
	tests := []struct{ text, want string }{
		{"The president said on Monday that the talks with the opposition would go on.", "en"},
		{"Президент заявил в понедельник, что переговоры с оппозицией продолжатся.", "ru"},
		{"Der Präsident sagte am Montag, dass die Gespräche mit der Opposition weitergehen werden.", "de"},
		{"Le président a déclaré lundi que les discussions avec l'opposition vont continuer.", "fr"},
		{"El presidente dijo el lunes que las conversaciones con la oposición van a continuar.", "es"},
		{"Il presidente ha detto lunedì che i colloqui con l'opposizione continueranno anche nella settimana della crisi.", "it"},
		{"总统周一表示，与反对派的会谈将继续进行。", "zh"},
		{"", ""},
		{"12345 67890 !!!", ""},
	}
	for _, tt := range tests {
		if got := DetectLanguage(tt.text); got != tt.want {
			t.Errorf("DetectLanguage(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}
