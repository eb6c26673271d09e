// Package dockerfile_test checks what `docker build` would send from the repository: the
// image must never hold the private database, the token secret or the master key.
package dockerfile_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/moby/patternmatcher"
	"github.com/moby/patternmatcher/ignorefile"
)

// sent tells whether the build context holds path, as Docker decides it from
// .dockerignore (the same matcher Docker uses).
func sent(t *testing.T, pm *patternmatcher.PatternMatcher, path string) bool {
	t.Helper()
	excluded, err := pm.MatchesOrParentMatches(filepath.ToSlash(path))
	if err != nil {
		t.Fatal(err)
	}
	return !excluded
}

func matcher(t *testing.T) *patternmatcher.PatternMatcher {
	t.Helper()
	f, err := os.Open(filepath.Join("..", "..", ".dockerignore"))
	if err != nil {
		t.Fatalf("the repository needs a .dockerignore: %v", err)
	}
	defer func() { _ = f.Close() }()
	patterns, err := ignorefile.ReadAll(f)
	if err != nil {
		t.Fatal(err)
	}
	pm, err := patternmatcher.New(patterns)
	if err != nil {
		t.Fatal(err)
	}
	return pm
}

func TestTheBuildContextLeavesSecretsAndBuildsOut(t *testing.T) {
	pm := matcher(t)
	for _, path := range []string{
		".passerelle/secret", ".passerelle/master.key", ".passerelle/pgdata/PG_VERSION",
		".passerelle-test/pgdata/base/1/1259",
		"bin/passerelle", "bin/gateway",
		"graph/web/node_modules/react/index.js",
		"graph/web/dist/index.html", "graph/web/dist/assets/app-1a2b.js",
		".git/config", "graph/gateway/gateway.test",
	} {
		if sent(t, pm, path) {
			t.Errorf("docker build would send %s", path)
		}
	}
	for _, path := range []string{
		"go.work", "go.work.sum", "infra/Dockerfile", "graph/web/package.json", "graph/web/package-lock.json",
		"graph/web/src/main.tsx", "graph/web/dist/.keep", "graph/schema/schema.graphql", "services/directory/go.mod",
	} {
		if !sent(t, pm, path) {
			t.Errorf("docker build would leave out %s, which the image needs", path)
		}
	}
}

// Every file of the repository that git does not ignore either goes to the build or is
// left out on purpose: the check above is run on the files really there too.
func TestNoFileOfTheRepositoryThatHoldsASecretIsSent(t *testing.T) {
	pm := matcher(t)
	root := filepath.Join("..", "..")
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		if d.IsDir() && (rel == ".git" || strings.HasSuffix(rel, "node_modules")) {
			return filepath.SkipDir
		}
		name := d.Name()
		if !d.IsDir() && (name == "secret" || name == "master.key") && sent(t, pm, rel) {
			t.Errorf("docker build would send %s", rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
