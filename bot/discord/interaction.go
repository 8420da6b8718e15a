package discord

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/bwmarrin/discordgo"

	"github.com/newsdigest/newsdigest/bot"
	"github.com/newsdigest/newsdigest/store"
)

// publicCommands answer in the channel for everyone to see; the others
// (settings, help, status) answer only the member who asked. Discord fixes
// this when the interaction is deferred, before the answer is known.
var publicCommands = map[string]bool{"digest": true, "search": true, "quotes": true, "story": true, "add": true}

// Interaction callback types and message flags.
const (
	callbackPong         = 1
	callbackDeferred     = 5 // DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE: "thinking…"
	callbackAutocomplete = 8
	flagEphemeral        = 1 << 6
)

// interactionResponse is the initial response to an interaction, sent as
// a callback (gateway) or as the HTTP response (interactions endpoint).
type interactionResponse struct {
	Type int `json:"type"`
	Data any `json:"data,omitempty"`
}

type deferredData struct {
	Flags int `json:"flags,omitempty"`
}

type autocompleteData struct {
	Choices []choice `json:"choices"`
}

// errUnsupported marks interactions the bot has no answer for (buttons,
// modals: it sends none).
var errUnsupported = errors.New("unsupported interaction type")

// prepare decides the initial response to an interaction and the work to
// do after it (nil when none): the bot's answer for a command,
// suggestions for autocomplete.
func (a *Adapter) prepare(i *discordgo.Interaction) (interactionResponse, func(context.Context), error) {
	if !isSnowflake(i.ID) || !validToken(i.Token) || (i.AppID != "" && !isSnowflake(i.AppID)) {
		return interactionResponse{}, nil, errors.New("interaction without a valid id or token")
	}
	switch i.Type {
	case discordgo.InteractionApplicationCommand:
		data, _ := i.Data.(discordgo.ApplicationCommandInteractionData)
		req := a.request(i, data)
		ephemeral := !publicCommands[req.Command]
		flags := 0
		if ephemeral {
			flags = flagEphemeral
		}
		work := func(ctx context.Context) { a.answer(ctx, i, req, ephemeral) }
		return interactionResponse{Type: callbackDeferred, Data: deferredData{Flags: flags}}, work, nil
	case discordgo.InteractionApplicationCommandAutocomplete:
		data, _ := i.Data.(discordgo.ApplicationCommandInteractionData)
		return interactionResponse{Type: callbackAutocomplete, Data: autocompleteData{Choices: suggest(data)}}, nil, nil
	}
	return interactionResponse{}, nil, fmt.Errorf("%w %d", errUnsupported, i.Type)
}

// validToken reports whether an interaction token can go into a URL path
// as one segment.
func validToken(t string) bool {
	if t == "" || len(t) > 1000 {
		return false
	}
	for _, r := range t {
		if r <= ' ' || r >= 0x7f || strings.ContainsRune("/?#%\\", r) {
			return false
		}
	}
	return true
}

// onInteractionCreate answers interactions from the gateway: the deferred
// response at once, then the answer.
func (a *Adapter) onInteractionCreate(_ *discordgo.Session, ic *discordgo.InteractionCreate) {
	defer a.recoverPanic("INTERACTION_CREATE")
	if ic == nil || ic.Interaction == nil {
		return
	}
	i := ic.Interaction
	if !a.inflight.add() {
		return // shutting down
	}
	defer a.inflight.done()
	resp, work, err := a.prepare(i)
	if err != nil {
		a.log.Debug("discord: interaction ignored", "id", i.ID, "type", int(i.Type), "error", err)
		return
	}
	ctx, cancel := context.WithTimeout(a.ctx, ackTimeout)
	err = a.callback(ctx, i, resp)
	cancel()
	if err != nil {
		a.log.Warn("discord: acknowledge interaction", "id", i.ID, "command", commandName(i), "error", err)
		return
	}
	if work != nil {
		ctx, cancel := context.WithTimeout(a.ctx, answerTimeout)
		defer cancel()
		work(ctx)
	}
}

// request turns a slash command into the command layer's Request.
func (a *Adapter) request(i *discordgo.Interaction, data discordgo.ApplicationCommandInteractionData) bot.Request {
	req := bot.Request{
		Platform: store.Discord,
		ChatID:   i.ChannelID,
		GuildID:  i.GuildID,
		ChatName: a.channelName(i.ChannelID),
		Command:  strings.ToLower(data.Name),
	}
	user := i.User
	if i.Member != nil && i.Member.User != nil {
		user = i.Member.User
	}
	if user != nil {
		req.UserID = user.ID
		req.UserName = user.Username
		if user.GlobalName != "" {
			req.UserName = user.GlobalName
		}
	}
	switch {
	case i.GuildID != "":
		req.Kind = bot.Group
		var perms int64
		if i.Member != nil {
			perms = i.Member.Permissions // in this channel, overwrites applied
		}
		req.IsAdmin = func(context.Context) (bool, error) {
			return perms&(discordgo.PermissionAdministrator|discordgo.PermissionManageGuild) != 0, nil
		}
	case i.Context == discordgo.InteractionContextPrivateChannel:
		// A group DM (user-installed apps): nobody administers it.
		req.Kind = bot.Group
		req.IsAdmin = func(context.Context) (bool, error) { return false, nil }
	default:
		req.Kind = bot.Private // the member's DM with the bot
	}
	req.Args = commandArgs(req.Command, data.Options)
	return req
}

// commandArgs lays the options out as the words a text command would
// have, in the spec's order, so that the command layer parses both alike.
func commandArgs(command string, opts []*discordgo.ApplicationCommandInteractionDataOption) []string {
	spec, ok := lookupSpec(command)
	if !ok {
		return nil
	}
	given := map[string]string{}
	for _, o := range opts {
		if o != nil {
			given[o.Name] = optionString(o.Value)
		}
	}
	// "/sources target:<url>" without an action means add; with an id, remove.
	if command == "sources" && strings.TrimSpace(given["action"]) == "" && strings.TrimSpace(given["target"]) != "" {
		given["action"] = "add"
		if _, err := strconv.ParseInt(strings.TrimPrefix(strings.TrimSpace(given["target"]), "#"), 10, 64); err == nil {
			given["action"] = "remove"
		}
	}
	var args []string
	for _, o := range spec.Options {
		args = append(args, strings.Fields(given[o.Name])...)
	}
	return args
}

func optionString(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case nil:
		return ""
	}
	return fmt.Sprint(v)
}

// suggest answers an autocomplete interaction for the focused option.
func suggest(data discordgo.ApplicationCommandInteractionData) []choice {
	for _, o := range data.Options {
		if o == nil || !o.Focused {
			continue
		}
		if f, ok := autocompleted[strings.ToLower(data.Name)+"/"+o.Name]; ok {
			return f(optionString(o.Value))
		}
	}
	return []choice{}
}

// channelName is the channel's name from the gateway state, "" when
// unknown (HTTP interactions, DMs).
func (a *Adapter) channelName(id string) string {
	if a.cfg.HTTPOnly || id == "" {
		return ""
	}
	ch, err := a.s.State.Channel(id)
	if err != nil || ch == nil {
		return ""
	}
	return ch.Name
}

func commandName(i *discordgo.Interaction) string {
	if data, ok := i.Data.(discordgo.ApplicationCommandInteractionData); ok {
		return data.Name
	}
	return ""
}

// answer runs the command and replaces the deferred response with the
// reply. A panic is logged and the user told, never left "thinking".
func (a *Adapter) answer(ctx context.Context, i *discordgo.Interaction, req bot.Request, deferredEphemeral bool) {
	defer func() {
		if r := recover(); r != nil {
			a.recoverPanicValue("answer /"+req.Command, r)
			msg := messageBody{Content: escapeText("Something went wrong on our side. It has been logged; please try again later."), Embeds: noEmbeds()}
			if err := a.editOriginal(ctx, i, msg); err != nil {
				a.log.Warn("discord: tell the user about a failure", "id", i.ID, "error", err)
			}
		}
	}()
	if a.beforeAnswer != nil {
		a.beforeAnswer(req)
	}
	reply := a.bot.Handle(ctx, req)
	a.deliver(ctx, i, replyMessages(reply), deferredEphemeral, reply.Ephemeral)
}

// deliver puts the reply in place of the deferred response: the first
// message edits it, the others follow. A private reply to a public
// command (an error, "no quotes found") cannot turn the public
// "thinking…" message private: that message is deleted and the reply
// sent as private followups.
func (a *Adapter) deliver(ctx context.Context, i *discordgo.Interaction, msgs []messageBody, deferredEphemeral, replyEphemeral bool) {
	if replyEphemeral && !deferredEphemeral {
		if err := a.deleteOriginal(ctx, i); err != nil {
			a.log.Warn("discord: delete the public placeholder", "id", i.ID, "error", err)
		}
		for _, m := range msgs {
			m.Flags = flagEphemeral
			if err := a.followup(ctx, i, m); err != nil {
				a.log.Warn("discord: send a private reply", "id", i.ID, "error", err)
				return
			}
		}
		return
	}
	if err := a.editOriginal(ctx, i, msgs[0]); err != nil {
		a.log.Error("discord: edit the deferred response", "id", i.ID, "command", commandName(i), "error", err)
		if isClientError(err) && apiCode(err) != codeUnknownWebhook {
			// Discord refused the reply itself (a rendering bug): say so
			// rather than leave the user waiting.
			apology := messageBody{Content: escapeText("Sorry, I could not show the answer here. It has been logged."), Embeds: noEmbeds()}
			if err := a.editOriginal(ctx, i, apology); err != nil {
				a.log.Warn("discord: tell the user about a failure", "id", i.ID, "error", err)
			}
		}
		return
	}
	for _, m := range msgs[1:] {
		if deferredEphemeral {
			m.Flags = flagEphemeral
		}
		if err := a.followup(ctx, i, m); err != nil {
			a.log.Warn("discord: send a followup", "id", i.ID, "command", commandName(i), "error", err)
			return
		}
	}
}

// recoverPanicValue logs a recovered panic with its stack.
func (a *Adapter) recoverPanicValue(where string, r any) {
	a.log.Error("discord: panic recovered", "in", where, "panic", a.redact.redact(fmt.Sprint(r)), "stack", stack())
}
