package discordtest

import (
	"encoding/json"
	"fmt"
	"net/url"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Discord's message limits, counted in characters (code points).
const (
	maxContent          = 2000
	maxEmbeds           = 10
	maxEmbedTitle       = 256
	maxEmbedDescription = 4096
	maxEmbedFields      = 25
	maxFieldName        = 256
	maxFieldValue       = 1024
	maxFooterText       = 2048
	maxAuthorName       = 256
	maxEmbedTotal       = 6000
	maxNonce            = 25
	maxMentionIDs       = 100
	maxFiles            = 10
)

// formErrors collects Invalid Form Body errors in Discord's nested shape:
// {"embeds": {"0": {"title": {"_errors": [{"code", "message"}]}}}}.
type formErrors struct {
	tree map[string]any
}

func (f *formErrors) add(path, code, msg string) {
	if f.tree == nil {
		f.tree = map[string]any{}
	}
	node := f.tree
	if path != "" {
		for _, p := range strings.Split(path, ".") {
			next, ok := node[p].(map[string]any)
			if !ok {
				next = map[string]any{}
				node[p] = next
			}
			node = next
		}
	}
	list, _ := node["_errors"].([]map[string]string)
	node["_errors"] = append(list, map[string]string{"code": code, "message": msg})
}

func (f *formErrors) empty() bool { return len(f.tree) == 0 }

func join(path string, parts ...any) string {
	for _, p := range parts {
		s := fmt.Sprint(p)
		if path == "" {
			path = s
		} else {
			path += "." + s
		}
	}
	return path
}

// maxLen checks an optional string's length.
func (f *formErrors) maxLen(path, s string, n int) {
	if utf8.RuneCountInString(s) > n {
		f.add(path, "BASE_TYPE_MAX_LENGTH", fmt.Sprintf("Must be %d or fewer in length.", n))
	}
}

// required checks a required non-empty string with a maximum length.
func (f *formErrors) required(path, s string, n int) {
	if strings.TrimSpace(s) == "" {
		f.add(path, "BASE_TYPE_REQUIRED", "This field is required")
		return
	}
	f.maxLen(path, s, n)
}

// between checks a string's length is in [lo, hi].
func (f *formErrors) between(path, s string, lo, hi int) {
	if n := utf8.RuneCountInString(s); n < lo || n > hi {
		f.add(path, "BASE_TYPE_BAD_LENGTH", fmt.Sprintf("Must be between %d and %d in length.", lo, hi))
	}
}

// typeError turns a JSON type mismatch into a form error at its field.
func (f *formErrors) typeError(e *json.UnmarshalTypeError) {
	path := e.Field
	switch e.Type.Kind() {
	case reflect.String:
		f.add(path, "BASE_TYPE_STRING", "Must be a string.")
	case reflect.Int, reflect.Int64, reflect.Uint64, reflect.Float64:
		f.add(path, "NUMBER_TYPE_COERCE", fmt.Sprintf("Value of type %s is not int.", e.Value))
	case reflect.Bool:
		f.add(path, "BOOLEAN_TYPE_COERCE", fmt.Sprintf("Value of type %s is not bool.", e.Value))
	case reflect.Slice, reflect.Array:
		f.add(path, "BASE_TYPE_LIST", "Must be an array.")
	default:
		f.add(path, "DICT_TYPE_CONVERT", "Only dictionaries may be used in a DictType")
	}
}

// checkURL checks an embed URL: http or https, or attachment:// where
// media may name an uploaded file.
func (f *formErrors) checkURL(path, raw string, media bool) {
	if raw == "" {
		return
	}
	u, err := url.Parse(raw)
	if err != nil || u.Scheme == "" {
		f.add(path, "URL_TYPE_INVALID_URL", "Not a well formed URL.")
		return
	}
	switch {
	case u.Scheme == "http" || u.Scheme == "https":
		if u.Host == "" {
			f.add(path, "URL_TYPE_INVALID_URL", "Not a well formed URL.")
		}
	case media && u.Scheme == "attachment":
	default:
		f.add(path, "URL_TYPE_INVALID_SCHEME", fmt.Sprintf("Scheme %q is not supported. Scheme must be one of ('http', 'https').", u.Scheme))
	}
}

// validateMessage checks a message body against Discord's limits.
func validateMessage(b *messageBody, fe *formErrors) {
	if b.Content != nil {
		fe.maxLen("content", *b.Content, maxContent)
	}
	validateEmbeds(b.Embeds, fe)
	validateAllowedMentions(b.AllowedMentions, fe)
	if _, ok := nonceString(b.Nonce); !ok {
		fe.add("nonce", "BASE_TYPE_MAX_LENGTH", fmt.Sprintf("Must be %d or fewer in length.", maxNonce))
	}
	if len(b.files) > maxFiles {
		fe.add("files", "BASE_TYPE_MAX_LENGTH", fmt.Sprintf("Must be %d or fewer in length.", maxFiles))
	}
}

func validateEmbeds(embeds []Embed, fe *formErrors) {
	if len(embeds) > maxEmbeds {
		fe.add("embeds", "BASE_TYPE_MAX_LENGTH", fmt.Sprintf("Must be %d or fewer in length.", maxEmbeds))
	}
	total := 0
	count := func(s string) { total += utf8.RuneCountInString(s) }
	for i, e := range embeds {
		p := join("embeds", i)
		fe.maxLen(join(p, "title"), e.Title, maxEmbedTitle)
		fe.maxLen(join(p, "description"), e.Description, maxEmbedDescription)
		fe.checkURL(join(p, "url"), e.URL, false)
		count(e.Title)
		count(e.Description)
		if e.Color < 0 || e.Color > 0xFFFFFF {
			fe.add(join(p, "color"), "NUMBER_TYPE_MAX", "int value should be less than or equal to 16777215.")
		}
		if e.Timestamp != "" {
			if _, err := time.Parse(time.RFC3339, e.Timestamp); err != nil {
				fe.add(join(p, "timestamp"), "DATE_TIME_TYPE_PARSE", fmt.Sprintf("Could not parse %s. Should be ISO8601.", e.Timestamp))
			}
		}
		if e.Footer != nil {
			fe.required(join(p, "footer", "text"), e.Footer.Text, maxFooterText)
			fe.checkURL(join(p, "footer", "icon_url"), e.Footer.IconURL, true)
			count(e.Footer.Text)
		}
		if e.Author != nil {
			fe.required(join(p, "author", "name"), e.Author.Name, maxAuthorName)
			fe.checkURL(join(p, "author", "url"), e.Author.URL, false)
			fe.checkURL(join(p, "author", "icon_url"), e.Author.IconURL, true)
			count(e.Author.Name)
		}
		if e.Image != nil {
			fe.checkURL(join(p, "image", "url"), e.Image.URL, true)
		}
		if e.Thumbnail != nil {
			fe.checkURL(join(p, "thumbnail", "url"), e.Thumbnail.URL, true)
		}
		if len(e.Fields) > maxEmbedFields {
			fe.add(join(p, "fields"), "BASE_TYPE_MAX_LENGTH", fmt.Sprintf("Must be %d or fewer in length.", maxEmbedFields))
		}
		for j, fl := range e.Fields {
			fe.required(join(p, "fields", j, "name"), fl.Name, maxFieldName)
			fe.required(join(p, "fields", j, "value"), fl.Value, maxFieldValue)
			count(fl.Name)
			count(fl.Value)
		}
	}
	if total > maxEmbedTotal {
		fe.add("embeds", "MAX_EMBED_SIZE_EXCEEDED", fmt.Sprintf("Embed size exceeds maximum size of %d", maxEmbedTotal))
	}
}

func validateAllowedMentions(am *AllowedMentions, fe *formErrors) {
	if am == nil {
		return
	}
	for i, p := range am.Parse {
		if p != "users" && p != "roles" && p != "everyone" {
			fe.add(join("allowed_mentions", "parse", i), "ENUM_TYPE_COERCE", fmt.Sprintf("Value %q is not a valid enum value.", p))
		}
	}
	if len(am.Users) > maxMentionIDs {
		fe.add("allowed_mentions.users", "BASE_TYPE_MAX_LENGTH", fmt.Sprintf("Must be %d or fewer in length.", maxMentionIDs))
	}
	if len(am.Roles) > maxMentionIDs {
		fe.add("allowed_mentions.roles", "BASE_TYPE_MAX_LENGTH", fmt.Sprintf("Must be %d or fewer in length.", maxMentionIDs))
	}
	if slices.Contains(am.Parse, "users") && len(am.Users) > 0 {
		fe.add("allowed_mentions", "MESSAGE_ALLOWED_MENTIONS_PARSE_EXCLUSIVE", `parse:["users"] and users: [ids] are mutually exclusive.`)
	}
	if slices.Contains(am.Parse, "roles") && len(am.Roles) > 0 {
		fe.add("allowed_mentions", "MESSAGE_ALLOWED_MENTIONS_PARSE_EXCLUSIVE", `parse:["roles"] and roles: [ids] are mutually exclusive.`)
	}
}

// nonceString returns a nonce (a string of up to 25 characters or an
// integer) as a string; ok is false for anything else.
func nonceString(raw json.RawMessage) (string, bool) {
	if len(raw) == 0 || string(raw) == "null" {
		return "", true
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s, utf8.RuneCountInString(s) <= maxNonce
	}
	var n json.Number
	if json.Unmarshal(raw, &n) == nil {
		if _, err := strconv.ParseInt(n.String(), 10, 64); err == nil {
			return n.String(), true
		}
	}
	return "", false
}

// hasJSON reports whether raw holds something other than nothing, null or
// an empty array or object.
func hasJSON(raw json.RawMessage) bool {
	s := strings.TrimSpace(string(raw))
	return s != "" && s != "null" && s != "[]" && s != "{}"
}
