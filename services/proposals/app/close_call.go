package app

import (
	"context"

	"passerelle.dev/proposals/domain/call"
)

// CloseCall closes a call before its closing time: admins only.
type CloseCall struct {
	CallID  string  `json:"callId"`
	Request Request `json:"-"`
}

// CloseCall handles CloseCall.
func (app *Application) CloseCall(ctx context.Context, cmd CloseCall) (Result, error) {
	key, err := cmd.Request.Key("CloseCall", cmd)
	if err != nil {
		return Result{}, err
	}
	if o, ok, err := app.calls.Replay(ctx, key); err != nil || ok {
		return Result{CallID: cmd.CallID, Position: o.Position, Replayed: ok}, err
	}
	o, err := app.calls.Update(ctx, cmd.CallID, cmd.Request.Metadata(), key, func(c *call.Call) error {
		return c.Close(cmd.Request.Actor, app.now())
	})
	if err != nil {
		return Result{}, err
	}
	return Result{CallID: cmd.CallID, Position: o.Position, Replayed: o.Replayed}, nil
}
