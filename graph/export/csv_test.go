package export_test

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"
	"time"

	"passerelle.dev/events/directoryevents"
	"passerelle.dev/events/sessionevents"
	"passerelle.dev/graph/export"
	"passerelle.dev/graph/readmodel"
)

func TestNeutralizeKeepsCellsFromRunningAsFormulas(t *testing.T) {
	t.Parallel()
	cases := map[string]string{
		"=HYPERLINK(\"http://x\")": "'=HYPERLINK(\"http://x\")",
		"+33 1 23 45 67 89":        "'+33 1 23 45 67 89",
		"-2+3":                     "'-2+3",
		"@SUM(A1:A2)":              "'@SUM(A1:A2)",
		"\t=1":                     "'\t=1",
		"\r=1":                     "'\r=1",
		"  =1":                     "'  =1",
		"＝1+1":                     "'＝1+1",
		"Ghana Nurses Belgium":     "Ghana Nurses Belgium",
		"Sénégalais de Bruxelles":  "Sénégalais de Bruxelles",
		"2027-03-20 18:00":         "2027-03-20 18:00",
		"a=b":                      "a=b",
		"":                         "",
		"   ":                      "   ",
	}
	for in, want := range cases {
		if got := export.Neutralize(in); got != want {
			t.Errorf("Neutralize(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCSVIsWhatSpreadsheetsExpect(t *testing.T) {
	t.Parallel()
	table := export.Table{
		Header: []string{"Association", "Note"},
		Rows: [][]string{
			{"Diaspora, \"Ghana\" & co", "two\nlines"},
			{"=cmd|' /C calc'!A0", "Côte d'Ivoire"},
		},
	}
	out, err := table.CSV()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(out, []byte{0xEF, 0xBB, 0xBF}) {
		t.Fatalf("no UTF-8 byte-order mark: %q", out[:8])
	}
	body := string(out[3:])
	// Every line ends in CRLF, the one inside the quoted note too (readers give it back as \n).
	if !strings.HasSuffix(body, "\r\n") || strings.Count(body, "\n") != strings.Count(body, "\r\n") {
		t.Fatalf("want CRLF line ends: %q", body)
	}
	// An independent reader gets the cells back, quoting undone, the formula defused.
	records, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{{"Association", "Note"}, {"Diaspora, \"Ghana\" & co", "two\nlines"}, {"'=cmd|' /C calc'!A0", "Côte d'Ivoire"}}
	for i := range want {
		for j := range want[i] {
			if records[i][j] != want[i][j] {
				t.Errorf("cell %d,%d = %q, want %q", i, j, records[i][j], want[i][j])
			}
		}
	}
	if _, err := (export.Table{Header: []string{"a", "b"}, Rows: [][]string{{"only one"}}}).CSV(); err == nil {
		t.Fatal("a short row was written")
	}
}

func TestRegistrationsFileSpeaksTheReadersLanguage(t *testing.T) {
	t.Parallel()
	brussels, err := time.LoadLocation("Europe/Brussels")
	if err != nil {
		t.Fatal(err)
	}
	start := time.Date(2027, 3, 20, 17, 0, 0, 0, time.UTC)
	checked := time.Date(2027, 3, 20, 16, 45, 0, 0, time.UTC)
	two := 2
	s := readmodel.Session{ID: "s", Title: sessionevents.Text{EN: "Diaspora health professionals", FR: "Professionnels de santé"},
		Start: start, End: start.Add(2 * time.Hour), TimeZone: "Europe/Brussels"}
	rows := []export.RegistrationRow{
		{Registration: readmodel.Registration{Status: "CONFIRMED", Seats: 3, RegisteredAt: start.Add(-72 * time.Hour), CheckedInAt: &checked, AttendedSeats: &two},
			AssociationName: "Ghana Nurses Belgium", AssociationID: "QXNzb2NpYXRpb246MQ"},
		{Registration: readmodel.Registration{Status: "WAITLISTED", Seats: 1, WaitlistPosition: 1, RegisteredAt: start.Add(-48 * time.Hour)},
			AssociationName: "-Sénégalais de Bruxelles", AssociationID: "QXNzb2NpYXRpb246Mg"},
	}
	out, err := export.Registrations(export.French, s, rows, brussels).CSV()
	if err != nil {
		t.Fatal(err)
	}
	records, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(out, []byte("\uFEFF")))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if records[0][0] != "Session" || records[0][8] != "Arrivée (heure locale)" {
		t.Fatalf("header %q", records[0])
	}
	first := records[1]
	if first[0] != "Professionnels de santé" || first[1] != "2027-03-20 18:00" || first[4] != "Confirmée" ||
		first[5] != "3" || first[6] != "" || first[7] != "2027-03-17T17:00:00Z" || first[8] != "2027-03-20 17:45" || first[9] != "2" {
		t.Fatalf("first row %q", first)
	}
	second := records[2]
	if second[2] != "'-Sénégalais de Bruxelles" || second[4] != "En liste d'attente" || second[6] != "1" || second[8] != "" || second[9] != "" {
		t.Fatalf("second row %q", second)
	}
	// A title only in English is given in English.
	es, _ := export.Registrations(export.Spanish, readmodel.Session{Title: sessionevents.Text{EN: "Remittances"}, Start: start}, rows[:1], brussels).CSV()
	if !strings.Contains(string(es), "\r\nRemittances,") || !strings.Contains(string(es), "Llegada (hora local)") {
		t.Fatalf("Spanish file %q", es)
	}
}

func TestEveryThemeHasANameInEveryLanguage(t *testing.T) {
	t.Parallel()
	loc := time.UTC
	start := time.Date(2027, 3, 20, 17, 0, 0, 0, time.UTC)
	for _, lang := range []export.Language{export.English, export.French, export.Spanish} {
		for _, sector := range directoryevents.Sectors {
			row := export.SessionRow{Session: readmodel.Session{Theme: sector, Start: start, End: start, Status: "SCHEDULED"}}
			table := export.Sessions(lang, []export.SessionRow{row}, loc, start.Add(-time.Hour))
			if got := table.Rows[0][7]; got == sector || got == "" {
				t.Errorf("%s: theme %s is written %q", lang, sector, got)
			}
		}
	}
}
