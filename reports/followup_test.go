package reports_test

import (
	"io"
	"strconv"
	"testing"

	"github.com/enlace-madrid/enlace/data"
	"github.com/enlace-madrid/enlace/reports"
)

func TestFollowUp(t *testing.T) {
	s := docStore(t)
	norte := docOffice(t, s, "Oficina Norte")
	refs, err := s.Referrals(data.ReferralFilter{OfficeID: norte.ID})
	if err != nil || len(refs) == 0 {
		t.Fatalf("Oficina Norte has %d referrals (%v)", len(refs), err)
	}
	staffID := refs[0].StaffID
	mine, err := s.Referrals(data.ReferralFilter{OfficeID: norte.ID, StaffID: staffID})
	if err != nil {
		t.Fatal(err)
	}
	tech, err := s.StaffMember(staffID)
	if err != nil {
		t.Fatal(err)
	}
	name := func(r data.Referral) string {
		c, err := s.Card(r.PersonID)
		if err != nil {
			t.Fatal(err)
		}
		return c.FullName()
	}

	t.Run("office", func(t *testing.T) {
		text := render(t, "", func(w io.Writer) error {
			return reports.FollowUp(w, s, reports.FollowUpQuery{OfficeID: norte.ID}, docOptions(t, s, reports.Spanish))
		})
		want := []string{"Informe de seguimiento", "Oficina Norte · situación a 25/11/2026", "Personas derivadas",
			"Derivada por", "Último contacto", "Total de derivaciones", "personas derivadas", tech.Name,
			"Documento con datos personales protegidos por el RGPD"}
		for _, r := range refs {
			want = append(want, name(r), r.Status.Label())
		}
		mustContain(t, text, want...)
	})
	t.Run("technician", func(t *testing.T) {
		text := render(t, "", func(w io.Writer) error {
			return reports.FollowUp(w, s, reports.FollowUpQuery{OfficeID: norte.ID, StaffID: staffID}, docOptions(t, s, reports.Spanish))
		})
		mustContain(t, text, tech.Name+" · Oficina Norte", "Total de derivaciones "+strconv.Itoa(len(mine)))
		for _, r := range mine {
			mustContain(t, text, name(r))
		}
		for _, r := range refs {
			if r.StaffID != staffID {
				mustNotContain(t, text, name(r))
			}
		}
	})
	t.Run("nobody", func(t *testing.T) {
		if err := reports.FollowUp(io.Discard, s, reports.FollowUpQuery{}, docOptions(t, s, reports.Spanish)); !isInvalid(err) {
			t.Errorf("err = %v, want a validation error", err)
		}
		if err := reports.FollowUp(io.Discard, s, reports.FollowUpQuery{StaffID: "nadie"}, docOptions(t, s, reports.Spanish)); !isNotFound(err) {
			t.Errorf("err = %v, want ErrNotFound", err)
		}
	})
}
