package server

import (
	"fmt"
	"strconv"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"

	"passerelle.dev/kernel/fault"
)

// costs estimates what a document asks the gateway to produce before it runs: every
// field counts one, and a list multiplies what it holds by how many items it may return
// — its `first` argument (or that of the connection above its edges), else its default
// page, else an estimate of the list's size. Aliases count as the fields they repeat.
// Depth and length limits cannot see a short, shallow document that asks for the same
// list a thousand times; this can.
type costs struct {
	schema *ast.Schema
	max    int
}

// Estimates of what a list returns when nothing bounds it in the document.
const (
	// defaultPage is the page a connection returns without `first`.
	defaultPage = 20
	// defaultList is the size assumed for a nested list (an association's languages, a
	// proposal's reviews): small lists, each bounded by the domain's own limits.
	defaultList = 10
)

// listSizes are the lists whose size is known to be larger than defaultList.
var listSizes = map[string]int{
	"Query.countries":        250,
	"Query.expertiseFields":  50,
	"Query.cities":           20,
	"Query.institutions":     200,
	"Query.pendingExperts":   100,
	"Query.consentWordings":  3,
	"Country.name":           1,
	"SessionSeries.sessions": 52,
}

func newCosts(sdl string, max int) (*costs, error) {
	s, err := gqlparser.LoadSchema(&ast.Source{Input: sdl})
	if err != nil {
		return nil, fmt.Errorf("cost analysis: %w", err)
	}
	return &costs{schema: s, max: max}, nil
}

// errTooCostly refuses a document whose estimated size is above the limit.
func errTooCostly(cost, max int) error {
	return fault.WithDetails(fault.BadUserInput,
		fmt.Sprintf("the query asks for too much: about %d fields' worth, above the limit of %d; ask for fewer items (first) or fewer aliases, or split it", cost, max),
		map[string]any{"reason": "QUERY_TOO_COSTLY", "cost": cost, "maxCost": max})
}

// check estimates the operation's cost; a document that does not parse is left to the
// schema to refuse with its own error.
func (c *costs) check(query, operation string, vars map[string]any) error {
	if c == nil || c.max <= 0 {
		return nil
	}
	doc, err := parser.ParseQuery(&ast.Source{Input: query})
	if err != nil {
		return nil
	}
	for _, op := range doc.Operations {
		if operation != "" && op.Name != operation {
			continue
		}
		var root *ast.Definition
		switch op.Operation {
		case ast.Mutation:
			root = c.schema.Mutation
		case ast.Subscription:
			root = c.schema.Subscription
		default:
			root = c.schema.Query
		}
		w := costWalk{c: c, doc: doc, vars: vars, limit: c.max}
		if cost := w.set(root, op.SelectionSet, 1, 0); cost > c.max {
			return errTooCostly(cost, c.max)
		}
	}
	return nil
}

type costWalk struct {
	c     *costs
	doc   *ast.QueryDocument
	vars  map[string]any
	limit int
	// depth guards against fragments that spread themselves (validation, which runs
	// later, refuses them).
	depth int
}

// set is the cost of a selection set on type on, repeated times over; page is the
// `first` of a connection whose edges are below.
func (w *costWalk) set(on *ast.Definition, set ast.SelectionSet, times, page int) int {
	if on == nil || w.depth > 64 {
		return 0
	}
	w.depth++
	defer func() { w.depth-- }()
	total := 0
	for _, sel := range set {
		switch s := sel.(type) {
		case *ast.Field:
			total += w.field(on, s, page)
		case *ast.InlineFragment:
			t := on
			if s.TypeCondition != "" {
				t = w.c.schema.Types[s.TypeCondition]
			}
			total += w.set(t, s.SelectionSet, 1, page)
		case *ast.FragmentSpread:
			if f := w.doc.Fragments.ForName(s.Name); f != nil {
				total += w.set(w.c.schema.Types[f.TypeCondition], f.SelectionSet, 1, page)
			}
		}
		if total*times > w.limit*1000 {
			break // far above any limit: no need to count further
		}
	}
	return total * times
}

func (w *costWalk) field(on *ast.Definition, f *ast.Field, page int) int {
	def := on.Fields.ForName(f.Name)
	if def == nil {
		return 1 // __typename, or a field the schema will refuse
	}
	t := def.Type
	first := w.first(f)
	list := t.Elem != nil
	for t.Elem != nil {
		t = t.Elem
	}
	named := w.c.schema.Types[t.NamedType]
	if named == nil || len(f.SelectionSet) == 0 {
		if list {
			return 1 + w.size(on, f, first, page)
		}
		return 1
	}
	if !list {
		// A connection passes its `first` to its edges (and nodes).
		next := 0
		if named.Fields.ForName("edges") != nil && named.Fields.ForName("pageInfo") != nil {
			next = first
			if next <= 0 {
				next = defaultPage
			}
		}
		return 1 + w.set(named, f.SelectionSet, 1, next)
	}
	return 1 + w.set(named, f.SelectionSet, w.size(on, f, first, page), 0)
}

// size is how many items a list field may return.
func (w *costWalk) size(on *ast.Definition, f *ast.Field, first, page int) int {
	switch {
	case first > 0:
		return first
	case page > 0 && (f.Name == "edges" || f.Name == "nodes"):
		return page
	}
	if n, ok := listSizes[on.Name+"."+f.Name]; ok {
		return n
	}
	return defaultList
}

// first reads a field's `first` argument, a literal or a variable; 0 when absent.
func (w *costWalk) first(f *ast.Field) int {
	arg := f.Arguments.ForName("first")
	if arg == nil || arg.Value == nil {
		return 0
	}
	v := arg.Value
	var raw any
	switch v.Kind {
	case ast.Variable:
		raw = w.vars[v.Raw]
	case ast.IntValue:
		raw = v.Raw
	}
	switch n := raw.(type) {
	case string:
		i, _ := strconv.Atoi(n)
		return max(i, 0)
	case float64:
		return max(int(n), 0)
	case int:
		return max(n, 0)
	}
	return 0
}
