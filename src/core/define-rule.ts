import { remembered } from './memo.js'
import type { OpenApiVisitor } from '../loaders/openapi-walker.js'
import type { PositionStyle } from '../loaders/source.js'
import type { RuleTests } from '../testing/rule-tester.js'
import type {
  ArtifactKind,
  Artifacts,
  Establishment,
  Evidence,
  Loc,
  Node,
  Severity,
  Source,
} from './types.js'

export interface RuleMeta {
  /** Equals the file name; kebab-case noun phrase. */
  id: string
  /** What a pass means, e.g. "Errors use RFC 9457 problem details". */
  title: string
  /** What a failure means, e.g. "Errors do not use RFC 9457 problem details". */
  failureTitle: string
  /** Why it matters, in two sentences, and what to do. */
  description: string
  /** One sentence a finding shows on how to fix it. */
  fix: string
  /** The public standards and guidelines the rule encodes. */
  sources: Source[]
  /** Inputs the rule cannot do without: when one is absent, the rule is not-checked. */
  requires: ArtifactKind[]
  /**
   * How results over a service's several APIs combine: `all` (default) — every API must pass;
   * `any` — the service passes when one API does (a bulk export need only exist once).
   */
  aggregate?: 'all' | 'any'
  /** Inputs the rule uses when they are there (e.g. the manifest's environments beside the servers). */
  optional?: ArtifactKind[]
  /** Message templates by id; `{{name}}` is replaced by the finding's data. */
  messages: Record<string, string>
  /** JSON Schema of the options (an object schema); defaults come from `default` keywords. */
  options?: Record<string, unknown>
  /** How the rule's results are established by default: `static` (documents) unless said otherwise. */
  establishedBy?: Establishment
}

export interface ReportDescriptor {
  messageId: string
  data?: Record<string, unknown>
  /** Where the finding is: a node or a location. */
  node?: Node<unknown>
  loc?: Loc
  /** Point at the key rather than the value (e.g. a property name). */
  key?: boolean
  /** Where an object or array value starts: at its brace (default) or right after its key (Spectral's way). */
  positionStyle?: PositionStyle
  /** The finding's severity, when not the rule's (a Spectral ruleset's `overrides` for some files). */
  severity?: Severity
  evidence?: Evidence
  /** How this finding was established, when not as the rule's result is (see `establishedBy`). */
  establishedBy?: Establishment
}

export interface RuleContext<Options = Record<string, unknown>> {
  readonly options: Options
  /** The artifacts the rule requires (`meta.requires`); the others are absent. */
  readonly artifacts: Artifacts
  report(descriptor: ReportDescriptor): void
  /**
   * Says how the result is established, when not as `meta.establishedBy` says: a rule that finds
   * the SLA in the vendor's declarations rather than in the description establishes it `declared`.
   */
  establishedBy(kind: Establishment): void
  /** The rule does not apply to this service (e.g. no collection endpoints to paginate). */
  notApplicable(reason: string): void
  /** The rule could not establish a result (e.g. a validator could not run). */
  notChecked(reason: string): void
}

export interface Rule<Options = any> {
  meta: RuleMeta
  /** Returns a visitor for the shared OpenAPI traversal. */
  create?(ctx: RuleContext<Options>): OpenApiVisitor
  /** Checks the artifacts directly, for rules that do not walk the description. */
  check?(ctx: RuleContext<Options>): void
  /**
   * The rule's test table (`testRule(rule, rule.tests)`), which `interop rules docs` shows as
   * examples. Shipped rules keep theirs in rule-cases/ instead, written by their tests.
   */
  tests?: RuleTests
  /** For a rule written as data (a ruleset's declarative or Spectral rule): its definition. */
  definition?: Record<string, unknown>
}

export function defineRule<Options = Record<string, unknown>>(rule: Rule<Options>): Rule<Options> {
  if (!rule.create && !rule.check) throw new Error(`Rule ${rule.meta.id} has neither create nor check`)
  return rule
}

// The rules each context's rule runs with over the same artifacts (the runner notes them).
const rounds = new WeakMap<RuleContext<any>, ReadonlySet<Rule>>()

/**
 * The rules that run over the same artifacts as the rule this context is for, the rule among them:
 * for rules that share work, such as the rules of a Spectral ruleset, which evaluate the paths of
 * all of them in one walk of a document and so need to know which of them run. Undefined for a
 * context the runner did not make (a rule's own tests may make one).
 */
export function roundOf(ctx: RuleContext<any>): ReadonlySet<Rule> | undefined {
  return rounds.get(ctx)
}

/** Notes the rules that run with the rule of this context (the runner, as it makes the context). */
export function noteRound(ctx: RuleContext<any>, round: ReadonlySet<Rule>): void {
  rounds.set(ctx, round)
}

/** Fills `{{name}}` placeholders from the data. */
export function formatMessage(template: string, data: Record<string, unknown> = {}): string {
  // A rule reports with the same few templates thousands of times: each is taken apart once into
  // its text (even places) and placeholders (odd places: the written placeholder, then the name).
  const parts = remembered(templates, template, 10_000, splitTemplate)
  let out = parts[0]!
  for (let i = 1; i < parts.length; i += 3) {
    const v = data[parts[i + 1]!]
    out += (v === undefined ? parts[i]! : typeof v === 'string' ? v : JSON.stringify(v)) + parts[i + 2]!
  }
  return out
}

const templates = new Map<string, string[]>()
const splitTemplate = (template: string) => template.split(/(\{\{\s*([\w.]+)\s*\}\})/g)
