package digest

import (
	"sort"
	"unicode/utf8"
)

// RuneOffsets converts byte offsets into text to code-point offsets, the
// unit the CLI prints and gold data use. An offset inside a multi-byte
// character maps to that character; offsets below 0 map to 0 and past the
// end to the text's length in code points. The result has one entry per
// argument, in argument order; the text is read once.
func RuneOffsets(text string, byteOffsets ...int) []int {
	return offsetConvert(text, byteOffsets, false)
}

// ByteOffsets converts code-point offsets into text to byte offsets, the
// inverse of RuneOffsets. Offsets are clamped to [0, len(text)].
func ByteOffsets(text string, runeOffsets ...int) []int {
	return offsetConvert(text, runeOffsets, true)
}

// RuneOffset converts a single byte offset; see RuneOffsets.
func RuneOffset(text string, byteOffset int) int {
	return offsetConvert(text, []int{byteOffset}, false)[0]
}

func offsetConvert(text string, in []int, fromRunes bool) []int {
	out := make([]int, len(in))
	if len(in) == 0 {
		return out
	}
	order := make([]int, len(in))
	for i := range order {
		order[i] = i
	}
	if !sort.SliceIsSorted(order, func(a, b int) bool { return in[order[a]] < in[order[b]] }) {
		sort.SliceStable(order, func(a, b int) bool { return in[order[a]] < in[order[b]] })
	}
	bytePos, runePos := 0, 0
	for _, idx := range order {
		want := in[idx]
		if fromRunes {
			for runePos < want && bytePos < len(text) {
				_, n := utf8.DecodeRuneInString(text[bytePos:])
				bytePos += n
				runePos++
			}
			out[idx] = bytePos
			continue
		}
		if want > len(text) {
			want = len(text)
		}
		for bytePos < want {
			_, n := utf8.DecodeRuneInString(text[bytePos:])
			if bytePos+n > want {
				break // want is inside this character
			}
			bytePos += n
			runePos++
		}
		out[idx] = runePos
	}
	return out
}
