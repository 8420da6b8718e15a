package digest

import "testing"

// TestQuotesLanguages checks quotation marks, cues and speakers in the
// languages the package handles beyond English. The texts are written for
// this test.
func TestQuotesLanguages(t *testing.T) {
	type want struct{ text, speaker, mention string }
	tests := []struct {
		name, lang, body string
		want             []want
	}{
		{"russian", "ru",
			"Пресс-секретарь президента Дмитрий Песков выступил в воскресенье. «Мы готовы к диалогу», — заявил Песков. " +
				"«Но любовь нельзя навязать», — подчеркнул он. По словам Пескова, «это было вполне предсказуемо».",
			[]want{{"Мы готовы к диалогу", "Дмитрий Песков", "Песков"},
				{"Но любовь нельзя навязать", "Дмитрий Песков", "он"},
				{"это было вполне предсказуемо", "Дмитрий Песков", "Пескова"}}},
		{"german", "de",
			"„Wir sind bereit“, sagte Bundeskanzlerin Angela Merkel am Montag in Berlin. Sie fügte hinzu: „Das ist ein wichtiger Schritt für uns alle.“",
			[]want{{"Wir sind bereit", "Angela Merkel", "Bundeskanzlerin Angela Merkel"},
				{"Das ist ein wichtiger Schritt für uns alle.", "Angela Merkel", "Sie"}}},
		{"german reversed guillemets", "de",
			"»Das ist nicht akzeptabel«, sagte der Sprecher des Ministeriums, Thomas Müller, am Dienstag. Die Regierung werde das prüfen.",
			[]want{{"Das ist nicht akzeptabel", "Thomas Müller", "der Sprecher des Ministeriums, Thomas Müller"}}},
		{"french", "fr",
			"« Nous sommes prêts », a déclaré Emmanuel Macron lundi. « C'est une étape importante pour la France », a-t-il ajouté.",
			[]want{{"Nous sommes prêts", "Emmanuel Macron", "Emmanuel Macron"},
				{"C'est une étape importante pour la France", "Emmanuel Macron", "a-t-il"}}},
		{"spanish", "es",
			"«Estamos listos para el diálogo», afirmó el presidente Pedro Sánchez. Según Sánchez, «el acuerdo es histórico para el país».",
			[]want{{"Estamos listos para el diálogo", "Pedro Sánchez", "el presidente Pedro Sánchez"},
				{"el acuerdo es histórico para el país", "Pedro Sánchez", "Sánchez"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := Parse("", tt.body)
			if d.Language != tt.lang {
				t.Errorf("language %q, want %q", d.Language, tt.lang)
			}
			qs := Quotes(d)
			if len(qs) != len(tt.want) {
				for _, q := range qs {
					t.Logf("found %q by %q", q.Text, q.Speaker)
				}
				t.Fatalf("%d quotes, want %d", len(qs), len(tt.want))
			}
			for i, w := range tt.want {
				q := qs[i]
				if q.Text != w.text || q.Speaker != w.speaker || quoteMentionText(d, q) != w.mention {
					t.Errorf("quote %d: %q by %q (mention %q), want %q by %q (mention %q)",
						i, q.Text, q.Speaker, quoteMentionText(d, q), w.text, w.speaker, w.mention)
				}
			}
		})
	}
}

// TestQuotesUnhandledLanguage: a language the package does not handle gets
// its quotations by marks, but no guessed speakers.
func TestQuotesUnhandledLanguage(t *testing.T) {
	d := Parse("", "「私たちは準備ができている」と首相は述べた。\n\"Questo è un test molto importante per tutti noi\", ha detto il ministro della cultura.")
	for _, q := range Quotes(d) {
		if q.Speaker != "" && d.Language != "en" {
			t.Errorf("language %q: speaker %q guessed for %q", d.Language, q.Speaker, q.Text)
		}
	}
}
