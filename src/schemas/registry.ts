// The post-type schemas: the only place type names are listed. A schema's $id is derived from its path.
export const POST_TYPES = ['status', 'image', 'link', 'location', 'event', 'activity', 'comment', 'like'] as const

export const SCHEMA_BASE_URL = 'urn:peerfeed:schemas:'
export const schemaId = (name: string) => `${SCHEMA_BASE_URL}${name}`
export const isPostType = (t: unknown): t is (typeof POST_TYPES)[number] =>
  typeof t === 'string' && (POST_TYPES as readonly string[]).includes(t)
