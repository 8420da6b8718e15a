package digest

import (
	"reflect"
	"testing"
)

func TestRuneOffsets(t *testing.T) {
	text := "aé“b”ж" // 1+2+3+1+3+2 bytes
	tests := []struct {
		in, want []int
	}{
		{[]int{0, 1, 3, 6, 7, 10, 12}, []int{0, 1, 2, 3, 4, 5, 6}},
		{[]int{12, 0, 7}, []int{6, 0, 4}}, // any order
		{[]int{2, 4, 5}, []int{1, 2, 2}},  // inside a character: that character
		{[]int{-5, 100}, []int{0, 6}},     // clamped
		{nil, []int{}},
	}
	for _, tt := range tests {
		if got := RuneOffsets(text, tt.in...); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("RuneOffsets(%v) = %v, want %v", tt.in, got, tt.want)
		}
	}
	if got := ByteOffsets(text, 0, 2, 6, 9); !reflect.DeepEqual(got, []int{0, 3, 12, 12}) {
		t.Errorf("ByteOffsets = %v", got)
	}
	if got := RuneOffset(text, 6); got != 3 {
		t.Errorf("RuneOffset = %d", got)
	}
	for b := 0; b <= len(text); b++ {
		r := RuneOffset(text, b)
		if back := ByteOffsets(text, r)[0]; back > b {
			t.Errorf("byte %d -> rune %d -> byte %d", b, r, back)
		}
	}
}
