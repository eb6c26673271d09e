package gateway

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"passerelle.dev/events/eventstore"
	"passerelle.dev/events/projector"
)

// maxLag bounds the events counted behind a projection: beyond it, the gauge says
// "at least".
const maxLag = 1_000_000

// projectionCollector shows, at each scrape, where every projection stands in the log
// and how many events it has yet to project.
type projectionCollector struct {
	names       []string
	checkpoints *projector.Checkpoints
	store       *eventstore.Store
	position    *prometheus.Desc
	lag         *prometheus.Desc
	up          *prometheus.Desc
}

func newProjectionCollector(names []string, checkpoints *projector.Checkpoints, store *eventstore.Store) *projectionCollector {
	return &projectionCollector{
		names: names, checkpoints: checkpoints, store: store,
		position: prometheus.NewDesc("passerelle_projection_position", "Global position of the last event a projection applied.", []string{"projection"}, nil),
		lag:      prometheus.NewDesc("passerelle_projection_lag_events", "Events committed that a projection has not applied yet (at most 1,000,000 counted).", []string{"projection"}, nil),
		up:       prometheus.NewDesc("passerelle_projection_scrape_ok", "1 when the projections' positions could be read.", nil, nil),
	}
}

// Describe implements prometheus.Collector.
func (c *projectionCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- c.position
	ch <- c.lag
	ch <- c.up
}

// Collect implements prometheus.Collector.
func (c *projectionCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	cps, err := c.checkpoints.Positions(ctx, c.names...)
	if err != nil {
		ch <- prometheus.MustNewConstMetric(c.up, prometheus.GaugeValue, 0)
		return
	}
	for _, name := range c.names {
		cp := cps[name]
		ch <- prometheus.MustNewConstMetric(c.position, prometheus.GaugeValue, float64(cp.GlobalPosition), name)
		if behind, err := c.store.EventsAfter(ctx, cp, maxLag); err == nil {
			ch <- prometheus.MustNewConstMetric(c.lag, prometheus.GaugeValue, float64(behind), name)
		}
	}
	ch <- prometheus.MustNewConstMetric(c.up, prometheus.GaugeValue, 1)
}
