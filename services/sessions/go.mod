module passerelle.dev/sessions

go 1.26
