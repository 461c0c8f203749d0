import { mkdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import { InputError } from '../../core/errors.js'
import { describeSchemaError, shippedSchema } from '../../core/schemas.js'
import { writeOutput } from '../../services/output.js'
import { LiveArtifact, type HttpExchange, type ProbeTarget, type TlsObservation } from '../live.js'

/** The file in a `--save-inputs` folder that holds the live observations. */
export const RECORDING_FILE = 'live.json'

type Indexed<T> = Omit<T, 'target'> & { target: number }

interface Recording {
  recordingVersion: '1'
  tool?: { name: string; version: string }
  observedAt: string
  settings: LiveArtifact['settings']
  targets: { api: string; environment: string; baseUrl: string }[]
  tls: Indexed<TlsObservation>[]
  exchanges: Indexed<HttpExchange>[]
}

/**
 * Writes what the live checks observed to DIR/live.json, so that `--from-inputs DIR` can run the
 * rules again without the service. Targets are stored by API, environment and URL, not by where
 * the manifest is on this machine, so a recording can be replayed from another checkout.
 */
export async function saveRecording(
  dir: string,
  live: LiveArtifact,
  targets: readonly ProbeTarget[],
  tool: { name: string; version: string },
): Promise<string> {
  const index = (t: ProbeTarget) =>
    targets.findIndex((x) => x.api === t.api && x.environment === t.environment)
  const recording: Recording = {
    recordingVersion: '1',
    tool,
    observedAt: live.observedAt,
    settings: live.settings,
    targets: targets.map(({ api, environment, baseUrl }) => ({ api, environment, baseUrl })),
    tls: live.tls.map((t) => ({ ...t, target: index(t.target) })),
    exchanges: live.exchanges.map((e) => ({ ...e, target: index(e.target) })),
  }
  try {
    await mkdir(dir, { recursive: true })
  } catch (e) {
    throw new InputError(`Cannot create the folder ${dir}: ${(e as Error).message}.`)
  }
  const file = path.join(dir, RECORDING_FILE)
  await writeOutput(file, JSON.stringify(recording, null, 2) + '\n')
  return file
}

/**
 * Reads a recording and ties it to the manifest's targets. A recording of other base URLs than the
 * manifest names (after --environment) is refused: its results would not be this service's.
 */
export async function loadRecording(
  dir: string,
  targets: readonly ProbeTarget[],
  /** The folder as the user gave it, for messages. */
  shownDir = dir,
): Promise<LiveArtifact> {
  const file = path.join(shownDir, RECORDING_FILE)
  let text: string
  try {
    text = await readFile(path.join(dir, RECORDING_FILE), 'utf8')
  } catch {
    throw new InputError(`No recording here: give a folder written by --save-inputs.`, { file })
  }
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (e) {
    throw new InputError(`The recording is not valid JSON: ${(e as Error).message}.`, { file })
  }
  const validate = shippedSchema('recording')
  if (!validate(value)) {
    const problems = (validate.errors ?? [])
      .slice(0, 5)
      .map((e) => `${e.instancePath || '/'} ${describeSchemaError(e)}`)
    throw new InputError(
      `The recording does not match schemas/recording.schema.json: ${problems.join('; ')}.`,
      {
        file,
      },
    )
  }
  const r = value as Recording
  const mapped = r.targets.map((t) =>
    targets.find((x) => x.api === t.api && x.environment === t.environment && x.baseUrl === t.baseUrl),
  )
  const missing = r.targets.filter((_, i) => !mapped[i])
  if (missing.length)
    throw new InputError(
      `The recording was made of ${missing.map((t) => `${t.api} (${t.environment}) at ${t.baseUrl}`).join(', ')}, which the manifest does not name.`,
      { file },
    )
  const unrecorded = targets.filter((t) => !mapped.includes(t))
  if (unrecorded.length)
    throw new InputError(
      `The recording has nothing of ${unrecorded.map((t) => `${t.api} (${t.environment})`).join(', ')}; record again, or choose the recorded environments with --environment.`,
      { file },
    )
  const targetAt = (i: number): ProbeTarget => {
    const t = mapped[i]
    if (!t) throw new InputError(`The recording refers to target ${i}, which it does not list.`, { file })
    return t
  }
  return new LiveArtifact(
    r.exchanges.map((e) => ({ ...e, target: targetAt(e.target) })),
    r.tls.map((t) => ({ ...t, target: targetAt(t.target) })),
    r.observedAt,
    r.settings,
  )
}
