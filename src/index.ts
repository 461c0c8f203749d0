/**
 * The API for rule modules and plugin packages: rules are written with `defineRule`, exactly as the
 * shipped rules in src/rules/ are, and tested with `interop-checker/testing`.
 */
export { defineRule, formatMessage } from './core/define-rule.js'
export type { Rule, RuleContext, RuleMeta, ReportDescriptor } from './core/define-rule.js'
export type { Artifacts, ArtifactKind, Evidence, Loc, Node, Severity, Source } from './core/types.js'
export type { OpenApiArtifact } from './loaders/openapi.js'
export type { OpenApiVisitor } from './loaders/openapi-walker.js'
