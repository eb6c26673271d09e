// Package localpg starts a private PostgreSQL server for `make run` and `make test` when
// no DATABASE_URL is given. It uses github.com/fergusstrange/embedded-postgres with the
// machine's own PostgreSQL binaries when some are installed (nothing is downloaded), and
// keeps its data in a folder of the project so it survives restarts.
//
// PostgreSQL refuses to run as root. When started by root (CI machines), the server runs
// as an unprivileged account (postgres if it exists, else nobody) through small wrapper
// scripts that embedded-postgres calls in place of initdb and pg_ctl.
package localpg

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"

	embeddedpostgres "github.com/fergusstrange/embedded-postgres"
)

// Config configures the private server.
type Config struct {
	// Dir holds everything the server keeps (data, socket, log). Required.
	Dir string
	// Ephemeral trades durability for speed (fsync off): for test servers only.
	Ephemeral bool
	// Logger defaults to slog.Default().
	Logger *slog.Logger
}

// Server is a running private PostgreSQL.
type Server struct {
	// URL connects to the server's postgres database as its superuser.
	URL string
	// Dir is where the server keeps its files.
	Dir    string
	db     *embeddedpostgres.EmbeddedPostgres
	logger *slog.Logger
	logf   *os.File
}

const (
	superuser = "postgres"
	password  = "postgres"
)

// Start starts the server, creating it on first use.
func Start(ctx context.Context, cfg Config) (*Server, error) {
	if cfg.Dir == "" {
		return nil, errors.New("localpg: Config.Dir is required")
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	dir, err := serverDir(cfg.Dir, cfg.Logger)
	if err != nil {
		return nil, err
	}
	paths := layout{root: dir}
	for _, d := range []string{paths.root, paths.socket()} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			return nil, fmt.Errorf("localpg: %w", err)
		}
	}

	bin, version, err := installedBinaries()
	if err != nil {
		return nil, err
	}
	if err := checkDataVersion(paths.data(), version); err != nil {
		return nil, err
	}
	binariesPath := bin
	if bin != "" && os.Geteuid() == 0 {
		if binariesPath, err = dropRoot(paths, bin); err != nil {
			return nil, err
		}
	}
	if bin != "" {
		// A server left running by a crashed `make run` holds the data folder.
		stopLeftover(binariesPath, paths.data())
	}

	port, err := choosePort(paths.portFile())
	if err != nil {
		return nil, err
	}
	logf, err := os.OpenFile(paths.logFile(), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return nil, fmt.Errorf("localpg: %w", err)
	}
	params := map[string]string{
		"unix_socket_directories": paths.socket(),
		"listen_addresses":        "localhost",
		"max_connections":         "300",
	}
	if cfg.Ephemeral {
		params["fsync"] = "off"
		params["synchronous_commit"] = "off"
		params["full_page_writes"] = "off"
	}
	pgcfg := embeddedpostgres.DefaultConfig().
		Version(version).
		Port(port).
		Username(superuser).
		Password(password).
		DataPath(paths.data()).
		RuntimePath(paths.runtime()).
		Locale("C").
		Encoding("UTF8").
		StartParameters(params).
		Logger(logf)
	if binariesPath != "" {
		pgcfg = pgcfg.BinariesPath(binariesPath)
	} else {
		cfg.Logger.Info("no PostgreSQL installed here: downloading one (once) to start a private server")
		pgcfg = pgcfg.CachePath(filepath.Join(paths.root, "cache"))
	}
	db := embeddedpostgres.NewDatabase(pgcfg)
	cfg.Logger.Info("starting a private PostgreSQL", "dir", paths.root, "port", port)
	if err := db.Start(); err != nil {
		_ = logf.Close() // the start's error is the one to tell
		return nil, fmt.Errorf("localpg: start PostgreSQL (its log: %s): %w", paths.logFile(), err)
	}
	return &Server{
		URL:    fmt.Sprintf("postgres://%s:%s@localhost:%d/postgres?sslmode=disable", superuser, password, port),
		Dir:    paths.root,
		db:     db,
		logger: cfg.Logger,
		logf:   logf,
	}, nil
}

// Stop stops the server. Its data stays for the next Start.
func (s *Server) Stop() error {
	defer func() { _ = s.logf.Close() }()
	if err := s.db.Stop(); err != nil {
		return fmt.Errorf("localpg: stop: %w", err)
	}
	return nil
}

// Running returns the URL of a server that a Start in dir left running (a `make run`
// in another terminal, say), if there seems to be one: callers ping it before use.
func Running(dir string) (string, bool) {
	root, err := serverDir(dir, slog.New(slog.DiscardHandler))
	if err != nil {
		return "", false
	}
	paths := layout{root: root}
	if _, err := os.Stat(filepath.Join(paths.data(), "postmaster.pid")); err != nil {
		return "", false
	}
	b, err := os.ReadFile(paths.portFile())
	if err != nil {
		return "", false
	}
	port, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil {
		return "", false
	}
	return fmt.Sprintf("postgres://%s:%s@localhost:%d/postgres?sslmode=disable", superuser, password, port), true
}

// StopIn stops a server left running in dir by an earlier Start (e.g. `passerelle db
// start`), if any.
func StopIn(dir string) error {
	root, err := serverDir(dir, slog.New(slog.DiscardHandler))
	if err != nil {
		return err
	}
	paths := layout{root: root}
	bin, _, err := installedBinaries()
	if err != nil || bin == "" {
		return err
	}
	if os.Geteuid() == 0 {
		bin = paths.wrappers()
	}
	if _, err := os.Stat(filepath.Join(paths.data(), "postmaster.pid")); err != nil {
		return nil
	}
	out, err := exec.Command(filepath.Join(bin, "bin", "pg_ctl"), "stop", "-w", "-m", "fast", "-D", paths.data()).CombinedOutput()
	if err != nil {
		return fmt.Errorf("localpg: stop: %v: %s", err, out)
	}
	return nil
}

// serverDir is where the server keeps its files: dir/postgres, unless the server must
// run as another account (we are root) that cannot enter dir — a project cloned under
// /root, say. Then it is a folder of /var/tmp named after dir, which also survives
// restarts.
func serverDir(dir string, logger *slog.Logger) (string, error) {
	abs, err := filepath.Abs(filepath.Join(dir, "postgres"))
	if err != nil {
		return "", fmt.Errorf("localpg: %w", err)
	}
	if os.Geteuid() != 0 {
		return abs, nil
	}
	// The data folder itself may be entered, not listed: the server's account needs to
	// pass through it, and the secret kept there is readable by its owner only.
	if err := os.MkdirAll(filepath.Dir(abs), 0o711); err != nil {
		return "", fmt.Errorf("localpg: %w", err)
	}
	if err := os.Chmod(filepath.Dir(abs), 0o711); err != nil {
		return "", fmt.Errorf("localpg: %w", err)
	}
	uid, gid, name, err := unprivilegedAccount()
	if err != nil {
		return "", err
	}
	if reachable(abs, uid, gid) == nil {
		return abs, nil
	}
	sum := sha256.Sum256([]byte(abs))
	alt := filepath.Join(os.TempDir(), "passerelle-postgres-"+hex.EncodeToString(sum[:6]))
	if _, err := os.Stat("/var/tmp"); err == nil {
		alt = filepath.Join("/var/tmp", "passerelle-postgres-"+hex.EncodeToString(sum[:6]))
	}
	logger.Info("PostgreSQL runs as another account, which cannot enter the project folder; its data lives elsewhere",
		"account", name, "project_dir", abs, "data_dir", alt)
	return alt, nil
}

type layout struct{ root string }

func (l layout) data() string     { return filepath.Join(l.root, "data") }
func (l layout) runtime() string  { return filepath.Join(l.root, "run") }
func (l layout) socket() string   { return filepath.Join(l.root, "socket") }
func (l layout) wrappers() string { return filepath.Join(l.root, "bin-wrappers") }
func (l layout) portFile() string { return filepath.Join(l.root, "port") }
func (l layout) logFile() string  { return filepath.Join(l.root, "postgres.log") }

// installedBinaries finds the newest PostgreSQL installed the Debian way
// (/usr/lib/postgresql/N), or none.
func installedBinaries() (dir string, version embeddedpostgres.PostgresVersion, err error) {
	matches, _ := filepath.Glob("/usr/lib/postgresql/*/bin/pg_ctl")
	type found struct {
		major int
		dir   string
	}
	var all []found
	for _, m := range matches {
		d := filepath.Dir(filepath.Dir(m))
		if major, err := strconv.Atoi(filepath.Base(d)); err == nil {
			all = append(all, found{major, d})
		}
	}
	if len(all) == 0 {
		return "", embeddedpostgres.V16, nil
	}
	sort.Slice(all, func(i, j int) bool { return all[i].major > all[j].major })
	return all[0].dir, embeddedpostgres.PostgresVersion(strconv.Itoa(all[0].major) + ".0.0"), nil
}

// checkDataVersion refuses to start on data of another major version: embedded-postgres
// would wipe it to initialise a new cluster.
func checkDataVersion(dataDir string, version embeddedpostgres.PostgresVersion) error {
	b, err := os.ReadFile(filepath.Join(dataDir, "PG_VERSION"))
	if err != nil {
		return nil // no cluster yet
	}
	have := strings.TrimSpace(string(b))
	if !strings.HasPrefix(string(version), have+".") {
		return fmt.Errorf("localpg: %s holds PostgreSQL %s data but PostgreSQL %s would start; move the folder away (or dump and restore it) to start afresh", dataDir, have, strings.Split(string(version), ".")[0])
	}
	return nil
}

// choosePort reuses the port of the last start if it is free, else takes a free one.
func choosePort(portFile string) (uint32, error) {
	if b, err := os.ReadFile(portFile); err == nil {
		if p, err := strconv.ParseUint(strings.TrimSpace(string(b)), 10, 16); err == nil && portFree(uint32(p)) {
			return uint32(p), nil
		}
	}
	l, err := net.Listen("tcp", "localhost:0")
	if err != nil {
		return 0, fmt.Errorf("localpg: find a free port: %w", err)
	}
	port := uint32(l.Addr().(*net.TCPAddr).Port)
	if err := l.Close(); err != nil {
		return 0, fmt.Errorf("localpg: free the port: %w", err)
	}
	if err := os.WriteFile(portFile, []byte(strconv.Itoa(int(port))+"\n"), 0o600); err != nil {
		return 0, fmt.Errorf("localpg: %w", err)
	}
	return port, nil
}

func portFree(port uint32) bool {
	l, err := net.Listen("tcp", fmt.Sprintf("localhost:%d", port))
	if err != nil {
		return false
	}
	return l.Close() == nil
}

func stopLeftover(binariesPath, dataDir string) {
	if _, err := os.Stat(filepath.Join(dataDir, "postmaster.pid")); err != nil {
		return
	}
	_ = exec.Command(filepath.Join(binariesPath, "bin", "pg_ctl"), "stop", "-w", "-m", "fast", "-D", dataDir).Run()
}

// dropRoot prepares wrappers that run initdb and pg_ctl as an unprivileged account, and
// hands the server's folders to that account. It returns the wrappers' folder, to be
// used as embedded-postgres's BinariesPath.
func dropRoot(paths layout, bin string) (string, error) {
	uid, gid, name, err := unprivilegedAccount()
	if err != nil {
		return "", err
	}
	if err := reachable(paths.root, uid, gid); err != nil {
		return "", fmt.Errorf("localpg: PostgreSQL runs as %s, which cannot reach %s: %w", name, paths.root, err)
	}
	for _, d := range []string{paths.root, paths.socket()} {
		if err := os.Chown(d, uid, gid); err != nil {
			return "", fmt.Errorf("localpg: %w", err)
		}
	}
	if err := chownTree(paths.data(), uid, gid); err != nil {
		return "", err
	}
	wrappers := filepath.Join(paths.wrappers(), "bin")
	if err := os.MkdirAll(wrappers, 0o755); err != nil {
		return "", fmt.Errorf("localpg: %w", err)
	}
	drop := fmt.Sprintf("setpriv --reuid=%d --regid=%d --clear-groups --", uid, gid)
	scripts := map[string]string{
		// embedded-postgres writes the superuser's password file as root: hand it over.
		"initdb": `for a in "$@"; do case "$a" in --pwfile=*) chown ` + fmt.Sprintf("%d:%d", uid, gid) + ` "${a#--pwfile=}";; esac; done
exec ` + drop + ` ` + filepath.Join(bin, "bin", "initdb") + ` "$@"`,
		"pg_ctl": `exec ` + drop + ` ` + filepath.Join(bin, "bin", "pg_ctl") + ` "$@"`,
	}
	for name, body := range scripts {
		script := "#!/bin/sh\n# Written by passerelle: PostgreSQL refuses to run as root.\nset -e\n" + body + "\n"
		if err := os.WriteFile(filepath.Join(wrappers, name), []byte(script), 0o755); err != nil {
			return "", fmt.Errorf("localpg: %w", err)
		}
	}
	return paths.wrappers(), nil
}

func unprivilegedAccount() (uid, gid int, name string, err error) {
	for _, name := range []string{"postgres", "nobody"} {
		u, err := user.Lookup(name)
		if err != nil {
			continue
		}
		uid, err1 := strconv.Atoi(u.Uid)
		gid, err2 := strconv.Atoi(u.Gid)
		if err1 == nil && err2 == nil && uid != 0 {
			return uid, gid, name, nil
		}
	}
	return 0, 0, "", errors.New("localpg: running as root, and no unprivileged account (postgres, nobody) to run PostgreSQL as")
}

// reachable checks that uid can enter every folder above dir.
func reachable(dir string, uid, gid int) error {
	for d := filepath.Dir(dir); ; d = filepath.Dir(d) {
		fi, err := os.Stat(d)
		if err != nil {
			return err
		}
		st, ok := fi.Sys().(*syscall.Stat_t)
		if !ok {
			return nil
		}
		mode := fi.Mode().Perm()
		can := mode&0o001 != 0 ||
			(int(st.Uid) == uid && mode&0o100 != 0) ||
			(int(st.Gid) == gid && mode&0o010 != 0)
		if !can {
			return fmt.Errorf("%s is closed to it", d)
		}
		if d == "/" {
			return nil
		}
	}
}

func chownTree(root string, uid, gid int) error {
	err := filepath.Walk(root, func(p string, _ os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		return os.Lchown(p, uid, gid)
	})
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	return err
}
