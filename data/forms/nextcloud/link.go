package nextcloud

import (
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/enlace-madrid/enlace/data"
)

// LinkSetting is the store setting that holds the public link of the
// referral form, printed (with a QR code) on the leaflet.
const LinkSetting = "forms.nextcloud.link"

// Link returns the form's public link, or "" when none is configured.
func Link(s *data.Store) (string, error) {
	var link string
	err := s.Setting(LinkSetting, &link)
	if errors.Is(err, data.ErrNotFound) {
		return "", nil
	}
	return link, err
}

// SetLink stores the form's public link; "" removes it. It must be an
// http(s) address.
func SetLink(s *data.Store, link string) error {
	link = strings.TrimSpace(link)
	if link != "" {
		u, err := url.Parse(link)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return &data.ValidationError{Fields: []data.FieldError{{Field: "Link",
				Message: fmt.Sprintf("«%s» no es una dirección web (https://…) del formulario.", link)}}}
		}
	}
	return s.SetSetting(LinkSetting, link)
}

// PublicLink is the address to fill form f in, from its public share
// ("Compartir → enlace público"): BaseURL/apps/forms/s/TOKEN; "" when the
// form has no public share.
func PublicLink(baseURL string, f Form) string {
	for _, sh := range f.Shares {
		if sh.ShareType == 3 && sh.ShareWith != "" {
			return strings.TrimRight(baseURL, "/") + "/apps/forms/s/" + url.PathEscape(sh.ShareWith)
		}
	}
	return ""
}
