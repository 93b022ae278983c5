// Sync: ask followed friends for what is new, verify and validate it, store it in inbox/ (docs/sync.md).
export { syncAll, REACH_MS, type SyncAllOptions, type SyncSummary, type SyncEvent } from './sync.ts'
export { readSyncStatus, readAllSyncStatus, type FriendSyncStatus } from './sync-status.ts'
export { syncFriend, type FriendReport, type SyncOptions } from './sync-friend.ts'
export { follow, unfollow, readFollows, resolveFollow, type Follow, type Followed } from './follows.ts'
export { urlRoutes, chainRoutes, type Fetch, type Route, type RouteResolver, type FollowTarget } from './transport.ts'
export { startBackgroundSync, syncEverywhere, syncInterval, DEFAULT_SYNC_INTERVAL_MS, type BackgroundSync } from './background.ts'
export { listFriends, type FriendOverview } from './friends.ts'
