package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"unicode/utf8"
)

// maxTextFile caps the files summarize and quotes read.
const maxTextFile = 16 << 20

// readTextFile reads a UTF-8 text file; a file that is not valid UTF-8 is
// read as Latin-1 (every byte a code point), which is what such files
// nearly always are.
func readTextFile(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxTextFile+1))
	if err != nil {
		return "", fmt.Errorf("read %s: %w", path, err)
	}
	if len(b) > maxTextFile {
		return "", fmt.Errorf("%s: larger than %d MiB", path, maxTextFile>>20)
	}
	if utf8.Valid(b) {
		return string(b), nil
	}
	r := make([]rune, len(b))
	for i, c := range b {
		r[i] = rune(c)
	}
	return string(r), nil
}

// splitTitle takes a first line followed by a blank line as the title.
func splitTitle(text string) (title, body string) {
	first, rest, ok := strings.Cut(text, "\n")
	if !ok {
		return "", text
	}
	if r := strings.TrimLeft(rest, " \t\r"); strings.HasPrefix(r, "\n") && len(strings.TrimSpace(first)) > 0 && len(first) < 300 {
		return strings.TrimSpace(first), strings.TrimLeft(rest, " \t\r\n")
	}
	return "", text
}
