import rule from '../../../src/rules/openapi/cloudevents.js'
import { testRule } from '../../../src/testing/vitest.js'

const info = { title: 't', version: '1.0.0' }
const ok = { responses: { '200': { description: 'ok' } } }
const post = (content?: object, extra: object = {}) => ({
  post: { ...(content ? { requestBody: { content } } : {}), ...ok, ...extra },
})
const ceSchema = {
  type: 'object',
  required: ['specversion', 'id', 'source', 'type'],
  properties: { data: { type: 'object' } },
}
const webhooks = (w: object) => ({ openapi: '3.1.0', info, webhooks: w })
const withCallback = (callbackItem: object, version = '3.0.3') => ({
  openapi: version,
  info,
  paths: {
    '/subscriptions': {
      post: { ...ok, callbacks: { bookChanged: { '{$request.body#/callbackUrl}': callbackItem } } },
    },
  },
})

testRule(rule, {
  valid: [
    {
      name: 'webhooks in structured and batch mode',
      document: webhooks({
        bookAdded: post({ 'application/cloudevents+json': { schema: { type: 'object' } } }),
        booksAdded: post({ 'application/cloudevents-batch+json; charset=utf-8': {} }),
      }),
    },
    {
      name: 'a JSON schema with the required attributes through allOf',
      document: {
        ...webhooks({
          bookAdded: post({ 'application/json': { schema: { $ref: '#/components/schemas/BookEvent' } } }),
        }),
        components: {
          schemas: {
            CloudEvent: ceSchema,
            BookEvent: { allOf: [{ $ref: '#/components/schemas/CloudEvent' }, { type: 'object' }] },
          },
        },
      },
    },
    {
      name: 'a callback in binary mode with ce- headers',
      document: withCallback(
        post(
          { 'application/json': { schema: { type: 'object' } } },
          {
            parameters: ['ce-specversion', 'ce-id', 'ce-source', 'ce-type'].map((name) => ({
              name,
              in: 'header',
              required: true,
              schema: { type: 'string' },
            })),
          },
        ),
      ),
    },
  ],
  invalid: [
    {
      name: 'a webhook with its own envelope, and one without body',
      document: webhooks({
        bookAdded: post({
          'application/json': { schema: { type: 'object', properties: { event: { type: 'string' } } } },
        }),
        ping: post(),
      }),
      errors: [
        { messageId: 'not-cloudevents', pointer: '/webhooks/bookAdded/post/requestBody/content' },
        { messageId: 'not-cloudevents', pointer: '/webhooks/ping/post' },
      ],
    },
    {
      name: 'an OpenAPI 3.0 callback with a plain JSON body',
      document: withCallback(post({ 'application/json': { schema: { type: 'object' } } })),
      errors: [
        {
          messageId: 'not-cloudevents',
          pointer:
            '/paths/~1subscriptions/post/callbacks/bookChanged/{$request.body#~1callbackUrl}/post/requestBody/content',
        },
      ],
    },
    {
      name: 'a schema with only some attributes',
      document: webhooks({
        bookAdded: post({
          'application/json': {
            schema: { type: 'object', properties: { id: { type: 'string' }, type: { type: 'string' } } },
          },
        }),
      }),
      errors: [{ messageId: 'not-cloudevents' }],
    },
  ],
  notApplicable: [
    {
      name: 'no webhooks or callbacks',
      document: { openapi: '3.1.0', info, paths: { '/a': { get: ok } } },
    },
    {
      name: 'Swagger 2 has neither',
      document: { swagger: '2.0', info, paths: { '/a': { get: ok } } },
    },
  ],
})
