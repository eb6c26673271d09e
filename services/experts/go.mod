module passerelle.dev/experts

go 1.26.0

require (
	golang.org/x/text v0.41.0
	passerelle.dev/events v0.0.0
)

require github.com/google/uuid v1.6.0 // indirect

replace passerelle.dev/events => ../../events
