package sqlscan

import "unicode"

// IsJSSpace reports whether r is white space for JavaScript's \s and
// String.prototype.trim, with which D1 trims SQL text and bookmarks.
func IsJSSpace(r rune) bool {
	switch r {
	case '\t', '\n', '\v', '\f', '\r', ' ', 0xa0, 0x1680, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000, 0xfeff:
		return true
	}
	return r >= 0x2000 && r <= 0x200a || r > 0x7f && unicode.IsSpace(r) && r != 0x85
}
