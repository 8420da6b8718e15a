package bot

import (
	"testing"
	"time"
)

func mustLoc(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func TestParseSchedule(t *testing.T) {
	tests := []struct {
		in, want string
		bad      bool
	}{
		{in: "daily 08:00", want: "daily 08:00"},
		{in: "  Daily   8:00 ", want: "daily 08:00"},
		{in: "08:00", want: "daily 08:00"},
		{in: "weekdays 07:30", want: "weekdays 07:30"},
		{in: "daily 18:00,08:00", want: "daily 08:00,18:00"},
		{in: "daily 08:00 18:00", want: "daily 08:00,18:00"},
		{in: "mon,wed,fri 09:15", want: "mon,wed,fri 09:15"},
		{in: "cron 0 8 * * 1-5", want: "cron 0 8 * * 1-5"},
		{in: "", bad: true},
		{in: "daily", bad: true},
		{in: "daily 25:00", bad: true},
		{in: "daily 8:5", bad: true},
		{in: "someday 08:00", bad: true},
		{in: "cron 0 8 *", bad: true},
		{in: "cron @every 1s", bad: true},
		{in: "daily 08:00 at noon", bad: true},
		{in: "every 2h", want: "every 2h"},
		{in: "Every 90m", want: "every 90m"},
		{in: "weekdays every 3h", want: "weekdays every 3h"},
		{in: "every 30m", bad: true},
		{in: "every 2h 08:00", bad: true},
		{in: "every", bad: true},
		{in: "every 2h quiet 22:00-07:00", want: "every 2h quiet 22:00-07:00"},
		{in: "daily 8:00,20:00 QUIET 22:00 - 7:00", want: "daily 08:00,20:00 quiet 22:00-07:00"},
		{in: "cron 0 */2 * * * quiet 1:00-5:30", want: "cron 0 */2 * * * quiet 01:00-05:30"},
		{in: "quiet 22:00-07:00", bad: true},
		{in: "cron 0 8 30 2 *", bad: true},               // the 30th of February never comes
		{in: "cron 0 8 29 2 *", want: "cron 0 8 29 2 *"}, // leap days do
		{in: "every 2h quiet", bad: true},
		{in: "every 2h quiet 22:00", bad: true},
		{in: "every 2h quiet 22:00-22:00", bad: true},
		{in: "every 2h quiet 22:00-25:00", bad: true},
		{in: "daily 23:00 quiet 22:00-07:00", bad: true},
		{in: "cron 30 23 * * * quiet 22:00-07:00", bad: true},
	}
	for _, tt := range tests {
		s, err := ParseSchedule(tt.in)
		if tt.bad {
			if err == nil {
				t.Errorf("ParseSchedule(%q) = %q, want an error", tt.in, s)
			}
			continue
		}
		if err != nil || s.String() != tt.want {
			t.Errorf("ParseSchedule(%q) = %q, %v; want %q", tt.in, s, err, tt.want)
		}
	}
}

func TestScheduleNextDST(t *testing.T) {
	tests := []struct {
		name, zone, sched, after, want string // times in RFC 3339
	}{
		{"plain", "Europe/Berlin", "daily 08:00", "2026-11-25T09:00:00+01:00", "2026-11-26T08:00:00+01:00"},
		{"same day", "Europe/Berlin", "daily 08:00", "2026-11-25T07:59:00+01:00", "2026-11-25T08:00:00+01:00"},
		{"strictly after", "Europe/Berlin", "daily 08:00", "2026-11-25T08:00:00+01:00", "2026-11-26T08:00:00+01:00"},
		{"weekdays skip weekend", "Europe/Berlin", "weekdays 07:30", "2026-11-27T08:00:00+01:00", "2026-11-30T07:30:00+01:00"},
		{"spring gap runs after gap", "Europe/Berlin", "daily 02:30", "2026-03-29T00:00:00+01:00", "2026-03-29T03:00:00+02:00"},
		{"fall back runs once, first", "Europe/Berlin", "daily 02:30", "2026-10-25T00:00:00+02:00", "2026-10-25T02:30:00+02:00"},
		{"fall back not twice", "Europe/Berlin", "daily 02:30", "2026-10-25T02:30:00+02:00", "2026-10-26T02:30:00+01:00"},
		{"new york gap", "America/New_York", "daily 02:15", "2026-03-08T00:00:00-05:00", "2026-03-08T03:00:00-04:00"},
		{"lord howe half hour gap", "Australia/Lord_Howe", "daily 02:10", "2026-10-04T00:00:00+10:30", "2026-10-04T02:30:00+11:00"},
		{"lord howe fall back", "Australia/Lord_Howe", "daily 01:45", "2026-04-05T00:00:00+11:00", "2026-04-05T01:45:00+11:00"},
		{"kathmandu", "Asia/Kathmandu", "daily 08:00", "2026-11-25T00:00:00+05:45", "2026-11-25T08:00:00+05:45"},
		{"across midnight", "Europe/Berlin", "daily 23:30,00:15", "2026-11-25T23:45:00+01:00", "2026-11-26T00:15:00+01:00"},
		{"every 2h", "Europe/Berlin", "every 2h", "2026-11-25T09:00:00+01:00", "2026-11-25T10:00:00+01:00"},
		{"quiet skips the night", "Europe/Berlin", "every 2h quiet 22:00-07:00", "2026-11-25T20:00:00+01:00", "2026-11-26T08:00:00+01:00"},
		{"quiet end is not quiet", "Europe/Berlin", "every 2h quiet 22:00-08:00", "2026-11-25T20:00:00+01:00", "2026-11-26T08:00:00+01:00"},
		{"quiet start is quiet", "Europe/Berlin", "every 2h quiet 20:00-06:00", "2026-11-25T18:00:00+01:00", "2026-11-26T06:00:00+01:00"},
		{"quiet within a day", "Asia/Kathmandu", "every 1h quiet 12:00-14:00", "2026-11-25T11:30:00+05:45", "2026-11-25T14:00:00+05:45"},
		{"cron quiet", "America/New_York", "cron */15 * * * * quiet 22:00-07:00", "2026-11-25T21:50:00-05:00", "2026-11-26T07:00:00-05:00"},
		{"cron quiet over spring gap", "Europe/Berlin", "cron 30 * * * * quiet 23:00-03:00", "2026-03-28T22:45:00+01:00", "2026-03-29T03:30:00+02:00"},
		{"cron quiet every minute", "Australia/Lord_Howe", "cron * * * * * quiet 00:01-23:59", "2026-11-25T00:00:30+11:00", "2026-11-25T23:59:00+11:00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := ParseSchedule(tt.sched)
			if err != nil {
				t.Fatal(err)
			}
			after, _ := time.Parse(time.RFC3339, tt.after)
			want, _ := time.Parse(time.RFC3339, tt.want)
			got := s.Next(after, mustLoc(t, tt.zone))
			if !got.Equal(want) {
				t.Errorf("Next(%s) = %s, want %s", tt.after, got.Format(time.RFC3339), tt.want)
			}
		})
	}
}

// A year of daily slots gives exactly one run per calendar day in each zone.
func TestScheduleYear(t *testing.T) {
	for _, zone := range []string{"Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "Asia/Kathmandu"} {
		for _, at := range []string{"08:00", "02:30", "01:45"} {
			loc := mustLoc(t, zone)
			s, err := ParseSchedule("daily " + at)
			if err != nil {
				t.Fatal(err)
			}
			days := map[string]int{}
			cur := time.Date(2026, 1, 1, 0, 0, 0, 0, loc)
			end := time.Date(2027, 1, 1, 0, 0, 0, 0, loc)
			n := 0
			for {
				cur = s.Next(cur, loc)
				if !cur.Before(end) {
					break
				}
				n++
				days[cur.In(loc).Format("2006-01-02")]++
			}
			if n != 365 || len(days) != 365 {
				t.Errorf("%s daily %s: %d runs on %d days, want 365", zone, at, n, len(days))
			}
		}
	}
}

// Every run a year of "every 2h quiet 22:00-07:00" makes is outside the
// quiet hours, and each day has the same runs, across DST changes.
func TestQuietHoursYear(t *testing.T) {
	s, err := ParseSchedule("every 2h quiet 22:00-07:00")
	if err != nil {
		t.Fatal(err)
	}
	for _, zone := range []string{"Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "Asia/Kathmandu"} {
		loc := mustLoc(t, zone)
		cur := time.Date(2026, 1, 1, 0, 0, 0, 0, loc)
		end := time.Date(2027, 1, 1, 0, 0, 0, 0, loc)
		perDay := map[string]int{}
		for {
			cur = s.Next(cur, loc)
			if !cur.Before(end) {
				break
			}
			l := cur.In(loc)
			if h := l.Hour(); h >= 22 || h < 7 {
				t.Errorf("%s: run at %s is in the quiet hours", zone, l)
			}
			perDay[l.Format("2006-01-02")]++
		}
		for day, n := range perDay {
			if n != 7 { // 08:00, 10:00, ..., 20:00; 22:00 to 06:00 are quiet
				t.Errorf("%s %s: %d runs, want 7", zone, day, n)
			}
		}
		if len(perDay) != 365 {
			t.Errorf("%s: runs on %d days, want 365", zone, len(perDay))
		}
	}
}
