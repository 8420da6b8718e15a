package telegramtest_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/newsdigest/newsdigest/bot/telegram/telegramtest"
)

func TestGetMe(t *testing.T) {
	srv := start(t, telegramtest.Options{BotUsername: "digest_test_bot", BotName: "Digest"})
	bot := connect(t, srv) // NewBotAPIWithClient calls getMe
	if !bot.Self.IsBot || bot.Self.UserName != "digest_test_bot" || bot.Self.FirstName != "Digest" {
		t.Errorf("Self = %+v", bot.Self)
	}
	if bot.Self.ID != srv.Bot().ID || bot.Self.ID != 123456789 {
		t.Errorf("Self.ID = %d, want the token's %d", bot.Self.ID, srv.Bot().ID)
	}
	if n := srv.Calls("getMe"); n != 1 {
		t.Errorf("Calls(getMe) = %d, want 1", n)
	}
}

func TestWrongToken(t *testing.T) {
	srv := start(t, telegramtest.Options{})
	_, err := tgbotapi.NewBotAPIWithClient("123456789:wrong", srv.Endpoint(), srv.Client())
	wantError(t, err, 401, "Unauthorized")
}

func TestGetUpdatesChan(t *testing.T) {
	srv := start(t, telegramtest.Options{})
	bot := connect(t, srv)
	u := tgbotapi.NewUpdate(0)
	u.Timeout = 1
	updates := bot.GetUpdatesChan(u)
	t.Cleanup(bot.StopReceivingUpdates)

	tests := []struct {
		chat     telegramtest.Chat
		from     telegramtest.User
		text     string
		chatType string
		command  string
		args     string
	}{
		{telegramtest.Chat{}, alice, "/start", "private", "start", ""},
		{group, bob, "/digest@newsdigest_bot world news", "group", "digest", "world news"},
		{super, alice, "/sources", "supergroup", "sources", ""},
		{channel, telegramtest.User{}, "/digest tech", "channel", "digest", "tech"},
		{group, bob, "just chatting about /digest", "group", "", ""},
	}
	for _, tt := range tests {
		injected := srv.SendMessage(tt.chat, tt.from, tt.text)
		got := receive(t, updates)
		if got.UpdateID != injected.ID {
			t.Errorf("%q: update_id = %d, want %d", tt.text, got.UpdateID, injected.ID)
		}
		msg := got.Message
		if tt.chatType == "channel" {
			msg = got.ChannelPost
			if got.Message != nil {
				t.Errorf("%q: a channel post came as a message", tt.text)
			}
		}
		if msg == nil {
			t.Fatalf("%q: no message in update %+v", tt.text, got)
		}
		if msg.Chat.Type != tt.chatType || msg.Text != tt.text || msg.MessageID != injected.MessageID {
			t.Errorf("%q: chat %q text %q id %d", tt.text, msg.Chat.Type, msg.Text, msg.MessageID)
		}
		if tt.chatType == "channel" {
			if msg.From != nil || msg.SenderChat == nil || msg.SenderChat.ID != channel.ID {
				t.Errorf("%q: channel post from %+v sender_chat %+v", tt.text, msg.From, msg.SenderChat)
			}
		} else if msg.From == nil || msg.From.ID != tt.from.ID || msg.From.IsBot {
			t.Errorf("%q: from = %+v", tt.text, msg.From)
		}
		if msg.Command() != tt.command || msg.CommandArguments() != tt.args {
			t.Errorf("%q: Command() = %q args %q, want %q %q", tt.text, msg.Command(), msg.CommandArguments(), tt.command, tt.args)
		}
	}

	// The next poll confirms everything (offset = last + 1) ...
	if !srv.WaitFor(3*time.Second, func() bool { return srv.PendingUpdates() == 0 }) {
		t.Fatalf("updates not confirmed: %d pending", srv.PendingUpdates())
	}
	// ... so none was delivered twice.
	delivered := srv.Delivered()
	if len(delivered) != len(tests) {
		t.Errorf("Delivered = %v, want %d distinct updates", delivered, len(tests))
	}
	if !slices.IsSorted(delivered) || len(slices.Compact(slices.Clone(delivered))) != len(delivered) {
		t.Errorf("Delivered = %v: an update came twice or out of order", delivered)
	}
}

func TestSendHTML(t *testing.T) {
	srv := start(t, telegramtest.Options{Limits: telegramtest.NoLimits})
	bot := connect(t, srv)
	srv.SendMessage(telegramtest.Chat{}, alice, "/start")

	good := []struct {
		html     string
		text     string
		entities []tgbotapi.MessageEntity
	}{
		{"<b>Top stories</b> &amp; more", "Top stories & more",
			[]tgbotapi.MessageEntity{{Type: "bold", Offset: 0, Length: 11}}},
		{`😀 <a href="https://example.com/a?b=1&amp;c=2">Reuters</a>`, "😀 Reuters",
			[]tgbotapi.MessageEntity{{Type: "text_link", Offset: 3, Length: 7, URL: "https://example.com/a?b=1&c=2"}}},
		{"<i>“Quote”</i> — <u>Speaker</u>", "“Quote” — Speaker",
			[]tgbotapi.MessageEntity{{Type: "italic", Offset: 0, Length: 7}, {Type: "underline", Offset: 10, Length: 7}}},
		{"AT&T &lt;3", "AT&T <3", nil},
	}
	for _, tt := range good {
		m := tgbotapi.NewMessage(alice.ID, tt.html)
		m.ParseMode = tgbotapi.ModeHTML
		got, err := bot.Send(m)
		if err != nil {
			t.Errorf("%q: %v", tt.html, err)
			continue
		}
		if got.Text != tt.text || !slices.Equal(got.Entities, tt.entities) {
			t.Errorf("%q: text %q entities %+v, want %q %+v", tt.html, got.Text, got.Entities, tt.text, tt.entities)
		}
	}

	bad := []struct{ html, description string }{
		{"<b>unclosed", `Bad Request: can't parse entities: Can't find end tag corresponding to start tag "b"`},
		{"line<br>break", `Bad Request: can't parse entities: Unsupported start tag "br" at byte offset 4`},
		{"<b>x</i>", `Bad Request: can't parse entities: Unmatched end tag at byte offset 4, expected "</b>", found "</i>"`},
		{"score 3 < 4", `Bad Request: can't parse entities: Unsupported start tag "" at byte offset 8`},
		{`<a href=https://x.org>x</a>`, "Bad Request: can't parse entities: Unexpected end of name token at byte offset 8"},
	}
	for _, tt := range bad {
		m := tgbotapi.NewMessage(alice.ID, tt.html)
		m.ParseMode = tgbotapi.ModeHTML
		_, err := bot.Send(m)
		wantError(t, err, 400, tt.description)
	}
	if n := len(srv.Messages(alice.ID)); n != len(good) {
		t.Errorf("%d messages recorded, want %d (refused ones are not)", n, len(good))
	}
}

func TestSendLength(t *testing.T) {
	srv := start(t, telegramtest.Options{Limits: telegramtest.NoLimits})
	bot := connect(t, srv)
	srv.SendMessage(telegramtest.Chat{}, alice, "/start")
	tests := []struct {
		name, text, mode, description string
	}{
		{"limit", strings.Repeat("a", 4096), "", ""},
		{"one over", strings.Repeat("a", 4097), "", "Bad Request: message is too long"},
		{"markup is not counted", "<b>" + strings.Repeat("a", 4096) + "</b>", "HTML", ""},
		{"emoji count two UTF-16 units", strings.Repeat("😀", 2048), "", ""},
		{"2049 emoji are 4098 units", strings.Repeat("😀", 2049), "", "Bad Request: message is too long"},
		{"empty", "", "", "Bad Request: message text is empty"},
		{"empty after parsing", "<b> </b>", "HTML", "Bad Request: message must be non-empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := tgbotapi.NewMessage(alice.ID, tt.text)
			m.ParseMode = tt.mode
			_, err := bot.Send(m)
			if tt.description == "" {
				if err != nil {
					t.Fatalf("Send: %v", err)
				}
				return
			}
			wantError(t, err, 400, tt.description)
		})
	}
}

func TestFloodControl(t *testing.T) {
	clock := telegramtest.NewManualClock(time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC))
	srv := start(t, telegramtest.Options{Now: clock.Now})
	bot := connect(t, srv)
	srv.SendMessage(telegramtest.Chat{}, alice, "/digest")

	if _, err := bot.Send(tgbotapi.NewMessage(alice.ID, "part 1")); err != nil {
		t.Fatal(err)
	}
	_, err := bot.Send(tgbotapi.NewMessage(alice.ID, "part 2"))
	tgErr := wantError(t, err, 429, "Too Many Requests: retry after 1")
	if tgErr.RetryAfter != 1 {
		t.Fatalf("ResponseParameters.RetryAfter = %d, want 1", tgErr.RetryAfter)
	}
	if got := srv.UnresolvedFloodErrors(); len(got) != 1 || got[0].Text != "part 2" {
		t.Fatalf("UnresolvedFloodErrors = %+v, want part 2", got)
	}

	// A bot that waits retry_after and resends leaves nothing unhandled.
	clock.Advance(time.Duration(tgErr.RetryAfter) * time.Second)
	if _, err := bot.Send(tgbotapi.NewMessage(alice.ID, "part 2")); err != nil {
		t.Fatalf("resend after retry_after: %v", err)
	}
	if got := srv.UnresolvedFloodErrors(); len(got) != 0 {
		t.Errorf("UnresolvedFloodErrors = %+v, want none", got)
	}
	fe := srv.FloodErrors()
	if len(fe) != 1 || fe[0].EarlyRetries != 0 || !fe[0].ResentAt.Equal(clock.Now()) || fe[0].Scope != "chat" {
		t.Errorf("FloodErrors = %+v", fe)
	}
	msgs := srv.Messages(alice.ID)
	if len(msgs) != 2 || msgs[1].Sent.Sub(msgs[0].Sent) < time.Second {
		t.Errorf("Messages = %+v, want two a second apart", msgs)
	}
}

func TestForbidden(t *testing.T) {
	srv := start(t, telegramtest.Options{Limits: telegramtest.NoLimits})
	bot := connect(t, srv)
	srv.SendMessage(telegramtest.Chat{}, alice, "/start")
	srv.SendMessage(group, bob, "/start")
	srv.SendMessage(super, bob, "/start")
	srv.SetBlocked(alice.ID, true)
	srv.SetBlocked(group.ID, true)
	srv.SetBlocked(super.ID, true)

	tests := []struct {
		chatID      int64
		description string
	}{
		{alice.ID, "Forbidden: bot was blocked by the user"},
		{group.ID, "Forbidden: bot was kicked from the group chat"},
		{super.ID, "Forbidden: bot was kicked from the supergroup chat"},
	}
	for _, tt := range tests {
		_, err := bot.Send(tgbotapi.NewMessage(tt.chatID, "digest"))
		wantError(t, err, 403, tt.description)
	}
	if n := len(srv.AllMessages()); n != 0 {
		t.Errorf("%d messages accepted, want 0", n)
	}
}

func TestMigrate(t *testing.T) {
	srv := start(t, telegramtest.Options{Limits: telegramtest.NoLimits})
	bot := connect(t, srv)
	srv.SendMessage(group, bob, "/digest")
	srv.Migrate(group.ID, super.ID)

	_, err := bot.Send(tgbotapi.NewMessage(group.ID, "digest"))
	tgErr := wantError(t, err, 400, "Bad Request: group chat was upgraded to a supergroup chat")
	if tgErr.MigrateToChatID != super.ID {
		t.Fatalf("MigrateToChatID = %d, want %d", tgErr.MigrateToChatID, super.ID)
	}
	msg, err := bot.Send(tgbotapi.NewMessage(tgErr.MigrateToChatID, "digest"))
	if err != nil {
		t.Fatalf("send to the supergroup: %v", err)
	}
	if msg.Chat.Type != "supergroup" || msg.Chat.Title != group.Title {
		t.Errorf("chat = %+v, want the supergroup with the group's title", msg.Chat)
	}
}

func TestRequestsReturningTrue(t *testing.T) {
	srv := start(t, telegramtest.Options{})
	bot := connect(t, srv)
	srv.SendMessage(telegramtest.Chat{}, alice, "/start")

	tests := []struct {
		name string
		req  tgbotapi.Chattable
	}{
		{"setMyCommands", tgbotapi.NewSetMyCommands(
			tgbotapi.BotCommand{Command: "digest", Description: "Today's news digest"},
			tgbotapi.BotCommand{Command: "sources", Description: "List the sources"},
		)},
		{"deleteWebhook", tgbotapi.DeleteWebhookConfig{DropPendingUpdates: true}},
		{"sendChatAction", tgbotapi.NewChatAction(alice.ID, tgbotapi.ChatTyping)},
	}
	for _, tt := range tests {
		resp, err := bot.Request(tt.req)
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if !resp.Ok || string(resp.Result) != "true" {
			t.Errorf("%s: ok %v result %s, want true", tt.name, resp.Ok, resp.Result)
		}
	}
	want := []telegramtest.Command{{Command: "digest", Description: "Today's news digest"}, {Command: "sources", Description: "List the sources"}}
	if got := srv.Commands(); !slices.Equal(got, want) {
		t.Errorf("Commands = %+v, want %+v", got, want)
	}
	got, err := bot.GetMyCommands()
	if err != nil || len(got) != 2 || got[0].Command != "digest" {
		t.Errorf("GetMyCommands = %+v, %v", got, err)
	}
	if got := srv.ChatActions(alice.ID); !slices.Equal(got, []string{"typing"}) {
		t.Errorf("ChatActions = %v", got)
	}
	if srv.PendingUpdates() != 0 {
		t.Errorf("deleteWebhook drop_pending_updates left %d updates", srv.PendingUpdates())
	}
}

func TestSetMyCommandsInvalid(t *testing.T) {
	srv := start(t, telegramtest.Options{})
	bot := connect(t, srv)
	many := make([]tgbotapi.BotCommand, 101)
	for i := range many {
		many[i] = tgbotapi.BotCommand{Command: "c" + strings.Repeat("x", i%30), Description: "d"}
	}
	tests := []struct {
		name        string
		commands    []tgbotapi.BotCommand
		description string
	}{
		{"uppercase", []tgbotapi.BotCommand{{Command: "Digest", Description: "d"}}, "Bad Request: BOT_COMMAND_INVALID"},
		{"slash", []tgbotapi.BotCommand{{Command: "/digest", Description: "d"}}, "Bad Request: BOT_COMMAND_INVALID"},
		{"33 chars", []tgbotapi.BotCommand{{Command: strings.Repeat("a", 33), Description: "d"}}, "Bad Request: BOT_COMMAND_INVALID"},
		{"no description", []tgbotapi.BotCommand{{Command: "digest"}}, "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID"},
		{"long description", []tgbotapi.BotCommand{{Command: "digest", Description: strings.Repeat("é", 257)}}, "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID"},
		{"101 commands", many, "Bad Request: BOT_COMMANDS_TOO_MUCH"},
	}
	for _, tt := range tests {
		_, err := bot.Request(tgbotapi.NewSetMyCommands(tt.commands...))
		if err == nil {
			t.Errorf("%s: accepted", tt.name)
			continue
		}
		if e := apiError(t, err); e.Code != 400 || e.Message != tt.description {
			t.Errorf("%s: %d %q, want 400 %q", tt.name, e.Code, e.Message, tt.description)
		}
	}
	if got := srv.Commands(); len(got) != 0 {
		t.Errorf("Commands = %+v after refused requests", got)
	}
}

func TestWebhook(t *testing.T) {
	srv := start(t, telegramtest.Options{})
	bot := connect(t, srv)

	wh, err := tgbotapi.NewWebhook("http://example.com/hook")
	if err != nil {
		t.Fatal(err)
	}
	_, err = bot.Request(wh)
	wantError(t, err, 400, "Bad Request: bad webhook: An HTTPS URL must be provided for webhook")

	resp, err := bot.MakeRequest("setWebhook", tgbotapi.Params{
		"url": "https://example.com/hook", "secret_token": "s3cret_token-1", "allowed_updates": `["message"]`,
	})
	if err != nil || resp.Description != "Webhook was set" {
		t.Fatalf("setWebhook: %v %+v", err, resp)
	}
	if got := srv.WebhookInfo(); got.URL != "https://example.com/hook" || got.SecretToken != "s3cret_token-1" ||
		!slices.Equal(got.AllowedUpdates, []string{"message"}) {
		t.Errorf("WebhookInfo = %+v", got)
	}
	info, err := bot.GetWebhookInfo()
	if err != nil || !info.IsSet() || info.URL != "https://example.com/hook" {
		t.Errorf("GetWebhookInfo = %+v, %v", info, err)
	}
	_, err = bot.GetUpdates(tgbotapi.NewUpdate(0))
	wantError(t, err, 409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first")

	if _, err := bot.Request(tgbotapi.DeleteWebhookConfig{}); err != nil {
		t.Fatal(err)
	}
	if got := srv.WebhookInfo(); got.URL != "" {
		t.Errorf("WebhookInfo after deleteWebhook = %+v", got)
	}
	if _, err := bot.GetUpdates(tgbotapi.NewUpdate(0)); err != nil {
		t.Errorf("getUpdates after deleteWebhook: %v", err)
	}
}

func TestEditAndDelete(t *testing.T) {
	srv := start(t, telegramtest.Options{Limits: telegramtest.NoLimits})
	bot := connect(t, srv)
	in := srv.SendMessage(telegramtest.Chat{}, alice, "/digest")

	reply := tgbotapi.NewMessage(alice.ID, "Working on it…")
	reply.ReplyToMessageID = in.MessageID
	reply.ReplyMarkup = tgbotapi.NewInlineKeyboardMarkup(tgbotapi.NewInlineKeyboardRow(
		tgbotapi.NewInlineKeyboardButtonData("Cancel", "cancel"),
	))
	sent, err := bot.Send(reply)
	if err != nil {
		t.Fatal(err)
	}
	if sent.MessageID != in.MessageID+1 || sent.ReplyToMessage == nil || sent.ReplyToMessage.MessageID != in.MessageID {
		t.Errorf("sent = id %d reply_to %+v", sent.MessageID, sent.ReplyToMessage)
	}
	if sent.ReplyMarkup == nil || sent.ReplyMarkup.InlineKeyboard[0][0].Text != "Cancel" {
		t.Errorf("reply_markup not echoed: %+v", sent.ReplyMarkup)
	}

	edit := tgbotapi.NewEditMessageText(alice.ID, sent.MessageID, "<b>Digest</b> ready")
	edit.ParseMode = tgbotapi.ModeHTML
	edited, err := bot.Send(edit)
	if err != nil || edited.Text != "Digest ready" || edited.EditDate == 0 {
		t.Fatalf("edit = %+v, %v", edited, err)
	}
	_, err = bot.Send(edit)
	wantError(t, err, 400, "Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message")
	_, err = bot.Send(tgbotapi.NewEditMessageText(alice.ID, in.MessageID, "not mine"))
	wantError(t, err, 400, "Bad Request: message can't be edited")

	if _, err := bot.Request(tgbotapi.NewDeleteMessage(alice.ID, sent.MessageID)); err != nil {
		t.Fatal(err)
	}
	_, err = bot.Request(tgbotapi.NewDeleteMessage(alice.ID, sent.MessageID))
	wantError(t, err, 400, "Bad Request: message to delete not found")
	_, err = bot.Send(tgbotapi.NewEditMessageText(alice.ID, sent.MessageID, "again"))
	wantError(t, err, 400, "Bad Request: message to edit not found")

	msgs := srv.Messages(alice.ID)
	if len(msgs) != 1 || msgs[0].Text != "Digest ready" || msgs[0].Edits != 1 || !msgs[0].Deleted ||
		msgs[0].ReplyToMessageID != in.MessageID {
		t.Errorf("Messages = %+v", msgs)
	}
	reply.ReplyToMessageID = 999
	_, err = bot.Send(reply)
	wantError(t, err, 400, "Bad Request: message to be replied not found")
}

func TestChatsAndMembers(t *testing.T) {
	srv := start(t, telegramtest.Options{Chats: []telegramtest.Chat{super}})
	bot := connect(t, srv)
	srv.SetMember(super.ID, telegramtest.Member{User: alice, Status: "creator"})
	srv.SetMember(super.ID, telegramtest.Member{User: bob, Status: "administrator"})
	carol := telegramtest.User{ID: 1003, FirstName: "Carol"}
	srv.SetMember(super.ID, telegramtest.Member{User: carol, Status: "restricted"})

	chat, err := bot.GetChat(tgbotapi.ChatInfoConfig{ChatConfig: tgbotapi.ChatConfig{SuperGroupUsername: "@worlddesk"}})
	if err != nil || chat.ID != super.ID || chat.Type != "supergroup" || chat.Title != super.Title {
		t.Errorf("GetChat(@worlddesk) = %+v, %v", chat, err)
	}
	tests := []struct {
		user   int64
		status string
	}{
		{alice.ID, "creator"}, {bob.ID, "administrator"}, {carol.ID, "restricted"}, {srv.Bot().ID, "member"},
	}
	for _, tt := range tests {
		m, err := bot.GetChatMember(tgbotapi.GetChatMemberConfig{ChatConfigWithUser: tgbotapi.ChatConfigWithUser{ChatID: super.ID, UserID: tt.user}})
		if err != nil || m.Status != tt.status || m.User.ID != tt.user {
			t.Errorf("GetChatMember(%d) = %+v, %v; want %s", tt.user, m, err, tt.status)
		}
	}
	_, err = bot.GetChatMember(tgbotapi.GetChatMemberConfig{ChatConfigWithUser: tgbotapi.ChatConfigWithUser{ChatID: super.ID, UserID: 777}})
	wantError(t, err, 400, "Bad Request: user not found")

	admins, err := bot.GetChatAdministrators(tgbotapi.ChatAdministratorsConfig{ChatConfig: tgbotapi.ChatConfig{ChatID: super.ID}})
	if err != nil || len(admins) != 2 || !admins[0].IsCreator() || !admins[1].IsAdministrator() {
		t.Errorf("GetChatAdministrators = %+v, %v", admins, err)
	}
	_, err = bot.GetChat(tgbotapi.ChatInfoConfig{ChatConfig: tgbotapi.ChatConfig{ChatID: 42}})
	wantError(t, err, 400, "Bad Request: chat not found")
}
