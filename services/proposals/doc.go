// Package proposals will hold the development project proposals service: calls for
// proposals, proposals by verified associations, reviews, decisions and partners'
// pledges. It follows the directory's layout (domain, app, adapters, ports, cmd);
// nothing runs here yet.
package proposals
