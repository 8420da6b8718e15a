package discordtest

import (
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Application command types.
const (
	CommandChatInput = 1
	CommandUser      = 2
	CommandMessage   = 3
)

// Application command option types.
const (
	OptionSubCommand      = 1
	OptionSubCommandGroup = 2
	OptionString          = 3
	OptionInteger         = 4
	OptionBoolean         = 5
	OptionUser            = 6
	OptionChannel         = 7
	OptionRole            = 8
	OptionMentionable     = 9
	OptionNumber          = 10
	OptionAttachment      = 11
)

// Discord's application command limits.
const (
	maxCommandOptions   = 25
	maxCommandChoices   = 25
	maxChatCommands     = 100
	maxCommandTotalSize = 4000
)

// commandName is Discord's rule for CHAT_INPUT command and option names
// (which must also be lowercase where a lowercase form exists).
var commandName = regexp.MustCompile(`^[-_'\p{L}\p{N}\p{Devanagari}\p{Thai}]{1,32}$`)

// Command is a registered application command.
type Command struct {
	ID                       string            `json:"id"`
	ApplicationID            string            `json:"application_id"`
	GuildID                  string            `json:"guild_id,omitempty"`
	Version                  string            `json:"version"`
	Type                     int               `json:"type"`
	Name                     string            `json:"name"`
	NameLocalizations        map[string]string `json:"name_localizations,omitempty"`
	Description              string            `json:"description"`
	DescriptionLocalizations map[string]string `json:"description_localizations,omitempty"`
	Options                  []CommandOption   `json:"options,omitempty"`
	// DefaultMemberPermissions is a decimal permission bit set; nil means
	// everyone may use the command, "0" only administrators.
	DefaultMemberPermissions *string `json:"default_member_permissions"`
	DMPermission             *bool   `json:"dm_permission,omitempty"`
	Contexts                 []int   `json:"contexts,omitempty"`
	IntegrationTypes         []int   `json:"integration_types,omitempty"`
	NSFW                     bool    `json:"nsfw"`
}

// CommandOption is a command's parameter, sub-command or group.
type CommandOption struct {
	Type         int             `json:"type"`
	Name         string          `json:"name"`
	Description  string          `json:"description"`
	Required     bool            `json:"required,omitempty"`
	Choices      []CommandChoice `json:"choices,omitempty"`
	Options      []CommandOption `json:"options,omitempty"`
	ChannelTypes []int           `json:"channel_types,omitempty"`
	MinValue     *float64        `json:"min_value,omitempty"`
	MaxValue     *float64        `json:"max_value,omitempty"`
	MinLength    *int            `json:"min_length,omitempty"`
	MaxLength    *int            `json:"max_length,omitempty"`
	Autocomplete bool            `json:"autocomplete,omitempty"`
}

// CommandChoice is one fixed value of an option.
type CommandChoice struct {
	Name  string `json:"name"`
	Value any    `json:"value"`
}

// Overwrite records one bulk overwrite (PUT) of a scope's commands.
type Overwrite struct {
	// GuildID is "" for global commands.
	GuildID  string
	Commands []Command
	At       time.Time
}

// commandBody reads default_member_permissions raw, to tell a string from
// a number.
type commandBody struct {
	Command
	DefaultMemberPermissions json.RawMessage `json:"default_member_permissions"`
}

// commandScope checks the application and guild of a commands route and
// returns the scope key ("" for global).
func (s *Server) commandScope(c *call) (string, bool) {
	if c.params["application_id"] != s.opts.ApplicationID {
		c.fail(http.StatusForbidden, 50001, "Missing Access")
		return "", false
	}
	g := c.params["guild_id"]
	if g != "" && s.guildByID[g] == nil {
		c.fail(http.StatusForbidden, 50001, "Missing Access")
		return "", false
	}
	return g, true
}

func (s *Server) listCommands(c *call) {
	scope, ok := s.commandScope(c)
	if !ok {
		return
	}
	c.ok(append([]Command{}, s.commands[scope]...))
}

func (s *Server) getCommand(c *call) {
	scope, ok := s.commandScope(c)
	if !ok {
		return
	}
	for _, cmd := range s.commands[scope] {
		if cmd.ID == c.params["command_id"] {
			c.ok(cmd)
			return
		}
	}
	c.fail(http.StatusNotFound, 10063, "Unknown application command")
}

func (s *Server) deleteCommand(c *call) {
	scope, ok := s.commandScope(c)
	if !ok {
		return
	}
	cmds := s.commands[scope]
	i := slices.IndexFunc(cmds, func(cmd Command) bool { return cmd.ID == c.params["command_id"] })
	if i < 0 {
		c.fail(http.StatusNotFound, 10063, "Unknown application command")
		return
	}
	s.commands[scope] = slices.Delete(slices.Clone(cmds), i, i+1)
	s.notifyLocked()
	c.noContent()
}

func (s *Server) overwriteCommands(c *call) {
	scope, ok := s.commandScope(c)
	if !ok {
		return
	}
	var raws []json.RawMessage
	if !c.decode(c.body, &raws) {
		return
	}
	fe := &formErrors{}
	cmds := make([]Command, 0, len(raws))
	seen := map[string]bool{}
	chat := 0
	for i, raw := range raws {
		cmd, ok := parseCommand(raw, strconv.Itoa(i), fe)
		if !ok {
			continue
		}
		key := strconv.Itoa(cmd.Type) + "/" + cmd.Name
		if seen[key] {
			fe.add(join(strconv.Itoa(i), "name"), "APPLICATION_COMMANDS_DUPLICATE_NAME", "Application command names must be unique")
		}
		seen[key] = true
		if cmd.Type == CommandChatInput {
			chat++
		}
		cmds = append(cmds, cmd)
	}
	if chat > maxChatCommands {
		fe.add("", "BASE_TYPE_MAX_LENGTH", fmt.Sprintf("Must be %d or fewer in length.", maxChatCommands))
	}
	if !fe.empty() {
		c.invalid(fe)
		return
	}
	old := s.commands[scope]
	for i := range cmds {
		s.registerLocked(&cmds[i], scope, old, c.now)
	}
	s.commands[scope] = cmds
	s.overwrites = append(s.overwrites, Overwrite{GuildID: scope, Commands: slices.Clone(cmds), At: c.now})
	s.notifyLocked()
	c.ok(cmds)
}

func (s *Server) createCommand(c *call) {
	scope, ok := s.commandScope(c)
	if !ok {
		return
	}
	fe := &formErrors{}
	cmd, ok := parseCommand(c.body, "", fe)
	if !ok || !fe.empty() {
		if fe.empty() {
			c.badJSON()
			return
		}
		c.invalid(fe)
		return
	}
	cmds := slices.Clone(s.commands[scope])
	s.registerLocked(&cmd, scope, cmds, c.now)
	i := slices.IndexFunc(cmds, func(x Command) bool { return x.ID == cmd.ID })
	status := http.StatusOK
	if i >= 0 {
		cmds[i] = cmd
	} else {
		cmds = append(cmds, cmd)
		status = http.StatusCreated
	}
	s.commands[scope] = cmds
	s.notifyLocked()
	c.status = status
	c.writeJSON(status, cmd)
}

// registerLocked gives cmd its IDs, keeping the ID of an existing command
// with the same name and type, as Discord does.
func (s *Server) registerLocked(cmd *Command, scope string, existing []Command, now time.Time) {
	cmd.ApplicationID = s.opts.ApplicationID
	cmd.GuildID = scope
	cmd.Version = s.newID(now)
	cmd.ID = s.newID(now)
	for _, e := range existing {
		if e.Name == cmd.Name && e.Type == cmd.Type {
			cmd.ID = e.ID
		}
	}
}

// parseCommand decodes and validates one command; ok is false when the
// JSON does not even decode (the error is in fe).
func parseCommand(raw json.RawMessage, path string, fe *formErrors) (Command, bool) {
	var b commandBody
	if err := json.Unmarshal(raw, &b); err != nil {
		fe.add(path, "DICT_TYPE_CONVERT", "Only dictionaries may be used in a DictType")
		return Command{}, false
	}
	cmd := b.Command
	if cmd.Type == 0 {
		cmd.Type = CommandChatInput
	}
	switch perms := strings.TrimSpace(string(b.DefaultMemberPermissions)); {
	case perms == "" || perms == "null":
		cmd.DefaultMemberPermissions = nil
	default:
		var v string
		if json.Unmarshal(b.DefaultMemberPermissions, &v) != nil {
			fe.add(join(path, "default_member_permissions"), "BASE_TYPE_STRING", "Must be a string.")
			break
		}
		if _, err := strconv.ParseUint(v, 10, 64); err != nil {
			fe.add(join(path, "default_member_permissions"), "NUMBER_TYPE_COERCE", fmt.Sprintf("Value %q is not int.", v))
			break
		}
		cmd.DefaultMemberPermissions = &v
	}
	validateCommand(&cmd, path, fe)
	return cmd, true
}

func validateCommand(cmd *Command, path string, fe *formErrors) {
	switch cmd.Type {
	case CommandChatInput:
		checkChatName(join(path, "name"), cmd.Name, fe)
		fe.between(join(path, "description"), cmd.Description, 1, 100)
		validateOptions(cmd.Options, join(path, "options"), 0, fe)
	case CommandUser, CommandMessage:
		fe.between(join(path, "name"), cmd.Name, 1, 32)
		if cmd.Description != "" {
			fe.add(join(path, "description"), "APPLICATION_COMMAND_INVALID_DESCRIPTION", "Context menu commands cannot have a description")
		}
		if len(cmd.Options) > 0 {
			fe.add(join(path, "options"), "APPLICATION_COMMAND_INVALID_OPTIONS", "Context menu commands cannot have options")
		}
	default:
		fe.add(join(path, "type"), "BASE_TYPE_CHOICES", "Value must be one of {1, 2, 3}.")
		return
	}
	for loc, name := range cmd.NameLocalizations {
		fe.between(join(path, "name_localizations", loc), name, 1, 32)
	}
	for loc, d := range cmd.DescriptionLocalizations {
		fe.between(join(path, "description_localizations", loc), d, 1, 100)
	}
	if commandSize(cmd) > maxCommandTotalSize {
		fe.add(path, "APPLICATION_COMMAND_TOO_LARGE", fmt.Sprintf("Command exceeds maximum size (%d)", maxCommandTotalSize))
	}
}

func checkChatName(path, name string, fe *formErrors) {
	if n := utf8.RuneCountInString(name); n < 1 || n > 32 {
		fe.between(path, name, 1, 32)
		return
	}
	if !commandName.MatchString(name) || strings.ToLower(name) != name {
		fe.add(path, "APPLICATION_COMMAND_INVALID_NAME", "Command name is invalid")
	}
}

// validateOptions checks one level of options. parent is 0 at the top,
// OptionSubCommand or OptionSubCommandGroup below one.
func validateOptions(opts []CommandOption, path string, parent int, fe *formErrors) {
	if len(opts) > maxCommandOptions {
		fe.add(path, "BASE_TYPE_MAX_LENGTH", fmt.Sprintf("Must be %d or fewer in length.", maxCommandOptions))
	}
	names := map[string]bool{}
	optional, subs, values := false, 0, 0
	for i, o := range opts {
		p := join(path, i)
		if names[o.Name] {
			fe.add(join(p, "name"), "APPLICATION_COMMAND_OPTIONS_NAME_ALREADY_EXISTS", "Option names must be unique")
		}
		names[o.Name] = true
		checkChatName(join(p, "name"), o.Name, fe)
		fe.between(join(p, "description"), o.Description, 1, 100)
		if o.Type < OptionSubCommand || o.Type > OptionAttachment {
			fe.add(join(p, "type"), "BASE_TYPE_CHOICES", "Value must be one of {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}.")
			continue
		}
		if o.Type == OptionSubCommand || o.Type == OptionSubCommandGroup {
			subs++
			switch {
			case o.Type == OptionSubCommandGroup && parent != 0,
				o.Type == OptionSubCommand && parent == OptionSubCommand:
				fe.add(join(p, "type"), "APPLICATION_COMMAND_OPTIONS_TYPE_INVALID", "Sub-commands cannot be nested this deep")
			case o.Type == OptionSubCommandGroup:
				for j, so := range o.Options {
					if so.Type != OptionSubCommand {
						fe.add(join(p, "options", j, "type"), "APPLICATION_COMMAND_OPTIONS_TYPE_INVALID", "Sub-command groups may only contain sub-commands")
					}
				}
				validateOptions(o.Options, join(p, "options"), OptionSubCommandGroup, fe)
			default:
				validateOptions(o.Options, join(p, "options"), OptionSubCommand, fe)
			}
			continue
		}
		values++
		if parent == OptionSubCommandGroup {
			fe.add(join(p, "type"), "APPLICATION_COMMAND_OPTIONS_TYPE_INVALID", "Sub-command groups may only contain sub-commands")
		}
		if o.Required && optional {
			fe.add(join(p, "required"), "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID", "Required options must be placed before non-required options")
		}
		if !o.Required {
			optional = true
		}
		validateChoices(o, p, fe)
	}
	if subs > 0 && values > 0 {
		fe.add(path, "APPLICATION_COMMAND_OPTIONS_TYPE_INVALID", "Sub-command and sub-command group option types are mutually exclusive to all other types")
	}
}

func validateChoices(o CommandOption, p string, fe *formErrors) {
	choosable := o.Type == OptionString || o.Type == OptionInteger || o.Type == OptionNumber
	if len(o.Choices) > 0 && !choosable {
		fe.add(join(p, "choices"), "APPLICATION_COMMAND_OPTION_CHOICES_INVALID", "Only string, integer and number options may have choices")
		return
	}
	if o.Autocomplete && !choosable {
		fe.add(join(p, "autocomplete"), "APPLICATION_COMMAND_AUTOCOMPLETE_INVALID", "Only string, integer and number options may autocomplete")
	}
	if o.Autocomplete && len(o.Choices) > 0 {
		fe.add(join(p, "autocomplete"), "APPLICATION_COMMAND_AUTOCOMPLETE_INVALID", "Autocomplete and choices cannot both be set")
	}
	if len(o.Choices) > maxCommandChoices {
		fe.add(join(p, "choices"), "BASE_TYPE_MAX_LENGTH", fmt.Sprintf("Must be %d or fewer in length.", maxCommandChoices))
	}
	for j, ch := range o.Choices {
		cp := join(p, "choices", j)
		fe.between(join(cp, "name"), ch.Name, 1, 100)
		switch o.Type {
		case OptionString:
			v, ok := ch.Value.(string)
			if !ok {
				fe.add(join(cp, "value"), "BASE_TYPE_STRING", "Must be a string.")
			} else {
				fe.between(join(cp, "value"), v, 1, 100)
			}
		case OptionInteger:
			v, ok := ch.Value.(float64)
			if !ok || v != math.Trunc(v) {
				fe.add(join(cp, "value"), "NUMBER_TYPE_COERCE", fmt.Sprintf("Value %v is not int.", ch.Value))
			}
		case OptionNumber:
			if _, ok := ch.Value.(float64); !ok {
				fe.add(join(cp, "value"), "NUMBER_TYPE_COERCE", fmt.Sprintf("Value %v is not a number.", ch.Value))
			}
		}
	}
}

// commandSize is the combined length Discord limits to 4000: names,
// descriptions and choice names and values, at every level.
func commandSize(cmd *Command) int {
	n := utf8.RuneCountInString(cmd.Name) + utf8.RuneCountInString(cmd.Description)
	var walk func([]CommandOption)
	walk = func(opts []CommandOption) {
		for _, o := range opts {
			n += utf8.RuneCountInString(o.Name) + utf8.RuneCountInString(o.Description)
			for _, ch := range o.Choices {
				n += utf8.RuneCountInString(ch.Name) + utf8.RuneCountInString(fmt.Sprint(ch.Value))
			}
			walk(o.Options)
		}
	}
	walk(cmd.Options)
	return n
}

// commandLocked finds a command by name and type, guild scope first.
func (s *Server) commandLocked(guildID, name string, typ int) (Command, bool) {
	scopes := []string{""}
	if guildID != "" {
		scopes = []string{guildID, ""}
	}
	for _, scope := range scopes {
		for _, cmd := range s.commands[scope] {
			if cmd.Name == name && cmd.Type == typ {
				return cmd, true
			}
		}
	}
	return Command{}, false
}

// Commands returns the registered commands of a guild, or the global ones
// for guildID "".
func (s *Server) Commands(guildID string) []Command {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.commands[guildID])
}

// Overwrites returns every accepted bulk overwrite, in order.
func (s *Server) Overwrites() []Overwrite {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.overwrites)
}
