// Every API area of the app, one module each; a new area is one file and one line here.
import type { Router } from './router.ts'
import * as events from './api/events.ts'
import * as me from './api/me.ts'
import * as media from './api/media.ts'
import * as read from './api/read.ts'
import * as write from './api/write.ts'
import * as pages from './pages.ts'

export const routeModules: { routes(r: Router): void }[] = [me, read, write, events, media, pages]
