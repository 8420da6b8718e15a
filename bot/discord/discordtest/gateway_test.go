package discordtest_test

import (
	"bytes"
	"compress/zlib"
	"encoding/json"
	"errors"
	"io"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/newsdigest/newsdigest/bot/discord/discordtest"
)

// wsClient is a bare gateway client for protocol cases discordgo never
// produces.
type wsClient struct {
	t  *testing.T
	ws *websocket.Conn
}

type payload struct {
	Op int             `json:"op"`
	D  json.RawMessage `json:"d"`
	S  *int64          `json:"s"`
	T  *string         `json:"t"`
}

func dialGateway(t *testing.T, srv *discordtest.Server, query string) *wsClient {
	t.Helper()
	ws, _, err := websocket.DefaultDialer.Dial(srv.GatewayURL()+"/"+query, nil)
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	t.Cleanup(func() { ws.Close() })
	return &wsClient{t: t, ws: ws}
}

func (c *wsClient) send(op int, d any) {
	c.t.Helper()
	if err := c.ws.WriteJSON(map[string]any{"op": op, "d": d}); err != nil {
		c.t.Fatalf("write: %v", err)
	}
}

// read returns the next payload, inflating zlib binary frames, or the
// close error.
func (c *wsClient) read() (payload, bool, error) {
	c.t.Helper()
	c.ws.SetReadDeadline(time.Now().Add(2 * time.Second))
	mt, msg, err := c.ws.ReadMessage()
	if err != nil {
		return payload{}, false, err
	}
	binary := mt == websocket.BinaryMessage
	if binary {
		zr, err := zlib.NewReader(bytes.NewReader(msg))
		if err != nil {
			c.t.Fatalf("zlib: %v", err)
		}
		if msg, err = io.ReadAll(zr); err != nil {
			c.t.Fatalf("inflate: %v", err)
		}
	}
	var p payload
	if err := json.Unmarshal(msg, &p); err != nil {
		c.t.Fatalf("decode %s: %v", msg, err)
	}
	return p, binary, nil
}

func (c *wsClient) expectClose(code int) {
	c.t.Helper()
	for {
		_, _, err := c.read()
		if err == nil {
			continue
		}
		var ce *websocket.CloseError
		if !errors.As(err, &ce) || ce.Code != code {
			c.t.Fatalf("closed with %v, want %d", err, code)
		}
		return
	}
}

func (c *wsClient) dispatch(typ string) payload {
	c.t.Helper()
	for {
		p, _, err := c.read()
		if err != nil {
			c.t.Fatalf("waiting for %s: %v", typ, err)
		}
		if p.Op == 0 && *p.T == typ {
			return p
		}
	}
}

func identify(srv *discordtest.Server) map[string]any {
	return map[string]any{"token": srv.BotToken(), "intents": 1, "properties": map[string]string{"os": "linux", "browser": "test", "device": "test"}}
}

func TestGatewayProtocol(t *testing.T) {
	t.Parallel()
	srv := startFake(t, discordtest.Options{HeartbeatInterval: 1234 * time.Millisecond})
	const query = "?v=10&encoding=json"
	tests := []struct {
		name  string
		query string
		run   func(c *wsClient)
		close int
	}{
		{"bad version", "?v=6&encoding=json", nil, 4012},
		{"etf encoding", "?v=10&encoding=etf", nil, 4002},
		{"not authenticated", query, func(c *wsClient) { c.send(3, map[string]any{"status": "online"}) }, 4003},
		{"unknown opcode", query, func(c *wsClient) { c.send(42, nil) }, 4001},
		{"not JSON", query, func(c *wsClient) { c.ws.WriteMessage(websocket.TextMessage, []byte("hello")) }, 4002},
		{"identify twice", query, func(c *wsClient) {
			c.send(2, identify(srv))
			c.dispatch("READY")
			c.send(2, identify(srv))
		}, 4005},
		{"bad resume token", query, func(c *wsClient) { c.send(6, map[string]any{"token": "Bot nope", "session_id": "x", "seq": 1}) }, 4004},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := dialGateway(t, srv, tt.query)
			if tt.run != nil {
				hello, _, err := c.read()
				if err != nil || hello.Op != 10 || string(hello.D) != `{"heartbeat_interval":1234}` {
					t.Fatalf("hello = %+v %s, %v", hello, hello.D, err)
				}
				tt.run(c)
			}
			c.expectClose(tt.close)
		})
	}

	t.Run("heartbeat before identify is acknowledged", func(t *testing.T) {
		c := dialGateway(t, srv, query)
		c.read()
		c.send(1, nil)
		if p, _, err := c.read(); err != nil || p.Op != 11 {
			t.Fatalf("got %+v, %v, want op 11", p, err)
		}
	})

	t.Run("unknown session resume gets op 9", func(t *testing.T) {
		c := dialGateway(t, srv, query)
		c.read()
		c.send(6, map[string]any{"token": srv.BotToken(), "session_id": "nope", "seq": 3})
		if p, _, err := c.read(); err != nil || p.Op != 9 || string(p.D) != "false" {
			t.Fatalf("got %+v, %v, want op 9 false", p, err)
		}
	})
}

func TestGatewayResumeReplaysMissedEvents(t *testing.T) {
	t.Parallel()
	srv := startFake(t, discordtest.Options{})
	c := dialGateway(t, srv, "?v=9&encoding=json")
	c.read()
	id := identify(srv)
	id["compress"] = true
	c.send(2, id)
	p, binary, err := c.read()
	if err != nil || *p.T != "READY" || !binary || *p.S != 1 {
		t.Fatalf("READY = %+v binary %v, %v", p, binary, err)
	}
	var ready struct {
		SessionID        string `json:"session_id"`
		ResumeGatewayURL string `json:"resume_gateway_url"`
	}
	json.Unmarshal(p.D, &ready)
	guild := c.dispatch("GUILD_CREATE")
	if *guild.S != 2 || ready.ResumeGatewayURL != srv.GatewayURL() {
		t.Fatalf("GUILD_CREATE seq %d, resume url %q", *guild.S, ready.ResumeGatewayURL)
	}
	// Drop the connection without a normal close: the session survives.
	c.ws.WriteMessage(websocket.CloseMessage, websocket.FormatCloseMessage(4000, "bye"))
	c.ws.Close()
	if !srv.WaitFor(time.Second, func() bool { return srv.Connections() == 0 }) {
		t.Fatal("connection still counted")
	}
	if err := srv.Dispatch("MESSAGE_CREATE", map[string]any{"id": "1", "content": "missed"}); err != nil {
		t.Fatal(err)
	}

	c2 := dialGateway(t, srv, "?v=9&encoding=json")
	c2.read()
	c2.send(6, map[string]any{"token": srv.BotToken(), "session_id": ready.SessionID, "seq": 2})
	missed := c2.dispatch("MESSAGE_CREATE")
	resumed := c2.dispatch("RESUMED")
	if *missed.S != 3 || *resumed.S != 4 {
		t.Errorf("seqs missed %d resumed %d, want 3 and 4", *missed.S, *resumed.S)
	}
	if rs := srv.Resumes(); len(rs) != 1 || !rs[0].OK || rs[0].Replayed != 1 {
		t.Errorf("resumes = %+v", rs)
	}

	// A normal close ends the session: resuming it fails.
	c2.ws.WriteMessage(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseNormalClosure, ""))
	c2.ws.Close()
	srv.WaitFor(time.Second, func() bool { return srv.Connections() == 0 })
	c3 := dialGateway(t, srv, "?v=9&encoding=json")
	c3.read()
	c3.send(6, map[string]any{"token": srv.BotToken(), "session_id": ready.SessionID, "seq": 4})
	if p, _, err := c3.read(); err != nil || p.Op != 9 {
		t.Errorf("resume of a closed session = %+v, %v", p, err)
	}
}
