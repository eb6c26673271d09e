module passerelle.dev/directory

go 1.26
