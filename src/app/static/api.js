// Talks to the app's JSON API; a failed call throws an ApiError carrying the server's code and field problems.
export class ApiError extends Error {
  constructor(status, code, message, fields) {
    super(message)
    this.status = status
    this.code = code
    this.fields = fields ?? {}
  }
}

export async function api(path, { method = 'GET', body, raw, type } = {}) {
  const headers = {}
  let payload
  if (raw !== undefined) {
    payload = raw
    headers['content-type'] = type
  } else if (body !== undefined) {
    payload = JSON.stringify(body)
    headers['content-type'] = 'application/json'
  }
  const res = await fetch(path, { method, headers, body: payload, credentials: 'same-origin' })
  const data = await res.json().catch(() => ({}))
  if (!res.ok) {
    const e = data.error ?? {}
    if (res.status === 401) location.reload() // the login note explains what to do
    throw new ApiError(res.status, e.code ?? 'HTTP', e.message ?? `the app answered ${res.status}`, e.fields)
  }
  return data
}
