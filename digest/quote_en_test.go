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
		// A possessive before a role names whose role it is, not who speaks:
		// the person named in apposition does.
		{"possessive role then the name in apposition",
			"\"We will ship in May,\" Helixa's chief executive, Ines Marlow, said. \"The factory is ready,\" she said.",
			[]want{{"We will ship in May,", "Ines Marlow", "Helixa's chief executive, Ines Marlow", "said"},
				{"The factory is ready,", "Ines Marlow", "she", "said"}}},
		{"inverted possessive role then the name",
			"\"We will ship in May,\" said Helixa's chief executive, Ines Marlow. She added: \"The factory is ready.\"",
			[]want{{"We will ship in May,", "Ines Marlow", "Helixa's chief executive, Ines Marlow", "said"},
				{"The factory is ready.", "Ines Marlow", "She", "added"}}},
		{"question, then possessive role and name in the next sentence",
			"\"Will we ship in May?\" Helixa's chief executive, Ines Marlow (Helixa Labs), asked. \"Nobody knows,\" she said.",
			[]want{{"Will we ship in May?", "Ines Marlow", "Helixa's chief executive, Ines Marlow", "asked"},
				{"Nobody knows,", "Ines Marlow", "she", "said"}}},
		{"name then possessive role in apposition",
			"\"We will ship in May,\" Ines Marlow, Helixa's chief executive, said. \"The factory is ready,\" she said.",
			[]want{{"We will ship in May,", "Ines Marlow", "Ines Marlow", "said"},
				{"The factory is ready,", "Ines Marlow", "she", "said"}}},
		{"possessive role and name before the cue, no commas",
			"Helixa makes batteries. \"We will ship in May,\" the company's chief executive Ines Marlow said. \"The factory is ready,\" she said.",
			[]want{{"We will ship in May,", "Ines Marlow", "the company's chief executive Ines Marlow", "said"},
				{"The factory is ready,", "Ines Marlow", "she", "said"}}},
		{"country's minister and name",
			"\"The talks are over,\" Russia's foreign minister Sergei Lavrov said on Monday. \"We have nothing to add,\" he said.",
			[]want{{"The talks are over,", "Sergei Lavrov", "Russia's foreign minister Sergei Lavrov", "said"},
				{"We have nothing to add,", "Sergei Lavrov", "he", "said"}}},
		{"possessive role resolved to a name introduced earlier",
			"Helixa's spokesman, Tom Reyes, met reporters on Monday. \"We will ship in May,\" Helixa's spokesman said.",
			[]want{{"We will ship in May,", "Tom Reyes", "Helixa's spokesman", "said"}}},
		{"possessive role with nobody named",
			"Helixa makes batteries. \"We will ship in May,\" Helixa's spokesman said.",
			[]want{{"We will ship in May,", "Helixa's spokesman", "Helixa's spokesman", "said"}}},
		{"an indefinite role is someone new",
			"Helixa's spokesman, Tom Reyes, met reporters. \"It is late,\" a spokesman for the union said.",
			[]want{{"It is late,", "a spokesman for the union", "a spokesman for the union", "said"}}},
		{"a role qualified by another name is someone else",
			"Kremlin spokesman Dmitry Peskov spoke first. \"We disagree,\" the Ukrainian spokesman said.",
			[]want{{"We disagree,", "the Ukrainian spokesman", "the Ukrainian spokesman", "said"}}},
		{"a name with initials in apposition is no party label",
			"Another critic, Laura H. Tran, said: \"The rules burn the Constitution.\"",
			[]want{{"The rules burn the Constitution.", "Laura H. Tran", "Laura H. Tran", "said"}}},
		{"nickname in quotation marks inside the name",
			"\"Nobody came to help,\" John \"Tig\" Tiegen said. \"We waited,\" he said.",
			[]want{{"Nobody came to help,", "John \"Tig\" Tiegen", "John \"Tig\" Tiegen", "said"},
				{"We waited,", "John \"Tig\" Tiegen", "he", "said"}}},
		{"he is the person, not the broadcaster named first",
			"During an interview with BBC Radio 4's Today programme, Mr Balls said the budget was safe. \"There will be no spending spree,\" he said.",
			[]want{{"There will be no spending spree,", "Balls", "he", "said"}}},
		{"a party before a role is no person",
			"Lib Dem home affairs spokesman Mark Oaten attacked the plan. \"It is a shambles,\" he said.",
			[]want{{"It is a shambles,", "Mark Oaten", "he", "said"}}},
		{"an occupation before the name is not the name",
			"Actor Keanu Reeves was given a star on Monday. \"I am grateful,\" Reeves said.",
			[]want{{"I am grateful,", "Keanu Reeves", "Reeves", "said"}}},
		{"a party and a seat before the name",
			"Labour MP Jean Corston chaired the inquiry. \"Every death is one too many,\" Ms Corston said.",
			[]want{{"Every death is one too many,", "Jean Corston", "Ms Corston", "said"}}},
		{"a party word before the name",
			"Republican Donald Trump spoke in Ohio. \"We will win this state,\" Trump said.",
			[]want{{"We will win this state,", "Donald Trump", "Trump", "said"}}},
		{"a relative named by first name only",
			"Richey Edwards vanished in 1995. His sister Rachel made a TV appeal five years later. \"We love him very much,\" she said.",
			[]want{{"We love him very much,", "Rachel", "she", "said"}}},
		{"appositive without its closing comma",
			"\"We are doing research into the options,\" Michael Lamberty, a Lufthansa spokesman told the BBC.",
			[]want{{"We are doing research into the options,", "Michael Lamberty", "Michael Lamberty", "told"}}},
		{"a body's role then the name",
			"\"We need a good and feasible plan,\" National Bureau of Statistics chief Li Deshui told reporters.",
			[]want{{"We need a good and feasible plan,", "Li Deshui", "National Bureau of Statistics chief Li Deshui", "told"}}},
		{"two people with one family name",
			"Ozzy Osbourne toured in May. His wife Sharon Osbourne stayed home. \"It was a quiet month,\" Sharon Osbourne said. \"I loved it,\" Ozzy Osbourne said.",
			[]want{{"It was a quiet month,", "Sharon Osbourne", "Sharon Osbourne", "said"}, {"I loved it,", "Ozzy Osbourne", "Ozzy Osbourne", "said"}}},
		{"a verb that opens the sentence is no given name",
			"Hillary Clinton spoke in Ohio. Injecting Clinton into the race helped. \"We will win,\" Clinton said.",
			[]want{{"We will win,", "Hillary Clinton", "Clinton", "said"}}},
		{"a possessive pronoun stands for its owner",
			"Home Secretary Jack Reid spoke on Monday. His comments were \"a recognition that people will get drunk\".",
			[]want{{"a recognition that people will get drunk", "Jack Reid", "His", "comments"}}},
		{"a role that opens the sentence is shown in lower case",
			"The talks ended on Monday. A spokesman said: \"We will meet again in May.\"",
			[]want{{"We will meet again in May.", "a spokesman", "A spokesman", "said"}}},
		{"a role someone else owns is not any holder of the role",
			"Lib Dem foreign affairs spokesman Menzies Campbell spoke first. \"The words were his,\" the prime minister's official spokesman said.",
			[]want{{"The words were his,", "the prime minister's official spokesman", "the prime minister's official spokesman", "said"}}},
		{"a quotation that ends its sentence takes no speaker from the next",
			"\"We bought it because it could be delivered when we hoped to get it.\" Boeing continues to lead in Japan, where Japanese firms build parts of the plane.",
			[]want{{"We bought it because it could be delivered when we hoped to get it.", "", "", ""}}},
		{"UTF-8 read as Latin-1 keeps a name whole",
			"\"Europe must defend itself,\" French President FranÃ§ois Hollande said.",
			[]want{{"Europe must defend itself,", "FranÃ§ois Hollande", "French President FranÃ§ois Hollande", "said"}}},
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
