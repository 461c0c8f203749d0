/** 4xx and 5xx status codes (also the `4XX` ranges) and `default`, which describes errors by convention. */
export function isErrorStatus(status: string): boolean {
  return /^[45](\d\d|XX)$/i.test(status) || status === 'default'
}

/** Operations on a path without a trailing parameter, such as `GET /books`, return collections. */
export function isCollectionPath(path: string): boolean {
  const last = path.replace(/\/+$/, '').split('/').pop() ?? ''
  return last !== '' && !/^\{.*\}$/.test(last)
}
