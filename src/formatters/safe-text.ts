import { jsonBytes, type PieceFilter } from './json-bytes.js'

/**
 * Vendor text on its way into a report that a person reads in a terminal or a CI job log. The
 * report's own words never contain what these take out, so they can be applied to a field or to a
 * whole document alike.
 *
 * - Control characters act instead of showing: ESC starts colours, cursor moves and hyperlinks in a
 *   terminal and in the log viewers of CI systems, the Unicode bidirectional controls reorder the
 *   text around them ("Trojan Source"). They are shown as `\uXXXX`.
 * - CI systems read commands out of the log: GitHub's runner `::command::` at the start of a line
 *   and `##[command]` anywhere in one, the Azure Pipelines agent `##vso[command]` anywhere in one
 *   (on standard output and standard error alike). A zero-width space goes between the characters
 *   that make them up: the reader sees the same text, the runner no command.
 */

// eslint-disable-next-line no-control-regex
const CONTROLS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g
const LINE_BREAKS = /\r\n|[\r\n\u2028\u2029]/g
/** The first `#` of `##[` and `##vso[`. */
const HASH_COMMAND = /#(?=#(?:vso)?\[)/g
/** The first `:` of `::` at the start of a line, after blanks. */
const COLON_COMMAND = /^([ \t]*):(?=:)/gm
const ZWSP = '\u200B'

const hex4 = (c: string) => c.charCodeAt(0).toString(16).padStart(4, '0')

/** The text with each half of a surrogate pair that stands alone as U+FFFD (String#toWellFormed). */
export function wellFormed(s: string): string {
  return s.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD')
}

/** Control characters (but tab, line feed and carriage return) as the text `\uXXXX`. */
export function showControls(s: string): string {
  return s.replace(CONTROLS, (c) => `\\u${hex4(c)}`)
}

/** Line breaks and tabs as spaces, so that a vendor's text cannot start a line of its own. */
export function oneLine(s: string): string {
  return s.replace(LINE_BREAKS, ' ').replace(/\t/g, ' ')
}

/** GitHub and Azure commands broken up with a zero-width space, so that no runner acts on them. */
export function defuseCommands(s: string): string {
  return s.replace(HASH_COMMAND, `#${ZWSP}`).replace(COLON_COMMAND, `$1:${ZWSP}`)
}

/** A vendor's text for a terminal or log, lines kept: no controls, no commands. */
export function inert(s: string): string {
  return defuseCommands(showControls(s))
}

/** A vendor's text on one line of a terminal or log: no line breaks, no controls, no commands. */
export function plainLine(s: string): string {
  return inert(oneLine(s))
}

/**
 * A value as a JSON document (JSON.stringify, indented, and a line break), in UTF-8, that means the
 * same but that no CI runner reads a command out of, nor a terminal a control: such characters are
 * written as `\uXXXX` escapes. (JSON.stringify escapes C0 controls and line breaks itself; `#` only
 * occurs inside strings.) The document is made in pieces (jsonBytes), each of whole strings, so
 * that escaping each piece is escaping the document; a report of tens of thousands of findings is
 * never one string of tens of MB.
 */
export function safeJson(value: unknown): Buffer {
  return jsonBytes(value, HARMLESS, '\n')
}

/** What safeJson replaces, in one pass: the two never overlap, and neither replacement makes the other. */
const HARMFUL = new RegExp(`${HASH_COMMAND.source}|${CONTROLS.source}`, 'g')

/**
 * safeJson's pieces: their UTF-8 bytes are looked through for the bytes that start what HARMFUL
 * matches (searching a Buffer for a byte is a native scan: on Stripe's 7 MB report some 6 ms less than
 * the regular expression over the text), and only a piece that holds one is escaped. C0 controls are
 * not looked for: JSON.stringify writes none but as escapes, and the pieces are its text.
 */
const HARMLESS: PieceFilter = {
  needed: (b) =>
    // U+007F; U+0080-U+009F (C2 80-9F); U+202A-U+202E (E2 80 AA-AE), U+2066-U+2069 (E2 81 A6-A9);
    // `##[` and `##vso[`.
    b.indexOf(0x7f) !== -1 ||
    anyAt(b, 0xc2, (i) => b[i + 1]! >= 0x80 && b[i + 1]! <= 0x9f) ||
    anyAt(
      b,
      0xe2,
      (i) =>
        (b[i + 1] === 0x80 && b[i + 2]! >= 0xaa && b[i + 2]! <= 0xae) ||
        (b[i + 1] === 0x81 && b[i + 2]! >= 0xa6 && b[i + 2]! <= 0xa9),
    ) ||
    anyAt(
      b,
      0x23,
      (i) => b[i + 1] === 0x23 && (b[i + 2] === 0x5b || b.toString('latin1', i + 2, i + 6) === 'vso['),
    ),
  fix: (json) => json.replace(HARMFUL, (c) => `\\u${hex4(c)}`),
}

/** Whether any place where `bytes` holds `byte` passes `test`. */
function anyAt(bytes: Buffer, byte: number, test: (i: number) => boolean): boolean {
  for (let i = bytes.indexOf(byte); i !== -1; i = bytes.indexOf(byte, i + 1)) if (test(i)) return true
  return false
}

/**
 * An HTML document (as the template writes it, text escaped) made the same for a browser and inert
 * for a log or a terminal it is printed to: commands broken with character references, controls
 * shown as text.
 */
export function safeHtml(html: string): string {
  return showControls(html).replace(HASH_COMMAND, '&#35;').replace(COLON_COMMAND, '$1&#58;')
}
