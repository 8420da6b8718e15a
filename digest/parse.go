package digest

// Parse finds the structure of an article: its language, its paragraphs,
// its sentences and which of them are prose and which are furniture
// (datelines, subheadings, bylines, credits, boilerplate).
//
// body is kept exactly as given in Document.Text; every offset in the
// result is a byte offset into it. Paragraphs are separated by blank lines,
// and also by single line breaks unless the next line plainly continues the
// previous one (hard-wrapped text), so a wire story with one paragraph per
// line parses the same as one with blank lines between them.
//
// Parse runs in time linear in len(body) and never fails: invalid UTF-8 is
// treated as opaque bytes.
func Parse(title, body string) *Document {
	d := &Document{Title: title, Text: body}
	d.Language = DetectLanguage(body)
	sentSplitDocument(d)
	structClassify(d)
	return d
}
