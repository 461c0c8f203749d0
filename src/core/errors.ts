/**
 * An error in what the user gave us: a missing file, a syntax error, an unknown ruleset, a bad option.
 * The CLI prints its message (one paragraph, naming file and line where there is one) and exits with 2.
 */
export class InputError extends Error {
  readonly file?: string
  readonly line?: number
  readonly column?: number
  readonly property?: string

  constructor(
    message: string,
    where: { file?: string; line?: number; column?: number; property?: string } = {},
  ) {
    super(message)
    this.name = 'InputError'
    this.file = where.file
    this.line = where.line
    this.column = where.column
    this.property = where.property
  }

  /** `file:line:col: message`, the way compilers print it so editors can jump to it. */
  describe(): string {
    if (!this.file) return this.message
    const pos = this.line ? `:${this.line}${this.column ? `:${this.column}` : ''}` : ''
    return `${this.file}${pos}: ${this.message}`
  }
}

export function isInputError(e: unknown): e is InputError {
  return e instanceof InputError
}
