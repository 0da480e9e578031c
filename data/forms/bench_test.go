package forms

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/enlace-madrid/enlace/data"
	"github.com/enlace-madrid/enlace/data/datatest"
)

// benchExport returns an export of n answers in the Google Forms layout:
// every answer a different person (an NIE, a passport or a DNI), with the
// referrers and nationalities of the pilot.
func benchExport(n int) string {
	header := append([]string{"Marca temporal"}, make([]string, len(Questions))...)
	for i, q := range Questions {
		header[i+1] = fmt.Sprintf("%d. %s", i+1, q)
	}
	firsts := []string{"MARÍA JOSÉ", "Jorge", "Ana Lucía", "Oleksandr", "Fatima", "Luis", "Carmen", "Yessica", "Wilmer", "Rosa"}
	lasts := []string{"PÉREZ GARCÍA", "Castillo Ramos", "Flores Mejía", "Kovalenko", "Benali", "Gómez de la Cruz", "Quispe", "Rojas"}
	nats := []string{"venezolana", "PERU", "Peruano", "hondureña", "Colombia", "marroquí", "ucraniano", "Bolivia", "ecuatoriana", "El Salvador"}
	refs := []string{
		"Laura Martín, AE, laura.martin@madrid.es, AZ Tetuán",
		"Pedro Sanz (OMIOPI Oficina Norte) psanz@oficinainmigracion.info",
		"MARTA CABRERA - Agencia para el Empleo - Agencia de Zona Latina - cabreragm@madrid.es",
		"Nuria Calvo; Oficina Sur; ncalvo@oficinainmigracion.info",
	}
	const letters = "TRWAGMYFPDXBNJZSQVHLCKE"
	rows := [][]string{header}
	for i := 0; i < n; i++ {
		num := 1000000 + i
		var doc string
		switch i % 10 {
		case 0:
			doc = fmt.Sprintf("DNI %08d%c", 30000000+i, letters[(30000000+i)%23])
		case 1, 2:
			doc = fmt.Sprintf("Pasaporte AB%07d, caduca 01/01/2027", num)
		default:
			doc = fmt.Sprintf("NIE Y%07d%c caducidad %02d/%02d/2025", num, letters[(10000000+num)%23], 1+i%28, 1+i%12)
		}
		r := make([]string, len(header))
		r[0] = fmt.Sprintf("%02d/%02d/2022 %02d:%02d:%02d", 1+i%28, 9+i%3, 8+i%10, i%60, (i/60)%60)
		r[qName] = firsts[i%len(firsts)] + " " + lasts[(i/len(firsts))%len(lasts)] + fmt.Sprintf(" Nº%d", i)
		r[qDocument] = doc
		r[qNationality] = nats[i%len(nats)]
		r[qReferrer] = refs[i%len(refs)]
		r[qPhones] = fmt.Sprintf("6%08d / 91%07d", i, i)
		r[qEmail] = fmt.Sprintf("persona%d@correo.es", i)
		r[qAddress] = fmt.Sprintf("Calle de Bravo Murillo %d, 28020 Madrid", i%300)
		r[qLevel] = "Bachillerato"
		r[qIT] = "Básico"
		r[qObservation] = "Busca trabajo \"de lo suyo\", con urgencia;\nprefiere mañanas."
		rows = append(rows, r)
	}
	return csvText(rows, ',', "\r\n")
}

// BenchmarkImport10k reads, checks and imports 10,000 answers into an
// empty store (durable commit included). The target is 5 s.
func BenchmarkImport10k(b *testing.B) {
	const n = 10000
	export := benchExport(n)
	b.SetBytes(int64(len(export)))
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		s, err := data.Open(filepath.Join(b.TempDir(), fmt.Sprintf("bench%d.db", i)), datatest.Options(nil))
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		f, err := Read(strings.NewReader(export))
		if err != nil {
			b.Fatal(err)
		}
		plan, err := Check(s, f)
		if err != nil {
			b.Fatal(err)
		}
		res, err := plan.Import(s, "Coordinadora de prueba", false)
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		if res.Rows != n || res.NewPeople != n {
			b.Fatalf("imported %+v, want %d new people", res, n)
		}
		if err := s.Close(); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}
