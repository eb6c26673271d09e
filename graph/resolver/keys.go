package resolver

// How to get a key, for each kind of answer that gives one, when a repeat of the request
// came after the replay window and so carries none.
const (
	keyWithheldMessage = "this request was answered with its key more than the replay window ago (24 hours unless configured otherwise); a repeat of it no longer carries one. "
	newAssociationKey  = keyWithheldMessage + "Sign in with the key of the first answer; if it is lost, an admin gives the association a new one."
	renewAgain         = keyWithheldMessage + "Renew the key again (with the current key, or an admin does)."
	appointAgain       = keyWithheldMessage + "To give the coordinator a new key, dismiss them and appoint them again."
	newRegistrantKey   = keyWithheldMessage + "Sign in with the key of the first answer; if it is lost, write to the platform's admins."
)

// dissolvedKey is what a repeat of a dissolved association's registration or renewal
// says instead of a key.
const dissolvedKey = "the association was dissolved since this request was first answered: it has no key any more."

// KeyWithheldResolver resolves KeyWithheld: why an answer that gives a key gave none,
// and what to do instead.
type KeyWithheldResolver struct{ reason, message string }

// keyWithheld is nil when the answer carries its key (reason empty).
func keyWithheld(reason, message string) *KeyWithheldResolver {
	if reason == "" {
		return nil
	}
	if reason == "ASSOCIATION_DISSOLVED" {
		message = dissolvedKey
	}
	return &KeyWithheldResolver{reason: reason, message: message}
}

// Reason resolves KeyWithheld.reason.
func (k *KeyWithheldResolver) Reason() string { return k.reason }

// Message resolves KeyWithheld.message.
func (k *KeyWithheldResolver) Message() string { return k.message }
