package clients

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// Which requests are sent again, and when (DESIGN.md repeats this):
//
//   - The transport resends any request after a 429 (honouring Retry-After)
//     and when no connection could be made: Cloudflare cannot have acted on
//     it. Reads are also resent after a 5xx or a lost answer.
//   - Resend (and Write, Delete) sends a change to an object that exists
//     again after a 5xx or a lost answer; the request is rebuilt each time,
//     so an upload recomputes its Durable Object migration from what is live.
//   - Create looks a new object up by what names it before sending its
//     POST again after a lost answer, and adopts what it finds; an
//     "already exists" answer after a lost answer is resolved the same way.
//   - Delete counts "gone" as done.

// writeAttempts bounds how often a change is sent in all.
const writeAttempts = 4

// pause waits between attempts (tests replace it).
var pause = sleep

// Resend runs send, running it again after an ambiguous failure.
func Resend(ctx context.Context, send func(context.Context) error) error {
	var err error
	for attempt := 0; attempt < writeAttempts; attempt++ {
		if attempt > 0 {
			tflog.Warn(ctx, "Cloudflare's answer to a change was lost; sending it again", map[string]any{"error": err.Error(), "attempt": attempt + 1})
			if sleepErr := pause(ctx, backoff(attempt-1)); sleepErr != nil {
				return err
			}
		}
		if err = send(ctx); !IsAmbiguous(err) {
			return err
		}
	}
	return err
}

// Write sends call as a change to an existing object (Resend).
func (c *Cloudflare) Write(ctx context.Context, call Call, out any) error {
	return Resend(ctx, func(ctx context.Context) error { return c.Do(ctx, call, out) })
}

// Delete deletes the object at path; one already gone counts as deleted.
func (c *Cloudflare) Delete(ctx context.Context, path string) error {
	if err := c.Write(ctx, Call{Method: http.MethodDelete, Path: path}, nil); err != nil && !IsGone(err) {
		return err
	}
	return nil
}

// Create creates an object whose answer may be lost. find looks the object
// up by what names it (a title, a pattern); taken reports an answer that
// says the name is in use. A name taken on the first attempt is the
// caller's to explain; taken after a lost answer, it is ours.
func Create[T any](ctx context.Context, send func(context.Context) (T, error), find func(context.Context) (T, bool, error), taken func(error) bool) (T, error) {
	var zero T
	lost := false
	var err error
	for attempt := 0; attempt < writeAttempts; attempt++ {
		var v T
		if v, err = send(ctx); err == nil {
			return v, nil
		}
		switch {
		case IsAmbiguous(err):
			lost = true
			tflog.Warn(ctx, "Cloudflare's answer to a create was lost; looking the object up before sending it again", map[string]any{"error": err.Error()})
		case lost && taken != nil && taken(err):
		default:
			return zero, err
		}
		found, ok, findErr := find(ctx)
		switch {
		case findErr != nil:
			return zero, fmt.Errorf("%w (and looking the object up afterwards failed: %w)", err, findErr)
		case ok:
			return found, nil
		case !IsAmbiguous(err):
			return zero, err
		}
		if sleepErr := pause(ctx, backoff(attempt)); sleepErr != nil {
			return zero, err
		}
	}
	return zero, err
}

// SettleTimeout bounds how long RetryOn sends a request again. Cloudflare
// is eventually consistent: a route created right after its Worker can be
// refused with 10019, an upload binding a namespace created a moment before
// with 10041, for a few seconds.
var SettleTimeout = 30 * time.Second

// StillRefusedError is a request RetryOn gave up on: what it waited for did
// not settle in SettleTimeout. The caller tells a wrong reference apart from
// a slow Cloudflare.
type StillRefusedError struct {
	Waited time.Duration
	Err    error
}

func (e *StillRefusedError) Error() string {
	return fmt.Sprintf("%s (still refused after %s of retries)", e.Err, e.Waited.Round(time.Second))
}
func (e *StillRefusedError) Unwrap() error { return e.Err }

// RetryOn runs send until its answer no longer carries one of codes, the
// codes of a state that settles by itself (an object created a moment ago
// not visible yet, a migration tag moved by a concurrent deploy), for at
// most SettleTimeout. Cloudflare takes seconds to settle, so it waits a
// second first and doubles up to four: each attempt spends a request of
// the budget.
func RetryOn(ctx context.Context, codes []int, send func(context.Context) error) error {
	start := time.Now()
	delay := time.Second
	for {
		err := send(ctx)
		if err == nil || !hasAnyCode(err, codes) {
			return err
		}
		if time.Since(start)+delay > SettleTimeout {
			return &StillRefusedError{Waited: time.Since(start), Err: err}
		}
		tflog.Info(ctx, "Cloudflare refused a request for a state that settles by itself; retrying", map[string]any{"error": err.Error(), "wait_ms": delay.Milliseconds()})
		if sleepErr := pause(ctx, delay); sleepErr != nil {
			return err
		}
		delay = min(2*delay, 4*time.Second)
	}
}

func hasAnyCode(err error, codes []int) bool {
	for _, c := range codes {
		if HasCode(err, c) {
			return true
		}
	}
	return false
}

// IsStillRefused reports a RetryOn that ran out of time.
func IsStillRefused(err error) bool {
	var sr *StillRefusedError
	return errors.As(err, &sr)
}
