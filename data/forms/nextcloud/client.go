// Package nextcloud pulls referral-form answers from the Forms app of the
// organisation's Nextcloud through its OCS API (v3) and imports them with
// the same pipeline as a CSV export (forms.Read, forms.Check,
// Plan.Import): same validation, free-text parsing, matching and
// exclusion rules.
//
// Each submission's answers are placed by question ID: a question whose
// technical name is "p7" (or "q7", "enlace-7") is question 7 of the
// referral form, else its text is matched as a CSV header would be. A
// submission is recorded as imported (form and submission, hashed, in the
// store's transaction) before it is deleted on the server, so a crash
// between the two never imports it twice and the next pull only retries
// the delete. A submission that cannot be imported (no name, a wrong NIE…)
// is written nowhere and stays on the server for review.
package nextcloud

import (
	"bytes"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/enlace-madrid/enlace/data"
	"github.com/enlace-madrid/enlace/data/forms"
)

// Client talks to one Nextcloud as one user, with an app password.
type Client struct {
	BaseURL  string // https://nube.example.org (the Nextcloud root)
	User     string
	Password string // an app password (Ajustes personales → Seguridad)
	HTTP     *http.Client
}

// Question is a question of a Nextcloud form, as the API gives it.
type Question struct {
	ID         int      `json:"id"`
	Order      int      `json:"order"`
	Type       string   `json:"type"`
	IsRequired bool     `json:"isRequired"`
	Text       string   `json:"text"`
	Name       string   `json:"name"`
	Options    []Option `json:"options"`
}

// Option is one choice of a question.
type Option struct {
	ID   int    `json:"id"`
	Text string `json:"text"`
}

// Form is a Nextcloud form with its questions.
type Form struct {
	ID        int        `json:"id"`
	Hash      string     `json:"hash"`
	Title     string     `json:"title"`
	Questions []Question `json:"questions"`
	Shares    []Share    `json:"shares"`
}

// Share is one way the form is shared; ShareType 3 is a public link whose
// ShareWith is the link's token.
type Share struct {
	ShareType int    `json:"shareType"`
	ShareWith string `json:"shareWith"`
}

// Answer is one answer of a submission; a question with several choices
// ticked has several.
type Answer struct {
	QuestionID int    `json:"questionId"`
	Text       string `json:"text"`
}

// Submission is one filled-in form.
type Submission struct {
	ID        int      `json:"id"`
	FormID    int      `json:"formId"`
	UserID    string   `json:"userId"`
	Timestamp int64    `json:"timestamp"` // Unix seconds
	Answers   []Answer `json:"answers"`
}

// Error is an HTTP failure, worded for the user.
type Error struct {
	Status  int
	Message string
}

func (e *Error) Error() string { return e.Message }

func (c *Client) http() *http.Client {
	if c.HTTP != nil {
		return c.HTTP
	}
	return &http.Client{Timeout: 60 * time.Second}
}

// call does one OCS request and decodes the envelope's data into out.
func (c *Client) call(method, path string, formID int, out any) error {
	u := strings.TrimRight(c.BaseURL, "/") + "/ocs/v2.php/apps/forms/api/v3" + path
	req, err := http.NewRequest(method, u, nil)
	if err != nil {
		return fmt.Errorf("la dirección de Nextcloud «%s» no es válida: %w", c.BaseURL, err)
	}
	req.SetBasicAuth(c.User, c.Password)
	req.Header.Set("OCS-APIRequest", "true")
	req.Header.Set("Accept", "application/json")
	resp, err := c.http().Do(req)
	if err != nil {
		return c.netError(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, forms.MaxFileSize))
	if err != nil {
		return fmt.Errorf("leer la respuesta de Nextcloud: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		return statusError(resp.StatusCode, formID)
	}
	var env struct {
		OCS struct {
			Meta struct {
				Status     string `json:"status"`
				StatusCode int    `json:"statuscode"`
			} `json:"meta"`
			Data json.RawMessage `json:"data"`
		} `json:"ocs"`
	}
	if err := json.Unmarshal(body, &env); err != nil || env.OCS.Data == nil {
		return &Error{Status: resp.StatusCode, Message: fmt.Sprintf("La dirección %s no responde como un Nextcloud con la app Formularios: compruebe la URL.", c.BaseURL)}
	}
	if env.OCS.Meta.Status != "ok" {
		return statusError(env.OCS.Meta.StatusCode, formID)
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(env.OCS.Data, out); err != nil {
		return fmt.Errorf("la respuesta de la app Formularios no se entiende (¿versión sin API v3?): %w", err)
	}
	return nil
}

// netError is the Spanish sentence for a request that got no answer: no
// answer in time, a certificate not trusted, a name that does not exist,
// or no connection at all.
func (c *Client) netError(err error) error {
	var ue *url.Error
	var cert *tls.CertificateVerificationError
	var hostname x509.HostnameError
	var unknown x509.UnknownAuthorityError
	var dns *net.DNSError
	switch {
	case errors.As(err, &dns):
		return fmt.Errorf("No se encuentra el servidor %s: compruebe la dirección y que este equipo tiene conexión a Internet: %w", c.BaseURL, err)
	case errors.As(err, &ue) && ue.Timeout():
		return fmt.Errorf("Nextcloud no responde (%s): inténtelo más tarde", c.BaseURL)
	case errors.As(err, &cert), errors.As(err, &hostname), errors.As(err, &unknown):
		return fmt.Errorf("El certificado de %s no es de confianza (caducado, de otro nombre o sin autoridad reconocida): compruebe la dirección o pida a quien administra el Nextcloud que lo renueve: %w", c.BaseURL, err)
	}
	return fmt.Errorf("no se puede conectar con Nextcloud (%s): compruebe la dirección y la conexión: %w", c.BaseURL, err)
}

// statusError is the Spanish sentence for an HTTP or OCS status.
func statusError(code, formID int) error {
	var msg string
	switch code {
	case http.StatusUnauthorized, 997:
		msg = "Nextcloud no acepta el usuario o la contraseña de aplicación (HTTP 401): créela en Nextcloud, Ajustes personales → Seguridad → «Crear nueva contraseña de aplicación»."
		code = http.StatusUnauthorized
	case http.StatusForbidden:
		msg = fmt.Sprintf("Ese usuario no puede ver las respuestas del formulario %d (HTTP 403): el propietario tiene que compartirle los resultados.", formID)
	case http.StatusNotFound, http.StatusBadRequest:
		msg = fmt.Sprintf("No existe el formulario %d en ese Nextcloud, o la app Formularios no está instalada (HTTP %d): compruebe el número del formulario (está en su dirección, …/apps/forms/…).", formID, code)
	case http.StatusPreconditionFailed:
		msg = "Nextcloud ha rechazado la petición (HTTP 412): un proxy quita la cabecera OCS-APIRequest."
	case http.StatusTooManyRequests:
		msg = "Nextcloud pide esperar (HTTP 429, demasiados intentos): inténtelo en unos minutos."
	case http.StatusServiceUnavailable:
		msg = "Nextcloud está en mantenimiento (HTTP 503): inténtelo más tarde."
	default:
		if code >= 500 {
			msg = fmt.Sprintf("El servidor Nextcloud ha fallado (HTTP %d): inténtelo más tarde; si sigue, avise a quien lo administra.", code)
		} else {
			msg = fmt.Sprintf("Nextcloud ha respondido con un error (HTTP %d).", code)
		}
	}
	return &Error{Status: code, Message: msg}
}

// Form fetches the form with its questions.
func (c *Client) Form(id int) (Form, error) {
	var f Form
	err := c.call(http.MethodGet, "/forms/"+strconv.Itoa(id), id, &f)
	return f, err
}

// Submissions fetches every submission of form id, newest first as the
// server sends them.
func (c *Client) Submissions(id int) ([]Submission, error) {
	var d struct {
		Submissions []Submission `json:"submissions"`
	}
	err := c.call(http.MethodGet, "/forms/"+strconv.Itoa(id)+"/submissions", id, &d)
	return d.Submissions, err
}

// DeleteSubmission deletes one submission on the server.
func (c *Client) DeleteSubmission(formID, sid int) error {
	return c.call(http.MethodDelete, fmt.Sprintf("/forms/%d/submissions/%d", formID, sid), formID, nil)
}

var nameRe = regexp.MustCompile(`(?i)^(?:p|q|enlace[-_]?)(\d{1,2})$`)

// columnHeader is the CSV header a question stands for: the referral
// form's question its technical name numbers, else its text.
func columnHeader(q Question) string {
	if m := nameRe.FindStringSubmatch(strings.TrimSpace(q.Name)); m != nil {
		if n, _ := strconv.Atoi(m[1]); n >= 1 && n <= len(forms.Questions) {
			return fmt.Sprintf("%d. %s", n, forms.Questions[n-1])
		}
	}
	return q.Text
}

// File turns a form's submissions into a forms.File, one row per
// submission in the order given, each row's Key set to SubmissionKey.
func File(baseURL string, f Form, subs []Submission) (*forms.File, error) {
	qs := append([]Question(nil), f.Questions...)
	sort.SliceStable(qs, func(i, j int) bool { return qs[i].Order < qs[j].Order })
	col := map[int]int{}
	header := []string{"Marca temporal"}
	for _, q := range qs {
		col[q.ID] = len(header)
		header = append(header, columnHeader(q))
	}
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	_ = w.Write(header)
	for _, s := range subs {
		cells := make([]string, len(header))
		cells[0] = time.Unix(s.Timestamp, 0).UTC().Format(time.RFC3339)
		for _, a := range s.Answers {
			i, ok := col[a.QuestionID]
			if !ok {
				continue // a question deleted since: the server keeps no text for it
			}
			if cells[i] != "" {
				cells[i] += "; "
			}
			cells[i] += a.Text
		}
		_ = w.Write(cells)
	}
	w.Flush()
	file, err := forms.Read(&b)
	if err != nil {
		return nil, fmt.Errorf("el formulario %d («%s») no es el de derivaciones: %w", f.ID, f.Title, err)
	}
	if len(file.Rows) != len(subs) {
		return nil, fmt.Errorf("formulario %d: %d respuestas leídas de %d", f.ID, len(file.Rows), len(subs))
	}
	for i := range file.Rows {
		file.Rows[i].Key = SubmissionKey(baseURL, f.ID, subs[i].ID)
	}
	return file, nil
}

// SubmissionKey is the hex SHA-256 the store keeps for one submission of
// one form on one Nextcloud.
func SubmissionKey(baseURL string, formID, sid int) string {
	h := sha256.Sum256([]byte(fmt.Sprintf("nextcloud-forms\x00%s\x00%d\x00%d", strings.TrimRight(baseURL, "/"), formID, sid)))
	return hex.EncodeToString(h[:])
}

// Pending is a submission left on the server: it cannot be imported.
type Pending struct {
	Submission Submission
	When       time.Time
	Problems   []forms.Problem
}

// Pulled is what a pull did.
type Pulled struct {
	Result   forms.Result
	Deleted  int       // submissions deleted on the server (imported now or before)
	Pending  []Pending // left on the server for review
	Repeated int       // identical to another submission: left for the next pull
	Link     string    // the form's public link, "" when it has none
}

// Summary is p in Spanish, as the command line prints it.
func (p Pulled) Summary() string {
	s := p.Result.Summary()
	s += fmt.Sprintf(" Borradas del servidor: %d.", p.Deleted)
	if n := len(p.Pending); n > 0 {
		s += fmt.Sprintf(" Sin importar y en el servidor para revisar: %d.", n)
	}
	return s
}

// Pull imports the submissions of form formID into s as author, then
// deletes on the server every submission the store holds as imported. It
// can run again at any time: what was imported is never imported twice,
// and a delete that failed is retried. Preview, when set, sees the plan
// before anything is written and may refuse it by returning false.
func (c *Client) Pull(s *data.Store, formID int, author string, preview func(*forms.Plan) bool) (Pulled, error) {
	var out Pulled
	f, err := c.Form(formID)
	if err != nil {
		return out, err
	}
	out.Link = PublicLink(c.BaseURL, f)
	subs, err := c.Submissions(formID)
	if err != nil {
		return out, err
	}
	sort.SliceStable(subs, func(i, j int) bool { // oldest first, as a CSV export
		if subs[i].Timestamp != subs[j].Timestamp {
			return subs[i].Timestamp < subs[j].Timestamp
		}
		return subs[i].ID < subs[j].ID
	})
	if len(subs) == 0 {
		return out, nil
	}
	file, err := File(c.BaseURL, f, subs)
	if err != nil {
		return out, err
	}
	plan, err := forms.Check(s, file)
	if err != nil {
		return out, err
	}
	if preview != nil && !preview(plan) {
		return out, nil
	}
	if out.Result, err = plan.Import(s, author, true); err != nil {
		return out, err
	}
	for i := range file.Rows {
		r := &file.Rows[i]
		switch r.Status {
		case forms.Rejected:
			out.Pending = append(out.Pending, Pending{Submission: subs[i], When: r.When, Problems: r.Invalid()})
		case forms.Repeated:
			out.Repeated++
		}
	}
	// Delete what the store holds, as it holds it now: never a submission
	// that is not recorded.
	keys := make([]string, 0, 2*len(file.Rows))
	for i := range file.Rows {
		keys = append(keys, file.Rows[i].Key, file.Rows[i].Hash)
	}
	done, err := s.ImportedRows(keys)
	if err != nil {
		return out, err
	}
	for i := range file.Rows {
		r := &file.Rows[i]
		_, byKey := done[r.Key]
		_, byHash := done[r.Hash]
		if !byKey && !byHash {
			continue
		}
		if err := c.DeleteSubmission(formID, subs[i].ID); err != nil {
			return out, fmt.Errorf("la respuesta %d ya está importada pero no se ha podido borrar del servidor (se volverá a intentar en la próxima descarga): %w", subs[i].ID, err)
		}
		out.Deleted++
	}
	return out, nil
}
