import { Command, Flags } from '@oclif/core'
import { isInputError } from './core/errors.js'
import { registerPluginRoots } from './core/plugins.js'
import { inert } from './formatters/safe-text.js'

/** Exit codes: 0 passed, 1 findings over the threshold, 2 usage, bad input or internal error. */
export const EXIT = { passed: 0, failed: 1, error: 2 } as const

/**
 * Shared behaviour of interop's commands: errors become a one-paragraph message on stderr and
 * exit code 2 (oclif's own handling would exit 1 and print a stack for unexpected errors).
 */
export abstract class BaseCommand extends Command {
  static override baseFlags = {
    verbose: Flags.boolean({
      description: 'Print the stack trace of internal errors.',
      helpGroup: 'GLOBAL',
    }),
  }

  override async init(): Promise<void> {
    await super.init()
    // Plugins the user installed or linked (interop plugins install|link) may hold rulesets.
    registerPluginRoots(
      [...this.config.plugins.values()]
        .filter((p) => p.type === 'user' || p.type === 'link')
        .map((p) => p.root),
    )
  }

  override async catch(err: Error & { oclif?: { exit?: number }; code?: string }): Promise<void> {
    if (err.oclif?.exit === 0) return
    let message: string
    if (isInputError(err)) message = err.describe()
    else if (err.oclif || /^(EEXIT|ERR_)/.test(err.code ?? '')) message = err.message
    else {
      message = `internal error: ${err.message}`
      message += this.argv.includes('--verbose')
        ? `\n${err.stack ?? ''}`
        : '\n(run again with --verbose to see where)'
    }
    // The message may quote a vendor's file or text: nothing in it acts on a terminal or a CI log.
    process.stderr.write(`interop: ${inert(message.trim())}\n`)
    process.exitCode = EXIT.error
  }
}
