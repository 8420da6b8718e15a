package bot

import (
	"github.com/prometheus/client_golang/prometheus"
)

// Metrics are the bot's Prometheus metrics, registered on a registry the
// caller owns (no global registry, so that tests can make several bots).
type Metrics struct {
	Commands   *prometheus.CounterVec   // by platform, command, outcome
	Latency    *prometheus.HistogramVec // command latency by platform
	Deliveries *prometheus.CounterVec   // digest messages by platform, outcome
	RateLimits *prometheus.CounterVec   // 429s received by platform
}

// NewMetrics makes the metrics and registers them on reg (if not nil).
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		Commands: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "newsdigest_commands_total", Help: "Chat commands handled.",
		}, []string{"platform", "command", "outcome"}),
		Latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "newsdigest_command_seconds", Help: "Time to answer a chat command.",
			Buckets: []float64{.01, .05, .1, .25, .5, 1, 2.5, 5},
		}, []string{"platform"}),
		Deliveries: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "newsdigest_messages_sent_total", Help: "Messages sent to chats.",
		}, []string{"platform", "outcome"}),
		RateLimits: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "newsdigest_rate_limited_total", Help: "Responses with HTTP 429 from a chat platform.",
		}, []string{"platform"}),
	}
	if reg != nil {
		reg.MustRegister(m.Commands, m.Latency, m.Deliveries, m.RateLimits)
	}
	return m
}
