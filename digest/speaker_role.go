package digest

import "strings"

// Speakers named by role. "Helixa's chief executive" names a role of
// Helixa's, not Helixa: the speaker is the person holding it, named in
// apposition ("…, Ines Marlow,") or earlier in the article with that role,
// and otherwise the role itself.

// speakerRoleKey is the form a role word is remembered and matched in:
// lower case, without a possessive ending ("helixa's" → "helixa").
func speakerRoleKey(w string) string {
	return strings.TrimSuffix(strings.TrimSuffix(w, "'s"), "’s")
}

// resolveRole finds the person that the role phrase [a,b) at pos refers
// to: the latest person named before with the phrase's role noun ("the
// Kremlin spokesman" → "Kremlin Spokesman Dmitry Peskov") and, when the
// phrase qualifies the role with names ("Kremlin", "Helixa's", "Christie"),
// with one of them among the person's roles too. An indefinite phrase ("a
// Democratic strategist", "one source") introduces someone new and refers
// to nobody. It returns -1 when nobody fits.
func (c *quoteCtx) resolveRole(a, b, pos int) int {
	switch c.low(c.toks[a]) {
	case "a", "an", "one", "another", "some", "several", "many", "two", "three":
		return -1
	}
	h := -1
	for k := b - 1; k >= a; k-- {
		if speakerIsRoleNoun(c.low(c.toks[k])) {
			h = k
			break
		}
	}
	if h < 0 {
		return -1
	}
	head := speakerRoleKey(c.low(c.toks[h]))
	if speakerIsThingNoun(head) {
		return -1
	}
	// The names qualifying the role, at most a few.
	var quals [4]string
	nq := 0
	for k := a; k < h && nq < len(quals); k++ {
		t := c.toks[k]
		w := c.low(t)
		// "the prime minister's official spokesman" is the minister's,
		// not any spokesman's.
		owner := t.word && !t.cap && c.isPossessive(k) && !speakerIsDeterminer(speakerRoleKey(w))
		if owner || t.word && t.cap && !speakerIsTitleWord(w) && !speakerIsNonName(w) && !speakerIsDeterminer(w) {
			quals[nq] = speakerRoleKey(w)
			nq++
		}
	}
	last := c.mentionBefore(pos)
	for i := last; i >= 0 && i > last-quoteLookBack; i-- {
		e := &c.ents[c.mentions[i].ent]
		if e.multi && quoteHasString(e.roles, head) && (nq == 0 || quoteHasAny(e.roles, quals[:nq])) {
			return c.mentions[i].ent
		}
	}
	return -1
}

// quoteHasAny reports whether list holds one of the strings in any.
func quoteHasAny(list, any []string) bool {
	for _, s := range any {
		if quoteHasString(list, s) {
			return true
		}
	}
	return false
}

// isPossessive reports whether token k is a word with a possessive ending:
// "Helixa's", "company’s", "Reyes'".
func (c *quoteCtx) isPossessive(k int) bool {
	t := c.toks[k]
	if !t.word {
		return false
	}
	w := c.text[t.s:t.e]
	return strings.HasSuffix(w, "'s") || strings.HasSuffix(w, "’s") ||
		t.cap && (strings.HasSuffix(w, "s'") || strings.HasSuffix(w, "s’"))
}

// ownsRole reports whether capitalised token k, inside the phrase [k,b),
// only qualifies the role words after it: "Helixa's chief executive", "a
// Clinton campaign aide". Then it names the owner of a role, not the
// speaker; a person's name after the role ("Russia's foreign minister
// Sergei Lavrov") is not the case, since k is then not the phrase's last
// capitalised word.
func (c *quoteCtx) ownsRole(k, b int) bool {
	if k+1 < b && c.toks[b-1].cap && speakerIsTitleWord(c.low(c.toks[b-1])) && c.isPlaceholderTitle(k+1, b) {
		return true // "the Manchester Central MP", "the Kremlin Spokesman"
	}
	if k+1 >= b || !c.isRoleTail(k+1, b) {
		return false
	}
	w := c.low(c.toks[b-1])
	if c.isPossessive(k) {
		// "Helixa's statement", "Trump's tweet": the owner speaks through it.
		return !speakerIsDocumentNoun(w)
	}
	// "the Trump campaign", "the Kremlin office" stay the body's own words.
	return !speakerIsThingNoun(w) && c.toks[b-1].word && !c.toks[b-1].cap
}

// isPlaceholderTitle reports whether the words [s,b) are only titles and
// role words, "MP", "Party Co-Chairman": no name among or after them.
func (c *quoteCtx) isPlaceholderTitle(s, b int) bool {
	for j := s; j < b; j++ {
		if t := c.toks[j]; !t.word || !speakerIsTitleWord(c.low(t)) && !speakerIsRoleNoun(c.low(t)) {
			return false
		}
	}
	return true
}

// isRoleTail reports whether the words [s,b) spell a role: role nouns or
// kinship words, the last of them one, with at most one other word among
// them ("chief executive", "longtime spokesman", "niece"). Longer runs of
// other words are a clause a looser phrase swept up ("right-hand woman
// rallied supporters"), not a role.
func (c *quoteCtx) isRoleTail(s, b int) bool {
	other := 0
	for j := s; j < b; j++ {
		t := c.toks[j]
		if !t.word {
			return false
		}
		w := c.low(t)
		if speakerIsRoleNoun(w) || speakerIsKinNoun(w) {
			continue
		}
		if w == "of" && j > s && speakerIsRoleNoun(c.low(c.toks[j-1])) {
			return true // "chief of staff", "secretary of state"
		}
		if t.cap && !speakerIsTitleWord(w) || j == b-1 {
			return false
		}
		if other++; other > 1 {
			return false
		}
	}
	return true
}

// roleWithoutName reports whether the noun phrase [a,b) names its speaker
// by a role only: it holds a role noun, and no capitalised name, or its
// capitalised words own the role ("Helixa's chief executive") or precede
// it after a determiner ("der Sprecher des Ministeriums", "the Kremlin
// spokesman").
func (c *quoteCtx) roleWithoutName(a, b int) bool {
	role := false
	for k := a; k < b && !role; k++ {
		w := c.low(c.toks[k])
		role = c.toks[k].word && (speakerIsRoleNoun(w) || speakerIsKinNoun(w))
	}
	if !role {
		return false
	}
	if !c.hasName(a, b) || speakerIsDeterminer(c.low(c.toks[a])) {
		return true
	}
	for k := b - 1; k >= a; k-- {
		t := c.toks[k]
		if w := c.low(t); t.cap && !speakerIsTitleWord(w) && !speakerIsRoleNoun(w) && !speakerIsNonName(w) {
			return c.ownsRole(k, b)
		}
	}
	return false
}

// appositiveName extends a speaker's noun phrase [a,b) that names a role
// only over the name in apposition after it, "Helixa's chief executive,
// Ines Marlow", "der Sprecher des Ministeriums, Thomas Müller", and returns
// the phrase's new end (b when there is none).
func (c *quoteCtx) appositiveName(a, b, hi int) int {
	if b+1 >= hi || !quoteIsPunct(c.text, c.toks[b], ',') || !c.roleWithoutName(a, b) {
		return b
	}
	a2, b2 := c.npRight(b+1, hi, false)
	if a2 < 0 || !c.hasName(a2, b2) || c.roleWithoutName(a2, b2) {
		return b
	}
	return b2
}

// rolesBeforeComma appends to roles the role words of a phrase that ends
// with a comma just before the name at token a and names its role alone:
// "Helixa's spokesman, Tom Reyes", "The company's chief executive, Ines
// Marlow". The phrase must open its sentence or clause, at most after a
// determiner and a possessive, so that the end of an introductory phrase
// ("After talks with the minister, Tom Reyes said") gives no role.
func (c *quoteCtx) rolesBeforeComma(a, lo int, roles []string) []string {
	if a-2 < lo || !quoteIsPunct(c.text, c.toks[a-1], ',') {
		return roles
	}
	k := a - 2
	for ; k >= lo && k > a-6; k-- {
		t := c.toks[k]
		if !t.word || t.cap || t.inq || !speakerIsRoleNoun(c.low(t)) {
			break
		}
	}
	if k == a-2 {
		return roles
	}
	first := k + 1
	owner := -1
	if k >= lo && c.isPossessive(k) {
		owner = k
		k--
	}
	if k >= lo && speakerIsDeterminer(c.low(c.toks[k])) {
		k--
	}
	if k >= lo {
		switch quotePunct(c.text, c.toks[k]) { // -1 for a word
		case ',', ';', ':', '—', '–':
		default:
			return roles
		}
	}
	for j := first; j < a-1; j++ {
		roles = append(roles, speakerRoleKey(c.low(c.toks[j])))
	}
	if owner >= 0 {
		roles = append(roles, speakerRoleKey(c.low(c.toks[owner]))) // "helixa"
	}
	return roles
}
