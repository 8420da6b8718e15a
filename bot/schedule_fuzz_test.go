package bot

import (
	"strings"
	"testing"
	"time"
)

// A schedule comes from /subscribe, typed by anyone: whatever it is,
// parsing neither panics nor accepts something it cannot write back, and
// an accepted schedule always has a next run, after the given time and
// outside its quiet hours.
func FuzzParseSchedule(f *testing.F) {
	for _, s := range []string{
		"daily 08:00", "weekdays 07:30", "daily 8:00,20:00 QUIET 22:00 - 7:00", "every 2h quiet 22:00-07:00",
		"every 90m", "mon,wed,fri 09:15", "cron 0 8 * * 1-5", "cron 0 */2 * * * quiet 1:00-5:30",
		"", "quiet", "every 0h", "daily 25:00", "cron * * *", "cron 0 8 30 2 *", "cron 0 8 29 2 *", strings.Repeat("daily 08:00 ", 500),
	} {
		f.Add(s)
	}
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		f.Fatal(err)
	}
	after := time.Date(2026, 3, 29, 0, 30, 0, 0, time.UTC) // the night Berlin springs forward
	f.Fuzz(func(t *testing.T, in string) {
		s, err := ParseSchedule(in)
		if err != nil {
			if err.Error() == "" {
				t.Fatalf("ParseSchedule(%q): an empty error", in)
			}
			return
		}
		again, err := ParseSchedule(s.String())
		if err != nil || again.String() != s.String() {
			t.Fatalf("ParseSchedule(%q) = %q, which parses back as %q, %v", in, s.String(), again.String(), err)
		}
		next := s.Next(after, berlin)
		if !next.After(after) || next.Sub(after) > 5*366*24*time.Hour {
			t.Fatalf("%q: next run after %v is %v", s.String(), after, next)
		}
		if s.quietAt(next, berlin) {
			t.Fatalf("%q: next run %v is in its quiet hours", s.String(), next.In(berlin))
		}
	})
}
