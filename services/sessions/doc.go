// Package sessions will hold the Dialogue en continu sessions service: cities with
// their time zones and coordinators, sessions scheduled in them, and registrations of
// associations without overbooking. It follows the directory's layout (domain, app,
// adapters, ports, cmd); nothing runs here yet.
package sessions
