module passerelle.dev/infra

go 1.26
