package gateway_test

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"testing"

	"passerelle.dev/events"
	"passerelle.dev/graph/projection"
)

// The directory's totals for a city, a country of origin and a status come from counts
// the associations projection keeps beside the rows. They must agree with the rows
// whatever happens, in whatever order: registrations racing, status changes racing,
// associations moving city and changing origins, and both kinds of rebuild.
func TestDirectoryTotalsAgreeWithTheRows(t *testing.T) {
	t.Parallel()
	p := start(t, db.Fresh(t), false)
	a := p.actors(t)
	ctx := context.Background()

	cities := []string{"london", "geneva", "brussels"}
	origins := [][]string{{"GH"}, {"SN", "ML"}, {"GH", "NG"}, {"ER"}}
	const n = 24
	regs := make([]registered, n)
	race := func(what string, each func(i int) (string, map[string]any, string)) {
		t.Helper()
		var wg sync.WaitGroup
		failures := make(chan string, n)
		for i := range n {
			token, vars, query := each(i)
			if query == "" {
				continue
			}
			wg.Go(func() {
				body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
				if r := p.post(t, token, body); len(r.Errors) > 0 {
					failures <- string(r.raw)
					return
				}
			})
		}
		wg.Wait()
		close(failures)
		for f := range failures {
			t.Fatalf("%s: %s", what, f)
		}
	}
	// Registrations race (each through its own request), then so do their changes.
	var mu sync.Mutex
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			body, _ := json.Marshal(map[string]any{"query": registerMutation, "variables": map[string]any{"input": map[string]any{
				"name": fmt.Sprintf("Diaspora Association %02d", i), "city": cities[i%len(cities)], "originCountries": origins[i%len(origins)]}}})
			r := p.post(t, "", body)
			var reg registered
			if len(r.Errors) > 0 || json.Unmarshal(r.Data["registerAssociation"], &reg) != nil {
				t.Errorf("registration %d: %s", i, r.raw)
			}
			mu.Lock()
			regs[i] = reg
			mu.Unlock()
		})
	}
	wg.Wait()
	if t.Failed() {
		t.FailNow()
	}
	race("verify", func(i int) (string, map[string]any, string) {
		if i%4 == 3 {
			return "", nil, ""
		}
		return a.admin, map[string]any{"id": regs[i].Association.ID}, lifecycleMutations["verify"]
	})
	race("change", func(i int) (string, map[string]any, string) {
		id := map[string]any{"id": regs[i].Association.ID}
		switch i % 8 {
		case 0:
			return a.admin, id, lifecycleMutations["suspend"]
		case 1: // moves to Paris and changes its origins
			return regs[i].Token, map[string]any{"id": regs[i].Association.ID, "in": map[string]any{"city": "paris", "originCountries": []string{"GH", "CV"}}},
				`mutation($id: ID!, $in: UpdateAssociationProfileInput!) { updateAssociationProfile(id: $id, input: $in) { changedFields } }`
		case 2:
			return a.admin, id, lifecycleMutations["dissolve"]
		case 3:
			return a.admin, id, lifecycleMutations["reject"]
		case 5: // an update that changes neither city nor origins
			return regs[i].Token, id, lifecycleMutations["update"]
		case 6:
			return regs[i].Token, id, lifecycleMutations["forget"]
		}
		return "", nil, ""
	})
	race("reinstate", func(i int) (string, map[string]any, string) {
		if i%16 != 0 {
			return "", nil, ""
		}
		return a.admin, map[string]any{"id": regs[i].Association.ID}, lifecycleMutations["reinstate"]
	})

	// Who sees what: the public the verified, a coordinator everything, an association
	// the verified and itself.
	pending := regs[7] // never verified
	self := p.token(t, events.Actor{Role: events.RoleAssociation, AssociationID: localID(t, pending.Association.ID)})
	readers := map[string]string{"public": "", "coordinator": a.london, "a pending association": self}
	var filters []map[string]any
	for _, city := range append([]string{""}, "london", "geneva", "brussels", "paris") {
		for _, origin := range []string{"", "GH", "ML", "CV", "ER", "ZW"} {
			for _, status := range []string{"", "VERIFIED", "PENDING", "SUSPENDED"} {
				f := map[string]any{}
				for k, v := range map[string]string{"city": city, "originCountry": origin, "status": status} {
					if v != "" {
						f[k] = v
					}
				}
				filters = append(filters, f)
			}
		}
	}
	check := func(when string) {
		t.Helper()
		// The counts are the rows', grouped.
		var wrong int
		if err := p.pool.QueryRow(ctx, `WITH rows AS (
				SELECT a.status, c AS city, o AS origin_country, count(*) AS n
				FROM graph.associations a, unnest(ARRAY[a.city, '']) c,
				     LATERAL (SELECT DISTINCT x FROM unnest(array_append(a.origin_countries, '')) x) os(o)
				GROUP BY 1, 2, 3),
			counted AS (SELECT status, city, origin_country, n FROM graph.association_counts WHERE n <> 0)
			SELECT count(*) FROM ((TABLE rows EXCEPT TABLE counted) UNION ALL (TABLE counted EXCEPT TABLE rows)) d`).Scan(&wrong); err != nil {
			t.Fatal(err)
		}
		if wrong != 0 {
			t.Fatalf("%s: %d counts differ from the rows", when, wrong)
		}
		// Every reader's totalCount is the number of rows the pages list.
		for who, token := range readers {
			for _, f := range filters {
				c := decode[connection](t, p.gql(t, token, listQuery, map[string]any{"first": 100, "filter": f}), "associations")
				if c.TotalCount != len(c.Edges) || c.PageInfo.HasNextPage {
					t.Fatalf("%s: %s, filter %v: totalCount %d, %d listed", when, who, f, c.TotalCount, len(c.Edges))
				}
			}
		}
	}
	check("as projected")
	// Somebody's own pending association counts for them, for nobody else.
	own := decode[connection](t, p.gql(t, self, listQuery, map[string]any{"filter": map[string]any{"status": "PENDING"}}), "associations")
	public := decode[connection](t, p.gql(t, "", listQuery, map[string]any{"filter": map[string]any{"status": "PENDING"}}), "associations")
	if own.TotalCount != 1 || public.TotalCount != 0 {
		t.Fatalf("pending: %d for itself, %d for the public", own.TotalCount, public.TotalCount)
	}

	if _, err := p.gateway.Rebuild(ctx, projection.Associations{}); err != nil {
		t.Fatal(err)
	}
	check("rebuilt into fresh tables")
	if res, err := p.rebuildInPlace(t, projection.Associations{}); err != nil || res.Skipped != 0 {
		t.Fatalf("rebuild in place: %+v, %v", res, err)
	}
	check("rebuilt in place")
}
