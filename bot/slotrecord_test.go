package bot

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/newsdigest/newsdigest/store"
)

func TestRecordSentRetriesWhileTheStoreIsDown(t *testing.T) {
	down := errors.New("postgres: connection refused")
	tests := []struct {
		name      string
		lease     time.Duration
		failures  int   // calls that fail before one succeeds (-1: all fail)
		err       error // what they fail with
		wantCalls int   // -1: more than one
		wantErr   error
	}{
		{"succeeds at once", time.Minute, 0, nil, 1, nil},
		{"store back after three failures", time.Minute, 3, down, 4, nil},
		{"claim gone: no retry", time.Minute, -1, fmt.Errorf("sqlite: complete slot: %w", store.ErrNotClaimed), 1, store.ErrNotClaimed},
		{"unknown slot: no retry", time.Minute, -1, store.ErrNotFound, 1, store.ErrNotFound},
		{"store down past the lease: gives up", 400 * time.Millisecond, -1, down, -1, down},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := &Scheduler{Lease: tt.lease}
			calls := 0
			start := time.Now()
			err := s.recordSent(func(ctx context.Context) error {
				calls++
				if _, ok := ctx.Deadline(); !ok {
					t.Error("a record write runs without a deadline")
				}
				if tt.failures < 0 || calls <= tt.failures {
					return tt.err
				}
				return nil
			})
			if !errors.Is(err, tt.wantErr) {
				t.Errorf("err = %v, want %v", err, tt.wantErr)
			}
			if tt.wantCalls >= 0 && calls != tt.wantCalls {
				t.Errorf("%d calls, want %d", calls, tt.wantCalls)
			}
			if tt.wantCalls < 0 && calls < 2 {
				t.Errorf("%d calls, want retries", calls)
			}
			if el := time.Since(start); el > tt.lease+time.Second {
				t.Errorf("took %v, longer than the lease %v", el, tt.lease)
			}
			if s.writes.pending != 0 {
				t.Errorf("%d urgent writes still pending", s.writes.pending)
			}
		})
	}
}
