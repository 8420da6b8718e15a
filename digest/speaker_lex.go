package digest

import "strings"

// The word lists speaker attribution rests on, one switch per language.
// Words are matched in lower case.

// speakerIsCue reports whether w is a speech verb that attributes a
// quotation ("said", "stressed", "заявил", "sagte", "a déclaré", "dijo").
func speakerIsCue(lang, w string) bool {
	switch lang {
	case "ru", "uk":
		return speakerIsCueRU(w)
	case "de":
		return speakerIsCueDE(w)
	case "fr":
		return speakerIsCueFR(w)
	case "es":
		return speakerIsCueES(w)
	case "en":
		return speakerIsCueEN(w)
	}
	// Language unknown (a text too short to tell): any language's verb.
	return speakerIsCueEN(w) || speakerIsCueES(w) || speakerIsCueFR(w) || speakerIsCueDE(w) || speakerIsCueRU(w)
}

func speakerIsCueEN(w string) bool {
	switch w {
	case "said", "says", "say", "saying", "told", "tells", "telling", "added", "adds", "adding",
		"noted", "notes", "noting", "stressed", "stresses", "stressing", "explained", "explains", "explaining",
		"stated", "states", "asked", "asks", "asking", "replied", "replies", "reply", "answered", "answers",
		"insisted", "insists", "insisting", "claimed", "claims", "argued", "argues", "arguing", "continued",
		"continues", "declared", "declares", "announced", "announces", "warned", "warns", "warning", "wrote",
		"writes", "writing", "recalled", "recalls", "admitted", "admits", "acknowledged", "acknowledges",
		"conceded", "concedes", "confirmed", "confirms", "emphasized", "emphasised", "emphasizes", "emphasises",
		"observed", "observes", "remarked", "remarks", "suggested", "suggests", "predicted", "promised",
		"vowed", "vows", "urged", "urges", "cautioned", "complained", "complains", "joked", "jokes", "quipped",
		"quips", "boasted", "boasts", "bragged", "tweeted", "tweets", "tweeting", "posted", "exclaimed", "shouted",
		"yelled", "yells", "screamed", "responded", "responds", "countered", "counters", "maintained", "maintains",
		"contended", "contends", "agreed", "lamented", "laments", "mused", "recounted", "testified", "reported",
		"reports", "alleged", "charged", "commented", "comments", "concluded", "concludes", "pledged", "voiced",
		"chanted", "chanting", "sang", "sings", "singing", "read", "reads", "demanded", "demands", "scolded",
		"snapped", "retorted", "whispered", "declaring", "announcing", "conceding", "acknowledging", "recalling",
		"predicting", "pointing", "added:", "wondered", "wonders", "marveled", "marvelled",
		"reiterated", "reiterates", "stresses:", "assured", "assures", "objected", "protested", "pleaded",
		"begged", "sighed", "laughed", "interjected", "interrupted", "proclaimed", "proclaims", "announces:",
		"summed", "put", "went", "called", "describes", "described", "labeled", "labelled", "dubbed", "branded",
		"hailed", "likened", "texted", "emailed", "messaged", "informed", "advised", "ruled", "opined", "echoed",
		"affirmed", "asserted", "asserts", "denied", "denies", "conceded:", "repeated", "repeats", "thundered",
		"fumed", "raged", "gushed", "teased", "typed", "referenced", "specified", "attacked", "criticized",
		"criticised", "defended", "call", "calls", "scoffed", "chided", "mocked", "lashed", "decried", "praised",
		"explained:", "responding", "replying", "answering", "adds:", "says:", "writing:", "barked", "pressed",
		"reacted", "elaborated", "cited", "write", "recounts", "shot", "fired", "tweets:", "explains:",
		"interjects", "offered", "volunteered", "contending", "arguing:", "testifying", "cried", "cries", "retaliated",
		"surmised", "quoted", "shrugged", "sniped", "groused", "grumbled", "conceding:", "insists:", "boomed",
		"roared", "exclaims", "hollered", "vented", "cracked", "ventured", "pleads", "begs", "deadpanned",
		"beamed", "questioned", "exhorted", "mocks", "issued", "labeling", "labelling", "calling", "describing",
		"dubbing", "branding", "beams", "questions", "gushes", "raved", "raves", "opines", "marvels", "muses":
		return true
	}
	return false
}

func speakerIsCueRU(w string) bool {
	switch w {
	case "сказал", "сказала", "сказали", "заявил", "заявила", "заявили", "отметил", "отметила", "отметили",
		"подчеркнул", "подчеркнула", "подчеркнули", "добавил", "добавила", "добавили", "пояснил", "пояснила",
		"пояснили", "сообщил", "сообщила", "сообщили", "говорит", "говорят", "говорил", "говорила", "заявляет",
		"признал", "признала", "ответил", "ответила", "ответили", "напомнил", "напомнила", "считает", "уверен",
		"уверена", "отмечает", "подчеркивает", "подчёркивает", "рассказал", "рассказала", "рассказали",
		"написал", "написала", "пишет", "добавляет", "уточнил", "уточнила", "констатировал", "заметил",
		"заметила", "указал", "указала", "объяснил", "объяснила", "цитирует", "процитировал", "призвал",
		"призвала", "предупредил", "предупредила", "высказал", "высказала", "возразил", "продолжил", "спросил",
		"спросила", "резюмировал", "добавив", "отметив", "подчеркнув", "сказав", "заявив":
		return true
	}
	return false
}

func speakerIsCueDE(w string) bool {
	switch w {
	case "sagte", "sagten", "sagt", "sagen", "erklärte", "erklärten", "erklärt", "betonte", "betont", "meinte",
		"meint", "fügte", "ergänzte", "ergänzt", "sagte:", "teilte", "berichtete", "berichtet", "schrieb",
		"schreibt", "warnte", "warnt", "forderte", "fordert", "kritisierte", "kritisiert", "bekräftigte",
		"versicherte", "räumte", "antwortete", "antwortet", "fragte", "fragt", "so", "erzählte", "erzählt",
		"unterstrich", "bestätigte", "bestätigt", "mahnte", "stellte", "rief", "kündigte", "argumentierte",
		"zitiert", "zitierte", "sprach", "twitterte", "hieß", "heißt":
		return true
	}
	return false
}

func speakerIsCueFR(w string) bool {
	switch w {
	case "dit", "déclaré", "déclare", "affirmé", "affirme", "ajouté", "ajoute", "expliqué", "explique", "souligné",
		"souligne", "estimé", "estime", "assuré", "assure", "indiqué", "indique", "précisé", "précise", "confié",
		"confie", "martelé", "martèle", "insisté", "insiste", "reconnu", "reconnaît", "rappelé", "rappelle",
		"répondu", "répond", "lancé", "lance", "écrit", "noté", "note", "jugé", "juge", "prévenu", "averti",
		"poursuivi", "poursuit", "raconté", "raconte", "selon", "fait", "observé", "commenté", "regretté",
		"regrette", "dénoncé", "dénonce", "demandé", "demande", "interrogé", "conclu", "conclut", "tweeté",
		"dit-il", "dit-elle", "déclare-t-il", "déclare-t-elle", "explique-t-il", "explique-t-elle",
		"ajoute-t-il", "ajoute-t-elle", "souligne-t-il", "souligne-t-elle", "estime-t-il", "estime-t-elle",
		"assure-t-il", "assure-t-elle", "précise-t-il", "précise-t-elle", "affirme-t-il", "affirme-t-elle",
		"a-t-il", "a-t-elle", "ont-ils", "ont-elles", "indique-t-il", "indique-t-elle", "poursuit-il", "poursuit-elle",
		"confie-t-il", "confie-t-elle", "insiste-t-il", "insiste-t-elle", "lance-t-il", "lance-t-elle":
		return true
	}
	return false
}

func speakerIsCueES(w string) bool {
	switch w {
	case "dijo", "dijeron", "dice", "dicen", "afirmó", "afirma", "aseguró", "asegura", "señaló", "señala",
		"explicó", "explica", "añadió", "añade", "agregó", "agrega", "indicó", "indica", "declaró", "declara",
		"manifestó", "sostuvo", "sostiene", "comentó", "comenta", "destacó", "destaca", "subrayó", "subraya",
		"según", "advirtió", "advierte", "precisó", "insistió", "insiste", "reconoció", "reconoce", "respondió",
		"responde", "escribió", "escribe", "recordó", "recuerda", "apuntó", "apunta", "sentenció", "expresó",
		"expresa", "defendió", "criticó", "denunció", "lamentó", "reiteró", "admitió", "confesó", "preguntó",
		"contestó", "aclaró", "enfatizó", "consideró", "considera", "opinó", "concluyó", "tuiteó":
		return true
	}
	return false
}

// speakerIsPlainCue reports whether cue is a plain verb of saying in the
// past, which attributes a quotation even after the quotation's full stop
// ("…anywhere." Omar Haddad said), unlike verbs that also narrate
// ("…get it." Boeing continues to lead; "…it." Organisers say).
func speakerIsPlainCue(cue string) bool {
	switch cue {
	case "said", "told", "added", "asked", "replied", "explained", "insisted", "stressed", "noted", "declared",
		"warned", "wrote", "recalled", "admitted", "conceded", "answered", "responded", "remarked", "commented",
		"tweeted", "shouted", "yelled", "screamed", "exclaimed", "whispered", "cried", "demanded", "joked",
		"quipped", "snapped", "retorted", "countered", "boasted", "announced", "acknowledged", "observed",
		"mused", "pleaded", "sighed", "laughed", "continued", "concluded", "emphasized", "emphasised",
		"sagte", "erklärte", "a dit", "dijo", "сказал", "сказала", "заявил", "заявила":
		return true
	}
	return false
}

// speakerCueTrail returns the words that complete a multi-word cue after
// verb w ("pointed out", "voiced an opinion", "called for", "put it",
// "went on", "fügte … hinzu"), or nil.
func speakerCueTrail(lang, w string) []string {
	if lang != "en" && lang != "" {
		return nil
	}
	switch w {
	case "pointed", "pointing":
		return []string{"out"}
	case "voiced":
		return []string{"an", "opinion"}
	case "called":
		return []string{"for"}
	case "put":
		return []string{"it"}
	case "went":
		return []string{"on"}
	case "summed":
		return []string{"up"}
	}
	return nil
}

// speakerCueNeedsTrail reports whether cue w attributes speech only with its
// trail words ("put" alone, "went" alone are no speech verbs).
func speakerCueNeedsTrail(w string) bool {
	switch w {
	case "pointed", "pointing", "put", "went", "summed":
		return true
	}
	return false
}

// speakerIsAccording reports whether the words at the start of ws form
// "according to" or its equivalents, and how many words they take.
func speakerAccording(lang string, ws []string) int {
	if len(ws) == 0 {
		return 0
	}
	switch ws[0] {
	case "according":
		if len(ws) > 1 && ws[1] == "to" {
			return 2
		}
	case "по":
		if len(ws) > 1 && (ws[1] == "словам" || ws[1] == "мнению" || ws[1] == "данным") {
			return 2
		}
	case "selon", "según", "laut", "zufolge", "d'après":
		return 1
	case "de":
		if len(ws) > 2 && ws[1] == "acuerdo" && ws[2] == "con" {
			return 3
		}
	}
	return 0
}

// speakerPronoun classifies a personal pronoun that can be the subject of a
// speech verb: 'm' masculine singular, 'f' feminine singular, 'p' plural or
// collective, 'i' first person, 'n' neuter ("it added"), 0 not a pronoun.
func speakerPronoun(w string) byte {
	switch w {
	case "he", "он", "er", "il", "él":
		return 'm'
	case "she", "она", "sie", "elle", "ella":
		return 'f'
	case "they", "они", "ils", "elles", "ellos", "ellas":
		return 'p'
	case "i", "we", "я", "мы", "ich", "wir", "je", "nous", "yo", "nosotros":
		return 'i'
	case "it", "оно", "es":
		return 'n'
	}
	return 0
}

// speakerPossessive classifies a possessive pronoun that stands for its
// owner in "his comments", "her remarks", as speakerPronoun does.
func speakerPossessive(w string) byte {
	switch w {
	case "his":
		return 'm'
	case "her":
		return 'f'
	case "their":
		return 'p'
	case "its":
		return 'n'
	}
	return 0
}

// speakerIsDeterminer: words that open a noun phrase naming a speaker.
func speakerIsDeterminer(w string) bool {
	switch w {
	case "the", "a", "an", "his", "her", "their", "its", "our", "my", "your", "this", "that", "these", "those", "one",
		"another", "some", "several", "two", "three", "many", "other", "both", "each", "every",
		"der", "die", "das", "ein", "eine", "le", "la", "les", "un", "une", "el", "los", "las", "uno", "una":
		return true
	}
	return false
}

// speakerIsSkippable: auxiliaries and adverbs that may stand between a
// speaker and the speech verb ("he later said", "Trump has repeatedly said").
func speakerIsSkippable(w string) bool {
	switch w {
	case "also", "later", "again", "then", "previously", "repeatedly", "often", "once", "recently", "simply",
		"quickly", "flatly", "reportedly", "has", "had", "have", "would", "will", "was", "is", "did", "does",
		"could", "may", "might", "should", "just", "further", "further,", "only", "first", "finally", "earlier",
		"even", "still", "sarcastically", "angrily", "calmly", "bluntly", "frankly", "publicly", "privately",
		"famously", "memorably", "once,", "herself", "himself", "themselves", "not", "never", "actually",
		"jokingly", "tersely", "curtly", "simply,", "candidly", "proudly", "openly", "subsequently", "ultimately",
		"now", "recently,", "quietly", "loudly", "softly", "firmly", "emphatically", "repeatedly,",
		"а", "также", "же", "тогда", "ещё", "еще", "позже", "и",
		"auch", "noch", "dann", "später", "hat", "habe", "ebenfalls",
		"a", "aussi", "également", "encore", "ensuite", "ha", "había", "también", "luego", "además":
		return true
	}
	return false
}

// speakerIsRoleNoun: lower-case nouns that name a speaker by role, so that
// "the Kremlin spokesman" and "the TV host" are noun phrases of speakers.
func speakerIsRoleNoun(w string) bool {
	w = strings.TrimSuffix(w, "'s")
	w = strings.TrimSuffix(w, "’s")
	switch w {
	case "spokesman", "spokeswoman", "spokesperson", "spokespeople", "secretary", "president", "minister",
		"host", "hostess", "anchor", "presenter", "interviewer", "official", "officials", "source", "sources",
		"police", "chief", "director", "head", "leader", "chairman", "chairwoman", "chair", "senator", "governor",
		"mayor", "candidate", "nominee", "spokesmen", "aide", "aides", "adviser", "advisor", "advisers",
		"advisors", "strategist", "analyst", "analysts", "expert", "experts", "economist", "economists",
		"lawyer", "lawyers", "attorney", "attorneys", "prosecutor", "prosecutors", "judge", "justice",
		"detective", "officer", "officers", "sheriff", "commander", "general", "ambassador", "diplomat",
		"envoy", "representative", "congressman", "congresswoman", "lawmaker", "lawmakers", "legislator",
		"campaign", "manager", "executive", "ceo", "founder", "owner", "professor", "researcher", "scientist",
		"doctor", "physician", "witness", "witnesses", "resident", "residents", "voter", "voters", "supporter",
		"supporters", "critic", "critics", "activist", "activists", "member", "members", "statement",
		"narrator", "announcer", "reporter", "correspondent", "editor", "columnist", "writer", "author",
		"report", "ad", "study", "survey", "poll", "memo", "letter", "post", "tweet", "website", "newspaper",
		"organizer", "organizers", "coach", "player", "fan", "fans", "student", "students", "teacher",
		"parent", "parents", "mother", "father", "son", "daughter", "wife", "husband", "friend", "friends",
		"colleague", "neighbor", "neighbour", "man", "woman", "men", "women", "people", "person", "user",
		"users", "company", "firm", "agency", "ministry", "department", "government", "administration",
		"kremlin", "office", "committee", "commission", "council", "court", "group", "union", "party",
		"pundit", "commentator", "insider", "insiders", "staffer", "staffers", "surrogate", "surrogates",
		"businessman", "businesswoman", "billionaire", "nominee's", "incumbent", "challenger", "rival",
		"opponent", "opponents", "vice", "press", "deputy", "assistant", "general's", "tv", "state", "white",
		"foreign", "defense", "defence", "interior", "prime", "federal", "former", "senior", "top", "chief's",
		"пресс-секретарь", "президент", "министр", "глава", "представитель", "директор", "ведущий", "эксперт",
		"sprecher", "sprecherin", "präsident", "ministerin", "chef", "chefin", "kanzler", "kanzlerin",
		"porte-parole", "président", "ministre", "directeur", "portavoz", "presidente", "ministro", "jefe":
		return true
	}
	return false
}

// speakerIsTitleWord: capitalised words that stand before a name as a
// title or role ("Kremlin Spokesman Dmitry Peskov", "Sen. Claire
// McCaskill", "White House Press Secretary Jen Psaki"). The name is what
// follows the last of them.
func speakerIsTitleWord(w string) bool {
	w = strings.TrimSuffix(w, ".")
	if speakerIsTitle(w) {
		return true
	}
	if i := strings.IndexByte(w, '-'); i > 0 && i+1 < len(w) {
		switch w[:i] {
		case "under", "vice", "deputy", "ex", "co", "acting":
			return speakerIsTitle(w[i+1:]) // "Under-Secretary", "vice-president", "co-chairman"
		}
	}
	return false
}

// speakerIsTitle is speakerIsTitleWord for a word without its full stop.
func speakerIsTitle(w string) bool {
	switch w {
	case "mr", "mrs", "ms", "miss", "dr", "prof", "professor", "sen", "senator", "rep", "representative",
		"gov", "governor", "president", "vice", "secretary", "spokesman", "spokeswoman", "spokesperson",
		"minister", "chancellor", "chief", "director", "chairman", "chairwoman", "judge", "justice", "gen",
		"general", "col", "colonel", "lt", "sgt", "capt", "captain", "adm", "admiral", "maj", "major", "mayor",
		"ambassador", "sheriff", "detective", "officer", "king", "queen", "prince", "princess", "pope", "rev",
		"reverend", "father", "sir", "dame", "lord", "lady", "attorney", "speaker", "leader", "deputy",
		"commissioner", "superintendent", "inspector", "coach", "ceo", "chair", "press", "host", "anchor",
		"candidate", "nominee", "former", "st", "pastor", "rabbi", "imam", "bishop", "archbishop", "cardinal", "emperor",
		"herr", "frau", "m", "mme", "mlle", "monsieur", "madame", "sr", "sra", "don", "doña", "господин", "госпожа",
		"bundeskanzlerin", "bundeskanzler", "kanzlerin", "kanzler", "präsident", "präsidentin", "bundespräsident",
		"ministerin", "sprecher", "sprecherin", "regierungssprecher", "président", "présidente", "ministre",
		"porte-parole", "presidente", "presidenta", "ministro", "ministra", "portavoz", "президент", "министр",
		"пресс-секретарь", "премьер-министр", "глава", "депутат", "сенатор", "губернатор", "мэр",
		// Occupations written before a name: "Actor Keanu Reeves", "Labour MP Jean Corston".
		"actor", "actress", "broadcaster", "singer", "dj", "comedian", "presenter", "novelist", "playwright",
		"councillor", "councilman", "councilwoman", "mp", "msp", "mep", "assemblyman", "assemblywoman",
		"economist", "analyst", "campaigner", "activist", "entrepreneur", "businessman", "businesswoman",
		"tycoon", "barrister", "solicitor", "footballer", "striker", "midfielder", "goalkeeper", "manager":
		return true
	}
	return false
}

// speakerIsForeignArticle: articles of other languages that in English
// text open a place's name, "Los Angeles", "Las Vegas", "El Paso".
func speakerIsForeignArticle(w string) bool {
	switch w {
	case "los", "las", "el", "la", "le", "les":
		return true
	}
	return false
}

// speakerIsArticle: the articles that open an appositive, "a Lufthansa
// spokesman", "the group's chairman".
func speakerIsArticle(w string) bool {
	return w == "a" || w == "an" || w == "the"
}

// speakerIsAffiliation: party words that may stand before a full name,
// "Republican Donald Trump", "Labour MP Jean Corston", and are then no
// part of it.
func speakerIsAffiliation(w string) bool {
	switch w {
	case "republican", "democrat", "labour", "conservative", "tory", "liberal", "libertarian", "independent",
		"socialist", "unionist", "nationalist":
		return true
	}
	return false
}

// speakerIsOrgWord: words that end the name of a body, not a person's:
// "BBC Radio", "Scottish National Party", "Tax Policy Center".
func speakerIsOrgWord(w string) bool {
	switch w {
	case "party", "council", "committee", "commission", "association", "institute", "university", "college",
		"school", "bank", "group", "trust", "foundation", "society", "union", "federation", "league", "club",
		"board", "authority", "agency", "ministry", "department", "office", "service", "services", "court",
		"parliament", "assembly", "senate", "congress", "house", "street", "times", "post", "journal", "news",
		"radio", "television", "tv", "channel", "network", "records", "studios", "pictures", "airlines",
		"airways", "motors", "corporation", "company", "inc", "ltd", "plc", "corp", "holdings", "exchange",
		"fund", "treasury", "government", "administration", "police", "army", "navy", "force", "guard",
		"festival", "awards", "academy", "museum", "gallery", "theatre", "theater", "hospital", "centre",
		"center", "organisation", "organization", "democrats", "republicans", "tories", "conservatives",
		"dem", "dems", "democrat", "executive", "command", "council's", "campaign", "coalition", "alliance",
		"movement", "institution", "review", "magazine", "newspaper", "gazette", "herald", "tribune",
		"telegraph", "guardian", "observer", "express", "mail", "mirror", "daily", "weekly", "watch", "market",
		"international", "act", "labour", "conservative", "tory", "network's",
		// Nationalities named alone: "the British", "Scottish".
		"british", "english", "scottish", "welsh", "irish", "american", "french", "german", "russian", "chinese",
		"japanese", "european", "african", "asian", "indian", "israeli", "palestinian", "iraqi", "iranian",
		"syrian", "italian", "spanish", "ukrainian", "canadian", "australian", "mexican":
		return true
	}
	return false
}

// speakerNounGender returns the gender a role or kin word tells, or 0.
// Words in "-man" tell nothing: "UKIP chairman Petrina Holdsworth".
func speakerNounGender(w string) byte {
	switch w {
	case "sister", "mother", "wife", "daughter", "aunt", "niece", "grandmother", "granddaughter", "girlfriend",
		"widow", "fiancée", "fiancee", "stepmother", "stepdaughter", "spokeswoman", "chairwoman",
		"congresswoman", "businesswoman", "councilwoman", "assemblywoman", "actress", "hostess", "woman":
		return 'f'
	case "brother", "father", "husband", "son", "uncle", "nephew", "grandfather", "grandson", "boyfriend",
		"widower", "fiancé", "fiance", "stepfather", "stepson":
		return 'm'
	}
	return 0
}

// speakerIsNameParticle: lower-case words inside personal names.
func speakerIsNameParticle(w string) bool {
	switch w {
	case "de", "van", "von", "der", "den", "du", "da", "di", "del", "della", "la", "le", "bin", "ibn", "al",
		"ben", "ter", "zu", "dos", "das", "y":
		return true
	}
	return false
}

// speakerIsNonName: capitalised words that start sentences or name days,
// months and the like, and so never begin a speaker's name.
func speakerIsNonName(w string) bool {
	switch w {
	case "the", "a", "an", "in", "on", "at", "but", "and", "or", "if", "when", "while", "after", "before",
		"as", "so", "this", "that", "these", "those", "there", "it", "its", "his", "her", "their", "our", "my",
		"we", "you", "they", "he", "she", "i", "what", "who", "why", "how", "where", "yes", "no", "not", "for",
		"from", "with", "by", "of", "to", "now", "then", "still", "yet", "however", "meanwhile", "also",
		"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february",
		"march", "april", "may", "june", "july", "august", "september", "october", "november", "december",
		"according", "asked", "last", "next", "some", "many", "most", "all", "both", "each", "every",
		"other", "one", "two", "three", "since", "until", "although", "though", "because", "if,", "here",
		"today", "yesterday", "tomorrow", "tonight", "once", "even", "just", "only", "like", "unlike",
		"during", "despite", "following", "without", "within", "amid", "among", "under", "over", "about",
		"after,", "later", "earlier", "instead", "indeed", "thus", "therefore", "nevertheless", "perhaps",
		"según", "selon", "laut", "gemäß", "el", "la", "los", "las", "der", "die", "das", "le", "les", "un", "une",
		"ein", "eine", "en", "pero", "aber", "und", "mais", "et", "il", "elle", "er", "sie", "es", "wir", "ich",
		"nous", "je", "yo", "él", "ella", "por", "para", "con", "sin", "dans", "pour", "avec", "sur", "mit", "für",
		"im", "am", "auf", "bei", "nach", "по", "в", "на", "но", "и", "однако", "как", "это":
		return true
	}
	return false
}

// speakerIsIntro: words that open an introductory phrase before a clause's
// subject ("During a speech, Trump said …", "In an interview, she added …").
func speakerIsIntro(w string) bool {
	switch w {
	case "in", "during", "at", "on", "after", "before", "while", "when", "since", "despite", "although", "here", "there",
		"though", "as", "for", "with", "following", "like", "unlike", "later", "earlier", "meanwhile", "then",
		"yet", "still", "but", "and", "so", "however", "also", "once", "speaking", "asked", "responding",
		"in an", "by", "under", "amid", "if", "because", "now", "today", "yesterday", "last", "this",
		"в", "на", "во", "после", "im", "am", "nach", "dans", "lors", "après", "en", "durante", "tras":
		return true
	}
	return false
}

// speakerIsAdjunct: prepositions and time words of the other languages
// that end a speaker's noun phrase ("Angela Merkel am Montag", "Emmanuel
// Macron lundi", "Pedro Sánchez el lunes").
func speakerIsAdjunct(w string) bool {
	switch w {
	case "am", "im", "in", "bei", "nach", "vor", "mit", "auf", "beim", "vom", "zum", "zur", "gegenüber",
		"à", "au", "aux", "dans", "lors", "pendant", "devant", "durante", "tras", "ante", "desde", "en",
		"в", "на", "во", "после", "перед", "журналистам", "агентству",
		"montag", "dienstag", "mittwoch", "donnerstag", "freitag", "samstag", "sonntag",
		"lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche",
		"lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo", "ayer", "hoy",
		"hier", "aujourd'hui", "gestern", "heute":
		return true
	}
	return false
}

// speakerIsKinNoun: family words that name a person by a relation to
// someone, "Scott's niece", beyond those speakerIsRoleNoun holds.
func speakerIsKinNoun(w string) bool {
	switch speakerRoleKey(w) {
	case "niece", "nephew", "brother", "sister", "cousin", "uncle", "aunt", "grandson", "granddaughter",
		"grandmother", "grandfather", "stepfather", "stepmother", "stepson", "stepdaughter", "partner",
		"fiancé", "fiancée", "fiance", "fiancee", "girlfriend", "boyfriend", "widow", "widower", "brother-in-law",
		"sister-in-law", "son-in-law", "daughter-in-law", "father-in-law", "mother-in-law", "sons", "daughters",
		"brothers", "sisters", "wives", "husbands":
		return true
	}
	return false
}

// speakerIsDocumentNoun: thing nouns that carry their owner's words, so
// that "Helixa's statement said" is Helixa's to say.
func speakerIsDocumentNoun(w string) bool {
	switch w {
	case "report", "ad", "study", "survey", "poll", "memo", "letter", "post", "tweet", "website", "newspaper",
		"statement":
		return true
	}
	return false
}

// speakerIsThingNoun: role nouns that name a document or a body, not a
// person, so "the report" is never resolved to someone named earlier.
func speakerIsThingNoun(w string) bool {
	switch w {
	case "report", "ad", "study", "survey", "poll", "memo", "letter", "post", "tweet", "website", "newspaper",
		"statement", "company", "firm", "agency", "ministry", "department", "government", "administration",
		"kremlin", "office", "committee", "commission", "council", "court", "group", "union", "party", "campaign",
		"police", "press", "state", "white", "tv":
		return true
	}
	return false
}
