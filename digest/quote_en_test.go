package digest

import "testing"

// TestQuotesEnglish covers the attribution patterns of English news
// writing. The texts are written for this test.
func TestQuotesEnglish(t *testing.T) {
	type want struct{ text, speaker, mention, cue string }
	tests := []struct {
		name string
		body string
		want []want
	}{
		{"single marks as main marks",
			"Prime Minister Jane Smith visited the plant. ‘We will keep these jobs,’ she said. ‘All of them.’",
			[]want{{"We will keep these jobs,", "Jane Smith", "she", "said"}, {"All of them.", "Jane Smith", "she", "said"}}},
		{"inverted with appositive",
			"\"The money is gone,\" said Paul Martin, a county detective, on Monday.",
			[]want{{"The money is gone,", "Paul Martin", "Paul Martin", "said"}}},
		{"subject before a long appositive",
			"\"We will appeal,\" Scott Pruitt, the attorney general of Oklahoma, one of the states suing the agency, said on Friday.",
			[]want{{"We will appeal,", "Scott Pruitt", "Scott Pruitt", "said"}}},
		{"role resolved to a name",
			"White House Press Secretary Jen Psaki spoke on Monday. Later the press secretary said that \"no decision has been made yet.\"",
			[]want{{"no decision has been made yet.", "Jen Psaki", "the press secretary", "said"}}},
		{"role with no name",
			"The company announced layoffs. \"This was a hard choice,\" a spokeswoman for the company said.",
			[]want{{"This was a hard choice,", "a spokeswoman for the company", "a spokeswoman for the company", "said"}}},
		{"according to",
			"According to Senator Maria Lopez, the bill is \"dead on arrival.\"",
			[]want{{"dead on arrival.", "Maria Lopez", "Senator Maria Lopez", "according to"}}},
		{"colon introduction",
			"The mayor was blunt: \"The budget does not add up.\"",
			[]want{{"The budget does not add up.", "the mayor", "The mayor", ""}}},
		{"quotation signed on the next line",
			"\"Nobody expected this result.\"\n\n— Anna Berg, campaign manager",
			[]want{{"Nobody expected this result.", "Anna Berg", "Anna Berg", ""}}},
		{"paragraph-initial quote attributed in the next sentence",
			"\"We are not going anywhere.\" Protest leader Omar Haddad said this to the crowd on Sunday.",
			[]want{{"We are not going anywhere.", "Omar Haddad", "Protest leader Omar Haddad", "said"}}},
		{"quotation over several paragraphs",
			"Governor Lee Park said in his speech:\n\n\"We built the roads. We built the schools.\n\n\"Now we will build the hospitals.\"",
			[]want{{"We built the roads. We built the schools.", "Lee Park", "Governor Lee Park", "said"},
				{"Now we will build the hospitals.", "Lee Park", "Governor Lee Park", "said"}}},
		{"question mark keeps its tail",
			"\"Why is this so hard?\" Senator Vitter demanded. \"Nobody can explain it.\"",
			[]want{{"Why is this so hard?", "Vitter", "Senator Vitter", "demanded"}, {"Nobody can explain it.", "Vitter", "Senator Vitter", "demanded"}}},
		{"titles and scare quotes are not quotations",
			"She appeared on \"Face the Nation,\" a CBS programme, and called the plan \"silly\" in an op-ed titled \"Why Plans Fail\".",
			nil},
		{"participle takes the clause subject",
			"During a rally in Ohio, Trump attacked the plan, saying, \"It will cost you a fortune.\"",
			[]want{{"It will cost you a fortune.", "Trump", "Trump", "saying"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := Parse("", tt.body)
			qs := Quotes(d)
			if len(qs) != len(tt.want) {
				for _, q := range qs {
					t.Logf("found %q by %q (mention %q)", q.Text, q.Speaker, quoteMentionText(d, q))
				}
				t.Fatalf("%d quotes, want %d", len(qs), len(tt.want))
			}
			for i, w := range tt.want {
				q := qs[i]
				if q.Text != w.text || q.Speaker != w.speaker || quoteMentionText(d, q) != w.mention || q.Cue != w.cue {
					t.Errorf("quote %d: %q by %q (mention %q, cue %q), want %q by %q (mention %q, cue %q)",
						i, q.Text, q.Speaker, quoteMentionText(d, q), q.Cue, w.text, w.speaker, w.mention, w.cue)
				}
			}
		})
	}
}
