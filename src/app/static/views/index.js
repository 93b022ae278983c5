// Every view of the app: its path (with :params), its module, and its place in the navigation. A new view is one
// module in this folder and one line here.
export const views = [
  { path: '/', nav: 'Home', icon: 'home', load: () => import('./home.js') },
  { path: '/search', nav: 'Search', icon: 'search', load: () => import('./search.js') },
  { path: '/write', nav: 'Write', icon: 'write', load: () => import('./write.js'), phone: true },
  { path: '/friends', nav: 'Friends', icon: 'users', load: () => import('./friends.js') },
  { path: '/notifications', nav: 'Notifications', icon: 'bell', load: () => import('./notifications.js') },
  { path: '/friends/add', load: () => import('./add-friend.js') },
  { path: '/groups', load: () => import('./groups.js') },
  { path: '/me', load: () => import('./me.js') },
  { path: '/devices', load: () => import('./devices.js') },
  { path: '/friend/:name', load: () => import('./friend.js') },
  { path: '/post/:fpr/:stem', load: () => import('./post.js') },
]
