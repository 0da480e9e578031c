package data

import (
	"fmt"
	"sort"
	"strings"

	bolt "go.etcd.io/bbolt"
)

// seedCriteria are the enabling situations of the pilot's leaflet (seed
// 000, "Situaciones habilitantes"), loaded into every new database.
var seedCriteria = []Criterion{
	{ID: "ae-arraigo", Direction: FromAE, Text: "Personas que estén pensando o preparando la solicitud de autorización de residencia y trabajo por arraigo (mínimo de permanencia en España de 2 años) y que busquen en la AE la formalización de un contrato para solicitarla."},
	{ID: "ae-documentacion", Direction: FromAE, Text: "Personas cuya autorización de residencia y trabajo, TIE, NIE, tarjeta de estudiante o documento de solicitante de asilo («carta blanca» con NIE) esté cerca de caducar, haya caducado, esté en renovación, o haya sido denegada y pendiente de recurso."},
	{ID: "ae-reagrupacion", Direction: FromAE, Text: "Personas interesadas en la reagrupación familiar que buscan mayores ingresos, estabilidad laboral y cómo realizar ese trámite."},
	{ID: "ae-certificado-ue", Direction: FromAE, Text: "Personas con pasaporte de un país de la Unión Europea que necesiten obtener el certificado de registro de ciudadano de la UE."},
	{ID: "omiopi-itinerario", Direction: FromOMIOPI, Text: "Personas que estén en itinerario y hayan cumplido las 5 intervenciones en las Oficinas."},
	{ID: "omiopi-empleable", Direction: FromOMIOPI, Text: "Personas altamente empleables que ya cuentan con la información sobre homologación, currículum y otras inquietudes resueltas en las Oficinas en itinerarios sociolaborales."},
	{ID: "omiopi-exp-estudios", Direction: FromOMIOPI, Text: "Personas con 1 a 2 años de experiencia laboral en España y estudios superiores, para facilitar su acceso a formación profesional o certificados de profesionalidad."},
	{ID: "omiopi-exp-sin-estudios", Direction: FromOMIOPI, Text: "Personas con 1 a 2 años de experiencia laboral en España, sin estudios, que a través de la formación de la AE puedan acceder a algún certificado."},
	{ID: "omiopi-6m-1a", Direction: FromOMIOPI, Text: "Personas (sobre todo jóvenes) que lleven entre 6 meses y 1 año en España, para facilitar su acceso a un primer empleo."},
	{ID: "omiopi-menos-6m", Direction: FromOMIOPI, Text: "Personas con menos de 6 meses en España, para facilitar su acceso a un primer empleo."},
}

// seedCriteriaTx writes the seed criteria that are not in tx yet.
func seedCriteriaTx(tx *bolt.Tx) error {
	b := tx.Bucket(bucketCriteria)
	for i, c := range seedCriteria {
		if b.Get([]byte(c.ID)) != nil {
			continue
		}
		c.Active, c.Order = true, i
		c.History = []CriterionVersion{{Text: c.Text, Active: true, By: "Enlace"}} // zero From: in force since always
		if err := putJSON(tx, bucketCriteria, c.ID, c); err != nil {
			return err
		}
	}
	return nil
}

// Criteria returns the enabling situations of direction d (all directions
// when d is empty), active first, in their order.
func (s *Store) Criteria(d Direction) ([]Criterion, error) {
	all, err := listAll[Criterion](s, bucketCriteria)
	if err != nil {
		return nil, err
	}
	out := all[:0]
	for _, c := range all {
		if d == "" || c.Direction == d {
			out = append(out, c)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Active != out[j].Active {
			return out[i].Active
		}
		if out[i].Direction != out[j].Direction {
			return out[i].Direction < out[j].Direction
		}
		return out[i].Order < out[j].Order
	})
	return out, nil
}

// Criterion returns the criterion with id, or ErrNotFound.
func (s *Store) Criterion(id string) (Criterion, error) {
	var c Criterion
	err := s.view(func(tx *bolt.Tx) error { return getJSON(tx, bucketCriteria, id, &c) })
	if err != nil {
		return Criterion{}, fmt.Errorf("situación habilitante %s: %w", id, err)
	}
	return c, nil
}

// SaveCriterion stores a new criterion (empty ID) or a new wording or
// active flag of an existing one. The old wording stays in History with
// its dates; the direction of an existing criterion cannot change.
func (s *Store) SaveCriterion(c *Criterion, author string) error {
	if err := s.checkWrite(PermSettings, author); err != nil {
		return err
	}
	c.Text = strings.Join(strings.Fields(c.Text), " ")
	var pr problems
	if c.Text == "" {
		pr.add("Text", "Escriba la situación habilitante.")
	}
	if !oneOf(c.Direction, Directions) {
		pr.add("Direction", "Elija la dirección de la derivación.")
	}
	if err := pr.err(); err != nil {
		return err
	}
	now := s.now()
	q := *c
	err := s.update(func(tx *bolt.Tx) error {
		if q.ID == "" {
			q.ID = s.newID()
			q.Order = tx.Bucket(bucketCriteria).Stats().KeyN
			q.History = nil
		} else {
			var old Criterion
			if err := getJSON(tx, bucketCriteria, q.ID, &old); err != nil {
				return fmt.Errorf("situación habilitante %s: %w", q.ID, err)
			}
			if old.Direction != q.Direction {
				return &ValidationError{Fields: []FieldError{{"Direction", "No se puede cambiar la dirección de una situación habilitante: cree una nueva."}}}
			}
			if old.Text == q.Text && old.Active == q.Active {
				q = old
				return nil // nothing changed: no new version
			}
			q.History, q.Order = old.History, old.Order
		}
		q.History = append(q.History, CriterionVersion{Text: q.Text, Active: q.Active, From: now, By: author})
		return putJSON(tx, bucketCriteria, q.ID, q)
	})
	if err == nil {
		*c = q
	}
	return err
}
