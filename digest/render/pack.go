package render

import "strings"

// unit is a piece of output that is never split: a summary, a quote, one
// link. sep goes before it when it follows another unit in the same
// message or embed, and is dropped when the unit starts one.
type unit struct {
	text    string
	size    int // in the platform's unit of length
	ents    int // formatting entities it holds (Telegram counts them)
	sep     string
	sepSize int
}

// pack lays groups of units (a story's) into containers (messages or
// embed descriptions) of at most maxSize and maxEnts. A group that fits
// in the current container goes there; one that fits in an empty one
// starts a new one; only a group too big for any container is split,
// between its units. Each unit must fit an empty container by itself.
func pack(groups [][]unit, maxSize, maxEnts int) [][]unit {
	var (
		out        [][]unit
		cur        []unit
		size, ents int
	)
	fits := func(us []unit) bool {
		s, e := size, ents
		for i, u := range us {
			if len(cur) > 0 || i > 0 {
				s += u.sepSize
			}
			s += u.size
			e += u.ents
		}
		return s <= maxSize && e <= maxEnts
	}
	add := func(u unit) {
		if len(cur) > 0 {
			size += u.sepSize
		}
		size += u.size
		ents += u.ents
		cur = append(cur, u)
	}
	flush := func() {
		if len(cur) > 0 {
			out = append(out, cur)
		}
		cur, size, ents = nil, 0, 0
	}
	for _, g := range groups {
		if !fits(g) {
			flush()
		}
		if fits(g) {
			for _, u := range g {
				add(u)
			}
			continue
		}
		for _, u := range g {
			if !fits([]unit{u}) {
				flush()
			}
			add(u)
		}
	}
	flush()
	return out
}

// join writes a container's units with their separators.
func join(us []unit) string {
	var b strings.Builder
	for i, u := range us {
		if i > 0 {
			b.WriteString(u.sep)
		}
		b.WriteString(u.text)
	}
	return b.String()
}
