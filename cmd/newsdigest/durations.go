package main

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// parseAge reads a look-back period as people type it: Go durations
// ("90m", "24h") plus days and weeks ("2d", "1w").
func parseAge(s string) (time.Duration, error) {
	s = strings.TrimSpace(strings.ToLower(s))
	if s == "" {
		return 0, fmt.Errorf("empty duration: want something like 24h, 90m or 7d")
	}
	for unit, size := range map[string]time.Duration{"d": 24 * time.Hour, "w": 7 * 24 * time.Hour} {
		if n, ok := strings.CutSuffix(s, unit); ok {
			v, err := strconv.ParseFloat(n, 64)
			if err != nil || v <= 0 || v > 3650 {
				return 0, fmt.Errorf("bad duration %q: want something like 24h, 90m or 7d", s)
			}
			return time.Duration(v * float64(size)), nil
		}
	}
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("bad duration %q: want something like 24h, 90m or 7d", s)
	}
	return d, nil
}
