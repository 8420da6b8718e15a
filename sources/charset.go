package sources

import (
	"bytes"
	"mime"
	"regexp"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
)

// toUTF8 returns b as valid UTF-8, whatever it was written in.
//
// Bytes that are already valid UTF-8 are taken as UTF-8 whatever the
// labels say: declarations are often wrong (a server's default charset, a
// template's stale XML prolog), while text in a legacy encoding almost
// never happens to be valid UTF-8. Otherwise the first label naming a known
// encoding other than UTF-8 is used, in the order given (the caller passes
// the most specific first). With no usable label, text that is mostly UTF-8
// keeps its valid parts and gets U+FFFD for the broken bytes; anything else
// is read as Windows-1252, the superset of Latin-1 that browsers assume.
func toUTF8(b []byte, labels ...string) []byte {
	if enc, rest := bomEncoding(b); enc != nil {
		if out, err := enc.NewDecoder().Bytes(rest); err == nil {
			return bytes.ToValidUTF8(out, []byte("\uFFFD"))
		}
	} else {
		b = rest
	}
	if utf8.Valid(b) {
		return b
	}
	for _, l := range labels {
		enc, name := charset.Lookup(strings.TrimSpace(l))
		if enc == nil || name == "utf-8" {
			continue
		}
		if out, err := enc.NewDecoder().Bytes(b); err == nil {
			return bytes.ToValidUTF8(out, []byte("\uFFFD"))
		}
	}
	if mostlyUTF8(b) {
		return bytes.ToValidUTF8(b, []byte("\uFFFD"))
	}
	out, err := charmap.Windows1252.NewDecoder().Bytes(b)
	if err != nil {
		return bytes.ToValidUTF8(b, []byte("\uFFFD"))
	}
	return bytes.ToValidUTF8(out, []byte("\uFFFD"))
}

// bomEncoding returns the encoding a byte order mark announces, and b
// without a UTF-8 BOM. enc is nil for UTF-8 and for no BOM.
func bomEncoding(b []byte) (enc encoding.Encoding, rest []byte) {
	switch {
	case bytes.HasPrefix(b, utf8BOM):
		return nil, b[3:]
	case bytes.HasPrefix(b, []byte{0xFE, 0xFF}):
		return unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM), b
	case bytes.HasPrefix(b, []byte{0xFF, 0xFE}):
		return unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM), b
	}
	return nil, b
}

// mostlyUTF8 reports whether b has more valid multi-byte UTF-8 sequences
// than invalid bytes: UTF-8 text with a few broken bytes, rather than text
// in a single-byte encoding.
func mostlyUTF8(b []byte) bool {
	valid, invalid := 0, 0
	for len(b) > 0 {
		r, size := utf8.DecodeRune(b)
		switch {
		case r == utf8.RuneError && size == 1:
			invalid++
		case size > 1:
			valid++
		}
		b = b[size:]
	}
	return valid > invalid
}

// contentTypeCharset returns the charset parameter of a Content-Type.
func contentTypeCharset(contentType string) string {
	if contentType == "" {
		return ""
	}
	_, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		return ""
	}
	return params["charset"]
}

// xmlDeclEncoding matches the encoding pseudo-attribute of an XML
// declaration at the start of a document.
var xmlDeclEncoding = regexp.MustCompile(`\A\s*<\?xml[^>]*?\sencoding\s*=\s*["']([A-Za-z0-9._:\-]{1,40})["']`)

// decodeXML returns an XML document as UTF-8 with its declaration saying
// so, so that the XML decoder does not convert it a second time. The
// declaration's encoding is preferred to the HTTP charset: it was written
// with the bytes, the header is often a server default.
func decodeXML(b []byte, contentType string) []byte {
	declared := ""
	head := bytes.TrimPrefix(b[:min(len(b), 512)], utf8BOM)
	if m := xmlDeclEncoding.FindSubmatch(head); m != nil {
		declared = string(m[1])
	}
	out := toUTF8(b, declared, contentTypeCharset(contentType))
	if m := xmlDeclEncoding.FindSubmatchIndex(out[:min(len(out), 512)]); m != nil {
		fixed := make([]byte, 0, len(out))
		fixed = append(fixed, out[:m[2]]...)
		fixed = append(fixed, "UTF-8"...)
		fixed = append(fixed, out[m[3]:]...)
		out = fixed
	}
	return out
}

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// decodeHTML returns an HTML document as UTF-8, using the Content-Type
// charset, a <meta> declaration in the first KiB, or the bytes themselves.
func decodeHTML(b []byte, contentType string) []byte {
	if _, rest := bomEncoding(b); utf8.Valid(rest) {
		return rest
	}
	// DetermineEncoding falls back to windows-1252 when nothing declares
	// an encoding; toUTF8 makes a better guess then (and reaches the same
	// answer when the page really is in windows-1252).
	_, name, certain := charset.DetermineEncoding(b, contentType)
	if !certain && name == "windows-1252" {
		name = ""
	}
	return toUTF8(b, contentTypeCharset(contentType), name)
}
