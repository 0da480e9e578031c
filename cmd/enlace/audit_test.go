package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestAuditShowsChangesAndExports(t *testing.T) {
	path := newDemo(t, "20")
	csv := filepath.Join(t.TempDir(), "personas.csv")
	if code, _, errs := runCmd(t, "export", "people", "--db", path, "-o", csv); code != 0 {
		t.Fatalf("export: exit %d, %q", code, errs)
	}
	code, out, errs := runCmd(t, "audit", "--db", path, "--limit", "5")
	if code != 0 {
		t.Fatalf("audit: exit %d, %q", code, errs)
	}
	if strings.ContainsFunc(out, func(r rune) bool { return r < ' ' && r != '\n' || r == '\uFFFD' }) {
		t.Errorf("the log prints control characters or broken bytes:\n%q", out)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if !strings.Contains(lines[0], "Exportación CSV") || !strings.Contains(out, "personas: 20 filas") {
		t.Errorf("the newest entry should be the export:\n%s", out)
	}
	xlsx := filepath.Join(t.TempDir(), "registro.xlsx")
	if code, _, errs := runCmd(t, "audit", "--db", path, "-o", xlsx); code != 0 {
		t.Fatalf("audit -o: exit %d, %q", code, errs)
	}
	if st, err := os.Stat(xlsx); err != nil || st.Size() < 1000 {
		t.Errorf("exported log: %v, %v", st, err)
	}
	_, out, _ = runCmd(t, "audit", "--db", path, "--limit", "1")
	if !strings.Contains(out, "Exportación Excel") || !strings.Contains(out, "registro de cambios") {
		t.Errorf("exporting the log is logged too:\n%s", out)
	}
}
