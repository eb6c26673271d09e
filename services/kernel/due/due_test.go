package due_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"passerelle.dev/kernel/due"
)

func TestTheLoopLooksAtOnceOnWakeAndWhenDue(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	wake := make(chan struct{}, 1)
	looked := make(chan struct{}, 10)
	var calls atomic.Int32
	done := make(chan error, 1)
	go func() {
		done <- due.Run(ctx, due.Loop{Interval: time.Hour, Wake: wake}, func(context.Context) (time.Time, error) {
			n := calls.Add(1)
			looked <- struct{}{}
			if n == 2 {
				return time.Now(), nil // something is due right away
			}
			return time.Time{}, nil
		})
	}()
	<-looked // the first look, at start
	wake <- struct{}{}
	<-looked // woken
	<-looked // due at once after the second look
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

func TestAFailedLookIsRetriedWithoutSpinning(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), 1500*time.Millisecond)
	defer cancel()
	var calls atomic.Int32
	_ = due.Run(ctx, due.Loop{Interval: time.Hour}, func(context.Context) (time.Time, error) {
		calls.Add(1)
		return time.Now().Add(-time.Minute), errors.New("the database is away")
	})
	// A spinning loop would look thousands of times; one that waits a second, at most
	// twice more (a slow machine only looks fewer times).
	if n := calls.Load(); n < 1 || n > 3 {
		t.Fatalf("%d looks in 1.5 s, want a retry about every second", n)
	}
}
