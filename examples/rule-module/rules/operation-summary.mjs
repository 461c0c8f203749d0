// A rule module: rules written with the same defineRule API as interop's own rules.
import { defineRule } from 'interop-checker'

export const operationSummary = defineRule({
  meta: {
    id: 'operation-summary',
    title: 'Every operation has a summary',
    failureTitle: 'Some operations have no summary',
    description:
      'Catalogues and generated clients show the summary first, so an operation without one is hard to find. ' +
      'Give every operation a one-line summary.',
    fix: 'Add a one-line `summary` to the operation.',
    sources: [{ title: 'Norrvik integration policy', url: 'https://norrvik.example/policy/integration' }],
    requires: ['openapi'],
    messages: { missing: '{{method}} {{path}} has no summary.' },
    options: {
      type: 'object',
      properties: { minLength: { type: 'integer', minimum: 1, default: 1 } },
      additionalProperties: false,
    },
  },
  // The rule's cases: its tests run them, and `interop rules docs` shows them as examples.
  tests: {
    valid: [
      {
        name: 'an operation with a summary',
        document: {
          openapi: '3.1.0',
          info: { title: 'T', version: '1.0.0' },
          paths: {
            '/a': { get: { summary: 'Lists the permits', responses: { 200: { description: 'OK' } } } },
          },
        },
      },
    ],
    invalid: [
      {
        name: 'an operation without one',
        document: {
          openapi: '3.1.0',
          info: { title: 'T', version: '1.0.0' },
          paths: { '/a': { get: { responses: { 200: { description: 'OK' } } } } },
        },
        errors: [{ messageId: 'missing', pointer: '/paths/~1a/get' }],
      },
    ],
  },
  create(ctx) {
    return {
      Operation(op) {
        const summary = op.node.value.summary
        if (typeof summary !== 'string' || summary.trim().length < ctx.options.minLength)
          ctx.report({
            messageId: 'missing',
            node: op.node,
            data: { method: op.method.toUpperCase(), path: op.path },
          })
      },
    }
  },
})

export const rules = [operationSummary]
