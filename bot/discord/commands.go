package discord

import (
	"sort"
	"strings"

	"github.com/bwmarrin/discordgo"

	"github.com/newsdigest/newsdigest/bot"
)

// manageServer is the permission that management commands ask for:
// Discord shows them only to members who have it (or Administrator).
const manageServer = int64(discordgo.PermissionManageGuild)

// Discord's limits on commands.
const (
	descriptionMax = 100 // command and option descriptions
	choicesMax     = 25  // choices of an option, autocomplete suggestions
	choiceMax      = 100 // a choice's name and value
)

// autocompleted are the options whose values the bot suggests as the
// user types, keyed "command/option".
var autocompleted = map[string]func(typed string) []choice{
	"subscribe/timezone": zoneChoices,
	"help/command":       commandChoices,
}

// managementCommand reports whether a command changes the chat's
// settings or the shared source list, so that only members who may
// manage the server see it. The bot checks again when it runs.
func managementCommand(s bot.Spec) bool { return s.Admin || s.Name == "sources" }

// applicationCommands turns the command layer's specs into slash
// commands: every option a string, Choices as choices, some options
// autocompleted.
func applicationCommands(specs []bot.Spec) []*discordgo.ApplicationCommand {
	cmds := make([]*discordgo.ApplicationCommand, 0, len(specs))
	for _, s := range specs {
		c := &discordgo.ApplicationCommand{
			Type:        discordgo.ChatApplicationCommand,
			Name:        s.Name,
			Description: clip(s.Summary, descriptionMax),
			Options:     []*discordgo.ApplicationCommandOption{},
		}
		if managementCommand(s) {
			perm := manageServer
			c.DefaultMemberPermissions = &perm
		}
		for _, o := range s.Options {
			opt := &discordgo.ApplicationCommandOption{
				Type:        discordgo.ApplicationCommandOptionString,
				Name:        o.Name,
				Description: clip(o.Description, descriptionMax),
				Required:    o.Required,
			}
			if opt.Description == "" {
				opt.Description = o.Name
			}
			if _, ok := autocompleted[s.Name+"/"+o.Name]; ok {
				opt.Autocomplete = true
			} else {
				for i, ch := range o.Choices {
					if i == choicesMax {
						break
					}
					opt.Choices = append(opt.Choices, &discordgo.ApplicationCommandOptionChoice{Name: clip(ch, choiceMax), Value: clip(ch, choiceMax)})
				}
			}
			c.Options = append(c.Options, opt)
		}
		// Discord wants the required options first.
		sort.SliceStable(c.Options, func(i, j int) bool { return c.Options[i].Required && !c.Options[j].Required })
		cmds = append(cmds, c)
	}
	return cmds
}

// lookupSpec finds a command layer spec by name.
func lookupSpec(name string) (bot.Spec, bool) {
	for _, s := range bot.Specs() {
		if s.Name == name {
			return s, true
		}
	}
	return bot.Spec{}, false
}

// choice is one autocomplete suggestion.
type choice struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// commonZones are suggested before anything is typed.
var commonZones = []string{
	"UTC", "Europe/London", "Europe/Berlin", "Europe/Paris", "Europe/Madrid", "Europe/Rome",
	"Europe/Amsterdam", "Europe/Warsaw", "Europe/Kyiv", "Europe/Istanbul", "Europe/Moscow",
	"America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles",
	"America/Toronto", "America/Mexico_City", "America/Sao_Paulo", "Asia/Kolkata",
	"Asia/Dubai", "Asia/Shanghai", "Asia/Tokyo", "Asia/Singapore", "Australia/Sydney", "Africa/Lagos",
}

// zoneChoices suggests time zones whose name, or city part, starts with
// what the user typed ("ber", "europe/b", "new york"), case ignored.
func zoneChoices(typed string) []choice {
	q := strings.ToLower(strings.ReplaceAll(strings.TrimSpace(typed), " ", "_"))
	out := []choice{}
	if q == "" {
		for _, z := range commonZones {
			out = append(out, choice{Name: z, Value: z})
		}
		return out
	}
	var full, city []string
	for _, z := range zoneNames {
		lz := strings.ToLower(z)
		switch {
		case strings.HasPrefix(lz, q):
			full = append(full, z)
		case strings.HasPrefix(lz[strings.LastIndexByte(lz, '/')+1:], q):
			city = append(city, z)
		}
	}
	for _, z := range append(full, city...) {
		if len(out) == choicesMax {
			break
		}
		out = append(out, choice{Name: z, Value: z})
	}
	return out
}

// commandChoices suggests command names starting with what was typed.
func commandChoices(typed string) []choice {
	q := strings.ToLower(strings.TrimPrefix(strings.TrimSpace(typed), "/"))
	out := []choice{}
	for _, s := range bot.Specs() {
		if strings.HasPrefix(s.Name, q) && len(out) < choicesMax {
			out = append(out, choice{Name: clip("/"+s.Name+": "+s.Summary, choiceMax), Value: s.Name})
		}
	}
	return out
}

// clip cuts s to at most n code points, marking a cut with "…".
func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
