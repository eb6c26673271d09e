module passerelle.dev/graph

go 1.26
