// Every API area of the app, one module each; a new area is one file and one line here.
import type { Router } from './router.ts'
import * as devices from './api/devices.ts'
import * as events from './api/events.ts'
import * as friends from './api/friends.ts'
import * as groups from './api/groups.ts'
import * as identity from './api/identity.ts'
import * as notifications from './api/notifications.ts'
import * as sync from './api/sync.ts'
import * as me from './api/me.ts'
import * as media from './api/media.ts'
import * as read from './api/read.ts'
import * as write from './api/write.ts'
import * as pages from './pages.ts'

export const routeModules: { routes(r: Router): void }[] = [
  me,
  read,
  write,
  events,
  media,
  friends,
  groups,
  identity,
  sync,
  notifications,
  devices,
  pages,
]
