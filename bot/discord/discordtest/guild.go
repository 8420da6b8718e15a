package discordtest

import (
	"net/http"
	"time"
)

// guildJSONLocked is the guild object of GET /guilds/{id}.
func (s *Server) guildJSONLocked(g *guild) map[string]any {
	return map[string]any{
		"id":                            g.ID,
		"name":                          g.Name,
		"icon":                          nil,
		"owner_id":                      s.defaultUser.ID,
		"roles":                         []any{s.everyoneRole(g)},
		"emojis":                        []any{},
		"stickers":                      []any{},
		"features":                      []any{},
		"preferred_locale":              "en-US",
		"system_channel_id":             nil,
		"verification_level":            0,
		"default_message_notifications": 0,
		"explicit_content_filter":       0,
		"mfa_level":                     0,
		"nsfw_level":                    0,
		"premium_tier":                  0,
		"afk_timeout":                   300,
	}
}

func (s *Server) everyoneRole(g *guild) map[string]any {
	return map[string]any{
		"id": g.ID, "name": "@everyone", "permissions": Perms(DefaultMemberPerms),
		"position": 0, "color": 0, "hoist": false, "managed": false, "mentionable": false, "flags": 0,
	}
}

// guildCreateLocked is the GUILD_CREATE payload sent after READY: the
// guild with the channels the bot can see and the bot's own member.
func (s *Server) guildCreateLocked(g *guild) map[string]any {
	out := s.guildJSONLocked(g)
	chans := []any{}
	for _, ch := range g.Channels {
		if !ch.NoAccess {
			chans = append(chans, s.channelJSONLocked(s.channels[ch.ID]))
		}
	}
	out["joined_at"] = g.joined.UTC().Format(time.RFC3339)
	out["large"] = false
	out["unavailable"] = false
	out["member_count"] = 2
	out["members"] = []any{s.memberJSON(s.bot, g)}
	out["channels"] = chans
	out["threads"] = []any{}
	out["presences"] = []any{}
	out["voice_states"] = []any{}
	out["stage_instances"] = []any{}
	out["guild_scheduled_events"] = []any{}
	return out
}

func (s *Server) memberJSON(u User, g *guild) map[string]any {
	return map[string]any{
		"user":      u,
		"roles":     []string{},
		"joined_at": g.joined.UTC().Format(time.RFC3339),
		"nick":      nil,
		"deaf":      false,
		"mute":      false,
		"flags":     0,
		"pending":   false,
	}
}

func (s *Server) guildFor(c *call) (*guild, bool) {
	g := s.guildByID[c.params["guild_id"]]
	if g == nil {
		c.fail(http.StatusNotFound, 10004, "Unknown Guild")
		return nil, false
	}
	return g, true
}

func (s *Server) getGuild(c *call) {
	if g, ok := s.guildFor(c); ok {
		c.ok(s.guildJSONLocked(g))
	}
}

func (s *Server) getGuildChannels(c *call) {
	g, ok := s.guildFor(c)
	if !ok {
		return
	}
	out := []any{}
	for _, ch := range g.Channels {
		if !ch.NoAccess {
			out = append(out, s.channelJSONLocked(s.channels[ch.ID]))
		}
	}
	c.ok(out)
}

// getMember knows the bot and every user the fake has seen, in every guild.
func (s *Server) getMember(c *call) {
	g, ok := s.guildFor(c)
	if !ok {
		return
	}
	u, ok := s.users[c.params["user_id"]]
	if !ok {
		c.fail(http.StatusNotFound, 10007, "Unknown Member")
		return
	}
	c.ok(s.memberJSON(u, g))
}
