// The Nunjucks filters PeerFeed's templates may use besides Nunjucks' own: one table for Eleventy and the direct renderer.
import { linkify } from './feed-html.ts'

export const SITE_FILTERS: Record<string, (v: unknown) => string> = {
  /** `{{ text | linkify | safe }}`: escapes the text itself and makes its http(s) URLs links */
  linkify,
}
