package backup

import (
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// apacheBin is Debian's Apache httpd; `make test` installs it
// (scripts/install-deps.sh test: apache2, apache2-utils).
const apacheBin = "/usr/sbin/apache2"

// davServer is a real WebDAV server for a test: Apache httpd with mod_dav
// and basic authentication, serving a folder under the Nextcloud-style
// path /remote.php/dav/files/USER/.
type davServer struct {
	base     string // http://127.0.0.1:PORT
	user     string
	password string
	dir      string // the folder served as /remote.php/dav/files/USER/
	log      string // Apache's error log
}

// url is the WebDAV URL of the folder sub inside the user's files.
func (s *davServer) url(sub string) string {
	return s.base + "/remote.php/dav/files/" + s.user + "/" + sub + "/"
}

// dest is a destination for sub with the right credentials.
func (s *davServer) dest(sub string) Destination {
	return Destination{Kind: KindWebDAV, URL: s.url(sub), User: s.user, Password: s.password}
}

// startApache runs Apache on a free port of 127.0.0.1 for the test's
// duration, with a configuration written under t.TempDir. It skips the
// test only when Apache is not installed.
func startApache(t testing.TB) *davServer { t.Helper(); return startApacheWith(t, "") }

// startApacheWith is startApache with extra lines of configuration.
func startApacheWith(t testing.TB, extra string) *davServer {
	t.Helper()
	if _, err := os.Stat(apacheBin); err != nil {
		t.Skipf("%s is not installed (scripts/install-deps.sh test installs apache2 and apache2-utils): %v", apacheBin, err)
	}
	htpasswd, err := exec.LookPath("htpasswd")
	if err != nil {
		t.Skipf("htpasswd is not installed (apache2-utils): %v", err)
	}
	root := t.TempDir()
	s := &davServer{user: "ana", password: "contraseña de aplicación 1", dir: filepath.Join(root, "dav"), log: filepath.Join(root, "error.log")}
	for _, d := range []string{s.dir, filepath.Join(root, "lock"), filepath.Join(root, "run")} {
		if err := os.Mkdir(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	pw := filepath.Join(root, "htpasswd")
	if out, err := exec.Command(htpasswd, "-cbB", pw, s.user, s.password).CombinedOutput(); err != nil {
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
		for _, d := range []string{s.dir, filepath.Join(root, "lock")} {
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
	port := freePort(t)
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
`, port, root, s.log, runAs, s.user, s.dir, pw, extra)
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
	s.base = fmt.Sprintf("http://127.0.0.1:%d", port)
	deadline := time.Now().Add(15 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", fmt.Sprintf("127.0.0.1:%d", port), 200*time.Millisecond)
		if err == nil {
			c.Close()
			return s
		}
		select {
		case err := <-exited:
			logText, _ := os.ReadFile(s.log)
			t.Fatalf("apache exited: %v\n%s\n%s", err, out, logText)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("apache did not listen on %d within 15 s: %s", port, out)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// freePort returns a TCP port of 127.0.0.1 that was free a moment ago.
func freePort(t testing.TB) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// cutProxy is a TCP proxy on 127.0.0.1 that forwards to target and, once
// armed, closes a connection after it has carried limit bytes from the
// client: a connection cut in the middle of an upload.
type cutProxy struct {
	l        net.Listener
	limit    int64
	response bool // count and cut the server's answer instead
	cuts     atomic.Int32
	wg       sync.WaitGroup
}

func newCutProxy(t testing.TB, target string, limit int64) *cutProxy {
	return startCutProxy(t, &cutProxy{limit: limit}, target)
}

// newCutResponseProxy cuts a connection once the server has sent limit
// bytes on it: a download cut halfway. It returns the proxy's host:port.
func newCutResponseProxy(t testing.TB, target string, limit int64) string {
	return startCutProxy(t, &cutProxy{limit: limit, response: true}, target).addr()
}

func startCutProxy(t testing.TB, p *cutProxy, target string) *cutProxy {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p.l = l
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			p.wg.Add(1)
			go func() { defer p.wg.Done(); p.serve(c, target) }()
		}
	}()
	t.Cleanup(func() { l.Close(); p.wg.Wait() })
	return p
}

// addr is the proxy's host:port.
func (p *cutProxy) addr() string { return p.l.Addr().String() }

func (p *cutProxy) serve(c net.Conn, target string) {
	defer c.Close()
	up, err := net.Dial("tcp", target)
	if err != nil {
		return
	}
	defer up.Close()
	from, to := net.Conn(c), up // the direction that is cut
	if p.response {
		from, to = up, c
	}
	go func() { _, _ = io.Copy(from, to); from.Close() }()
	n, _ := io.Copy(to, io.LimitReader(from, p.limit))
	if n >= p.limit {
		p.cuts.Add(1)
		// Reset rather than close politely, as a dropped link looks.
		if tc, ok := c.(*net.TCPConn); ok {
			_ = tc.SetLinger(0)
		}
	}
}
