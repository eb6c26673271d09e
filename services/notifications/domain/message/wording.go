package message

import (
	"fmt"
	"time"
)

type template struct{ subject, body string }

type language struct {
	days, months []string
	// date formats a day: weekday, day, month name, year.
	date      func(weekday, month string, day, year int) string
	decision  map[bool]string
	see       string
	signature string
	kinds     map[Kind]template
}

// when writes an instant as the city's clocks show it, with the offset then, so that a
// reader elsewhere is not misled.
func (l language) when(t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return ""
	}
	if loc == nil {
		loc = time.UTC
	}
	t = t.In(loc)
	return fmt.Sprintf("%s, %s (UTC%s)", l.date(l.days[t.Weekday()], l.months[t.Month()-1], t.Day(), t.Year()),
		t.Format("15:04"), t.Format("-07:00"))
}

var wording = map[string]language{
	"en": {
		days:      []string{"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"},
		months:    []string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"},
		date:      func(wd, m string, d, y int) string { return fmt.Sprintf("%s %d %s %d", wd, d, m, y) },
		decision:  map[bool]string{true: "approved", false: "not approved"},
		see:       "See it on Passerelle: {link}",
		signature: "— Passerelle, the Dialogue en continu between diasporas and their countries of origin",
		kinds: map[Kind]template{
			RegistrationConfirmed:  {"Registered: {session}", "Dear {association},\n\nyour registration for {seats} seat(s) at “{session}” is confirmed.\n\nWhen: {start}\nWhere: {venue}"},
			RegistrationWaitlisted: {"On the waitlist: {session}", "Dear {association},\n\nthe session “{session}” ({start}) is full: your registration for {seats} seat(s) is on the waitlist. You will be told as soon as seats free up for you."},
			RegistrationPromoted:   {"A seat for you: {session}", "Dear {association},\n\nseats freed up: your registration for {seats} seat(s) at “{session}” is now confirmed.\n\nWhen: {start}\nWhere: {venue}"},
			OfferMade:              {"Seats offered to you: {session}", "Dear {association},\n\n{seats} seat(s) at “{session}” ({start}) freed up and are held for your association until {until}. Accept them or give them up on Passerelle before then; after that they go to the next association on the waitlist."},
			OfferExpired:           {"Offer expired: {session}", "Dear {association},\n\nthe seats offered to your association at “{session}” were not taken by {until} and went to the next association on the waitlist. You may register again."},
			SessionRescheduled:     {"Moved: {session}", "Dear {association},\n\nthe session “{session}” you registered for has moved. Your registration stays.\n\nNew time: {start}\nWhere: {venue}"},
			SessionCancelled:       {"Cancelled: {session}", "Dear {association},\n\nthe session “{session}” ({start}) is cancelled, and with it your registration.\n\nWhy: {reason}"},
			AssociationVerified:    {"Your association is verified", "Dear {association},\n\na coordinator verified your association: it is listed in the directory and may register for sessions of the Dialogue en continu."},
			AssociationRejected:    {"Your registration was not accepted", "Dear {association},\n\na coordinator did not accept your association's registration.\n\nWhy: {reason}"},
			AssociationKeyRenewed:  {"Your association has a new key", "Dear {association},\n\nyour association's key on Passerelle was replaced by a new one: the earlier key no longer works. If nobody in your association asked for it, write to the platform's admins: they give your association a key only you will hold."},
			ProposalDecided:        {"Your proposal: {decision}", "Dear {association},\n\nyour proposal “{proposal}” was {decision}.\n\n{reason}"},
			CoordinatorMessage:     {"", "Dear {association},\n\nthe coordinators of {city} write to you about “{session}” ({start}):"},
			Reminder48h:            {"In two days: {session}", "Dear {association},\n\na reminder: “{session}”, where your association has {seats} seat(s), is in two days.\n\nWhen: {start}\nWhere: {venue}\n\nIf you cannot come, please cancel on Passerelle: the seats go to those waiting."},
			Reminder2h:             {"In two hours: {session}", "Dear {association},\n\n“{session}” starts in two hours: {start}, at {venue}. Your association has {seats} seat(s)."},
			ExpertProposed:         {"A request for your expertise: {request}", "Hello,\n\na coordinator of Passerelle proposed you for “{request}”, a request of {institution}. The institution sees nothing of you unless you accept: answer on Passerelle, from your expert profile."},
			ExpertConfirmed:        {"Confirmed for the mission: {request}", "Hello,\n\n{institution} confirmed you for “{request}”. Thank you for giving your skills."},
			MissionCancelled:       {"Cancelled: {request}", "Hello,\n\n{institution} cancelled “{request}”, for which you were proposed.\n\nWhy: {reason}"},
			InstitutionVerified:    {"Your institution is verified", "Dear {institution},\n\nan admin verified your institution: you may now post requests for expertise to the diaspora."},
			InstitutionRejected:    {"Your registration was not accepted", "Dear {institution},\n\nan admin did not accept your institution's registration.\n\nWhy: {reason}"},
			ExpertAccepted:         {"An expert accepted: {request}", "Dear {institution},\n\nan expert accepted to be put forward for “{request}”. See their profile, and confirm them, on Passerelle."},
		},
	},
	"fr": {
		days:      []string{"dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"},
		months:    []string{"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"},
		date:      func(wd, m string, d, y int) string { return fmt.Sprintf("%s %d %s %d", wd, d, m, y) },
		decision:  map[bool]string{true: "acceptée", false: "non retenue"},
		see:       "À voir sur Passerelle : {link}",
		signature: "— Passerelle, le Dialogue en continu entre les diasporas et leurs pays d’origine",
		kinds: map[Kind]template{
			RegistrationConfirmed:  {"Inscription confirmée : {session}", "Bonjour {association},\n\nvotre inscription pour {seats} place(s) à « {session} » est confirmée.\n\nQuand : {start}\nOù : {venue}"},
			RegistrationWaitlisted: {"En liste d’attente : {session}", "Bonjour {association},\n\nla session « {session} » ({start}) est complète : votre inscription pour {seats} place(s) est en liste d’attente. Vous serez prévenus dès que des places se libèrent pour vous."},
			RegistrationPromoted:   {"Une place pour vous : {session}", "Bonjour {association},\n\ndes places se sont libérées : votre inscription pour {seats} place(s) à « {session} » est désormais confirmée.\n\nQuand : {start}\nOù : {venue}"},
			OfferMade:              {"Des places vous sont proposées : {session}", "Bonjour {association},\n\n{seats} place(s) à « {session} » ({start}) se sont libérées et sont réservées pour votre association jusqu’au {until}. Acceptez-les ou renoncez-y sur Passerelle d’ici là ; ensuite, elles iront à l’association suivante de la liste d’attente."},
			OfferExpired:           {"Proposition expirée : {session}", "Bonjour {association},\n\nles places proposées à votre association à « {session} » n’ont pas été prises avant le {until} et sont allées à l’association suivante de la liste d’attente. Vous pouvez vous inscrire à nouveau."},
			SessionRescheduled:     {"Session déplacée : {session}", "Bonjour {association},\n\nla session « {session} » à laquelle vous êtes inscrits a été déplacée. Votre inscription est maintenue.\n\nNouvel horaire : {start}\nOù : {venue}"},
			SessionCancelled:       {"Session annulée : {session}", "Bonjour {association},\n\nla session « {session} » ({start}) est annulée, et votre inscription avec elle.\n\nPourquoi : {reason}"},
			AssociationVerified:    {"Votre association est vérifiée", "Bonjour {association},\n\nun coordinateur a vérifié votre association : elle figure dans l’annuaire et peut s’inscrire aux sessions du Dialogue en continu."},
			AssociationRejected:    {"Votre inscription n’a pas été acceptée", "Bonjour {association},\n\nun coordinateur n’a pas accepté l’inscription de votre association.\n\nPourquoi : {reason}"},
			AssociationKeyRenewed:  {"Votre association a une nouvelle clé", "Bonjour {association},\n\nla clé de votre association sur Passerelle a été remplacée par une nouvelle : l’ancienne ne fonctionne plus. Si personne dans votre association ne l’a demandé, écrivez aux administrateurs de la plateforme : ils donneront à votre association une clé que vous seuls détiendrez."},
			ProposalDecided:        {"Votre projet : {decision}", "Bonjour {association},\n\nvotre projet « {proposal} » a été {decision}.\n\n{reason}"},
			CoordinatorMessage:     {"", "Bonjour {association},\n\nles coordinateurs de {city} vous écrivent au sujet de « {session} » ({start}) :"},
			Reminder48h:            {"Dans deux jours : {session}", "Bonjour {association},\n\npour rappel : « {session} », où votre association a {seats} place(s), a lieu dans deux jours.\n\nQuand : {start}\nOù : {venue}\n\nSi vous ne pouvez pas venir, annulez sur Passerelle : les places iront à ceux qui attendent."},
			Reminder2h:             {"Dans deux heures : {session}", "Bonjour {association},\n\n« {session} » commence dans deux heures : {start}, à {venue}. Votre association a {seats} place(s)."},
			ExpertProposed:         {"Une demande pour votre expertise : {request}", "Bonjour,\n\nun coordinateur de Passerelle vous a proposé pour « {request} », une demande de {institution}. L’institution ne voit rien de vous tant que vous n’acceptez pas : répondez sur Passerelle, depuis votre profil d’expert."},
			ExpertConfirmed:        {"Confirmé pour la mission : {request}", "Bonjour,\n\n{institution} vous a confirmé pour « {request} ». Merci de mettre vos compétences au service de votre pays d’origine."},
			MissionCancelled:       {"Annulée : {request}", "Bonjour,\n\n{institution} a annulé « {request} », pour laquelle vous aviez été proposé.\n\nPourquoi : {reason}"},
			InstitutionVerified:    {"Votre institution est vérifiée", "Bonjour {institution},\n\nun administrateur a vérifié votre institution : vous pouvez désormais adresser des demandes d’expertise à la diaspora."},
			InstitutionRejected:    {"Votre inscription n’a pas été acceptée", "Bonjour {institution},\n\nun administrateur n’a pas accepté l’inscription de votre institution.\n\nPourquoi : {reason}"},
			ExpertAccepted:         {"Un expert a accepté : {request}", "Bonjour {institution},\n\nun expert a accepté d’être proposé pour « {request} ». Consultez son profil, et confirmez-le, sur Passerelle."},
		},
	},
	"es": {
		days:      []string{"domingo", "lunes", "martes", "miércoles", "jueves", "viernes", "sábado"},
		months:    []string{"enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre"},
		date:      func(wd, m string, d, y int) string { return fmt.Sprintf("%s %d de %s de %d", wd, d, m, y) },
		decision:  map[bool]string{true: "aprobado", false: "no aprobado"},
		see:       "Véalo en Passerelle: {link}",
		signature: "— Passerelle, el Dialogue en continu entre las diásporas y sus países de origen",
		kinds: map[Kind]template{
			RegistrationConfirmed:  {"Inscripción confirmada: {session}", "Estimada asociación {association}:\n\nsu inscripción para {seats} plaza(s) en «{session}» está confirmada.\n\nCuándo: {start}\nDónde: {venue}"},
			RegistrationWaitlisted: {"En lista de espera: {session}", "Estimada asociación {association}:\n\nla sesión «{session}» ({start}) está completa: su inscripción para {seats} plaza(s) está en lista de espera. Se le avisará en cuanto se liberen plazas para usted."},
			RegistrationPromoted:   {"Una plaza para usted: {session}", "Estimada asociación {association}:\n\nse liberaron plazas: su inscripción para {seats} plaza(s) en «{session}» está ahora confirmada.\n\nCuándo: {start}\nDónde: {venue}"},
			OfferMade:              {"Plazas ofrecidas: {session}", "Estimada asociación {association}:\n\nse liberaron {seats} plaza(s) en «{session}» ({start}) y están reservadas para su asociación hasta el {until}. Acéptelas o renuncie a ellas en Passerelle antes; después pasarán a la siguiente asociación de la lista de espera."},
			OfferExpired:           {"Oferta vencida: {session}", "Estimada asociación {association}:\n\nlas plazas ofrecidas a su asociación en «{session}» no se tomaron antes del {until} y pasaron a la siguiente asociación de la lista de espera. Puede inscribirse de nuevo."},
			SessionRescheduled:     {"Sesión trasladada: {session}", "Estimada asociación {association}:\n\nla sesión «{session}» en la que está inscrita cambió de fecha. Su inscripción se mantiene.\n\nNuevo horario: {start}\nDónde: {venue}"},
			SessionCancelled:       {"Sesión cancelada: {session}", "Estimada asociación {association}:\n\nla sesión «{session}» ({start}) se canceló, y con ella su inscripción.\n\nMotivo: {reason}"},
			AssociationVerified:    {"Su asociación está verificada", "Estimada asociación {association}:\n\nun coordinador verificó su asociación: figura en el directorio y puede inscribirse en las sesiones del Dialogue en continu."},
			AssociationRejected:    {"Su inscripción no fue aceptada", "Estimada asociación {association}:\n\nun coordinador no aceptó la inscripción de su asociación.\n\nMotivo: {reason}"},
			AssociationKeyRenewed:  {"Su asociación tiene una clave nueva", "Estimada asociación {association}:\n\nla clave de su asociación en Passerelle fue reemplazada por una nueva: la anterior ya no funciona. Si nadie en su asociación la pidió, escriba a los administradores de la plataforma: darán a su asociación una clave que solo ustedes tendrán."},
			ProposalDecided:        {"Su proyecto: {decision}", "Estimada asociación {association}:\n\nsu proyecto «{proposal}» fue {decision}.\n\n{reason}"},
			CoordinatorMessage:     {"", "Estimada asociación {association}:\n\nlos coordinadores de {city} le escriben sobre «{session}» ({start}):"},
			Reminder48h:            {"Dentro de dos días: {session}", "Estimada asociación {association}:\n\nle recordamos que «{session}», donde su asociación tiene {seats} plaza(s), es dentro de dos días.\n\nCuándo: {start}\nDónde: {venue}\n\nSi no puede asistir, cancele en Passerelle: las plazas irán a quienes esperan."},
			Reminder2h:             {"Dentro de dos horas: {session}", "Estimada asociación {association}:\n\n«{session}» empieza dentro de dos horas: {start}, en {venue}. Su asociación tiene {seats} plaza(s)."},
			ExpertProposed:         {"Una solicitud para su experiencia: {request}", "Hola:\n\nun coordinador de Passerelle lo propuso para «{request}», una solicitud de {institution}. La institución no ve nada de usted mientras no acepte: responda en Passerelle, desde su perfil de experto."},
			ExpertConfirmed:        {"Confirmado para la misión: {request}", "Hola:\n\n{institution} lo confirmó para «{request}». Gracias por ofrecer sus competencias."},
			MissionCancelled:       {"Cancelada: {request}", "Hola:\n\n{institution} canceló «{request}», para la que usted había sido propuesto.\n\nMotivo: {reason}"},
			InstitutionVerified:    {"Su institución está verificada", "Estimada institución {institution}:\n\nun administrador verificó su institución: ya puede dirigir solicitudes de expertise a la diáspora."},
			InstitutionRejected:    {"Su inscripción no fue aceptada", "Estimada institución {institution}:\n\nun administrador no aceptó la inscripción de su institución.\n\nMotivo: {reason}"},
			ExpertAccepted:         {"Un experto aceptó: {request}", "Estimada institución {institution}:\n\nun experto aceptó ser propuesto para «{request}». Vea su perfil y confírmelo en Passerelle."},
		},
	},
}
