package clients

import (
	"context"
	"errors"
	"time"
)

// ErrPollTimeout is Poll running out of time.
var ErrPollTimeout = errors.New("timed out")

// Poll waits for something Cloudflare finishes on its own (a domain turning
// active, a deployment's deploy stage): it calls check, and again after
// waits that back off from half a second to ten seconds, until check says
// done or fails. It returns ErrPollTimeout when the next wait would pass
// timeout, and ctx's error when it is cancelled.
func Poll(ctx context.Context, timeout time.Duration, check func(ctx context.Context) (done bool, err error)) error {
	deadline := time.Now().Add(timeout)
	delay := 500 * time.Millisecond
	for {
		done, err := check(ctx)
		if done || err != nil {
			return err
		}
		if time.Now().Add(delay).After(deadline) {
			return ErrPollTimeout
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(delay):
		}
		delay = min(delay*2, 10*time.Second)
	}
}
