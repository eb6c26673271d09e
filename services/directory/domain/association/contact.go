package association

import (
	"net/mail"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Contact is the association's contact person: personal data of a migrant. It exists in
// clear only while a command is handled; it is stored sealed (SealedContact) and shown
// only to the association itself, coordinators of its city and admins.
type Contact struct {
	Name  string `json:"name"`
	Email string `json:"email"`
	Phone string `json:"phone,omitempty"`
}

// NewContact checks a contact person. Its errors never repeat the values: error messages
// end up in logs and in other people's screens.
func NewContact(name, email, phone string) (Contact, error) {
	c := Contact{Name: strings.Join(strings.Fields(name), " "), Email: strings.TrimSpace(email), Phone: strings.TrimSpace(phone)}
	switch {
	case c.Name == "":
		return Contact{}, &InvalidInputError{Field: "contact.name", Reason: "the contact person's name is required"}
	case utf8.RuneCountInString(c.Name) > 200 || strings.IndexFunc(c.Name, unicode.IsControl) >= 0:
		return Contact{}, &InvalidInputError{Field: "contact.name", Reason: "at most 200 characters, no control characters"}
	}
	addr, err := mail.ParseAddress(c.Email)
	if err != nil || addr.Address != c.Email || !strings.Contains(c.Email[strings.LastIndexByte(c.Email, '@')+1:], ".") || len(c.Email) > 254 {
		return Contact{}, &InvalidInputError{Field: "contact.email", Reason: "not a valid email address (name@example.org)"}
	}
	if c.Phone != "" {
		phone, err := normalisePhone(c.Phone)
		if err != nil {
			return Contact{}, err
		}
		c.Phone = phone
	}
	return c, nil
}

// normalisePhone keeps an international number's digits: +, then 6 to 15 digits, with
// the spaces, dots, dashes and brackets people write removed.
func normalisePhone(s string) (string, error) {
	var b strings.Builder
	for i, r := range s {
		switch {
		case r == '+' && i == 0:
			b.WriteRune(r)
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case strings.ContainsRune(" .-()/", r):
		default:
			return "", &InvalidInputError{Field: "contact.phone", Reason: "digits, spaces, dots, dashes and brackets only, in international form (+41 22 …)"}
		}
	}
	digits := strings.TrimPrefix(b.String(), "+")
	if !strings.HasPrefix(b.String(), "+") || len(digits) < 6 || len(digits) > 15 {
		return "", &InvalidInputError{Field: "contact.phone", Reason: "an international number with + and 6 to 15 digits (+41 22 …)"}
	}
	return b.String(), nil
}

// SealedContact is a contact as stored: encrypted with the association's key, and a
// keyed digest that tells whether two sealed contacts hold the same person.
type SealedContact struct {
	Ciphertext []byte
	Digest     []byte
}
