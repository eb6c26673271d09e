package platform_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// PostGraphile 4.14.1 beside the gateway: a GraphQL server over PostgreSQL that builds
// its schema from the tables, here a copy of the read models' tables (schema
// postgraphile_bench of the bench database) with the same indexes, the foreign keys it
// follows for relations, and a few SQL functions for what the gateway computes (the
// directory's total, read from association_counts as the gateway reads it; seats left,
// waitlist positions, average scores). Filters come from the connection-filter plugin,
// PostGraphile's usual companion. `make bench` installs both from npm into
// bin/postgraphile and sets POSTGRAPHILE; without it these benchmarks are skipped.
// Both servers get the same load client and the same pool size, and each read is
// checked to return the same data from both.

const postgraphileSchema = "postgraphile_bench"

// postgraphileTables are the read models the three reads touch.
var postgraphileTables = []string{"associations", "association_counts", "sessions", "session_registrations",
	"proposals", "proposal_reviews", "proposal_pledges", "proposal_pledge_totals"}

const postgraphileSQL = `
ALTER TABLE postgraphile_bench.session_registrations ADD FOREIGN KEY (session_id) REFERENCES postgraphile_bench.sessions (id);
ALTER TABLE postgraphile_bench.proposal_reviews ADD FOREIGN KEY (proposal_id) REFERENCES postgraphile_bench.proposals (id);
ALTER TABLE postgraphile_bench.proposal_pledges ADD FOREIGN KEY (proposal_id) REFERENCES postgraphile_bench.proposals (id);
ALTER TABLE postgraphile_bench.proposal_pledge_totals ADD FOREIGN KEY (proposal_id) REFERENCES postgraphile_bench.proposals (id);
COMMENT ON TABLE postgraphile_bench.session_registrations IS E'@foreignKey (association_id) references postgraphile_bench.associations (id)';

CREATE FUNCTION postgraphile_bench.directory_total(city text, origin text) RETURNS bigint
LANGUAGE sql STABLE AS $$
  SELECT coalesce(sum(n), 0)::bigint FROM postgraphile_bench.association_counts c
  WHERE c.status = 'VERIFIED' AND c.city = directory_total.city AND c.origin_country = origin
$$;

CREATE FUNCTION postgraphile_bench.sessions_seats_left(s postgraphile_bench.sessions) RETURNS integer
LANGUAGE sql STABLE AS $$ SELECT greatest(s.capacity - s.confirmed_seats, 0) $$;

CREATE FUNCTION postgraphile_bench.session_registrations_waitlist_position(r postgraphile_bench.session_registrations) RETURNS bigint
LANGUAGE sql STABLE AS $$
  SELECT CASE WHEN r.status <> 'WAITLISTED' THEN 0 ELSE
    (SELECT count(*) FROM postgraphile_bench.session_registrations x
     WHERE x.session_id = r.session_id AND x.status = 'WAITLISTED' AND x.arrival <= r.arrival) END
$$;

CREATE FUNCTION postgraphile_bench.proposals_average_scores(p postgraphile_bench.proposals) RETURNS jsonb
LANGUAGE sql STABLE AS $$
  SELECT coalesce(jsonb_object_agg(criterion, score), '{}') FROM (
    SELECT s.key AS criterion, round(avg(s.value::numeric), 2) AS score
    FROM postgraphile_bench.proposal_reviews r, jsonb_each_text(r.scores) s
    WHERE r.proposal_id = p.id GROUP BY s.key) x
$$;
`

var (
	postgraphileOnce sync.Once
	postgraphileURL  string
	postgraphileErr  error
)

// setupPostGraphile copies the read models into postgraphile_bench and starts
// PostGraphile over them, once per run; it stops when the benchmarks' process ends.
func setupPostGraphile(b *testing.B, e *readBench) string {
	cli := os.Getenv("POSTGRAPHILE")
	if cli == "" {
		b.Skip("POSTGRAPHILE is not set: make bench installs PostGraphile and sets it")
	}
	postgraphileOnce.Do(func() { postgraphileURL, postgraphileErr = startPostGraphile(b, e, cli) })
	if postgraphileErr != nil {
		b.Fatal(postgraphileErr)
	}
	return postgraphileURL
}

func startPostGraphile(b *testing.B, e *readBench, cli string) (string, error) {
	ctx := context.Background()
	if _, err := e.pool.Exec(ctx, `DROP SCHEMA IF EXISTS `+postgraphileSchema+` CASCADE; CREATE SCHEMA `+postgraphileSchema); err != nil {
		return "", err
	}
	for _, t := range postgraphileTables {
		if _, err := e.pool.Exec(ctx, fmt.Sprintf(`CREATE TABLE %[1]s.%[2]s (LIKE graph.%[2]s INCLUDING ALL);
			INSERT INTO %[1]s.%[2]s SELECT * FROM graph.%[2]s`, postgraphileSchema, t)); err != nil {
			return "", fmt.Errorf("copy %s: %w", t, err)
		}
	}
	if _, err := e.pool.Exec(ctx, postgraphileSQL); err != nil {
		return "", err
	}
	for _, t := range postgraphileTables {
		if _, err := e.pool.Exec(ctx, `VACUUM ANALYZE `+postgraphileSchema+`.`+t); err != nil {
			return "", err
		}
	}
	port := freePort(b)
	cmd := exec.Command(cli, "--connection", e.dbURL, "--schema", postgraphileSchema, "--host", "127.0.0.1",
		"--port", fmt.Sprint(port), "--disable-default-mutations", "--disable-query-log", "--max-pool-size", "25",
		"--dynamic-json", "--no-setof-functions-contain-nulls", "--simple-collections", "omit",
		"--append-plugins", "postgraphile-plugin-connection-filter")
	// The plugin is found in the folder PostGraphile was installed into.
	cmd.Dir = filepath.Dir(filepath.Dir(filepath.Dir(cli)))
	cmd.Env = append(os.Environ(), "NODE_ENV=production")
	var logs bytes.Buffer
	cmd.Stdout, cmd.Stderr = &logs, &logs
	if err := cmd.Start(); err != nil {
		return "", fmt.Errorf("start PostGraphile: %w", err)
	}
	url := fmt.Sprintf("http://127.0.0.1:%d/graphql", port)
	deadline := time.Now().Add(time.Minute)
	for {
		var out struct {
			Typename string `json:"__typename"`
		}
		if err := e.post(url, "", `{ __typename }`, nil, &out); err == nil {
			return url, nil
		}
		if time.Now().After(deadline) {
			_ = cmd.Process.Kill()
			return "", fmt.Errorf("PostGraphile did not answer within a minute:\n%s", logs.String())
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// localID is the uuid behind a gateway's global id.
func localID(global string) string {
	raw, err := base64.RawURLEncoding.DecodeString(global)
	if err != nil {
		return global
	}
	_, local, _ := strings.Cut(string(raw), ":")
	return local
}

// A read as both servers answer it, reduced to the data they must agree on.
type readAnswer struct {
	Total int
	IDs   []string
	// Detail holds the rest, in a comparable form.
	Detail []string
}

// postgraphileReads are the three reads, through PostGraphile, with the same inputs as
// readCases for the same i.
var postgraphileReads = map[string]func(e *readBench, url string, i int) (readAnswer, error){
	"associations": func(e *readBench, url string, i int) (readAnswer, error) {
		city, origin := cities[i%len(cities)], e.origins[(i/len(cities))%len(e.origins)]
		var out struct {
			AllAssociations struct {
				Nodes []struct {
					ID, Name, Acronym, Kind, City, Status string
					OriginCountries, Sectors              []string
				}
				PageInfo struct {
					HasNextPage bool
					EndCursor   *string
				}
			}
			DirectoryTotal string
		}
		err := e.post(url, "", `query($city: String!, $origin: String!) {
			allAssociations(first: 20, orderBy: [REGISTERED_AT_ASC, SEQ_ASC], condition: {status: "VERIFIED", city: $city},
				filter: {originCountries: {contains: [$origin]}}) {
				nodes { id name acronym kind city originCountries sectors status } pageInfo { hasNextPage endCursor } }
			directoryTotal(city: $city, origin: $origin) }`,
			map[string]any{"city": city, "origin": origin}, &out)
		var a readAnswer
		if err != nil {
			return a, err
		}
		if _, err := fmt.Sscan(out.DirectoryTotal, &a.Total); err != nil {
			return a, fmt.Errorf("directory total %q: %w", out.DirectoryTotal, err)
		}
		for _, n := range out.AllAssociations.Nodes {
			a.IDs = append(a.IDs, n.ID)
			a.Detail = append(a.Detail, n.Name+"|"+n.City+"|"+n.Status)
		}
		return a, err
	},
	"calendar": func(e *readBench, url string, i int) (readAnswer, error) {
		city, from := cities[i%len(cities)], e.from[(i/len(cities))%len(e.from)]
		var out struct {
			AllSessions struct {
				TotalCount int
				Nodes      []struct {
					ID, TitleEn, LocalStart, TimeZone string
					StartAt, EndAt                    time.Time
					Capacity, ConfirmedSeats          int
					SeatsLeft                         int
					WaitlistLength                    int
					SessionRegistrationsBySessionId   struct {
						Nodes []struct {
							ID, Status                 string
							Seats                      int
							WaitlistPosition           string
							AssociationByAssociationId *struct{ ID, Name string }
						}
					}
				}
				PageInfo struct {
					HasNextPage bool
					EndCursor   *string
				}
			}
		}
		err := e.post(url, "", `query($city: String!, $from: Datetime!) { allSessions(first: 20, orderBy: [START_AT_ASC, SEQ_ASC],
			condition: {city: $city}, filter: {startAt: {greaterThanOrEqualTo: $from}}) {
			totalCount nodes { id titleEn startAt endAt localStart timeZone capacity confirmedSeats seatsLeft waitlistLength
			sessionRegistrationsBySessionId(orderBy: ARRIVAL_ASC) { nodes { id status seats waitlistPosition associationByAssociationId { id name } } } }
			pageInfo { hasNextPage endCursor } } }`,
			map[string]any{"city": city, "from": from.Format(time.RFC3339)}, &out)
		a := readAnswer{Total: out.AllSessions.TotalCount}
		for _, n := range out.AllSessions.Nodes {
			a.IDs = append(a.IDs, n.ID)
			d := fmt.Sprintf("%s|%d|%d|%d", n.TitleEn, n.ConfirmedSeats, n.SeatsLeft, n.WaitlistLength)
			for _, r := range n.SessionRegistrationsBySessionId.Nodes {
				name := ""
				if r.AssociationByAssociationId != nil {
					name = r.AssociationByAssociationId.Name
				}
				d += fmt.Sprintf("|%s %s %d %s %s", r.ID, r.Status, r.Seats, r.WaitlistPosition, name)
			}
			a.Detail = append(a.Detail, d)
		}
		return a, err
	},
	"proposal": func(e *readBench, url string, i int) (readAnswer, error) {
		var out struct {
			ProposalByID *struct {
				ID, Status, TitleEn, SummaryEn, Sector, Currency string
				Countries                                        []string
				Budget                                           string
				DurationMonths                                   int
				BudgetLines                                      json.RawMessage
				ProposalReviewsByProposalId                      struct {
					Nodes []struct {
						ReviewerRole, Comment string
						Scores                json.RawMessage
						ReviewedAt            time.Time
					}
				}
				AverageScores               json.RawMessage
				ProposalPledgesByProposalId struct {
					Nodes []struct{ ID, PartnerName, InKind string }
				}
				ProposalPledgeTotalsByProposalId struct {
					Nodes []struct{ Currency, Amount string }
				}
			} `json:"proposalById"`
		}
		err := e.post(url, "", `query($id: UUID!) { proposalById(id: $id) { id status titleEn summaryEn sector countries
			budget currency durationMonths budgetLines
			proposalReviewsByProposalId(orderBy: [REVIEWED_AT_ASC, REVIEWER_ID_ASC]) { nodes { reviewerRole scores comment reviewedAt } }
			averageScores
			proposalPledgesByProposalId(orderBy: SEQ_ASC) { nodes { id partnerName partnerKind partnerCountry amount currency inKind pledgedAt } }
			proposalPledgeTotalsByProposalId(orderBy: CURRENCY_ASC) { nodes { currency amount } } } }`,
			map[string]any{"id": e.proposals[i%len(e.proposals)].local}, &out)
		var a readAnswer
		if p := out.ProposalByID; p != nil {
			a.IDs = []string{p.ID}
			a.Total = len(p.ProposalReviewsByProposalId.Nodes)
			a.Detail = append(a.Detail, p.Status+"|"+p.TitleEn)
			for _, n := range p.ProposalPledgesByProposalId.Nodes {
				a.Detail = append(a.Detail, "pledge "+n.ID)
			}
			for _, n := range p.ProposalPledgeTotalsByProposalId.Nodes {
				a.Detail = append(a.Detail, "total "+n.Amount+" "+n.Currency)
			}
		}
		return a, err
	},
}

// gatewayReads are the same reads through the gateway, reduced alike.
var gatewayReads = map[string]func(e *readBench, i int) (readAnswer, error){
	"associations": func(e *readBench, i int) (readAnswer, error) {
		var out struct {
			Associations struct {
				TotalCount int
				Edges      []struct {
					Node struct {
						ID, Name, Status string
						City             struct{ Slug string }
					}
				}
			}
		}
		err := e.query("", `query($city: String, $origin: String) { associations(first: 20, filter: {city: $city, originCountry: $origin}) {
			totalCount edges { node { id name status city { slug } } } } }`,
			map[string]any{"city": cities[i%len(cities)], "origin": e.origins[(i/len(cities))%len(e.origins)]}, &out)
		a := readAnswer{Total: out.Associations.TotalCount}
		for _, ed := range out.Associations.Edges {
			a.IDs = append(a.IDs, localID(ed.Node.ID))
			a.Detail = append(a.Detail, ed.Node.Name+"|"+ed.Node.City.Slug+"|"+ed.Node.Status)
		}
		return a, err
	},
	"calendar": func(e *readBench, i int) (readAnswer, error) {
		city := cities[i%len(cities)]
		var out struct {
			DialogueSessions struct {
				TotalCount int
				Edges      []struct {
					Node struct {
						ID                                        string
						Title                                     struct{ En string }
						ConfirmedSeats, SeatsLeft, WaitlistLength int
						Registrations                             []struct {
							ID, Status       string
							Seats            int
							WaitlistPosition *int
							Association      *struct{ ID, Name string }
						}
					}
				}
			}
		}
		err := e.query(e.coordinate[city], `query($city: String!, $from: DateTime) { dialogueSessions(first: 20, filter: {city: $city, from: $from}) {
			totalCount edges { node { id title { en } confirmedSeats seatsLeft waitlistLength
			registrations { id status seats waitlistPosition association { id name } } } } } }`,
			map[string]any{"city": city, "from": e.from[(i/len(cities))%len(e.from)].Format(time.RFC3339)}, &out)
		a := readAnswer{Total: out.DialogueSessions.TotalCount}
		for _, ed := range out.DialogueSessions.Edges {
			n := ed.Node
			a.IDs = append(a.IDs, localID(n.ID))
			d := fmt.Sprintf("%s|%d|%d|%d", n.Title.En, n.ConfirmedSeats, n.SeatsLeft, n.WaitlistLength)
			for _, r := range n.Registrations {
				name, pos := "", 0
				if r.Association != nil {
					name = r.Association.Name
				}
				if r.WaitlistPosition != nil {
					pos = *r.WaitlistPosition
				}
				d += fmt.Sprintf("|%s %s %d %d %s", localID(r.ID), r.Status, r.Seats, pos, name)
			}
			a.Detail = append(a.Detail, d)
		}
		return a, err
	},
	"proposal": func(e *readBench, i int) (readAnswer, error) {
		var out struct {
			Proposal *struct {
				ID, Status    string
				Title         struct{ En string }
				Reviews       []struct{ Comment string }
				Pledges       []struct{ ID string }
				PledgedTotals []struct {
					MinorUnits string
					Currency   string
				}
			}
		}
		err := e.query(e.admin, `query($id: ID!) { proposal(id: $id) { id status title { en } reviews { comment } pledges { id } pledgedTotals { minorUnits currency } } }`,
			map[string]any{"id": e.proposals[i%len(e.proposals)].global}, &out)
		var a readAnswer
		if p := out.Proposal; p != nil {
			a.IDs = []string{localID(p.ID)}
			a.Total = len(p.Reviews)
			a.Detail = append(a.Detail, p.Status+"|"+p.Title.En)
			for _, pl := range p.Pledges {
				a.Detail = append(a.Detail, "pledge "+localID(pl.ID))
			}
			for _, t := range p.PledgedTotals {
				a.Detail = append(a.Detail, "total "+t.MinorUnits+" "+t.Currency)
			}
		}
		return a, err
	},
}

// checkSameAnswers asks both servers the first n questions of each read and fails on
// the first difference.
func checkSameAnswers(b *testing.B, e *readBench, url string, n int) {
	b.Helper()
	for name, viaPostGraphile := range postgraphileReads {
		for i := range n {
			want, err := gatewayReads[name](e, i)
			if err != nil {
				b.Fatalf("%s %d via the gateway: %v", name, i, err)
			}
			got, err := viaPostGraphile(e, url, i)
			if err != nil {
				b.Fatalf("%s %d via PostGraphile: %v", name, i, err)
			}
			if got.Total != want.Total || !slices.Equal(got.IDs, want.IDs) || !slices.Equal(got.Detail, want.Detail) {
				b.Fatalf("%s %d: PostGraphile answers\n%+v\nthe gateway\n%+v", name, i, got, want)
			}
		}
	}
}

// BenchmarkPostGraphile runs the three reads through PostGraphile at 32 clients (and 1),
// after checking that it returns what the gateway returns.
func BenchmarkPostGraphile(b *testing.B) {
	e := setupReadBench(b)
	url := setupPostGraphile(b, e)
	checkSameAnswers(b, e, url, 20)
	for _, name := range []string{"associations", "calendar", "proposal"} {
		read := postgraphileReads[name]
		for _, clients := range []int{1, 32} {
			b.Run(fmt.Sprintf("query=%s/clients=%d", name, clients), func(b *testing.B) {
				measureReads(b, clients, func(i int) error {
					a, err := read(e, url, i)
					if err == nil && len(a.IDs) == 0 {
						err = fmt.Errorf("an empty answer")
					}
					return err
				})
			})
		}
	}
}
