module passerelle.dev/proposals

go 1.26
