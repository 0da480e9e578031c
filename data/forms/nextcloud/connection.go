package nextcloud

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/enlace-madrid/enlace/data"
)

// connectionKey is the store state key of the window's Connection.
const connectionKey = "forms.nextcloud.connection"

// Connection is where the window pulls the referral form from. The app
// password is not in it: it goes in the system's credential store, under
// SecretKey.
type Connection struct {
	URL    string `json:"url"`             // the Nextcloud root, https://nube.example.org
	User   string `json:"user"`            // who sees the form's answers
	FormID int    `json:"form"`            // the form's number
	Title  string `json:"title,omitempty"` // the form's title when it was checked
}

// SecretKey names the connection's app password in the credential store.
func (c Connection) SecretKey() string { return "forms:" + c.User + "@" + c.URL }

// LoadConnection returns the stored connection; data.ErrNotFound when
// there is none yet.
func LoadConnection(s *data.Store) (Connection, error) {
	var c Connection
	err := s.Setting(connectionKey, &c)
	return c, err
}

// SaveConnection stores c for whoever may import the forms (not only the
// administrator: the coordinator sets it up from the window). It returns
// a *data.ValidationError when the address is not one to send a password
// to, and data.ErrForbidden for a user who may not import.
func SaveConnection(s *data.Store, c Connection) error {
	if err := s.Allow(data.PermPropose); err != nil {
		return err
	}
	root, err := CheckURL(c.URL)
	if err != nil {
		return err
	}
	c.URL, c.User = root, strings.TrimSpace(c.User)
	if c.User == "" || c.FormID <= 0 {
		return &data.ValidationError{Fields: []data.FieldError{{Field: "User",
			Message: "Faltan el usuario de Nextcloud o el número del formulario."}}}
	}
	return s.SetState(connectionKey, c)
}

// CheckURL returns the Nextcloud root in raw, without a trailing slash, or
// a *data.ValidationError: it must be https:// (http:// only on this
// machine), as the app password travels with every request.
func CheckURL(raw string) (string, error) {
	raw = strings.TrimRight(strings.TrimSpace(raw), "/")
	u, err := url.Parse(raw)
	switch {
	case raw == "" || err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http"):
		return "", &data.ValidationError{Fields: []data.FieldError{{Field: "URL",
			Message: fmt.Sprintf("«%s» no es la dirección de un Nextcloud: escríbala entera, como https://nube.ejemplo.org.", raw)}}}
	case u.Scheme == "http" && !data.LocalHost(u.Hostname()):
		return "", &data.ValidationError{Fields: []data.FieldError{{Field: "URL",
			Message: "La dirección de Nextcloud debe empezar por https:// (con http:// la contraseña viajaría sin cifrar)."}}}
	}
	return raw, nil
}

// FormRef is what a user may give for a form: its number, or a link to
// it (the editor's or results' address, with the form's hash, or its
// public link, with a share token). Base is the Nextcloud root a link
// names ("" for a bare number).
type FormRef struct {
	ID    int
	Hash  string
	Share string
	Base  string
}

var tokenRe = regexp.MustCompile(`^[A-Za-z0-9]{8,64}$`)

// ParseFormRef reads a form's number or link: 7,
// https://nube/apps/forms/em4djk8B9BpXnkYG/edit (…/results, …/submit),
// https://nube/index.php/apps/forms/s/TOKEN (the public link) or
// …/apps/forms/embed/TOKEN. It returns a *data.ValidationError for
// anything else.
func ParseFormRef(s string) (FormRef, error) {
	s = strings.TrimSpace(s)
	if n, err := strconv.Atoi(s); err == nil && n > 0 {
		return FormRef{ID: n}, nil
	}
	bad := &data.ValidationError{Fields: []data.FieldError{{Field: "Form",
		Message: fmt.Sprintf("«%s» no es el número de un formulario ni su enlace: copie la dirección del formulario en la app Formularios (…/apps/forms/…) o escriba su número.", s)}}}
	u, err := url.Parse(s)
	if err != nil || u.Host == "" {
		return FormRef{}, bad
	}
	i := strings.Index(u.Path, "/apps/forms/")
	if i < 0 {
		return FormRef{}, bad
	}
	base := u.Scheme + "://" + u.Host + strings.TrimSuffix(u.Path[:i], "/index.php")
	parts := strings.Split(strings.Trim(u.Path[i+len("/apps/forms/"):], "/"), "/")
	ref := FormRef{Base: base}
	switch {
	case len(parts) >= 2 && (parts[0] == "s" || parts[0] == "embed") && tokenRe.MatchString(parts[1]):
		ref.Share = parts[1]
	case parts[0] != "" && data.AllDigits(parts[0]):
		ref.ID, _ = strconv.Atoi(parts[0])
	case tokenRe.MatchString(parts[0]):
		ref.Hash = parts[0]
	default:
		return FormRef{}, bad
	}
	return ref, nil
}

// listed is a form as the lists of forms give it (condensed).
type listed struct {
	ID    int    `json:"id"`
	Hash  string `json:"hash"`
	Title string `json:"title"`
}

// forms lists the forms the user owns and those shared with them.
func (c *Client) forms() ([]listed, error) {
	var owned, shared []listed
	if err := c.call(http.MethodGet, "/forms", 0, &owned); err != nil {
		return nil, listError(err)
	}
	if err := c.call(http.MethodGet, "/forms?type=shared", 0, &shared); err != nil {
		return nil, listError(err)
	}
	return append(owned, shared...), nil
}

// listError words a 404 of the lists of forms: no form is named, the app
// is missing.
func listError(err error) error {
	var he *Error
	if errors.As(err, &he) && he.Status == http.StatusNotFound {
		return &Error{Status: he.Status, Message: "Ese Nextcloud no tiene la app Formularios, o no es la versión con API v3 (HTTP 404): compruebe la dirección."}
	}
	return err
}

// Resolve fetches the form ref names: by its number, or by finding, among
// the forms the user owns or sees, the one with its hash or whose public
// link has its token. Errors: those of the API calls (*Error), or an
// *Error with status 404 when no form of the user matches.
func (c *Client) Resolve(ref FormRef) (Form, error) {
	if ref.ID > 0 {
		return c.Form(ref.ID)
	}
	list, err := c.forms()
	if err != nil {
		return Form{}, err
	}
	for _, l := range list {
		if ref.Hash != "" && l.Hash == ref.Hash {
			return c.Form(l.ID)
		}
	}
	if ref.Share != "" {
		for _, l := range list {
			f, err := c.Form(l.ID)
			var he *Error
			if errors.As(err, &he) && (he.Status == http.StatusForbidden || he.Status == http.StatusNotFound) {
				continue // a form this user sees but may not open: not theirs to pull
			}
			if err != nil {
				return Form{}, err
			}
			for _, sh := range f.Shares {
				if sh.ShareType == 3 && sh.ShareWith == ref.Share {
					return f, nil
				}
			}
		}
	}
	return Form{}, &Error{Status: http.StatusNotFound, Message: fmt.Sprintf(
		"Ningún formulario de %s en ese Nextcloud tiene ese enlace: compruebe que es el del formulario de derivaciones y que %s es quien lo creó o ve sus resultados, o escriba su número.", c.User, c.User)}
}
