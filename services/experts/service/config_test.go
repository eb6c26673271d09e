package service_test

import (
	"testing"
	"time"

	"passerelle.dev/experts/app"
	"passerelle.dev/experts/domain/expert"
	"passerelle.dev/experts/service"
)

// A negative duration has no default to stand for it: the service refuses to start.
func TestConfigRefusesNegativeDurations(t *testing.T) {
	if err := (service.Config{}).Validate(); err != nil {
		t.Fatalf("the defaults are refused: %v", err)
	}
	for _, cfg := range []service.Config{{RetentionInterval: -time.Minute}, {App: app.Config{Retention: expert.Retention{GraceFor: -time.Hour}}}} {
		if err := cfg.Validate(); err == nil {
			t.Errorf("%+v was accepted", cfg)
		}
	}
}
