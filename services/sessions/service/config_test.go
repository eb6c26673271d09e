package service_test

import (
	"testing"
	"time"

	"passerelle.dev/sessions/app"
	"passerelle.dev/sessions/service"
)

// A negative duration has no default to stand for it: the service refuses to start.
func TestConfigRefusesNegativeDurations(t *testing.T) {
	if err := (service.Config{}).Validate(); err != nil {
		t.Fatalf("the defaults are refused: %v", err)
	}
	for _, cfg := range []service.Config{{OfferTimerInterval: -time.Second}, {App: app.Config{CoordinatorTokenTTL: -time.Hour}}} {
		if err := cfg.Validate(); err == nil {
			t.Errorf("%+v was accepted", cfg)
		}
	}
}
