// Package export writes what coordinators and admins take away from the platform into
// files a spreadsheet program opens as they expect: CSV in UTF-8 with a byte-order mark
// (without it, Excel reads "Sénégal" as "SÃ©nÃ©gal"), CRLF line ends and RFC 4180
// quoting, and no cell that a spreadsheet would run as a formula.
package export

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"strings"
	"unicode/utf8"
)

// ContentType is the media type of the files, as RFC 4180 registers it.
const ContentType = "text/csv; charset=utf-8"

// bom is the UTF-8 byte-order mark.
const bom = "\uFEFF"

// Table is a header and its rows; every row has a cell per column.
type Table struct {
	Header []string
	Rows   [][]string
}

// CSV writes the table: BOM, header, rows, CRLF after each, every cell made safe.
func (t Table) CSV() ([]byte, error) {
	var b bytes.Buffer
	b.WriteString(bom)
	w := csv.NewWriter(&b)
	w.UseCRLF = true
	for i, row := range append([][]string{t.Header}, t.Rows...) {
		if len(row) != len(t.Header) {
			return nil, fmt.Errorf("export: row %d has %d cells for %d columns", i, len(row), len(t.Header))
		}
		safe := make([]string, len(row))
		for j, cell := range row {
			safe[j] = Neutralize(cell)
		}
		if err := w.Write(safe); err != nil {
			return nil, fmt.Errorf("export: %w", err)
		}
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return nil, fmt.Errorf("export: %w", err)
	}
	return b.Bytes(), nil
}

// Neutralize keeps a cell from running as a formula when a spreadsheet opens the file
// (CSV injection, OWASP): a cell that begins — after any spaces, which some programs
// skip — with =, +, -, @, a tab, a carriage return or their full-width forms is
// prefixed with an apostrophe, which spreadsheets take as "text" and do not display.
// Names and addresses come from the public (an association's name is whatever it
// registered), so every cell goes through here; the numbers this package writes are
// never negative, and so never changed.
func Neutralize(cell string) string {
	first, _ := utf8.DecodeRuneInString(strings.TrimLeft(cell, " "))
	if first != utf8.RuneError && strings.ContainsRune(formulaStarts, first) {
		return "'" + cell
	}
	return cell
}

// formulaStarts are the characters a spreadsheet may start a formula with.
const formulaStarts = "=+-@\t\r＝＋－＠"
