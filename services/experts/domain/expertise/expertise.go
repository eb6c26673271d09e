// Package expertise is the controlled list of fields of expertise experts offer and
// institutions ask for: occupations of the ILO's International Standard Classification
// of Occupations (ISCO-08), at its unit-group level, chosen for what countries of origin
// ask of their diasporas — health professions first. A code is the ISCO-08 code, so the
// list can grow without renaming anything.
package expertise

import "slices"

// Field is one field of expertise, with its names in the platform's languages.
type Field struct {
	Code           string
	EN, FR, ES     string
	HealthCategory bool
}

// Fields are the fields, by ISCO-08 code.
var Fields = []Field{
	{"2211", "Generalist medical practitioners", "Médecins généralistes", "Médicos generales", true},
	{"2212", "Specialist medical practitioners", "Médecins spécialistes", "Médicos especialistas", true},
	{"2221", "Nursing professionals", "Personnel infirmier", "Profesionales de enfermería", true},
	{"2222", "Midwifery professionals", "Sages-femmes", "Profesionales de partería", true},
	{"2261", "Dentists", "Dentistes", "Dentistas", true},
	{"2262", "Pharmacists", "Pharmaciens", "Farmacéuticos", true},
	{"2263", "Environmental and occupational health professionals", "Spécialistes de la santé environnementale et du travail", "Profesionales de la salud ambiental y ocupacional", true},
	{"2264", "Physiotherapists", "Kinésithérapeutes", "Fisioterapeutas", true},
	{"2267", "Optometrists", "Optométristes", "Optometristas", true},
	{"2269", "Other health professionals", "Autres professionnels de la santé", "Otros profesionales de la salud", true},
	{"2131", "Biologists and related scientists", "Biologistes et assimilés", "Biólogos y afines", false},
	{"2132", "Farming, forestry and fisheries advisers", "Conseillers agricoles, forestiers et halieutiques", "Asesores agrícolas, forestales y pesqueros", false},
	{"2133", "Environmental protection professionals", "Spécialistes de la protection de l'environnement", "Profesionales de la protección medioambiental", false},
	{"2142", "Civil engineers", "Ingénieurs civils", "Ingenieros civiles", false},
	{"2151", "Electrical engineers", "Ingénieurs électriciens", "Ingenieros electricistas", false},
	{"2310", "University and higher education teachers", "Enseignants d'université et de l'enseignement supérieur", "Profesores de universidades y de la enseñanza superior", false},
	{"2330", "Secondary education teachers", "Enseignants du secondaire", "Profesores de enseñanza secundaria", false},
	{"2411", "Accountants", "Comptables", "Contables", false},
	{"2413", "Financial analysts", "Analystes financiers", "Analistas financieros", false},
	{"2421", "Management and organisation analysts", "Analystes de gestion et d'organisation", "Analistas de gestión y organización", false},
	{"2512", "Software developers", "Développeurs de logiciels", "Desarrolladores de software", false},
	{"2611", "Lawyers", "Avocats", "Abogados", false},
	{"2631", "Economists", "Économistes", "Economistas", false},
	{"2635", "Social work and counselling professionals", "Spécialistes du travail social", "Profesionales del trabajo social", false},
}

// Known tells whether code is a field of the list.
func Known(code string) bool {
	return slices.ContainsFunc(Fields, func(f Field) bool { return f.Code == code })
}
