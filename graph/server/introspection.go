package server

import (
	"fmt"
	"strings"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"

	"passerelle.dev/kernel/fault"
)

// Introspection queries get a depth limit of their own. The standard one, which
// GraphiQL and code generators send, nests its type references nine deep (a non-null
// list of non-null lists…) and is 13 levels deep in all, past the limit that keeps
// ordinary queries small. A higher limit alone would let a document nest type lists
// under type references and multiply the schema by itself at each level, so a document
// is taken as introspection only in the shape introspection queries have: a type
// reached through a field's, an argument's or another type's reference names its kind,
// its name and what it wraps, never lists of fields or types of its own. Its answer is
// then bounded by the schema's size times the depth.

// maxIntrospectionFields bounds the fields of an introspection document once its
// fragments are spread: the standard query has about a hundred. Aliases cannot repeat
// the schema a thousand times.
const maxIntrospectionFields = 1000

// typeReferences are the introspection fields whose value is a reference to a type.
var typeReferences = map[string]bool{
	"type": true, "ofType": true, "interfaces": true, "possibleTypes": true,
	"queryType": true, "mutationType": true, "subscriptionType": true,
}

// typeLists are the fields of __Type that list other parts of the schema.
var typeLists = map[string]bool{
	"fields": true, "inputFields": true, "enumValues": true, "interfaces": true, "possibleTypes": true,
}

var errIntrospectionShape = fault.New(fault.BadUserInput,
	"this introspection query lists fields or types under a type reference; ask for kind, name and ofType there, as the standard introspection query does")

var errIntrospectionSize = fault.New(fault.BadUserInput,
	fmt.Sprintf("this introspection query selects more than %d fields", maxIntrospectionFields))

// mentionsIntrospection is a cheap test that spares ordinary queries a second parse:
// only a query naming __schema or __type (not __typename) can be introspection only.
func mentionsIntrospection(query string) bool {
	if strings.Contains(query, "__schema") {
		return true
	}
	for i := strings.Index(query, "__type"); i >= 0; {
		end := i + len("__type")
		if end == len(query) || !isNameByte(query[end]) {
			return true
		}
		next := strings.Index(query[end:], "__type")
		if next < 0 {
			return false
		}
		i = end + next
	}
	return false
}

func isNameByte(b byte) bool {
	return b == '_' || b >= '0' && b <= '9' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z'
}

// introspectionOnly tells whether query asks for nothing but the schema (every root
// field of every operation is __schema, __type or __typename). Such a document in the
// shape above is ok; in another shape it is refused with err. A document that does not
// parse is left to graphql-go, which says why.
func introspectionOnly(query string) (only bool, err error) {
	doc, perr := parser.ParseQuery(&ast.Source{Input: query})
	if perr != nil || len(doc.Operations) == 0 {
		return false, nil
	}
	w := introspectionWalk{doc: doc, spreading: map[string]bool{}}
	for _, op := range doc.Operations {
		if op.Operation != ast.Query {
			return false, nil
		}
		root, ok := w.fields(op.SelectionSet)
		if !ok {
			return false, nil
		}
		for _, f := range root {
			switch f.Name {
			case "__schema", "__type", "__typename":
			default:
				return false, nil
			}
		}
	}
	for _, op := range doc.Operations {
		if !w.shape(op.SelectionSet, false) {
			if w.count > maxIntrospectionFields {
				return true, errIntrospectionSize
			}
			return true, errIntrospectionShape
		}
	}
	return true, nil
}

type introspectionWalk struct {
	doc       *ast.QueryDocument
	spreading map[string]bool
	count     int
}

// fields lists the fields a selection set selects, with fragments spread. ok is false
// for a fragment that does not exist or spreads itself: graphql-go refuses those.
func (w *introspectionWalk) fields(set ast.SelectionSet) (out []*ast.Field, ok bool) {
	for _, sel := range set {
		switch s := sel.(type) {
		case *ast.Field:
			out = append(out, s)
		case *ast.InlineFragment:
			inner, ok := w.fields(s.SelectionSet)
			if !ok {
				return nil, false
			}
			out = append(out, inner...)
		case *ast.FragmentSpread:
			def := w.doc.Fragments.ForName(s.Name)
			if def == nil || w.spreading[s.Name] {
				return nil, false
			}
			w.spreading[s.Name] = true
			inner, ok := w.fields(def.SelectionSet)
			delete(w.spreading, s.Name)
			if !ok {
				return nil, false
			}
			out = append(out, inner...)
		}
	}
	return out, true
}

// shape checks a selection set and what it nests; underReference says whether it
// selects from a type reached through a reference.
func (w *introspectionWalk) shape(set ast.SelectionSet, underReference bool) bool {
	fields, ok := w.fields(set)
	if !ok {
		return false
	}
	for _, f := range fields {
		w.count++
		if w.count > maxIntrospectionFields {
			return false
		}
		if underReference && typeLists[f.Name] {
			return false
		}
		if len(f.SelectionSet) > 0 && !w.shape(f.SelectionSet, typeReferences[f.Name]) {
			return false
		}
	}
	return true
}
