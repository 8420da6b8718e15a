package discordtest

import (
	"bytes"
	"compress/zlib"
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gorilla/websocket"
)

// Gateway intents the fake acts on.
const (
	intentGuilds      = 1 << 0
	privilegedIntents = 1<<1 | 1<<8 | 1<<15
	knownIntents      = 1<<17 - 1 | 1<<20 | 1<<21 | 1<<24 | 1<<25
)

const (
	// maxReplay bounds the events a session keeps for Resume.
	maxReplay = 1000
	// maxPayload is Discord's limit on a client's gateway payload.
	maxPayload = 4096
	// outQueue bounds the frames waiting for a slow client.
	outQueue = 1024
)

// Identify is one Identify (op 2) the gateway received.
type Identify struct {
	Token          string
	Intents        int
	Compress       bool
	LargeThreshold int
	Shard          *[2]int
	Properties     map[string]string
	// SessionID is the session READY started; empty when rejected.
	SessionID string
	// CloseCode is the close code the gateway rejected it with, 0 if accepted.
	CloseCode int
	At        time.Time
}

// Resume is one Resume (op 6) the gateway received.
type Resume struct {
	SessionID string
	Seq       int64
	// OK is false when the gateway answered Invalid Session.
	OK bool
	// Replayed counts the missed events sent before RESUMED.
	Replayed int
	At       time.Time
}

// Heartbeat is one heartbeat (op 1) the gateway received and acknowledged.
type Heartbeat struct {
	SessionID string
	// Seq is the sequence the client reported, nil for null.
	Seq *int64
	At  time.Time
}

type gwEvent struct {
	seq  int64
	typ  string
	data json.RawMessage
}

// gwSession is a gateway session: it outlives connections until it is
// invalidated, so Resume can replay what a client missed.
type gwSession struct {
	id       string
	version  int
	intents  int
	compress bool
	seq      int64
	events   []gwEvent
	conn     *gwConn
}

// gwConn is one websocket connection. A writer goroutine sends queued
// frames in order; sess and closing are guarded by Server.mu.
type gwConn struct {
	ws      *websocket.Conn
	out     chan outFrame
	done    chan struct{}
	once    sync.Once
	version int
	sess    *gwSession
	closing bool
}

type outFrame struct {
	typ   int
	data  []byte
	close bool
}

// frame is a gateway payload.
type frame struct {
	Op int     `json:"op"`
	D  any     `json:"d"`
	S  *int64  `json:"s"`
	T  *string `json:"t"`
}

func (s *Server) serveGateway(w http.ResponseWriter, r *http.Request) {
	ws, err := s.upgrader.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	ws.SetReadLimit(maxPayload)
	c := &gwConn{ws: ws, out: make(chan outFrame, outQueue), done: make(chan struct{})}
	q := r.URL.Query()
	c.version, _ = strconv.Atoi(q.Get("v"))

	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		ws.Close()
		return
	}
	s.conns[c] = struct{}{}
	switch {
	case c.version != 9 && c.version != 10:
		c.closeLocked(4012, "Invalid API version")
	case q.Get("encoding") != "" && q.Get("encoding") != "json":
		c.closeLocked(4002, "discordtest supports encoding=json only")
	case q.Get("compress") != "":
		c.closeLocked(4002, "discordtest does not support transport compression")
	default:
		c.sendLocked(frame{Op: 10, D: map[string]any{"heartbeat_interval": s.opts.HeartbeatInterval.Milliseconds()}}, false)
	}
	s.mu.Unlock()

	go c.writeLoop()
	s.readLoop(c)
}

func (s *Server) readLoop(c *gwConn) {
	for {
		_, msg, err := c.ws.ReadMessage()
		if err != nil {
			code := websocket.CloseAbnormalClosure
			var ce *websocket.CloseError
			if errors.As(err, &ce) {
				code = ce.Code
			}
			s.connGone(c, code)
			return
		}
		var p struct {
			Op *int            `json:"op"`
			D  json.RawMessage `json:"d"`
		}
		s.mu.Lock()
		switch {
		case c.closing:
		case json.Unmarshal(msg, &p) != nil || p.Op == nil:
			c.closeLocked(4002, "Error while decoding payload.")
		default:
			s.handleOpLocked(c, *p.Op, p.D, time.Now())
		}
		s.mu.Unlock()
	}
}

// connGone detaches a finished connection. A client closing with 1000 or
// 1001 ends its session, as on Discord; other closes leave it resumable.
func (s *Server) connGone(c *gwConn, code int) {
	s.mu.Lock()
	delete(s.conns, c)
	if sess := c.sess; sess != nil && sess.conn == c {
		sess.conn = nil
		if code == websocket.CloseNormalClosure || code == websocket.CloseGoingAway {
			delete(s.sessions, sess.id)
		}
	}
	c.closing = true
	s.notifyLocked()
	s.mu.Unlock()
	c.terminate()
	s.log.Debug("discordtest: gateway connection closed", "code", code)
}

func (s *Server) handleOpLocked(c *gwConn, op int, d json.RawMessage, now time.Time) {
	switch op {
	case 1:
		hb := Heartbeat{At: now}
		var seq int64
		if json.Unmarshal(d, &seq) == nil && string(d) != "null" {
			hb.Seq = &seq
		}
		if c.sess != nil {
			hb.SessionID = c.sess.id
		}
		s.heartbeats = append(s.heartbeats, hb)
		c.sendLocked(frame{Op: 11}, false)
		s.notifyLocked()
	case 2:
		s.identifyLocked(c, d, now)
	case 6:
		s.resumeLocked(c, d, now)
	case 3, 4, 8:
		// Presence, voice state and member requests: accepted, ignored.
		if c.sess == nil {
			c.closeLocked(4003, "Not authenticated.")
		}
	default:
		c.closeLocked(4001, "Unknown opcode.")
	}
}

func (s *Server) identifyLocked(c *gwConn, d json.RawMessage, now time.Time) {
	if c.sess != nil {
		c.closeLocked(4005, "Already authenticated.")
		return
	}
	var in struct {
		Token          string            `json:"token"`
		Intents        *int              `json:"intents"`
		Compress       bool              `json:"compress"`
		LargeThreshold int               `json:"large_threshold"`
		Shard          *[2]int           `json:"shard"`
		Properties     map[string]string `json:"properties"`
	}
	if json.Unmarshal(d, &in) != nil {
		c.closeLocked(4002, "Error while decoding payload.")
		return
	}
	rec := Identify{Token: in.Token, Compress: in.Compress, LargeThreshold: in.LargeThreshold, Shard: in.Shard, Properties: in.Properties, At: now}
	if in.Intents != nil {
		rec.Intents = *in.Intents
	}
	reject := func(code int, text string) {
		rec.CloseCode = code
		s.identifies = append(s.identifies, rec)
		s.notifyLocked()
		c.closeLocked(code, text)
	}
	switch {
	case strings.TrimPrefix(in.Token, "Bot ") != s.opts.Token:
		reject(4004, "Authentication failed.")
		return
	case in.Intents == nil || *in.Intents < 0 || *in.Intents&^knownIntents != 0:
		reject(4013, "Invalid intent(s).")
		return
	case *in.Intents&privilegedIntents&^s.opts.PrivilegedIntents != 0:
		reject(4014, "Disallowed intent(s).")
		return
	case in.Shard != nil && (in.Shard[1] < 1 || in.Shard[0] < 0 || in.Shard[0] >= in.Shard[1]):
		// Discord accepts any [shard_id, num_shards] with shard_id <
		// num_shards (more shards than needed included).
		reject(4010, "Invalid shard.")
		return
	}

	sess := &gwSession{id: secret("")[:32], version: c.version, intents: rec.Intents, compress: in.Compress, conn: c}
	c.sess = sess
	s.sessions[sess.id] = sess
	s.sessionStarts++
	rec.SessionID = sess.id
	s.identifies = append(s.identifies, rec)

	guilds := make([]any, len(s.guilds))
	for i, g := range s.guilds {
		guilds[i] = map[string]any{"id": g.ID, "unavailable": true}
	}
	ready := map[string]any{
		"v": c.version,
		"user": map[string]any{
			"id": s.bot.ID, "username": s.bot.Username, "discriminator": s.bot.Discriminator,
			"global_name": nil, "avatar": nil, "bot": true, "verified": true, "mfa_enabled": false, "flags": 0,
		},
		"guilds":             guilds,
		"session_id":         sess.id,
		"resume_gateway_url": s.GatewayURL(),
		"application":        map[string]any{"id": s.opts.ApplicationID, "flags": 0},
		"private_channels":   []any{},
	}
	if in.Shard != nil {
		ready["shard"] = in.Shard
	}
	s.dispatchLocked(sess, "READY", ready)
	if sess.intents&intentGuilds != 0 {
		for _, g := range s.guilds {
			s.dispatchLocked(sess, "GUILD_CREATE", s.guildCreateLocked(g))
		}
	}
	s.notifyLocked()
}

func (s *Server) resumeLocked(c *gwConn, d json.RawMessage, now time.Time) {
	if c.sess != nil {
		c.closeLocked(4005, "Already authenticated.")
		return
	}
	var in struct {
		Token     string `json:"token"`
		SessionID string `json:"session_id"`
		Seq       int64  `json:"seq"`
	}
	if json.Unmarshal(d, &in) != nil {
		c.closeLocked(4002, "Error while decoding payload.")
		return
	}
	if strings.TrimPrefix(in.Token, "Bot ") != s.opts.Token {
		c.closeLocked(4004, "Authentication failed.")
		return
	}
	rec := Resume{SessionID: in.SessionID, Seq: in.Seq, At: now}
	sess := s.sessions[in.SessionID]
	tooOld := sess != nil && len(sess.events) > 0 && in.Seq < sess.events[0].seq-1
	if sess == nil || in.Seq > sess.seq || tooOld {
		s.resumes = append(s.resumes, rec)
		s.notifyLocked()
		c.sendLocked(frame{Op: 9, D: false}, false)
		return
	}
	if old := sess.conn; old != nil && old != c {
		old.sess = nil
		old.closeLocked(4000, "Session resumed elsewhere.")
	}
	sess.conn, c.sess = c, sess
	for _, ev := range sess.events {
		if ev.seq > in.Seq {
			s.sendEventLocked(sess, ev)
			rec.Replayed++
		}
	}
	rec.OK = true
	s.resumes = append(s.resumes, rec)
	s.dispatchLocked(sess, "RESUMED", map[string]any{})
	s.notifyLocked()
}

// dispatchLocked gives sess the next sequence number's event, keeps it for
// replay and sends it if the session is connected.
func (s *Server) dispatchLocked(sess *gwSession, typ string, data any) {
	raw, err := json.Marshal(data)
	if err != nil {
		panic("discordtest: encode " + typ + ": " + err.Error())
	}
	sess.seq++
	ev := gwEvent{seq: sess.seq, typ: typ, data: raw}
	sess.events = append(sess.events, ev)
	if len(sess.events) > maxReplay {
		sess.events = slices.Delete(sess.events, 0, len(sess.events)-maxReplay)
	}
	s.sendEventLocked(sess, ev)
	s.log.Debug("discordtest: dispatch", "type", typ, "seq", ev.seq)
}

func (s *Server) sendEventLocked(sess *gwSession, ev gwEvent) {
	if sess.conn == nil {
		return
	}
	seq, typ := ev.seq, ev.typ
	// With Identify.compress, Discord zlib-compresses large payloads;
	// READY and GUILD_CREATE stand in for them.
	compress := sess.compress && (typ == "READY" || typ == "GUILD_CREATE")
	sess.conn.sendLocked(frame{Op: 0, D: ev.data, S: &seq, T: &typ}, compress)
}

// sendLocked queues a frame. A client too slow to drain the queue is cut off.
func (c *gwConn) sendLocked(f frame, compress bool) {
	if c.closing {
		return
	}
	data, err := json.Marshal(f)
	if err != nil {
		panic("discordtest: encode gateway frame: " + err.Error())
	}
	typ := websocket.TextMessage
	if compress {
		var buf bytes.Buffer
		zw := zlib.NewWriter(&buf)
		zw.Write(data)
		zw.Close()
		data, typ = buf.Bytes(), websocket.BinaryMessage
	}
	select {
	case c.out <- outFrame{typ: typ, data: data}:
	default:
		c.closing = true
		c.terminate()
	}
}

// closeLocked sends a close frame and then drops the connection.
func (c *gwConn) closeLocked(code int, text string) {
	if c.closing {
		return
	}
	c.closing = true
	select {
	case c.out <- outFrame{typ: websocket.CloseMessage, data: websocket.FormatCloseMessage(code, text), close: true}:
	default:
		c.terminate()
	}
}

func (c *gwConn) writeLoop() {
	for {
		select {
		case f := <-c.out:
			var err error
			if f.typ == websocket.CloseMessage {
				err = c.ws.WriteControl(websocket.CloseMessage, f.data, time.Now().Add(time.Second))
			} else {
				c.ws.SetWriteDeadline(time.Now().Add(5 * time.Second))
				err = c.ws.WriteMessage(f.typ, f.data)
			}
			if err != nil || f.close {
				c.terminate()
				return
			}
		case <-c.done:
			return
		}
	}
}

func (c *gwConn) terminate() {
	c.once.Do(func() {
		close(c.done)
		c.ws.Close()
	})
}

// liveConnsLocked are the connections with an identified or resumed session.
func (s *Server) liveConnsLocked() []*gwConn {
	var out []*gwConn
	for c := range s.conns {
		if c.sess != nil && !c.closing {
			out = append(out, c)
		}
	}
	return out
}

// Reconnect sends op 7 Reconnect on every live connection, as Discord does
// before maintenance; clients should reconnect and resume. It returns how
// many connections were told.
func (s *Server) Reconnect() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	conns := s.liveConnsLocked()
	for _, c := range conns {
		c.sendLocked(frame{Op: 7}, false)
	}
	return len(conns)
}

// InvalidateSession sends op 9 Invalid Session (d: resumable) on every live
// connection and detaches the sessions, so the client may identify again
// on the same connection (discordgo does) or, when resumable, resume.
func (s *Server) InvalidateSession(resumable bool) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	conns := s.liveConnsLocked()
	for _, c := range conns {
		sess := c.sess
		c.sendLocked(frame{Op: 9, D: resumable}, false)
		sess.conn, c.sess = nil, nil
		if !resumable {
			delete(s.sessions, sess.id)
		}
	}
	s.notifyLocked()
	return len(conns)
}

// Disconnect closes every live connection with a close code. Codes Discord
// uses for sessions that cannot resume (4004, 4007, 4009-4014) also end
// the session; others (4000, 1011, ...) leave it resumable.
func (s *Server) Disconnect(code int) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	conns := s.liveConnsLocked()
	for _, c := range conns {
		if code == 4004 || code == 4007 || code >= 4009 && code <= 4014 {
			delete(s.sessions, c.sess.id)
		}
		c.closeLocked(code, "discordtest disconnect")
	}
	return len(conns)
}

// RequestHeartbeat sends op 1 on every live connection; the client must
// answer with a heartbeat at once.
func (s *Server) RequestHeartbeat() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	conns := s.liveConnsLocked()
	for _, c := range conns {
		c.sendLocked(frame{Op: 1}, false)
	}
	return len(conns)
}

// Dispatch sends any dispatch event (op 0) to every session, like
// Interact does for INTERACTION_CREATE.
func (s *Server) Dispatch(eventType string, data any) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.sessions) == 0 {
		return errors.New("discordtest: dispatch: no gateway session has identified")
	}
	if _, err := json.Marshal(data); err != nil {
		return errors.New("discordtest: dispatch " + eventType + ": " + err.Error())
	}
	for _, sess := range s.sessions {
		s.dispatchLocked(sess, eventType, data)
	}
	s.notifyLocked()
	return nil
}

// Identifies returns every Identify received, accepted or not.
func (s *Server) Identifies() []Identify {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.identifies)
}

// Resumes returns every Resume received.
func (s *Server) Resumes() []Resume {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.resumes)
}

// Heartbeats returns every heartbeat received (each was acknowledged).
func (s *Server) Heartbeats() []Heartbeat {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.heartbeats)
}

// Connections counts connections with an identified or resumed session.
func (s *Server) Connections() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.liveConnsLocked())
}
