package digest

// SentenceKind says whether a sentence belongs to the story's prose or is
// furniture around it that no summary should show.
type SentenceKind int

const (
	Prose       SentenceKind = iota
	Dateline                 // "MOSCOW, January 24. /TASS/."
	Subheading               // a short line without final punctuation, alone in its paragraph
	Byline                   // "By Jane Smith, BBC News"
	Credit                   // "Photo: Reuters", "(Getty Images)"
	Boilerplate              // "Read more", "Share this article", ...
)

// Sentence is one sentence of a document.
type Sentence struct {
	Start, End int // byte offsets into Document.Text; Text[Start:End] is the sentence
	Paragraph  int // index into Document.Paragraphs
	Kind       SentenceKind
}

// Paragraph is a run of text separated from the next by a blank line.
type Paragraph struct {
	Start, End  int // byte offsets into Document.Text
	First, Last int // index of its first sentence and one past its last
}

// Document is an article's text with its structure found.
type Document struct {
	Title      string
	Text       string // the body exactly as given
	Language   string // detected ISO 639-1 code, "" when unknown
	Paragraphs []Paragraph
	Sentences  []Sentence
}

// SentenceText returns the text of sentence i.
func (d *Document) SentenceText(i int) string {
	s := d.Sentences[i]
	return d.Text[s.Start:s.End]
}
