package datatest

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// apacheBin is Debian's Apache httpd; `make test` installs it
// (scripts/install-deps.sh test: apache2, apache2-utils).
const apacheBin = "/usr/sbin/apache2"

// DAV is a real WebDAV server for a test.
type DAV struct {
	Base     string // http://127.0.0.1:PORT
	User     string
	Password string
	Dir      string // the folder served as /remote.php/dav/files/USER/
	Log      string // the server's log
}

// URL is the WebDAV URL of the folder sub inside the user's files.
func (s *DAV) URL(sub string) string {
	return s.Base + "/remote.php/dav/files/" + s.User + "/" + sub + "/"
}

// StartApache runs Apache httpd with mod_dav and basic authentication on
// a free port of 127.0.0.1 for the test's duration, serving a folder under
// the Nextcloud-style path /remote.php/dav/files/USER/, with extra lines
// of configuration, in which {DIR} stands for the served folder (Dir).
// It skips the test only when Apache is not installed.
func StartApache(t testing.TB, extra string) *DAV {
	t.Helper()
	if _, err := os.Stat(apacheBin); err != nil {
		t.Skipf("%s is not installed (scripts/install-deps.sh test installs apache2 and apache2-utils): %v", apacheBin, err)
	}
	htpasswd, err := exec.LookPath("htpasswd")
	if err != nil {
		t.Skipf("htpasswd is not installed (apache2-utils): %v", err)
	}
	root := t.TempDir()
	s := &DAV{User: "ana", Password: "contraseña de aplicación 1", Dir: filepath.Join(root, "dav"), Log: filepath.Join(root, "error.log")}
	for _, d := range []string{s.Dir, filepath.Join(root, "lock"), filepath.Join(root, "run")} {
		if err := os.Mkdir(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	pw := filepath.Join(root, "htpasswd")
	if out, err := exec.Command(htpasswd, "-cbB", pw, s.User, s.Password).CombinedOutput(); err != nil {
		t.Fatalf("htpasswd: %v\n%s", err, out)
	}
	// As root, Apache's workers run as www-data: they must be able to
	// reach and write the served folder and the lock database.
	runAs := ""
	if os.Geteuid() == 0 {
		u, err := user.Lookup("www-data")
		if err != nil {
			t.Skipf("running as root and there is no www-data user for Apache's workers: %v", err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		for _, d := range []string{s.Dir, filepath.Join(root, "lock")} {
			if err := os.Chown(d, uid, gid); err != nil {
				t.Fatal(err)
			}
		}
		for d := root; d != "/" && d != os.TempDir(); d = filepath.Dir(d) {
			_ = os.Chmod(d, 0o755) // t.TempDir's folders are 0700
		}
		_ = os.Chmod(pw, 0o644)
		runAs = "User www-data\nGroup www-data\n"
	}
	port := FreePort(t)
	conf := filepath.Join(root, "httpd.conf")
	mods := []string{"mpm_event", "authn_core", "authn_file", "authz_core", "authz_user", "auth_basic",
		"dav", "dav_fs", "alias", "mime"}
	var b strings.Builder
	for _, m := range mods {
		fmt.Fprintf(&b, "LoadModule %s_module /usr/lib/apache2/modules/mod_%s.so\n", m, m)
	}
	if _, err := os.Stat("/usr/lib/apache2/modules/mod_unixd.so"); err == nil {
		b.WriteString("LoadModule unixd_module /usr/lib/apache2/modules/mod_unixd.so\n")
	}
	fmt.Fprintf(&b, `ServerName 127.0.0.1
Listen 127.0.0.1:%[1]d
ServerRoot %[2]s
DefaultRuntimeDir %[2]s/run
PidFile %[2]s/run/httpd.pid
Mutex file:%[2]s/run default
ErrorLog %[3]s
LogLevel warn
%[4]sTypesConfig /etc/mime.types
DocumentRoot %[2]s/run
StartServers 1
DavLockDB %[2]s/lock/DavLock
Alias /remote.php/dav/files/%[5]s %[6]s
<Directory %[6]s>
	DAV On
	Options None
	AllowOverride None
	AuthType Basic
	AuthName "Enlace test"
	AuthBasicProvider file
	AuthUserFile %[7]s
	Require valid-user
</Directory>
%[8]s
`, port, root, s.Log, runAs, s.User, s.Dir, pw, strings.ReplaceAll(extra, "{DIR}", s.Dir))
	if err := os.WriteFile(conf, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(apacheBin, "-f", conf, "-DFOREGROUND")
	out := &strings.Builder{}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatalf("start apache: %v", err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-exited:
		case <-time.After(10 * time.Second):
			_ = cmd.Process.Kill()
			<-exited
		}
	})
	s.Base = fmt.Sprintf("http://127.0.0.1:%d", port)
	waitListening(t, "apache", port, exited, s.Log, out)
	return s
}

// FreePort returns a TCP port of 127.0.0.1 that was free a moment ago.
func FreePort(t testing.TB) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// DeadURL is an http URL on 127.0.0.1 where no server ever answers, for
// tests of a server that is down: port 1 is privileged and no test binds
// it, where a port "free a moment ago" (FreePort) can be taken meanwhile
// by another package's Apache or rclone running in parallel.
func DeadURL(path string) string { return "http://127.0.0.1:1" + path }

// StartRclone runs `rclone serve webdav` on a free port of 127.0.0.1
// for the test's duration, serving a new folder at the same
// Nextcloud-style path as StartApache. rclone ignores If-Match and
// If-None-Match: code that must not depend on them is tried on both. It
// skips the test only when rclone is not installed.
func StartRclone(t testing.TB) *DAV {
	t.Helper()
	bin, err := exec.LookPath("rclone")
	if err != nil {
		t.Skipf("rclone is not installed (scripts/install-deps.sh test installs it): %v", err)
	}
	root := t.TempDir()
	s := &DAV{User: "ana", Password: "contraseña de aplicación 2", Dir: filepath.Join(root, "dav"), Log: filepath.Join(root, "rclone.log")}
	if err := os.Mkdir(s.Dir, 0o755); err != nil {
		t.Fatal(err)
	}
	port := FreePort(t)
	cmd := exec.Command(bin, "serve", "webdav", s.Dir, "--addr", fmt.Sprintf("127.0.0.1:%d", port),
		"--user", s.User, "--pass", s.Password, "--baseurl", "/remote.php/dav/files/"+s.User,
		"--config", filepath.Join(root, "rclone.conf"), "--log-file", s.Log)
	if err := cmd.Start(); err != nil {
		t.Fatalf("start rclone: %v", err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-exited:
		case <-time.After(10 * time.Second):
			_ = cmd.Process.Kill()
			<-exited
		}
	})
	s.Base = fmt.Sprintf("http://127.0.0.1:%d", port)
	waitListening(t, "rclone", port, exited, s.Log, nil)
	return s
}

// waitListening waits up to 15 s for a server started for a test to
// listen on port, and fails the test with its output and log if it exits
// or does not.
func waitListening(t testing.TB, name string, port int, exited <-chan error, log string, out fmt.Stringer) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", fmt.Sprintf("127.0.0.1:%d", port), 200*time.Millisecond)
		if err == nil {
			c.Close()
			return
		}
		select {
		case err := <-exited:
			logText, _ := os.ReadFile(log)
			t.Fatalf("%s exited: %v\n%v\n%s", name, err, out, logText)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s did not listen on %d within 15 s: %v", name, port, out)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
