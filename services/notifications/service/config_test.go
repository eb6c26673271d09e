package service_test

import (
	"strings"
	"testing"

	"passerelle.dev/notifications/service"
)

// A mistyped setting stops the service at start, naming the variable, instead of
// failing at the first message.
func TestConfigRefusesWhatCannotWork(t *testing.T) {
	if err := (service.Config{}).Validate(); err != nil {
		t.Fatalf("the defaults are refused: %v", err)
	}
	for name, c := range map[string]struct {
		cfg  service.Config
		want string
	}{
		"sender":     {service.Config{From: "Passerelle no-reply"}, "PASSERELLE_MAIL_FROM"},
		"port":       {service.Config{SMTPHost: "smtp.example.org", SMTPPort: 70000}, "PASSERELLE_SMTP_PORT"},
		"tls":        {service.Config{SMTPTLS: "starttls"}, "PASSERELLE_SMTP_TLS"},
		"public url": {service.Config{PublicURL: "passerelle.example.org"}, "PASSERELLE_PUBLIC_URL"},
		"reminders":  {service.Config{ReminderInterval: -1}, "negative"},
	} {
		if err := c.cfg.Validate(); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want an error naming %s", name, err, c.want)
		}
	}
}
