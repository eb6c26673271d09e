package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"passerelle.dev/events"
	"passerelle.dev/servicekit/auth"
)

// Every command's --help prints its help and does nothing: serve does not serve, migrate
// does not migrate (no database is reachable here, so doing anything would fail or hang).
func TestEveryCommandsHelpPrintsHelpAndDoesNothing(t *testing.T) {
	t.Setenv("DATABASE_URL", "postgres://nobody@127.0.0.1:1/none?connect_timeout=1")
	cases := map[string]string{
		"--help":                     "passerelle <command>",
		"help":                       "passerelle <command>",
		"serve --help":               "usage: passerelle serve",
		"serve -h":                   "usage: passerelle serve",
		"migrate --help":             "usage: passerelle migrate",
		"seed --help":                "usage: passerelle seed",
		"token --help":               "usage: passerelle token",
		"projections --help":         "usage: passerelle projections rebuild",
		"projections rebuild --help": "usage: passerelle projections rebuild",
		"db --help":                  "usage: passerelle db",
		"db start --help":            "usage: passerelle db",
		"db create --help":           "usage: passerelle db",
	}
	for line, want := range cases {
		t.Run(line, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			started := time.Now()
			if err := run(strings.Fields(line), &stdout, &stderr); err != nil {
				t.Fatalf("%s: %v (stderr %s)", line, err, stderr.String())
			}
			if !strings.Contains(stdout.String(), want) {
				t.Fatalf("%s printed %q", line, stdout.String())
			}
			if took := time.Since(started); took > 2*time.Second {
				t.Fatalf("%s took %s: it did something", line, took)
			}
		})
	}
	var stdout, stderr bytes.Buffer
	if err := run([]string{"serve", "extra"}, &stdout, &stderr); err == nil {
		t.Fatal("serve with an argument it does not take ran")
	}
}

// A token is signed with the platform's own secret, found from any folder of the
// project; without one the command says so instead of signing with a new secret the
// platform would refuse.
func TestTokenFindsThePlatformsSecretOrSaysWhereItLooked(t *testing.T) {
	project := t.TempDir()
	secret := strings.Repeat("ab", 32)
	if err := os.MkdirAll(filepath.Join(project, ".passerelle"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(project, ".passerelle", "secret"), []byte(secret+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	deeper := filepath.Join(project, "services", "directory")
	if err := os.MkdirAll(deeper, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PASSERELLE_SECRET", "")
	for _, name := range []string{"PASSERELLE_SECRET", "PASSERELLE_DATA_DIR"} {
		if err := os.Unsetenv(name); err != nil {
			t.Fatal(err)
		}
	}
	t.Chdir(deeper)
	var stdout, stderr bytes.Buffer
	if err := run([]string{"token", "--role", "admin"}, &stdout, &stderr); err != nil {
		t.Fatalf("token from a subfolder: %v", err)
	}
	tokens, err := auth.NewTokens([]byte(secret))
	if err != nil {
		t.Fatal(err)
	}
	if actor, err := tokens.Parse(strings.TrimSpace(stdout.String())); err != nil || actor.Role != events.RoleAdmin {
		t.Fatalf("the token is not signed with the platform's secret: %v %+v", err, actor)
	}

	elsewhere := t.TempDir()
	t.Chdir(elsewhere)
	stdout.Reset()
	err = run([]string{"token", "--role", "admin"}, &stdout, &stderr)
	if err == nil || !strings.Contains(err.Error(), "no platform secret found") || !strings.Contains(err.Error(), elsewhere) {
		t.Fatalf("from a folder with no platform: %v", err)
	}
	if stdout.Len() != 0 {
		t.Fatalf("a token was printed anyway: %q", stdout.String())
	}
	if _, err := os.Stat(filepath.Join(elsewhere, ".passerelle")); !os.IsNotExist(err) {
		t.Fatalf("a secret was made up in %s", elsewhere)
	}

	t.Setenv("PASSERELLE_DATA_DIR", filepath.Join(elsewhere, "nothing"))
	if err := run([]string{"token", "--role", "admin"}, &stdout, &stderr); err == nil || !strings.Contains(err.Error(), "PASSERELLE_DATA_DIR") {
		t.Fatalf("with PASSERELLE_DATA_DIR naming no platform: %v", err)
	}
}
