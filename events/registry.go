package events

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"sort"
	"sync"
)

// ErrUnknownEventType is returned by Decode for a type the registry was never told about.
// Consumers usually skip such events: a newer service may emit types an older gateway
// does not know yet.
var ErrUnknownEventType = errors.New("unknown event type")

// Upcaster rewrites the JSON of one schema version into the next one. Stored events are
// immutable; upcasters let old events be read as the current shape.
type Upcaster func(data json.RawMessage) (json.RawMessage, error)

// Upcast declares how to go from schema version From to From+1.
type Upcast struct {
	From int
	Up   Upcaster
}

type typeSpec struct {
	name      string
	version   int
	goType    reflect.Type
	upcasters map[int]Upcaster
}

// Registry maps event type names and schema versions to Go types. It is safe for
// concurrent use once built; registration is expected at start-up.
type Registry struct {
	mu       sync.RWMutex
	byName   map[string]*typeSpec
	byGoType map[reflect.Type]*typeSpec
}

// NewRegistry returns an empty registry.
func NewRegistry() *Registry {
	return &Registry{byName: map[string]*typeSpec{}, byGoType: map[reflect.Type]*typeSpec{}}
}

// Register declares that payloads of Go type T are stored as event type name at schema
// version version, and how older versions are brought up to it. Every version below the
// current one needs an upcaster, so that no stored event becomes unreadable.
func Register[T any](r *Registry, name string, version int, upcasts ...Upcast) error {
	if name == "" {
		return errors.New("register event: empty type name")
	}
	if version < 1 {
		return fmt.Errorf("register event %s: schema version %d, want >= 1", name, version)
	}
	goType := reflect.TypeFor[T]()
	if goType.Kind() == reflect.Pointer {
		return fmt.Errorf("register event %s: register the value type, not a pointer", name)
	}
	spec := &typeSpec{name: name, version: version, goType: goType, upcasters: map[int]Upcaster{}}
	for _, u := range upcasts {
		if u.From < 1 || u.From >= version || u.Up == nil {
			return fmt.Errorf("register event %s: upcaster from version %d does not lead to version %d", name, u.From, version)
		}
		spec.upcasters[u.From] = u.Up
	}
	for v := 1; v < version; v++ {
		if _, ok := spec.upcasters[v]; !ok {
			return fmt.Errorf("register event %s: no upcaster from schema version %d", name, v)
		}
	}

	r.mu.Lock()
	defer r.mu.Unlock()
	if _, dup := r.byName[name]; dup {
		return fmt.Errorf("register event %s: already registered", name)
	}
	if other, dup := r.byGoType[goType]; dup {
		return fmt.Errorf("register event %s: Go type %s already registered as %s", name, goType, other.name)
	}
	r.byName[name] = spec
	r.byGoType[goType] = spec
	return nil
}

// MustRegister is Register for package initialisation, where a mistake is a programming
// error.
func MustRegister[T any](r *Registry, name string, version int, upcasts ...Upcast) {
	if err := Register[T](r, name, version, upcasts...); err != nil {
		panic(err)
	}
}

// New builds an event to append from a registered payload value.
func (r *Registry) New(payload any, md Metadata) (Event, error) {
	t := reflect.TypeOf(payload)
	r.mu.RLock()
	spec, ok := r.byGoType[t]
	r.mu.RUnlock()
	if !ok {
		return Event{}, fmt.Errorf("new event: Go type %v: %w", t, ErrUnknownEventType)
	}
	data, err := json.Marshal(payload)
	if err != nil {
		return Event{}, fmt.Errorf("new event %s: encode: %w", spec.name, err)
	}
	return Event{ID: NewEventID(), Type: spec.name, SchemaVersion: spec.version, Data: data, Metadata: md}, nil
}

// Knows reports whether an event type is registered.
func (r *Registry) Knows(eventType string) bool {
	r.mu.RLock()
	defer r.mu.RUnlock()
	_, ok := r.byName[eventType]
	return ok
}

// Types lists the registered event type names, sorted.
func (r *Registry) Types() []string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	names := make([]string, 0, len(r.byName))
	for n := range r.byName {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Decode returns the payload of a stored event as a value of its registered Go type,
// upcasting it from its stored schema version first.
func (r *Registry) Decode(eventType string, schemaVersion int, data json.RawMessage) (any, error) {
	r.mu.RLock()
	spec, ok := r.byName[eventType]
	r.mu.RUnlock()
	if !ok {
		return nil, fmt.Errorf("decode %s: %w", eventType, ErrUnknownEventType)
	}
	if schemaVersion < 1 || schemaVersion > spec.version {
		return nil, fmt.Errorf("decode %s: stored schema version %d, this build reads up to %d", eventType, schemaVersion, spec.version)
	}
	for v := schemaVersion; v < spec.version; v++ {
		up, err := spec.upcasters[v](data)
		if err != nil {
			return nil, fmt.Errorf("decode %s: upcast from schema version %d: %w", eventType, v, err)
		}
		data = up
	}
	ptr := reflect.New(spec.goType)
	if err := json.Unmarshal(data, ptr.Interface()); err != nil {
		return nil, fmt.Errorf("decode %s v%d: %w", eventType, spec.version, err)
	}
	return ptr.Elem().Interface(), nil
}
