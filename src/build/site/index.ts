// The public side of `peerfeed build`: renderSite() and the types its caller needs.
export { renderSite } from './render-site.ts'
export { planSite, comparePosts, monthOf } from './plan.ts'
export type { Owner, RenderSiteOptions, RenderSiteResult, PostView, SiteView } from './types.ts'
export { paths as sitePaths } from './urls.ts'
