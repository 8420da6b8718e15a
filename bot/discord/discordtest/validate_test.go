package discordtest

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestFormErrorsShape(t *testing.T) {
	fe := &formErrors{}
	fe.maxLen("embeds.0.title", strings.Repeat("x", 257), 256)
	fe.add("", "ROOT", "root error")
	got, err := json.Marshal(fe.tree)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"_errors":[{"code":"ROOT","message":"root error"}],"embeds":{"0":{"title":{"_errors":[{"code":"BASE_TYPE_MAX_LENGTH","message":"Must be 256 or fewer in length."}]}}}}`
	if string(got) != want {
		t.Errorf("errors = %s\nwant     %s", got, want)
	}
}

func TestNonceString(t *testing.T) {
	tests := []struct {
		raw  string
		want string
		ok   bool
	}{
		{``, "", true},
		{`null`, "", true},
		{`"abc"`, "abc", true},
		{`1234567890123456789`, "1234567890123456789", true},
		{`"` + strings.Repeat("a", 26) + `"`, "", false},
		{`1.5`, "", false},
		{`{}`, "", false},
	}
	for _, tt := range tests {
		got, ok := nonceString(json.RawMessage(tt.raw))
		if ok != tt.ok || ok && got != tt.want {
			t.Errorf("nonceString(%s) = %q, %v; want %q, %v", tt.raw, got, ok, tt.want, tt.ok)
		}
	}
}

func TestValidateCommand(t *testing.T) {
	sub := func(name string, opts ...CommandOption) CommandOption {
		return CommandOption{Type: OptionSubCommand, Name: name, Description: "d", Options: opts}
	}
	str := CommandOption{Type: OptionString, Name: "s", Description: "d"}
	bigChoices := make([]CommandChoice, 25)
	for i := range bigChoices {
		bigChoices[i] = CommandChoice{Name: strings.Repeat("n", 99) + string(rune('a'+i)), Value: strings.Repeat("v", 100)}
	}
	tests := []struct {
		name string
		cmd  Command
		path string // "" with ok: no errors; "_" : an error at the root
		ok   bool
	}{
		{"ok", Command{Name: "digest", Description: "d", Options: []CommandOption{sub("a", str), sub("b")}}, "", true},
		{"ok non-latin name", Command{Name: "дайджест", Description: "d"}, "", true},
		{"ok context menu", Command{Type: CommandMessage, Name: "Summarise This"}, "", true},
		{"context menu description", Command{Type: CommandUser, Name: "Who", Description: "x"}, "description", false},
		{"mixed sub-commands and values", Command{Name: "digest", Description: "d", Options: []CommandOption{sub("a"), str}}, "options", false},
		{"nested sub-command", Command{Name: "digest", Description: "d", Options: []CommandOption{sub("a", sub("b"))}}, "options.0.options.0.type", false},
		{"choices on boolean", Command{Name: "digest", Description: "d", Options: []CommandOption{{Type: OptionBoolean, Name: "b", Description: "d", Choices: []CommandChoice{{Name: "y", Value: true}}}}}, "options.0.choices", false},
		{"non-integer integer choice", Command{Name: "digest", Description: "d", Options: []CommandOption{{Type: OptionInteger, Name: "n", Description: "d", Choices: []CommandChoice{{Name: "half", Value: 0.5}}}}}, "options.0.choices.0.value", false},
		{"autocomplete with choices", Command{Name: "digest", Description: "d", Options: []CommandOption{{Type: OptionString, Name: "t", Description: "d", Autocomplete: true, Choices: []CommandChoice{{Name: "a", Value: "a"}}}}}, "options.0.autocomplete", false},
		{"unknown type", Command{Type: 9, Name: "x"}, "type", false},
		{"over 4000 characters", Command{Name: "digest", Description: "d", Options: []CommandOption{{Type: OptionString, Name: "topic", Description: "d", Choices: bigChoices}}}, "_", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fe := &formErrors{}
			cmd := tt.cmd
			if cmd.Type == 0 {
				cmd.Type = CommandChatInput
			}
			validateCommand(&cmd, "", fe)
			if tt.ok {
				if !fe.empty() {
					t.Errorf("errors = %v", fe.tree)
				}
				return
			}
			node := fe.tree
			if tt.path != "_" {
				for _, p := range strings.Split(tt.path, ".") {
					next, ok := node[p].(map[string]any)
					if !ok {
						t.Fatalf("no error at %s: %v", tt.path, fe.tree)
					}
					node = next
				}
			}
			if node["_errors"] == nil {
				t.Errorf("no _errors at %s: %v", tt.path, fe.tree)
			}
		})
	}
}

// FuzzMessageBody checks that any JSON body is validated without panicking
// and that an accepted body is within Discord's limits.
func FuzzMessageBody(f *testing.F) {
	f.Add([]byte(`{"content":"hi"}`))
	f.Add([]byte(`{"embeds":[{"title":"t","fields":[{"name":"n","value":"v"}],"footer":{"text":"f"}}]}`))
	f.Add([]byte(`{"content":null,"nonce":123,"enforce_nonce":true,"allowed_mentions":{"parse":["users"],"users":["1"]}}`))
	f.Add([]byte(`{"embeds":[{"url":"::","timestamp":"yesterday","color":-1}]}`))
	f.Add([]byte(`[1,2,3]`))
	f.Fuzz(func(t *testing.T, body []byte) {
		var b messageBody
		if json.Unmarshal(body, &b) != nil {
			return
		}
		fe := &formErrors{}
		validateMessage(&b, fe)
		if !fe.empty() {
			if _, err := json.Marshal(fe.tree); err != nil {
				t.Fatalf("errors do not encode: %v", err)
			}
			return
		}
		if b.Content != nil && len([]rune(*b.Content)) > maxContent || len(b.Embeds) > maxEmbeds {
			t.Fatalf("accepted an over-limit body: %s", body)
		}
	})
}
