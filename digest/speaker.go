package digest

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// quoteAttr is the attribution of a quotation: the tokens [npS,npE) of the
// speaker's mention (npS < 0: none), the cue, and the resolved speaker.
type quoteAttr struct {
	npS, npE  int
	cue       string
	speaker   string
	continued bool
}

// quoteLookBack bounds how many earlier mentions resolving a pronoun or a
// role looks through, keeping Quotes linear in the text's length.
const quoteLookBack = 400

// quoteEntity is a person (or a body speaking as one) named in the text.
type quoteEntity struct {
	name   string   // the fullest form of the name seen: "Dmitry Peskov"
	last   string   // its last word in lower case, the key later mentions match on
	roles  []string // lower-case role words seen with it: "kremlin", "spokesman"
	gender byte     // 'm', 'f' or 0 unknown
	multi  bool     // named with two words or more, or with a title: surely a person
	org    bool     // every mention reads as a body, not a person: "BBC Radio", "Lib Dem"
}

// quoteMention is a place the text names an entity.
type quoteMention struct {
	s, e int // byte offsets of the mention
	ent  int // index into quoteCtx.ents
	subj bool
}

// findNames collects the person names mentioned outside quotations and
// links repeated mentions ("Kremlin Spokesman Dmitry Peskov" … "Peskov")
// to one entity.
func (c *quoteCtx) findNames() {
	for si := 0; si+1 < len(c.sentTok); si++ {
		if c.d.Sentences[si].Kind != Prose {
			continue
		}
		lo, hi := c.sentTok[si], c.sentTok[si+1]
		first := true
		for k := lo; k < hi; {
			t := c.toks[k]
			if !t.word || !t.cap || t.inq {
				k++
				continue
			}
			e := k + 1
			for e < hi {
				u := c.toks[e]
				if n := c.nickEnd(e, hi); n > e && !u.inq {
					e = n // Marcia "Cia" Price
					continue
				}
				if u.inq || !u.word {
					break
				}
				if u.cap {
					e++
					continue
				}
				if e+1 < hi && c.toks[e+1].cap && c.toks[e+1].word && speakerIsNameParticle(c.low(u)) {
					e += 2
					continue
				}
				break
			}
			if c.addNameRun(k, e, lo, hi, first && k <= lo+6) {
				first = false
			}
			k = e
		}
	}
}

// addNameRun records the capitalised run of tokens [a,b) if it names a
// person: leading sentence words are dropped and titles before the name
// become the person's roles. It reports whether it recorded a name that
// surely is a person's.
func (c *quoteCtx) addNameRun(a, b, lo, hi int, subj bool) bool {
	for a < b && speakerIsNonName(c.low(c.toks[a])) && !(c.lang == "en" && a+1 < b && speakerIsForeignArticle(c.low(c.toks[a]))) {
		a++
	}
	if a >= b {
		return false
	}
	// The name is what follows the last title or role word.
	t := a - 1
	for k := a; k < b; k++ {
		w := c.low(c.toks[k])
		if speakerIsTitleWord(w) || speakerIsRoleNoun(w) {
			t = k
		}
	}
	if t+1 >= b {
		return false
	}
	// A party word before a full name is no part of it: "Republican
	// Donald Trump", "Labour MP Jean Corston" (MP is a title).
	for t+3 < b && speakerIsAffiliation(c.low(c.toks[t+1])) && !speakerIsOrgWord(c.low(c.toks[b-1])) {
		t++ // "Liberal Democrat Sarah Teather"
	}
	var roles []string
	var gender byte
	for k := a; k <= t; k++ {
		w := c.low(c.toks[k])
		roles = append(roles, speakerRoleKey(w))
		switch w {
		case "mr", "herr", "m", "monsieur", "sr", "don", "господин":
			gender = 'm'
		case "mrs", "ms", "miss", "frau", "mme", "madame", "mlle", "sra", "doña", "госпожа":
			gender = 'f'
		}
	}
	// Lower-case roles just before the run: "Kremlin spokesman Dmitry
	// Peskov", "his sister Rachel". A person's role or kin word right
	// before a name makes it surely a person's, and may tell the gender.
	person := false
	for k := a - 1; k >= lo && k >= a-4; k-- {
		u := c.toks[k]
		if !u.word || u.inq {
			break
		}
		w := c.low(u)
		kin := speakerIsKinNoun(w)
		if !u.cap && !speakerIsRoleNoun(w) && !kin {
			break
		}
		if k == a-1 && !u.cap && (kin || !speakerIsThingNoun(speakerRoleKey(w))) {
			person = true
		}
		if gender == 0 {
			gender = speakerNounGender(speakerRoleKey(w))
		}
		roles = append(roles, speakerRoleKey(w))
	}
	// A role in apposition before it: "Helixa's spokesman, Tom Reyes".
	roles = c.rolesBeforeComma(a, lo, roles)
	// An appositive after it: "Paul Martin, a Pinellas sheriff's detective",
	// "Ines Marlow, Helixa's chief executive".
	if b+1 < hi && quoteIsPunct(c.text, c.toks[b], ',') {
		w := c.low(c.toks[b+1])
		if w == "a" || w == "an" || w == "the" || speakerIsRoleNoun(w) || c.toks[b+1].cap && c.isPossessive(b+1) {
			for k := b + 1; k < hi && k < b+9; k++ {
				u := c.toks[k]
				if !u.word || u.inq {
					break
				}
				if w := c.low(u); speakerIsRoleNoun(w) || u.cap && c.isPossessive(k) {
					roles = append(roles, speakerRoleKey(w))
				}
			}
		}
	}
	name := c.nameText(t+1, b)
	s, e := c.toks[t+1].s, c.toks[b-1].e
	multi := b-(t+1) > 1 || t >= a || person
	// A first name that opens the sentence may be no name at all:
	// "Injecting Clinton into the race …".
	first := c.low(c.toks[t+1])
	given := b-(t+1) > 1 && (t+1 > lo || !strings.HasSuffix(first, "ing") && !strings.HasSuffix(first, "ed") &&
		!speakerIsCue(c.lang, first))
	ent := c.linkEntity(name, s, multi, given, roles, gender, c.isOrgRun(t+1, b, hi))
	c.mentions = append(c.mentions, quoteMention{s: s, e: e, ent: ent, subj: subj})
	return multi
}

// nameText returns the name the tokens [a,b) spell, without a possessive ending.
func (c *quoteCtx) nameText(a, b int) string {
	name := c.text[c.toks[a].s:c.toks[b-1].e]
	for _, suf := range [...]string{"'s", "’s", "'", "’"} {
		if strings.HasSuffix(name, suf) {
			return name[:len(name)-len(suf)]
		}
	}
	return name
}

// nameKey returns the lower-case last word of a name, the part that later
// mentions repeat.
func quoteNameKey(name string) string {
	// The last space or no-break space (strings.LastIndexAny, unrolled).
	if i := max(strings.LastIndexByte(name, ' '), strings.LastIndex(name, "\u00a0")); i >= 0 {
		name = name[i+1:]
	}
	return strings.ToLower(name)
}

// sameKey reports whether two last names are the same, allowing for the
// case endings of Russian ("Песков", "Пескова", "Пескову").
func (c *quoteCtx) sameKey(a, b string) bool {
	if a == b {
		return true
	}
	if c.lang != "ru" && c.lang != "uk" {
		return false
	}
	ra, rb := []rune(a), []rune(b)
	if len(ra) < 4 || len(rb) < 4 {
		return false
	}
	n := 0
	for n < len(ra) && n < len(rb) && ra[n] == rb[n] {
		n++
	}
	return n >= len(ra)-2 && n >= len(rb)-2 && n >= 4
}

// entityKey is the index key of a last name: the name itself, or for
// Russian its first four letters, so that case forms meet (sameKey then
// decides).
func (c *quoteCtx) entityKey(last string) string {
	if c.lang != "ru" && c.lang != "uk" {
		return last
	}
	n := 0
	for i := range last {
		if n == 4 {
			return last[:i]
		}
		n++
	}
	return last
}

// findEntity returns the latest entity whose last name matches key, or -1.
func (c *quoteCtx) findEntity(key string) int {
	ids := c.entIndex[c.entityKey(key)]
	for i := len(ids) - 1; i >= 0; i-- {
		if c.sameKey(c.ents[ids[i]].last, key) {
			return ids[i]
		}
	}
	return -1
}

// isOrgRun reports whether the capitalised run [a,b), in a sentence
// ending at token hi, names a body or a place rather than a person: it
// ends with a word like "Party", "Radio" or "Council", it opens with
// "New" or "Los" ("New Jersey", "Los Angeles"), it holds an acronym ("BBC
// Radio", "TUC"), or it qualifies a role that a person named after it
// holds ("Lib Dem home affairs spokesman Mark Oaten", "Kremlin spokesman
// Dmitry Peskov").
func (c *quoteCtx) isOrgRun(a, b, hi int) bool {
	if speakerIsOrgWord(c.low(c.toks[b-1])) || b-a > 1 && (c.low(c.toks[a]) == "new" || speakerIsForeignArticle(c.low(c.toks[a]))) {
		return true // "New Jersey", "New York Times", "Los Angeles"
	}
	for k := a; k < b; k++ {
		if quoteIsAcronym(c.text[c.toks[k].s:c.toks[k].e]) {
			return true
		}
	}
	for k := b; k < hi && k < b+4; k++ {
		u := c.toks[k]
		if !u.word || u.inq || u.cap {
			return false
		}
		if w := c.low(u); speakerIsRoleNoun(w) && !speakerIsThingNoun(w) {
			return k+1 < hi && c.toks[k+1].cap && c.toks[k+1].word
		}
	}
	return false
}

// quoteIsAcronym reports whether w is two or more capital letters and
// nothing else: "BBC", "TUC", "UK". Initials have dots, "G.K.".
func quoteIsAcronym(w string) bool {
	w = strings.TrimSuffix(w, "s") // "CSOs"
	if len(w) < 2 {
		return false
	}
	for i := 0; i < len(w); i++ {
		if w[i] < 'A' || w[i] > 'Z' {
			return false
		}
	}
	return true
}

// findNamed returns the entity that a mention of name (whose key
// quoteNameKey gives) at byte offset pos refers to: of the entities with its last name, the one with that very
// name when the mention gives more than the last name ("Sharon Osbourne",
// not Ozzy); for a last name alone, the one of them who spoke last before
// pos, else the first of them named, as news writing keeps the bare last
// name for the story's main person of that name; -1 when there is none.
func (c *quoteCtx) findNamed(name, key string, pos int) int {
	ids := c.entIndex[c.entityKey(key)]
	if len(ids) <= 1 {
		if len(ids) == 1 && c.sameKey(c.ents[ids[0]].last, key) {
			return ids[0]
		}
		return -1
	}
	if strings.Contains(name, " ") {
		for i := len(ids) - 1; i >= 0; i-- {
			if e := c.ents[ids[i]]; c.sameKey(e.last, key) && quoteSameName(e.name, name) {
				return ids[i]
			}
		}
	}
	for i := len(c.said) - 1; i >= 0 && i >= len(c.said)-quoteLookBack; i-- {
		if m := c.said[i]; m.s < pos && c.sameKey(c.ents[m.ent].last, key) {
			return m.ent
		}
	}
	for _, id := range ids {
		if c.sameKey(c.ents[id].last, key) {
			return id
		}
	}
	return -1
}

// quoteSameName reports whether two forms of a name may be one person's:
// equal, or one the other with words before it ("Peskov", "Dmitry Peskov").
func quoteSameName(a, b string) bool {
	return a == b || strings.HasSuffix(a, " "+b) || strings.HasSuffix(b, " "+a)
}

// linkEntity finds the entity the name mentioned at byte offset pos refers
// to, or creates one. A full name whose given name differs from the
// entity's ("Sharon Osbourne" after "Ozzy Osbourne") is someone else when
// given says the first word is surely a given name. An entity stays a
// body only while every mention of it reads as one.
func (c *quoteCtx) linkEntity(name string, pos int, multi, given bool, roles []string, gender byte, org bool) int {
	key := quoteNameKey(name)
	i := c.findNamed(name, key, pos)
	if i >= 0 && given && strings.Contains(c.ents[i].name, " ") && !quoteSameName(c.ents[i].name, name) {
		i = -1
	}
	if i >= 0 {
		e := &c.ents[i]
		// A fuller form of the name replaces a shorter one it ends with,
		// "Peskov" → "Dmitry Peskov", but not a different one: "Hillary
		// Clinton" stays when a sentence opens "Injecting Clinton into …".
		if len(name) > len(e.name) && strings.Contains(name, " ") &&
			(!strings.Contains(e.name, " ") || strings.HasSuffix(name, " "+e.name)) {
			e.name = name
		}
		for _, r := range roles {
			if len(e.roles) < 16 && !quoteHasString(e.roles, r) {
				e.roles = append(e.roles, r)
			}
		}
		e.multi = e.multi || multi
		e.org = e.org && org
		if e.gender == 0 {
			e.gender = gender
		}
		return i
	}
	c.ents = append(c.ents, quoteEntity{name: name, last: key, roles: roles, gender: gender, multi: multi, org: org})
	if c.entIndex == nil {
		c.entIndex = make(map[string][]int)
	}
	k := c.entityKey(key)
	c.entIndex[k] = append(c.entIndex[k], len(c.ents)-1)
	return len(c.ents) - 1
}

// speakerName resolves the mention an attribution rests on to a name, and
// remembers who spoke.
func (c *quoteCtx) speakerName(a quoteAttr, pos int) string {
	ent, name := c.resolve(a.npS, a.npE, pos)
	if ent >= 0 {
		c.said = append(c.said, quoteMention{s: c.toks[a.npS].s, e: c.toks[a.npE-1].e, ent: ent, subj: true})
		return c.ents[ent].name
	}
	return name
}

// resolve returns the entity the mention [a,b) refers to, or -1 and the
// text to show for a speaker known only by role or description.
func (c *quoteCtx) resolve(a, b, pos int) (int, string) {
	if b-a == 1 {
		w := c.low(c.toks[a])
		g := speakerPronoun(w)
		if g == 0 {
			g = quoteFrenchInversion(w)
		}
		if g == 0 {
			g = speakerPossessive(w) // "his comments", "her remarks"
		}
		switch g {
		case 'm', 'f':
			return c.resolvePronoun(g, c.toks[a].s), ""
		case 'p', 'i', 'n':
			return -1, ""
		}
	}
	// Several people: "Burton and Nick".
	for k := a + 1; k+1 < b; k++ {
		switch c.low(c.toks[k]) {
		case "and", "&", "и", "und", "et", "y":
			if c.toks[k-1].cap && c.toks[k+1].cap {
				return -1, c.text[c.toks[a].s:c.toks[b-1].e]
			}
		}
	}
	whole := b
	// A role and the name in apposition: "Helixa's chief executive, Ines
	// Marlow", "Duncan Hunter's chief of staff, Joe Kasper": the name.
	for k := b - 2; k > a; k-- {
		if quoteIsPunct(c.text, c.toks[k], ',') {
			if c.hasName(k+1, b) && !c.roleWithoutName(k+1, b) {
				a = k + 1
			}
			break
		}
	}
	// A name right after a role word ends the phrase: "National Bureau of
	// Statistics chief Li Deshui" is Li Deshui, whatever comes before.
	if n := c.nameAfterRole(a, b); n > a {
		a = n
	}
	// A name inside the phrase: its last run of capitalised non-title words
	// before any preposition ("Mr. Morgan of the Sierra Club").
	for k := a + 1; k < b; k++ {
		switch w := c.low(c.toks[k]); w {
		case "of", "from", "at", "in", "for", "with":
			// "Secretary of State John Kerry" keeps its "of".
			if w != "of" || !c.toks[k-1].cap || k+1 >= b || !c.toks[k+1].cap || !speakerIsTitleWord(c.low(c.toks[k-1])) {
				b = k
			}
		}
	}
	e := -1
	for k := b - 1; k >= a; k-- {
		t := c.toks[k]
		w := c.low(t)
		if t.cap && !speakerIsTitleWord(w) && !speakerIsRoleNoun(w) && !speakerIsNonName(w) {
			e = k
			break
		}
	}
	if e >= 0 && c.ownsRole(e, b) {
		e = -1 // "Helixa's chief executive": Helixa is not who speaks
	}
	if e >= 0 {
		s := e
		for s > a {
			if n := c.nickStart(s, a); n < s {
				s = n // Marcia "Cia" Price
				continue
			}
			if w := c.low(c.toks[s-1]); !c.toks[s-1].cap || speakerIsTitleWord(w) || speakerIsRoleNoun(w) || speakerIsNonName(w) {
				break
			}
			s--
		}
		name := c.nameText(s, e+1)
		if i := c.findNamed(name, quoteNameKey(name), pos); i >= 0 {
			return i, ""
		}
		return -1, name
	}
	if i := c.resolveRole(a, b, pos); i >= 0 {
		return i, ""
	}
	np := c.text[c.toks[a].s:c.toks[whole-1].e]
	// A role shown in mid-sentence: "the spokesman", "a spokesman".
	if r, n := utf8.DecodeRuneInString(np); r == 'T' && strings.HasPrefix(np, "The ") ||
		r == 'A' && (strings.HasPrefix(np, "A ") || strings.HasPrefix(np, "An ")) {
		np = string(unicode.ToLower(r)) + np[n:]
	}
	return -1, np
}

// nameAfterRole returns the start of a run of capitalised words that ends
// the phrase [a,b) and follows a role word, or a when there is none.
func (c *quoteCtx) nameAfterRole(a, b int) int {
	s := b
	for s > a {
		t := c.toks[s-1]
		w := c.low(t)
		if !t.word || !t.cap || speakerIsTitleWord(w) || speakerIsRoleNoun(w) || speakerIsNonName(w) {
			break
		}
		s--
	}
	if s == b || s == a {
		return a
	}
	if w := c.low(c.toks[s-1]); c.toks[s-1].word && (speakerIsRoleNoun(w) || speakerIsTitleWord(w)) &&
		!speakerIsThingNoun(speakerRoleKey(w)) {
		return s
	}
	return a
}

// mentionBefore returns the index of the last mention starting before
// pos, or -1.
func (c *quoteCtx) mentionBefore(pos int) int {
	return sort.Search(len(c.mentions), func(i int) bool { return c.mentions[i].s >= pos }) - 1
}

// resolvePronoun finds the person "he" or "she" at pos refers to: the
// latest speaker if nobody else has been named as a subject since, else the
// latest person named as the subject of a sentence, else the latest named.
func (c *quoteCtx) resolvePronoun(g byte, pos int) int {
	compatible := func(ent int) bool {
		e := c.ents[ent]
		return !e.org && (e.gender == 0 || e.gender == g)
	}
	lastSaid := -1
	for i := len(c.said) - 1; i >= 0 && i >= len(c.said)-quoteLookBack; i-- {
		if c.said[i].s < pos && compatible(c.said[i].ent) {
			lastSaid = i
			break
		}
	}
	best := -1
	fallback := -1
	last := c.mentionBefore(pos)
	for i := last; i >= 0 && i > last-quoteLookBack; i-- {
		m := c.mentions[i]
		if !compatible(m.ent) {
			continue
		}
		if lastSaid >= 0 && m.s < c.said[lastSaid].s {
			break
		}
		e := c.ents[m.ent]
		if m.subj && e.multi {
			best = m.ent
			break
		}
		if fallback < 0 && e.multi {
			fallback = m.ent
		}
	}
	if best < 0 && lastSaid >= 0 {
		best = c.said[lastSaid].ent
	}
	if best < 0 {
		best = fallback
	}
	if best < 0 {
		// Anyone named before, even by one word.
		for i := last; i >= 0 && i > last-quoteLookBack; i-- {
			if m := c.mentions[i]; compatible(m.ent) {
				best = m.ent
				break
			}
		}
	}
	if best >= 0 && c.ents[best].gender == 0 {
		c.ents[best].gender = g
	}
	return best
}

func quoteHasString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
