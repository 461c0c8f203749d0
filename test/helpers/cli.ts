import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

export const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const BIN = fileURLToPath(new URL('../../bin/run.js', import.meta.url))

/** The tests run as on a person's machine, whichever CI system runs them: no CI system's variables. */
const NOT_IN_CI = {
  GITHUB_ACTIONS: '',
  GITHUB_STEP_SUMMARY: '',
  TF_BUILD: '',
  GITLAB_CI: '',
  JENKINS_URL: '',
}

/**
 * The user's cache folder for the runs of the tests: a run under Node flags of its own keeps its
 * compiled code there (dist/bundle/cli.js), never in the home folder of whoever runs the tests.
 */
const CACHE_HOME = mkdtempSync(path.join(os.tmpdir(), 'interop-cache-'))
process.once('exit', () => rmSync(CACHE_HOME, { recursive: true, force: true }))
const TEST_ENV = { ...NOT_IN_CI, XDG_CACHE_HOME: CACHE_HOME, NO_COLOR: '1', SOURCE_DATE_EPOCH: '1767225600' }

export interface CliResult {
  status: number | null
  stdout: string
  stderr: string
}

/** Runs the built CLI as a user would, in a child process, with colour off unless asked. */
export function cli(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}): CliResult {
  const run = spawnSync(process.execPath, [BIN, ...args], {
    cwd: options.cwd ?? ROOT,
    encoding: 'utf8',
    env: { ...process.env, ...TEST_ENV, ...options.env },
    timeout: 60_000,
  })
  return { status: run.status, stdout: run.stdout, stderr: run.stderr }
}

/**
 * The same, without blocking this process: for tests whose servers run in the test process and
 * must answer the CLI while it runs.
 */
export function cliAsync(
  args: string[],
  options: { cwd?: string; env?: Record<string, string> } = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: options.cwd ?? ROOT,
      env: { ...process.env, ...TEST_ENV, ...options.env },
    })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d))
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d))
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000)
    child.on('error', reject)
    child.on('close', (status) => {
      clearTimeout(timer)
      resolve({ status, stdout, stderr })
    })
  })
}
