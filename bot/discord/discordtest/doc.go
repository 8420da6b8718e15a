// Package discordtest is an in-process fake of Discord for tests: the REST
// API (v9, which discordgo v0.29 speaks, and v10) and the gateway websocket,
// served on a loopback httptest server.
//
// It checks what Discord checks (message and embed limits, application
// command rules, the three-second interaction deadline, one callback per
// interaction, rate limits with Discord's headers, gateway Identify/Resume
// rules) and records what the bot did, so a test can assert on the traffic
// instead of on mocks.
//
// Point a real discordgo session at the fake by giving it the fake's HTTP
// client; nothing in discordgo's package-level endpoint variables changes:
//
//	srv := discordtest.New(discordtest.Options{})
//	defer srv.Close()
//	dg, _ := discordgo.New(srv.BotToken()) // "Bot <token>"
//	dg.Client = srv.Client()                // rewrites https://discord.com/api/... to the fake
//	err := dg.Open()                        // GET /gateway answers with the fake's ws:// URL
//
// The gateway URL comes from GET /gateway, so discordgo's default websocket
// dialer reaches the fake without changes. The client refuses requests to any
// host other than Discord's API hosts, so a test cannot reach the internet by
// accident.
package discordtest
